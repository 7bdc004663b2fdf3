/**
 * Per-cell times of the assignment relaxation's rows, kept apart from the solver so that
 * heuristics and local searches can use them without loading HiGHS.
 */
import type { JobTable } from '../core/table.js';

/** d = max(L, L W / B) per cell (cycles). */
export function minDurations(table: JobTable): Float64Array {
  const { latency: L, bandwidth: W, systemBandwidth: B } = table;
  const d = new Float64Array(L.length);
  for (let i = 0; i < L.length; i++) d[i] = Math.max(L[i]!, (L[i]! * W[i]!) / B);
  return d;
}

/** q = L W / B per cell (cycles of the whole system bandwidth). */
export function byteTimes(table: JobTable): Float64Array {
  const { latency: L, bandwidth: W, systemBandwidth: B } = table;
  const q = new Float64Array(L.length);
  for (let i = 0; i < L.length; i++) q[i] = (L[i]! * W[i]!) / B;
  return q;
}
