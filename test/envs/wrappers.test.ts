import { describe, expect, it } from 'vitest';
import { BaseEnv, type Info, ResetNeededError, type ResetResult, type StepResult } from '../../envs/core.js';
import { flatten } from '../../envs/flatten.js';
import { make } from '../../envs/registry.js';
import { Box, Discrete } from '../../envs/spaces.js';
import { ActionMasker } from '../../envs/wrappers/action-masker.js';
import { RecordEpisodeStatistics } from '../../envs/wrappers/episode-statistics.js';
import { FlattenObservation } from '../../envs/wrappers/flatten-observation.js';
import { NormalizeObservation } from '../../envs/wrappers/normalize-observation.js';
import { NormalizeReward } from '../../envs/wrappers/normalize-reward.js';
import { TimeLimit } from '../../envs/wrappers/time-limit.js';
import { synthTable } from '../../src/core/synth.js';

/** Plays back fixed observations and rewards; the episode ends after the last one. */
class ScriptEnv extends BaseEnv<Float32Array, number> {
  readonly actionSpace = new Discrete(2);
  readonly observationSpace = new Box(-100, 100, { shape: [2] });
  private t = 0;
  constructor(
    private readonly obs: number[][],
    private readonly rewards: number[],
  ) {
    super();
  }
  protected resetEpisode(): ResetResult<Float32Array> {
    this.t = 0;
    return { observation: Float32Array.from(this.obs[0]!), info: {} };
  }
  protected stepEpisode(): StepResult<Float32Array, Info> {
    this.t++;
    return {
      observation: Float32Array.from(this.obs[this.t]!),
      reward: this.rewards[this.t - 1]!,
      terminated: this.t === this.rewards.length,
      truncated: false,
      info: {},
    };
  }
  render() {
    return `t=${this.t}`;
  }
}

const table = synthTable({ jobs: 10, cores: 3, bwRatio: 1, seed: 2 });

/** Running statistics after xs from the prior (mean 0, var 1, count 1e-4), merged exactly. */
function expectedStats(xs: number[]): { mean: number; var: number } {
  const c0 = 1e-4;
  const n = xs.length + c0;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const m2 = c0 * 1 + c0 * mean * mean + xs.reduce((a, x) => a + (x - mean) ** 2, 0);
  return { mean, var: m2 / n };
}

describe('TimeLimit', () => {
  it('truncates at the limit, then refuses to step until reset', () => {
    const env = new TimeLimit(make('m3e/Sequential-v0', { table }), 3);
    let { info } = env.reset({ seed: 1 });
    const flags: string[] = [];
    for (let i = 0; i < 3; i++) {
      const s = env.step(env.actionSpace.sample(info.actionMask as never) as never);
      flags.push(`${s.terminated}/${s.truncated}`);
      info = s.info;
    }
    expect(flags).toEqual(['false/false', 'false/false', 'false/true']);
    expect(() => env.step([0, 0])).toThrow(ResetNeededError);
    env.reset();
    expect(env.elapsedSteps).toBe(0);
    expect(() => new TimeLimit(env, 0)).toThrow(/positive integer/);
  });

  it('leaves an episode that ends by itself terminated, not truncated', () => {
    const env = new TimeLimit(
      new ScriptEnv(
        [
          [0, 0],
          [1, 1],
        ],
        [1],
      ),
      1,
    );
    env.reset();
    expect(env.step(0)).toMatchObject({ terminated: true, truncated: true });
    const long = new TimeLimit(
      new ScriptEnv(
        [
          [0, 0],
          [1, 1],
        ],
        [1],
      ),
      5,
    );
    long.reset();
    expect(long.step(0)).toMatchObject({ terminated: true, truncated: false });
  });
});

describe('RecordEpisodeStatistics', () => {
  it('reports return, length and time at the end of each episode', () => {
    let now = 10;
    const env = new RecordEpisodeStatistics(
      new ScriptEnv(
        [
          [0, 0],
          [0, 0],
          [0, 0],
          [0, 0],
        ],
        [-1, -2.5, 0.5],
      ),
      {
        clock: () => now,
        bufferLength: 2,
      },
    );
    for (let e = 0; e < 3; e++) {
      env.reset();
      now += 1;
      expect(env.step(0).info.episode).toBeUndefined();
      env.step(0);
      now += 2;
      const last = env.step(0);
      expect(last.info.episode).toEqual({ r: -3, l: 3, t: 3 });
    }
    expect(env.episodeCount).toBe(3);
    expect(env.returnQueue).toEqual([-3, -3]);
    expect(env.lengthQueue).toEqual([3, 3]);
  });
});

