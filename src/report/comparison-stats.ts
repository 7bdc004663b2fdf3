/**
 * The statistics of a comparison of mappers, from normalised scores (makespan over a bound,
 * lower is better; one score per seed):
 *  - per problem and mapper: IQM and median with stratified bootstrap 95 % intervals;
 *  - per problem: the best mapper, marked only when significant: its IQM is the lowest, a
 *    Mann-Whitney test against every other mapper rejects at alpha after Holm's correction
 *    over those comparisons, and its median is lower than each other's by a practical margin
 *    (0.1 % by default: deterministic heuristics that differ in the fifth digit are separated
 *    perfectly by any rank test, but not by anything that matters) (`bestMapper`);
 *  - across problems (those where every mapper has a score): each mapper's aggregate IQM
 *    with its interval, the probability of improvement of every pair with its interval, a
 *    Wilcoxon signed-rank test of every pair on the per-problem IQMs with Holm's correction
 *    over the pairs, and the Friedman test with the Nemenyi critical difference and the
 *    groups a critical-difference diagram draws;
 *  - warnings where the numbers of seeds or problems cannot support a claim.
 * Pure: the same scores and seed give the same figures.
 */
import {
  type BootstrapOptions,
  type Interval,
  iqm,
  iqmInterval,
  median,
  medianInterval,
  probabilityOfImprovementInterval,
} from './bootstrap.js';
import {
  cliques,
  type FriedmanResult,
  friedman,
  holm,
  mannWhitneyU,
  minRankSumP,
  minSignedRankP,
  nemenyiCriticalDifference,
  type SignedRankResult,
  wilcoxonSignedRank,
} from './significance.js';

export interface ScoreTable {
  readonly problems: readonly string[];
  readonly mappers: readonly string[];
  /** scores[p][m]: mapper m's normalised score per seed on problem p (empty: no result). */
  readonly scores: readonly (readonly (readonly number[])[])[];
}

export interface StatsOptions {
  /** Significance level of every test (default 0.05). */
  readonly alpha?: number;
  readonly resamples?: number;
  readonly confidence?: number;
  /** Seed of the bootstrap (default 0). */
  readonly seed?: number;
  /** Relative median difference a "best" needs over every other mapper (default 0.001). */
  readonly minEffect?: number;
}

export const DEFAULT_MIN_EFFECT = 0.001;

export interface CellStats {
  readonly n: number;
  readonly iqm: Interval;
  readonly median: Interval;
}

export interface BestMark {
  /** The mapper with the lowest IQM (null when there is none or a tie). */
  readonly candidate: number | null;
  /** The candidate when it is significantly better than every other mapper, else null. */
  readonly best: number | null;
  /** Holm-adjusted p of the candidate against each mapper (null for itself or no data). */
  readonly pAdjusted: readonly (number | null)[];
}

export interface PairStats {
  readonly a: number;
  readonly b: number;
  /** P(a's run scores lower than b's on a random problem), with its interval. */
  readonly probabilityOfImprovement: Interval;
  /** Signed-rank test of a's against b's per-problem IQMs. */
  readonly wilcoxon: SignedRankResult;
  /** Its p-value after Holm's correction over all pairs. */
  readonly pHolm: number;
  /** pHolm < alpha, and then which one is better (its median paired difference is lower). */
  readonly significant: boolean;
  readonly better: number | null;
}

export interface RankStats extends FriedmanResult {
  /** Nemenyi critical difference at alpha. */
  readonly criticalDifference: number;
  /** Groups of mappers not significantly different (indices into mappers, by rank). */
  readonly groups: readonly (readonly number[])[];
}

export interface ComparisonStats {
  readonly alpha: number;
  readonly confidence: number;
  /** cells[p][m], null where the mapper has no score on the problem. */
  readonly cells: readonly (readonly (CellStats | null)[])[];
  readonly best: readonly BestMark[];
  /** Problems where every mapper has a score: the aggregate figures and tests use these. */
  readonly completeProblems: readonly number[];
  /** Per mapper: IQM over every run of the complete problems, with its interval. */
  readonly aggregateIqm: readonly (Interval | null)[];
  readonly pairs: readonly PairStats[];
  /** Friedman and Nemenyi over the complete problems (null with fewer than 2 problems or mappers). */
  readonly ranks: RankStats | null;
  readonly warnings: readonly string[];
}

/** Seeds per mapper for a per-problem difference to be able to reach alpha among `mappers`. */
export function seedsNeeded(mappers: number, alpha: number): number {
  const others = Math.max(1, mappers - 1);
  let n = 2;
  while (others * minRankSumP(n, n) >= alpha) n++;
  return n;
}

/** Problems needed for a pairwise signed-rank test to be able to reach alpha after Holm. */
export function problemsNeeded(mappers: number, alpha: number): number {
  const pairs = Math.max(1, (mappers * (mappers - 1)) / 2);
  let n = 1;
  while (pairs * minSignedRankP(n) >= alpha) n++;
  return n;
}

/**
 * The best mapper of one problem, marked only where significant. `runs[m]` holds mapper m's
 * scores (empty when it has none).
 */
