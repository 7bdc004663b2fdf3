/**
 * Differential evolution, steady-state as nevergrad's `DE` runs it: a population of P
 * points (uniform in the unit box); each member in turn (in the order they were told)
 * gets a trial vector, which replaces it when its cost is no worse. Two mutation strategies:
 *  - current-to-best/1 (nevergrad's default): v = x_i + F1 (x_a - x_b) + F2 (x_best - x_i);
 *  - rand/1 (Storn & Price's DE/rand/1/bin): v = x_a + F1 (x_b - x_c);
 * with a, b, c distinct members other than i when the population allows, and binomial
 * crossover: each coordinate comes from v with probability CR, one random coordinate always.
 * Trial vectors are not clipped (nevergrad does not either); the decoder reflects them.
 */
import type { Rng } from '../../core/rng.js';
import type { OptimizerSpec } from '../optimizer.js';
import type { ParamValues } from '../params.js';
import { uniformPoint, VectorOptimizer, type VectorStrategy } from './vector.js';

export type DeStrategy = 'current-to-best/1' | 'rand/1';
const STRATEGIES: readonly DeStrategy[] = ['current-to-best/1', 'rand/1'];

export const deParams = {
  strategy: {
    type: 'categorical',
    choices: STRATEGIES,
    default: 'current-to-best/1',
    description:
      'mutation: current-to-best/1 (nevergrad) or rand/1 (Storn & Price), both with binomial crossover',
  },
  population: {
    type: 'int',
    low: 4,
    high: 100_000,
    log: true,
    default: 30,
    description: 'population size (nevergrad: 30)',
  },
  F1: {
    type: 'float',
    low: 0,
    high: 2,
    default: 0.8,
    description: 'differential weight (nevergrad: 0.8)',
  },
  F2: {
    type: 'float',
    low: 0,
    high: 2,
    default: 0.8,
    description: 'weight of the pull to the best, current-to-best/1 only (nevergrad: 0.8)',
  },
  crossover: {
    type: 'float',
    low: 0,
    high: 1,
    default: 0.5,
    description: 'binomial crossover rate CR (nevergrad: 0.5)',
  },
} as const;

export type DeSettings = ParamValues<typeof deParams>;

export class DifferentialEvolution implements VectorStrategy {
  private readonly P: number;
  private readonly pop: Float64Array;
  private readonly cost: Float64Array;
  /** Members told and waiting for a trial, FIFO ring. */
  private readonly ready: Int32Array;
  private head = 0;
  private count = 0;
  private started = 0;
  private readonly mutate: (i: number, v: Float64Array) => void;

  constructor(
    readonly dim: number,
    private readonly rng: Rng,
    private readonly settings: DeSettings,
  ) {
    this.P = settings.population;
    this.pop = new Float64Array(this.P * dim);
    this.cost = new Float64Array(this.P).fill(Number.POSITIVE_INFINITY);
    this.ready = new Int32Array(this.P);
    this.mutate = settings.strategy === 'rand/1' ? this.rand1 : this.currentToBest1;
  }

  propose(x: Float64Array): number {
    const n = this.dim;
    if (this.started < this.P) {
      const k = this.started++;
      uniformPoint(x, this.rng);
      this.pop.set(x, k * n);
      return k;
    }
    if (this.count === 0)
      throw new Error(`de.ask: all ${this.P} members have a pending trial; tell them first`);
    const i = this.ready[this.head]!;
    this.head = (this.head + 1) % this.P;
    this.count--;
    this.mutate(i, x);
    // Binomial crossover with the target x_i.
    const { rng, pop } = this;
    const CR = this.settings.crossover;
    const jRand = rng.int(n);
    const off = i * n;
    for (let j = 0; j < n; j++) if (j !== jRand && !(rng.float() < CR)) x[j] = pop[off + j]!;
    return i;
  }

  accept(i: number, x: Float64Array, cost: number): void {
    // Initial members are stored at proposal; trials replace their target when no worse.
    if (cost <= this.cost[i]!) {
      this.cost[i] = cost;
      this.pop.set(x, i * this.dim);
    }
    this.ready[(this.head + this.count) % this.P] = i;
    this.count++;
  }

  /** v = x_i + F1 (x_a - x_b) + F2 (x_best - x_i). */
  private readonly currentToBest1 = (i: number, v: Float64Array): void => {
    const { dim: n, pop } = this;
    const best = this.bestMember();
    const a = this.pick(i, -1, -1);
    const b = this.pick(i, a, -1);
    const { F1, F2 } = this.settings;
    const oi = i * n;
    const oa = a * n;
    const ob = b * n;
    const ot = best * n;
    for (let j = 0; j < n; j++) {
      const xi = pop[oi + j]!;
      v[j] = xi + F1 * (pop[oa + j]! - pop[ob + j]!) + F2 * (pop[ot + j]! - xi);
    }
  };

  /** v = x_a + F1 (x_b - x_c). */
  private readonly rand1 = (i: number, v: Float64Array): void => {
    const { dim: n, pop } = this;
    const a = this.pick(i, -1, -1);
    const b = this.pick(i, a, -1);
    const c = this.pick(i, a, b);
    const F = this.settings.F1;
    const oa = a * n;
    const ob = b * n;
    const oc = c * n;
    for (let j = 0; j < n; j++) v[j] = pop[oa + j]! + F * (pop[ob + j]! - pop[oc + j]!);
  };

  private bestMember(): number {
    let best = 0;
    for (let k = 1; k < this.P; k++) if (this.cost[k]! < this.cost[best]!) best = k;
    return best;
  }

  /** A uniform member other than i, e1, e2 (P >= 4 guarantees one exists). */
  private pick(i: number, e1: number, e2: number): number {
    for (;;) {
      const k = this.rng.int(this.P);
      if (k !== i && k !== e1 && k !== e2) return k;
    }
  }
}

export const deSpec: OptimizerSpec<typeof deParams> = {
  name: 'de',
  description: 'Differential evolution (steady-state), current-to-best/1 or rand/1, binomial crossover.',
  reference:
    'nevergrad DE (current-to-best/1, population 30, F1 = F2 = 0.8, CR = 0.5, uniform initial population); rand/1/bin from Storn & Price 1997 with the same F and CR',
  family: 'black-box',
  params: deParams,
  create: (size, rng, params) =>
    new VectorOptimizer('de', size, new DifferentialEvolution(2 * size.numJobs, rng, params)),
};
