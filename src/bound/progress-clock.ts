/**
 * The progress-clock inequalities: a valid strengthening of the assignment relaxation where
 * bandwidth binds (the proof is in docs/bounds.md).
 *
 * Under the evaluator's allocator every job that uses bandwidth progresses at the same
 * fraction f = min(1, B / D) of its no-stall speed, D being the total demand of the running
 * jobs. So a memory-bound job k (W > B) slows every other core down while it runs, and the
 * time it costs beyond its own latency, L (W / B - 1), cannot overlap with another core's
 * work. For every core a:
 *
 *   T >= sum_{j: W[j][a] > 0} d[j][a] x[j][a]  +  sum_{c != a} sum_k (q[k][c] - L[k][c])+ x[k][c]
 *
 * (jobs with W = 0 run on the wall clock, untouched by contention, so they are left out of
 * core a's sum). Where no job is memory-bound the second sum vanishes and the row is
 * implied by core a's row of the relaxation; on Recommendation tables at 1 B/cycle it adds
 * the slow core's work to the other cores' excess transfer time, which the relaxation lets
 * overlap.
 */
import type { JobTable } from '../core/table.js';
import { byteTimes, minDurations } from './cell-times.js';
import type { ExtraRow } from './relaxation.js';

/** One progress-clock row per core; cores whose row adds nothing (no memory-bound job anywhere) are skipped. */
export function progressClockRows(table: JobTable): ExtraRow[] {
  const { numJobs: J, numCores: C, latency: L, bandwidth: W } = table;
  const d = minDurations(table);
  const q = byteTimes(table);
  const excess = new Float64Array(J * C);
  let anyExcess = false;
  for (let i = 0; i < J * C; i++) {
    excess[i] = Math.max(0, q[i]! - L[i]!);
    if (excess[i]! > 0) anyExcess = true;
  }
  if (!anyExcess) return [];
  const rows: ExtraRow[] = [];
  for (let a = 0; a < C; a++) {
    const cells: number[] = [];
    const coefs: number[] = [];
    for (let j = 0; j < J; j++) {
      for (let c = 0; c < C; c++) {
        const i = j * C + c;
        const v = c === a ? (W[i]! > 0 ? d[i]! : 0) : excess[i]!;
        if (v > 0) {
          cells.push(i);
          coefs.push(v);
        }
      }
    }
    rows.push({ cells, coefs });
  }
  return rows;
}

/**
 * The largest left-hand side of the progress-clock rows for one assignment (cycles): a lower
 * bound on the makespan of every mapping with that assignment. Used by tests and to check
 * incumbents.
 */
export function progressClockValue(table: JobTable, core: ArrayLike<number>): number {
  const { numJobs: J, numCores: C, latency: L, bandwidth: W } = table;
  const d = minDurations(table);
  const q = byteTimes(table);
  const own = new Float64Array(C);
  const excessOn = new Float64Array(C);
  let totalExcess = 0;
  for (let j = 0; j < J; j++) {
    const c = core[j]!;
    const i = j * C + c;
    if (W[i]! > 0) own[c]! += d[i]!;
    const e = Math.max(0, q[i]! - L[i]!);
    excessOn[c]! += e;
    totalExcess += e;
  }
  let v = 0;
  for (let a = 0; a < C; a++) v = Math.max(v, own[a]! + totalExcess - excessOn[a]!);
  return v;
}
