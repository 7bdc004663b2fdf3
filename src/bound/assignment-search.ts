/**
 * Local search for a good assignment of the relaxation: minimise the largest of its
 * "... <= T" rows (every core's sum of d, the system's bytes, and any appended row such as
 * the progress-clock rows), i.e. the relaxation's value of an assignment.
 *
 * It gives HiGHS a strong incumbent from the start: on homogeneous platforms (S1) the dual
 * bound is the simple bound from the first node, and what keeps HiGHS from proving
 * optimality is an assignment balanced to a few cycles, which its generic primal heuristics
 * find slowly. Moves of one job and swaps of two jobs, accepted when they lower
 * (value, sum of squared row sums) lexicographically; when stuck, a few random moves and
 * another descent (iterated local search), keeping the best.
 */
import type { Rng } from '../core/rng.js';
import type { JobTable } from '../core/table.js';
import { byteTimes, minDurations } from './cell-times.js';
import type { ExtraRow } from './relaxation.js';

/** The relaxation's rows "sum_j a[r][j][core j] <= T", dense: row r, cell i at r * J * C + i. */
export interface AssignmentRows {
  readonly numRows: number;
  readonly numJobs: number;
  readonly numCores: number;
  readonly coef: Float64Array;
}

/** Core rows, the bytes row, then `extra`. */
export function assignmentRows(table: JobTable, extra: readonly ExtraRow[] = []): AssignmentRows {
  const { numJobs: J, numCores: C } = table;
  const n = J * C;
  const R = C + 1 + extra.length;
  const coef = new Float64Array(R * n);
  const d = minDurations(table);
  const q = byteTimes(table);
  for (let j = 0; j < J; j++) for (let c = 0; c < C; c++) coef[c * n + j * C + c] = d[j * C + c]!;
  coef.set(q, C * n);
  extra.forEach((row, k) => {
    const base = (C + 1 + k) * n;
    for (let e = 0; e < row.cells.length; e++) coef[base + row.cells[e]!] = row.coefs[e]!;
  });
  return { numRows: R, numJobs: J, numCores: C, coef };
}

/** The relaxation's value of an assignment (cycles): its largest row. */
export function rowsValue(rows: AssignmentRows, core: ArrayLike<number>): number {
  const { numRows: R, numJobs: J, numCores: C, coef } = rows;
  const n = J * C;
  let v = 0;
  for (let r = 0; r < R; r++) {
    let s = 0;
    for (let j = 0; j < J; j++) s += coef[r * n + j * C + core[j]!]!;
    if (s > v) v = s;
  }
  return v;
}

/** Longest jobs first (by their shortest d), each on the core where its d ends earliest. */
export function greedyAssignment(table: JobTable, allowed?: Uint8Array): Int32Array {
  const { numJobs: J, numCores: C } = table;
  const d = minDurations(table);
  const usable = (j: number, c: number) => !allowed || allowed[j * C + c] === 1;
  const order = Array.from({ length: J }, (_, j) => j);
  const minD = order.map((j) => {
    let m = Number.POSITIVE_INFINITY;
    for (let c = 0; c < C; c++) if (usable(j, c)) m = Math.min(m, d[j * C + c]!);
    return m;
  });
  order.sort((a, b) => minD[b]! - minD[a]! || a - b);
  const load = new Float64Array(C);
  const core = new Int32Array(J);
  for (const j of order) {
    let best = -1;
    for (let c = 0; c < C; c++) {
      if (!usable(j, c)) continue;
      if (best < 0 || load[c]! + d[j * C + c]! < load[best]! + d[j * C + best]!) best = c;
    }
    core[j] = best;
    load[best]! += d[j * C + best]!;
  }
  return core;
}

/** Relative change below which two values count as equal (rounding of incremental sums). */
const NOISE = 1e-12;
/** Accepted moves per descent, at most this times the number of cells. */
const MAX_MOVES_PER_CELL = 100;

