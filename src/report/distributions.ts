/**
 * The distribution functions the significance tests need: upper tails of the normal, chi-square
 * and F distributions, and the studentized range for infinitely many degrees of freedom (the
 * Nemenyi test's critical values).
 *
 * log Gamma comes from mathjs (its number-only build, loaded on first use). mathjs has no
 * incomplete gamma or beta function, no erfc and no studentized range, so those are written
 * here: the regularised incomplete gamma by its series and Legendre continued fraction, the
 * incomplete beta by its continued fraction (modified Lentz), both the textbook algorithms
 * (Press et al., Numerical Recipes, 6.2 and 6.4), and the normal tail by the erfc of
 * src/core/special.ts (accurate far in the tail, where 1 - erf(x) cancels to nothing).
 */
import { createRequire } from 'node:module';
import { erfc } from '../core/special.js';

/**
 * mathjs is loaded on first use: importing it takes 0.3-0.6 s (docs/design-choices.md),
 * which every command that merely links the report code would otherwise pay.
 */
let lgammaFn: ((x: number) => number) | null = null;
function lgamma(x: number): number {
  if (!lgammaFn)
    lgammaFn = (createRequire(import.meta.url)('mathjs/number') as { lgamma: (x: number) => number }).lgamma;
  return lgammaFn(x);
}

const EPS = 1e-15;
const TINY = 1e-300;
const MAX_ITERATIONS = 10_000;

/** log Gamma(x) for x > 0. */
export function logGamma(x: number): number {
  return lgamma(x);
}

/** P(Z > z) for a standard normal Z. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z * Math.SQRT1_2);
}

/** P(Z <= z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z * Math.SQRT1_2);
}

/** Regularised lower incomplete gamma P(a, x) by its series (converges fast for x < a + 1). */
function gammaSeries(a: number, x: number): number {
  let ap = a;
  let sum = 1 / a;
  let del = sum;
  for (let n = 0; n < MAX_ITERATIONS; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Regularised upper incomplete gamma Q(a, x) by Legendre's continued fraction (x >= a + 1). */
function gammaFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Regularised upper incomplete gamma Q(a, x) = Gamma(a, x) / Gamma(a). */
export function gammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 1;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaFraction(a, x);
}

/** P(X > x) for X chi-square with `df` degrees of freedom. */
export function chiSquareSf(x: number, df: number): number {
  if (!(x > 0)) return 1;
  return gammaQ(df / 2, x / 2);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function betaIncomplete(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  // The fraction converges fast on the side of the mean; the other side by symmetry.
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(x, a, b)) / a
    : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/** P(X > f) for X F-distributed with (d1, d2) degrees of freedom. */
export function fSf(f: number, d1: number, d2: number): number {
  if (!(f > 0)) return 1;
  return betaIncomplete(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
}

/** Integration grid of the studentized range: z over [-Z_SPAN, Z_SPAN] in this many steps. */
const Z_SPAN = 9;
const Z_STEPS = 1800;

/**
 * P(R <= q) for R the range of k independent standard normals (the studentized range with
 * infinitely many degrees of freedom): k * integral of phi(z) [Phi(z) - Phi(z - q)]^(k-1) dz,
 * by Simpson's rule on a fine grid (the integrand is smooth and negligible beyond |z| = 9).
 */
export function studentizedRangeCdf(q: number, k: number): number {
  if (!(q > 0)) return 0;
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`studentized range needs k >= 2, got ${k}`);
  const h = (2 * Z_SPAN) / Z_STEPS;
  let sum = 0;
  for (let i = 0; i <= Z_STEPS; i++) {
    const z = -Z_SPAN + i * h;
    const w = i === 0 || i === Z_STEPS ? 1 : i % 2 === 1 ? 4 : 2;
    const phi = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    const inner = normalCdf(z) - normalCdf(z - q);
    sum += w * phi * inner ** (k - 1);
  }
  return Math.min(1, (k * sum * h) / 3);
}

/** The q with P(R <= q) = p for the range of k standard normals (bisection to 1e-10). */
export function studentizedRangeQuantile(p: number, k: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`quantile needs 0 < p < 1, got ${p}`);
  let lo = 0;
  let hi = 1;
  while (studentizedRangeCdf(hi, k) < p) hi *= 2;
  while (hi - lo > 1e-10) {
    const mid = 0.5 * (lo + hi);
    if (studentizedRangeCdf(mid, k) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
