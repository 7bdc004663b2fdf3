/**
 * Herald-like mapper, our adaptation of Herald (Kwon et al., HPCA 2021), a scheduler for
 * heterogeneous-dataflow accelerators: every job first goes to its best core (lowest
 * no-stall latency), then loads are balanced, then each core runs its jobs first come,
 * first served (job index order).
 *
 * Balancing: repeatedly take the most loaded core s (load = sum of no-stall latencies) and
 * move one of its jobs j to another core t, choosing among the moves with
 * load[t] + L[j][t] < load[s] the one that minimises max(load[s] - L[j][s], load[t] + L[j][t]);
 * stop when the most loaded core has no such move. Each move strictly decreases the sorted
 * load vector, so balancing terminates. Like the original, it ignores bandwidth contention.
 */
import { type Encoding, encodingFromOrder } from '../../core/encoding.js';
import type { JobTable } from '../../core/table.js';
import { heuristicSpec } from './fixed-mapping.js';

/** Safety bound on balancing moves per job and core (it stops after far fewer in practice). */
const MAX_MOVES_PER_CELL = 4;

export function heraldMapping(table: JobTable): Encoding {
  const { numJobs: J, numCores: C, latency: L } = table;
  const core = new Int32Array(J);
  const load = new Float64Array(C);
  for (let j = 0; j < J; j++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (L[j * C + c]! < L[j * C + best]!) best = c;
    core[j] = best;
    load[best]! += L[j * C + best]!;
  }
  const maxMoves = MAX_MOVES_PER_CELL * J * C;
  for (let move = 0; move < maxMoves && C > 1; move++) {
    let s = 0;
    for (let c = 1; c < C; c++) if (load[c]! > load[s]!) s = c;
    let bestJob = -1;
    let bestCore = -1;
    let bestValue = load[s]!;
    for (let j = 0; j < J; j++) {
      if (core[j] !== s) continue;
      const after = load[s]! - L[j * C + s]!;
      for (let t = 0; t < C; t++) {
        if (t === s) continue;
        const arrive = load[t]! + L[j * C + t]!;
        if (!(arrive < load[s]!)) continue;
        const value = Math.max(after, arrive);
        if (value < bestValue) {
          bestValue = value;
          bestJob = j;
          bestCore = t;
        }
      }
    }
    if (bestJob < 0) break;
    load[s]! -= L[bestJob * C + s]!;
    load[bestCore]! += L[bestJob * C + bestCore]!;
    core[bestJob] = bestCore;
  }
  return encodingFromOrder(
    J,
    Array.from(core, (c, j) => [j, c] as const),
  );
}

export const heraldSpec = heuristicSpec(
  'herald',
  'Herald-like: each job to its fastest core, then load balancing, FCFS order on each core.',
  'adapted from Herald (Kwon et al., HPCA 2021) as the MAGMA paper does; latency loads, no bandwidth model',
  heraldMapping,
);
