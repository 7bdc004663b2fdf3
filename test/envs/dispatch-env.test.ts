import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../envs/checker.js';
import { DispatchEnv, type DispatchInfo } from '../../envs/m3e/dispatch-env.js';
import { fixedTable, type ProblemSource } from '../../envs/m3e/problem-source.js';
import { SequentialEnv } from '../../envs/m3e/sequential-env.js';
import { squash } from '../../envs/m3e/table-context.js';
import { make } from '../../envs/registry.js';
import { lowerBound } from '../../src/core/bounds.js';
import { InputError } from '../../src/core/errors.js';
import { Evaluator, evaluate } from '../../src/core/evaluator.js';
import { Rng } from '../../src/core/rng.js';
import { synthTable } from '../../src/core/synth.js';
import { type JobTable, makeTable } from '../../src/core/table.js';
import { SMALL_TABLE } from './fixtures.js';

const LB = 19;
const f32 = (xs: number[]) => Array.from(Float32Array.from(xs));

/** A random table with ties (small integer latencies) and zero bandwidths when `rough`. */
function randomTable(J: number, C: number, rng: Rng, rough: boolean, bwFactor: number): JobTable {
  const latency: number[][] = [];
  const bandwidth: number[][] = [];
  let sumW = 0;
  for (let j = 0; j < J; j++) {
    latency.push(Array.from({ length: C }, () => (rough ? 1 + rng.int(3) : 100 * Math.exp(rng.normal()))));
    bandwidth.push(
      Array.from({ length: C }, () => {
        const w = rough && rng.float() < 0.2 ? 0 : rough ? 1 + rng.int(3) : Math.exp(rng.normal());
        sumW += w;
        return w;
      }),
    );
  }
  return makeTable({ systemBandwidth: Math.max(0.5, (sumW / J) * bwFactor), latency, bandwidth });
}

/** Plays one episode with random allowed actions (closing a core with probability `closeRate`). */
function playRandom(env: DispatchEnv, rng: Rng, closeRate: number, table?: JobTable) {
  let { info } = env.reset({ seed: rng.int(1000), ...(table ? { options: { table } } : {}) });
  let ret = 0;
  let steps = 0;
  const close = env.capacity.maxJobs;
  for (;;) {
    const mask = info.actionMask;
    let a: number;
    if (mask[close] && rng.float() < closeRate) a = close;
    else {
      const allowed: number[] = [];
      for (let j = 0; j < close; j++) if (mask[j]) allowed.push(j);
      a = allowed[rng.int(allowed.length)]!;
    }
    const s = env.step(a);
    ret += s.reward;
    steps++;
    info = s.info;
    if (s.terminated) return { info: s.info, ret, steps };
  }
}

