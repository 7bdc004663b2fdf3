/**
 * Relaxation-guided mapper, ours: the assignment the certified bound's relaxation rates
 * best, found by local search, with each core's queue in the best of a few orders.
 *
 * The paper's heuristics balance no-stall latencies and leave bandwidth to the evaluator;
 * where bandwidth binds they can be far off (on the heterogeneous platforms at 1 B/cycle,
 * MAGMA beats the best of them by 21-26 % on the authors' groups). This one balances the
 * rows of the relaxation that the certified bound solves (docs/bounds.md), with
 * d = max(L, L W / B), q = L W / B and the excess e = max(0, q - L):
 *   core a:            D[a] = sum of d over a's jobs
 *   system bytes:      Q    = sum of q over all jobs
 *   progress clock a:  K[a] = sum of d over a's jobs with W > 0 + sum of e over the other
 *                             cores' jobs   (only when some cell has e > 0)
 * Start: the relaxation's greedy assignment (longest jobs first, each to the core where its
 * d ends earliest). Then moves of one job and swaps of two, each accepted when it lowers
 * (largest row, sum of squared rows) lexicographically, until none does: the descent of the
 * bound's own assignment search, but on the rows' structure, so a trial costs O(1) instead of
 * O(rows) and the mapping fits in the dispatching policy's per-table budget. The queues then
 * take the best, by the evaluator, of four orders (queue-order.ts).
 */
import { greedyAssignment } from '../../bound/assignment-search.js';
import { byteTimes, minDurations } from '../../bound/cell-times.js';
import { orderQueues } from '../../bound/queue-order.js';
import type { Encoding } from '../../core/encoding.js';
import type { JobTable } from '../../core/table.js';
import { heuristicSpec } from './fixed-mapping.js';

/** Relative change below which two values count as equal (rounding of incremental sums). */
const NOISE = 1e-12;
/** Accepted moves, at most this times the number of cells (descents end far sooner). */
const MAX_MOVES_PER_CELL = 100;

/** Largest entry of `v` and the two after it, by index (-1 when absent). */
function top3(v: Float64Array, out: Int32Array): void {
  out.fill(-1);
  for (let a = 0; a < v.length; a++) {
    if (out[0]! < 0 || v[a]! > v[out[0]!]!) {
      out[2] = out[1]!;
      out[1] = out[0]!;
      out[0] = a;
    } else if (out[1]! < 0 || v[a]! > v[out[1]!]!) {
      out[2] = out[1]!;
      out[1] = a;
    } else if (out[2]! < 0 || v[a]! > v[out[2]!]!) out[2] = a;
  }
}

/** Largest entry of `v` outside indices s and b (-Infinity when there is none). */
function maxExcept(v: Float64Array, top: Int32Array, s: number, b: number): number {
  for (let k = 0; k < 3; k++) {
    const a = top[k]!;
    if (a >= 0 && a !== s && a !== b) return v[a]!;
  }
  return Number.NEGATIVE_INFINITY;
}

