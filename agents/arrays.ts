/**
 * Network parameters as plain arrays, without tfjs: named float32 arrays (saving, loading,
 * acting in JavaScript) and orthogonal initial matrices drawn with the project Rng.
 */
import { InputError } from '../src/core/errors.js';
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

/** Where a named array lies in a packed float32 file. */
export interface ArrayIndexEntry {
  readonly name: string;
  readonly shape: readonly number[];
  /** Offset in float32 elements. */
  readonly offset: number;
}

/** Float32 bytes are stored little-endian; swap on a big-endian host (copying). */
function littleEndian(bytes: Uint8Array): Uint8Array {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 4) {
    out[i] = bytes[i + 3]!;
    out[i + 1] = bytes[i + 2]!;
    out[i + 2] = bytes[i + 1]!;
    out[i + 3] = bytes[i]!;
  }
  return out;
}

/** The arrays one after the other as little-endian float32 bytes, and where each lies. */
export function packArrays(arrays: readonly NamedArray[]): { bytes: Uint8Array; index: ArrayIndexEntry[] } {
  let total = 0;
  for (const a of arrays) total += a.data.length;
  const data = new Float32Array(total);
  const index: ArrayIndexEntry[] = [];
  let offset = 0;
  for (const a of arrays) {
    data.set(a.data, offset);
    index.push({ name: a.name, shape: [...a.shape], offset });
    offset += a.data.length;
  }
  return { bytes: littleEndian(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)), index };
}

/**
 * The arrays `index` names, read from packed bytes (an aligned copy, as readBinaryFile gives);
 * `path` names the file in the one-line refusals of a file that is no float32 file or too short.
 */
export function unpackArrays(
  bytes: Uint8Array,
  index: readonly ArrayIndexEntry[],
  path: string,
): NamedArray[] {
  if (bytes.byteLength % 4 !== 0)
    throw new InputError(`${path} is not a float32 file (${bytes.byteLength} bytes)`);
  const native = littleEndian(bytes);
  const data = new Float32Array(native.buffer, native.byteOffset, native.byteLength / 4);
  return index.map((a) => {
    const n = a.shape.reduce((x, y) => x * y, 1);
    if (a.offset + n > data.length) throw new InputError(`${path} is too short for ${a.name} (truncated?)`);
    return { name: a.name, shape: a.shape, data: data.slice(a.offset, a.offset + n) };
  });
}
