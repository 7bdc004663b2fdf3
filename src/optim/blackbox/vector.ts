/**
 * The shared base of the black-box (vector) optimisers: they search real vectors, and this
 * module turns a vector into an encoding and a numeric search method into an `Optimizer`.
 *
 * Parametrisation (one for every black-box method, so they search the same space):
 * a genotype x has 2J reals; x[j] is job j's core gene, x[J + j] its priority gene. Both live
 * in the unit box [0, 1]; a coordinate outside is first reflected back into it (the
 * "bouncing" of nevergrad's bounded arrays: period 2, so 1.25 -> 0.75 and -0.25 -> 0.25). Then
 *   core[j]     = min(floor(C * u[j]), C - 1)   (the paper's "reals in [0, C) floored",
 *                                                 rescaled by 1/C)
 *   priority[j] = min(u[J + j], PRIORITY_MAX)   (priorities in [0, 1))
 * Why the unit box rather than [0, C) for core genes: the isotropic methods (CMA-ES,
 * (1+1)-ES, TBPSA, PSO) use one step size for every coordinate, which only makes sense when
 * all coordinates have the same range. Why reflection rather than clamping: outside the box
 * a clamped coordinate has a flat landscape on which unbounded methods (CMA-ES, the ESs,
 * DE) drift without a signal; a reflected one keeps varying. Inside the box both agree.
 */
import type { Rng } from '../../core/rng.js';
import {
  assertCost,
  BestTracker,
  type Candidate,
  type Optimizer,
  type ProblemSize,
  type Recommendation,
} from '../optimizer.js';

/** Largest double below 1: priorities must be < 1. */
export const PRIORITY_MAX = 1 - 2 ** -53;

/**
 * Upper bound on step sizes (in box widths): a step of 100 widths already gives uniform
 * reflected samples, and the cap stops runaway growth on flat landscapes (one core, one
 * job: every candidate ties, and the one-fifth rule doubles the step at every tie).
 */
export const MAX_SIGMA = 100;

/** Reflects a real into [0, 1] (triangle wave of period 2; identity on [0, 1]). */
export function reflectUnit(v: number): number {
  if (v >= 0 && v <= 1) return v;
  let r = v % 2;
  if (r < 0) r += 2;
  return r > 1 ? 2 - r : r;
}

/** Decodes genotype `x` (length 2J) into `core` and `priority` (length J each). */
export function decodeVector(
  x: Float64Array,
  numCores: number,
  core: Int32Array,
  priority: Float64Array,
): void {
  const J = core.length;
  for (let j = 0; j < J; j++) {
    const u = x[j]!;
    const p = x[J + j]!;
    if (!Number.isFinite(u) || !Number.isFinite(p)) {
      throw new Error(`decodeVector: gene of job ${j} is not finite (core gene ${u}, priority gene ${p})`);
    }
    const c = Math.floor(numCores * reflectUnit(u));
    core[j] = c < numCores ? c : numCores - 1;
    const q = reflectUnit(p);
    priority[j] = Math.min(q, PRIORITY_MAX);
  }
}

/** The genotype that decodes to `core[j]` exactly and keeps priorities (for seeding). */
export function encodeVector(
  core: ArrayLike<number>,
  priority: ArrayLike<number>,
  numCores: number,
  x: Float64Array,
): void {
  const J = core.length;
  for (let j = 0; j < J; j++) {
    x[j] = (core[j]! + 0.5) / numCores;
    x[J + j] = priority[j]!;
  }
}

/** Fills `x` with a uniform point of the unit box. */
export function uniformPoint(x: Float64Array, rng: Rng): void {
  for (let i = 0; i < x.length; i++) x[i] = rng.float();
}

/**
 * A numeric search method on R^dim (the unit box is the region of interest): proposes
 * points, is told their cost. Strategies know nothing about encodings, so they can be
 * tested on plain functions.
 */
