// Learning checks: small, seeded problems with a known optimum, solved within a bounded
// number of environment steps by both agents (CPU backend).
import { beforeAll, describe, expect, it } from 'vitest';
import { makeAgentEnv, tableProblem } from '../../agents/env-factory.js';
import { rollout } from '../../agents/policy.js';
import type { EnvDescription } from '../../agents/run-folder.js';
import { parseA2cSettings, parsePpoSettings } from '../../agents/settings.js';
import { Trainer } from '../../agents/trainer.js';
import { AgentVecEnv } from '../../agents/vec-env.js';
import { ContextualBanditEnv } from '../../envs/classic/bandit.js';
import { SEQUENTIAL_ID } from '../../envs/m3e/sequential-env.js';
import { enumerateMakespans, TINY_TABLE, useCpu } from './helpers.js';

beforeAll(useCpu);

const SETTINGS = {
  ppo: (extra: object) => parsePpoSettings({ network: { hidden: [32] }, learningRate: 0.01, ...extra }),
  a2c: (extra: object) =>
    parseA2cSettings({ network: { hidden: [32] }, learningRate: 0.01, normAdv: true, ...extra }),
};

describe.each(['ppo', 'a2c'] as const)('%s learns', (algo) => {
  it('a masked, two-component contextual bandit', () => {
    const env = new AgentVecEnv(
      Array.from(
        { length: 4 },
        () => new ContextualBanditEnv({ contexts: 4, arms: [4, 3], masked: true, noise: 0.1 }),
      ),
    );
    const settings = SETTINGS[algo]({
      numSteps: algo === 'ppo' ? 16 : 8,
      ...(algo === 'ppo' ? { updateEpochs: 2 } : {}),
    });
    const tr = new Trainer(settings, env, 7);
    const STEPS = 2400;
    let last = null;
    while (tr.step < STEPS) last = tr.iterate(STEPS);
    // The last iteration's episodes all picked the best allowed arms (no trap: the env would throw).
    expect(last!.episode!.info.optimal).toBe(1);
    // And the greedy action of every context is the best allowed one.
    const bandit = env.envs[0] as unknown as ContextualBanditEnv;
    for (let c = 0; c < 4; c++) {
      const obs = new Float32Array(4);
      obs[c] = 1;
      const { logits } = tr.learner.net.predict(obs, 1);
      const arm0 = argmaxMasked(logits.subarray(0, 4), bandit, c);
      const arm1 = argmaxMasked(logits.subarray(4, 7), bandit, c, 1);
      expect([arm0, arm1]).toEqual(bandit.bestAction(c));
    }
    tr.dispose();
  });

  it('the optimum of a 4-job, 2-core M3E table (found by enumeration)', () => {
    const all = enumerateMakespans(TINY_TABLE);
    const optimum = Math.min(...all);
    const mean = all.reduce((a, b) => a + b, 0) / all.length;
    // Not a trivial problem: a random mapping is far from the optimum on average.
    expect(mean / optimum).toBeGreaterThan(1.2);
    const desc: EnvDescription = {
      id: SEQUENTIAL_ID,
      options: { window: 4, reward: 'terminal' },
      problem: tableProblem(TINY_TABLE, 'tiny'),
    };
    // Measured with seeds 1-4: PPO's greedy policy is optimal from 3,840 steps on, A2C's
    // (Adam) from 4,480; this seed reaches it earlier, the budget leaves a margin.
    const settings =
      algo === 'ppo'
        ? SETTINGS.ppo({ numEnvs: 8, numSteps: 16, gamma: 1, updateEpochs: 2 })
        : SETTINGS.a2c({
            numEnvs: 8,
            numSteps: 4,
            gamma: 1,
            learningRate: 3e-3,
            optimizer: 'adam',
            entCoef: 0.01,
          });
    const tr = new Trainer(settings, makeAgentEnv(desc, settings.numEnvs), 3);
    const STEPS = 4000;
    while (tr.step < STEPS) tr.iterate(STEPS);
    const greedy = rollout(tr.learner.net, desc, TINY_TABLE, { episodes: 1, greedy: true, seed: 0 });
    expect(greedy.makespan).toBeCloseTo(optimum, 6);
    tr.dispose();
  });
});

function argmaxMasked(logits: Float32Array, env: ContextualBanditEnv, c: number, k = 0): number {
  let best = -1;
  for (let a = 0; a < logits.length; a++) {
    if (a === trapOf(env, c, k)) continue;
    if (best < 0 || logits[a]! > logits[best]!) best = a;
  }
  return best;
}

function trapOf(env: ContextualBanditEnv, c: number, k: number): number {
  // The trap is the arm with the highest expected reward of its component.
  const arms = env.arms[k]!;
  let trap = -1;
  let top = -1;
  for (let a = 0; a < arms; a++) {
    const probe = env.bestAction(c);
    probe[k] = a;
    const r = env.expectedReward(c, probe);
    if (r > top) {
      top = r;
      trap = a;
    }
  }
  return trap;
}
