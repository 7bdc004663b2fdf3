// Significance tests and distributions on hand-computed and textbook cases. Reference values
// marked "scipy" were computed with scipy.stats 1.17 (chi2.sf, f.sf, studentized_range.ppf,
// wilcoxon, mannwhitneyu, friedmanchisquare).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  betaIncomplete,
  chiSquareSf,
  fSf,
  gammaQ,
  normalSf,
  studentizedRangeCdf,
  studentizedRangeQuantile,
} from '../../src/report/distributions.js';
import {
  cliques,
  friedman,
  holm,
  mannWhitneyU,
  midRanks,
  minRankSumP,
  minSignedRankP,
  nemenyiCriticalDifference,
  wilcoxonSignedRank,
} from '../../src/report/significance.js';

/** Every subset of `n` items as a bit mask. */
function* masks(n: number): Generator<number> {
  for (let m = 0; m < 2 ** n; m++) yield m;
}

describe('distributions', () => {
  it('chi-square and F tails match scipy', () => {
    // chi2 with 2 df has survival exp(-x / 2): exp(-3) at 6.
    expect(chiSquareSf(6, 2)).toBeCloseTo(Math.exp(-3), 10);
    expect(chiSquareSf(9.28, 3)).toBeCloseTo(0.025790724198756772, 10);
    expect(chiSquareSf(0.5, 1)).toBeCloseTo(0.47950012218695337, 10);
    expect(chiSquareSf(30, 5) / 1.4748581038443073e-5).toBeCloseTo(1, 10);
    expect(chiSquareSf(200, 10) / 1.6139305336977317e-37).toBeCloseTo(1, 9);
    expect(fSf(3.69, 3, 39)).toBeCloseTo(0.01974409968948888, 10);
    expect(fSf(1.2, 5, 20)).toBeCloseTo(0.34480149991012005, 10);
    expect(gammaQ(0.5, 2)).toBeCloseTo(0.04550026389635857, 10);
    expect(gammaQ(3, 1.5)).toBeCloseTo(0.8088468305380582, 10);
    expect(gammaQ(10, 25) / 0.0002214766382487835).toBeCloseTo(1, 10);
    // I_0.4(2, 3) = 0.5248 exactly (a polynomial).
    expect(betaIncomplete(0.4, 2, 3)).toBeCloseTo(0.5248, 10);
    expect(betaIncomplete(0.9, 0.5, 0.5)).toBeCloseTo(0.7951672353008665, 10);
    expect(betaIncomplete(0.2, 10, 20)).toBeCloseTo(0.049263517304212585, 10);
    expect(normalSf(3)).toBeCloseTo(0.0013498980316300933, 10);
    expect(normalSf(8) / 6.22096057427174e-16).toBeCloseTo(1, 10);
  });

  it('studentized range: the Nemenyi q_0.05 of Demsar 2006 (table 5) and scipy quantiles', () => {
    // q_alpha = studentized range quantile / sqrt(2), k = 2..10 mappers.
    const demsar = [1.96, 2.343, 2.569, 2.728, 2.85, 2.949, 3.031, 3.102, 3.164];
    const scipy95 = [
      1.9599639845400534, 2.343700586378409, 2.569031772546482, 2.7277743708703763, 2.8497054196100016,
      2.9483200175296744, 3.030878449614413, 3.1017303413033805, 3.163683577053373,
    ];
    const scipy90 = [1.6448536269514722, 2.0522927304967755, 2.2913414968880566];
    demsar.forEach((q, i) => {
      const k = i + 2;
      const got = studentizedRangeQuantile(0.95, k) / Math.SQRT2;
      // Demsar's table is truncated to three decimals.
      expect(Math.abs(got - q)).toBeLessThan(1e-3);
      expect(got).toBeCloseTo(scipy95[i]!, 7);
    });
    scipy90.forEach((q, i) => {
      expect(studentizedRangeQuantile(0.9, i + 2) / Math.SQRT2).toBeCloseTo(q, 7);
    });
    // Two groups: the range of two normals is |N(0, 2)|, so P(R <= q) = 2 Phi(q / sqrt 2) - 1.
    expect(studentizedRangeCdf(1, 2)).toBeCloseTo(0.5204998778130465, 10);
    expect(studentizedRangeCdf(3, 4)).toBeCloseTo(0.8537285189523403, 9);
  });
});

