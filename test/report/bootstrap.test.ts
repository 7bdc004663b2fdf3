// Robust estimates by hand, and the stratified bootstrap against distributions known in
// closed form.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import {
  bootstrapInterval,
  iqm,
  iqmInterval,
  mean,
  meanInterval,
  median,
  medianInterval,
  performanceProfile,
  probabilityOfImprovement,
  probabilityOfImprovementInterval,
  quantileSorted,
  thresholds,
} from '../../src/report/bootstrap.js';

describe('point estimates', () => {
  it('IQM cuts floor(n / 4) values from each end (scipy trim_mean 0.25)', () => {
    expect(iqm([8, 1, 7, 2, 6, 3, 5, 4])).toBe(4.5); // mean of 3, 4, 5, 6
    expect(iqm([1, 2, 3, 4, 100])).toBe(3); // mean of 2, 3, 4
    expect(iqm([1, 2, 9])).toBe(4); // under 4 values: the mean
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantileSorted([10, 20], 0.75)).toBe(17.5);
    expect(Number.isNaN(iqm([]))).toBe(true);
  });

  it('probability of improvement: pairs won plus half the ties, averaged over problems', () => {
    // Problem 1: (1<2) (1<3) (2=2) (2<3) -> 3.5 / 4; problem 2: 5 > 4 -> 0.
    expect(probabilityOfImprovement([[1, 2]], [[2, 3]])).toBe(0.875);
    expect(probabilityOfImprovement([[1, 2], [5]], [[2, 3], [4]])).toBe(0.4375);
    expect(probabilityOfImprovement([[1, 1]], [[1]])).toBe(0.5);
  });
});

describe('stratified bootstrap', () => {
  it('keeps every problem in every resample: two constant problems give a degenerate interval', () => {
    const strata = [
      [1, 1, 1],
      [3, 3, 3],
    ];
    const i = meanInterval(strata, { seed: 1, resamples: 500 });
    // Unstratified resampling of the six values would put the mean anywhere in [1, 3].
    expect([i.estimate, i.low, i.high]).toEqual([2, 2, 2]);
  });

  it('the bootstrap distribution of a mean has the plug-in variance sum (x - mean)^2 / n^2', () => {
    const rng = new Rng(11);
    const x = Array.from({ length: 50 }, () => rng.normal() * 2 + 5);
    const m = mean(x);
    const sd = Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0)) / x.length;
    // Record the resampled means to read their spread.
    const means: number[] = [];
    let first = true;
    bootstrapInterval(
      [[x]],
      (g) => {
        const v = mean(g[0]![0]!);
        if (!first) means.push(v);
        first = false;
        return v;
      },
      { seed: 3, resamples: 8000 },
    );
    const bm = mean(means);
    const bsd = Math.sqrt(means.reduce((s, v) => s + (v - bm) ** 2, 0) / (means.length - 1));
    expect(bm).toBeCloseTo(m, 1);
    expect(bsd / sd).toBeGreaterThan(0.95);
    expect(bsd / sd).toBeLessThan(1.05);
    // And the 95 % interval is about mean +- 1.96 of it (a normal sampling distribution).
    const i = meanInterval([x], { seed: 3, resamples: 8000 });
    expect((i.high - i.low) / (2 * 1.96 * sd)).toBeGreaterThan(0.93);
    expect((i.high - i.low) / (2 * 1.96 * sd)).toBeLessThan(1.07);
  });

  it('95 % intervals of the mean, median and IQM of N(0, 1) samples cover 0 about 95 % of the time', () => {
    const rng = new Rng(2024);
    const trials = 200;
    let mean0 = 0;
    let median0 = 0;
    let iqm0 = 0;
    for (let t = 0; t < trials; t++) {
      // Two problems of 20 seeds each, both N(0, 1): every pooled statistic's truth is 0.
      const strata = [0, 1].map(() => Array.from({ length: 20 }, () => rng.normal()));
      const opts = { seed: t, resamples: 600 };
      const a = meanInterval(strata, opts);
      const b = medianInterval(strata, opts);
      const c = iqmInterval(strata, opts);
      if (a.low <= 0 && 0 <= a.high) mean0++;
      if (b.low <= 0 && 0 <= b.high) median0++;
      if (c.low <= 0 && 0 <= c.high) iqm0++;
    }
    // Binomial(200, 0.95) lies in [178, 198] with probability > 0.999; percentile intervals
    // run a little short at n = 40, hence the lower limit.
    for (const covered of [mean0, median0, iqm0]) {
      expect(covered).toBeGreaterThanOrEqual(175);
      expect(covered).toBeLessThanOrEqual(199);
    }
  });

  it('same seed, same interval; another seed, another one', () => {
    const strata = [
      [1.1, 1.3, 1.2, 1.6],
      [2.0, 2.4, 2.1, 2.2],
    ];
    const a = iqmInterval(strata, { seed: 5, resamples: 300 });
    expect(iqmInterval(strata, { seed: 5, resamples: 300 })).toEqual(a);
    expect(iqmInterval(strata, { seed: 6, resamples: 300 })).not.toEqual(a);
    expect(a.low).toBeLessThanOrEqual(a.estimate);
    expect(a.high).toBeGreaterThanOrEqual(a.estimate);
  });

  it('probability of improvement interval contains its estimate, and is 1 when X always wins', () => {
    const x = [
      [1, 2, 3],
      [1, 1, 1],
    ];
    const y = [
      [4, 5, 6],
      [2, 2, 2],
    ];
    expect(probabilityOfImprovementInterval(x, y, { seed: 1, resamples: 200 })).toEqual({
      estimate: 1,
      low: 1,
      high: 1,
    });
    const z = [
      [1, 5, 3],
      [2, 1, 3],
    ];
    const i = probabilityOfImprovementInterval(z, y, { seed: 1, resamples: 500 });
    expect(i.low).toBeLessThanOrEqual(i.estimate);
    expect(i.high).toBeGreaterThanOrEqual(i.estimate);
    expect(i.high).toBeLessThanOrEqual(1);
  });

  it('performance profile: fraction of runs at or below each threshold, with bands around it', () => {
    const strata = [
      [1.0, 1.2, 1.4],
      [1.1, 1.3, 2.0],
    ];
    const pts = performanceProfile(strata, [0.9, 1.0, 1.25, 2.0], { seed: 1, resamples: 400 });
    expect(pts.map((p) => p.fraction)).toEqual([0, 1 / 6, 3 / 6, 1]);
    for (const p of pts) {
      expect(p.low).toBeLessThanOrEqual(p.fraction);
      expect(p.high).toBeGreaterThanOrEqual(p.fraction);
    }
    expect(pts[0]).toMatchObject({ low: 0, high: 0 });
    expect(pts[3]).toMatchObject({ low: 1, high: 1 });
    expect(thresholds(1, 2, 5)).toEqual([1, 1.25, 1.5, 1.75, 2]);
  });
});
