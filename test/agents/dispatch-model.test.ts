// The dispatching policy: its JavaScript forward pass (acting) and its tfjs forward pass
// (training) compute the same log-probabilities and values; rollouts record what the tfjs
// pass needs and produce valid mappings scored exactly by the evaluator.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DispatchModel, initialWeights } from '../../agents/dispatch/model.js';
import { DispatchNetwork } from '../../agents/dispatch/network.js';
import { act, stepsOf } from '../../agents/dispatch/rollout.js';
import { DispatchEnv } from '../../envs/m3e/dispatch-env.js';
import { fixedTable } from '../../envs/m3e/problem-source.js';
import { evaluate } from '../../src/core/evaluator.js';
import { Rng } from '../../src/core/rng.js';
import { synthTable } from '../../src/core/synth.js';
import { useCpu } from './helpers.js';

const SMALL = { dim: 16, heads: 2, layers: 2, ffn: 24, hidden: 12 };

function envs(n: number, maxJobs: number, maxCores: number): DispatchEnv[] {
  const t = synthTable({ jobs: maxJobs, cores: maxCores, bwRatio: 1, seed: 0 });
  return Array.from({ length: n }, () => new DispatchEnv(fixedTable(t)));
}

describe('dispatch policy', () => {
  beforeAll(useCpu);

  it('acts with the JavaScript forward pass and records what the tfjs pass recomputes identically', () => {
    const rng = new Rng(5);
    // Weights with non-trivial gates and heads, so every branch matters.
    const weights = initialWeights(SMALL, rng).map((a) => ({
      ...a,
      data: a.data.map((x) =>
        x === 0
          ? 0.05 * rng.normal()
          : x * (a.name.startsWith('pointer') || a.name.startsWith('close') ? 100 : 2),
      ),
    }));
    const model = new DispatchModel(SMALL, weights);
    const tables = [
      synthTable({ jobs: 9, cores: 3, bwRatio: 0.4, seed: 1 }),
      synthTable({ jobs: 14, cores: 2, bwRatio: 3, seed: 2 }),
    ];
    const pool = envs(6, 14, 3);
    const res = act(model, pool, tables, 3, rng, { greedy: false, record: true, values: true });
    expect(res.tables).toHaveLength(2);
    const net = new DispatchNetwork(SMALL, weights);
    for (const rec of res.tables) {
      expect(rec.S).toBe(rec.start[rec.K]);
      expect(rec.S).toBeGreaterThanOrEqual(rec.K * rec.J);
      for (let k = 0; k < rec.K; k++) {
        expect(rec.makespan[k]).toBe(evaluate(rec.table, rec.encodings[k]!).makespan);
        // The rewards of a rollout sum to -makespan / LB (dense rewards).
        let sum = 0;
        for (let s = rec.start[k]!; s < rec.start[k + 1]!; s++) sum += rec.reward[s]!;
        expect(sum).toBeCloseTo(-rec.ratio[k]!, 4);
      }
      const out = tf.tidy(() => {
        const o = net.forward(stepsOf(rec), true);
        return [o.logProb.dataSync(), o.value!.dataSync(), o.entropy!.dataSync()];
      });
      let skewed = 0;
      for (let s = 0; s < rec.S; s++) {
        let allowed = 0;
        for (let j = 0; j <= rec.J; j++) allowed += rec.mask[s * (rec.J + 1) + j]!;
        // A uniform policy would give -log(allowed): the weights make it far from uniform.
        if (Math.abs(rec.logProb[s]! + Math.log(allowed)) > 0.1) skewed++;
        expect(out[0]![s]).toBeCloseTo(rec.logProb[s]!, 4);
        expect(Math.abs(out[1]![s]! - rec.value[s]!)).toBeLessThan(1e-4 * (1 + Math.abs(rec.value[s]!)));
        expect(out[2]![s]).toBeGreaterThanOrEqual(0);
      }
      expect(skewed).toBeGreaterThan(rec.S / 4);
    }
    net.dispose();
  });

  it('greedy rollouts are deterministic and rollouts of any size share the weights', () => {
    const model = new DispatchModel(SMALL, initialWeights(SMALL, new Rng(1)));
    const pool = envs(2, 40, 6);
    const tables = [
      synthTable({ jobs: 40, cores: 6, bwRatio: 0.5, seed: 3 }),
      synthTable({ jobs: 5, cores: 2, bwRatio: 2, seed: 4 }),
    ];
    const a = act(model, pool, tables, 1, new Rng(1), { greedy: true, record: false, values: false });
    const b = act(model, pool, tables, 1, new Rng(99), { greedy: true, record: false, values: false });
    expect(Array.from(a.tables.map((t) => t.makespan[0]))).toEqual(
      Array.from(b.tables.map((t) => t.makespan[0])),
    );
    expect(a.tables[1]!.encodings[0]!.core.length).toBe(5);
  });
});