describe('mid-ranks and Holm', () => {
  it('ties share the mean of their ranks', () => {
    expect(midRanks([10, 20, 20, 5, 20])).toEqual([2, 4, 4, 1, 4]);
    expect(midRanks([3, 1, 2])).toEqual([3, 1, 2]);
  });

  it("Holm's step-down: sorted p times (m - i + 1), monotone, capped at 1", () => {
    // Sorted 0.01, 0.02, 0.03, 0.04 -> 0.04, 0.06, 0.06 (monotone), 0.04 -> 0.06.
    expect(holm([0.04, 0.01, 0.03, 0.02])).toEqual([0.06, 0.04, 0.06, 0.06]);
    expect(holm([0.5, 0.6])).toEqual([1, 1]);
    expect(holm([0.001])).toEqual([0.001]);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }),
        (ps) => {
          const adj = holm(ps);
          ps.forEach((p, i) => {
            expect(adj[i]!).toBeGreaterThanOrEqual(p);
            expect(adj[i]!).toBeLessThanOrEqual(1);
          });
        },
      ),
    );
  });
});

describe('Wilcoxon signed-rank', () => {
  it('the textbook example (10 pairs, one zero, tied differences): W+ 27, W- 18, p 0.6328', () => {
    const a = [125, 115, 130, 140, 140, 115, 140, 125, 140, 135];
    const b = [110, 122, 125, 120, 140, 124, 123, 137, 135, 145];
    const r = wilcoxonSignedRank(a, b);
    // Differences 15, -7, 5, 20, 0, -9, 17, -12, 5, -10: the zero dropped, |5| twice at ranks 1.5.
    expect([r.n, r.wPlus, r.wMinus, r.statistic]).toEqual([9, 27, 18, 18]);
    // Exact given the ties: 162 of the 512 sign assignments reach W+ >= 27 (scipy: 0.6328125).
    expect(r.p).toBeCloseTo(0.6328125, 14);
    expect(r.method).toBe('exact');
  });

  it('without ties it is the classical exact test (scipy: W 5, p 0.0390625)', () => {
    const a = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
    const b = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
    const r = wilcoxonSignedRank(a, b);
    expect(r.statistic).toBe(5);
    expect(r.p).toBeCloseTo(0.0390625, 14);
  });

  it('equals a brute-force enumeration of sign flips of the mid-ranks', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -4, max: 4 }), { minLength: 1, maxLength: 10 }), (d) => {
        const r = wilcoxonSignedRank(
          d,
          d.map(() => 0),
        );
        const nz = d.filter((v) => v !== 0);
        if (nz.length === 0) {
          expect(r.p).toBe(1);
          return;
        }
        const ranks = midRanks(nz.map(Math.abs));
        let lo = 0;
        let hi = 0;
        for (const m of masks(nz.length)) {
          let w = 0;
          ranks.forEach((rk, i) => {
            if (m & (1 << i)) w += rk;
          });
          if (w <= r.wPlus + 1e-9) lo++;
          if (w >= r.wPlus - 1e-9) hi++;
        }
        expect(r.p).toBeCloseTo(Math.min(1, (2 * Math.min(lo, hi)) / 2 ** nz.length), 12);
      }),
      { numRuns: 60 },
    );
  });

  it('the smallest p over n pairs is 2 / 2^n: four problems can never be significant at 5 %', () => {
    expect(wilcoxonSignedRank([1, 2, 3, 4], [2, 3, 4, 5]).p).toBe(minSignedRankP(4));
    expect(minSignedRankP(4)).toBe(0.125);
    expect(minSignedRankP(6)).toBeCloseTo(0.03125, 15);
  });
});

describe('Mann-Whitney U', () => {
  it('no ties: the classical exact test (scipy: U 35, p 0.254412)', () => {
    const a = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    const b = [1.15, 0.88, 0.9, 0.74, 1.21];
    const r = mannWhitneyU(a, b);
    expect(r.u).toBe(35);
    expect(r.p).toBeCloseTo(0.2544122544122544, 14);
    expect(r.probabilityLess).toBeCloseTo(1 - 35 / 50, 14);
  });

  it('with ties: the exact conditional distribution (scipy permutation test: 0.125541)', () => {
    const r = mannWhitneyU([1, 2, 2, 3, 5], [2, 3, 4, 4, 6, 7]);
    expect(r.u).toBe(6.5);
    // 58 of the 462 splits are as extreme (brute force); 2 * 29 / 462.
    expect(r.p).toBeCloseTo(0.12554112554112554, 14);
  });

  it('three seeds against three: the best case has p = 0.1 (never significant at 5 %)', () => {
    const r = mannWhitneyU([1, 2, 3], [4, 5, 6]);
    expect(r.p).toBeCloseTo(0.1, 14);
    expect(minRankSumP(3, 3)).toBeCloseTo(0.1, 14);
    expect(minRankSumP(10, 10)).toBeCloseTo(2 / 184756, 18);
    // A deterministic mapper (ten equal values) against a spread one.
    const det = mannWhitneyU(
      new Array(10).fill(1.05),
      [1.1, 1.2, 1.06, 1.3, 1.07, 1.09, 1.15, 1.11, 1.08, 1.2],
    );
    expect(det.p).toBeCloseTo(minRankSumP(10, 10), 18);
  });

  it('the normal approximation takes over for large samples and agrees with the exact test nearby', () => {
    const a = Array.from({ length: 300 }, (_, i) => Math.sin(i) + 0.1);
    const b = Array.from({ length: 300 }, (_, i) => Math.cos(i * 1.3));
    const big = mannWhitneyU(a, b);
    expect(big.method).toBe('normal');
    expect(big.p).toBeGreaterThan(0);
    expect(big.p).toBeLessThan(1);
    // 20 vs 20 (exact) against the same data by the normal formula: close.
    const x = a.slice(0, 20);
    const y = b.slice(0, 20);
    expect(Math.abs(mannWhitneyU(x, y).p - normalP(x, y))).toBeLessThan(0.01);
  });
});

