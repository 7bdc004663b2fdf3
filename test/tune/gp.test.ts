import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { GaussianProcess, MarginalLikelihood } from '../../src/tune/gp.js';
import { matern52, thetaFromParams } from '../../src/tune/kernel.js';

const SQRT5 = Math.sqrt(5);

function sample2d(n: number, seed: number) {
  const rng = new Rng(seed);
  const X = Float64Array.from({ length: 2 * n }, () => rng.float());
  const f = (a: number, b: number) => Math.sin(6 * a) + Math.cos(4 * b) + a * b;
  const y = Float64Array.from({ length: n }, (_, i) => f(X[2 * i]!, X[2 * i + 1]!));
  return { X, y, f };
}

describe('Matern-5/2 kernel', () => {
  it('has the closed form at r = 0, 1, 2', () => {
    expect(matern52(0)).toBe(1);
    expect(matern52(1)).toBeCloseTo((1 + SQRT5 + 5 / 3) * Math.exp(-SQRT5), 15);
    expect(matern52(4)).toBeCloseTo((1 + 2 * SQRT5 + 20 / 3) * Math.exp(-2 * SQRT5), 15);
  });
});

describe('GP regression', () => {
  it('matches a hand-computed 1-D posterior (two points, fixed kernel)', () => {
    // X = {0, 1}, y = {1, 3}: standardised y = {-1, 1} (mean 2, std 1).
    // l = 0.5, s2 = 1, noise = 0.01; test point x = 0.25.
    const noise = 0.01;
    const gp = GaussianProcess.fit(Float64Array.of(0, 1), [1, 3], 1, {
      fixed: { lengthScales: Float64Array.of(0.5), signalVariance: 1, noiseVariance: noise },
    });
    const m = (r: number) => (1 + SQRT5 * r + (5 / 3) * r * r) * Math.exp(-SQRT5 * r);
    const a = 1 + noise; // K diagonal
    const c = m(2); // k(0, 1): r = 1 / 0.5
    const k1 = m(0.5); // k(0.25, 0)
    const k2 = m(1.5); // k(0.25, 1)
    const det = a * a - c * c;
    // K^-1 = [a -c; -c a] / det; mean = k*^T K^-1 z; var = 1 - k*^T K^-1 k*.
    const meanStd = (k1 * (a * -1 - c * 1) + k2 * (-c * -1 + a * 1)) / det;
    const varStd = 1 - (a * k1 * k1 - 2 * c * k1 * k2 + a * k2 * k2) / det;
    const p = gp.predict([0.25]);
    expect(p.mean).toBeCloseTo(2 + meanStd, 12);
    expect(p.variance).toBeCloseTo(varStd, 12);
    // Numerically: mean 1.4155..., below the midpoint because x is nearer the y = 1 point.
    expect(p.mean).toBeLessThan(2);
    // Log marginal likelihood of the standardised data, by hand.
    const quad = (a * 1 + 2 * c * 1 + a * 1) / det; // z^T K^-1 z with z = (-1, 1)
    expect(gp.logMarginalLikelihood).toBeCloseTo(
      -0.5 * quad - 0.5 * Math.log(det) - Math.log(2 * Math.PI),
      12,
    );
  });

  it('interpolates its training points after a likelihood fit (variance near zero there)', () => {
    const { X, y } = sample2d(12, 1);
    const gp = GaussianProcess.fit(X, y, 2, { restarts: 2, rng: new Rng(1) });
    let yVar = 0;
    const mean = y.reduce((s, v) => s + v, 0) / y.length;
    for (const v of y) yVar += (v - mean) ** 2 / y.length;
    for (let i = 0; i < y.length; i++) {
      const p = gp.predict(X.subarray(2 * i, 2 * i + 2));
      expect(Math.abs(p.mean - y[i]!)).toBeLessThan(1e-2 * Math.sqrt(yVar));
      expect(p.variance).toBeLessThan(1e-4 * yVar);
    }
    // Away from the data the model is unsure.
    expect(gp.predict([0.5, -1]).variance).toBeGreaterThan(0.1 * yVar);
  });

  it('predicts held-out points of a smooth function well', () => {
    const { X, y, f } = sample2d(30, 2);
    const gp = GaussianProcess.fit(X, y, 2, { restarts: 1, rng: new Rng(2) });
    const rng = new Rng(9);
    let err = 0;
    for (let t = 0; t < 50; t++) {
      const a = rng.float();
      const b = rng.float();
      err += Math.abs(gp.predict([a, b]).mean - f(a, b)) / 50;
    }
    expect(err).toBeLessThan(0.1);
  });

  it('likelihood gradient matches finite differences', () => {
    const { X, y } = sample2d(9, 3);
    const ys = Float64Array.from(y, (v) => v - 0.3);
    const lik = new MarginalLikelihood(X, 9, 2, ys);
    const theta = thetaFromParams({
      lengthScales: Float64Array.of(0.3, 0.7),
      signalVariance: 1.3,
      noiseVariance: 0.02,
    });
    const g = new Float64Array(4);
    lik.value(theta, g);
    for (let j = 0; j < 4; j++) {
      const h = 1e-6;
      const tp = Float64Array.from(theta);
      const tm = Float64Array.from(theta);
      tp[j] = tp[j]! + h;
      tm[j] = tm[j]! - h;
      const fd = (lik.value(tp, null) - lik.value(tm, null)) / (2 * h);
      expect(g[j]).toBeCloseTo(fd, 6);
    }
  });

  it('the fit does not lose to the neutral start, and recovers an irrelevant input', () => {
    // y depends on x0 only; x1's length scale should come out long.
    const rng = new Rng(4);
    const n = 25;
    const X = Float64Array.from({ length: 2 * n }, () => rng.float());
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(5 * X[2 * i]!));
    const fitted = GaussianProcess.fit(X, y, 2, { restarts: 2, rng: new Rng(5) });
    const neutral = GaussianProcess.fit(X, y, 2, {
      fixed: { lengthScales: Float64Array.of(0.5, 0.5), signalVariance: 1, noiseVariance: 1e-3 },
    });
    expect(fitted.logMarginalLikelihood).toBeGreaterThanOrEqual(neutral.logMarginalLikelihood);
    const [l0, l1] = fitted.params.lengthScales;
    expect(l1!).toBeGreaterThan(5 * l0!);
  });

  it('posterior gradients match finite differences', () => {
    const { X, y } = sample2d(10, 6);
    const gp = GaussianProcess.fit(X, y, 2, { restarts: 1, rng: new Rng(6) });
    const x = Float64Array.of(0.37, 0.61);
    const gm = new Float64Array(2);
    const gv = new Float64Array(2);
    gp.predictWithGradient(x, gm, gv);
    for (let i = 0; i < 2; i++) {
      const h = 1e-6;
      const xp = Float64Array.from(x);
      const xm = Float64Array.from(x);
      xp[i] = xp[i]! + h;
      xm[i] = xm[i]! - h;
      const pp = gp.predictStandardized(xp, 0, { mean: 0, variance: 0 });
      const pm = gp.predictStandardized(xm, 0, { mean: 0, variance: 0 });
      expect(gm[i]).toBeCloseTo((pp.mean - pm.mean) / (2 * h), 5);
      expect(gv[i]).toBeCloseTo((pp.variance - pm.variance) / (2 * h), 5);
    }
  });

  it('is deterministic for a given rng', () => {
    const { X, y } = sample2d(15, 7);
    const a = GaussianProcess.fit(X, y, 2, { restarts: 2, rng: new Rng(8) });
    const b = GaussianProcess.fit(X, y, 2, { restarts: 2, rng: new Rng(8) });
    expect(Array.from(a.theta)).toEqual(Array.from(b.theta));
  });
});
