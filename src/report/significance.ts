/**
 * Significance tests for comparing mappers (Demsar, "Statistical comparisons of classifiers
 * over multiple data sets", JMLR 2006): the Wilcoxon signed-rank test for two mappers over
 * problems, the Mann-Whitney U test for two mappers' seeds on one problem, Holm's correction
 * for many such tests, and the Friedman test with the Nemenyi critical difference for all
 * mappers over all problems.
 *
 * Ties are everywhere here (a heuristic gives the same makespan for every seed; mappers meet
 * the lower bound), so the two rank tests use exact conditional distributions: the
 * permutation distribution of the statistic given the observed mid-ranks, counted by dynamic
 * programming over doubled ranks (integers). That is exact for any ties and cheap at the sizes
 * that occur (tens of seeds, up to a few hundred problems); only beyond EXACT_WORK does the
 * normal approximation (tie-corrected, with continuity correction) take over.
 */
import { chiSquareSf, fSf, normalSf, studentizedRangeQuantile } from './distributions.js';

/** Cells of the counting tables beyond which the normal approximation is used. */
const EXACT_WORK = 2e7;

/** Mid-ranks (1-based; tied values share the mean of their ranks). */
export function midRanks(xs: readonly number[]): number[] {
  const order = xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
  const ranks = new Array<number>(xs.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && xs[order[j + 1]!] === xs[order[i]!]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = r;
    i = j + 1;
  }
  return ranks;
}

/** Sizes of the groups of tied values. */
function tieGroups(xs: readonly number[]): number[] {
  const counts = new Map<number, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts.values()];
}

export type TestMethod = 'exact' | 'normal';

export interface SignedRankResult {
  /** Sum of the ranks of the positive differences x - y. */
  readonly wPlus: number;
  /** Sum of the ranks of the negative differences. */
  readonly wMinus: number;
  /** min(W+, W-), the statistic tables quote. */
  readonly statistic: number;
  /** Pairs with a non-zero difference (zero differences are dropped, as Wilcoxon did). */
  readonly n: number;
  /** Two-sided p-value. */
  readonly p: number;
  readonly method: TestMethod;
}

/**
 * Wilcoxon signed-rank test of paired samples x and y (two-sided): are the differences
 * x - y symmetric around 0? Zero differences are dropped; ties share mid-ranks.
 */
export function wilcoxonSignedRank(x: readonly number[], y: readonly number[]): SignedRankResult {
  if (x.length !== y.length)
    throw new RangeError(`signed-rank test needs paired samples, got ${x.length} and ${y.length}`);
  const d = x.map((v, i) => v - y[i]!).filter((v) => v !== 0);
  const n = d.length;
  if (n === 0) return { wPlus: 0, wMinus: 0, statistic: 0, n, p: 1, method: 'exact' };
  const ranks = midRanks(d.map(Math.abs));
  let wPlus = 0;
  for (let i = 0; i < n; i++) if (d[i]! > 0) wPlus += ranks[i]!;
  const total = (n * (n + 1)) / 2;
  const wMinus = total - wPlus;
  const statistic = Math.min(wPlus, wMinus);
  // Doubled ranks are integers; their sum is n(n + 1).
  const twice = ranks.map((r) => Math.round(2 * r));
  const maxSum = 2 * total;
  let p: number;
  let method: TestMethod;
  if (n * maxSum <= EXACT_WORK) {
    // counts[s]: sign assignments whose positive doubled ranks sum to s (each equally likely).
    const counts = new Float64Array(maxSum + 1);
    counts[0] = 1;
    let reach = 0;
    for (const r of twice) {
      for (let s = reach; s >= 0; s--) if (counts[s]) counts[s + r]! += counts[s]!;
      reach += r;
    }
    p = twoSidedFromCounts(counts, Math.round(2 * wPlus), 2 ** n);
    method = 'exact';
  } else {
    const mean = total / 2;
    let variance = (n * (n + 1) * (2 * n + 1)) / 24;
    for (const t of tieGroups(d.map(Math.abs))) variance -= (t ** 3 - t) / 48;
    p = normalTwoSided(wPlus, mean, variance);
    method = 'normal';
  }
  return { wPlus, wMinus, statistic, n, p, method };
}