/** Two-sided normal approximation of the rank-sum test with continuity correction. */
function normalP(x: number[], y: number[]): number {
  const r = mannWhitneyU(x, y);
  const n = x.length;
  const m = y.length;
  const z = (Math.abs(r.u - (n * m) / 2) - 0.5) / Math.sqrt((n * m * (n + m + 1)) / 12);
  return 2 * normalSf(z);
}

describe('Friedman and Nemenyi', () => {
  it('three problems ranking three mappers the same way: chi2 = 6, p = exp(-3)', () => {
    const r = friedman([
      [1, 2, 3],
      [10, 20, 30],
      [0.1, 0.5, 0.9],
    ]);
    expect(r.meanRanks).toEqual([1, 2, 3]);
    // 12 / (3 * 3 * 4) * (9 + 36 + 81) - 3 * 3 * 4 = 42 - 36.
    expect(r.chiSquare).toBeCloseTo(6, 12);
    expect(r.p).toBeCloseTo(Math.exp(-3), 12);
    // Iman-Davenport: (n - 1) chi2 / (n (k - 1) - chi2) = 2 * 6 / 0: infinite, p 0.
    expect(r.imanDavenport.f).toBe(Number.POSITIVE_INFINITY);
    expect(r.imanDavenport.p).toBe(0);
  });

  it('with ties (tie-corrected; scipy: 0.736842, p 0.691826)', () => {
    const r = friedman([
      [1, 2, 3],
      [2, 3, 1.5],
      [3, 1, 2],
      [1, 1, 2],
      [0.5, 0.9, 0.7],
    ]);
    // Rank sums 8.5, 10.5, 11; raw 0.2 * 303.5 - 60 = 0.7; ties: 1 - 6 / 120 = 0.95.
    expect(r.meanRanks).toEqual([1.7, 2.1, 2.2]);
    expect(r.chiSquare).toBeCloseTo(0.7 / 0.95, 12);
    expect(r.p).toBeCloseTo(0.6918258252705161, 12);
    // F = 4 * 0.7368 / (10 - 0.7368), df (2, 8).
    const f = (4 * (0.7 / 0.95)) / (10 - 0.7 / 0.95);
    expect(r.imanDavenport.f).toBeCloseTo(f, 12);
    expect(r.imanDavenport.df1).toBe(2);
    expect(r.imanDavenport.df2).toBe(8);
  });

  it("Demsar's example: 4 classifiers on 14 data sets, CD = 2.569 sqrt(4 * 5 / 84) = 1.25", () => {
    expect(nemenyiCriticalDifference(4, 14)).toBeCloseTo(2.569 * Math.sqrt(20 / 84), 3);
    expect(nemenyiCriticalDifference(4, 14)).toBeCloseTo(1.2535, 3);
    // chi2 9.28 over 14 problems, k 4: F = 13 * 9.28 / (42 - 9.28) = 3.69, p 0.0197 with (3, 39) df.
    expect(fSf((13 * 9.28) / (42 - 9.28), 3, 39)).toBeCloseTo(0.0197, 3);
  });

  it('cliques: maximal runs of mean ranks within the critical difference', () => {
    // Demsar's mean ranks: C4.5+m+cf 1.964, C4.5+m 2.000, C4.5+cf 2.893, C4.5 3.143; CD 1.25.
    // At 5 % all four are within CD = 1.25 of each other (3.143 - 1.964 = 1.179): one group;
    // at 10 % (CD = 2.291 sqrt(20 / 84) = 1.118) C4.5 leaves the best one's group.
    const ranks = [3.143, 2.0, 2.893, 1.964];
    expect(cliques(ranks, nemenyiCriticalDifference(4, 14))).toEqual([[3, 1, 2, 0]]);
    expect(nemenyiCriticalDifference(4, 14, 0.1)).toBeCloseTo(1.118, 3);
    expect(cliques(ranks, nemenyiCriticalDifference(4, 14, 0.1))).toEqual([
      [3, 1, 2],
      [2, 0],
    ]);
    expect(cliques([1, 2, 3], 0.5)).toEqual([]);
    expect(cliques([1, 1.2, 1.4], 1)).toEqual([[0, 1, 2]]);
  });
});
