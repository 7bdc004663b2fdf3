/**
 * (1+1)-ES with the one-fifth success rule, as nevergrad's `OnePlusOne`: every candidate is
 * the best point so far plus sigma x N(0, I); a told cost no worse than the best so far is a
 * success and multiplies sigma by `successFactor`, a failure multiplies it by
 * successFactor^(-1/4), so sigma is stationary at a success rate of one fifth (nevergrad:
 * x2 and x0.84). Updates are asynchronous, so several candidates may be pending.
 *
 * Start: a uniform point of the unit box (nevergrad starts at the centre of the bounds,
 * which here would put every job on core floor(C/2)).
 */
import type { Rng } from '../../core/rng.js';
import type { OptimizerSpec } from '../optimizer.js';
import type { ParamValues } from '../params.js';
import { MAX_SIGMA, NEVERGRAD_SIGMA0, uniformPoint, VectorOptimizer, type VectorStrategy } from './vector.js';

export const onePlusOneParams = {
  sigma0: NEVERGRAD_SIGMA0,
  successFactor: {
    type: 'float',
    low: 1.01,
    high: 10,
    log: true,
    default: 2,
    description: 'step-size factor on success; failure factor is its -1/4 power (nevergrad: 2)',
  },
} as const;

export type OnePlusOneSettings = ParamValues<typeof onePlusOneParams>;

/** Tag of the first candidate (the start point); mutants carry tag 1. */
const START = 0;
const MUTANT = 1;

export class OnePlusOneEs implements VectorStrategy {
  private readonly parent: Float64Array;
  private parentCost = Number.POSITIVE_INFINITY;
  private sigmaValue: number;
  private started = false;
  private readonly failureFactor: number;

  constructor(
    readonly dim: number,
    private readonly rng: Rng,
    private readonly settings: OnePlusOneSettings,
  ) {
    this.parent = new Float64Array(dim);
    uniformPoint(this.parent, rng);
    this.sigmaValue = settings.sigma0;
    this.failureFactor = settings.successFactor ** -0.25;
  }

  get sigma(): number {
    return this.sigmaValue;
  }

  propose(x: Float64Array): number {
    if (!this.started) {
      this.started = true;
      x.set(this.parent);
      return START;
    }
    const s = this.sigmaValue;
    for (let i = 0; i < this.dim; i++) x[i] = this.parent[i]! + s * this.rng.normal();
    return MUTANT;
  }

  accept(tag: number, x: Float64Array, cost: number): void {
    if (cost <= this.parentCost) {
      this.parentCost = cost;
      this.parent.set(x);
      // The start point is not a mutation: it does not count for the success rule.
      if (tag === MUTANT)
        this.sigmaValue = Math.min(MAX_SIGMA, this.sigmaValue * this.settings.successFactor);
    } else if (tag === MUTANT) this.sigmaValue *= this.failureFactor;
  }
}

export const onePlusOneSpec: OptimizerSpec<typeof onePlusOneParams> = {
  name: 'one-plus-one',
  description: '(1+1)-ES with the one-fifth success rule (asynchronous).',
  reference:
    'nevergrad OnePlusOne (Schumer & Steiglitz 1968, Rechenberg 1973): gaussian mutation of the best, sigma x2 on success, x2^(-1/4) ~ 0.84 on failure; sigma0 = 1/6 of the box',
  family: 'black-box',
  params: onePlusOneParams,
  create: (size, rng, params) =>
    new VectorOptimizer('one-plus-one', size, new OnePlusOneEs(2 * size.numJobs, rng, params)),
};
