/**
 * Box-constrained minimisation by projected L-BFGS: the two-loop L-BFGS direction on the
 * free variables (those not held at a bound by the gradient), a projected backtracking
 * Armijo line search, and a steepest-descent restart when the direction fails. A compact
 * stand-in for L-BFGS-B that is enough for the smooth, low-dimensional problems here (GP
 * kernel hyper-parameters, refining the acquisition); not a general-purpose solver.
 */

/** Value at x; fills `grad` with the gradient. A non-finite value marks x infeasible. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface MinimizeOptions {
  readonly maxIterations: number;
  /** Stored correction pairs. */
  readonly memory?: number;
  /** Stop when the largest projected-gradient component is below this. */
  readonly gradientTolerance?: number;
  /** Stop when an iteration decreases f by less than this, relative to max(|f|, 1). */
  readonly relativeTolerance?: number;
}

export interface MinimizeResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly iterations: number;
  readonly evaluations: number;
}

const DEFAULT_MEMORY = 8;
const DEFAULT_GRAD_TOL = 1e-6;
const DEFAULT_REL_TOL = 1e-9;
/** Armijo sufficient-decrease constant (Nocedal & Wright's usual 1e-4). */
const ARMIJO = 1e-4;
const MAX_BACKTRACKS = 30;
/** Curvature pairs with s.y below this (relative) are skipped: they would break positivity. */
const MIN_CURVATURE = 1e-12;

export function minimizeBox(
  f: Objective,
  x0: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  options: MinimizeOptions,
): MinimizeResult {
  const n = x0.length;
  const m = options.memory ?? DEFAULT_MEMORY;
  const gtol = options.gradientTolerance ?? DEFAULT_GRAD_TOL;
  const rtol = options.relativeTolerance ?? DEFAULT_REL_TOL;
  const clip = (v: number, i: number) => Math.min(upper[i]!, Math.max(lower[i]!, v));

  let x = Float64Array.from(x0, clip);
  let g = new Float64Array(n);
  let fx = f(x, g);
  let evaluations = 1;
  if (!Number.isFinite(fx)) return { x, value: fx, iterations: 0, evaluations };

  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const free = new Uint8Array(n);
  const alpha = new Float64Array(m);
  let iterations = 0;

  while (iterations < options.maxIterations) {
    // Free variables and the projected gradient's size.
    let pgMax = 0;
    for (let i = 0; i < n; i++) {
      const atLow = x[i]! <= lower[i]! && g[i]! > 0;
      const atHigh = x[i]! >= upper[i]! && g[i]! < 0;
      free[i] = atLow || atHigh ? 0 : 1;
      if (free[i]) pgMax = Math.max(pgMax, Math.abs(g[i]!));
    }
    if (pgMax < gtol) break;
    iterations++;

    // Two-loop recursion on the free subspace.
    for (let i = 0; i < n; i++) d[i] = free[i] ? -g[i]! : 0;
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k]! * dotMasked(S[k]!, d, free);
      axpyMasked(-alpha[k]!, Y[k]!, d, free);
    }
    if (S.length) {
      const last = S.length - 1;
      const gamma = dot(S[last]!, Y[last]!) / dot(Y[last]!, Y[last]!);
      for (let i = 0; i < n; i++) d[i] = d[i]! * gamma;
    }
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k]! * dotMasked(Y[k]!, d, free);
      axpyMasked(alpha[k]! - beta, S[k]!, d, free);
    }
    let slope = dot(d, g);
    if (!(slope < 0)) {
      // Not a descent direction: restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = free[i] ? -g[i]! : 0;
      slope = dot(d, g);
    }

    // First step without curvature information: a unit-length move.
    let t = S.length ? 1 : 1 / Math.max(1, Math.sqrt(dot(d, d)));
    const xn = new Float64Array(n);
    const gn = new Float64Array(n);
    let fn = Number.NaN;
    let accepted = false;
    for (let b = 0; b < MAX_BACKTRACKS; b++) {
      let decrease = 0;
      for (let i = 0; i < n; i++) {
        xn[i] = clip(x[i]! + t * d[i]!, i);
        decrease += g[i]! * (xn[i]! - x[i]!);
      }
      fn = f(xn, gn);
      evaluations++;
      if (Number.isFinite(fn) && fn <= fx + ARMIJO * decrease) {
        accepted = true;
        break;
      }
      t *= 0.5;
    }
    if (!accepted) break;

    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xn[i]! - x[i]!;
      y[i] = gn[i]! - g[i]!;
    }
    const sy = dot(s, y);
    if (sy > MIN_CURVATURE * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const converged = fx - fn <= rtol * Math.max(Math.abs(fx), Math.abs(fn), 1);
    x = xn;
    g = gn;
    fx = fn;
    if (converged) break;
  }
  return { x, value: fx, iterations, evaluations };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function dotMasked(a: Float64Array, b: Float64Array, mask: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) if (mask[i]) s += a[i]! * b[i]!;
  return s;
}

function axpyMasked(alpha: number, x: Float64Array, y: Float64Array, mask: Uint8Array): void {
  for (let i = 0; i < x.length; i++) if (mask[i]) y[i] = y[i]! + alpha * x[i]!;
}
