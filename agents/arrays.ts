/**
 * Network parameters as plain arrays, without tfjs: named float32 arrays (saving, loading,
 * acting in JavaScript) and orthogonal initial matrices drawn with the project Rng.
 */
import type { Rng } from '../src/core/rng.js';

/** A named parameter array, for saving and loading. */
export interface NamedArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * A (rows x cols) matrix with orthonormal columns (rows >= cols) or rows (rows < cols),
 * times `gain`, row-major: the distribution of torch.nn.init.orthogonal_.
 */
export function orthogonalMatrix(rows: number, cols: number, gain: number, rng: Rng): Float32Array {
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  // n Gaussian vectors of length m, orthonormalised in turn (modified Gram-Schmidt, twice
  // for numerical safety). Gram-Schmidt gives the Q of a QR with positive diag(R), the
  // sign convention orthogonal_ applies.
  const q: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const v = new Float64Array(m);
    for (let i = 0; i < m; i++) v[i] = rng.normal();
    for (let pass = 0; pass < 2; pass++) {
      for (const u of q) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += u[i]! * v[i]!;
        for (let i = 0; i < m; i++) v[i]! -= dot * u[i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) v[i]! /= norm;
    q.push(v);
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (tall ? q[c]![r]! : q[r]![c]!);
  }
  return out;
}
