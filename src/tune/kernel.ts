/**
 * The Matern-5/2 kernel with one length scale per input dimension (ARD):
 *   k(x, x') = s2 (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r),  r^2 = sum_i ((x_i - x'_i) / l_i)^2,
 * twice differentiable, the usual choice for Bayesian optimisation of real objectives
 * (Snoek et al. 2012): rougher than the squared exponential, which over-smooths them.
 *
 * Hyper-parameters travel as one vector theta = [log l_1 .. log l_D, log s2, log noise]
 * (noise: the Gaussian observation variance), so the likelihood is optimised unconstrained
 * in log space within the box of `thetaBounds`.
 */

const SQRT5 = Math.sqrt(5);

export interface KernelParams {
  readonly lengthScales: Float64Array;
  /** Signal variance s2 (outputs are standardised, so about 1). */
  readonly signalVariance: number;
  /** Observation noise variance (standardised units). */
  readonly noiseVariance: number;
}

/** Matern-5/2 correlation as a function of the squared scaled distance s = r^2. */
export function matern52(s: number): number {
  const r = Math.sqrt(s);
  return (1 + SQRT5 * r + (5 / 3) * s) * Math.exp(-SQRT5 * r);
}

/** d matern52 / ds = -(5/6) (1 + sqrt5 r) exp(-sqrt5 r); finite at r = 0. */
export function matern52Slope(s: number): number {
  const r = Math.sqrt(s);
  return -(5 / 6) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}

/** Squared scaled distance between row `a` of X and row `b` of Y (both D wide). */
export function scaledSqDist(
  X: ArrayLike<number>,
  a: number,
  Y: ArrayLike<number>,
  b: number,
  invSqLength: Float64Array,
): number {
  const D = invSqLength.length;
  let s = 0;
  const oa = a * D;
  const ob = b * D;
  for (let i = 0; i < D; i++) {
    const t = X[oa + i]! - Y[ob + i]!;
    s += t * t * invSqLength[i]!;
  }
  return s;
}

/** Box for the hyper-parameters (inputs in the unit cube, standardised outputs). */
export const HYPER_BOUNDS = {
  /** Shorter than 1% of the range means interpolating noise; longer than 100x ignores the input. */
  lengthScale: [1e-2, 1e2],
  signalVariance: [1e-2, 1e2],
  /** A floor on the noise keeps the matrix well conditioned for deterministic objectives. */
  noiseVariance: [1e-6, 1],
} as const;

/** The neutral start of a likelihood fit. */
export const DEFAULT_HYPERS = { lengthScale: 0.5, signalVariance: 1, noiseVariance: 1e-3 } as const;

export function thetaBounds(D: number): { lower: Float64Array; upper: Float64Array } {
  const lower = new Float64Array(D + 2);
  const upper = new Float64Array(D + 2);
  const set = (i: number, [lo, hi]: readonly [number, number]) => {
    lower[i] = Math.log(lo);
    upper[i] = Math.log(hi);
  };
  for (let i = 0; i < D; i++) set(i, HYPER_BOUNDS.lengthScale);
  set(D, HYPER_BOUNDS.signalVariance);
  set(D + 1, HYPER_BOUNDS.noiseVariance);
  return { lower, upper };
}

export function paramsFromTheta(theta: ArrayLike<number>): KernelParams {
  const D = theta.length - 2;
  return {
    lengthScales: Float64Array.from({ length: D }, (_, i) => Math.exp(theta[i]!)),
    signalVariance: Math.exp(theta[D]!),
    noiseVariance: Math.exp(theta[D + 1]!),
  };
}

export function thetaFromParams(p: KernelParams): Float64Array {
  const D = p.lengthScales.length;
  const theta = new Float64Array(D + 2);
  for (let i = 0; i < D; i++) theta[i] = Math.log(p.lengthScales[i]!);
  theta[D] = Math.log(p.signalVariance);
  theta[D + 1] = Math.log(p.noiseVariance);
  return theta;
}

export function inverseSquaredLengths(p: KernelParams): Float64Array {
  return Float64Array.from(p.lengthScales, (l) => 1 / (l * l));
}
