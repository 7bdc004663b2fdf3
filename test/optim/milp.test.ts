// The exact mapper: proven optimal without contention, the optimum under contention on a
// hand-computed case, and its certified bound in the recommendation.
import { describe, expect, it } from 'vitest';
import { createOptimizer } from '../../src/optim/registry.js';
import { makespanObjective, runSearch } from '../../src/optim/search.js';
import { balanceTable, contentionTable } from '../helpers/tables.js';

describe('milp (exact mapper)', () => {
  it('proposes the optimum first where bandwidth does not bind, proves it and stops', () => {
    const table = balanceTable();
    const opt = createOptimizer('milp', table, 1, { timeLimit: 5 });
    const res = runSearch(makespanObjective(table), opt, { budget: 100 });
    expect(res.cost).toBe(5);
    expect(res.evaluations).toBe(1);
    expect(opt.done).toBe(true);
    const rec = opt.recommend()!;
    expect(rec.optimal).toBe(true);
    expect(rec.bound).toBeLessThanOrEqual(5);
    expect(rec.bound).toBeGreaterThan(5 * (1 - 1e-3));
  });

  it('finds the optimum 19 under contention, above its bound 18, and does not claim optimality', () => {
    // Job 0 compute-bound (L 10, W 0.5), job 1 memory-bound (L 2, W 5), B = 1 (see the bound tests).
    const table = contentionTable();
    const opt = createOptimizer('milp', table, 2, { timeLimit: 5 });
    const res = runSearch(makespanObjective(table), opt, { budget: 40 });
    expect(res.cost).toBeCloseTo(19, 9);
    expect(res.evaluations).toBe(40);
    const rec = opt.recommend()!;
    expect(rec.optimal).toBe(false);
    expect(rec.bound).toBeLessThanOrEqual(18);
    expect(rec.bound).toBeGreaterThan(18 * (1 - 1e-3));
  });

  it('needs the job table', () => {
    expect(() => createOptimizer('milp', { numJobs: 3, numCores: 2 }, 1)).toThrow(/job table/);
  });
});
