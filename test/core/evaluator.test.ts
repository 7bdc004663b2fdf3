import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lowerBound } from '../../src/core/bounds.js';
import { InputError } from '../../src/core/errors.js';
import { Evaluator, evaluate } from '../../src/core/evaluator.js';
import { Rng } from '../../src/core/rng.js';
import { synthTable } from '../../src/core/synth.js';
import { makeTable, selectJobs, withSystemBandwidth } from '../../src/core/table.js';
import { randomizeEncoding } from '../../src/optim/optimizer.js';

const enc = (core: number[], priority: number[]) => ({
  core: Int32Array.from(core),
  priority: Float64Array.from(priority),
});

describe('evaluator: hand-computed cases', () => {
  it('shares bandwidth in proportion to demand, finishes ties core 0 first, runs W=0 jobs at no-stall speed', () => {
    // B = 2; j0 (c0) and j1 (c1) each want W = 2 for L = 10: D = 4 > 2, both at half speed,
    // both end at t = 20 (core 0 first, then a zero-length step). j2 (c0, W = 0) then runs
    // 5 cycles alone, wasting the whole bandwidth: wasted = 2 x 5 = 10.
    const table = makeTable({
      systemBandwidth: 2,
      latency: [
        [10, 10],
        [10, 10],
        [5, 5],
      ],
      bandwidth: [
        [2, 2],
        [2, 2],
        [0, 0],
      ],
    });
    const r = evaluate(table, enc([0, 1, 0], [0.1, 0.1, 0.2]), { timeline: true });
    expect(r.makespan).toBe(25);
    expect(Array.from(r.coreFinish)).toEqual([25, 20]);
    expect(Array.from(r.jobStart)).toEqual([0, 0, 20]);
    expect(Array.from(r.jobFinish)).toEqual([20, 20, 25]);
    expect(r.bandwidthUtilization).toBeCloseTo(1 - 10 / (2 * 25), 12);
    expect(r.coreUtilization).toBeCloseTo(45 / 50, 12);
    expect(r.timeline!.map((s) => [s.start, s.duration, Array.from(s.job)])).toEqual([
      [0, 20, [0, 1]],
      [20, 0, [2, 1]],
      [20, 5, [2, -1]],
    ]);
    expect(Array.from(r.timeline![0]!.allocated)).toEqual([1, 1]);
  });

  it('runs each core by ascending priority and scales only when demand exceeds B', () => {
    // B = 3. Core 0 runs j1 (prio 0.1) then j0 (0.5); core 1 runs j2. [0, 4): D = 1 + 2 = 3 = B,
    // full speed, j1 ends at 4. [4, 12): D = 2 + 2 = 4 > 3, speed 3/4: j0 (6 cycles of work)
    // and j2 (6 left) both end at 4 + 8 = 12.
    const table = makeTable({
      systemBandwidth: 3,
      latency: [
        [6, 6],
        [4, 4],
        [10, 10],
      ],
      bandwidth: [
        [2, 2],
        [1, 1],
        [2, 2],
      ],
    });
    const r = evaluate(table, enc([0, 0, 1], [0.5, 0.1, 0]));
    expect(r.makespan).toBeCloseTo(12, 12);
    expect(r.jobStart[0]).toBe(4);
    expect(r.jobFinish[1]).toBe(4);
    expect(r.bandwidthUtilization).toBeCloseTo(1, 12);
    expect(r.coreUtilization).toBeCloseTo(1, 12);
  });

  it('breaks priority ties by job index', () => {
    const table = makeTable({ systemBandwidth: 10, latency: [[3], [5], [7]], bandwidth: [[1], [1], [1]] });
    const r = evaluate(table, enc([0, 0, 0], [0.5, 0.5, 0.2]));
    expect(Array.from(r.jobStart)).toEqual([7, 10, 0]);
  });

  it('agrees between makespan() and evaluate(), on long queues too (merge-sort path)', () => {
    const table = synthTable({ jobs: 300, cores: 3, bwRatio: 0.7, seed: 4 });
    const ev = new Evaluator(table);
    const rng = new Rng(2);
    const e = { core: new Int32Array(300), priority: new Float64Array(300) };
    for (let k = 0; k < 20; k++) {
      randomizeEncoding(e, 3, rng);
      // Clustered priorities put many jobs in one bucket.
      if (k % 2) for (let j = 0; j < 300; j++) e.priority[j] = e.priority[j]! * 1e-3;
      const r = ev.evaluate(e);
      expect(ev.makespan(e.core, e.priority)).toBe(r.makespan);
      // Every queue runs in ascending priority.
      const q = ev.queues(e);
      for (const jobs of q)
        for (let i = 1; i < jobs.length; i++)
          expect(e.priority[jobs[i]!]).toBeGreaterThanOrEqual(e.priority[jobs[i - 1]!]!);
    }
  });
});

describe('evaluator: input validation', () => {
  const table = synthTable({ jobs: 4, cores: 2, bwRatio: 1, seed: 1 });
  it.each([
    [{ core: [0, 1, 2, 0], priority: [0, 0, 0, 0] }, /mapping.core\[2\] \(job 2\).*got 2/],
    [
      { core: [0, 1, 1, 0], priority: [0, 1, 0, 0] },
      /mapping.priority\[1\] \(job 1\) must be in \[0, 1\), got 1/,
    ],
    [{ core: [0, 1, 1, 0], priority: [0, Number.NaN, 0, 0] }, /priority\[1\].*NaN/],
    [{ core: [0, 1, 1], priority: [0, 0, 0] }, /mapping.core has 3 entries, expected 4/],
    [{ core: [0, 0.5, 1, 0], priority: [0, 0, 0, 0] }, /mapping.core\[1\].*0.5/],
  ])('rejects %j', (bad, msg) => {
    expect(() =>
      evaluate(table, {
        core: bad.core as unknown as Int32Array,
        priority: bad.priority as unknown as Float64Array,
      }),
    ).toThrow(msg);
  });
});

