// The certified bound: hand-computed cases, validity against the evaluator, and tightness
// against the plain relaxation and the simple bound.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readMagmaGroup } from '../../models/magma-groups.js';
import { analyzeJobs } from '../../src/analyzer/analyze.js';
import { certifiedBound, solveBound } from '../../src/bound/certified.js';
import { progressClockValue } from '../../src/bound/progress-clock.js';
import { lowerBound } from '../../src/core/bounds.js';
import { Evaluator } from '../../src/core/evaluator.js';
import { Rng } from '../../src/core/rng.js';
import { synthTable } from '../../src/core/synth.js';
import { type JobTable, makeTable, selectJobs } from '../../src/core/table.js';
import { presetPlatform } from '../../src/platform/presets.js';
import { balanceTable, contentionTable } from '../helpers/tables.js';

/** Relative distance a certified bound may sit below the exact optimum (its margin). */
function expectNear(bound: number, exact: number, precision: number): void {
  expect(bound).toBeLessThanOrEqual(exact);
  expect(bound).toBeGreaterThanOrEqual(exact * (1 - precision));
}

describe('certified bound: hand-computed cases', () => {
  it('balances a heterogeneous table without contention (optimum 5, simple bound 4.5)', () => {
    // Job 0 is fast on core 0, job 2 on core 1; job 1 takes 2 anywhere. Best: {0}, {1, 2}
    // with loads 4 and 5.
    const table = balanceTable();
    const r = certifiedBound(table, { timeLimit: 5 });
    expect(r.simpleBound).toBe(4.5);
    expectNear(r.bound, 5, r.precision);
    expect(r.status).toBe('optimal');
    expect(Array.from(r.assignment)).toEqual([0, 1, 1]);
    expect(r.makespan).toBe(5);
    expect(r.optimal).toBe(true);
  });

  it('adds a memory-bound job to the other core (plain 15, strengthened 18, optimum 19)', () => {
    // B = 1. Job 0: L 10, W 0.5 (compute-bound); job 1: L 2, W 5 (memory-bound: 10 cycles of
    // bytes, 8 beyond its latency). Apart: both run at f = 1 / 5.5 until job 1 ends at 11,
    // job 0 (2 of 10 done) finishes alone at 19. Together on one core: 10 + 10 = 20.
    // Plain relaxation: apart, loads 10 and 10, bytes 5 + 10 = 15. Progress clock on job 0's
    // core: 10 + 8 = 18.
    const table = contentionTable();
    const plain = certifiedBound(table, { timeLimit: 5, strengthen: false });
    const strong = certifiedBound(table, { timeLimit: 5 });
    expectNear(plain.bound, 15, plain.precision);
    expectNear(strong.bound, 18, strong.precision);
    expect(strong.makespan).toBeCloseTo(19, 9);
    expect(strong.optimal).toBe(false);
    expect(progressClockValue(table, [0, 1])).toBe(18);
  });

  it('rejects bad options with the field and the value', () => {
    const table = synthTable({ jobs: 4, cores: 2, bwRatio: 1, seed: 1 });
    expect(() => solveBound(table, { timeLimit: 0 })).toThrow(/timeLimit .* got 0/);
    expect(() => solveBound(table, { mipRelGap: -1 })).toThrow(/mipRelGap .* got -1/);
  });
});

/** The smallest makespan over `n` random mappings and every heuristic-like order. */
function randomMappingsMin(table: JobTable, n: number, seed: number): number {
  const ev = new Evaluator(table);
  const rng = new Rng(seed);
  const core = new Int32Array(table.numJobs);
  const prio = new Float64Array(table.numJobs);
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < table.numJobs; j++) {
      core[j] = rng.int(table.numCores);
      prio[j] = rng.float();
    }
    min = Math.min(min, ev.makespan(core, prio));
  }
  return min;
}

