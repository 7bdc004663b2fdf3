// Training the dispatching policy: hand-computed advantages (GAE, the shared baseline, the
// leader weight, self-imitation marks), the tfjs gradient against finite differences of the
// JavaScript forward pass, each learner raising the log-probability of advantaged actions,
// and a resumed run equal to an uninterrupted one.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTEXT_PLAN_DONE, PAIR_PLAN_NEXT } from '../../agents/dispatch/features.js';
import { DispatchLearner, targets } from '../../agents/dispatch/learn.js';
import { DispatchModel, initialWeights } from '../../agents/dispatch/model.js';
import { DispatchNetwork } from '../../agents/dispatch/network.js';
import { act, stepsOf, type TableRecord } from '../../agents/dispatch/rollout.js';
import { parseDispatchSettings } from '../../agents/dispatch/settings.js';
import { DispatchTrainer } from '../../agents/dispatch/trainer.js';
import { DispatchEnv } from '../../envs/m3e/dispatch-env.js';
import { fixedTable } from '../../envs/m3e/problem-source.js';
import { Rng } from '../../src/core/rng.js';
import { synthTable } from '../../src/core/synth.js';
import { TINY_DISPATCH_NET, useCpu, withoutPlanPull } from './helpers.js';

const NET = TINY_DISPATCH_NET;

/** A record of K rollouts with the given per-step rewards and values (only what targets reads). */
function fakeRecord(rewards: number[][], values: number[][]): TableRecord {
  const start = [0];
  for (const r of rewards) start.push(start[start.length - 1]! + r.length);
  return {
    K: rewards.length,
    S: start[start.length - 1]!,
    start: Int32Array.from(start),
    reward: Float32Array.from(rewards.flat()),
    value: Float32Array.from(values.flat()),
  } as unknown as TableRecord;
}

describe('dispatch advantages', () => {
  it('GAE within each rollout (gamma 1, lambda 0.5), values 0 after the last step', () => {
    const s = parseDispatchSettings({ algo: 'ppo', gamma: 1, gaeLambda: 0.5 });
    const t = targets(fakeRecord([[-1, -2], [-4]], [[-2.5, -1.5], [-3]]), s);
    // Rollout 0: delta1 = -2 - (-1.5) = -0.5; delta0 = -1 + (-1.5) - (-2.5) = 0; A0 = 0 + 0.5 x -0.5.
    // Rollout 1: delta = -4 - (-3) = -1. Returns are A + V.
    expect(Array.from(t.advantages)).toEqual([-0.25, -0.5, -1]);
    expect(Array.from(t.returns)).toEqual([-2.75, -2, -4]);
  });

  it('shared baseline: R_k - mean R on every step, the leader weighted, the greedy rollout apart', () => {
    const base = { algo: 'reinforce', rollouts: 3 };
    const rec = fakeRecord([[-1, -1], [-3], [-2, 0]], [[0, 0], [0], [0, 0]]);
    // Returns -2, -3, -2: mean -7/3.
    const a = targets(rec, parseDispatchSettings(base));
    expect(Array.from(a.advantages).map((x) => +x.toFixed(5))).toEqual([
      0.33333, 0.33333, -0.66667, 0.33333, 0.33333,
    ]);
    const lead = targets(rec, parseDispatchSettings({ ...base, leaderWeight: 4 }));
    expect(lead.advantages[0]).toBeCloseTo(4 / 3, 5);
    expect(lead.advantages[3]).toBeCloseTo(1 / 3, 5);
    // Rollout 0 greedy (return -2): samples 1, 2 (-3, -2), mean -2.5; rollout 2 ties greedy: no imitation.
    const g = targets(rec, parseDispatchSettings({ ...base, greedyRollout: true, silCoef: 1 }));
    expect(Array.from(g.advantages)).toEqual([0, 0, -0.5, 0.5, 0.5]);
    expect(Array.from(g.sampled!)).toEqual([0, 0, 1, 1, 1]);
    expect(g.imitate).toBeNull();
    const better = targets(
      fakeRecord([[-2], [-3], [-1]], [[0], [0], [0]]),
      parseDispatchSettings({ ...base, greedyRollout: true, silCoef: 1 }),
    );
    expect(Array.from(better.imitate!)).toEqual([0, 0, 1]);
  });
});

