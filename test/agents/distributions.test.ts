// Masked categorical / multi-categorical distributions: JS sampling against the softmax,
// tfjs log-probabilities and entropies against hand computation.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ActionLayout, logProbAndEntropy, sampleActions } from '../../agents/distributions.js';
import { Rng } from '../../src/core/rng.js';
import { useCpu } from './helpers.js';

beforeAll(useCpu);

function softmax(xs: number[]): number[] {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

describe('ActionLayout', () => {
  it('lays the components out one after another', () => {
    const l = new ActionLayout([5, 4]);
    expect(l.dims).toBe(2);
    expect(l.offsets).toEqual([0, 5]);
    expect(l.total).toBe(9);
  });
  it('rejects empty and non-positive components', () => {
    expect(() => new ActionLayout([])).toThrow(/at least one/);
    expect(() => new ActionLayout([3, 0])).toThrow(/>= 1/);
  });
});

describe('sampleActions', () => {
  const layout = new ActionLayout([3]);
  const logits = Float32Array.of(0, 1, 2);

  it('samples in proportion to the softmax (20,000 draws, within 1%)', () => {
    const rng = new Rng(1);
    const counts = [0, 0, 0];
    const a = new Int32Array(1);
    const lp = new Float32Array(1);
    const N = 20_000;
    for (let i = 0; i < N; i++) {
      sampleActions(layout, logits, null, 1, rng, false, a, lp);
      counts[a[0]!]!++;
    }
    const p = softmax([0, 1, 2]);
    counts.forEach((c, i) => {
      expect(Math.abs(c / N - p[i]!)).toBeLessThan(0.01);
    });
  });

  it('never samples a masked action, and renormalises over the allowed ones', () => {
    const rng = new Rng(2);
    const mask = Uint8Array.of(1, 1, 0);
    const a = new Int32Array(1);
    const lp = new Float32Array(1);
    const counts = [0, 0, 0];
    const logProbs = [new Set<number>(), new Set<number>(), new Set<number>()];
    const N = 10_000;
    for (let i = 0; i < N; i++) {
      sampleActions(layout, logits, mask, 1, rng, false, a, lp);
      counts[a[0]!]!++;
      logProbs[a[0]!]!.add(lp[0]!);
    }
    expect(counts[2]).toBe(0);
    expect(Math.abs(counts[1]! / N - softmax([0, 1])[1]!)).toBeLessThan(0.015);
    expect([...logProbs[1]!]).toHaveLength(1);
    expect([...logProbs[1]!][0]).toBeCloseTo(Math.log(softmax([0, 1])[1]!), 5);
  });

  it('greedy takes the most likely allowed choice per component, with its log-probability', () => {
    const l2 = new ActionLayout([3, 2]);
    const lg = Float32Array.of(0, 5, 1, /* second component */ 2, -1, /* row 2 */ 3, 0, 0, 0, 4);
    const mask = Uint8Array.of(1, 1, 1, 1, 1, /* row 2: best of comp 0 masked */ 0, 1, 1, 1, 1);
    const a = new Int32Array(4);
    const lp = new Float32Array(2);
    sampleActions(l2, lg, mask, 2, new Rng(0), true, a, lp);
    expect(Array.from(a)).toEqual([1, 0, 1, 1]);
    const expected0 = Math.log(softmax([0, 5, 1])[1]!) + Math.log(softmax([2, -1])[0]!);
    expect(lp[0]).toBeCloseTo(expected0, 5);
    // Row 2: choices 1 and 2 tie (0, 0) among the allowed: the first wins.
    expect(lp[1]).toBeCloseTo(Math.log(0.5) + Math.log(softmax([0, 4])[1]!), 5);
  });

  it('is reproducible with the same Rng seed', () => {
    const draw = (seed: number) => {
      const rng = new Rng(seed);
      const a = new Int32Array(50);
      sampleActions(layout, new Float32Array(150).fill(0), null, 50, rng, false, a, new Float32Array(50));
      return Array.from(a);
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
  });

  it('throws when a mask allows nothing', () => {
    expect(() =>
      sampleActions(
        layout,
        logits,
        Uint8Array.of(0, 0, 0),
        1,
        new Rng(0),
        false,
        new Int32Array(1),
        new Float32Array(1),
      ),
    ).toThrow(/allows no choice/);
  });
});

describe('logProbAndEntropy', () => {
  it('matches the hand-computed masked log-probabilities and entropies', () => {
    const layout = new ActionLayout([3, 2]);
    const rows = [
      [0, 1, 2, 0.5, -0.5],
      [1, 1, 1, 3, 3],
    ];
    const masks = [
      [1, 1, 1, 1, 1],
      [1, 0, 1, 1, 1],
    ];
    const acts = [
      [2, 1],
      [0, 0],
    ];
    const { lp, ent } = tf.tidy(() => {
      const r = logProbAndEntropy(
        layout,
        tf.tensor2d(rows),
        tf.tensor2d(masks),
        tf.tensor2d(acts, [2, 2], 'int32'),
      );
      return { lp: r.logProb.arraySync(), ent: r.entropy.arraySync() };
    });
    const H = (p: number[]) => -p.reduce((s, x) => s + (x > 0 ? x * Math.log(x) : 0), 0);
    const p00 = softmax([0, 1, 2]);
    const p01 = softmax([0.5, -0.5]);
    expect(lp[0]).toBeCloseTo(Math.log(p00[2]!) + Math.log(p01[1]!), 5);
    expect(ent[0]).toBeCloseTo(H(p00) + H(p01), 5);
    // Row 2: the masked choice is excluded; two equal allowed logits -> log(1/2), entropy log 2.
    expect(lp[1]).toBeCloseTo(Math.log(0.5) + Math.log(0.5), 5);
    expect(ent[1]).toBeCloseTo(2 * Math.log(2), 5);
  });

  it('agrees with the sampler on the log-probability of sampled actions', () => {
    const layout = new ActionLayout([4, 3]);
    const rng = new Rng(9);
    const B = 6;
    const logits = Float32Array.from({ length: B * 7 }, () => rng.normal());
    const mask = Uint8Array.from({ length: B * 7 }, (_, i) => (i % 7 === 1 || i % 7 === 5 ? 0 : 1));
    const a = new Int32Array(B * 2);
    const lp = new Float32Array(B);
    sampleActions(layout, logits, mask, B, rng, false, a, lp);
    const tfLp = tf.tidy(() =>
      logProbAndEntropy(
        layout,
        tf.tensor2d(logits, [B, 7]),
        tf.tensor2d(Float32Array.from(mask), [B, 7]),
        tf.tensor2d(a, [B, 2], 'int32'),
      ).logProb.dataSync(),
    );
    for (let b = 0; b < B; b++) expect(tfLp[b]).toBeCloseTo(lp[b]!, 4);
  });

  it('gives masked logits zero gradient and finite gradients elsewhere', () => {
    const layout = new ActionLayout([3]);
    const g = tf.tidy(() =>
      tf
        .grad((x: tf.Tensor) => {
          const r = logProbAndEntropy(
            layout,
            x as tf.Tensor2D,
            tf.tensor2d([[1, 0, 1]]),
            tf.tensor2d([[0]], [1, 1], 'int32'),
          );
          return tf.add(tf.sum(r.logProb), tf.sum(r.entropy));
        })(tf.tensor2d([[0.3, 2, -1]]))
        .dataSync(),
    );
    expect(g[1]).toBe(0);
    expect(Number.isFinite(g[0]!) && Number.isFinite(g[2]!)).toBe(true);
    expect(g[0]).not.toBe(0);
  });
});
