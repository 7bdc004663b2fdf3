// The actor-critic network: orthogonal initialisation, the hand-written dense gradient,
// trunk layouts and weight round trips.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ActorCritic, orthogonalMatrix } from '../../agents/networks.js';
import { NetworkSettingsSchema } from '../../agents/settings.js';
import { Rng } from '../../src/core/rng.js';
import { useCpu } from './helpers.js';

beforeAll(useCpu);

function gram(m: Float32Array, rows: number, cols: number, byColumns: boolean): number[][] {
  const n = byColumns ? cols : rows;
  const len = byColumns ? rows : cols;
  const at = (v: number, i: number) => (byColumns ? m[i * cols + v]! : m[v * cols + i]!);
  return Array.from({ length: n }, (_, a) =>
    Array.from({ length: n }, (_, b) => {
      let s = 0;
      for (let i = 0; i < len; i++) s += at(a, i) * at(b, i);
      return s;
    }),
  );
}

describe('orthogonalMatrix', () => {
  it.each([
    [6, 3],
    [3, 6],
    [5, 5],
  ])('%i x %i has orthonormal columns/rows times the gain', (rows, cols) => {
    const gain = 1.5;
    const m = orthogonalMatrix(rows, cols, gain, new Rng(4));
    const g = gram(m, rows, cols, rows >= cols);
    g.forEach((row, a) => {
      row.forEach((v, b) => {
        expect(v).toBeCloseTo(a === b ? gain * gain : 0, 4);
      });
    });
  });

  it('is deterministic per seed', () => {
    expect(orthogonalMatrix(4, 3, 1, new Rng(1))).toEqual(orthogonalMatrix(4, 3, 1, new Rng(1)));
    expect(orthogonalMatrix(4, 3, 1, new Rng(1))).not.toEqual(orthogonalMatrix(4, 3, 1, new Rng(2)));
  });
});

describe('ActorCritic', () => {
  const shape = { obsSize: 5, logitsSize: 4 };

  it('has separate actor and critic trunks by default, one shared trunk on request', () => {
    const sep = new ActorCritic(shape, NetworkSettingsSchema.parse({ hidden: [8, 8] }), new Rng(0));
    expect(sep.names).toEqual([
      'actor/0/kernel',
      'actor/0/bias',
      'actor/1/kernel',
      'actor/1/bias',
      'actor/head/kernel',
      'actor/head/bias',
      'critic/0/kernel',
      'critic/0/bias',
      'critic/1/kernel',
      'critic/1/bias',
      'critic/head/kernel',
      'critic/head/bias',
    ]);
    // (5*8+8) + (8*8+8) + (8*4+4) + (5*8+8) + (8*8+8) + (8*1+1)
    expect(sep.parameterCount).toBe(48 + 72 + 36 + 48 + 72 + 9);
    const shared = new ActorCritic(
      shape,
      NetworkSettingsSchema.parse({ hidden: [8], sharedTrunk: true }),
      new Rng(0),
    );
    expect(shared.names).toEqual([
      'trunk/0/kernel',
      'trunk/0/bias',
      'policy/head/kernel',
      'policy/head/bias',
      'value/head/kernel',
      'value/head/bias',
    ]);
    sep.dispose();
    shared.dispose();
  });

  it('initialises the policy head small (near-uniform policy) and biases at zero', () => {
    const net = new ActorCritic(shape, NetworkSettingsSchema.parse({ hidden: [16] }), new Rng(0));
    const w = net.getWeights();
    const head = w.find((a) => a.name === 'actor/head/kernel')!;
    expect(Math.max(...Array.from(head.data, Math.abs))).toBeLessThan(0.05);
    for (const a of w.filter((x) => x.name.endsWith('bias')))
      expect(Array.from(a.data).every((v) => v === 0)).toBe(true);
    const { logits } = net.predict(new Float32Array(10).fill(0.5), 2);
    expect(Math.max(...Array.from(logits, Math.abs))).toBeLessThan(0.2);
    expect(Array.from(net.predictLogits(new Float32Array(10).fill(0.5), 2))).toEqual(Array.from(logits));
    net.dispose();
  });

  it('computes the same forward pass and gradients as plain tfjs ops', () => {
    const net = new ActorCritic(
      shape,
      NetworkSettingsSchema.parse({ hidden: [6, 7], activation: 'relu' }),
      new Rng(5),
    );
    const obs = tf.tensor2d(
      Float32Array.from({ length: 15 }, (_, i) => Math.sin(i)),
      [3, 5],
    );
    const w = Object.fromEntries(net.names.map((n, i) => [n, net.variables[i]!]));
    const plain = (x: tf.Tensor2D, p: string, layers: number) => {
      let h: tf.Tensor2D = x;
      for (let i = 0; i < layers; i++)
        h = tf.relu<tf.Tensor2D>(
          tf.add(tf.matMul(h, w[`${p}/${i}/kernel`] as tf.Tensor2D), w[`${p}/${i}/bias`]!) as tf.Tensor2D,
        );
      return tf.add(tf.matMul(h, w[`${p}/head/kernel`] as tf.Tensor2D), w[`${p}/head/bias`]!);
    };
    const loss = (f: () => { logits: tf.Tensor; value: tf.Tensor }) => () => {
      const { logits, value } = f();
      return tf.add(tf.sum(tf.square(logits)), tf.sum(tf.mul(value, 3))) as tf.Scalar;
    };
    const ours = tf.variableGrads(
      loss(() => net.forward(obs)),
      net.variables as tf.Variable[],
    );
    const ref = tf.variableGrads(
      loss(() => ({ logits: plain(obs, 'actor', 2), value: plain(obs, 'critic', 2) })),
      net.variables as tf.Variable[],
    );
    expect(ours.value.dataSync()[0]).toBeCloseTo(ref.value.dataSync()[0]!, 4);
    for (const v of net.variables) {
      const a = ours.grads[v.name]!.dataSync();
      const b = ref.grads[v.name]!.dataSync();
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 4);
    }
    net.dispose();
  });

  it('round-trips its weights and refuses mismatched ones', () => {
    const s = NetworkSettingsSchema.parse({ hidden: [8] });
    const a = new ActorCritic(shape, s, new Rng(1));
    const b = new ActorCritic(shape, s, new Rng(2));
    const obs = new Float32Array(5).fill(0.3);
    expect(Array.from(b.predict(obs, 1).logits)).not.toEqual(Array.from(a.predict(obs, 1).logits));
    b.setWeights(a.getWeights());
    expect(Array.from(b.predict(obs, 1).logits)).toEqual(Array.from(a.predict(obs, 1).logits));
    const c = new ActorCritic({ obsSize: 6, logitsSize: 4 }, s, new Rng(1));
    expect(() => c.setWeights(a.getWeights())).toThrow(/shape/);
    expect(() => c.setWeights(a.getWeights().slice(1))).toThrow(/expected/);
    for (const n of [a, b, c]) n.dispose();
  });
});