describe('certified bound: validity and tightness on random tables', () => {
  it('is below every random mapping, above the simple bound, and the progress clock only tightens it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(0.1, 0.5, 1, 4),
        fc.constantFrom(0, 0.5, 2),
        fc.integer({ min: 0, max: 1_000_000 }),
        (jobs, cores, bwRatio, heterogeneity, seed) => {
          const table = synthTable({ jobs, cores, bwRatio, heterogeneity, seed });
          const strong = certifiedBound(table, { timeLimit: 5 });
          const plain = solveBound(table, { timeLimit: 5, strengthen: false });
          expect(strong.bound).toBeGreaterThanOrEqual(lowerBound(table) * (1 - 1e-12));
          expect(strong.bound).toBeGreaterThanOrEqual(plain.bound * (1 - strong.precision));
          expect(strong.bound).toBeLessThanOrEqual(strong.makespan);
          expect(strong.bound).toBeLessThanOrEqual(randomMappingsMin(table, 200, seed));
        },
      ),
      { numRuns: 40, seed: 14 },
    );
  });
});

describe('certified bound: real tables', () => {
  // 24 jobs of the authors' Recommendation and Mix groups on S2 and S5 at 1 B/cycle (where the
  // progress clock binds) and at 16 B/cycle.
  const cases = [
    ['recom', 'S2', 1],
    ['recom', 'S5', 1],
    ['mix', 'S2', 16],
    ['lang', 'S5', 1],
  ] as const;
  it.each(cases)(
    '%s on %s at %d B/cycle: below random mappings, tighter than the plain relaxation',
    (task, platform, bw) => {
      const full = analyzeJobs(readMagmaGroup(`magma:${task}/0`), presetPlatform(platform), {
        systemBandwidth: bw,
        flexible: false,
        maestroCompat: false,
      });
      const table = selectJobs(
        full,
        Array.from({ length: 24 }, (_, k) => (k * 37) % 100),
      );
      const strong = certifiedBound(table, { timeLimit: 10 });
      const plain = solveBound(table, { timeLimit: 10, strengthen: false });
      expect(strong.bound).toBeLessThanOrEqual(strong.makespan);
      expect(strong.bound).toBeLessThanOrEqual(randomMappingsMin(table, 300, 1));
      expect(strong.bound).toBeGreaterThanOrEqual(plain.bound * (1 - strong.precision));
    },
  );
});

describe('progress-clock rows', () => {
  it('never exceed the makespan of a random mapping, zero-bandwidth jobs included', () => {
    const cell = fc.record({
      L: fc.integer({ min: 1, max: 1000 }),
      W: fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 10, noNaN: true })),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0.5, max: 20, noNaN: true }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(cell, { minLength: 32, maxLength: 32 }),
        (J, C, B, seed, cells) => {
          const pick = (j: number, c: number) => cells[(j * C + c) % cells.length]!;
          const table = makeTable({
            systemBandwidth: B,
            latency: Array.from({ length: J }, (_, j) => Array.from({ length: C }, (_, c) => pick(j, c).L)),
            bandwidth: Array.from({ length: J }, (_, j) => Array.from({ length: C }, (_, c) => pick(j, c).W)),
          });
          const ev = new Evaluator(table);
          const rng = new Rng(seed);
          const core = new Int32Array(J);
          const prio = new Float64Array(J);
          for (let i = 0; i < 20; i++) {
            for (let j = 0; j < J; j++) {
              core[j] = rng.int(C);
              prio[j] = rng.float();
            }
            expect(progressClockValue(table, core)).toBeLessThanOrEqual(
              ev.makespan(core, prio) * (1 + 1e-12),
            );
          }
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });
});

describe('assignment local search', () => {
  it('terminates where a move and its reverse once both looked like improvements (rounding)', () => {
    // The plain relaxation of the authors' Recommendation group 1 on S2 at 1 B/cycle: the
    // incremental row sums drifted by ulps and the descent cycled forever.
    const table = analyzeJobs(readMagmaGroup('magma:recom/1'), presetPlatform('S2'), {
      systemBandwidth: 1,
      flexible: false,
      maestroCompat: false,
    });
    const r = solveBound(table, { timeLimit: 10, strengthen: false });
    expect(r.bound).toBeGreaterThan(r.simpleBound);
  });
});
