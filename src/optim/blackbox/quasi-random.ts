/**
 * Quasi-random search: the points of a Halton sequence in the unit box (coordinate d is the
 * radical inverse of the point index in the d-th prime base), optionally scrambled by a
 * random permutation of the digits 1..p-1 of each base (0 stays 0, so the expansion stays
 * finite), as nevergrad's `ScrHaltonSearch`. Unscrambled Halton points of the high bases
 * are strongly correlated for the first thousands of points (in base 1223, the 200th
 * prime, the first 1223 points increase linearly), which scrambling breaks. Points start at
 * index 1 (index 0 is the corner 0). Every prefix of p^k points puts exactly one point in
 * each interval [i / p^k, (i+1) / p^k) of a coordinate in base p.
 *
 * Why Halton and not a Latin hypercube: a Latin hypercube needs the number of points up
 * front; the optimiser interface has no budget, and a Halton sequence is good at any
 * prefix.
 */
import type { Rng } from '../../core/rng.js';
import type { OptimizerSpec } from '../optimizer.js';
import type { ParamValues } from '../params.js';
import { VectorOptimizer, type VectorStrategy } from './vector.js';

export const quasiRandomParams = {
  scrambled: {
    type: 'categorical',
    choices: [true, false],
    default: true,
    description: 'permute the digits of each base at random (nevergrad ScrHaltonSearch)',
  },
} as const;

export type QuasiRandomSettings = ParamValues<typeof quasiRandomParams>;

/** The first `count` primes (sieve, growing the bound until enough are found). */
export function firstPrimes(count: number): Int32Array {
  const out = new Int32Array(count);
  let bound = Math.max(16, Math.ceil(count * (Math.log(count + 2) + Math.log(Math.log(count + 3)) + 2)));
  for (;;) {
    const composite = new Uint8Array(bound + 1);
    let k = 0;
    for (let i = 2; i <= bound && k < count; i++) {
      if (composite[i]) continue;
      out[k++] = i;
      for (let m = i * i; m <= bound; m += i) composite[m] = 1;
    }
    if (k === count) return out;
    bound *= 2;
  }
}

export class HaltonSequence {
  readonly bases: Int32Array;
  /** Digit permutation per dimension, concatenated; offset[d] is where dimension d starts. */
  private readonly perm: Int32Array;
  private readonly offset: Int32Array;
  private index = 1;

  constructor(
    readonly dim: number,
    rng: Rng | null,
  ) {
    this.bases = firstPrimes(dim);
    this.offset = new Int32Array(dim);
    let total = 0;
    for (let d = 0; d < dim; d++) {
      this.offset[d] = total;
      total += this.bases[d]!;
    }
    this.perm = new Int32Array(total);
    for (let d = 0; d < dim; d++) {
      const p = this.bases[d]!;
      const o = this.offset[d]!;
      for (let i = 0; i < p; i++) this.perm[o + i] = i;
      if (rng) {
        // Fisher-Yates on digits 1..p-1.
        for (let i = p - 1; i > 1; i--) {
          const j = 1 + rng.int(i);
          const t = this.perm[o + i]!;
          this.perm[o + i] = this.perm[o + j]!;
          this.perm[o + j] = t;
        }
      }
    }
  }

  /** Writes the next point into x. */
  next(x: Float64Array): void {
    const i0 = this.index++;
    for (let d = 0; d < this.dim; d++) {
      const p = this.bases[d]!;
      const o = this.offset[d]!;
      let i = i0;
      let f = 1 / p;
      let v = 0;
      while (i > 0) {
        const q = Math.floor(i / p);
        v += this.perm[o + (i - q * p)]! * f;
        i = q;
        f /= p;
      }
      x[d] = v;
    }
  }
}

export class QuasiRandom implements VectorStrategy {
  private readonly seq: HaltonSequence;
  constructor(
    readonly dim: number,
    rng: Rng,
    settings: QuasiRandomSettings,
  ) {
    this.seq = new HaltonSequence(dim, settings.scrambled ? rng : null);
  }
  propose(x: Float64Array): number {
    this.seq.next(x);
    return 0;
  }
  accept(): void {}
}

export const quasiRandomSpec: OptimizerSpec<typeof quasiRandomParams> = {
  name: 'quasi-random',
  description: 'Quasi-random search: (scrambled) Halton points of the unit box.',
  reference:
    'nevergrad ScrHaltonSearch (Halton 1960; random digit permutations per base, 0 fixed); Halton rather than LHS because the budget is not known up front',
  family: 'random',
  params: quasiRandomParams,
  create: (size, rng, params) =>
    new VectorOptimizer('quasi-random', size, new QuasiRandom(2 * size.numJobs, rng, params)),
};