describe('dispatch learners', () => {
  beforeAll(useCpu);

  const tables = [
    synthTable({ jobs: 7, cores: 3, bwRatio: 0.5, seed: 1 }),
    synthTable({ jobs: 5, cores: 2, bwRatio: 2, seed: 2 }),
  ];
  const envs = () =>
    Array.from(
      { length: 8 },
      () => new DispatchEnv(fixedTable(synthTable({ jobs: 7, cores: 3, bwRatio: 1, seed: 0 }))),
    );

  it('the tfjs gradient matches finite differences of the JavaScript forward pass', () => {
    const rng = new Rng(4);
    const weights = withoutPlanPull(initialWeights(NET, rng)).map((a) => ({
      ...a,
      data: a.data.map((x) => x + 0.1 * rng.normal()),
    }));
    const model = new DispatchModel(NET, weights);
    const rec = act(model, envs(), [tables[0]!], 2, new Rng(2), {
      greedy: false,
      record: true,
      values: false,
    }).tables[0]!;
    const net = new DispatchNetwork(NET, weights);
    const sumLogProb = (m: DispatchModel) => {
      // Replays the recorded decisions through the JavaScript forward pass.
      const r = act(m, envs(), [tables[0]!], 2, new Rng(2), { greedy: false, record: true, values: false })
        .tables[0]!;
      let s = 0;
      for (let i = 0; i < r.S; i++) s += r.logProb[i]!;
      return s;
    };
    const grads = tf.tidy(() => {
      const g = tf.variableGrads(
        () => tf.sum(net.forward(stepsOf(rec), false, false).logProb) as tf.Scalar,
        net.variables,
      );
      const out: Record<string, number[]> = {};
      net.names.forEach((n, i) => {
        const t = g.grads[net.variables[i]!.name];
        if (t) out[n] = Array.from(t.dataSync());
      });
      return out;
    });
    const eps = 1e-3;
    let nonZero = 0;
    for (const [name, index] of [
      ['pointer/pair/kernel', 4],
      ['pointer/pair/kernel', PAIR_PLAN_NEXT],
      ['close/skip/bias', 0],
      ['close/skip/kernel', CONTEXT_PLAN_DONE],
      ['dec/0/kernel', 3],
      ['enc/0/qkv/kernel', 10],
      ['glimpse/kv/kernel', 3],
      ['job/0/kernel', 2],
    ] as const) {
      const bump = (d: number) =>
        new DispatchModel(
          NET,
          weights.map((a) =>
            a.name === name ? { ...a, data: a.data.map((x, k) => (k === index ? x + d : x)) } : a,
          ),
        );
      // Same seed, so the same actions while the perturbation is small.
      const numeric = (sumLogProb(bump(eps)) - sumLogProb(bump(-eps))) / (2 * eps);
      expect(grads[name]![index]!, name).toBeCloseTo(numeric, 2);
      if (Math.abs(numeric) > 0.01) nonZero++;
    }
    expect(nonZero).toBeGreaterThanOrEqual(4);
    net.dispose();
  });

  it.each(['ppo', 'a2c', 'reinforce'] as const)(
    '%s raises the log-probability of advantaged actions',
    (algo) => {
      const settings = parseDispatchSettings({
        algo,
        network: NET,
        tables: 2,
        rollouts: 4,
        minibatches: 1,
        learningRate: 1e-2,
        advantage: 'shared',
        entCoef: 0,
      });
      const weights = withoutPlanPull(initialWeights(NET, new Rng(1)));
      const model = new DispatchModel(NET, weights);
      const net = new DispatchNetwork(NET, weights);
      const learner = new DispatchLearner(net, settings);
      const res = act(model, envs(), tables, 4, new Rng(3), { greedy: false, record: true, values: true });
      const before = res.tables.map((rec) =>
        tf.tidy(() => Array.from(net.forward(stepsOf(rec), false, false).logProb.dataSync())),
      );
      learner.update(res.tables, settings.learningRate, new Rng(5));
      let dot = 0;
      res.tables.forEach((rec, i) => {
        const adv = targets(rec, settings).advantages;
        const after = tf.tidy(() => Array.from(net.forward(stepsOf(rec), false, false).logProb.dataSync()));
        for (let s = 0; s < rec.S; s++) dot += adv[s]! * (after[s]! - before[i]![s]!);
      });
      expect(dot).toBeGreaterThan(0);
      learner.dispose();
      net.dispose();
    },
  );
});