export interface RankSumResult {
  /** Mann-Whitney U of x: pairs (x_i, y_j) with x_i > y_j, plus half the ties. */
  readonly u: number;
  /** P(x < y) + P(x = y) / 2 estimated from the samples: 1 - U / (n m). */
  readonly probabilityLess: number;
  /** Two-sided p-value. */
  readonly p: number;
  readonly method: TestMethod;
}

/**
 * Mann-Whitney U (Wilcoxon rank-sum) test of two independent samples, two-sided: is one
 * stochastically smaller than the other?
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[]): RankSumResult {
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0)
    throw new RangeError(`rank-sum test needs two non-empty samples, got ${n} and ${m}`);
  const all = [...x, ...y];
  const ranks = midRanks(all);
  let rx = 0;
  for (let i = 0; i < n; i++) rx += ranks[i]!;
  const u = rx - (n * (n + 1)) / 2;
  const probabilityLess = 1 - u / (n * m);
  const N = n + m;
  const twice = ranks.map((r) => Math.round(2 * r));
  const maxSum = N * (N + 1);
  let p: number;
  let method: TestMethod;
  const small = Math.min(n, m);
  if (N * small * maxSum <= EXACT_WORK) {
    // counts[k][s]: subsets of k of the N values whose doubled ranks sum to s.
    const width = maxSum + 1;
    const counts = new Float64Array((small + 1) * width);
    counts[0] = 1;
    for (const r of twice) {
      for (let k = small - 1; k >= 0; k--) {
        const from = k * width;
        const to = (k + 1) * width;
        for (let s = maxSum - r; s >= 0; s--) if (counts[from + s]) counts[to + s + r]! += counts[from + s]!;
      }
    }
    // The statistic of the smaller sample (its rank sum) under all C(N, small) splits.
    const row = counts.subarray(small * width, (small + 1) * width);
    let total = 0;
    for (let s = 0; s < width; s++) total += row[s]!;
    let observed = 0;
    const smallIdx = n <= m ? [0, n] : [n, N];
    for (let i = smallIdx[0]!; i < smallIdx[1]!; i++) observed += twice[i]!;
    p = twoSidedFromCounts(row, observed, total);
    method = 'exact';
  } else {
    let tieTerm = 0;
    for (const t of tieGroups(all)) tieTerm += t ** 3 - t;
    const variance = ((n * m) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
    p = normalTwoSided(u, (n * m) / 2, variance);
    method = 'normal';
  }
  return { u, probabilityLess, p, method };
}

/**
 * Two-sided p-value of an observed value of a statistic whose null distribution is
 * `counts[s] / total` (symmetric or not): twice the smaller tail, at most 1.
 */
function twoSidedFromCounts(counts: Float64Array, observed: number, total: number): number {
  let lower = 0;
  let upper = 0;
  for (let s = 0; s < counts.length; s++) {
    if (s <= observed) lower += counts[s]!;
    if (s >= observed) upper += counts[s]!;
  }
  return Math.min(1, (2 * Math.min(lower, upper)) / total);
}

function normalTwoSided(value: number, mean: number, variance: number): number {
  if (!(variance > 0)) return 1;
  const z = Math.max(0, Math.abs(value - mean) - 0.5) / Math.sqrt(variance);
  return Math.min(1, 2 * normalSf(z));
}

/**
 * Holm's step-down adjustment: the i-th smallest p-value is multiplied by (m - i + 1), kept
 * monotone and capped at 1. Reject hypothesis j at level alpha iff adjusted[j] < alpha; that
 * controls the family-wise error rate at alpha.
 */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]!);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach((idx, i) => {
    running = Math.max(running, Math.min(1, (m - i) * pValues[idx]!));
    out[idx] = running;
  });
  return out;
}

