/**
 * Lower bound on the makespan of any mapping. A job on core c lasts
 * at least d = max(L, L x W / B); then
 *   LB = max( sum_j min_c d / C,  max_j min_c d,  sum_j min_c (L x W) / B ).
 * Reported beside every makespan as makespan / lowerBound.
 */
import type { JobTable } from './table.js';

export function lowerBound(table: JobTable): number {
  const { numJobs: J, numCores: C, latency, bandwidth, systemBandwidth: B } = table;
  let sumMinDuration = 0;
  let maxMinDuration = 0;
  let sumMinBytes = 0;
  for (let j = 0; j < J; j++) {
    let minD = Number.POSITIVE_INFINITY;
    let minBytes = Number.POSITIVE_INFINITY;
    for (let c = 0; c < C; c++) {
      const L = latency[j * C + c]!;
      const bytes = L * bandwidth[j * C + c]!;
      const d = Math.max(L, bytes / B);
      if (d < minD) minD = d;
      if (bytes < minBytes) minBytes = bytes;
    }
    sumMinDuration += minD;
    if (minD > maxMinDuration) maxMinDuration = minD;
    sumMinBytes += minBytes;
  }
  return Math.max(sumMinDuration / C, maxMinDuration, sumMinBytes / B);
}
