/**
 * Gaussian-process regression for Bayesian optimisation: Matern-5/2 ARD kernel on inputs in
 * the unit cube, outputs standardised (zero mean, unit variance), Gaussian noise; kernel
 * hyper-parameters fitted by maximising the log marginal likelihood (analytic gradient,
 * projected L-BFGS, several starts: the previous fit, a neutral start and random ones).
 * Pure: all randomness comes from the Rng passed in.
 */
import type { Rng } from '../core/rng.js';
import {
  DEFAULT_HYPERS,
  inverseSquaredLengths,
  type KernelParams,
  matern52,
  matern52Slope,
  paramsFromTheta,
  scaledSqDist,
  thetaBounds,
  thetaFromParams,
} from './kernel.js';
import { minimizeBox } from './lbfgs.js';
import {
  cholesky,
  cholInverseInto,
  cholSolveInPlace,
  solveLowerInPlace,
  solveUpperTransposedInPlace,
} from './linalg.js';

export interface FitOptions {
  /** Use these hyper-parameters as they are (no likelihood fit). */
  readonly fixed?: KernelParams;
  /** A previous fit's theta to start from (ignored if its dimension differs). */
  readonly warmStart?: ArrayLike<number> | null;
  /** Random starts besides the neutral start and the warm start. */
  readonly restarts?: number;
  /** Needed when restarts > 0. */
  readonly rng?: Rng;
  /** Start from the neutral hyper-parameters too (default true; a warm start alone is cheaper). */
  readonly neutralStart?: boolean;
  /** L-BFGS iterations per start. */
  readonly maxIterations?: number;
  /**
   * Fit the hyper-parameters on a random subset of at most this many observations (the
   * posterior still uses all): the likelihood costs O(n^3) per step, and a hundred points
   * pin a handful of length scales down about as well as hundreds (default: all).
   */
  readonly maxFitPoints?: number;
}

export interface Prediction {
  mean: number;
  variance: number;
}

const DEFAULT_MAX_ITERATIONS = 60;
/** Stop a likelihood fit when a step gains less than this (per observation, relative): the
 * acquisition does not notice smaller changes, and the last digits cost many steps. */
const FIT_RELATIVE_TOLERANCE = 1e-7;
const LOG_2PI = Math.log(2 * Math.PI);
/** Ranges (inside the hyper-parameter box) random starts are drawn from: the region where
 * sensible fits of standardised data live, so starts are not wasted in the box's corners. */
const START_LENGTH = [0.05, 2] as const;
const START_SIGNAL = [0.3, 3] as const;
const START_NOISE = [1e-5, 1e-1] as const;

/** Negative log marginal likelihood per observation, with its gradient in theta. */
export class MarginalLikelihood {
  private readonly pairs: number;
  /** Per pair (a < b) and dimension: (x_a,i - x_b,i)^2. */
  private readonly diff2: Float64Array;
  private readonly s: Float64Array;
  private readonly K: Float64Array;
  private readonly L: Float64Array;
  private readonly Kinv: Float64Array;
  private readonly work: Float64Array;
  private readonly alpha: Float64Array;

  constructor(
    X: Float64Array,
    readonly n: number,
    readonly D: number,
    private readonly y: Float64Array,
  ) {
    this.pairs = (n * (n - 1)) / 2;
    this.diff2 = new Float64Array(this.pairs * D);
    let p = 0;
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < a; b++, p++) {
        for (let i = 0; i < D; i++) {
          const t = X[a * D + i]! - X[b * D + i]!;
          this.diff2[p * D + i] = t * t;
        }
      }
    }
    this.s = new Float64Array(this.pairs);
    this.K = new Float64Array(n * n);
    this.L = new Float64Array(n * n);
    this.Kinv = new Float64Array(n * n);
    this.work = new Float64Array(n * n);
    this.alpha = new Float64Array(n);
  }

  /** -log p(y | theta) / n; fills grad (length D + 2). Infinity if K cannot be factorised. */
  value(theta: ArrayLike<number>, grad: Float64Array | null): number {
    const { n, D, K, diff2, s } = this;
    const invL2 = new Float64Array(D);
    for (let i = 0; i < D; i++) invL2[i] = Math.exp(-2 * theta[i]!);
    const s2 = Math.exp(theta[D]!);
    const noise = Math.exp(theta[D + 1]!);
    let p = 0;
    for (let a = 0; a < n; a++) {
      K[a * n + a] = s2 + noise;
      for (let b = 0; b < a; b++, p++) {
        let sq = 0;
        for (let i = 0; i < D; i++) sq += diff2[p * D + i]! * invL2[i]!;
        s[p] = sq;
        const k = s2 * matern52(sq);
        K[a * n + b] = k;
        K[b * n + a] = k;
      }
    }
    const chol = cholesky(K, n, this.L);
    if (!chol) return Number.POSITIVE_INFINITY;
    const L = chol.L;
    const alpha = this.alpha;
    alpha.set(this.y);
    cholSolveInPlace(L, n, alpha);
    let quad = 0;
    let logDet = 0;
    for (let a = 0; a < n; a++) {
      quad += this.y[a]! * alpha[a]!;
      logDet += 2 * Math.log(L[a * n + a]!);
    }
    const nll = 0.5 * quad + 0.5 * logDet + 0.5 * n * LOG_2PI;
    if (!grad) return nll / n;

    // d log p / d theta_j = 1/2 tr((alpha alpha^T - K^-1) dK/dtheta_j).
    cholInverseInto(L, n, this.Kinv, this.work);
    const Kinv = this.Kinv;
    grad.fill(0);
    let gSignal = 0;
    let trW = 0;
    p = 0;
    for (let a = 0; a < n; a++) {
      trW += alpha[a]! * alpha[a]! - Kinv[a * n + a]!;
      for (let b = 0; b < a; b++, p++) {
        const w = alpha[a]! * alpha[b]! - Kinv[a * n + b]!;
        const sq = s[p]!;
        gSignal += w * s2 * matern52(sq);
        // dk/dlog l_i = -2 s2 slope(s) (dx_i^2 / l_i^2); the pair counts twice (a,b), (b,a).
        const c = -2 * s2 * matern52Slope(sq) * w;
        for (let i = 0; i < D; i++) grad[i] = grad[i]! + c * diff2[p * D + i]! * invL2[i]!;
      }
    }
    gSignal += 0.5 * trW * s2;
    // Negate (we minimise) and divide by n.
    for (let i = 0; i < D; i++) grad[i] = -grad[i]! / n;
    grad[D] = -gSignal / n;
    grad[D + 1] = -(0.5 * trW * noise) / n;
    return nll / n;
  }
}

