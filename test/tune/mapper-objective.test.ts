import { describe, expect, it } from 'vitest';
import { lowerBound } from '../../src/core/bounds.js';
import { synthTable } from '../../src/core/synth.js';
import { magmaParams } from '../../src/optim/magma.js';
import { createOptimizer } from '../../src/optim/registry.js';
import { makespanObjective, runSearch } from '../../src/optim/search.js';
import { mapperTunable, runSeed } from '../../src/tune/mapper-objective.js';
import type { TuneProblem } from '../../src/tune/problems.js';
import { tuningSpace } from '../../src/tune/tunable.js';

function problem(jobs: number, seed: number): TuneProblem {
  const table = synthTable({ jobs, cores: 3, bwRatio: 1, seed });
  return { label: `p${seed}`, table, lowerBound: lowerBound(table) };
}
const problems = [problem(15, 1), problem(15, 2)];
const opts = { optimizer: 'magma', problems, budget: 120, repeats: 2, seed: 9, set: 'train' } as const;

describe('mapper tuning objective', () => {
  it('scores = mean makespan / lower bound of seeded runs, recomputable by hand', async () => {
    const t = mapperTunable(opts);
    expect(t.runsPerScore).toBe(4);
    const settings = { ...t.defaultPoint!, mutationRate: 0.1 };
    const s = await t.score(settings);
    const byHand = problems.flatMap((p, i) =>
      [0, 1].map((r) => {
        const opt = createOptimizer('magma', p.table, runSeed(9, 'train', i, p.label, r), settings);
        return runSearch(makespanObjective(p.table), opt, { budget: 120 }).cost / p.lowerBound;
      }),
    );
    expect(s.problems.flatMap((p) => p.runs)).toEqual(byHand);
    expect(s.mean).toBeCloseTo(byHand.reduce((a, b) => a + b) / 4, 14);
  });

  it('uses common random numbers: the same settings score the same, other sets draw other seeds', async () => {
    const t = mapperTunable(opts);
    const a = await t.score(t.defaultPoint!);
    const b = await t.score(t.defaultPoint!);
    expect(b).toEqual(a);
    expect((await t.scoreDefaults()).mean).toBe(a.mean);
    expect(runSeed(9, 'train', 0, 'p1', 0)).not.toBe(runSeed(9, 'holdout', 0, 'p1', 0));
    expect(runSeed(9, 'train', 0, 'p1', 0)).not.toBe(runSeed(9, 'train', 0, 'p1', 1));
  });

  it('offers the defaults as a trial only when they are the same on every problem', () => {
    expect(mapperTunable(opts).defaultPoint).toEqual({
      population: 15,
      eliteRatio: 0.05,
      parentRatio: 0.1,
      crossoverGenRate: 0.9,
      crossoverRgRate: 0.1,
      crossoverAccelRate: 0.1,
      mutationRate: 0.05,
      init: 'random',
    });
    const mixed = mapperTunable({ ...opts, problems: [problem(15, 1), problem(20, 2)] });
    expect(mixed.defaultPoint).toBeNull(); // population = jobs differs
    expect(mixed.defaultsDescription.population).toEqual([15, 20]);
  });

  it('builds the searched space from the declaration, tune ranges, overrides and fixed values', () => {
    const s = tuningSpace('magma', magmaParams, { eliteRatio: 0.1 }, { mutationRate: [0.01, 0.2] });
    expect(s.population).toEqual({ type: 'int', low: 8, high: 1000, log: true });
    expect(s.mutationRate).toEqual({ type: 'float', low: 0.01, high: 0.2, log: false });
    expect(s.eliteRatio).toBeUndefined();
    expect(() => tuningSpace('magma', magmaParams, { eliteRatio: 0.9 })).toThrow(
      /fixed eliteRatio = 0.9 is outside/,
    );
    expect(() => tuningSpace('magma', magmaParams, {}, { population: [8.5, 20] })).toThrow(/integer ends/);
    expect(() => tuningSpace('magma', magmaParams, { eliteRatio: 0.1 }, { eliteRatio: [0, 0.2] })).toThrow(
      /both fixed and given a range/,
    );
    const fixedValue = (k: string) => {
      const spec = magmaParams[k as keyof typeof magmaParams];
      return k === 'population' ? 10 : spec.type === 'categorical' ? spec.default : 0.1;
    };
    const all = Object.fromEntries(Object.keys(magmaParams).map((k) => [k, fixedValue(k)]));
    expect(() => tuningSpace('magma', magmaParams, all)).toThrow(/nothing left to tune/);
  });
});
