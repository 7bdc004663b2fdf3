import { describe, expect, it } from 'vitest';
import { ResetNeededError } from '../../envs/core.js';
import { EncodingEnv, PRIORITY_MAX } from '../../envs/m3e/encoding-env.js';
import { fixedTable, synthSource } from '../../envs/m3e/problem-source.js';
import { squash } from '../../envs/m3e/table-context.js';
import { lowerBound } from '../../src/core/bounds.js';
import { InputError } from '../../src/core/errors.js';
import { evaluate } from '../../src/core/evaluator.js';
import { SMALL_TABLE } from './fixtures.js';

// The hand-computed case of the sequential tests: LB = 19; this mapping's makespan is 24.
const small = SMALL_TABLE;

describe('m3e/Encoding-v0', () => {
  it('is one step: reward -makespan / LB, info from the evaluator, observation the table', () => {
    const env = new EncodingEnv(fixedTable(small));
    expect(String(env.actionSpace)).toBe(
      "Dict('core': MultiDiscrete([2 2 2]), 'priority': Box(0, 0.9999999999999999, (3,), float64))",
    );
    expect(env.observationSpace.shape).toEqual([3, 2, 2]);
    const r = env.reset({ seed: 0 });
    expect(r.info.lowerBound).toBe(19);
    // Job 1's row: latency on cores 0 and 1, then bandwidth on cores 0 and 1.
    expect(Array.from(r.observation.subarray(4, 8))).toEqual(
      Array.from(Float32Array.of(squash(30 / 19), squash(15 / 19), squash(20 / 10), squash(10 / 10))),
    );
    expect(env.render()).toMatch(/waiting for an encoding/);
    const s = env.step({ core: [0, 1, 1], priority: [0.4, 0, 0.9] });
    expect(s.terminated).toBe(true);
    expect(s.reward).toBeCloseTo(-24 / 19, 12);
    expect(s.info.makespan).toBeCloseTo(24, 9);
    expect(s.info.ratio).toBeCloseTo(24 / 19, 12);
    expect(s.info.bandwidthUtilization).toBeCloseTo(1 - 10 / 240, 12);
    expect(Array.from(s.info.coreFinish!)).toEqual([14, 24].map((x) => expect.closeTo(x, 9)));
    expect(Array.from(s.observation)).toEqual(Array.from(r.observation));
    expect(env.render()).toMatch(/\n {3}1 .* 1 2$/);
    expect(() => env.step({ core: [0, 0, 0], priority: [0, 0, 0] })).toThrow(ResetNeededError);
  });

  it('rewards exactly -evaluate(table, action).makespan / LB for random actions on random groups', () => {
    const env = new EncodingEnv(synthSource({ jobs: 30, cores: 4, bwRatio: [0.25, 4] }));
    env.actionSpace.seed(3);
    for (let e = 0; e < 20; e++) {
      env.reset({ seed: e });
      const action = env.actionSpace.sample();
      const s = env.step(action);
      const ref = evaluate(env.table!, { core: action.core, priority: action.priority });
      expect(s.reward).toBe(-ref.makespan / lowerBound(env.table!));
      expect(s.info.makespan).toBe(ref.makespan);
    }
  });

  it('refuses bad encodings naming the entry, without clipping or changing state', () => {
    const env = new EncodingEnv(fixedTable(small));
    env.reset();
    const cases: [unknown, RegExp][] = [
      [{ core: [0, 2, 1], priority: [0, 0, 0] }, /action.core\[1\] must be an integer in \[0, 1\], got 2/],
      [
        { core: [0, 1, 1], priority: [0, 1, 0] },
        /action.priority\[1\] must be a number in \[0, 0.9999999999999999\], got 1/,
      ],
      [{ core: [0, 1, 1], priority: [0, Number.NaN, 0] }, /action.priority\[1\].*got NaN/],
      [{ core: [0, 1, 1], priority: [-1e-300, 0, 0] }, /action.priority\[0\]/],
      [{ core: [0, 1], priority: [0, 0, 0] }, /action.core must have 3 entries/],
      [{ core: [0, 1, 1] }, /action.priority is missing/],
      [{ core: [0, 1, 1], priority: [0, 0, 0], extra: 1 }, /unknown key "extra"/],
      [[0, 1, 1], /action must be an object with keys core, priority/],
    ];
    for (const [a, msg] of cases) expect(() => env.step(a as never)).toThrow(msg);
    expect(() => env.step(cases[0]![0] as never)).toThrow(InputError);
    const s = env.step({ core: [0, 1, 1], priority: [0.4, 0, PRIORITY_MAX] });
    expect(s.info.makespan).toBeCloseTo(24, 9);
  });
});
