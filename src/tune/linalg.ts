/**
 * The dense symmetric positive-definite algebra a Gaussian process needs, on row-major
 * Float64Arrays: Cholesky with escalating jitter, triangular solves, and the inverse from the
 * factor. ml-matrix (a dependency) is the reference these are tested against; it is not
 * used here because the GP's likelihood needs K^-1 at every optimiser step, and ml-matrix's
 * CholeskyDecomposition + solve(I) took 7 + 116 ms at n = 200 against 3 + 8 ms here (Node 20,
 * this machine), which would make the sampler slower than the trials it chooses.
 */

/** Diagonal jitter tried in turn, relative to the mean diagonal, when a factorisation fails:
 * round-off makes a numerically singular kernel matrix (near-duplicate points) indefinite. */
const JITTERS = [0, 1e-10, 1e-8, 1e-6, 1e-4] as const;

export interface CholeskyResult {
  /** Lower-triangular factor L (row-major n x n; the strict upper triangle is zero). */
  readonly L: Float64Array;
  /** Jitter added to the diagonal (absolute). */
  readonly jitter: number;
}

/**
 * Factorises A = L L^T in place of `out`. Returns false if A is not numerically positive
 * definite (a pivot <= 0 or not finite).
 */
export function choleskyInto(A: Float64Array, n: number, out: Float64Array, jitter = 0): boolean {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    for (let k = 0; k < j; k++) {
      const rk = k * n;
      let s = A[rj + k]!;
      for (let i = 0; i < k; i++) s -= out[rk + i]! * out[rj + i]!;
      out[rj + k] = s / out[rk + k]!;
    }
    let d = A[rj + j]! + jitter;
    for (let i = 0; i < j; i++) d -= out[rj + i]! * out[rj + i]!;
    if (!(d > 0) || !Number.isFinite(d)) return false;
    out[rj + j] = Math.sqrt(d);
    for (let k = j + 1; k < n; k++) out[rj + k] = 0;
  }
  return true;
}

/**
 * Cholesky factor of a symmetric positive-(semi)definite A, adding the smallest jitter of
 * JITTERS that makes it succeed; null if even the largest fails.
 */
export function cholesky(
  A: Float64Array,
  n: number,
  out: Float64Array = new Float64Array(n * n),
): CholeskyResult | null {
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += A[i * n + i]!;
  meanDiag = n > 0 ? meanDiag / n : 1;
  for (const rel of JITTERS) {
    const jitter = rel * meanDiag;
    if (choleskyInto(A, n, out, jitter)) return { L: out, jitter };
  }
  return null;
}

/** Solves L x = b in place (L lower triangular, row-major). */
export function solveLowerInPlace(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[ri + k]! * b[k]!;
    b[i] = s / L[ri + i]!;
  }
}

/** Solves L^T x = b in place. */
export function solveUpperTransposedInPlace(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * b[k]!;
    b[i] = s / L[i * n + i]!;
  }
}

/** Solves (L L^T) x = b in place. */
export function cholSolveInPlace(L: Float64Array, n: number, b: Float64Array): void {
  solveLowerInPlace(L, n, b);
  solveUpperTransposedInPlace(L, n, b);
}

/**
 * (L L^T)^-1 into `out` (full symmetric), via M = L^-1 (row by row, contiguous) and
 * M^T M; `work` is an n x n scratch buffer.
 */
export function cholInverseInto(L: Float64Array, n: number, out: Float64Array, work: Float64Array): void {
  const M = work;
  M.fill(0);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    // row_i(M) = (e_i - sum_{k<i} L_ik row_k(M)) / L_ii; row_k(M) is zero beyond k.
    for (let k = 0; k < i; k++) {
      const lik = L[ri + k]!;
      if (lik === 0) continue;
      const rk = k * n;
      for (let j = 0; j <= k; j++) M[ri + j] = M[ri + j]! - lik * M[rk + j]!;
    }
    M[ri + i] = 1;
    const inv = 1 / L[ri + i]!;
    for (let j = 0; j <= i; j++) M[ri + j] = M[ri + j]! * inv;
  }
  out.fill(0);
  // out_ab = sum_k M_ka M_kb (k >= max(a, b)): accumulate row by row, lower triangle.
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    for (let a = 0; a <= k; a++) {
      const mka = M[rk + a]!;
      if (mka === 0) continue;
      const ra = a * n;
      for (let b = 0; b <= a; b++) out[ra + b] = out[ra + b]! + mka * M[rk + b]!;
    }
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) out[b * n + a] = out[a * n + b]!;
}
