// The charts hold the expected marks where they should be, and render to PNG.
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { Evaluator } from '../../src/core/evaluator.js';
import { makeTable } from '../../src/core/table.js';
import { barsChart } from '../../src/report/charts/bars.js';
import { convergenceChart, meanCurve } from '../../src/report/charts/convergence.js';
import { ganttChart } from '../../src/report/charts/gantt.js';
import { FONT_FAMILY, formatNumber, linearScale, niceStep } from '../../src/report/charts/svg.js';
import { fontStatus, PNG_SCALE, resvgOptions, svgToPng } from '../../src/report/png.js';

/** Attributes of every element `<tag class="cls" ...>` in order. */
function marks(svg: string, tag: string, cls: string): Record<string, string>[] {
  const re = new RegExp(`<${tag} class="${cls}"([^>]*)>`, 'g');
  return [...svg.matchAll(re)].map((m) =>
    Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])),
  );
}

function pngSize(png: Buffer): [number, number] {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

function svgSize(svg: string): [number, number] {
  const m = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!;
  return [Number(m[1]), Number(m[2])];
}

// Three jobs on two cores with plenty of bandwidth: job 0 runs 0-10 and job 1 10-30 on
// core 0, job 2 runs 0-15 on core 1; makespan 30.
const table = makeTable({
  systemBandwidth: 100,
  latency: [
    [10, 10],
    [20, 20],
    [15, 15],
  ],
  bandwidth: [
    [1, 1],
    [2, 2],
    [3, 3],
  ],
  jobs: [
    { name: 'a/conv1', model: 'resnet' },
    { name: 'b/fc', model: 'bert' },
    { name: 'a/conv2', model: 'resnet' },
  ],
});
const encoding = { core: Int32Array.from([0, 0, 1]), priority: Float64Array.from([0.1, 0.2, 0.5]) };
const result = new Evaluator(table).evaluate(encoding, { timeline: true });

describe('gantt chart', () => {
  const svg = ganttChart({
    title: 'test',
    table,
    encoding,
    result,
    labels: { kind: 'model', values: ['resnet', 'bert', 'resnet'] },
  });

  it('draws one bar per job on its core, from its start to its finish', () => {
    expect(result.makespan).toBe(30);
    const jobs = marks(svg, 'rect', 'job');
    expect(jobs.map((j) => [j['data-job'], j['data-core']])).toEqual([
      ['0', '0'],
      ['1', '0'],
      ['2', '1'],
    ]);
    // Plot from x = 150 to 1040 - 24 = 1016 for 0..30 cycles.
    const x = (t: number) => 150 + (t / 30) * (1016 - 150);
    for (const [j, start, end] of [
      [0, 0, 10],
      [1, 10, 30],
      [2, 0, 15],
    ] as const) {
      expect(Number(jobs[j]!.x)).toBeCloseTo(x(start), 1);
      expect(Number(jobs[j]!.width)).toBeCloseTo(x(end) - x(start), 1);
    }
    // Core 1's lane is below core 0's.
    expect(Number(jobs[2]!.y)).toBeGreaterThan(Number(jobs[0]!.y));
    // Same category, same colour; different categories, different colours.
    expect(jobs[0]!.fill).toBe(jobs[2]!.fill);
    expect(jobs[0]!.fill).not.toBe(jobs[1]!.fill);
  });

  it('stacks the bandwidth of each core under the lanes, with the system bandwidth line', () => {
    expect(marks(svg, 'polygon', 'bw-area').map((a) => a['data-core'])).toEqual(['0', '1']);
    expect(marks(svg, 'line', 'system-bandwidth')).toHaveLength(1);
    expect(svg).toContain('B = 100 B/cycle');
    expect(svg).toContain('jobs by model');
    for (const label of ['bert', 'resnet']) expect(svg).toContain(`>${label}</text>`);
  });

  it('renders to a PNG at twice the SVG size', () => {
    const [w, h] = svgSize(svg);
    expect(pngSize(svgToPng(svg))).toEqual([w * PNG_SCALE, h * PNG_SCALE]);
  });

  it('needs the timeline', () => {
    const bare = new Evaluator(table).evaluate(encoding);
    expect(() =>
      ganttChart({ title: 't', table, encoding, result: bare, labels: { kind: 'k', values: [] } }),
    ).toThrow(/timeline/);
  });
});

describe('convergence chart', () => {
  it('averages best-so-far step functions where every run has a value', () => {
    const c = meanCurve(
      [
        [
          [1, 10],
          [5, 6],
        ],
        [
          [2, 8],
          [4, 7],
          [6, 5],
        ],
      ],
      6,
    );
    expect(c.x).toEqual([2, 4, 5, 6]);
    expect(c.mean).toEqual([9, 8.5, 6.5, 5.5]);
    expect(c.min).toEqual([8, 7, 6, 5]);
    expect(c.max).toEqual([10, 10, 7, 6]);
    // A run that stopped early (a heuristic) stays flat to the budget.
    expect(meanCurve([[[1, 3]]], 100)).toEqual({ x: [1, 100], mean: [3, 3], min: [3, 3], max: [3, 3] });
  });

  it('draws one line per mapper and a band where seeds differ', () => {
    const svg = convergenceChart({
      title: 'conv',
      normalizer: 2,
      budget: 100,
      series: [
        {
          name: 'magma',
          runs: [
            [
              [1, 10],
              [50, 4],
              [100, 4],
            ],
            [
              [1, 9],
              [100, 5],
            ],
          ],
        },
        { name: 'random', runs: [[[1, 10]]] },
      ],
    });
    expect(marks(svg, 'path', 'series').map((s) => s['data-name'])).toEqual(['magma', 'random']);
    expect(marks(svg, 'polygon', 'band')).toHaveLength(1);
    // The legend gives each mapper's final mean over the bound: (4 + 5) / 2 / 2 = 2.25.
    expect(svg).toContain('magma  2.2500');
    expect(svg).toContain('random  5.0000');
    expect(() => new Resvg(svg)).not.toThrow();
  });
});

describe('convergence chart y axis', () => {
  const yTicks = (svg: string) => {
    const axis = /<g class="axis y-axis">(.*?)<\/g>/.exec(svg)![1]!;
    return [...axis.matchAll(/<text x="[^"]*" y="[^"]*" text-anchor="end">([^<]*)<\/text>/g)].map((m) =>
      Number(m[1]),
    );
  };

  it('zooms on the finish when one mapper starts far worse than the rest end', () => {
    const svg = convergenceChart({
      title: 'conv',
      normalizer: 1,
      budget: 1000,
      series: [
        {
          name: 'slow-start',
          runs: [
            [
              [1, 25],
              [500, 1.3],
              [1000, 1.29],
            ],
          ],
        },
        { name: 'heuristic', runs: [[[1, 1.04]]] },
      ],
    });
    const ticks = yTicks(svg);
    // Finals 1.04 and 1.29: at most 4 spreads (1.0) above 1.04, not the 25 of the first guess.
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(1.29);
    expect(Math.max(...ticks)).toBeLessThanOrEqual(2.2);
    expect(Math.min(...ticks)).toBeLessThanOrEqual(1.04);
  });

  it('leaves a mapper that ends far above the others out of the zoom', () => {
    const svg = convergenceChart({
      title: 'conv',
      normalizer: 1,
      budget: 1000,
      series: [
        {
          name: 'good',
          runs: [
            [
              [1, 20],
              [1000, 1.3],
            ],
          ],
        },
        { name: 'heuristic', runs: [[[1, 1.1]]] },
        {
          name: 'random',
          runs: [
            [
              [1, 25],
              [1000, 7.7],
            ],
          ],
        },
      ],
    });
    const ticks = yTicks(svg);
    // Spread of the two close finishers (0.2), not random's 6.6: at most 1.1 + 0.8.
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(1.3);
    expect(Math.max(...ticks)).toBeLessThanOrEqual(2);
    expect(svg).toContain('random  7.7000 (above the plot)');
    expect(svg).toContain('good  1.3000<');
  });

  it('keeps some headroom when every mapper finishes at the same value', () => {
    const svg = convergenceChart({
      title: 'conv',
      normalizer: 1,
      budget: 100,
      series: [
        {
          name: 'a',
          runs: [
            [
              [1, 3],
              [100, 2],
            ],
          ],
        },
        { name: 'b', runs: [[[1, 2]]] },
      ],
    });
    const ticks = yTicks(svg);
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(2.2);
    expect(Math.max(...ticks)).toBeLessThanOrEqual(3);
  });
});

describe('bars chart', () => {
  it('draws a bar per (problem, mapper) with a result, error bars where seeds differ, and marks the best', () => {
    const svg = barsChart({
      title: 'bars',
      groups: ['p1', 'p2'],
      series: ['a', 'b', 'c'],
      values: [
        [{ mean: 1.2, sd: 0.1, best: true }, { mean: 1.5, sd: 0 }, null],
        [
          { mean: 1.4, sd: 0.05 },
          { mean: 1.3, sd: 0, best: true },
          { mean: 2, sd: 0.2 },
        ],
      ],
      yLabel: 'makespan / LB',
      floor: 1,
    });
    const bars = marks(svg, 'rect', 'bar');
    expect(bars.map((b) => b['data-series'])).toEqual(['a', 'b', 'a', 'b', 'c']);
    expect(marks(svg, 'path', 'error-bar')).toHaveLength(3);
    expect(marks(svg, 'path', 'best-mark')).toHaveLength(2);
    // Bars grow from the floor: taller for larger values.
    const h = bars.map((b) => Number(b.height));
    expect(h[4]).toBeGreaterThan(h[2]!);
    expect(h[0]).toBeLessThan(h[1]!);
    expect(marks(svg, 'text', 'group-label')).toHaveLength(2);
    expect(() => new Resvg(svg)).not.toThrow();
  });
});

describe('svg kit', () => {
  it('picks 1-2-5 steps and readable tick labels', () => {
    expect(niceStep(30, 8)).toBe(5);
    expect(niceStep(0.9, 4)).toBeCloseTo(0.2, 12);
    expect(niceStep(700, 2)).toBe(500);
    expect(linearScale(1, 1.9, 300, 0, { ticks: 6, nice: true }).ticks.map((t) => +t.toFixed(6))).toEqual([
      1, 1.2, 1.4, 1.6, 1.8, 2,
    ]);
    const s = linearScale(0, 534_967, 0, 100, { ticks: 8 });
    expect(s.ticks.map((t) => s.format(t)).slice(0, 3)).toEqual(['0', '50k', '100k']);
    expect(formatNumber(1500)).toBe('1500');
    expect(formatNumber(2.5e6)).toBe('2.5M');
  });

  it.skipIf(fontStatus().file === null)('renders text when a font is available', () => {
    const svg = (text: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20"><text x="2" y="15" font-size="14" font-family="${FONT_FAMILY}">${text}</text></svg>`;
    const dark = (px: Buffer) => {
      let n = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i]! < 128) n++;
      return n;
    };
    expect(dark(new Resvg(svg(''), resvgOptions(1)).render().pixels)).toBe(0);
    expect(dark(new Resvg(svg('Mm'), resvgOptions(1)).render().pixels)).toBeGreaterThan(20);
  });
});
