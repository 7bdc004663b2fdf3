/** Per-table work of the M3E environments ({@link TableContext}). */
import { lowerBound } from '../../src/core/bounds.js';
import { Evaluator } from '../../src/core/evaluator.js';
import type { JobTable } from '../../src/core/table.js';

/**
 * s(x) = x / (1 + x), the squashing of the M3E observations: it maps [0, inf) onto [0, 1)
 * monotonically (x = s / (1 - s) recovers the value), so an observation box can declare
 * [0, 1] for every table, with the most resolution where values usually are (a core loaded to
 * the lower bound reads 0.5).
 */
export function squash(x: number): number {
  return x / (1 + x);
}

/**
 * Per-table work of the M3E environments, done once per table (not per step): the lower
 * bound, the evaluator, each job's normalised features and its bandwidth-aware duration.
 * Times are in units of the table's lower bound LB, bandwidths in units of the system
 * bandwidth B, squashed by {@link squash}.
 */
export class TableContext {
  readonly table: JobTable;
  readonly evaluator: Evaluator;
  readonly lowerBound: number;
  /**
   * Per job, 2C features: s(L[j][c] / LB) for every core, then s(W[j][c] / B) for every core
   * (row-major [job][feature][core]).
   */
  readonly jobFeatures: Float32Array;
  /** max(L, L x W / B): the least time the job can take on the core (its bytes at full B). */
  readonly duration: Float64Array;
  /** L x W: the bytes the job moves on the core. */
  readonly bytes: Float64Array;

  constructor(table: JobTable) {
    this.table = table;
    this.evaluator = new Evaluator(table);
    this.lowerBound = lowerBound(table);
    const { numJobs: J, numCores: C, latency, bandwidth, systemBandwidth: B } = table;
    const invLB = 1 / this.lowerBound;
    this.jobFeatures = new Float32Array(J * 2 * C);
    this.duration = new Float64Array(J * C);
    this.bytes = new Float64Array(J * C);
    for (let j = 0; j < J; j++) {
      for (let c = 0; c < C; c++) {
        const i = j * C + c;
        const L = latency[i]!;
        const W = bandwidth[i]!;
        this.jobFeatures[j * 2 * C + c] = squash(L * invLB);
        this.jobFeatures[j * 2 * C + C + c] = squash(W / B);
        this.bytes[i] = L * W;
        this.duration[i] = Math.max(L, (L * W) / B);
      }
    }
  }
}
