// The relaxation-guided heuristic: a hand-computed bandwidth-bound case the paper's
// heuristics get wrong, and its descent checked against the relaxation's generic rows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignmentRows, greedyAssignment, rowsValue } from '../../src/bound/assignment-search.js';
import { progressClockRows } from '../../src/bound/progress-clock.js';
import { lowerBound } from '../../src/core/bounds.js';
import { Evaluator } from '../../src/core/evaluator.js';
import { synthTable } from '../../src/core/synth.js';
import { makeTable } from '../../src/core/table.js';
import { heuristicSpecs } from '../../src/optim/heuristics/index.js';
import { relaxAssignment, relaxMapping } from '../../src/optim/heuristics/relax.js';

describe('relaxation-guided mapper', () => {
  it('sends bandwidth-bound jobs to the frugal core, where latency-based heuristics do not', () => {
    // B = 1. Each job: core 0 L 10, W 4 (40 bytes, 40 cycles alone); core 1 L 20, W 1
    // (20 bytes, 20 cycles). d = (40, 20), q = (40, 20), excess e = (30, 0).
    // Greedy start (ties to the lower core): job 0 -> core 1 (20 < 40), job 1 -> core 0
    // (40 = 40): rows D (40, 20), Q 60, clocks (40, 20 + 30): value 60. Moving job 1 to
    // core 1: D (0, 40), Q 40, clocks (0, 40): value 40, and no move lowers it again.
    // Core 1 then runs both without stalls: 40, the simple bound (40 bytes at 1 B/cycle).
    const t = makeTable({
      systemBandwidth: 1,
      latency: [
        [10, 20],
        [10, 20],
      ],
      bandwidth: [
        [4, 1],
        [4, 1],
      ],
    });
    expect(Array.from(greedyAssignment(t))).toEqual([1, 0]);
    expect(Array.from(relaxAssignment(t))).toEqual([1, 1]);
    const ev = new Evaluator(t);
    expect(ev.queues(relaxMapping(t))).toEqual([[], [0, 1]]);
    expect(ev.evaluate(relaxMapping(t)).makespan).toBe(40);
    expect(lowerBound(t)).toBe(40);
    // Every other heuristic puts a job on the fast core and stalls there: 60 or 80.
    for (const h of heuristicSpecs.filter((s) => s.name !== 'relax'))
      expect(ev.evaluate(h.map(t)).makespan, h.name).toBeGreaterThanOrEqual(60);
  });

  it('ends where no single move lowers the relaxation value, no worse than its start', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(0.1, 0.5, 1, 4),
        fc.integer({ min: 0, max: 1_000_000 }),
        (jobs, cores, bwRatio, seed) => {
          const t = synthTable({ jobs, cores, bwRatio, seed });
          const rows = assignmentRows(t, progressClockRows(t));
          const core = relaxAssignment(t);
          const value = rowsValue(rows, core);
          expect(value).toBeLessThanOrEqual(rowsValue(rows, greedyAssignment(t)) * (1 + 1e-12));
          for (let j = 0; j < jobs; j++)
            for (let c = 0; c < cores; c++) {
              const moved = Int32Array.from(core);
              moved[j] = c;
              expect(rowsValue(rows, moved)).toBeGreaterThanOrEqual(value * (1 - 1e-9));
            }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is a function of the table alone, and a valid mapping of every job', () => {
    const t = synthTable({ jobs: 40, cores: 4, bwRatio: 0.25, seed: 3 });
    const a = relaxMapping(t);
    const b = relaxMapping(t);
    expect(Array.from(a.core)).toEqual(Array.from(b.core));
    expect(Array.from(a.priority)).toEqual(Array.from(b.priority));
    expect(
      new Evaluator(t)
        .queues(a)
        .flat()
        .sort((x, y) => x - y),
    ).toEqual(Array.from({ length: 40 }, (_, j) => j));
  });
});
