/**
 * Optimisation history of a tuning study (Optuna's plot_optimization_history): every trial's
 * value against its number, complete trials as dots, pruned ones as grey crosses at the last
 * value they reported (a partial score), and the best complete value so far as a line.
 */
import { type Box, color, legend, linearScale, px, svgDocument, titleText, xAxis, yAxis } from './svg.js';

export interface HistoryPoint {
  readonly number: number;
  /** The value (complete) or the last reported one (pruned); null when there is none. */
  readonly value: number | null;
  readonly state: 'complete' | 'pruned' | 'failed';
}

export interface HistoryInput {
  readonly title: string;
  readonly points: readonly HistoryPoint[];
  readonly direction: 'minimize' | 'maximize';
  readonly yLabel: string;
}

const WIDTH = 780;
const PLOT_HEIGHT = 300;
const MARGIN = { left: 80, right: 24, top: 44 };

export function historyChart(input: HistoryInput): string {
  const box: Box = {
    left: MARGIN.left,
    top: MARGIN.top,
    width: WIDTH - MARGIN.left - MARGIN.right,
    height: PLOT_HEIGHT,
  };
  const shown = input.points.filter((p) => p.value !== null && Number.isFinite(p.value));
  const values = shown.map((p) => p.value!);
  const lo = values.length ? Math.min(...values) : 0;
  const hi = values.length ? Math.max(...values) : 1;
  const n = Math.max(1, ...input.points.map((p) => p.number + 1));
  const xs = linearScale(0, n, box.left, box.left + box.width, { ticks: 8 });
  const ys = linearScale(lo, hi, box.top + box.height, box.top, { ticks: 6, nice: true });
  const body: string[] = [
    titleText(input.title, box.left, 24),
    xAxis(xs, box, 'trial'),
    yAxis(ys, box, input.yLabel),
  ];
  const sign = input.direction === 'minimize' ? 1 : -1;
  let best: number | null = null;
  const line: [number, number][] = [];
  for (const p of [...input.points].sort((a, b) => a.number - b.number)) {
    if (p.state !== 'complete' || p.value === null) continue;
    if (best === null || sign * p.value < sign * best) {
      if (best !== null) line.push([p.number, best]);
      best = p.value;
      line.push([p.number, best]);
    }
  }
  if (best !== null) line.push([n, best]);
  for (const p of shown) {
    const x = xs(p.number);
    const y = ys(p.value!);
    if (p.state === 'complete')
      body.push(
        `<circle class="trial complete" cx="${px(x)}" cy="${px(y)}" r="3.5" fill="${color(0)}" fill-opacity="0.75"/>`,
      );
    else
      body.push(
        `<path class="trial pruned" d="M${px(x - 3)} ${px(y - 3)}L${px(x + 3)} ${px(y + 3)}M${px(x - 3)} ${px(y + 3)}L${px(x + 3)} ${px(y - 3)}" stroke="#999" stroke-width="1.5"/>`,
      );
  }
  if (line.length)
    body.push(
      `<path class="best-so-far" d="${line.map(([x, y], k) => `${k ? 'L' : 'M'}${px(xs(x))} ${px(ys(y))}`).join('')}" fill="none" stroke="${color(4)}" stroke-width="2"/>`,
    );
  const leg = legend(
    [
      { label: 'complete trial', color: color(0), shape: 'square' },
      { label: 'pruned trial (last reported value)', color: '#999', shape: 'square' },
      { label: 'best so far', color: color(4), shape: 'line' },
    ],
    box.left,
    box.top + box.height + 58,
    box.width,
  );
  body.push(leg.svg);
  return svgDocument(WIDTH, box.top + box.height + 58 + leg.height + 6, body.join(''), input.title);
}