/** The relaxation-balanced assignment (each job's core). */
export function relaxAssignment(table: JobTable): Int32Array {
  const { numJobs: J, numCores: C, latency: L, bandwidth: W } = table;
  const d = minDurations(table);
  const q = byteTimes(table);
  const n = J * C;
  const e = new Float64Array(n);
  /** d counted on its own core's clock row (jobs with W = 0 are not slowed by contention). */
  const dc = new Float64Array(n);
  let clock = false;
  for (let i = 0; i < n; i++) {
    e[i] = Math.max(0, q[i]! - L[i]!);
    if (e[i]! > 0) clock = true;
    dc[i] = W[i]! > 0 ? d[i]! : 0;
  }
  const core = greedyAssignment(table);
  const D = new Float64Array(C);
  /** Y[a] = K[a] - E: the clock row of core a less the total excess. */
  const Y = new Float64Array(C);
  let Q = 0;
  let E = 0;
  for (let j = 0; j < J; j++) {
    const i = j * C + core[j]!;
    D[core[j]!]! += d[i]!;
    Y[core[j]!]! += dc[i]! - e[i]!;
    Q += q[i]!;
    E += e[i]!;
  }
  /** Each core's jobs (the swap partners of a move to that core). */
  const members: number[][] = Array.from({ length: C }, () => []);
  for (let j = 0; j < J; j++) members[core[j]!]!.push(j);
  const topD = new Int32Array(3);
  const topY = new Int32Array(3);
  let sumY = 0;
  let sumY2 = 0;
  let sumD2 = 0;
  const refresh = () => {
    top3(D, topD);
    top3(Y, topY);
    sumY = 0;
    sumY2 = 0;
    sumD2 = 0;
    for (let a = 0; a < C; a++) {
      sumY += Y[a]!;
      sumY2 += Y[a]! * Y[a]!;
      sumD2 += D[a]! * D[a]!;
    }
  };
  const rowsOf = (): [number, number] => {
    let v = Math.max(D[topD[0]!]!, Q);
    let sq = sumD2 + Q * Q;
    if (clock) {
      v = Math.max(v, Y[topY[0]!]! + E);
      sq += sumY2 + 2 * E * sumY + C * E * E;
    }
    return [v, sq];
  };
  refresh();
  let [value, squares] = rowsOf();

  // A trial: cores s and b get dD/dY added; Q and E change by dQ and dE.
  let tValue = 0;
  let tSquares = 0;
  const trial = (
    s: number,
    b: number,
    dDs: number,
    dDb: number,
    dYs: number,
    dYb: number,
    dQ: number,
    dE: number,
  ) => {
    const Ds = D[s]! + dDs;
    const Db = D[b]! + dDb;
    const Q2 = Q + dQ;
    let v = Math.max(Ds, Db, Q2, maxExcept(D, topD, s, b));
    let sq = sumD2 - D[s]! ** 2 - D[b]! ** 2 + Ds * Ds + Db * Db + Q2 * Q2;
    if (clock) {
      const E2 = E + dE;
      const Ys = Y[s]! + dYs;
      const Yb = Y[b]! + dYb;
      v = Math.max(v, Ys + E2, Yb + E2, maxExcept(Y, topY, s, b) + E2);
      const restY = sumY - Y[s]! - Y[b]!;
      const restY2 = sumY2 - Y[s]! ** 2 - Y[b]! ** 2;
      sq += restY2 + 2 * E2 * restY + (C - 2) * E2 * E2 + (Ys + E2) ** 2 + (Yb + E2) ** 2;
    }
    tValue = v;
    tSquares = sq;
    return v < value * (1 - NOISE) || (v <= value * (1 + NOISE) && sq < squares * (1 - NOISE));
  };
  const place = (j: number, from: number, to: number) => {
    const a = j * C + from;
    const b = j * C + to;
    D[from]! -= d[a]!;
    D[to]! += d[b]!;
    Y[from]! -= dc[a]! - e[a]!;
    Y[to]! += dc[b]! - e[b]!;
    Q += q[b]! - q[a]!;
    E += e[b]! - e[a]!;
    core[j] = to;
    const list = members[from]!;
    list.splice(list.indexOf(j), 1);
    members[to]!.push(j);
  };

  let movesLeft = MAX_MOVES_PER_CELL * n;
  for (let improved = true; improved && movesLeft > 0; ) {
    improved = false;
    for (let j = 0; j < J && movesLeft > 0; j++) {
      const s = core[j]!;
      const js = j * C + s;
      for (let b = 0; b < C; b++) {
        if (b === s) continue;
        const jb = j * C + b;
        let accepted = trial(
          s,
          b,
          -d[js]!,
          d[jb]!,
          -(dc[js]! - e[js]!),
          dc[jb]! - e[jb]!,
          q[jb]! - q[js]!,
          e[jb]! - e[js]!,
        );
        let partner = -1;
        const others = members[b]!;
        for (let m = 0; m < others.length && !accepted; m++) {
          const k = others[m]!;
          const kb = k * C + b;
          const ks = k * C + s;
          accepted = trial(
            s,
            b,
            d[ks]! - d[js]!,
            d[jb]! - d[kb]!,
            dc[ks]! - e[ks]! - (dc[js]! - e[js]!),
            dc[jb]! - e[jb]! - (dc[kb]! - e[kb]!),
            q[jb]! - q[js]! + q[ks]! - q[kb]!,
            e[jb]! - e[js]! + e[ks]! - e[kb]!,
          );
          if (accepted) partner = k;
        }
        if (!accepted) continue;
        place(j, s, b);
        if (partner >= 0) place(partner, b, s);
        refresh();
        value = tValue;
        squares = tSquares;
        movesLeft--;
        improved = true;
        break;
      }
    }
  }
  return core;
}

export function relaxMapping(table: JobTable): Encoding {
  return orderQueues(table, relaxAssignment(table));
}

export const relaxSpec = heuristicSpec(
  'relax',
  "Relaxation-guided: the assignment balancing the certified bound's rows (core work, system bytes, progress clock) by local search, queues in the best of four orders.",
  'ours; balances the rows of the assignment relaxation of docs/bounds.md, so it models the shared bandwidth',
  relaxMapping,
);
