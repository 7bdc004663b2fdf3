/**
 * Anytime performance, as COCO/BBOB measures it (Hansen et al., "COCO: performance assessment",
 * 2021): for every run and every target (1 + eps) x a problem's reference value, the cost (in
 * evaluated mappings, or seconds) at which the run's best-so-far first reaches the target.
 * The empirical cumulative distribution of those costs over all (problem, seed, target)
 * triples, one curve per mapper, says what fraction of the targets a mapper reaches within any
 * budget; unreached targets keep the curve below 1.
 *
 * The input is a run's convergence history: [evaluations, best so far] at each improvement
 * and at the end (what result lines carry). Seconds are not recorded per improvement, so the
 * time to a target is the run's seconds scaled by the share of its evaluations spent
 * (evaluations cost about the same throughout a run).
 *
 * The area under the convergence curve condenses a run into one number: the mean of
 * best-so-far / reference over log-spaced evaluations from 1 to the budget. It is the final
 * ratio for a run that finds its final mapping at once, and larger the longer a run stays
 * above it (lower is better).
 */

export type History = readonly (readonly [number, number])[];

export interface AnytimeRun {
  readonly history: History;
  /** Evaluations and seconds of the whole run. */
  readonly evaluations: number;
  readonly seconds: number;
}

/** COCO's targets above the reference: 10, 5, 2 and 1 %. */
export const DEFAULT_EPSILONS: readonly number[] = [0.1, 0.05, 0.02, 0.01];

/** Evaluations at which the best-so-far first reaches `target` (<=), or Infinity. */
export function evaluationsToTarget(history: History, target: number): number {
  for (const [n, v] of history) if (v <= target) return n;
  return Number.POSITIVE_INFINITY;
}

export type CostUnit = 'evaluations' | 'seconds';

function costToTarget(run: AnytimeRun, target: number, unit: CostUnit): number {
  const n = evaluationsToTarget(run.history, target);
  if (unit === 'evaluations' || !Number.isFinite(n)) return n;
  return run.evaluations > 0 ? (run.seconds * n) / run.evaluations : 0;
}

export interface Ecdf {
  /** Costs of the reached (run, target) pairs, ascending. */
  readonly costs: readonly number[];
  /** Number of (run, target) pairs, reached or not. */
  readonly total: number;
}

/**
 * The ECDF of costs to reach the targets of one mapper: `runs[p]` are its runs on problem p,
 * `references[p]` that problem's reference value (the best known or a certified bound).
 */
export function anytimeEcdf(
  runs: readonly (readonly AnytimeRun[])[],
  references: readonly number[],
  options: { epsilons?: readonly number[]; unit?: CostUnit } = {},
): Ecdf {
  const eps = options.epsilons ?? DEFAULT_EPSILONS;
  const unit = options.unit ?? 'evaluations';
  if (runs.length !== references.length)
    throw new RangeError(`anytime: ${runs.length} problems of runs but ${references.length} references`);
  const costs: number[] = [];
  let total = 0;
  runs.forEach((problemRuns, p) => {
    const ref = references[p]!;
    for (const run of problemRuns) {
      for (const e of eps) {
        total++;
        const c = costToTarget(run, (1 + e) * ref, unit);
        if (Number.isFinite(c)) costs.push(c);
      }
    }
  });
  costs.sort((a, b) => a - b);
  return { costs, total };
}

/** Fraction of the ECDF's pairs reached within `cost`. */
export function ecdfAt(e: Ecdf, cost: number): number {
  if (e.total === 0) return Number.NaN;
  let lo = 0;
  let hi = e.costs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (e.costs[mid]! <= cost) lo = mid + 1;
    else hi = mid;
  }
  return lo / e.total;
}

/**
 * Area under the ECDF over log10 cost from `from` to `to`, as a fraction of the area of a
 * curve at 1 throughout (1: every target reached at `from`; higher is better).
 */
export function ecdfArea(e: Ecdf, from: number, to: number): number {
  if (!(to > from && from > 0) || e.total === 0) return Number.NaN;
  const a = Math.log10(from);
  const span = Math.log10(to) - a;
  let area = 0;
  let reached = 0;
  let x = a;
  for (const c of e.costs) {
    if (c > to) break;
    const lc = Math.max(a, Math.log10(c));
    area += (reached / e.total) * (lc - x);
    x = lc;
    reached++;
  }
  area += (reached / e.total) * (a + span - x);
  return area / span;
}

/**
 * Mean of best-so-far / reference over log evaluations from 1 to `budget` (a step function
 * integrated exactly; before its first point a run counts at its first value).
 */
export function convergenceArea(history: History, reference: number, budget: number): number {
  if (!history.length || !(budget >= 1) || !(reference > 0)) return Number.NaN;
  if (budget === 1) return history[0]![1] / reference;
  const span = Math.log(budget);
  let area = 0;
  let x = 0;
  let v = history[0]![1];
  for (const [n, best] of history) {
    const lx = Math.log(Math.min(Math.max(n, 1), budget));
    area += v * (lx - x);
    x = lx;
    v = best;
    if (n >= budget) break;
  }
  area += v * (span - x);
  return area / span / reference;
}
