import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResetNeededError } from '../../envs/core.js';
import { fixedTable, synthSource } from '../../envs/m3e/problem-source.js';
import { SequentialEnv, type SequentialInfo, type SequentialOptions } from '../../envs/m3e/sequential-env.js';
import { squash } from '../../envs/m3e/table-context.js';
import { lowerBound } from '../../src/core/bounds.js';
import { encodingFromOrder } from '../../src/core/encoding.js';
import { InputError } from '../../src/core/errors.js';
import { evaluate } from '../../src/core/evaluator.js';
import { Rng } from '../../src/core/rng.js';
import { synthTable } from '../../src/core/synth.js';
import { type JobTable, makeTable, tableToJson } from '../../src/core/table.js';
import { SMALL_TABLE } from './fixtures.js';

// Hand-computed case: 3 jobs, 2 cores, B = 10. LB = max(30 / 2, 15, 190 / 10) = 19.
const small = SMALL_TABLE;
const LB = 19;
const f32 = (xs: number[]) => Array.from(Float32Array.from(xs));

function smallEnv(options: Partial<SequentialOptions> = {}) {
  return new SequentialEnv(fixedTable(small), { window: 2, ...options });
}

describe('m3e/Sequential-v0 on a hand-computed case', () => {
  it('observes loads, estimates, the window and progress as documented', () => {
    expect(lowerBound(small)).toBe(LB);
    const env = smallEnv();
    expect(env.observationSpace.shape).toEqual([15]);
    expect(env.observationLayout()).toEqual({
      coreLoad: [0, 2],
      coreFinish: [2, 4],
      slots: { start: 4, stride: 5, count: 2, occupied: 0, latency: [1, 3], bandwidth: [3, 5] },
      progress: 14,
    });
    const r = env.reset({ seed: 1 });
    // prettier-ignore
    expect(Array.from(r.observation)).toEqual(
      f32([
        0,
        0,
        0,
        0,
        1,
        squash(10 / LB),
        squash(20 / LB),
        squash(4 / 10),
        squash(2 / 10),
        1,
        squash(30 / LB),
        squash(15 / LB),
        squash(20 / 10),
        squash(10 / 10),
        0,
      ]),
    );
    expect(Array.from((r.info.actionMask as Int8Array[])[0]!)).toEqual([1, 1]);

    // Job 1 (slot 1) to core 1: load 15, dur 15, bytes 150 -> estimate max(15, 15) = 15.
    const s1 = env.step([1, 1]);
    expect(s1.reward).toBeCloseTo(-15 / LB, 12);
    expect(s1.info.makespanEstimate).toBe(15);
    // The window moved up: slot 0 keeps job 0, slot 1 now holds job 2.
    // prettier-ignore
    expect(Array.from(s1.observation)).toEqual(
      f32([
        0,
        squash(15 / LB),
        0,
        squash(15 / LB),
        1,
        squash(10 / LB),
        squash(20 / LB),
        squash(4 / 10),
        squash(2 / 10),
        1,
        squash(5 / LB),
        squash(5 / LB),
        0,
        squash(8 / 10),
        1 / 3,
      ]),
    );

    // Job 0 to core 0: bytes 190 -> estimate max(15, 19) = 19; stretch 190 / (10 x 15).
    const s2 = env.step([0, 0]);
    expect(s2.reward).toBeCloseTo(-4 / LB, 12);
    const stretch = 190 / 150;
    expect(s2.observation[2]).toBe(Math.fround(squash((10 * stretch) / LB)));
    expect(s2.observation[3]).toBe(Math.fround(squash((15 * stretch) / LB)));
    expect(Array.from((s2.info.actionMask as Int8Array[])[0]!)).toEqual([1, 0]);
    expect(Array.from(s2.observation.subarray(9, 14))).toEqual([0, 0, 0, 0, 0]);

    // Job 2 to core 1. Simulation: jobs 0 and 1 share B (demand 14): job 0 ends at 14, job 1
    // alone at 19, job 2 alone at 24.
    const s3 = env.step([0, 1]);
    expect(s3.terminated).toBe(true);
    expect(s3.truncated).toBe(false);
    expect(s3.info.makespan).toBeCloseTo(24, 9);
    expect(s3.info.makespanEstimate).toBe(23);
    expect(s3.info.lowerBound).toBe(LB);
    expect(s3.info.ratio).toBeCloseTo(24 / LB, 12);
    expect(s3.info.bandwidthUtilization).toBeCloseTo(1 - 10 / 240, 12);
    expect(s3.info.coreUtilization).toBeCloseTo(38 / 48, 12);
    expect(Array.from(s3.info.encoding!.core)).toEqual([0, 1, 1]);
    expect(Array.from(s3.info.encoding!.priority)).toEqual([1 / 3, 0, 2 / 3]);
    // Dense rewards telescope to the terminal reward.
    expect(s1.reward + s2.reward + s3.reward).toBeCloseTo(-24 / LB, 14);
    expect(s3.observation[14]).toBe(1);
    expect(env.render()).toMatch(/step 3\/3[\s\S]*\n {3}1 .* 1 2\n[\s\S]*makespan 24/);
  });

  it('gives the terminal and the paper rewards', () => {
    const t = smallEnv({ reward: 'terminal' });
    t.reset();
    expect([t.step([1, 1]).reward, t.step([0, 0]).reward]).toEqual([0, 0]);
    expect(t.step([0, 1]).reward).toBeCloseTo(-24 / LB, 12);
    const p = smallEnv({ reward: 'paper' });
    p.reset();
    expect(p.step([1, 1]).reward).toBeCloseTo(-15 / LB, 12);
    expect(p.step([0, 0]).reward).toBeCloseTo(-10 / LB, 12);
    expect(p.step([0, 1]).reward).toBeCloseTo(-20 / LB - 24 / LB, 12);
  });

  it('takes the flat Discrete action slot x C + core, with a flat mask', () => {
    const env = smallEnv({ action: 'discrete' });
    expect(String(env.actionSpace)).toBe('Discrete(4)');
    env.reset();
    env.step(3); // slot 1, core 1
    const s = env.step(0); // slot 0, core 0
    expect(Array.from(s.info.actionMask as Int8Array)).toEqual([1, 1, 0, 0]);
    expect(env.step(1).info.makespan).toBeCloseTo(24, 9);
  });
});

