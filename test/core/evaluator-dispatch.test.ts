// The dispatching simulation (the evaluator driven one decision at a time) against the batch
// evaluation of the mapping it produced: every field bit-identical, on random tables built to
// hit ties, zero bandwidths and scarce or plentiful bandwidth; and every encoding replayed
// by dispatching gives its batch result.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Encoding } from '../../src/core/encoding.js';
import { InputError } from '../../src/core/errors.js';
import { type EvaluationResult, Evaluator, evaluate } from '../../src/core/evaluator.js';
import { Rng } from '../../src/core/rng.js';
import { type JobTable, makeTable } from '../../src/core/table.js';

function randomTable(J: number, C: number, rng: Rng, style: number, bwFactor: number): JobTable {
  const latency: number[][] = [];
  const bandwidth: number[][] = [];
  let sumW = 0;
  for (let j = 0; j < J; j++) {
    latency.push([]);
    bandwidth.push([]);
    for (let c = 0; c < C; c++) {
      // Style 0: tiny integers (simultaneous ends, zero-length steps); 1: log-normal.
      latency[j]!.push(style === 0 ? 1 + rng.int(3) : Math.max(1, 1e4 * Math.exp(rng.normal())));
      const w = rng.float() < 0.15 ? 0 : style === 0 ? 1 + rng.int(3) : Math.exp(rng.normal());
      bandwidth[j]!.push(w);
      sumW += w;
    }
  }
  const B = Math.max(1, Math.round((sumW / (J * C)) * C * bwFactor || 1));
  return makeTable({ systemBandwidth: B, latency, bandwidth });
}

function expectSame(got: EvaluationResult, want: EvaluationResult): void {
  expect(Object.is(got.makespan, want.makespan), `makespan ${got.makespan} vs ${want.makespan}`).toBe(true);
  expect(Object.is(got.bandwidthUtilization, want.bandwidthUtilization)).toBe(true);
  expect(Object.is(got.coreUtilization, want.coreUtilization)).toBe(true);
  for (const k of ['coreFinish', 'jobStart', 'jobFinish'] as const)
    expect(Array.from(got[k]), k).toEqual(Array.from(want[k]));
}

/** Random decisions: a pending job for the waiting core, or (sometimes) closing it. */
function dispatchRandomly(ev: Evaluator, J: number, C: number, rng: Rng, closeRate: number): number {
  let c = ev.beginDispatch();
  let steps = 0;
  let open = C;
  while (c >= 0) {
    expect(ev.waitingCore).toBe(c);
    expect(ev.isOpen(c)).toBe(true);
    steps++;
    if (open > 1 && rng.float() < closeRate) {
      open--;
      c = ev.dispatch(-1);
      continue;
    }
    const pending: number[] = [];
    for (let j = 0; j < J; j++) if (!ev.isDispatched(j)) pending.push(j);
    c = ev.dispatch(pending[rng.int(pending.length)]!);
  }
  expect(ev.dispatchedCount).toBe(J);
  return steps;
}

