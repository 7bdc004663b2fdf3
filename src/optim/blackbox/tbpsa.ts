/**
 * TBPSA, test-based population-size adaptation (Hellwig & Beyer 2016), as nevergrad runs it
 * for noisy problems: a self-adaptive (mu/mu, lambda)-ES where each child draws its own step
 * size sigma_k = sigma exp(N(0,1) / sqrt(n)) and is x = centre + sigma_k N(0, I); after
 * lambda children the centre becomes the mean of the best mu and sigma the geometric mean
 * of their sigma_k. The population size adapts by a test over the last 5 lambda costs:
 * z = (mean of the first lambda - mean of the last lambda) / sqrt(s1^2 + s2^2), with
 * s = std / sqrt(lambda - 1); no significant progress (z < 2) doubles mu, progress shrinks
 * it by 0.84 (never below min(initial mu, dimension), as in nevergrad); lambda = 4 mu.
 *
 * Start: a uniform centre in the unit box (nevergrad's centre of the bounds would put every
 * job on core floor(C/2)), sigma0 = 1/6 of the box. The recommendation is the best point
 * told (nevergrad's NaiveTBPSA); our objective is noise-free.
 */
import type { Rng } from '../../core/rng.js';
import type { OptimizerSpec, ProblemSize } from '../optimizer.js';
import type { ParamValues } from '../params.js';
import {
  MAX_SIGMA,
  NEVERGRAD_SIGMA0,
  uniformPoint,
  VectorOptimizer,
  VectorStore,
  type VectorStrategy,
} from './vector.js';

export const tbpsaParams = {
  initialMu: {
    type: 'int',
    low: 1,
    high: 100_000,
    log: true,
    default: (s: ProblemSize) => 2 * s.numJobs,
    description: 'initial (and minimal) mu; lambda = 4 mu (nevergrad: the dimension, 2 x jobs)',
  },
  sigma0: NEVERGRAD_SIGMA0,
} as const;

export type TbpsaSettings = ParamValues<typeof tbpsaParams>;

/** z-score below which the run is judged noise-dominated (nevergrad: 2). */
const PROGRESS_Z = 2;
/** Shrink factor of mu after significant progress (nevergrad: 0.84). */
const SHRINK = 0.84;
/** Memory bound: lambda = 4 mu points of n reals are stored. */
const MAX_MU = 1 << 14;

/** nevergrad's `_PopulationSizeController`: adapts mu (and lambda = 4 mu) from the costs seen. */
export class PopulationSizeController {
  mu: number;
  lambda: number;
  private readonly minMu: number;
  private record: Float64Array;
  private recorded = 0;

  constructor(mu: number, dim: number) {
    this.mu = mu;
    this.lambda = 4 * mu;
    this.minMu = Math.min(mu, dim);
    this.record = new Float64Array(5 * this.lambda);
  }

  add(cost: number): void {
    // The record holds 5 lambda costs (resized whenever lambda changes), then is tested and emptied.
    this.record[this.recorded++] = cost;
    const L = this.lambda;
    if (this.recorded < 5 * L) return;
    const [m1, s1] = meanStd(this.record, 0, L);
    const [m2, s2] = meanStd(this.record, this.recorded - L, this.recorded);
    const denom = Math.sqrt((s1 * s1 + s2 * s2) / (L - 1));
    const diff = m1 - m2;
    // numpy semantics of the reference: x / 0 is +-inf, 0 / 0 is NaN (NaN < 2 is false).
    const z = denom > 0 ? diff / denom : diff > 0 ? Infinity : diff < 0 ? -Infinity : Number.NaN;
    if (z < PROGRESS_Z) this.mu = Math.min(MAX_MU, this.mu * 2);
    else this.mu = Math.max(this.minMu, Math.floor(this.mu * SHRINK));
    this.lambda = 4 * this.mu;
    this.recorded = 0;
    if (this.record.length < 5 * this.lambda) this.record = new Float64Array(5 * this.lambda);
  }
}

/** Mean and population standard deviation (numpy's default) of a[lo, hi). */
function meanStd(a: Float64Array, lo: number, hi: number): [number, number] {
  const n = hi - lo;
  let s = 0;
  for (let i = lo; i < hi; i++) s += a[i]!;
  const m = s / n;
  let v = 0;
  for (let i = lo; i < hi; i++) v += (a[i]! - m) ** 2;
  return [m, Math.sqrt(v / n)];
}