export class GaussianProcess {
  readonly params: KernelParams;
  /** [log l_1 .. log l_D, log s2, log noise]: what a warm start takes. */
  readonly theta: Float64Array;
  /** log p(y_standardised | theta). */
  readonly logMarginalLikelihood: number;
  readonly yMean: number;
  readonly yStd: number;
  /** Standardised training targets. */
  readonly yStandardized: Float64Array;
  private readonly invL2: Float64Array;
  private readonly L: Float64Array;
  private readonly alpha: Float64Array;
  private readonly kStar: Float64Array;
  private readonly v: Float64Array;

  private constructor(
    private readonly X: Float64Array,
    readonly n: number,
    readonly D: number,
    y: ArrayLike<number>,
    params: KernelParams,
  ) {
    const { mean, std } = meanStd(y);
    this.yMean = mean;
    this.yStd = std;
    this.yStandardized = Float64Array.from(y, (v) => (v - mean) / std);
    this.params = params;
    this.theta = thetaFromParams(params);
    this.invL2 = inverseSquaredLengths(params);
    const K = new Float64Array(n * n);
    for (let a = 0; a < n; a++) {
      K[a * n + a] = params.signalVariance + params.noiseVariance;
      for (let b = 0; b < a; b++) {
        const k = params.signalVariance * matern52(scaledSqDist(X, a, X, b, this.invL2));
        K[a * n + b] = k;
        K[b * n + a] = k;
      }
    }
    const chol = cholesky(K, n);
    if (!chol) throw new Error(`GP: kernel matrix of ${n} points is not positive definite even with jitter`);
    this.L = chol.L;
    this.alpha = Float64Array.from(this.yStandardized);
    cholSolveInPlace(this.L, n, this.alpha);
    let quad = 0;
    let logDet = 0;
    for (let a = 0; a < n; a++) {
      quad += this.yStandardized[a]! * this.alpha[a]!;
      logDet += 2 * Math.log(this.L[a * n + a]!);
    }
    this.logMarginalLikelihood = -0.5 * quad - 0.5 * logDet - 0.5 * n * LOG_2PI;
    this.kStar = new Float64Array(n);
    this.v = new Float64Array(n);
  }

