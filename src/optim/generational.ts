/**
 * Shared machinery of generational population methods (MAGMA, the standard GA): the
 * population lives in flat typed arrays (P x J), candidates are views into them, and a new
 * generation is bred as soon as every candidate of the current one has been told.
 * Subclasses only write `breed`.
 */
import type { Encoding } from '../core/encoding.js';
import type { Rng } from '../core/rng.js';
import {
  assertCost,
  BestTracker,
  type Candidate,
  type Optimizer,
  type ProblemSize,
  type Recommendation,
  randomizeEncoding,
} from './optimizer.js';

interface MutableCandidate extends Candidate {
  id: number;
}

export interface Population {
  readonly core: Int32Array;
  readonly priority: Float64Array;
  /** Cost per individual; NaN until told. */
  readonly cost: Float64Array;
}

export abstract class GenerationalOptimizer implements Optimizer {
  abstract readonly name: string;
  protected readonly J: number;
  protected readonly C: number;
  protected readonly P: number;
  protected generation = 0;
  protected current: Population;
  protected nextPop: Population;
  private views: [MutableCandidate[], MutableCandidate[]];
  private side = 0;
  /** Slots below this were carried over already evaluated (elites). */
  private evalStart = 0;
  private cursor = 0;
  private told = 0;
  private readonly bestSoFar: BestTracker;

  /**
   * @param seeds individuals the first generation starts with (slots 0.., so they are asked
   *   first; at most `populationSize` are used); the other slots are uniformly random. With
   *   no seeds the random stream is consumed exactly as it always was.
   */
  protected constructor(
    size: ProblemSize,
    populationSize: number,
    protected readonly rng: Rng,
    seeds: readonly Encoding[] = [],
  ) {
    this.J = size.numJobs;
    this.C = size.numCores;
    this.P = populationSize;
    const alloc = (): Population => ({
      core: new Int32Array(this.P * this.J),
      priority: new Float64Array(this.P * this.J),
      cost: new Float64Array(this.P).fill(Number.NaN),
    });
    this.current = alloc();
    this.nextPop = alloc();
    const viewsOf = (pop: Population): MutableCandidate[] =>
      Array.from({ length: this.P }, (_, i) => ({
        id: -1,
        core: pop.core.subarray(i * this.J, (i + 1) * this.J),
        priority: pop.priority.subarray(i * this.J, (i + 1) * this.J),
      }));
    this.views = [viewsOf(this.current), viewsOf(this.nextPop)];
    this.bestSoFar = new BestTracker(this.J);
    const nSeeds = Math.min(seeds.length, this.P);
    for (let i = 0; i < nSeeds; i++) {
      if (seeds[i]!.core.length !== this.J || seeds[i]!.priority.length !== this.J)
        throw new RangeError(`seed ${i} has ${seeds[i]!.core.length} jobs, expected ${this.J}`);
      this.views[0][i]!.core.set(seeds[i]!.core);
      this.views[0][i]!.priority.set(seeds[i]!.priority);
    }
    for (let i = nSeeds; i < this.P; i++) randomizeEncoding(this.views[0][i]!, this.C, rng);
  }

  ask(): Candidate {
    if (this.cursor >= this.P) {
      throw new Error(
        `${this.name}.ask: all ${this.P - this.evalStart} candidates of generation ${this.generation} are pending; tell them first`,
      );
    }
    const slot = this.cursor++;
    const view = this.views[this.side]![slot]!;
    view.id = this.generation * this.P + slot;
    return view;
  }

  tell(candidate: Candidate, cost: number): void {
    assertCost(this.name, cost);
    const gen = Math.floor(candidate.id / this.P);
    const slot = candidate.id - gen * this.P;
    if (
      gen !== this.generation ||
      slot < this.evalStart ||
      slot >= this.cursor ||
      !Number.isNaN(this.current.cost[slot]!)
    ) {
      throw new RangeError(
        `${this.name}.tell: candidate ${candidate.id} is not pending in generation ${this.generation}`,
      );
    }
    this.current.cost[slot] = cost;
    this.bestSoFar.offer(candidate, cost);
    if (++this.told === this.P - this.evalStart) this.advance();
  }

  recommend(): Recommendation | null {
    return this.bestSoFar.recommend();
  }

  /** Indices of the current population, best (lowest cost) first; ties by index. */
  protected ranked(): Int32Array {
    const cost = this.current.cost;
    const idx = Int32Array.from({ length: this.P }, (_, i) => i);
    return idx.sort((a, b) => cost[a]! - cost[b]! || a - b);
  }

  /** Copies individual `from` of the current population into slot `to` of the next. */
  protected copyToNext(from: number, to: number, withCost: boolean): void {
    const J = this.J;
    this.nextPop.core.set(this.current.core.subarray(from * J, from * J + J), to * J);
    this.nextPop.priority.set(this.current.priority.subarray(from * J, from * J + J), to * J);
    this.nextPop.cost[to] = withCost ? this.current.cost[from]! : Number.NaN;
  }

  /**
   * Writes the next generation into `this.nextPop` (cost NaN for slots to evaluate, the known
   * cost for carried-over ones) and returns how many leading slots are carried over.
   */
  protected abstract breed(): number;

  /**
   * Breeds the next generation from the current one without evaluating it: every cost reads
   * 0, so cost-weighted selection is uniform. For searches whose first, random generation is
   * never evaluated (the authors' MAGMA); `breed` must not carry those fake costs over.
   */
  protected breedUnevaluated(): void {
    this.current.cost.fill(0);
    this.advance();
  }

  private advance(): void {
    this.nextPop.cost.fill(Number.NaN);
    const carried = this.breed();
    const t = this.current;
    this.current = this.nextPop;
    this.nextPop = t;
    this.side ^= 1;
    this.generation++;
    this.evalStart = carried;
    this.cursor = carried;
    this.told = 0;
  }
}

/**
 * Draws an index of `pool` with probability proportional to `weight[k]`, skipping
 * position `exclude` (-1 for none).
 */
export function weightedPick(weight: Float64Array, n: number, exclude: number, rng: Rng): number {
  let total = 0;
  for (let k = 0; k < n; k++) if (k !== exclude) total += weight[k]!;
  let u = rng.float() * total;
  for (let k = 0; k < n; k++) {
    if (k === exclude) continue;
    u -= weight[k]!;
    if (u < 0) return k;
  }
  // Rounding left u at ~0: return the last eligible position.
  for (let k = n - 1; k >= 0; k--) if (k !== exclude) return k;
  return 0;
}

/**
 * Index of the next gene after `g` to mutate when each gene mutates independently with
 * probability `rate`: the gap is geometric, so one draw per mutation instead of one per
 * gene (the same distribution, far fewer random numbers at the usual small rates).
 */
export function nextMutation(g: number, rate: number, rng: Rng): number {
  if (rate <= 0) return Number.POSITIVE_INFINITY;
  if (rate >= 1) return g + 1;
  // 1 - float() is in (0, 1], so the log is finite.
  return g + 1 + Math.floor(Math.log(1 - rng.float()) / Math.log1p(-rate));
}