describe('m3e/Dispatch-v0 on a hand-computed case', () => {
  it('observes the schedule as it unfolds and pays the time between decisions', () => {
    // SMALL_TABLE: B = 10; j0 L [10, 20] W [4, 2]; j1 L [30, 15] W [20, 10]; j2 L [5, 5] W [0, 8].
    expect(lowerBound(SMALL_TABLE)).toBe(LB);
    const env = new DispatchEnv(fixedTable(SMALL_TABLE));
    expect(String(env.actionSpace)).toBe('Discrete(4)');
    const r = env.reset({ seed: 1 });
    expect(Array.from(r.observation.jobs)).toEqual(
      f32([
        squash(10 / LB),
        squash(20 / LB),
        squash(4 / 10),
        squash(2 / 10),
        squash(30 / LB),
        squash(15 / LB),
        squash(20 / 10),
        squash(10 / 10),
        squash(5 / LB),
        squash(5 / LB),
        0,
        squash(8 / 10),
      ]),
    );
    expect(Array.from(r.observation.size)).toEqual([3, 2]);
    expect(Array.from(r.observation.pending)).toEqual([1, 1, 1]);
    expect(Array.from(r.info.actionMask)).toEqual([1, 1, 1, 1]);
    expect(r.info.core).toBe(0);

    // j1 to core 0 (t = 0); core 1 decides next, still at t = 0.
    const s1 = env.step(1);
    expect(s1.reward).toBe(-0);
    expect(s1.info.core).toBe(1);
    // Core 0 runs j1 (30 cycles of work, W 20 > B: half speed, 60 cycles left).
    expect(Array.from(s1.observation.cores)).toEqual(
      f32([1, 1, 0, 1, squash(60 / LB), squash(20 / 10), squash(30 / LB), 1, 1, 1, 0, 0, 0, 0]),
    );
    const meanW = 44 / 6;
    expect(Array.from(s1.observation.global)).toEqual(
      f32([0, squash(600 / 10 / LB), squash(2), squash(10 / meanW), 1 / 3, 1]),
    );
    expect(Array.from(s1.observation.pending)).toEqual([1, 0, 1]);
    // j0 to core 1: D = 22 > 10, both at 10/22 of their speed; j0 (20 cycles) ends at t = 44.
    const s2 = env.step(0);
    expect(s2.info.core).toBe(1);
    expect(s2.info.time).toBe(44);
    expect(s2.reward).toBeCloseTo(-44 / LB, 12);
    // Core 1 closes; j1 (10 cycles left, half speed) ends at 64 and core 0 decides.
    expect(Array.from(s2.info.actionMask)).toEqual([0, 0, 1, 1]);
    const s3 = env.step(3);
    expect(s3.info.core).toBe(0);
    expect(s3.info.time).toBe(64);
    expect(Array.from(s3.info.actionMask)).toEqual([0, 0, 1, 0]);
    expect(() => env.step(3)).toThrow(/closes core 0, the last open core, while 1 job\(s\) wait/);
    // j2 (W = 0) runs 5 cycles: makespan 69.
    const s4 = env.step(2);
    expect(s4.terminated).toBe(true);
    expect(s4.info.makespan).toBe(69);
    expect(s4.reward).toBeCloseTo(-5 / LB, 12);
    expect(s1.reward + s2.reward + s3.reward + s4.reward).toBeCloseTo(-69 / LB, 12);
    expect(Array.from(s4.info.encoding!.core)).toEqual([1, 0, 0]);
    expect(s4.info.core).toBe(-1);
    expect(Array.from(s4.info.actionMask)).toEqual([0, 0, 0, 0]);
    expect(env.render()).toMatch(/done: makespan 69\.000000 cycles/);
  });

  it('refuses dispatched, padded and out-of-range jobs, leaving the state unchanged', () => {
    const env = new DispatchEnv(fixedTable(SMALL_TABLE), { maxJobs: 5, maxCores: 3 });
    const r = env.reset();
    expect(r.observation.jobs.length).toBe(5 * 2 * 3);
    // Padded rows and columns are zero; the real part sits in the first rows and columns.
    expect(r.observation.jobs[0 * 6 + 2]).toBe(0);
    expect(r.observation.jobs[0 * 6 + 3]).toBe(Math.fround(squash(4 / 10)));
    expect(Array.from(r.observation.pending)).toEqual([1, 1, 1, 0, 0]);
    expect(r.observation.cores[2 * 7]).toBe(0);
    expect(Array.from(r.info.actionMask)).toEqual([1, 1, 1, 0, 0, 1]);
    env.step(0);
    expect(() => env.step(0)).toThrow(/picks job 0, which is already dispatched/);
    expect(() => env.step(4)).toThrow(/not in this 3-job table/);
    expect(() => env.step(6)).toThrow(InputError);
    expect(env.step(1).info.core).toBe(0);
  });
});