export class Tbpsa implements VectorStrategy {
  readonly controller: PopulationSizeController;
  private readonly center: Float64Array;
  private sigmaValue: number;
  private readonly children: VectorStore;
  private childSigma: Float64Array;
  private childCost: Float64Array;
  private order: Int32Array;
  private asked = 0;
  private told = 0;
  private generation = 0;

  constructor(
    readonly dim: number,
    private readonly rng: Rng,
    settings: TbpsaSettings,
  ) {
    this.controller = new PopulationSizeController(settings.initialMu, dim);
    this.center = new Float64Array(dim);
    uniformPoint(this.center, rng);
    this.sigmaValue = settings.sigma0;
    const L = this.controller.lambda;
    this.children = new VectorStore(dim, L);
    this.childSigma = new Float64Array(L);
    this.childCost = new Float64Array(L);
    this.order = new Int32Array(L);
  }

  /** The parents' step size (box widths). */
  get sigma(): number {
    return this.sigmaValue;
  }

  propose(x: Float64Array): number {
    if (this.asked >= this.controller.lambda) {
      throw new Error(
        `tbpsa.ask: all ${this.controller.lambda} candidates of generation ${this.generation} are pending; tell them first`,
      );
    }
    const k = this.asked++;
    this.ensure(this.asked);
    const n = this.dim;
    const s = Math.min(MAX_SIGMA, this.sigmaValue * Math.exp(this.rng.normal() / Math.sqrt(n)));
    this.childSigma[k] = s;
    const store = this.children.data;
    const off = k * n;
    for (let i = 0; i < n; i++) {
      const v = this.center[i]! + s * this.rng.normal();
      store[off + i] = v;
      x[i] = v;
    }
    return k;
  }

  accept(k: number, _x: Float64Array, cost: number): void {
    this.childCost[k] = cost;
    this.controller.add(cost);
    this.told++;
    // A generation ends once lambda (as adapted now) children are told and none is pending.
    if (this.told >= this.controller.lambda && this.told === this.asked) this.update();
  }

  private update(): void {
    const { dim: n, told } = this;
    const mu = Math.min(this.controller.mu, told);
    const order = this.order;
    for (let k = 0; k < told; k++) order[k] = k;
    const cost = this.childCost;
    const sorted = order.subarray(0, told).sort((a, b) => cost[a]! - cost[b]! || a - b);
    const store = this.children.data;
    this.center.fill(0);
    let logSigma = 0;
    for (let r = 0; r < mu; r++) {
      const off = sorted[r]! * n;
      for (let i = 0; i < n; i++) this.center[i]! += store[off + i]!;
      logSigma += Math.log(this.childSigma[sorted[r]!]!);
    }
    for (let i = 0; i < n; i++) this.center[i]! /= mu;
    this.sigmaValue = Math.exp(logSigma / mu);
    this.asked = 0;
    this.told = 0;
    this.generation++;
  }

  private ensure(count: number): void {
    if (count <= this.childCost.length) return;
    const cap = Math.max(count, 2 * this.childCost.length);
    this.children.ensure(cap);
    const grow = (a: Float64Array) => {
      const g = new Float64Array(cap);
      g.set(a);
      return g;
    };
    this.childSigma = grow(this.childSigma);
    this.childCost = grow(this.childCost);
    this.order = new Int32Array(cap);
  }
}

export const tbpsaSpec: OptimizerSpec<typeof tbpsaParams> = {
  name: 'tbpsa',
  description:
    'Test-based population-size adaptation: self-adaptive (mu/mu, lambda)-ES with adaptive lambda.',
  reference:
    'nevergrad TBPSA (Hellwig & Beyer, PPSN 2016): mu0 = dimension, lambda = 4 mu, test every 5 lambda costs (z < 2 doubles mu, else x0.84), sigma self-adapted with exp(N / sqrt(n)); sigma0 = 1/6 of the box',
  family: 'black-box',
  params: tbpsaParams,
  create: (size, rng, params) => new VectorOptimizer('tbpsa', size, new Tbpsa(2 * size.numJobs, rng, params)),
};