export function bestMapper(
  runs: readonly (readonly number[])[],
  alpha = 0.05,
  minEffect = DEFAULT_MIN_EFFECT,
): BestMark {
  const iqms = runs.map((r) => (r.length ? iqm(r) : Number.POSITIVE_INFINITY));
  const low = Math.min(...iqms);
  const at = iqms.flatMap((v, m) => (v === low && Number.isFinite(v) ? [m] : []));
  const none = { candidate: null, best: null, pAdjusted: runs.map(() => null) };
  if (at.length !== 1) return none;
  const c = at[0]!;
  const others = runs.flatMap((r, m) => (m !== c && r.length ? [m] : []));
  if (!others.length) return { candidate: c, best: null, pAdjusted: runs.map(() => null) };
  const adjusted = holm(others.map((m) => mannWhitneyU(runs[c]!, runs[m]!).p));
  const pAdjusted: (number | null)[] = runs.map(() => null);
  others.forEach((m, i) => {
    pAdjusted[m] = adjusted[i]!;
  });
  // Every other mapper must be beaten, each with a median lower by the margin too (the test
  // is two-sided; a lower IQM with a higher median is no clear win).
  const mc = median(runs[c]!);
  const wins = others.every((m, i) => adjusted[i]! < alpha && mc < median(runs[m]!) * (1 - minEffect));
  return { candidate: c, best: wins ? c : null, pAdjusted };
}

export function comparisonStats(table: ScoreTable, options: StatsOptions = {}): ComparisonStats {
  const alpha = options.alpha ?? 0.05;
  const boot: BootstrapOptions = {
    resamples: options.resamples,
    confidence: options.confidence,
    seed: options.seed ?? 0,
  };
  const confidence = options.confidence ?? 0.95;
  const M = table.mappers.length;
  const cells = table.scores.map((row) =>
    row.map((r) =>
      r.length ? { n: r.length, iqm: iqmInterval([r], boot), median: medianInterval([r], boot) } : null,
    ),
  );
  const best = table.scores.map((row) => bestMapper(row, alpha, options.minEffect ?? DEFAULT_MIN_EFFECT));
  const completeProblems = table.scores.flatMap((row, p) => (row.every((r) => r.length > 0) ? [p] : []));
  const strata = (m: number) => completeProblems.map((p) => table.scores[p]![m]!);
  const aggregateIqm = table.mappers.map((_, m) =>
    completeProblems.length ? iqmInterval(strata(m), boot) : null,
  );

  const perProblemIqm = (m: number) => completeProblems.map((p) => iqm(table.scores[p]![m]!));
  const pairIdx: [number, number][] = [];
  for (let a = 0; a < M; a++) for (let b = a + 1; b < M; b++) pairIdx.push([a, b]);
  const tests = completeProblems.length
    ? pairIdx.map(([a, b]) => wilcoxonSignedRank(perProblemIqm(a), perProblemIqm(b)))
    : [];
  const pHolm = holm(tests.map((t) => t.p));
  const pairs: PairStats[] = completeProblems.length
    ? pairIdx.map(([a, b], i) => {
        const w = tests[i]!;
        const significant = pHolm[i]! < alpha;
        return {
          a,
          b,
          probabilityOfImprovement: probabilityOfImprovementInterval(strata(a), strata(b), boot),
          wilcoxon: w,
          pHolm: pHolm[i]!,
          significant,
          // W+ sums the ranks where a's IQM exceeds b's: a small W+ means a is lower (better).
          better: significant ? (w.wPlus < w.wMinus ? a : b) : null,
        };
      })
    : [];

  let ranks: RankStats | null = null;
  if (completeProblems.length >= 2 && M >= 2) {
    const f = friedman(completeProblems.map((p) => table.scores[p]!.map((r) => iqm(r))));
    const cd = nemenyiCriticalDifference(M, completeProblems.length, alpha);
    ranks = { ...f, criticalDifference: cd, groups: cliques(f.meanRanks, cd) };
  }

  return {
    alpha,
    confidence,
    cells,
    best,
    completeProblems,
    aggregateIqm,
    pairs,
    ranks,
    warnings: claimWarnings(table, completeProblems.length, alpha),
  };
}

/** Where the design of the comparison cannot support the claims the report would make. */
function claimWarnings(table: ScoreTable, complete: number, alpha: number): string[] {
  const M = table.mappers.length;
  const out: string[] = [];
  const counts = table.scores.flatMap((row) => row.map((r) => r.length).filter((n) => n > 0));
  if (!counts.length) return out;
  const seeds = Math.min(...counts);
  const pct = `${+(alpha * 100).toFixed(2)} %`;
  if (M >= 2 && (M - 1) * minRankSumP(seeds, seeds) >= alpha) {
    out.push(
      `with ${seeds} seed(s) per mapper no per-problem difference can be significant at ${pct} against ` +
        `${M - 1} other mapper(s) (the smallest possible p is ${minRankSumP(seeds, seeds).toPrecision(2)} before Holm's correction): ` +
        `no mapper is marked best; ${seedsNeeded(M, alpha)} seeds are the minimum, 10 or more give the tests power.`,
    );
  } else if (seeds < 5) {
    out.push(
      `only ${seeds} seeds per mapper: per-problem intervals are rough (a bootstrap interval cannot leave the range of the runs); use 10 or more.`,
    );
  }
  const pairs = (M * (M - 1)) / 2;
  if (M >= 2 && pairs * minSignedRankP(complete) >= alpha) {
    out.push(
      `with ${complete} problem(s) no pairwise difference across problems can be significant at ${pct} after Holm's correction over ` +
        `${pairs} pair(s) (needs at least ${problemsNeeded(M, alpha)} problems).`,
    );
  }
  if (M >= 2 && complete >= 2 && complete < 10) {
    out.push(
      `Friedman's chi-square and the Nemenyi critical difference are large-sample approximations; with ${complete} problems treat them as indicative.`,
    );
  }
  return out;
}
