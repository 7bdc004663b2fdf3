// The evaluator against a plain remaining-work simulation of its documented semantics (a test-only
// oracle, written for clarity, not speed), including extreme tables where long and short
// jobs meet under heavy contention.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/core/evaluator.js';
import { makeTable } from '../../src/core/table.js';

function oracle(L: number[][], W: number[][], B: number, core: number[], prio: number[]): number {
  const C = L[0]!.length;
  const queues = Array.from({ length: C }, () => [] as number[]);
  const jobs = core.map((_c, j) => j).sort((a, b) => prio[a]! - prio[b]! || a - b);
  for (const j of jobs) queues[core[j]!]!.push(j);
  const run = queues.map((q) => (q.length ? q.shift()! : -1));
  const rem = run.map((j, c) => (j >= 0 ? L[j]![c]! : 0));
  let t = 0;
  for (let done = 0; done < core.length; done++) {
    let D = 0;
    for (let c = 0; c < C; c++) if (run[c]! >= 0) D += W[run[c]!]![c]!;
    const f = D > B ? B / D : 1;
    const rate = (c: number) => (W[run[c]!]![c]! > 0 ? f : 1);
    let first = -1;
    let dt = Number.POSITIVE_INFINITY;
    for (let c = 0; c < C; c++)
      if (run[c]! >= 0 && rem[c]! / rate(c) < dt) [dt, first] = [rem[c]! / rate(c), c];
    for (let c = 0; c < C; c++) if (run[c]! >= 0) rem[c] = Math.max(0, rem[c]! - dt * rate(c));
    t += dt;
    run[first] = queues[first]!.length ? queues[first]!.shift()! : -1;
    rem[first] = run[first]! >= 0 ? L[run[first]!]![first]! : 0;
  }
  return t;
}

describe('evaluator vs a remaining-work oracle', () => {
  it('agrees to 1e-9 on random tables spanning 12 orders of magnitude', () => {
    const cell = fc.record({
      l: fc.double({ min: 0, max: 12, noNaN: true }),
      w: fc.double({ min: -3, max: 9, noNaN: true }),
      zero: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((C) =>
          fc.record({
            C: fc.constant(C),
            rows: fc.array(fc.array(cell, { minLength: C, maxLength: C }), { minLength: 1, maxLength: 12 }),
            logB: fc.double({ min: -3, max: 6, noNaN: true }),
            genes: fc.array(fc.record({ c: fc.nat(), p: fc.double({ min: 0, max: 0.999, noNaN: true }) }), {
              minLength: 12,
              maxLength: 12,
            }),
          }),
        ),
        ({ C, rows, logB, genes }) => {
          const L = rows.map((r) => r.map((x) => Math.round(10 ** x.l)));
          const W = rows.map((r) => r.map((x) => (x.zero ? 0 : 10 ** x.w)));
          const B = 10 ** logB;
          const core = rows.map((_, j) => genes[j]!.c % C);
          const prio = rows.map((_, j) => genes[j]!.p);
          const got = evaluate(makeTable({ latency: L, bandwidth: W, systemBandwidth: B }), {
            core: Int32Array.from(core),
            priority: Float64Array.from(prio),
          }).makespan;
          const want = oracle(L, W, B, core, prio);
          expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * want);
        },
      ),
      { numRuns: 400 },
    );
  });
});
