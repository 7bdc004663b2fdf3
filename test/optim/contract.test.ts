// The optimiser contract: every registered optimiser and heuristic must pass it.
import { describe, expect, it } from 'vitest';
import { validateEncoding } from '../../src/core/encoding.js';
import { Evaluator } from '../../src/core/evaluator.js';
import { synthTable } from '../../src/core/synth.js';
import { createOptimizer, listOptimizers } from '../../src/optim/registry.js';
import { makespanObjective, runSearch } from '../../src/optim/search.js';

const table = synthTable({ jobs: 30, cores: 4, bwRatio: 1, seed: 11 });
const objective = makespanObjective(table);
/** Small enough to be quick, larger than one population (several generations). */
const BUDGET = 700;

describe.each(listOptimizers().map((s) => [s.name]))('optimizer contract: %s', (name) => {
  it('spends exactly the budget (or stops early only when done), and recommends its best', () => {
    const opt = createOptimizer(name, table, 1);
    const res = runSearch(objective, opt, { budget: BUDGET });
    if (opt.done) expect(res.evaluations).toBeLessThanOrEqual(BUDGET);
    else expect(res.evaluations).toBe(BUDGET);
    validateEncoding(res.best, table.numJobs, table.numCores);
    // The recommended mapping really has the reported cost.
    expect(new Evaluator(table).evaluate(res.best).makespan).toBeCloseTo(res.cost, 6);
    expect(res.history.at(-1)![1]).toBe(res.cost);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const a = runSearch(objective, createOptimizer(name, table, 5), { budget: 300 });
    const b = runSearch(objective, createOptimizer(name, table, 5), { budget: 300 });
    expect(b.cost).toBe(a.cost);
    expect(Array.from(b.best.core)).toEqual(Array.from(a.best.core));
    expect(b.history).toEqual(a.history);
  });

  it('records a best-so-far history that is monotone in both columns', () => {
    const res = runSearch(objective, createOptimizer(name, table, 3), { budget: BUDGET });
    for (let i = 1; i < res.history.length; i++) {
      expect(res.history[i]![0]).toBeGreaterThan(res.history[i - 1]![0]);
      expect(res.history[i]![1]).toBeLessThanOrEqual(res.history[i - 1]![1]);
    }
  });

  it('handles budgets smaller than a population, one job and one core', () => {
    for (const t of [
      table,
      synthTable({ jobs: 1, cores: 3, bwRatio: 1, seed: 2 }),
      synthTable({ jobs: 7, cores: 1, bwRatio: 1, seed: 2 }),
    ]) {
      const res = runSearch(makespanObjective(t), createOptimizer(name, t, 9), { budget: 5 });
      expect(res.evaluations).toBeGreaterThanOrEqual(1);
      expect(res.evaluations).toBeLessThanOrEqual(5);
      validateEncoding(res.best, t.numJobs, t.numCores);
    }
  });

  it('rejects unknown hyper-parameters', () => {
    expect(() => createOptimizer(name, table, 1, { noSuchParam: 1 })).toThrow(/unknown hyper-parameter/);
  });
});