export interface VectorStrategy {
  readonly dim: number;
  /**
   * Writes the next point into `x` and returns a tag by which the strategy recognises it in
   * `accept`. Throws when it cannot propose before pending points are told (a generation
   * full of pending candidates).
   */
  propose(x: Float64Array): number;
  /** The cost of a point proposed with `tag`; `x` is the point as proposed. */
  accept(tag: number, x: Float64Array, cost: number): void;
}

interface VectorCandidate extends Candidate {
  id: number;
  readonly x: Float64Array;
  tag: number;
  /** Position in the optimiser's pool. */
  readonly index: number;
  pending: boolean;
}

/**
 * Wraps a `VectorStrategy` into an `Optimizer` on encodings: decodes each proposed vector
 * into a candidate held in a pooled buffer (the pool grows only with the number of
 * candidates pending at once), checks tells and keeps the best.
 */
export class VectorOptimizer implements Optimizer {
  private readonly pool: VectorCandidate[] = [];
  private readonly free: number[] = [];
  private nextId = 0;
  private readonly best: BestTracker;
  private readonly J: number;
  private readonly C: number;

  constructor(
    readonly name: string,
    size: ProblemSize,
    private readonly strategy: VectorStrategy,
  ) {
    this.J = size.numJobs;
    this.C = size.numCores;
    if (strategy.dim !== 2 * this.J)
      throw new Error(`${name}: strategy dimension ${strategy.dim} != 2 x ${this.J} jobs`);
    this.best = new BestTracker(this.J);
  }

  ask(): Candidate {
    const cand = this.take();
    try {
      cand.tag = this.strategy.propose(cand.x);
    } catch (e) {
      // Nothing was proposed (a full generation pending): the buffer stays free.
      this.free.push(cand.index);
      throw e;
    }
    decodeVector(cand.x, this.C, cand.core, cand.priority);
    cand.id = this.nextId++;
    cand.pending = true;
    return cand;
  }

  tell(candidate: Candidate, cost: number): void {
    assertCost(this.name, cost);
    const c = candidate as VectorCandidate;
    if (this.pool[c.index] !== c || !c.pending || c.id !== candidate.id) {
      throw new RangeError(`${this.name}.tell: candidate ${candidate.id} is not pending`);
    }
    c.pending = false;
    this.strategy.accept(c.tag, c.x, cost);
    this.best.offer(c, cost);
    this.free.push(c.index);
  }

  recommend(): Recommendation | null {
    return this.best.recommend();
  }

  private take(): VectorCandidate {
    const k = this.free.pop();
    if (k !== undefined) return this.pool[k]!;
    const cand: VectorCandidate = {
      id: -1,
      x: new Float64Array(2 * this.J),
      core: new Int32Array(this.J),
      priority: new Float64Array(this.J),
      tag: -1,
      index: this.pool.length,
      pending: false,
    };
    this.pool.push(cand);
    return cand;
  }
}

/**
 * A pool of `count` vectors of length `dim` in one flat array, growing geometrically when a
 * strategy needs more (TBPSA's population size changes).
 */
export class VectorStore {
  data: Float64Array;
  constructor(
    readonly dim: number,
    count: number,
  ) {
    this.data = new Float64Array(Math.max(1, count) * dim);
  }
  get capacity(): number {
    return this.data.length / this.dim;
  }
  ensure(count: number): void {
    if (count <= this.capacity) return;
    const grown = new Float64Array(Math.max(count, 2 * this.capacity) * this.dim);
    grown.set(this.data);
    this.data = grown;
  }
  row(i: number): Float64Array {
    return this.data.subarray(i * this.dim, (i + 1) * this.dim);
  }
}

/**
 * The initial step size of nevergrad's evolution strategies on bounded parameters: a sixth
 * of the box, (upper - lower) / 6. Shared by (1+1)-ES and TBPSA.
 */
export const NEVERGRAD_SIGMA0 = {
  type: 'float',
  low: 1e-4,
  high: 10,
  log: true,
  default: 1 / 6,
  description: "initial step size in box widths (nevergrad's bounded parameters: (upper - lower) / 6)",
} as const;
