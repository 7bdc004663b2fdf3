/** The search loop ({@link runSearch}). */
import type { Encoding } from '../core/encoding.js';
import { Evaluator } from '../core/evaluator.js';
import type { JobTable } from '../core/table.js';
import type { Optimizer } from './optimizer.js';

/** What an optimiser minimises: the cost of a candidate. */
export interface Objective {
  readonly numJobs: number;
  readonly numCores: number;
  /** The cost of a valid encoding (finite, >= 0); it must not keep the arrays. */
  cost(core: Int32Array, priority: Float64Array): number;
}

/** The makespan of the table's evaluation (the paper's objective). */
export function makespanObjective(table: JobTable): Objective {
  const ev = new Evaluator(table);
  return {
    numJobs: table.numJobs,
    numCores: table.numCores,
    cost: (core, priority) => ev.makespan(core, priority),
  };
}

/** Options of {@link runSearch}. */
export interface SearchOptions {
  /** Number of candidates to evaluate (stops earlier if the optimiser is done). */
  readonly budget: number;
  /** Called every `progressEvery` evaluations and at the end. */
  readonly onProgress?: (evaluations: number, best: number) => void;
  readonly progressEvery?: number;
}

/** What {@link runSearch} found. */
export interface SearchResult {
  /** The optimiser's name. */
  readonly optimizer: string;
  /** The recommended encoding (a copy). */
  readonly best: Encoding;
  /** Its cost. */
  readonly cost: number;
  /** Candidates evaluated: the budget, or fewer when the optimiser was done earlier. */
  readonly evaluations: number;
  /** Wall-clock seconds of the loop. */
  readonly seconds: number;
  /** [evaluations, best cost so far] at every improvement, and at the end. */
  readonly history: [number, number][];
}

/**
 * The search loop: ask, evaluate, tell, until the budget (a number of evaluated candidates)
 * is spent or the optimiser is done. Records the best cost so far at every improvement.
 *
 * @throws RangeError when the budget is not a positive integer.
 */
export function runSearch(objective: Objective, optimizer: Optimizer, options: SearchOptions): SearchResult {
  const { budget } = options;
  if (!Number.isInteger(budget) || budget < 1)
    throw new RangeError(`budget must be a positive integer, got ${budget}`);
  const every = options.progressEvery ?? 1000;
  const history: [number, number][] = [];
  let best = Number.POSITIVE_INFINITY;
  const t0 = performance.now();
  let n = 0;
  while (n < budget && !optimizer.done) {
    const cand = optimizer.ask();
    const cost = objective.cost(cand.core, cand.priority);
    optimizer.tell(cand, cost);
    n++;
    if (cost < best) {
      best = cost;
      history.push([n, cost]);
    }
    if (options.onProgress && n % every === 0) options.onProgress(n, best);
  }
  const seconds = (performance.now() - t0) / 1000;
  if (history.length && history[history.length - 1]![0] !== n) history.push([n, best]);
  options.onProgress?.(n, best);
  const rec = optimizer.recommend();
  if (!rec) throw new Error(`${optimizer.name} recommended nothing after ${n} evaluations`);
  return { optimizer: optimizer.name, best: rec.encoding, cost: rec.cost, evaluations: n, seconds, history };
}
