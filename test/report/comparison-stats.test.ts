// The comparison statistics, anytime measures and their charts on hand-made scores.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import {
  anytimeEcdf,
  convergenceArea,
  ecdfArea,
  ecdfAt,
  evaluationsToTarget,
} from '../../src/report/anytime.js';
import { cdDiagram } from '../../src/report/charts/cd-diagram.js';
import {
  bestMapper,
  comparisonStats,
  problemsNeeded,
  seedsNeeded,
} from '../../src/report/comparison-stats.js';
import { svgToPng } from '../../src/report/png.js';
import { type RunRecord, statsReport } from '../../src/report/stats-report.js';

const ten = (base: number, spread: number, rng: Rng) =>
  Array.from({ length: 10 }, () => base + spread * rng.float());

describe('best only where significant', () => {
  it('marks a mapper whose ten seeds all beat every other mapper', () => {
    const rng = new Rng(1);
    const runs = [ten(1.0, 0.01, rng), ten(1.1, 0.01, rng), ten(1.2, 0.05, rng)];
    const b = bestMapper(runs);
    expect(b.candidate).toBe(0);
    expect(b.best).toBe(0);
    // Complete separation of 10 vs 10: p = 2 / C(20, 10), times 2 comparisons (Holm).
    expect(b.pAdjusted[1]).toBeCloseTo((2 * 2) / 184756, 12);
    expect(b.pAdjusted[0]).toBeNull();
  });

  it('does not mark the lowest IQM with three seeds, nor where runs overlap', () => {
    expect(
      bestMapper([
        [1.0, 1.01, 1.02],
        [1.1, 1.11, 1.12],
      ]).best,
    ).toBeNull();
    expect(
      bestMapper([
        [1.0, 1.01, 1.02],
        [1.1, 1.11, 1.12],
      ]).candidate,
    ).toBe(0);
    const rng = new Rng(2);
    const overlap = [ten(1.0, 0.2, rng), ten(1.02, 0.2, rng)];
    expect(bestMapper(overlap).best).toBeNull();
    // A tie for the lowest IQM: no candidate.
    expect(
      bestMapper([
        [1, 1],
        [1, 1],
      ]).candidate,
    ).toBeNull();
    // Two deterministic heuristics 3e-5 apart: perfectly separated, but no practical win.
    const a = new Array(10).fill(1.0000017);
    const b = new Array(10).fill(1.0000312);
    expect(bestMapper([a, b]).best).toBeNull();
    expect(bestMapper([a, b], 0.05, 0).best).toBe(0);
    expect(bestMapper([a, b.map((v) => v + 0.002)]).best).toBe(0);
  });

  it('seeds and problems needed for a claim to be possible', () => {
    // Two mappers: 3 seeds give p >= 0.1, 4 give 2/70 = 0.029 < 0.05.
    expect(seedsNeeded(2, 0.05)).toBe(4);
    // Six mappers (5 comparisons): 5 * 2 / C(2n, n) < 0.05 needs n = 5 (5 * 2/252 = 0.04).
    expect(seedsNeeded(6, 0.05)).toBe(5);
    // Two mappers: 2 / 2^n < 0.05 needs n = 6; three mappers (3 pairs) need 3 * 2 / 2^n < 0.05: n = 7.
    expect(problemsNeeded(2, 0.05)).toBe(6);
    expect(problemsNeeded(3, 0.05)).toBe(7);
  });
});

describe('comparisonStats', () => {
  const rng = new Rng(7);
  // 12 problems, three mappers: a is consistently ~5 % better than b, c is like b.
  const problems = Array.from({ length: 12 }, (_, i) => `p${i}`);
  const scores = problems.map((_, i) => {
    const base = 1 + 0.1 * (i % 4);
    return [ten(base, 0.02, rng), ten(base + 0.05, 0.02, rng), ten(base + 0.05, 0.02, rng)];
  });
  const s = comparisonStats({ problems, mappers: ['a', 'b', 'c'], scores }, { seed: 1, resamples: 500 });

  it('aggregate IQM intervals, and a significantly better a in every pair test', () => {
    expect(s.completeProblems).toHaveLength(12);
    const [a, b] = s.aggregateIqm;
    expect(a!.estimate).toBeLessThan(b!.estimate);
    expect(a!.low).toBeLessThanOrEqual(a!.estimate);
    const ab = s.pairs.find((p) => p.a === 0 && p.b === 1)!;
    // a's IQM is below b's on all 12 problems: W+ = 0, exact p = 2 / 2^12, Holm x 3 at most.
    expect(ab.wilcoxon.wPlus).toBe(0);
    expect(ab.wilcoxon.p).toBeCloseTo(2 / 4096, 12);
    expect(ab.significant).toBe(true);
    expect(ab.better).toBe(0);
    expect(ab.probabilityOfImprovement.estimate).toBeGreaterThan(0.9);
    const bc = s.pairs.find((p) => p.a === 1 && p.b === 2)!;
    expect(bc.significant).toBe(false);
    expect(bc.better).toBeNull();
  });

  it('Friedman ranks a first; b and c share a group in the diagram', () => {
    const r = s.ranks!;
    expect(r.meanRanks[0]).toBe(1);
    expect(r.p).toBeLessThan(0.01);
    expect(r.groups.some((g) => g.includes(1) && g.includes(2) && !g.includes(0))).toBe(true);
    expect(s.warnings).toEqual([]);
  });

  it('warns when three seeds and four problems cannot support a claim', () => {
    const few = comparisonStats({
      problems: ['p1', 'p2', 'p3', 'p4'],
      mappers: ['a', 'b'],
      scores: [0, 1, 2, 3].map((i) => [
        [1 + i, 1.01 + i, 1.02 + i],
        [2 + i, 2.01 + i, 2.02 + i],
      ]),
    });
    expect(few.best.every((b) => b.best === null && b.candidate === 0)).toBe(true);
    expect(few.warnings.join('\n')).toMatch(
      /3 seed\(s\) per mapper no per-problem difference can be significant/,
    );
    expect(few.warnings.join('\n')).toMatch(/4 problem\(s\) no pairwise difference/);
    expect(few.pairs[0]!.wilcoxon.p).toBe(0.125);
  });
});

