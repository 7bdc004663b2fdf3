/**
 * Convergence: best makespan (over the lower bound) against evaluations, one line per mapper
 * (the mean over seeds of the best-so-far), with the spread over seeds shaded. Log-scale
 * evaluations, so the early race and the late refinement both show.
 */
import {
  type Box,
  color,
  esc,
  legend,
  linearScale,
  logScale,
  px,
  svgDocument,
  titleText,
  xAxis,
  yAxis,
} from './svg.js';

export interface ConvergenceSeries {
  readonly name: string;
  /** One best-so-far history per seed: [evaluations, best cost] at each improvement and at the end. */
  readonly runs: readonly (readonly (readonly [number, number])[])[];
}

export interface ConvergenceInput {
  readonly title: string;
  readonly series: readonly ConvergenceSeries[];
  /** Costs are divided by this (the lower bound), so the axis reads makespan / LB. */
  readonly normalizer: number;
  /** The x axis runs to here; a mapper that stopped early (a heuristic) stays flat to it. */
  readonly budget: number;
  readonly yLabel?: string;
}

/** The y axis starts at this fraction of the budget: the first random guesses would flatten the rest. */
const Y_RANGE_FROM = 0.01;
/**
 * ... and reaches at most this many times the spread of the final means above the lowest
 * value (but at least Y_MIN_HEADROOM x that value above it), so the finish, where mappers
 * differ by a few per cent, stays readable when one mapper starts far worse: its early
 * steps leave the top of the plot.
 */
const Y_FINAL_SPREADS = 4;
const Y_MIN_HEADROOM = 0.1;
/**
 * A mapper that ends more than this many times above the best final mean (random search on
 * a platform with one very slow core ends 7x above) is left out of the spread: it would undo
 * the zoom for all the others. Its final value is still in the legend.
 */
const Y_OUTLIER_RATIO = 2;
const WIDTH = 780;
const PLOT_HEIGHT = 330;
const MARGIN = { left: 80, right: 24, top: 44 };

export interface Curve {
  readonly x: number[];
  readonly mean: number[];
  readonly min: number[];
  readonly max: number[];
}

/** Mean, min and max over runs of the best-so-far on the union of their evaluation counts. */
export function meanCurve(runs: ConvergenceSeries['runs'], budget: number): Curve {
  const grid = [...new Set([...runs.flatMap((r) => r.map((p) => p[0])), budget])]
    .filter((n) => n >= 1 && n <= budget)
    .sort((a, b) => a - b);
  const out: Curve = { x: [], mean: [], min: [], max: [] };
  const cursor = runs.map(() => -1);
  for (const g of grid) {
    let sum = 0;
    let n = 0;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    runs.forEach((run, k) => {
      while (cursor[k]! + 1 < run.length && run[cursor[k]! + 1]![0] <= g) cursor[k]!++;
      if (cursor[k]! < 0) return;
      const v = run[cursor[k]!]![1];
      sum += v;
      n++;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    });
    // Only where every run has a value, so the mean never jumps when a late starter joins.
    if (n === runs.length && n > 0) {
      out.x.push(g);
      out.mean.push(sum / n);
      out.min.push(lo);
      out.max.push(hi);
    }
  }
  return out;
}

/** Step-function vertices through (x[i], y[i]), holding each value until the next x. */
function steps(x: readonly number[], y: readonly number[]): [number, number][] {
  const pts: [number, number][] = [];
  for (let i = 0; i < x.length; i++) {
    if (i > 0) pts.push([x[i]!, y[i - 1]!]);
    pts.push([x[i]!, y[i]!]);
  }
  return pts;
}

export function convergenceChart(input: ConvergenceInput): string {
  const { normalizer, budget } = input;
  const curves = input.series.map((s) => {
    const c = meanCurve(s.runs, budget);
    const norm = (a: number[]) => a.map((v) => v / normalizer);
    return { name: s.name, x: c.x, mean: norm(c.mean), min: norm(c.min), max: norm(c.max) };
  });
  const box: Box = {
    left: MARGIN.left,
    top: MARGIN.top,
    width: WIDTH - MARGIN.left - MARGIN.right,
    height: PLOT_HEIGHT,
  };
  let yLo = Number.POSITIVE_INFINITY;
  let yHi = Number.NEGATIVE_INFINITY;
  const from = Math.max(1, budget * Y_RANGE_FROM);
  for (const c of curves) {
    for (const v of c.min) yLo = Math.min(yLo, v);
    const k = c.x.findIndex((n) => n >= from);
    const at = k >= 0 ? k : c.x.length - 1;
    if (at >= 0) yHi = Math.max(yHi, c.max[at]!);
  }
  if (!Number.isFinite(yLo)) {
    yLo = 1;
    yHi = 2;
  }
  const finals = curves.filter((c) => c.mean.length).map((c) => c.mean.at(-1)!);
  const bestFinal = Math.min(...finals);
  const spread = Math.max(...finals.filter((f) => f <= Y_OUTLIER_RATIO * bestFinal)) - yLo;
  if (finals.length) yHi = Math.min(yHi, yLo + Math.max(Y_FINAL_SPREADS * spread, Y_MIN_HEADROOM * yLo));
  const xs = logScale(1, Math.max(budget, 10), box.left, box.left + box.width);
  const ys = linearScale(yLo, yHi, box.top + box.height, box.top, { ticks: 6, nice: true });
  const body: string[] = [titleText(input.title, box.left, 24)];
  body.push(
    `<defs><clipPath id="plot"><rect x="${px(box.left)}" y="${px(box.top)}" width="${px(box.width)}" height="${px(box.height)}"/></clipPath></defs>`,
  );
  body.push(xAxis(xs, box, 'evaluated mappings (log scale)'));
  body.push(yAxis(ys, box, input.yLabel ?? 'best makespan / lower bound'));
  body.push('<g clip-path="url(#plot)">');
  curves.forEach((c, i) => {
    if (c.x.length === 0) return;
    const col = color(i);
    const upper = steps(c.x, c.max);
    const lower = steps(c.x, c.min).reverse();
    if (c.max.some((v, k) => v !== c.min[k])) {
      const poly = [...upper, ...lower].map(([x, y]) => `${px(xs(x))},${px(ys(y))}`).join(' ');
      body.push(`<polygon class="band" points="${poly}" fill="${col}" fill-opacity="0.15" stroke="none"/>`);
    }
    const d = steps(c.x, c.mean)
      .map(([x, y], k) => `${k ? 'L' : 'M'}${px(xs(x))} ${px(ys(y))}`)
      .join('');
    body.push(
      `<path class="series" data-name="${esc(c.name)}" d="${d}" fill="none" stroke="${col}" stroke-width="2.2"/>`,
    );
  });
  body.push('</g>');
  const leg = legend(
    curves.map((c, i) => ({
      label: `${c.name}  ${c.mean.length ? c.mean.at(-1)!.toFixed(4) : 'n/a'}${c.mean.length && c.mean.at(-1)! > ys.domain[1] ? ' (above the plot)' : ''}`,
      color: color(i),
      shape: 'line',
    })),
    box.left,
    box.top + box.height + 58,
    box.width,
  );
  body.push(leg.svg);
  const height = box.top + box.height + 58 + leg.height + 6;
  return svgDocument(WIDTH, height, body.join(''), input.title);
}
