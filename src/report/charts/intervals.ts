/**
 * Point estimates with their confidence intervals, one row each (rliable's aggregate-metric
 * plots): a dot at the estimate and a bar over the interval, with an optional reference line
 * (1 for makespan / bound, 0.5 for a probability of improvement).
 */
import { type Box, color, esc, linearScale, px, svgDocument, textWidth, titleText, xAxis } from './svg.js';

export interface IntervalRow {
  readonly label: string;
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  /** Colour index into the palette (default: the row's index). */
  readonly colorIndex?: number;
}

export interface IntervalsInput {
  readonly title: string;
  readonly rows: readonly IntervalRow[];
  readonly xLabel: string;
  readonly reference?: number;
  /** Axis range; default: the rows' intervals (and the reference) padded. */
  readonly domain?: readonly [number, number];
}

const ROW = 26;
const PLOT_WIDTH = 460;
const TOP = 44;

export function intervalsChart(input: IntervalsInput): string {
  const labelWidth = Math.max(40, ...input.rows.map((r) => textWidth(r.label))) + 16;
  const box: Box = {
    left: labelWidth + 12,
    top: TOP,
    width: PLOT_WIDTH,
    height: Math.max(1, input.rows.length) * ROW,
  };
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const r of input.rows) {
    for (const v of [r.low, r.high, r.estimate]) {
      if (!Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (input.reference !== undefined) {
    lo = Math.min(lo, input.reference);
    hi = Math.max(hi, input.reference);
  }
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  const pad = (hi - lo) * 0.05;
  const [d0, d1] = input.domain ?? [lo - pad, hi + pad];
  const xs = linearScale(d0, d1, box.left, box.left + box.width, { ticks: 6, nice: true });
  const body: string[] = [titleText(input.title, 12, 24), xAxis(xs, box, input.xLabel)];
  if (input.reference !== undefined) {
    const rx = xs(input.reference);
    body.push(
      `<line class="reference" x1="${px(rx)}" y1="${box.top}" x2="${px(rx)}" y2="${px(box.top + box.height)}" stroke="#888" stroke-dasharray="4 3"/>`,
    );
  }
  input.rows.forEach((r, i) => {
    const y = box.top + (i + 0.5) * ROW;
    const col = color(r.colorIndex ?? i);
    body.push(
      `<text x="${px(box.left - 8)}" y="${px(y + 4)}" text-anchor="end">${esc(r.label)}</text>`,
      `<g class="interval" data-label="${esc(r.label)}" data-estimate="${r.estimate}" data-low="${r.low}" data-high="${r.high}">`,
      `<title>${esc(`${r.label}: ${r.estimate.toFixed(4)} [${r.low.toFixed(4)}, ${r.high.toFixed(4)}]`)}</title>`,
      `<rect x="${px(xs(r.low))}" y="${px(y - 6)}" width="${px(Math.max(1, xs(r.high) - xs(r.low)))}" height="12" fill="${col}" fill-opacity="0.35"/>`,
      `<line x1="${px(xs(r.estimate))}" y1="${px(y - 8)}" x2="${px(xs(r.estimate))}" y2="${px(y + 8)}" stroke="${col}" stroke-width="3"/>`,
      `</g>`,
    );
  });
  const height = box.top + box.height + 44;
  return svgDocument(box.left + box.width + 24, height, body.join(''), input.title);
}