describe('anytime', () => {
  // Reference 100: targets 110, 105, 102, 101.
  const runA = {
    history: [
      [1, 150],
      [10, 108],
      [100, 101],
    ] as [number, number][],
    evaluations: 1000,
    seconds: 2,
  };
  const runB = {
    history: [
      [1, 120],
      [500, 104],
    ] as [number, number][],
    evaluations: 1000,
    seconds: 1,
  };

  it('evaluations to each target and the ECDF over runs and targets', () => {
    expect(evaluationsToTarget(runA.history, 110)).toBe(10);
    expect(evaluationsToTarget(runA.history, 101)).toBe(100);
    expect(evaluationsToTarget(runB.history, 102)).toBe(Number.POSITIVE_INFINITY);
    const e = anytimeEcdf([[runA, runB]], [100]);
    // A reaches 110 at 10, 105 at 100, 102 at 100, 101 at 100; B 110 and 105 at 500.
    expect(e.costs).toEqual([10, 100, 100, 100, 500, 500]);
    expect(e.total).toBe(8);
    expect(ecdfAt(e, 99)).toBe(1 / 8);
    expect(ecdfAt(e, 1000)).toBe(6 / 8);
    // Seconds: the run's time scaled by the share of its evaluations (A: 2 s per 1000).
    expect(anytimeEcdf([[runA]], [100], { unit: 'seconds', epsilons: [0.1] }).costs).toEqual([0.02]);
  });

  it('ECDF area on log10 cost', () => {
    const e = { costs: [10, 100], total: 2 };
    // From 1 to 1000: 0 on [0, 1], 1/2 on [1, 2], 1 on [2, 3] (log10): (0.5 + 1) / 3.
    expect(ecdfArea(e, 1, 1000)).toBeCloseTo(0.5, 12);
  });

  it('convergence area: the mean of best / reference over log evaluations', () => {
    // 150 on [1, 10), 108 on [10, 100), 101 on [100, 1000]: equal thirds in log.
    expect(convergenceArea(runA.history, 100, 1000)).toBeCloseTo((1.5 + 1.08 + 1.01) / 3, 12);
    // Found at once: the final ratio.
    expect(convergenceArea([[1, 105]], 100, 1000)).toBeCloseTo(1.05, 12);
  });
});

describe('charts and the report section', () => {
  it('critical-difference diagram: one labelled mapper per name, a group bar per clique', () => {
    const svg = cdDiagram({
      title: 'cd',
      names: ['a', 'b', 'c', 'd'],
      meanRanks: [3.143, 2.0, 2.893, 1.964],
      criticalDifference: 1.118,
      groups: [
        [3, 1, 2],
        [2, 0],
      ],
    });
    expect([...svg.matchAll(/<g class="mapper" data-name="(\w)"/g)].map((m) => m[1])).toEqual([
      'd',
      'b',
      'c',
      'a',
    ]);
    expect([...svg.matchAll(/class="group" data-members="([\w,]+)"/g)].map((m) => m[1])).toEqual([
      'd,b,c',
      'c,a',
    ]);
    expect(svg).toContain('CD = 1.12');
    const png = svgToPng(svg);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('statsReport writes every section and chart from run records', () => {
    const rng = new Rng(3);
    const run = (lb: number, base: number): RunRecord => {
      const final = lb * (base + 0.02 * rng.float());
      return {
        score: final / lb,
        history: [
          [1, final * 1.3],
          [50, final],
        ],
        evaluations: 100,
        seconds: 0.5,
      };
    };
    const problems = ['p0', 'p1', 'p2'];
    const runs = problems.map((_, i) =>
      [1.0, 1.05].map((b) => Array.from({ length: 5 }, () => run(100 * (i + 1), b))),
    );
    const r = statsReport(
      { problems, mappers: ['x', 'y'], runs, budget: 100, scoreLabel: 'makespan / LB' },
      { seed: 1, resamples: 200 },
    );
    for (const h of [
      '### Per problem',
      '### Across problems',
      'Friedman test',
      '### Pairs',
      '### Anytime performance',
    ])
      expect(r.markdown).toContain(h);
    expect(r.charts.map((c) => c.name)).toEqual([
      'aggregate-iqm',
      'cd-diagram',
      'probability-of-improvement',
      'performance-profile',
      'anytime-evaluations',
      'anytime-seconds',
    ]);
    for (const c of r.charts) {
      expect(c.svg.startsWith('<svg')).toBe(true);
      expect(c.svg).not.toContain('NaN');
    }
    // x reaches every target of the best-known reference sooner than y.
    expect(r.anytime[0]!.ecdfArea).toBeGreaterThan(r.anytime[1]!.ecdfArea);
    expect(r.anytime[0]!.convergenceArea).toBeLessThan(r.anytime[1]!.convergenceArea);
  });
});