export interface FriedmanResult {
  /** Problems (blocks) and mappers (treatments). */
  readonly n: number;
  readonly k: number;
  /** Mean rank of each mapper over the problems (1 = lowest value = best). */
  readonly meanRanks: readonly number[];
  /** Friedman's chi-square (tie-corrected), k - 1 degrees of freedom, and its p-value. */
  readonly chiSquare: number;
  readonly p: number;
  /** Iman and Davenport's F, less conservative than the chi-square (Demsar recommends it). */
  readonly imanDavenport: {
    readonly f: number;
    readonly df1: number;
    readonly df2: number;
    readonly p: number;
  };
}

/**
 * Friedman test: `values[i][j]` is mapper j's figure on problem i (lower is better). Ranks
 * within each problem, mid-ranks for ties.
 */
export function friedman(values: readonly (readonly number[])[]): FriedmanResult {
  const n = values.length;
  if (n < 2) throw new RangeError(`Friedman test needs at least 2 problems, got ${n}`);
  const k = values[0]!.length;
  if (k < 2) throw new RangeError(`Friedman test needs at least 2 mappers, got ${k}`);
  const sums = new Array<number>(k).fill(0);
  let tieTerm = 0;
  for (const row of values) {
    if (row.length !== k)
      throw new RangeError(`Friedman test needs ${k} values per problem, got ${row.length}`);
    const r = midRanks(row);
    for (let j = 0; j < k; j++) sums[j] += r[j]!;
    for (const t of tieGroups(row)) tieTerm += t ** 3 - t;
  }
  const meanRanks = sums.map((s) => s / n);
  let ss = 0;
  for (const s of sums) ss += s * s;
  const raw = (12 / (n * k * (k + 1))) * ss - 3 * n * (k + 1);
  const correction = 1 - tieTerm / (n * k * (k * k - 1));
  // Every problem tied throughout: no evidence of any difference.
  const chiSquare = correction > 0 ? raw / correction : 0;
  const p = chiSquareSf(chiSquare, k - 1);
  const df1 = k - 1;
  const df2 = (k - 1) * (n - 1);
  const denom = n * (k - 1) - chiSquare;
  const f = denom > 0 ? ((n - 1) * chiSquare) / denom : Number.POSITIVE_INFINITY;
  return {
    n,
    k,
    meanRanks,
    chiSquare,
    p,
    imanDavenport: { f, df1, df2, p: Number.isFinite(f) ? fSf(f, df1, df2) : 0 },
  };
}

/**
 * Nemenyi critical difference: two mappers' mean ranks over n problems differ significantly
 * at level alpha when they differ by more than q_alpha sqrt(k (k + 1) / (6 n)), q_alpha the
 * studentized range quantile for k groups (infinite degrees of freedom) over sqrt(2).
 */
export function nemenyiCriticalDifference(k: number, n: number, alpha = 0.05): number {
  const q = studentizedRangeQuantile(1 - alpha, k) / Math.SQRT2;
  return q * Math.sqrt((k * (k + 1)) / (6 * n));
}

/**
 * Groups of mappers whose mean ranks lie within the critical difference of each other (the
 * bars of a critical-difference diagram): maximal runs in rank order, each as indices into
 * `meanRanks` sorted by rank. Singletons are left out.
 */
export function cliques(meanRanks: readonly number[], cd: number): number[][] {
  const order = meanRanks.map((_, i) => i).sort((a, b) => meanRanks[a]! - meanRanks[b]!);
  const out: number[][] = [];
  let lastEnd = -1;
  for (let i = 0; i < order.length; i++) {
    let j = i;
    while (j + 1 < order.length && meanRanks[order[j + 1]!]! - meanRanks[order[i]!]! < cd) j++;
    if (j > i && j > lastEnd) {
      out.push(order.slice(i, j + 1));
      lastEnd = j;
    }
  }
  return out;
}

/** The smallest two-sided p-value a rank-sum test of n against m values can give (no ties). */
export function minRankSumP(n: number, m: number): number {
  // Only the two most extreme of the C(n + m, n) splits reach it.
  let c = 1;
  for (let i = 1; i <= Math.min(n, m); i++) c = (c * (n + m - Math.min(n, m) + i)) / i;
  return Math.min(1, 2 / c);
}

/** The smallest two-sided p-value a signed-rank test over n pairs can give. */
export function minSignedRankP(n: number): number {
  return Math.min(1, 2 / 2 ** n);
}
