/**
 * The optimiser interface, nevergrad-style ask/tell: an optimiser proposes candidate
 * encodings (`ask`), is told their cost (`tell`; lower is better, e.g. the makespan), and
 * keeps its best. It never evaluates anything itself, so one evaluator serves every
 * optimiser and a budget is simply the number of `tell`s.
 *
 * Candidates handed out by `ask` are views into the optimiser's own buffers (no allocation
 * per candidate): read them before `tell`, copy them to keep them.
 */
import type { Encoding } from '../core/encoding.js';
import { copyEncoding } from '../core/encoding.js';
import type { Rng } from '../core/rng.js';
import type { ParamSpace, ParamValues, ProblemSize } from './params.js';

export type { ProblemSize } from './params.js';

export interface Candidate extends Encoding {
  /** Opaque handle the optimiser uses to recognise the candidate in `tell`. */
  readonly id: number;
}

export interface Recommendation {
  readonly encoding: Encoding;
  readonly cost: number;
  /** A certified lower bound on the cost, from optimisers that compute one (the exact mapper). */
  readonly bound?: number;
  /** True when `cost` meets `bound` to the bound's precision: the mapping is proven optimal. */
  readonly optimal?: boolean;
}

export interface Optimizer {
  readonly name: string;
  /** The next candidate to evaluate. Several may be asked before they are told. */
  ask(): Candidate;
  /** The cost of a candidate previously returned by `ask` (finite; lower is better). */
  tell(candidate: Candidate, cost: number): void;
  /** The best candidate told so far (a copy), or null before any tell. */
  recommend(): Recommendation | null;
  /**
   * True when the optimiser has nothing new to propose (a deterministic heuristic after
   * its one mapping, an exhausted enumeration); runners stop early then.
   */
  readonly done?: boolean;
}

/** How an optimiser is described and built: the registry's entries. */
export interface OptimizerSpec<S extends ParamSpace = ParamSpace> {
  readonly name: string;
  readonly description: string;
  /** Where it comes from and what its defaults follow. */
  readonly reference: string;
  readonly family: 'evolutionary' | 'black-box' | 'random' | 'heuristic' | 'exact';
  readonly params: S;
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
