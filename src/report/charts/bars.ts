/**
 * Grouped bars across problems: one group per problem, one bar per mapper (mean over seeds,
 * with the spread as an error bar, and the best of each group marked). Bars grow from
 * `floor`: for makespan / lower bound that is 1, the bound itself, so a bar's height is the
 * distance from the limit.
 */
import {
  type Box,
  color,
  esc,
  legend,
  linearScale,
  px,
  svgDocument,
  textWidth,
  titleText,
  yAxis,
} from './svg.js';

export interface BarValue {
  readonly mean: number;
  /** Spread drawn as mean +- sd (0 for one seed). */
  readonly sd: number;
  readonly best?: boolean;
}

export interface BarsInput {
  readonly title: string;
  /** Group names (problems), left to right. */
  readonly groups: readonly string[];
  /** Series names (mappers), in bar order within a group. */
  readonly series: readonly string[];
  /** values[g][s]; null when a mapper has no result there. */
  readonly values: readonly (readonly (BarValue | null)[])[];
  readonly yLabel: string;
  readonly floor: number;
}

const BAR = 13;
const BAR_GAP = 2;
const GROUP_GAP = 20;
const MIN_PLOT_WIDTH = 460;
const PLOT_HEIGHT = 300;
const MARGIN = { left: 84, right: 24, top: 44 };
/** Group labels are slanted by this angle (degrees) so long problem ids fit. */
const LABEL_ANGLE = 35;

export function barsChart(input: BarsInput): string {
  const S = input.series.length;
  const G = input.groups.length;
  const groupWidth = S * (BAR + BAR_GAP) - BAR_GAP + GROUP_GAP;
  const plotWidth = Math.max(MIN_PLOT_WIDTH, G * groupWidth);
  const longest = Math.max(0, ...input.groups.map((g) => textWidth(g)));
  const labelDepth = longest * Math.sin((LABEL_ANGLE * Math.PI) / 180) + 24;
  const box: Box = { left: MARGIN.left, top: MARGIN.top, width: plotWidth, height: PLOT_HEIGHT };
  let hi = input.floor;
  for (const row of input.values) for (const v of row) if (v) hi = Math.max(hi, v.mean + v.sd);
  const ys = linearScale(input.floor, hi, box.top + box.height, box.top, { ticks: 6, nice: true });
  const y0 = ys(input.floor);
  const body: string[] = [titleText(input.title, MARGIN.left, 24), yAxis(ys, box, input.yLabel)];
  body.push(
    `<line x1="${px(box.left)}" y1="${px(y0)}" x2="${px(box.left + box.width)}" y2="${px(y0)}" stroke="#333"/>`,
  );
  const offset = (plotWidth - G * groupWidth) / 2 + GROUP_GAP / 2;
  input.groups.forEach((group, g) => {
    const gx = box.left + offset + g * groupWidth;
    body.push(`<g class="group" data-group="${esc(group)}">`);
    input.series.forEach((name, s) => {
      const v = input.values[g]?.[s];
      if (!v) return;
      const x = gx + s * (BAR + BAR_GAP);
      const yt = ys(v.mean);
      body.push(
        `<rect class="bar" data-series="${esc(name)}" x="${px(x)}" y="${px(Math.min(yt, y0))}" width="${BAR}" height="${px(Math.abs(y0 - yt))}" fill="${color(s)}">` +
          `<title>${esc(`${group} / ${name}: ${v.mean.toFixed(4)} ± ${v.sd.toFixed(4)}`)}</title></rect>`,
      );
      if (v.sd > 0) {
        const cx = x + BAR / 2;
        const a = ys(v.mean - v.sd);
        const b = ys(v.mean + v.sd);
        body.push(
          `<path class="error-bar" d="M${px(cx)} ${px(a)}V${px(b)}M${px(cx - 3)} ${px(a)}H${px(cx + 3)}M${px(cx - 3)} ${px(b)}H${px(cx + 3)}" stroke="#222" fill="none"/>`,
        );
      }
      if (v.best) {
        const cx = x + BAR / 2;
        const top = ys(v.mean + v.sd) - 4;
        body.push(
          `<path class="best-mark" d="M${px(cx)} ${px(top)}l-4 -7h8z" fill="#222"><title>best of ${esc(group)}</title></path>`,
        );
      }
    });
    const lx = gx + (groupWidth - GROUP_GAP) / 2;
    const ly = box.top + box.height + 14;
    body.push(
      `<text class="group-label" x="${px(lx)}" y="${px(ly)}" text-anchor="end" transform="rotate(-${LABEL_ANGLE} ${px(lx)} ${px(ly)})">${esc(group)}</text>`,
      '</g>',
    );
  });
  const ly = box.top + box.height + labelDepth + 16;
  const leg = legend(
    input.series.map((name, s) => ({ label: name, color: color(s), shape: 'square' as const })),
    box.left,
    ly,
    Math.max(box.width, 400),
  );
  body.push(leg.svg);
  const width = box.left + box.width + MARGIN.right;
  return svgDocument(width, ly + leg.height + 4, body.join(''), input.title);
}
