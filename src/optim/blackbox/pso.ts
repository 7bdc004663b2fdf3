/**
 * Particle swarm optimisation as nevergrad's `PSO` runs it (SPSO-2011 constants, global-best
 * topology, asynchronous updates): each particle moves as soon as it has been told,
 *   v <- w v + c1 r1 (personal best - x) + c2 r2 (global best - x),   x <- clip(x + v, 0, 1)
 * with r1, r2 uniform per coordinate. Particles start uniform in the unit box with speeds
 * uniform in [-1, 1] per coordinate (nevergrad's bounded-box variant). A particle is moved
 * again only after its last position was told; particles move in the order they were told.
 */
import type { Rng } from '../../core/rng.js';
import type { OptimizerSpec } from '../optimizer.js';
import type { ParamValues } from '../params.js';
import { VectorOptimizer, type VectorStrategy } from './vector.js';

export const psoParams = {
  swarm: {
    type: 'int',
    low: 2,
    high: 10_000,
    log: true,
    default: 40,
    description: 'number of particles (nevergrad and SPSO-2011: 40)',
  },
  inertia: {
    type: 'float',
    low: 0,
    high: 1.5,
    default: 0.5 / Math.log(2),
    description: 'inertia weight w (SPSO-2011: 1 / (2 ln 2))',
  },
  cognitive: {
    type: 'float',
    low: 0,
    high: 4,
    default: 0.5 + Math.log(2),
    description: 'attraction to the personal best c1 (SPSO-2011: 0.5 + ln 2)',
  },
  social: {
    type: 'float',
    low: 0,
    high: 4,
    default: 0.5 + Math.log(2),
    description: 'attraction to the global best c2 (SPSO-2011: 0.5 + ln 2)',
  },
} as const;

export type PsoSettings = ParamValues<typeof psoParams>;

export class Pso implements VectorStrategy {
  private readonly S: number;
  private readonly pos: Float64Array;
  private readonly vel: Float64Array;
  private readonly pbest: Float64Array;
  private readonly pbestCost: Float64Array;
  private readonly gbest: Float64Array;
  private gbestCost = Number.POSITIVE_INFINITY;
  /** Particles told and waiting to move, FIFO ring. */
  private readonly ready: Int32Array;
  private head = 0;
  private count = 0;
  private started = 0;

  constructor(
    readonly dim: number,
    private readonly rng: Rng,
    private readonly settings: PsoSettings,
  ) {
    const S = settings.swarm;
    this.S = S;
    this.pos = new Float64Array(S * dim);
    this.vel = new Float64Array(S * dim);
    this.pbest = new Float64Array(S * dim);
    this.pbestCost = new Float64Array(S).fill(Number.POSITIVE_INFINITY);
    this.gbest = new Float64Array(dim);
    this.ready = new Int32Array(S);
  }

  propose(x: Float64Array): number {
    const { dim: n, rng, pos, vel } = this;
    if (this.started < this.S) {
      const k = this.started++;
      const off = k * n;
      for (let i = 0; i < n; i++) {
        const xi = rng.float();
        pos[off + i] = xi;
        x[i] = xi;
        vel[off + i] = 2 * rng.float() - 1;
      }
      return k;
    }
    if (this.count === 0) throw new Error(`pso.ask: all ${this.S} particles are pending; tell them first`);
    const k = this.ready[this.head]!;
    this.head = (this.head + 1) % this.S;
    this.count--;
    const { inertia, cognitive, social } = this.settings;
    const off = k * n;
    const { pbest, gbest } = this;
    for (let i = 0; i < n; i++) {
      const xi = pos[off + i]!;
      const v =
        inertia * vel[off + i]! +
        cognitive * rng.float() * (pbest[off + i]! - xi) +
        social * rng.float() * (gbest[i]! - xi);
      vel[off + i] = v;
      const nx = xi + v;
      pos[off + i] = nx < 0 ? 0 : Math.min(nx, 1);
      x[i] = pos[off + i]!;
    }
    return k;
  }

  accept(k: number, x: Float64Array, cost: number): void {
    const n = this.dim;
    if (cost < this.gbestCost) {
      this.gbestCost = cost;
      this.gbest.set(x);
    }
    if (cost <= this.pbestCost[k]!) {
      this.pbestCost[k] = cost;
      this.pbest.set(x, k * n);
    }
    this.ready[(this.head + this.count) % this.S] = k;
    this.count++;
  }
}

export const psoSpec: OptimizerSpec<typeof psoParams> = {
  name: 'pso',
  description: 'Particle swarm (global best, asynchronous), SPSO-2011 constants.',
  reference:
    'nevergrad PSO (Zambrano-Bigiarini, Clerc & Rojas, SPSO-2011, CEC 2013): swarm 40, w = 1/(2 ln 2), c1 = c2 = 0.5 + ln 2, speeds U(-1, 1), positions clipped to the box',
  family: 'black-box',
  params: psoParams,
  create: (size, rng, params) => new VectorOptimizer('pso', size, new Pso(2 * size.numJobs, rng, params)),
};
