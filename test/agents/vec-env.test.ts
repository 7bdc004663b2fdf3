// The agents' view of a vector env: flat observations, masks in both gym forms, same-step
// autoreset with final observations, episode statistics.
import { describe, expect, it } from 'vitest';
import { AgentVecEnv } from '../../agents/vec-env.js';
import { ContextualBanditEnv } from '../../envs/classic/bandit.js';
import { CartPoleEnv } from '../../envs/classic/cartpole.js';
import { SyncVectorEnv } from '../../envs/vector.js';
import { TimeLimit } from '../../envs/wrappers/time-limit.js';

describe('AgentVecEnv', () => {
  it('flattens masks given per component and refuses next-step autoreset', () => {
    const v = new AgentVecEnv([
      new ContextualBanditEnv({ arms: [3, 4], masked: true, tableSeed: 1 }),
      new ContextualBanditEnv({ arms: [3, 4], masked: true, tableSeed: 1 }),
    ]);
    v.reset(10);
    expect(v.masked).toBe(true);
    expect(v.layout.total).toBe(7);
    for (let i = 0; i < 2; i++) {
      const row = Array.from(v.masks.subarray(i * 7, i * 7 + 7));
      expect(row.slice(0, 3).filter((m) => m === 0)).toHaveLength(1);
      expect(row.slice(3).filter((m) => m === 0)).toHaveLength(1);
    }
    expect(() => new AgentVecEnv(new SyncVectorEnv([new CartPoleEnv()]))).toThrow(/same-step/);
  });

  it('reports ended episodes with their return, length, final observation and info', () => {
    const limit = 3;
    const v = new AgentVecEnv([
      new TimeLimit(new CartPoleEnv(), limit),
      new TimeLimit(new CartPoleEnv(), limit),
    ]);
    v.reset(0);
    const first = Float32Array.from(v.obs);
    const eps = [];
    for (let t = 0; t < limit; t++) eps.push(...v.step(Int32Array.of(0, 1)));
    expect(eps.map((e) => [e.env, e.return, e.length, e.terminated])).toEqual([
      [0, 3, 3, false],
      [1, 3, 3, false],
    ]);
    expect(Array.from(v.truncated)).toEqual([1, 1]);
    // Same-step autoreset: obs is a fresh episode's, finalObs the ended one's last state.
    expect(Array.from(v.obs)).not.toEqual(Array.from(v.finalObs));
    expect(Array.from(v.obs)).not.toEqual(Array.from(first));
    // Pushing left then right for three steps moved the carts apart.
    expect(v.finalObs[1]!).toBeLessThan(0);
    expect(v.finalObs[4 + 1]!).toBeGreaterThan(0);
  });

  it('uses env i seed + i, so the same seed replays the same episodes', () => {
    const obs = (seed: number) => {
      const v = new AgentVecEnv([new CartPoleEnv(), new CartPoleEnv()]);
      v.reset(seed);
      return Array.from(v.obs);
    };
    expect(obs(4)).toEqual(obs(4));
    expect(obs(4).slice(4)).toEqual(obs(5).slice(0, 4));
  });
});