describe('evaluator: properties', () => {
  const tableArb = fc.record({
    jobs: fc.integer({ min: 1, max: 40 }),
    cores: fc.integer({ min: 1, max: 8 }),
    bwRatio: fc.double({ min: 0.05, max: 8, noNaN: true }),
    seed: fc.integer({ min: 0, max: 1e6 }),
    encSeed: fc.integer({ min: 0, max: 1e6 }),
  });

  it('makespan >= lower bound; utilisations in [0, 1]; timeline adds up', () => {
    fc.assert(
      fc.property(tableArb, ({ jobs, cores, bwRatio, seed, encSeed }) => {
        const table = synthTable({ jobs, cores, bwRatio, seed });
        const e = { core: new Int32Array(jobs), priority: new Float64Array(jobs) };
        randomizeEncoding(e, cores, new Rng(encSeed));
        const r = evaluate(table, e, { timeline: true });
        const lb = lowerBound(table);
        expect(r.makespan).toBeGreaterThanOrEqual(lb * (1 - 1e-12));
        expect(r.bandwidthUtilization).toBeGreaterThanOrEqual(-1e-12);
        expect(r.bandwidthUtilization).toBeLessThanOrEqual(1 + 1e-12);
        expect(r.coreUtilization).toBeLessThanOrEqual(1 + 1e-12);
        const total = r.timeline!.reduce((s, seg) => s + seg.duration, 0);
        expect(total).toBeCloseTo(r.makespan, 6);
        for (const seg of r.timeline!) {
          const used = seg.allocated.reduce((s, a) => s + a, 0);
          expect(used).toBeLessThanOrEqual(table.systemBandwidth * (1 + 1e-9));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('with plentiful bandwidth the makespan is the largest per-core latency sum', () => {
    fc.assert(
      fc.property(tableArb, ({ jobs, cores, seed, encSeed }) => {
        const t0 = synthTable({ jobs, cores, bwRatio: 1, seed });
        let demand = 0;
        for (const w of t0.bandwidth) demand += w;
        const table = withSystemBandwidth(t0, demand * 2);
        const e = { core: new Int32Array(jobs), priority: new Float64Array(jobs) };
        randomizeEncoding(e, cores, new Rng(encSeed));
        const sums = new Float64Array(cores);
        for (let j = 0; j < jobs; j++) sums[e.core[j]!]! += table.latency[j * cores + e.core[j]!]!;
        expect(evaluate(table, e).makespan).toBeCloseTo(Math.max(...sums), 6);
      }),
      { numRuns: 100 },
    );
  });

  it('permuting job rows and the mapping together leaves the makespan unchanged', () => {
    fc.assert(
      fc.property(tableArb, ({ jobs, cores, bwRatio, seed, encSeed }) => {
        const table = synthTable({ jobs, cores, bwRatio, seed });
        const rng = new Rng(encSeed);
        const e = { core: new Int32Array(jobs), priority: new Float64Array(jobs) };
        randomizeEncoding(e, cores, rng);
        const perm = rng.shuffle(Array.from({ length: jobs }, (_, j) => j));
        const pe = {
          core: Int32Array.from(perm, (j) => e.core[j]!),
          priority: Float64Array.from(perm, (j) => e.priority[j]!),
        };
        const a = evaluate(table, e).makespan;
        const b = evaluate(selectJobs(table, perm), pe).makespan;
        expect(b).toBeCloseTo(a, 6);
      }),
      { numRuns: 100 },
    );
  });
});

describe('job table validation', () => {
  const ok = { systemBandwidth: 4, latency: [[1, 2]], bandwidth: [[1, 1]] };
  it.each([
    [
      { ...ok, latency: [[1, Number.NaN]] },
      /latency\[0\]\[1\] \(job 0, core 1\) must be a finite number, got NaN/,
    ],
    [{ ...ok, latency: [[1, Number.POSITIVE_INFINITY]] }, /latency\[0\]\[1\].*Infinity/],
    [{ ...ok, latency: [[1, -3]] }, /latency\[0\]\[1\].*> 0 cycles, got -3/],
    [{ ...ok, bandwidth: [[1, -1]] }, /bandwidth\[0\]\[1\].*>= 0 bytes\/cycle, got -1/],
    [{ ...ok, bandwidth: [[1]] }, /bandwidth\[0\] has 1 entries, expected 2/],
    [
      {
        ...ok,
        bandwidth: [
          [1, 1],
          [1, 1],
        ],
      },
      /bandwidth has 2 rows, expected 1/,
    ],
    [{ ...ok, systemBandwidth: 0 }, /systemBandwidth must be a finite number > 0/],
    [{ ...ok, cores: [{ name: 'a' }] }, /cores lists 1 cores, but the matrices have 2 columns/],
  ])('rejects %j', (bad, msg) => {
    expect(() => makeTable(bad)).toThrow(InputError);
    expect(() => makeTable(bad)).toThrow(msg);
  });
});