describe('NormalizeObservation', () => {
  const obs = [
    [1, -4],
    [3, 0],
    [8, 2],
    [2, 2],
  ];
  it('normalises with running statistics over every observation, and can be frozen and restored', () => {
    const env = new NormalizeObservation(new ScriptEnv(obs, [0, 0, 0]));
    expect(String(env.observationSpace)).toBe('Box(-Infinity, Infinity, (2,), float32)');
    for (let k = 0; k < 3; k++) {
      const out = k === 0 ? env.reset().observation : env.step(0).observation;
      for (let i = 0; i < 2; i++) {
        const s = expectedStats(obs.slice(0, k + 1).map((o) => o[i]!));
        expect(env.stats.mean[i]).toBeCloseTo(s.mean, 12);
        expect(env.stats.var[i]).toBeCloseTo(s.var, 12);
        expect(out[i]).toBeCloseTo((obs[k]![i]! - s.mean) / Math.sqrt(s.var + 1e-8), 5);
      }
    }
    const saved = env.stats.state();
    env.updateRunningMean = false;
    env.step(0);
    expect(env.stats.state()).toEqual(saved);
    const fresh = new NormalizeObservation(new ScriptEnv(obs, [0, 0, 0]));
    fresh.stats.load(saved);
    fresh.updateRunningMean = false;
    expect(Array.from(fresh.reset().observation)).toEqual(
      Array.from(
        Float32Array.from(obs[0]!, (x, i) => (x - saved.mean[i]!) / Math.sqrt(saved.var[i]! + 1e-8)),
      ),
    );
    expect(() => fresh.stats.load({ mean: [0], var: [1], count: 1 })).toThrow(/expected 2/);
  });
});

describe('NormalizeReward', () => {
  it('scales rewards by the running std of the discounted return, resetting it at termination', () => {
    const rewards = [1, -2, 3];
    const env = new NormalizeReward(
      new ScriptEnv(
        [
          [0, 0],
          [0, 0],
          [0, 0],
          [0, 0],
        ],
        rewards,
      ),
      { gamma: 0.5 },
    );
    const returns: number[] = [];
    let g = 0;
    const got: number[] = [];
    for (let e = 0; e < 2; e++) {
      env.reset();
      for (let t = 0; t < 3; t++) {
        const terminated = t === 2;
        g = g * 0.5 * (terminated ? 0 : 1) + rewards[t]!;
        returns.push(g);
        got.push(env.step(0).reward);
        expect(got.at(-1)).toBeCloseTo(rewards[t]! / Math.sqrt(expectedStats(returns).var + 1e-8), 12);
      }
    }
    expect(() => new NormalizeReward(env, { gamma: 2 })).toThrow(/gamma/);
  });
});

describe('FlattenObservation and ActionMasker', () => {
  it('flattens observations into the flattened space', () => {
    const inner = make('m3e/Encoding-v0', { table });
    const env = new FlattenObservation(inner);
    expect(env.observationSpace.shape).toEqual([10 * 2 * 3]);
    const r = env.reset({ seed: 1 });
    expect(Array.from(r.observation)).toEqual(
      Array.from(
        flatten(inner.observationSpace, make('m3e/Encoding-v0', { table }).reset({ seed: 1 }).observation),
      ),
    );
  });

  it('exposes the flat mask of the last info (MultiDiscrete: slot mask then core mask)', () => {
    const env = new ActionMasker(make('m3e/Sequential-v0', { table, window: 4 }));
    env.reset();
    expect(Array.from(env.actionMasks())).toEqual([1, 1, 1, 1, 1, 1, 1]);
    for (let i = 0; i < 8; i++) env.step([0, 0]);
    expect(Array.from(env.actionMasks())).toEqual([1, 1, 0, 0, 1, 1, 1]);
    const flat = new ActionMasker(make('m3e/Sequential-v0', { table, window: 2, action: 'discrete' }));
    flat.reset();
    for (let i = 0; i < 9; i++) flat.step(0);
    expect(Array.from(flat.actionMasks())).toEqual([1, 1, 1, 0, 0, 0]);
    const none = new ActionMasker(
      new ScriptEnv(
        [
          [0, 0],
          [0, 0],
        ],
        [0],
      ),
    );
    none.reset();
    expect(Array.from(none.actionMasks())).toEqual([1, 1]);
    const bad = new ActionMasker(
      new ScriptEnv(
        [
          [0, 0],
          [0, 0],
        ],
        [0],
      ),
      () => [1, 0, 1],
    );
    expect(() => bad.reset()).toThrow(/3 entries, the action space Discrete\(2\) needs 2/);
    expect(() => new ActionMasker(make('m3e/Encoding-v0', { table }))).toThrow(/Discrete or MultiDiscrete/);
  });
});
