// The rollout algorithm on the dispatching policy: its schedule is never worse than the greedy
// rollout it starts from, its makespan is the evaluator's for its mapping, it is
// deterministic, and it keeps to its budget of completions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lookahead } from '../../agents/dispatch/lookahead.js';
import { DispatchModel, initialWeights } from '../../agents/dispatch/model.js';
import { act } from '../../agents/dispatch/rollout.js';
import { DispatchEnv } from '../../envs/m3e/dispatch-env.js';
import { fixedTable } from '../../envs/m3e/problem-source.js';
import { evaluate } from '../../src/core/evaluator.js';
import { Rng } from '../../src/core/rng.js';
import { synthTable } from '../../src/core/synth.js';
import { TINY_DISPATCH_NET, withoutPlanPull } from './helpers.js';

const NET = TINY_DISPATCH_NET;

describe('lookahead', () => {
  it('is exact, deterministic and never worse than the greedy rollout', () => {
    let improved = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 5 }),
        fc.double({ min: 0.05, max: 4, noNaN: true }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 2, max: 4 }),
        (J, C, bwRatio, seed, width) => {
          const table = synthTable({ jobs: J, cores: C, bwRatio, seed });
          const model = new DispatchModel(NET, initialWeights(NET, new Rng(seed)));
          const r = lookahead(model, table, { width });
          const greedy = act(model, [new DispatchEnv(fixedTable(table))], [table], 1, new Rng(0), {
            greedy: true,
            record: false,
            values: false,
          }).tables[0]!.makespan[0]!;
          expect(r.greedy).toBe(greedy);
          expect(r.makespan).toBeLessThanOrEqual(greedy);
          expect(evaluate(table, r.encoding).makespan).toBe(r.makespan);
          const again = lookahead(model, table, { width });
          expect(Array.from(again.encoding.core)).toEqual(Array.from(r.encoding.core));
          expect(again.completions).toBe(r.completions);
          if (r.makespan < greedy) improved++;
        },
      ),
      { numRuns: 80 },
    );
    // An untrained policy leaves room: some schedules must improve.
    expect(improved).toBeGreaterThan(0);
  });

  it('keeps to maxCompletions', () => {
    const table = synthTable({ jobs: 40, cores: 4, bwRatio: 0.5, seed: 3 });
    const model = new DispatchModel(NET, withoutPlanPull(initialWeights(NET, new Rng(2))));
    const full = lookahead(model, table, { width: 3 });
    // Every decision with two or more choices is branched twice: about 2 x 40.
    expect(full.completions).toBeGreaterThan(60);
    for (const cap of [1, 5, 20]) {
      const r = lookahead(model, table, { width: 3, maxCompletions: cap, offset: 7 });
      expect(r.completions).toBeLessThanOrEqual(cap + 1);
      expect(r.makespan).toBeLessThanOrEqual(r.greedy);
      expect(evaluate(table, r.encoding).makespan).toBe(r.makespan);
    }
    for (const width of [2, 4]) {
      const r = lookahead(model, table, { width, closesOnly: true });
      // This table's greedy schedule closes cores, so there is something to branch.
      expect(r.completions).toBeGreaterThan(1);
      expect(r.completions).toBeLessThanOrEqual(1 + (width - 1) * (table.numCores - 1));
      expect(r.makespan).toBeLessThanOrEqual(r.greedy);
      expect(evaluate(table, r.encoding).makespan).toBe(r.makespan);
    }
    expect(() => lookahead(model, table, { width: 1 })).toThrow(RangeError);
  });
});
