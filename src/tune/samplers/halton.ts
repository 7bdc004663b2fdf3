/**
 * A scrambled Halton sequence: trial k takes point k of the sequence in the design view,
 * so the first trials cover the space evenly (far more evenly than random points, which
 * clump and leave holes; the GP sampler starts from it). Dimension d uses the d-th prime as
 * base; each digit position of each dimension has its own random digit permutation drawn
 * from the study seed (random-permutation scrambling, Matousek 1998), which breaks the
 * plain sequence's correlations between high bases and keeps point 0 off the origin.
 */
import { Rng } from '../../core/rng.js';
import type { Sampler } from './sampler.js';

/** Mantissa bits of a double: digits beyond 2^-53 do not change the coordinate. */
const MANTISSA_BITS = 53;

/** The first `count` primes. */
export function primes(count: number): number[] {
  const out: number[] = [];
  for (let c = 2; out.length < count; c++) if (out.every((p) => p * p > c || c % p !== 0)) out.push(c);
  return out;
}

/** Digit permutations, one per digit position, for one base. */
function scramblePermutations(base: number, rng: Rng): Uint16Array[] {
  const positions = Math.ceil(MANTISSA_BITS / Math.log2(base));
  return Array.from({ length: positions }, () =>
    rng.shuffle(Uint16Array.from({ length: base }, (_, i) => i)),
  );
}

/** Radical inverse of `index` in `base`, with scrambled digits when `perms` is given. */
export function radicalInverse(index: number, base: number, perms: readonly Uint16Array[] | null): number {
  let i = index;
  let f = 1 / base;
  let x = 0;
  if (!perms) {
    while (i > 0) {
      x += (i % base) * f;
      i = Math.floor(i / base);
      f /= base;
    }
    return x;
  }
  // All positions, leading zeros included: a scrambled zero digit is not zero.
  for (const perm of perms) {
    x += perm[i % base]! * f;
    i = Math.floor(i / base);
    f /= base;
  }
  return Math.min(x, 1 - Number.EPSILON / 2);
}

export interface HaltonOptions {
  /** Random digit permutations from the study seed (default true). */
  readonly scramble?: boolean;
}

export function haltonSampler(options: HaltonOptions = {}): Sampler {
  const scramble = options.scramble ?? true;
  // Permutations depend only on (seed, dims): memoised, so sampling stays a pure function.
  const cache = new Map<string, Uint16Array[][]>();
  const permsFor = (seed: number, dims: number): Uint16Array[][] => {
    const key = `${seed}/${dims}`;
    let p = cache.get(key);
    if (!p) {
      const rng = new Rng(seed).fork('halton');
      p = primes(dims).map((b) => scramblePermutations(b, rng));
      cache.set(key, p);
    }
    return p;
  };
  return {
    name: 'halton',
    config: { scramble },
    sample(space, _history, ctx) {
      const dims = space.designDims;
      const bases = primes(dims);
      const perms = scramble ? permsFor(ctx.studySeed, dims) : null;
      const u = bases.map((b, d) => radicalInverse(ctx.trialNumber, b, perms ? perms[d]! : null));
      return { params: space.fromDesign(u), attrs: { phase: 'halton', index: ctx.trialNumber } };
    },
  };
}
