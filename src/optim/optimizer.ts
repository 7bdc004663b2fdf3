/** The optimiser interface ({@link Optimizer}): nevergrad-style ask and tell. */
import type { Encoding } from '../core/encoding.js';
import { copyEncoding } from '../core/encoding.js';
import type { Rng } from '../core/rng.js';
import type { ParamSpace, ParamValues, ProblemSize } from './params.js';

export type { ProblemSize } from './params.js';

/**
 * An encoding proposed by {@link Optimizer.ask}: a view into the optimiser's own buffers (no
 * allocation per candidate). Read it before telling its cost; copy it ({@link copyEncoding})
 * to keep it, since a later `ask` may overwrite it.
 */
export interface Candidate extends Encoding {
  /** Opaque handle the optimiser uses to recognise the candidate in `tell`. */
  readonly id: number;
}

/** The best mapping an optimiser was told, and its cost. */
export interface Recommendation {
  /** A copy the caller owns. */
  readonly encoding: Encoding;
  readonly cost: number;
  /** A certified lower bound on the cost, from optimisers that compute one (the exact mapper). */
  readonly bound?: number;
  /** True when `cost` meets `bound` to the bound's precision: the mapping is proven optimal. */
  readonly optimal?: boolean;
}

/**
 * A search method under the ask/tell interface (nevergrad's): the optimiser proposes
 * candidate encodings ({@link Optimizer.ask | ask}), is told their cost
 * ({@link Optimizer.tell | tell}; lower is better, e.g. the makespan), and keeps its best
 * ({@link Optimizer.recommend | recommend}). It never evaluates anything itself, so one
 * evaluator serves every optimiser and a budget is exactly the number of `tell`s;
 * {@link runSearch} is the loop.
 *
 * Invariants (the contract suite runs over every registered optimiser): same seed and same
 * told costs, same candidates; the recommended cost never increases; a budget smaller than
 * a population works; one job and one core work. All randomness comes from the {@link Rng}
 * the optimiser was built with.
 */
export interface Optimizer {
  /** The registered name (`magma`, `cmaes`, `heft-heft`, ...). */
  readonly name: string;
  /**
   * The next candidate to evaluate: a valid encoding (cores in range, priorities in [0, 1)).
   * Several may be asked before they are told; a generational optimiser hands out its
   * generation one by one.
   */
  ask(): Candidate;
  /**
   * Reports the cost of a candidate previously returned by `ask`.
   *
   * @param cost - finite and >= 0; lower is better.
   * @throws RangeError for a NaN, negative or infinite cost (a bug upstream, not something
   *   to rank).
   */
  tell(candidate: Candidate, cost: number): void;
  /** The best candidate told so far (a copy), or null before any tell. */
  recommend(): Recommendation | null;
  /**
   * True when the optimiser has nothing new to propose (a deterministic heuristic after
   * its one mapping, an exhausted enumeration); runners stop early then.
   */
  readonly done?: boolean;
}

/**
 * How an optimiser is described and built: the registry's entries
 * ({@link registerOptimizer}, {@link listOptimizers}). The CLI (`--param`), `m3e optimizers`
 * and the tuner read the declared hyper-parameters.
 */
export interface OptimizerSpec<S extends ParamSpace = ParamSpace> {
  /** The name the CLI, specs and the registry use. */
  readonly name: string;
  readonly description: string;
  /** Where it comes from and what its defaults follow. */
  readonly reference: string;
  readonly family: 'evolutionary' | 'black-box' | 'random' | 'heuristic' | 'exact' | 'learned';
  /** The hyper-parameters: type, range, default and description of each. */
  readonly params: S;
  /**
   * A new optimiser for a problem of `size`.
   *
   * @param rng - the optimiser's only source of randomness.
   * @param params - validated values of every declared hyper-parameter.
   */
  create(size: ProblemSize, rng: Rng, params: ParamValues<S>): Optimizer;
}

/** Keeps the best (encoding, cost) told so far; optimisers compose it. */
export class BestTracker {
  private bestCost = Number.POSITIVE_INFINITY;
  private bestEnc: Encoding | null = null;

  constructor(private readonly numJobs: number) {}

  /** Records `enc` if it improves; returns true when it did. */
  offer(enc: Encoding, cost: number): boolean {
    if (!(cost < this.bestCost)) return false;
    this.bestCost = cost;
    if (!this.bestEnc) this.bestEnc = copyEncoding(enc);
    else {
      this.bestEnc.core.set(enc.core);
      this.bestEnc.priority.set(enc.priority);
    }
    return true;
  }

  get cost(): number {
    return this.bestCost;
  }

  recommend(): Recommendation | null {
    return this.bestEnc ? { encoding: copyEncoding(this.bestEnc), cost: this.bestCost } : null;
  }

  get size(): number {
    return this.numJobs;
  }
}

/** Checks a told cost: NaN or negative costs are bugs upstream, not something to rank. */
export function assertCost(name: string, cost: number): void {
  if (!(cost >= 0) || cost === Number.POSITIVE_INFINITY) {
    throw new RangeError(`${name}.tell: cost must be a finite number >= 0, got ${cost}`);
  }
}

/** Fills an encoding with uniformly random cores and priorities. */
export function randomizeEncoding(enc: Encoding, numCores: number, rng: Rng): void {
  for (let j = 0; j < enc.core.length; j++) {
    enc.core[j] = rng.int(numCores);
    enc.priority[j] = rng.float();
  }
}
