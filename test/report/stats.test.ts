// Aggregation and tables on hand-made result lines (figures computed by hand).
import { describe, expect, it } from 'vitest';
import { cellKey, type ResultLine } from '../../src/report/results.js';
import { bySetting, compareResults, geomean, stat } from '../../src/report/stats.js';
import {
  cellsCsv,
  comparisonCsv,
  detailMarkdown,
  settingsMarkdown,
  speedupMarkdown,
  summaryMarkdown,
} from '../../src/report/table.js';

function ok(problem: string, mapper: string, seed: number, makespan: number, lb = 100): ResultLine {
  return {
    v: 1,
    problem,
    mapper,
    seed,
    status: 'ok',
    numJobs: 10,
    numCores: 2,
    systemBandwidth: 4,
    makespan,
    lowerBound: lb,
    ratio: makespan / lb,
    throughput: 10 / makespan,
    bandwidthUtilization: 0.5,
    coreUtilization: 0.9,
    evaluations: 50,
    seconds: 0.25,
    history: [[1, makespan]],
    mapping: { core: [], priority: [] },
  };
}

function failed(problem: string, mapper: string, seed: number): ResultLine {
  return { v: 1, problem, mapper, seed, status: 'failed', error: 'Error: boom', seconds: 0 };
}

function results(lines: ResultLine[]) {
  return new Map(lines.map((l) => [cellKey(l), l]));
}

describe('stat', () => {
  it('gives mean, sample sd, min and max', () => {
    const s = stat([1, 2, 3, 6]);
    expect(s.mean).toBe(3);
    // Squares of deviations 4 + 1 + 0 + 9 = 14, over n - 1 = 3.
    expect(s.sd).toBeCloseTo(Math.sqrt(14 / 3), 12);
    expect([s.min, s.max, s.n]).toEqual([1, 6, 4]);
    expect(stat([5]).sd).toBe(0);
    expect(Number.isNaN(stat([]).mean)).toBe(true);
    expect(geomean([2, 8])).toBeCloseTo(4, 12);
  });
});

describe('compareResults and the tables', () => {
  const plan = { problems: ['p1', 'p2'], mappers: ['a', 'b', 'base'], seeds: [1, 2], baseline: 'base' };
  const lines = [
    ok('p1', 'a', 1, 110),
    ok('p1', 'a', 2, 130),
    ok('p1', 'b', 1, 115),
    ok('p1', 'b', 2, 125),
    ok('p1', 'base', 1, 240),
    ok('p1', 'base', 2, 240),
    // On p2, b is fastest but lost a seed: it cannot be "best"; a is.
    ok('p2', 'a', 1, 200),
    ok('p2', 'a', 2, 200),
    ok('p2', 'b', 1, 150),
    failed('p2', 'b', 2),
    ok('p2', 'base', 1, 300),
    ok('p2', 'base', 2, 300),
  ];
  const cmp = compareResults(results(lines), plan);

  it('computes means, speed-ups, best marks, geo-means and wins', () => {
    const [p1, p2] = cmp.entries as [(typeof cmp.entries)[0], (typeof cmp.entries)[0]];
    expect(p1[0]!.figures!.makespan.mean).toBe(120);
    expect(p1[1]!.figures!.makespan.mean).toBe(120);
    // Equal means tie: both are best.
    expect(p1.map((e) => e.best)).toEqual([true, true, false]);
    expect(p1[0]!.speedup).toBe(2);
    expect(p1[0]!.figures!.ratio.sd).toBeCloseTo(Math.sqrt(((1.1 - 1.2) ** 2 + (1.3 - 1.2) ** 2) / 1), 12);
    expect(p2.map((e) => e.best)).toEqual([true, false, false]);
    expect(p2[1]!.failures).toEqual([{ seed: 2, error: 'Error: boom' }]);
    expect(p2[1]!.speedup).toBe(2);
    expect(cmp.wins).toEqual([2, 1, 0]);
    expect(cmp.geomeanSpeedup[0]).toBeCloseTo(Math.sqrt(2 * 1.5), 12);
    expect(cmp.geomeanSpeedup[2]).toBe(1);
    expect(cmp.geomeanRatio[2]).toBeCloseTo(Math.sqrt(2.4 * 3), 12);
  });

  it('renders the summary with the best in bold and partial cells flagged', () => {
    const md = summaryMarkdown(cmp);
    const rows = md.split('\n');
    expect(rows[0]).toBe('| problem | a | b | base |');
    expect(rows[1]).toBe('|---|---:|---:|---:|');
    expect(rows[2]).toBe('| p1 | **1.2000 ± 0.1414** | **1.2000 ± 0.0707** | 2.4000 ± 0.0000 |');
    expect(rows[3]).toBe('| p2 | **2.0000 ± 0.0000** | 1.5000 (1/2, 1 failed) | 3.0000 ± 0.0000 |');
    expect(rows[5]).toBe('| best on | 2/2 | 1/2 | 0/2 |');
    expect(speedupMarkdown(cmp).split('\n')[2]).toBe('| p1 | **2.000x** | **2.000x** | 1.000x |');
    expect(detailMarkdown(cmp)).toContain('| p2 | b | 1.5000 (1/2, 1 failed) | 150 |');
  });

  it('writes CSV with one row per problem and mapper, and one per cell', () => {
    const rows = comparisonCsv(cmp).trim().split('\n');
    expect(rows).toHaveLength(1 + 6);
    const head = rows[0]!.split(',');
    const first = rows[1]!.split(',');
    expect(first[head.indexOf('problem')]).toBe('p1');
    expect(first[head.indexOf('mapper')]).toBe('a');
    expect(Number(first[head.indexOf('makespan_mean')])).toBe(120);
    expect(Number(first[head.indexOf('speedup_vs_base')])).toBe(2);
    expect(first[head.indexOf('best')]).toBe('true');
    expect(first[head.indexOf('macs_per_cycle_mean')]).toBe('');
    const cells = cellsCsv(lines).trim().split('\n');
    expect(cells).toHaveLength(1 + lines.length);
    expect(cells[10]).toBe('p2,b,2,failed,,,,,,,,,0,,,Error: boom');
  });

  it('averages problems of one setting over their workloads', () => {
    const rows = bySetting(cmp, ['S', 'S']);
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r.problems).toBe(2);
    expect(r.ratio[0]).toBeCloseTo(Math.sqrt(1.2 * 2), 12);
    expect(r.ratio[1]).toBeCloseTo(Math.sqrt(1.2 * 1.5), 12);
    expect(r.best).toEqual([false, true, false]);
    expect(r.speedup[0]).toBeCloseTo(Math.sqrt(2 * 1.5), 12);
    expect(r.wins).toEqual([2, 1, 0]);
    const md = settingsMarkdown(cmp, rows).split('\n');
    expect(md[0]).toBe(
      '| setting | problems | a / LB | b / LB | base / LB | a vs base | b vs base | a best | b best | base best |',
    );
    expect(md[2]).toBe('| S | 2 | 1.5492 | **1.3416** | 2.6833 | 1.732x | 2.000x | 2/2 | 1/2 | 0/2 |');
    expect(bySetting(cmp, ['x', 'y'])).toHaveLength(2);
  });

  it('shows cells not run yet as missing, not as failures', () => {
    const partial = compareResults(results(lines.slice(0, 6)), plan);
    expect(partial.entries[1]!.every((e) => e.figures === null && e.missing.length === 2)).toBe(true);
    expect(summaryMarkdown(partial).split('\n')[3]).toBe('| p2 | — | — | — |');
  });
});
