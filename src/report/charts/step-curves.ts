/**
 * Step curves of a fraction (0..1) against a threshold or cost, one per mapper, with an
 * optional band: the performance profiles (fraction of runs at or below a score) and the
 * anytime ECDFs (fraction of targets reached within a cost) share this chart.
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

export interface StepSeries {
  readonly name: string;
  /** Points (x, y) of a right-continuous step function, x ascending. */
  readonly points: readonly (readonly [number, number])[];
  /** Lower and upper band at the same x (optional). */
  readonly band?: readonly (readonly [number, number])[];
  /** Appended to the legend label (e.g. an area or a final value). */
  readonly note?: string;
}

export interface StepChartInput {
  readonly title: string;
  readonly series: readonly StepSeries[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xLog?: boolean;
  readonly xDomain: readonly [number, number];
}

const WIDTH = 780;
const PLOT_HEIGHT = 320;
const MARGIN = { left: 80, right: 24, top: 44 };

/** Vertices of the step function through `pts`, held to `xEnd`. */
function stepPath(pts: readonly (readonly [number, number])[], xEnd: number): [number, number][] {
  const out: [number, number][] = [];
  pts.forEach(([x, y], i) => {
    if (i > 0) out.push([x, pts[i - 1]![1]]);
    out.push([x, y]);
  });
  if (pts.length) out.push([xEnd, pts.at(-1)![1]]);
  return out;
}

export function stepChart(input: StepChartInput): string {
  const box: Box = {
    left: MARGIN.left,
    top: MARGIN.top,
    width: WIDTH - MARGIN.left - MARGIN.right,
    height: PLOT_HEIGHT,
  };
  const [x0, x1] = input.xDomain;
  const xs = input.xLog
    ? logScale(x0, x1, box.left, box.left + box.width)
    : linearScale(x0, x1, box.left, box.left + box.width, { ticks: 7 });
  const ys = linearScale(0, 1, box.top + box.height, box.top, { ticks: 5 });
  const body: string[] = [
    titleText(input.title, box.left, 24),
    xAxis(xs, box, input.xLabel),
    yAxis(ys, box, input.yLabel),
  ];
  body.push(
    `<defs><clipPath id="steps"><rect x="${px(box.left)}" y="${px(box.top - 2)}" width="${px(box.width)}" height="${px(box.height + 4)}"/></clipPath></defs>`,
    '<g clip-path="url(#steps)">',
  );
  const xEnd = xs.domain[1];
  input.series.forEach((s, i) => {
    const col = color(i);
    if (s.band && s.band.length === s.points.length) {
      const upper = stepPath(
        s.points.map((p, k) => [p[0], s.band![k]![1]] as const),
        xEnd,
      );
      const lower = stepPath(
        s.points.map((p, k) => [p[0], s.band![k]![0]] as const),
        xEnd,
      ).reverse();
      const poly = [...upper, ...lower].map(([x, y]) => `${px(xs(x))},${px(ys(y))}`).join(' ');
      body.push(`<polygon class="band" points="${poly}" fill="${col}" fill-opacity="0.15" stroke="none"/>`);
    }
    const d = stepPath(s.points, xEnd)
      .map(([x, y], k) => `${k ? 'L' : 'M'}${px(xs(x))} ${px(ys(y))}`)
      .join('');
    if (d)
      body.push(
        `<path class="series" data-name="${esc(s.name)}" d="${d}" fill="none" stroke="${col}" stroke-width="2.2"/>`,
      );
  });
  body.push('</g>');
  const leg = legend(
    input.series.map((s, i) => ({
      label: s.note ? `${s.name}  ${s.note}` : s.name,
      color: color(i),
      shape: 'line' as const,
    })),
    box.left,
    box.top + box.height + 58,
    box.width,
  );
  body.push(leg.svg);
  return svgDocument(WIDTH, box.top + box.height + 58 + leg.height + 6, body.join(''), input.title);
}