describe('dispatching simulation', () => {
  it('gives the batch result of its own mapping, bit for bit (random tables and decisions)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom(0, 1),
        fc.constantFrom(0.05, 0.5, 1, 4, 1e6),
        fc.constantFrom(0, 0.05, 0.3),
        (J, C, seed, style, bwFactor, closeRate) => {
          const rng = new Rng(seed);
          const table = randomTable(J, C, rng, style, bwFactor);
          const ev = new Evaluator(table);
          // Twice on the same evaluator: its buffers are reused.
          for (let rep = 0; rep < 2; rep++) {
            const steps = dispatchRandomly(ev, J, C, rng, closeRate);
            expect(steps).toBeGreaterThanOrEqual(J);
            expect(steps).toBeLessThanOrEqual(J + C - 1);
            const enc = ev.dispatchEncoding();
            const got = ev.dispatchResult();
            expect(got.makespan).toBe(ev.time);
            expectSame(got, evaluate(table, enc));
          }
        },
      ),
      { numRuns: 400, seed: 424242 },
    );
  });

  it('replays any encoding: dispatching its queues in turn gives its batch evaluation', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.constantFrom(0, 1),
        fc.constantFrom(0.05, 1, 1e6),
        (J, C, seed, style, bwFactor) => {
          const rng = new Rng(seed);
          const table = randomTable(J, C, rng, style, bwFactor);
          const enc: Encoding = {
            core: Int32Array.from({ length: J }, () => rng.int(C)),
            priority: Float64Array.from({ length: J }, () => rng.float()),
          };
          const ev = new Evaluator(table);
          const queues = ev.queues(enc);
          const pos = new Array<number>(C).fill(0);
          for (let c = ev.beginDispatch(); c >= 0; ) {
            const q = queues[c]!;
            c = ev.dispatch(pos[c]! < q.length ? q[pos[c]!++]! : -1);
          }
          expectSame(ev.dispatchResult(), evaluate(table, enc));
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it('shows the running jobs, the work they have left and their demand at each decision (hand-computed)', () => {
    // B = 2. j0 (W 2, L 10) on c0 and j1 (W 2, L 4) on c1: D = 4 > 2, half speed. j1 ends at
    // t = 8; then c0 has done 4 of its 10 cycles of work.
    const table = makeTable({
      systemBandwidth: 2,
      latency: [
        [10, 10],
        [4, 4],
        [3, 3],
      ],
      bandwidth: [
        [2, 2],
        [2, 2],
        [1, 1],
      ],
    });
    const ev = new Evaluator(table);
    expect(ev.beginDispatch()).toBe(0);
    expect(ev.dispatch(0)).toBe(1);
    expect(ev.time).toBe(0);
    expect(ev.dispatch(1)).toBe(1);
    expect(ev.time).toBe(8);
    const job = new Int32Array(2);
    const rem = new Float64Array(2);
    const dem = new Float64Array(2);
    ev.readCores(job, rem, dem);
    expect(Array.from(job)).toEqual([0, -1]);
    expect(Array.from(rem)).toEqual([6, 0]);
    expect(Array.from(dem)).toEqual([2, 0]);
    // j2 (W 1) joins: D = 3 > 2, speed 2/3; j2 (3 cycles) ends at 8 + 4.5, c0 has 6 - 3 = 3 left.
    expect(ev.dispatch(2)).toBe(-1);
    const r = ev.dispatchResult();
    expect(r.jobFinish[2]).toBe(12.5);
    expect(r.makespan).toBe(12.5 + 3);
    expect(Array.from(ev.dispatchEncoding().core)).toEqual([0, 1, 1]);
  });

  it('refuses closing the last open core, a job given twice, and dispatching when no core waits', () => {
    const table = makeTable({
      systemBandwidth: 1,
      latency: [
        [1, 2],
        [1, 2],
      ],
      bandwidth: [
        [1, 1],
        [1, 1],
      ],
    });
    const ev = new Evaluator(table);
    expect(() => ev.dispatch(0)).toThrow(/no core is waiting/);
    ev.beginDispatch();
    expect(ev.dispatch(-1)).toBe(1);
    expect(() => ev.dispatch(-1)).toThrow(/last open core and 2 job\(s\) wait/);
    ev.dispatch(1);
    expect(() => ev.dispatch(1)).toThrow(/job 1 was already dispatched/);
    expect(() => ev.dispatch(2)).toThrow(InputError);
    expect(() => ev.dispatchResult()).toThrow(/no dispatching simulation has ended/);
    expect(ev.dispatch(0)).toBe(-1);
    expect(ev.dispatchResult().makespan).toBe(4); // core 1 alone: 2 + 2
    // A batch evaluation ends the dispatching simulation (it reuses the buffers).
    ev.makespan(Int32Array.from([0, 0]), Float64Array.from([0, 0.5]));
    expect(() => ev.dispatchResult()).toThrow(/no dispatching simulation has ended/);
  });
});
