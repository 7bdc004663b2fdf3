/**
 * The search loop: ask, evaluate, tell, until the budget (a number of evaluated
 * candidates) is spent. Records best-so-far against evaluations at every improvement.
 */
import type { Encoding } from '../core/encoding.js';
import { Evaluator } from '../core/evaluator.js';
import type { JobTable } from '../core/table.js';
import type { Optimizer } from './optimizer.js';

/** What an optimiser minimises: the cost of a candidate. */
export interface Objective {
  readonly numJobs: number;
  readonly numCores: number;
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

/**
 * Most evaluations a search may be given: about a day of MAGMA on a 100-job group on one
 * core, and far below 2^53 (evaluation counts stay exact).
 */
export const MAX_BUDGET = 1_000_000_000;

/** Options of {@link runSearch}. */
export interface SearchOptions {
  /** Number of candidates to evaluate (stops earlier if the optimiser is done). */
  readonly budget: number;
  /** Called every `progressEvery` evaluations and at the end. */
  readonly onProgress?: (evaluations: number, best: number) => void;
  readonly progressEvery?: number;
}

export interface SearchResult {
  readonly optimizer: string;
  readonly best: Encoding;
  readonly cost: number;
  readonly evaluations: number;
  readonly seconds: number;
  /** [evaluations, best cost so far] at every improvement, and at the end. */
  readonly history: [number, number][];
}

/**
 * A search that can run in steps (`advance`), so a caller can stop between two of them and
 * still take the best mapping so far (`result`). Stepping changes nothing: any split of the
 * budget asks, evaluates and tells exactly what one `runSearch` call does.
 */
export class SearchLoop {
  private readonly every: number;
  private readonly history: [number, number][] = [];
  private best = Number.POSITIVE_INFINITY;
  private n = 0;
  private readonly t0 = performance.now();

  constructor(
    private readonly objective: Objective,
    private readonly optimizer: Optimizer,
    private readonly options: SearchOptions,
  ) {
    const { budget } = options;
    if (!Number.isInteger(budget) || budget < 1)
      throw new RangeError(`budget must be a positive integer, got ${budget}`);
    this.every = options.progressEvery ?? 1000;
  }

  /** Evaluations so far. */
  get evaluations(): number {
    return this.n;
  }

  /** True when the budget is spent or the optimiser is done. */
  get finished(): boolean {
    return this.n >= this.options.budget || Boolean(this.optimizer.done);
  }

  /** Evaluates up to `count` more candidates; returns `finished`. */
  advance(count: number): boolean {
    const { objective, optimizer, options } = this;
    const stop = Math.min(options.budget, this.n + count);
    while (this.n < stop && !optimizer.done) {
      const cand = optimizer.ask();
      const cost = objective.cost(cand.core, cand.priority);
      optimizer.tell(cand, cost);
      this.n++;
      if (cost < this.best) {
        this.best = cost;
        this.history.push([this.n, cost]);
      }
      if (options.onProgress && this.n % this.every === 0) options.onProgress(this.n, this.best);
    }
    return this.finished;
  }

  /** The optimiser's recommendation after the evaluations so far (call once, at the end). */
  result(): SearchResult {
    const { optimizer, history, n, best } = this;
    const seconds = (performance.now() - this.t0) / 1000;
    if (history.length && history[history.length - 1]![0] !== n) history.push([n, best]);
    this.options.onProgress?.(n, best);
    const rec = optimizer.recommend();
    if (!rec) throw new Error(`${optimizer.name} recommended nothing after ${n} evaluations`);
    return {
      optimizer: optimizer.name,
      best: rec.encoding,
      cost: rec.cost,
      evaluations: n,
      seconds,
      history,
    };
  }
}

/**
 * The search loop: ask, evaluate, tell, until the budget (a number of evaluated candidates)
 * is spent or the optimiser is done. Records the best cost so far at every improvement.
 *
 * @throws RangeError when the budget is not a positive integer.
 */
export function runSearch(objective: Objective, optimizer: Optimizer, options: SearchOptions): SearchResult {
  const loop = new SearchLoop(objective, optimizer, options);
  loop.advance(options.budget);
  return loop.result();
}

export interface AsyncSearchOptions extends SearchOptions {
  /** Let the event loop run (signals, timers) at least this often, in milliseconds. Default 25. */
  readonly yieldEveryMs?: number;
  /** Asked after every step of evaluations: true stops the search early (best so far kept). */
  readonly shouldStop?: () => boolean;
}

/** Evaluations between two looks at the clock in `runSearchAsync`. */
const ASYNC_STEP = 64;

/**
 * `runSearch` that lets the event loop run every few milliseconds, so signal handlers and
 * timers run during a long search, and that may stop early (`shouldStop`). The evaluations,
 * and so the result of a search that is not stopped, are exactly those of `runSearch`.
 */
export async function runSearchAsync(
  objective: Objective,
  optimizer: Optimizer,
  options: AsyncSearchOptions,
): Promise<SearchResult & { readonly stopped: boolean }> {
  const loop = new SearchLoop(objective, optimizer, options);
  const every = options.yieldEveryMs ?? 25;
  let last = performance.now();
  let stopped = false;
  while (!loop.advance(ASYNC_STEP)) {
    if (performance.now() - last >= every) {
      await new Promise((resolve) => setImmediate(resolve));
      last = performance.now();
    }
    if (options.shouldStop?.()) {
      stopped = true;
      break;
    }
  }
  return { ...loop.result(), stopped };
}
