// Adam and RMSProp against PyTorch's update rules computed by hand; gradient clipping.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, clipByGlobalNorm, RmsProp } from '../../agents/optimizers.js';
import { useCpu } from './helpers.js';

beforeAll(useCpu);

describe('Adam (PyTorch rule)', () => {
  it('matches two hand-computed steps', () => {
    const p = tf.variable(tf.tensor1d([1, -2]));
    const opt = new Adam([p], ['p'], 1e-5);
    const lr = 0.1;
    const g1 = [0.5, -1];
    const g2 = [0.25, 2];
    opt.apply([p], [tf.tensor1d(g1)], lr);
    opt.apply([p], [tf.tensor1d(g2)], lr);
    // By hand: m_t = 0.9 m + 0.1 g, v_t = 0.999 v + 0.001 g^2,
    // p -= lr / (1 - 0.9^t) * m / (sqrt(v) / sqrt(1 - 0.999^t) + eps).
    const expected = [1, -2].map((x0, i) => {
      let x = x0;
      let m = 0;
      let v = 0;
      [g1[i]!, g2[i]!].forEach((g, k) => {
        const t = k + 1;
        m = 0.9 * m + 0.1 * g;
        v = 0.999 * v + 0.001 * g * g;
        x -= (lr / (1 - 0.9 ** t)) * (m / (Math.sqrt(v) / Math.sqrt(1 - 0.999 ** t) + 1e-5));
      });
      return x;
    });
    const got = p.dataSync();
    expect(got[0]).toBeCloseTo(expected[0]!, 5);
    expect(got[1]).toBeCloseTo(expected[1]!, 5);
    expect(opt.steps).toBe(2);
  });

  it('saves and restores its moments and step count', () => {
    const p = tf.variable(tf.tensor1d([1, 2, 3]));
    const a = new Adam([p], ['p'], 1e-5);
    a.apply([p], [tf.tensor1d([1, 1, 1])], 0.01);
    const state = a.getState();
    const q = tf.variable(p.clone());
    const b = new Adam([q], ['p'], 1e-5);
    b.setState(state);
    a.apply([p], [tf.tensor1d([0.5, -1, 2])], 0.01);
    b.apply([q], [tf.tensor1d([0.5, -1, 2])], 0.01);
    expect(Array.from(q.dataSync())).toEqual(Array.from(p.dataSync()));
    expect(b.steps).toBe(2);
    expect(() => b.setState({ steps: 1, arrays: state.arrays.slice(1) })).toThrow(/expected 2 arrays/);
  });
});

describe('RmsProp (PyTorch rule, no momentum)', () => {
  it('matches two hand-computed steps', () => {
    const p = tf.variable(tf.tensor1d([0.5]));
    const opt = new RmsProp([p], ['p'], 0.99, 1e-5);
    opt.apply([p], [tf.tensor1d([2])], 0.01);
    opt.apply([p], [tf.tensor1d([-1])], 0.01);
    let x = 0.5;
    let s = 0;
    for (const g of [2, -1]) {
      s = 0.99 * s + 0.01 * g * g;
      x -= (0.01 * g) / (Math.sqrt(s) + 1e-5);
    }
    expect(p.dataSync()[0]).toBeCloseTo(x, 5);
  });
});

describe('clipByGlobalNorm', () => {
  it('scales all gradients together to the max norm, leaves small ones alone', () => {
    const r = tf.tidy(() => {
      const { clipped, norm } = clipByGlobalNorm([tf.tensor1d([3, 0]), tf.tensor1d([4])], 1);
      return { c: clipped.map((t) => Array.from(t.dataSync())), n: norm.dataSync()[0]! };
    });
    expect(r.n).toBeCloseTo(5, 5);
    expect(r.c[0]![0]).toBeCloseTo(0.6, 5);
    expect(r.c[1]![0]).toBeCloseTo(0.8, 5);
    const small = tf.tidy(() =>
      Array.from(clipByGlobalNorm([tf.tensor1d([0.3, 0.4])], 1).clipped[0]!.dataSync()),
    );
    expect(small[0]).toBeCloseTo(0.3, 6);
    expect(small[1]).toBeCloseTo(0.4, 6);
  });
});
