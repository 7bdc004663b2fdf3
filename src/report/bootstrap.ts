/**
 * Robust point estimates and their stratified bootstrap confidence intervals, as rliable
 * computes them (Agarwal et al., "Deep RL at the edge of the statistical precipice",
 * NeurIPS 2021): the interquartile mean (IQM: the mean of the middle half of the runs,
 * robust to an outlier seed yet using half the data, unlike the median), the median, and
 * percentile intervals from resampling the runs of each problem (stratum) with replacement,
 * independently per problem, so every resample keeps every problem.
 *
 * Resampling uses the seeded Rng passed in: the same seed gives the same interval. The
 * statistics run on Float64Arrays (thousands of resamples per interval): mathjs's median
 * and quantileSeq were measured far slower on this loop (docs/design-choices.md).
 */
import { Rng } from '../core/rng.js';

/** Resamples per interval unless told otherwise (rliable uses 2000 to 50,000). */
export const DEFAULT_RESAMPLES = 2000;
export const DEFAULT_CONFIDENCE = 0.95;

/** Sorts a copy (numbers, ascending). */
function sorted(xs: ArrayLike<number>): Float64Array {
  return Float64Array.from(xs).sort();
}

/** Quantile q of sorted values by linear interpolation between order statistics (numpy's default). */
export function quantileSorted(s: ArrayLike<number>, q: number): number {
  const n = s.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

export function median(xs: ArrayLike<number>): number {
  return quantileSorted(sorted(xs), 0.5);
}

/**
 * Interquartile mean of sorted values: floor(n / 4) values cut from each end, the rest
 * averaged (scipy.stats.trim_mean(x, 0.25), rliable's IQM). With fewer than 4 values it is
 * the mean.
 */
export function iqmSorted(s: ArrayLike<number>): number {
  const n = s.length;
  if (n === 0) return Number.NaN;
  const cut = Math.floor(n / 4);
  let sum = 0;
  for (let i = cut; i < n - cut; i++) sum += s[i]!;
  return sum / (n - 2 * cut);
}

export function iqm(xs: ArrayLike<number>): number {
  return iqmSorted(sorted(xs));
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return xs.length ? s / xs.length : Number.NaN;
}

export interface Interval {
  /** The statistic on the data as observed. */
  readonly estimate: number;
  /** Percentile bootstrap interval at `confidence`. */
  readonly low: number;
  readonly high: number;
}

export interface BootstrapOptions {
  readonly resamples?: number;
  readonly confidence?: number;
  /** Seed of the resampling (default 0); the same seed gives the same interval. */
  readonly seed?: number;
}

/** Runs of one mapper: `strata[p]` are its values on problem p (one per seed). */
export type Strata = readonly (readonly number[])[];

/**
 * Stratified percentile bootstrap of a statistic of several groups (mappers) at once:
 * each resample draws, for every group and every problem, as many runs as it has, with
 * replacement, from that group's runs on that problem. `statistic` gets the resampled
 * groups, each as one array per problem, and must not keep them (they are reused).
 */
export function bootstrapInterval(
  groups: readonly Strata[],
  statistic: (groups: readonly (readonly Float64Array[])[]) => number,
  options: BootstrapOptions = {},
): Interval {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  if (!(Number.isInteger(resamples) && resamples >= 1))
    throw new RangeError(`bootstrap resamples must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`bootstrap confidence must be in (0, 1), got ${confidence}`);
  const data = groups.map((g) => g.map((p) => Float64Array.from(p)));
  const estimate = statistic(data);
  const rng = new Rng(options.seed ?? 0).fork('bootstrap');
  const work = data.map((g) => g.map((p) => new Float64Array(p.length)));
  const values = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    for (let gi = 0; gi < data.length; gi++) {
      const g = data[gi]!;
      const w = work[gi]!;
      for (let p = 0; p < g.length; p++) {
        const src = g[p]!;
        const dst = w[p]!;
        const n = src.length;
        for (let i = 0; i < n; i++) dst[i] = src[rng.int(n)]!;
      }
    }
    values[b] = statistic(work);
  }
  values.sort();
  const tail = (1 - confidence) / 2;
  return { estimate, low: quantileSorted(values, tail), high: quantileSorted(values, 1 - tail) };
}

/** All values of a group's problems in one sorted array (reused buffer). */
function pooledSorted(problems: readonly Float64Array[], buffer: Float64Array): Float64Array {
  let k = 0;
  for (const p of problems) {
    buffer.set(p, k);
    k += p.length;
  }
  return buffer.subarray(0, k).sort();
}

function pooledSize(strata: Strata): number {
  return strata.reduce((s, p) => s + p.length, 0);
}

/** IQM over every run of every problem, with its stratified bootstrap interval. */
export function iqmInterval(strata: Strata, options: BootstrapOptions = {}): Interval {
  const buffer = new Float64Array(pooledSize(strata));
  return bootstrapInterval([strata], (g) => iqmSorted(pooledSorted(g[0]!, buffer)), options);
}

/** Median over every run of every problem, with its stratified bootstrap interval. */
export function medianInterval(strata: Strata, options: BootstrapOptions = {}): Interval {
  const buffer = new Float64Array(pooledSize(strata));
  return bootstrapInterval([strata], (g) => quantileSorted(pooledSorted(g[0]!, buffer), 0.5), options);
}

/** Mean over every run of every problem, with its stratified bootstrap interval. */
export function meanInterval(strata: Strata, options: BootstrapOptions = {}): Interval {
  return bootstrapInterval(
    [strata],
    (g) => {
      let s = 0;
      let n = 0;
      for (const p of g[0]!) {
        for (let i = 0; i < p.length; i++) s += p[i]!;
        n += p.length;
      }
      return s / n;
    },
    options,
  );
}

/**
 * Probability of improvement of X over Y (rliable), lower values better: the average over
 * problems of P(x < y) + P(x = y) / 2 for a random run x of X and y of Y on that problem
 * (the Mann-Whitney U of the problem over n m). 0.5: no difference.
 */
export function probabilityOfImprovement(
  x: readonly ArrayLike<number>[],
  y: readonly ArrayLike<number>[],
): number {
  if (x.length !== y.length) throw new RangeError(`needs the same problems, got ${x.length} and ${y.length}`);
  let total = 0;
  for (let p = 0; p < x.length; p++) {
    const a = x[p]!;
    const b = y[p]!;
    let wins = 0;
    for (let i = 0; i < a.length; i++)
      for (let j = 0; j < b.length; j++) wins += a[i]! < b[j]! ? 1 : a[i] === b[j] ? 0.5 : 0;
    total += wins / (a.length * b.length);
  }
  return total / x.length;
}

export function probabilityOfImprovementInterval(
  x: Strata,
  y: Strata,
  options: BootstrapOptions = {},
): Interval {
  return bootstrapInterval([x, y], (g) => probabilityOfImprovement(g[0]!, g[1]!), options);
}

export interface ProfilePoint {
  readonly tau: number;
  /** Fraction of runs (all problems, all seeds) with a score <= tau, and its interval. */
  readonly fraction: number;
  readonly low: number;
  readonly high: number;
}

/**
 * Performance profile (rliable's score distribution, for a score where lower is better):
 * at each threshold tau, the fraction of runs whose score is at most tau, with stratified
 * bootstrap bands (one interval per tau, from the same resamples).
 */
export function performanceProfile(
  strata: Strata,
  taus: readonly number[],
  options: BootstrapOptions = {},
): ProfilePoint[] {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const total = pooledSize(strata);
  const buffer = new Float64Array(total);
  const fractionAt = (s: Float64Array, tau: number) => upperBound(s, tau) / s.length;
  const observed = pooledSorted(
    strata.map((p) => Float64Array.from(p)),
    buffer,
  );
  const fractions = taus.map((t) => fractionAt(observed, t));
  const boot = taus.map(() => new Float64Array(resamples));
  let b = 0;
  // One bootstrap pass whose statistic records every tau (the returned value is unused).
  bootstrapInterval(
    [strata],
    (g) => {
      const s = pooledSorted(g[0]!, buffer);
      // The first call is the estimate on the observed data: not a resample.
      if (b > 0) for (let i = 0; i < taus.length; i++) boot[i]![b - 1] = fractionAt(s, taus[i]!);
      b++;
      return 0;
    },
    { ...options, resamples },
  );
  const tail = (1 - confidence) / 2;
  return taus.map((tau, i) => {
    const v = boot[i]!.sort();
    return { tau, fraction: fractions[i]!, low: quantileSorted(v, tail), high: quantileSorted(v, 1 - tail) };
  });
}

/** Number of sorted values <= x. */
function upperBound(s: Float64Array, x: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `count` thresholds evenly spread over [lo, hi] (a profile's x axis). */
export function thresholds(lo: number, hi: number, count = 101): number[] {
  if (!(hi > lo)) return [lo];
  return Array.from({ length: count }, (_, i) => lo + ((hi - lo) * i) / (count - 1));
}