  /**
   * Fits a GP to X (n x D row-major, inputs in [0, 1]) and y. Without `fixed`, the kernel
   * hyper-parameters maximise the marginal likelihood over the starts described above.
   */
  static fit(X: Float64Array, y: ArrayLike<number>, D: number, options: FitOptions = {}): GaussianProcess {
    const n = y.length;
    if (n < 1) throw new RangeError('GP.fit needs at least one observation');
    if (X.length !== n * D) throw new RangeError(`GP.fit: X has ${X.length} values, expected ${n} x ${D}`);
    if (options.fixed) return new GaussianProcess(X, n, D, y, options.fixed);

    const restarts = options.restarts ?? 0;
    const maxFit = options.maxFitPoints ?? n;
    if ((restarts > 0 || maxFit < n) && !options.rng)
      throw new RangeError('GP.fit: random restarts and subsets need an rng');
    const { mean, std } = meanStd(y);
    const ys = Float64Array.from(y, (v) => (v - mean) / std);
    let lik: MarginalLikelihood;
    if (maxFit < n) {
      const pick = options
        .rng!.fork('subset')
        .shuffle(Int32Array.from({ length: n }, (_, i) => i))
        .subarray(0, maxFit);
      const Xs = new Float64Array(maxFit * D);
      const yss = new Float64Array(maxFit);
      pick.forEach((row, k) => {
        Xs.set(X.subarray(row * D, (row + 1) * D), k * D);
        yss[k] = ys[row]!;
      });
      lik = new MarginalLikelihood(Xs, maxFit, D, yss);
    } else {
      lik = new MarginalLikelihood(X, n, D, ys);
    }
    const { lower, upper } = thetaBounds(D);
    const starts: Float64Array[] = [];
    const warm = options.warmStart;
    if (warm && warm.length === D + 2)
      starts.push(Float64Array.from(warm, (t, i) => Math.min(upper[i]!, Math.max(lower[i]!, t))));
    if (options.neutralStart ?? true) {
      starts.push(
        thetaFromParams({
          lengthScales: new Float64Array(D).fill(DEFAULT_HYPERS.lengthScale),
          signalVariance: DEFAULT_HYPERS.signalVariance,
          noiseVariance: DEFAULT_HYPERS.noiseVariance,
        }),
      );
    }
    if (!starts.length && restarts === 0)
      throw new RangeError('GP.fit: no start (no warm start, neutral start off, no restarts)');
    for (let r = 0; r < restarts; r++) {
      const rng = options.rng!;
      const logU = ([lo, hi]: readonly [number, number]) => Math.log(lo) + rng.float() * Math.log(hi / lo);
      const t = new Float64Array(D + 2);
      for (let i = 0; i < D; i++) t[i] = logU(START_LENGTH);
      t[D] = logU(START_SIGNAL);
      t[D + 1] = logU(START_NOISE);
      starts.push(t);
    }
    let best: { x: Float64Array; value: number } | null = null;
    for (const start of starts) {
      const res = minimizeBox((t, g) => lik.value(t, g), start, lower, upper, {
        maxIterations: options.maxIterations ?? DEFAULT_MAX_ITERATIONS,
        relativeTolerance: FIT_RELATIVE_TOLERANCE,
      });
      if (Number.isFinite(res.value) && (!best || res.value < best.value)) best = res;
    }
    if (!best) throw new Error(`GP.fit: the likelihood could not be evaluated at any start (${n} points)`);
    return new GaussianProcess(X, n, D, y, paramsFromTheta(best.x));
  }

  /** Posterior of the latent function at x (standardised units). */
  predictStandardized(
    x: ArrayLike<number>,
    offset = 0,
    out: Prediction = { mean: 0, variance: 0 },
  ): Prediction {
    const { n, kStar, v } = this;
    const s2 = this.params.signalVariance;
    let mean = 0;
    for (let j = 0; j < n; j++) {
      const k = s2 * matern52(this.sqDistTo(x, offset, j));
      kStar[j] = k;
      mean += k * this.alpha[j]!;
    }
    v.set(kStar);
    solveLowerInPlace(this.L, n, v);
    let vv = 0;
    for (let j = 0; j < n; j++) vv += v[j]! * v[j]!;
    out.mean = mean;
    out.variance = Math.max(0, s2 - vv);
    return out;
  }

  /** Posterior of the latent function at x in the units of y. */
  predict(x: ArrayLike<number>): Prediction {
    const p = this.predictStandardized(x);
    return { mean: this.yMean + this.yStd * p.mean, variance: this.yStd * this.yStd * p.variance };
  }

  /**
   * Standardised posterior at x with the gradients of mean and variance with respect to x
   * (written into gradMean and gradVar, length D).
   */
  predictWithGradient(x: ArrayLike<number>, gradMean: Float64Array, gradVar: Float64Array): Prediction {
    const { n, D, v, X, invL2 } = this;
    const out = this.predictStandardized(x);
    // w = K^-1 k* = L^-T v (v = L^-1 k* is still in this.v).
    solveUpperTransposedInPlace(this.L, n, v);
    gradMean.fill(0);
    gradVar.fill(0);
    const s2 = this.params.signalVariance;
    for (let j = 0; j < n; j++) {
      const sq = this.sqDistTo(x, 0, j);
      // dk*_j/dx_i = 2 s2 slope(s) (x_i - X_ji) / l_i^2.
      const c = 2 * s2 * matern52Slope(sq);
      const am = this.alpha[j]!;
      const wv = -2 * v[j]!;
      for (let i = 0; i < D; i++) {
        const dk = c * (x[i]! - X[j * D + i]!) * invL2[i]!;
        gradMean[i] = gradMean[i]! + dk * am;
        gradVar[i] = gradVar[i]! + dk * wv;
      }
    }
    if (out.variance === 0) gradVar.fill(0);
    return out;
  }

  private sqDistTo(x: ArrayLike<number>, offset: number, j: number): number {
    const { D, X, invL2 } = this;
    let s = 0;
    for (let i = 0; i < D; i++) {
      const t = x[offset + i]! - X[j * D + i]!;
      s += t * t * invL2[i]!;
    }
    return s;
  }
}

/** Mean and (population) standard deviation; a constant sample gets std 1. */
function meanStd(y: ArrayLike<number>): { mean: number; std: number } {
  const n = y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (y[i]! - mean) ** 2;
  const std = Math.sqrt(ss / n);
  return { mean, std: std > 0 && Number.isFinite(std) ? std : 1 };
}
