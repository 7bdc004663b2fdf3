// The test and benchmark environments: the gym's checker, CartPole's known behaviour under
// a random policy and its limits, the bandit's optimum, masks and traps.
import { describe, expect, it } from 'vitest';
import { checkEnv, runRandomEpisodes } from '../../envs/checker.js';
import { ContextualBanditEnv } from '../../envs/classic/bandit.js';
import { CARTPOLE_MAX_STEPS, CartPoleEnv } from '../../envs/classic/cartpole.js';
import { TimeLimit } from '../../envs/wrappers/time-limit.js';

describe('CartPole-v1', () => {
  it('passes the gym checker', () => {
    const r = checkEnv(new TimeLimit(new CartPoleEnv(), CARTPOLE_MAX_STEPS));
    expect(r.checks.filter((c) => !c.passed)).toEqual([]);
  });

  it('lasts about 22 steps under a random policy (the well-known CartPole figure)', () => {
    const r = runRandomEpisodes(new CartPoleEnv(), { episodes: 400, seed: 1 });
    const mean = r.returns.reduce((a, b) => a + b, 0) / r.returns.length;
    expect(mean).toBeGreaterThan(18);
    expect(mean).toBeLessThan(27);
  });

  it('falls within a few dozen steps when always pushed one way, and is mirror-symmetric', () => {
    const run = (action: number) => {
      const env = new CartPoleEnv();
      env.reset({ seed: 3 });
      const states: (readonly number[])[] = [];
      for (let t = 0; t < 200; t++) {
        const s = env.step(action);
        states.push(env.state);
        if (s.terminated) return { steps: t + 1, states };
      }
      return { steps: 200, states };
    };
    const right = run(1);
    expect(right.steps).toBeLessThan(40);
    // Pushing the cart right tips the pole left (theta < 0) and moves the cart right.
    const last = right.states[right.states.length - 1]!;
    expect(last[2]).toBeLessThan(-0.2);
    expect(last[0]).toBeGreaterThan(0);
  });

  it('keeps the pole up for the full 500 steps with a simple PD controller', () => {
    const env = new TimeLimit(new CartPoleEnv(), CARTPOLE_MAX_STEPS);
    let obs = env.reset({ seed: 5 }).observation;
    let ret = 0;
    for (;;) {
      // Push toward the side the pole falls to (angle plus damping on its velocity and the cart's).
      const a = obs[2]! + 0.5 * obs[3]! + 0.01 * obs[0]! + 0.1 * obs[1]! > 0 ? 1 : 0;
      const s = env.step(a);
      ret += s.reward;
      obs = s.observation;
      if (s.terminated || s.truncated) {
        expect(s.truncated).toBe(true);
        break;
      }
    }
    expect(ret).toBe(CARTPOLE_MAX_STEPS);
  });
});

describe('ContextualBandit-v0', () => {
  it('passes the gym checker, plain and masked, Discrete and MultiDiscrete', () => {
    for (const o of [{}, { masked: true }, { arms: [3, 4] }, { arms: [3, 4], masked: true }]) {
      const r = checkEnv(new ContextualBanditEnv(o));
      expect(r.checks.filter((c) => !c.passed)).toEqual([]);
    }
  });

  it('has a unique best allowed action per context, with a clear gap', () => {
    const env = new ContextualBanditEnv({ contexts: 5, arms: [4, 3], masked: true, tableSeed: 2 });
    for (let c = 0; c < 5; c++) {
      const best = env.bestAction(c);
      expect(env.expectedReward(c, best)).toBe(2);
      for (let a = 0; a < 4; a++) {
        if (a === best[0]) continue;
        const r = env.expectedReward(c, [a, best[1]!]);
        // Either a worse arm (at least 0.5 less) or the forbidden trap (more, but masked).
        expect(r <= 1.5 || r === 3).toBe(true);
      }
    }
  });

  it('reports the mask on reset and refuses the forbidden arm', () => {
    const env = new ContextualBanditEnv({ arms: 4, masked: true, noise: 0 });
    const r = env.reset({ seed: 1 });
    const mask = r.info.actionMask as Int8Array;
    expect(Array.from(mask).filter((m) => m === 0)).toHaveLength(1);
    const trap = mask.indexOf(0);
    expect(() => env.step(trap)).toThrow(/masked out/);
    const s = env.step(env.bestAction(r.info.context!)[0]!);
    expect(s.reward).toBe(1);
    expect(s.terminated).toBe(true);
    expect(s.info).toEqual({ regret: 0, optimal: 1 });
  });

  it('validates its options', () => {
    expect(() => new ContextualBanditEnv({ contexts: 0 })).toThrow(/contexts/);
    expect(() => new ContextualBanditEnv({ arms: [3, 1] })).toThrow(/arms/);
    expect(() => new ContextualBanditEnv({ arms: 2, masked: true })).toThrow(/>= 3/);
    expect(() => new ContextualBanditEnv({ noise: -1 })).toThrow(/noise/);
  });
});
