// Rollout storage: GAE and n-step returns on hand-computed cases, minibatch gathering,
// advantage normalisation, explained variance.
import { describe, expect, it } from 'vitest';
import { explainedVariance, Minibatch, RolloutBuffer } from '../../agents/buffer.js';

describe('RolloutBuffer.computeGae', () => {
  it('matches a hand-computed 3-step, 1-env case with an episode end', () => {
    const b = new RolloutBuffer(3, 1, 1, 1, 0);
    b.rewards.set([1, 2, 3]);
    b.values.set([0.5, 1, 1.5]);
    b.ends.set([0, 1, 0]); // the episode ends with the second transition
    const gamma = 0.9;
    const lambda = 0.8;
    b.computeGae(Float32Array.of(2), gamma, lambda);
    // t = 2: delta = 3 + 0.9 * 2 - 1.5 = 3.3; A = 3.3
    // t = 1: ends -> delta = 2 - 1 = 1; A = 1
    // t = 0: delta = 1 + 0.9 * 1 - 0.5 = 1.4; A = 1.4 + 0.9 * 0.8 * 1 = 2.12
    expect(Array.from(b.advantages).map((x) => +x.toFixed(5))).toEqual([2.12, 1, 3.3]);
    expect(Array.from(b.returns).map((x) => +x.toFixed(5))).toEqual([2.62, 2, 4.8]);
  });

  it('with lambda = 1 gives the discounted n-step returns of A2C', () => {
    const T = 4;
    const b = new RolloutBuffer(T, 2, 1, 1, 0);
    // Env 0 continues through the rollout, env 1 ends after t = 1.
    for (let t = 0; t < T; t++) {
      b.rewards[t * 2] = t + 1;
      b.rewards[t * 2 + 1] = 1;
      b.values[t * 2] = 0.3 * t;
      b.values[t * 2 + 1] = 0.7;
    }
    b.ends[1 * 2 + 1] = 1;
    b.computeGae(Float32Array.of(10, 5), 0.5, 1);
    // Env 0: R_3 = 4 + 0.5 * 10 = 9, R_2 = 3 + 4.5, R_1 = 2 + 3.75, R_0 = 1 + 2.875.
    expect(Array.from({ length: T }, (_, t) => b.returns[t * 2]!)).toEqual([3.875, 5.75, 7.5, 9]);
    // Env 1: R_3 = 1 + 2.5, R_2 = 1 + 1.75; t = 1 ends: R_1 = 1; R_0 = 1 + 0.5.
    expect(Array.from({ length: T }, (_, t) => b.returns[t * 2 + 1]!)).toEqual([1.5, 1, 2.75, 3.5]);
  });
});

describe('Minibatch', () => {
  it('gathers the indexed transitions with their actions and masks', () => {
    const b = new RolloutBuffer(2, 2, 2, 2, 3);
    for (let i = 0; i < 4; i++) {
      b.obs.set([i, 10 + i], i * 2);
      b.actions.set([i, 5 - i], i * 2);
      b.masks.set([1, i % 2, 0], i * 3);
      b.logProbs[i] = i === 0 ? 0 : -i;
      b.advantages[i] = 2 * i;
    }
    const mb = new Minibatch(3, 2, 2, 3);
    b.gather(Int32Array.of(3, 0, 2, 1), 0, 2, mb);
    expect(mb.size).toBe(2);
    expect(Array.from(mb.obs)).toEqual([3, 13, 0, 10]);
    expect(Array.from(mb.actions)).toEqual([3, 2, 0, 5]);
    expect(Array.from(mb.masks)).toEqual([1, 1, 0, 1, 0, 0]);
    expect(Array.from(mb.logProbs)).toEqual([-3, 0]);
    expect(() => b.gather(Int32Array.of(0, 1, 2, 3), 0, 4, mb)).toThrow(/capacity/);
  });

  it('normalises advantages to mean 0 and unbiased std 1', () => {
    const mb = new Minibatch(4, 1, 1, 0);
    mb.resize(4);
    mb.advantages.set([1, 2, 3, 4]);
    mb.normalizeAdvantages();
    const std = Math.sqrt(5 / 3);
    [-1.5, -0.5, 0.5, 1.5].forEach((x, i) => {
      expect(mb.advantages[i]).toBeCloseTo(x / std, 5);
    });
  });
});

describe('explainedVariance', () => {
  it('is 1 for perfect values, 0 for a constant at the mean, negative for worse', () => {
    const ret = Float32Array.of(1, 2, 3, 4);
    expect(explainedVariance(Float32Array.of(1, 2, 3, 4), ret)).toBeCloseTo(1, 6);
    expect(explainedVariance(Float32Array.of(2.5, 2.5, 2.5, 2.5), ret)).toBeCloseTo(0, 6);
    expect(explainedVariance(Float32Array.of(4, 3, 2, 1), ret)).toBeLessThan(0);
    expect(explainedVariance(Float32Array.of(1, 1), Float32Array.of(2, 2))).toBeNaN();
  });
});
