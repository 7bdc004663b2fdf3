// The certified bound is never above a mapping that any registered mapper evaluates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readMagmaGroup } from '../../models/magma-groups.js';
import { analyzeJobs } from '../../src/analyzer/analyze.js';
import { solveBound } from '../../src/bound/certified.js';
import { synthTable } from '../../src/core/synth.js';
import { type JobTable, selectJobs } from '../../src/core/table.js';
import { createOptimizer, listOptimizers } from '../../src/optim/registry.js';
import { makespanObjective, type Objective, runSearch } from '../../src/optim/search.js';
import { presetPlatform } from '../../src/platform/presets.js';

const BUDGET = 150;

/** The smallest makespan of any mapping any registered mapper evaluates within BUDGET. */
function smallestEvaluated(table: JobTable, seed: number): number {
  const inner = makespanObjective(table);
  let min = Number.POSITIVE_INFINITY;
  const objective: Objective = {
    numJobs: table.numJobs,
    numCores: table.numCores,
    cost: (core, priority) => {
      const c = inner.cost(core, priority);
      if (c < min) min = c;
      return c;
    },
  };
  for (const spec of listOptimizers()) {
    const params = spec.name === 'milp' ? { timeLimit: 5 } : {};
    runSearch(objective, createOptimizer(spec.name, table, seed, params), { budget: BUDGET });
  }
  return min;
}

describe('certified bound against every mapper', () => {
  it('holds on random synthetic tables', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(0.2, 1, 4),
        fc.integer({ min: 0, max: 100_000 }),
        (jobs, cores, bwRatio, seed) => {
          const table = synthTable({ jobs, cores, bwRatio, seed });
          const { bound } = solveBound(table, { timeLimit: 5 });
          expect(bound).toBeLessThanOrEqual(smallestEvaluated(table, seed));
        },
      ),
      { numRuns: 8, seed: 7 },
    );
  });

  it.each([
    ['recom', 'S2', 1],
    ['conv', 'S5', 16],
  ] as const)('holds on 16 jobs of the authors %s group on %s at %d B/cycle', (task, platform, bw) => {
    const full = analyzeJobs(readMagmaGroup(`magma:${task}/1`), presetPlatform(platform), {
      systemBandwidth: bw,
      flexible: false,
      maestroCompat: false,
    });
    const table = selectJobs(
      full,
      Array.from({ length: 16 }, (_, k) => (k * 13) % 100),
    );
    const { bound } = solveBound(table, { timeLimit: 5 });
    expect(bound).toBeLessThanOrEqual(smallestEvaluated(table, 1));
  });
});