describe('m3e/Dispatch-v0 and the evaluator', () => {
  it('info.makespan is exactly evaluate(table, info.encoding).makespan on many random tables', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.boolean(),
        fc.constantFrom(0.05, 0.5, 2, 1e6),
        fc.constantFrom(0, 0.1, 0.5),
        fc.constantFrom('dense', 'log', 'terminal'),
        (J, C, seed, rough, bw, closeRate, reward) => {
          const rng = new Rng(seed);
          const table = randomTable(J, C, rng, rough, bw);
          const env = new DispatchEnv(fixedTable(table), { reward: reward as 'dense' | 'log' | 'terminal' });
          const { info, ret, steps } = playRandom(env, rng, closeRate);
          const want = evaluate(table, info.encoding!);
          expect(Object.is(info.makespan, want.makespan)).toBe(true);
          expect(Object.is(info.bandwidthUtilization, want.bandwidthUtilization)).toBe(true);
          expect(Array.from(info.coreFinish!)).toEqual(Array.from(want.coreFinish));
          expect(info.ratio).toBe(want.makespan / lowerBound(table));
          expect(ret).toBeCloseTo(reward === 'log' ? -Math.log(info.ratio!) : -info.ratio!, 9);
          expect(steps).toBeGreaterThanOrEqual(J);
          expect(steps).toBeLessThanOrEqual(J + C - 1);
        },
      ),
      { numRuns: 250, seed: 99 },
    );
  });

  it('plays tables of any size up to maxJobs x maxCores (given at reset or drawn by a variable-size source)', () => {
    const rng = new Rng(3);
    const draw = (r: Rng) => randomTable(1 + r.int(30), 1 + r.int(6), r, false, 1);
    const source: ProblemSource = {
      numJobs: 30,
      numCores: 6,
      variableSize: true,
      describe: () => ({ kind: 'test' }),
      next: draw,
    };
    const env = make('m3e/Dispatch-v0', { source }) as unknown as DispatchEnv;
    expect(env.capacity).toEqual({ maxJobs: 30, maxCores: 6 });
    for (let e = 0; e < 30; e++) {
      const table = e % 2 ? undefined : draw(rng);
      const { info } = playRandom(env, rng, 0.2, table);
      const played = env.table!;
      if (table) expect(played).toBe(table);
      expect(info.makespan).toBe(new Evaluator(played).evaluate(info.encoding!).makespan);
    }
    expect(() =>
      env.reset({ options: { table: synthTable({ jobs: 31, cores: 2, bwRatio: 1, seed: 1 }) } }),
    ).toThrow(/31 jobs x 2 cores, more than the spaces' maxJobs 30 x maxCores 6/);
    expect(() => new SequentialEnv(source)).toThrow(/varying sizes/);
    expect(() => new DispatchEnv(source, { maxJobs: 10 })).toThrow(/more than maxJobs 10/);
  });

  it('reaches every mapping: replaying an encoding queue by queue scores like the encoding', () => {
    const rng = new Rng(8);
    for (let k = 0; k < 40; k++) {
      const table = randomTable(1 + rng.int(25), 1 + rng.int(5), rng, k % 2 === 0, 0.7);
      const J = table.numJobs;
      const C = table.numCores;
      const enc = {
        core: Int32Array.from({ length: J }, () => rng.int(C)),
        priority: Float64Array.from({ length: J }, () => rng.float()),
      };
      const queues = new Evaluator(table).queues(enc);
      const pos = new Array<number>(C).fill(0);
      const env = new DispatchEnv(fixedTable(table));
      let info: DispatchInfo = env.reset().info;
      for (;;) {
        const q = queues[info.core]!;
        const s = env.step(pos[info.core]! < q.length ? q[pos[info.core]!++]! : J);
        info = s.info;
        if (s.terminated) break;
      }
      expect(info.makespan).toBe(evaluate(table, enc).makespan);
    }
  });

  it('passes the checker with padding and on a one-job, one-core table', () => {
    const t = synthTable({ jobs: 9, cores: 3, bwRatio: 0.3, seed: 2 });
    for (const env of [
      make('m3e/Dispatch-v0', { table: t, maxJobs: 12, maxCores: 5 }),
      make('m3e/Dispatch-v0', { table: synthTable({ jobs: 1, cores: 1, bwRatio: 1, seed: 1 }) }),
    ]) {
      const report = checkEnv(env, { seed: 5 });
      expect(report.checks.filter((c) => !c.passed)).toEqual([]);
    }
  });
});