export interface AssignmentSearchOptions {
  /** Descents after the first, each from the best so far after a few random moves. */
  readonly restarts: number;
  /** Cells that may not be used (0); all allowed when absent. */
  readonly allowed?: Uint8Array;
}

/**
 * Improves `start` (not modified) by local search on `rows`; returns the best assignment
 * found. Deterministic for a given `rng` state.
 */
export function improveAssignment(
  rows: AssignmentRows,
  start: ArrayLike<number>,
  rng: Rng,
  options: AssignmentSearchOptions,
): Int32Array {
  const { numRows: R, numJobs: J, numCores: C, coef } = rows;
  const n = J * C;
  const allowed = options.allowed;
  const ok = (j: number, c: number) => !allowed || allowed[j * C + c] === 1;
  const core = Int32Array.from(start);
  const sum = new Float64Array(R);
  const trial = new Float64Array(R);
  const recompute = () => {
    sum.fill(0);
    for (let r = 0; r < R; r++) for (let j = 0; j < J; j++) sum[r]! += coef[r * n + j * C + core[j]!]!;
  };
  const measure = (s: Float64Array): [number, number] => {
    let v = 0;
    let sq = 0;
    for (let r = 0; r < R; r++) {
      if (s[r]! > v) v = s[r]!;
      sq += s[r]! * s[r]!;
    }
    return [v, sq];
  };
  // trial = sum with job j moved to core b (and job k, if >= 0, to core a).
  const apply = (j: number, b: number, k: number, a: number) => {
    const from = j * C + core[j]!;
    const to = j * C + b;
    for (let r = 0; r < R; r++) trial[r] = sum[r]! - coef[r * n + from]! + coef[r * n + to]!;
    if (k >= 0) {
      const kFrom = k * C + core[k]!;
      const kTo = k * C + a;
      for (let r = 0; r < R; r++) trial[r]! += coef[r * n + kTo]! - coef[r * n + kFrom]!;
    }
  };

  const descend = (): number => {
    let [v, sq] = measure(sum);
    // Improvements must beat floating-point noise: incremental sums drift by ulps, and a
    // move and its reverse could otherwise each look like an improvement forever.
    const better = (): boolean => {
      const [v2, sq2] = measure(trial);
      if (v2 < v * (1 - NOISE) || (v2 <= v * (1 + NOISE) && sq2 < sq * (1 - NOISE))) {
        v = v2;
        sq = sq2;
        return true;
      }
      return false;
    };
    // Each accepted move lowers (value, squares) by more than the noise, so descents end;
    // the cap is a second guarantee.
    let movesLeft = MAX_MOVES_PER_CELL * n;
    for (let improved = true; improved && movesLeft-- > 0; ) {
      improved = false;
      for (let j = 0; j < J; j++) {
        const a = core[j]!;
        for (let b = 0; b < C; b++) {
          if (b === a || !ok(j, b)) continue;
          apply(j, b, -1, a);
          if (better()) {
            core[j] = b;
            sum.set(trial);
            improved = true;
            break;
          }
          let swapped = false;
          for (let k = 0; k < J; k++) {
            if (core[k] !== b || !ok(k, a)) continue;
            apply(j, b, k, a);
            if (better()) {
              core[j] = b;
              core[k] = a;
              sum.set(trial);
              swapped = true;
              break;
            }
          }
          if (swapped) {
            improved = true;
            break;
          }
        }
      }
    }
    // Incremental sums drift: the value of the final assignment is recomputed exactly.
    recompute();
    return measure(sum)[0];
  };

  recompute();
  let bestV = descend();
  const best = Int32Array.from(core);
  for (let r = 0; r < options.restarts; r++) {
    core.set(best);
    const kicks = 1 + rng.int(3);
    for (let k = 0; k < kicks; k++) {
      const j = rng.int(J);
      const c = rng.int(C);
      if (ok(j, c)) core[j] = c;
    }
    recompute();
    const v = descend();
    if (v < bestV) {
      bestV = v;
      best.set(core);
    }
  }
  return best;
}