describe('dispatch trainer', () => {
  beforeAll(useCpu);

  it('a run resumed from a checkpoint continues exactly as an uninterrupted one', () => {
    const settings = parseDispatchSettings({
      algo: 'reinforce',
      network: NET,
      tables: 2,
      rollouts: 3,
      greedyRollout: true,
      silCoef: 1,
      minibatches: 1,
      problems: { jobs: [6, 12], cores: [2, 3], tasks: ['recommendation'] },
    });
    const a = new DispatchTrainer(settings, 7);
    for (let i = 0; i < 3; i++) a.iterate(1e6);
    const b = new DispatchTrainer(settings, 7);
    for (let i = 0; i < 2; i++) b.iterate(1e6);
    const saved = b.checkpoint(1);
    const c = new DispatchTrainer(settings, 7);
    c.restore(saved);
    c.iterate(1e6);
    expect(c.step).toBe(a.step);
    expect(c.net.getWeights().map((w) => Array.from(w.data))).toEqual(
      a.net.getWeights().map((w) => Array.from(w.data)),
    );
    const v = c.validate();
    expect(v.tables).toBeGreaterThan(0);
    expect(v.vsBestHeuristic).toBeGreaterThan(0);
    for (const t of [a, b, c]) t.dispose();
  });

  it('keeps the moving average of the weights, through a checkpoint, as the run policy', () => {
    const d = 0.5;
    const settings = parseDispatchSettings({
      algo: 'reinforce',
      network: NET,
      tables: 1,
      rollouts: 2,
      minibatches: 1,
      averageDecay: d,
      problems: { jobs: [6, 8], cores: [2, 2], tasks: ['recommendation'] },
    });
    const a = new DispatchTrainer(settings, 3);
    // By hand: avg_0 = w_0, avg_k = d avg_{k-1} + (1 - d) w_k.
    const expected = a.net.getWeights().map((w) => Float64Array.from(w.data));
    for (let i = 0; i < 3; i++) {
      a.iterate(1e6);
      a.net.getWeights().forEach((w, k) => {
        for (let e = 0; e < w.data.length; e++) expected[k]![e] = d * expected[k]![e]! + (1 - d) * w.data[e]!;
      });
    }
    const avg = a.policyWeights();
    avg.forEach((w, k) => {
      for (let e = 0; e < w.data.length; e++) expect(w.data[e]).toBeCloseTo(expected[k]![e]!, 5);
    });
    // The average differs from the latest weights, and a restored run continues it exactly.
    expect(avg.map((w) => Array.from(w.data))).not.toEqual(a.net.getWeights().map((w) => Array.from(w.data)));
    const b = new DispatchTrainer(settings, 3);
    for (let i = 0; i < 2; i++) b.iterate(1e6);
    const c = new DispatchTrainer(settings, 3);
    c.restore(b.checkpoint(1));
    c.iterate(1e6);
    expect(c.policyWeights().map((w) => Array.from(w.data))).toEqual(avg.map((w) => Array.from(w.data)));
    // A checkpoint without an average does not restore a run that keeps one.
    const plain = new DispatchTrainer(parseDispatchSettings({ ...settings, averageDecay: 0 }), 3);
    expect(() => c.restore(plain.checkpoint(1))).toThrow(/moving average/);
    for (const t of [a, b, c, plain]) t.dispose();
  });
});