describe('bad actions and call order', () => {
  it('refuses actions outside the space or on an empty slot, naming them, and changes nothing', () => {
    const env = smallEnv();
    expect(() => env.step([0, 0])).toThrow(ResetNeededError);
    env.reset();
    env.step([1, 1]);
    const before = env.render();
    const cases: [unknown, RegExp][] = [
      [[2, 0], /action\[0\] must be an integer in \[0, 1\], got 2/],
      [[0, 2], /action\[1\] must be an integer in \[0, 1\], got 2/],
      [[0, -1], /action\[1\]/],
      [[0.5, 0], /action\[0\]/],
      [[0], /must have 2 entries/],
      [3, /must be an array of 2 integers/],
      [undefined, /must be an array/],
    ];
    for (const [a, msg] of cases) {
      expect(() => env.step(a as number[]), String(a)).toThrow(InputError);
      expect(() => env.step(a as number[])).toThrow(msg);
    }
    env.step([0, 0]);
    expect(() => env.step([1, 0])).toThrow(
      /window slot 1, which is empty: 1 job\(s\) pending, so only slots 0..0 hold jobs/,
    );
    expect(env.render()).not.toBe(before);
    env.step([0, 1]);
    expect(() => env.step([0, 0])).toThrow(ResetNeededError);
    const flat = smallEnv({ action: 'discrete' });
    flat.reset();
    expect(() => flat.step(4)).toThrow(/action must be in \[0, 3\], got 4/);
    expect(() => flat.step([0, 0] as unknown as number)).toThrow(/action must be an integer/);
  });

  it('refuses bad options and reset options', () => {
    const src = fixedTable(small);
    expect(() => new SequentialEnv(src, { window: 0 })).toThrow(/window must be in \[1, 65536\], got 0/);
    expect(() => new SequentialEnv(src, { reward: 'sparse' as 'dense' })).toThrow(/reward must be one of/);
    expect(() => new SequentialEnv(src, { windw: 3 } as Partial<SequentialOptions>)).toThrow(
      /unknown hyper-parameter "windw"/,
    );
    const env = new SequentialEnv(src);
    expect(() => env.reset({ options: { tabel: small } })).toThrow(/unknown reset option "tabel"/);
    expect(() =>
      env.reset({ options: { table: synthTable({ jobs: 4, cores: 2, bwRatio: 1, seed: 1 }) } }),
    ).toThrow(/table is 4 jobs x 2 cores, but the environment's spaces are for 3 x 2/);
    expect(() => env.reset({ seed: 1.5 })).toThrow(/non-negative integer/);
  });
});

/** The job in each slot, per the documented window (pending jobs in index order, compacted). */
function playAndCheck(table: JobTable, options: Partial<SequentialOptions>, policySeed: number): void {
  const env = new SequentialEnv(fixedTable(table), options);
  const rng = new Rng(policySeed);
  env.actionSpace.seed(policySeed);
  let { observation, info } = env.reset({ seed: policySeed });
  const pending = Array.from({ length: table.numJobs }, (_, j) => j);
  const assignment: [number, number][] = [];
  const rewards: number[] = [];
  let last: SequentialInfo = info;
  let estimate = 0;
  for (;;) {
    expect(env.observationSpace.explain(observation, 'observation')).toBeNull();
    expect(observation).toBeInstanceOf(Float32Array);
    const action = env.actionSpace.sample(info.actionMask as never) as number | Int32Array;
    const C = table.numCores;
    const [slot, core] =
      typeof action === 'number' ? [Math.floor(action / C), action % C] : [action[0]!, action[1]!];
    assignment.push([pending.splice(slot, 1)[0]!, core]);
    const s = env.step(action);
    rewards.push(s.reward);
    if (options.reward === 'dense' && !s.terminated) expect(s.reward).toBeLessThanOrEqual(0);
    expect(s.info.makespanEstimate).toBeGreaterThanOrEqual(estimate);
    estimate = s.info.makespanEstimate;
    observation = s.observation;
    info = last = s.info;
    if (s.terminated) {
      expect(env.observationSpace.explain(observation, 'observation')).toBeNull();
      break;
    }
    if (rng.float() < 0.05) expect(env.render()).toContain('window');
  }
  const reference = evaluate(table, encodingFromOrder(table.numJobs, assignment));
  expect(last.makespan).toBe(reference.makespan);
  // The estimate is a lower bound of the makespan, up to the evaluator's rounding: its
  // progress clock loses absolute precision when a 10-cycle job follows a 1e12-cycle one
  // under 1e9-fold bandwidth contention (the extreme tables; ~3e-8 relative at worst seen).
  expect(last.makespanEstimate).toBeLessThanOrEqual(reference.makespan * (1 + 1e-6));
  const ret = rewards.reduce((a, b) => a + b, 0);
  const terminal = -reference.makespan / lowerBound(table);
  if (options.reward !== 'paper')
    expect(Math.abs(ret - terminal)).toBeLessThanOrEqual(1e-12 * Math.abs(terminal));
}

/** Raw tables with extreme values: tiny and huge latencies, zero and huge bandwidths. */
const extremeTable = fc
  .record({
    J: fc.integer({ min: 1, max: 12 }),
    C: fc.integer({ min: 1, max: 5 }),
    seed: fc.integer({ min: 0, max: 1e6 }),
  })
  .map(({ J, C, seed }) => {
    const rng = new Rng(seed);
    const pick = (xs: number[]) => xs[rng.int(xs.length)]!;
    const rows = (f: () => number) => Array.from({ length: J }, () => Array.from({ length: C }, f));
    return makeTable({
      systemBandwidth: pick([1e-3, 1, 64, 1e6]),
      // Latencies spread up to 2e11, within the tables' limit of 1e12.
      latency: rows(() => pick([1, 7, 1e3, 1e9, 1e11]) * (1 + rng.float())),
      bandwidth: rows(() => pick([0, 1e-6, 0.5, 10, 1e6]) * rng.float()),
    });
  });

const synthArb = fc
  .record({
    jobs: fc.integer({ min: 1, max: 40 }),
    cores: fc.integer({ min: 1, max: 8 }),
    bwRatio: fc.double({ min: 0.05, max: 20, noNaN: true }),
    heterogeneity: fc.double({ min: 0, max: 3, noNaN: true }),
    seed: fc.integer({ min: 0, max: 1e6 }),
  })
  .map((o) => synthTable(o));

const optionsArb = fc.record({
  window: fc.integer({ min: 1, max: 9 }),
  action: fc.constantFrom('multi-discrete' as const, 'discrete' as const),
  reward: fc.constantFrom('dense' as const, 'terminal' as const, 'paper' as const),
});

describe('property: random policies on random tables', () => {
  it('keep observations in bounds, score the order with the evaluator, and dense returns equal terminal', () => {
    fc.assert(
      fc.property(
        fc.oneof(synthArb, extremeTable),
        optionsArb,
        fc.integer({ min: 0, max: 1e6 }),
        playAndCheck,
      ),
      { numRuns: 150 },
    );
  });
});

describe('seeding and problem sources', () => {
  it('same seed, same episode; another seed, another group from a synthetic source', () => {
    const src = synthSource({ jobs: 20, cores: 4, bwRatio: [0.25, 4] });
    const run = (seed: number) => {
      const env = new SequentialEnv(src, { reward: 'dense' });
      env.actionSpace.seed(7);
      const obs: number[][] = [];
      let { observation, info } = env.reset({ seed });
      obs.push(Array.from(observation));
      let ret = 0;
      for (;;) {
        const s = env.step(env.actionSpace.sample(info.actionMask as never));
        obs.push(Array.from(s.observation));
        ret += s.reward;
        info = s.info;
        if (s.terminated) return { obs, ret, table: env.table! };
      }
    };
    const a = run(5);
    const b = run(5);
    expect(b.obs).toEqual(a.obs);
    expect(b.ret).toBe(a.ret);
    const c = run(6);
    expect(Array.from(c.table.latency)).not.toEqual(Array.from(a.table.latency));
  });

  it('continues the stream on reset() without a seed, and runs a given table via reset options', () => {
    const env = new SequentialEnv(synthSource({ jobs: 5, cores: 2, bwRatio: 1 }));
    env.reset({ seed: 3 });
    const t1 = env.table;
    env.reset();
    const t2 = env.table;
    expect(t2).not.toBe(t1);
    env.reset({ seed: 3 });
    expect(Array.from(env.table!.latency)).toEqual(Array.from(t1!.latency));
    const heldOut = synthTable({ jobs: 5, cores: 2, bwRatio: 1, seed: 99 });
    const r = env.reset({ options: { table: heldOut } });
    expect(env.table).toBe(heldOut);
    expect(r.info.lowerBound).toBe(lowerBound(heldOut));
    // The JSON table format works too.
    const fromJson = env.reset({ options: { table: tableToJson(heldOut) } });
    expect(Array.from(fromJson.observation)).toEqual(Array.from(r.observation));
    expect(() => env.reset({ options: { table: { latency: [[1]] } } })).toThrow(/job table: systemBandwidth/);
  });

  it('handles a window wider than the group and a one-job group', () => {
    playAndCheck(
      synthTable({ jobs: 3, cores: 2, bwRatio: 1, seed: 1 }),
      { window: 8, action: 'multi-discrete', reward: 'dense' },
      1,
    );
    playAndCheck(
      synthTable({ jobs: 1, cores: 3, bwRatio: 1, seed: 1 }),
      { window: 5, action: 'discrete', reward: 'dense' },
      2,
    );
  });
});
