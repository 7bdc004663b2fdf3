/**
 * The expert the dispatching policy can imitate: MAGMA started from the heuristics' mappings
 * (`init: 'heuristic'`), a short seeded search per table, so its mapping is never worse than
 * the best heuristic's. Its mapping is replayed on m3e/Dispatch-v0 as per-core queues: when
 * a core waits, the expert's action is the next job of that core's queue, or closing the
 * core once its queue is empty. Replaying runs the evaluator's own event loop on the same
 * queues, so the replayed rollout's makespan is exactly the mapping's.
 */
import type { Encoding } from '../../src/core/encoding.js';
import { InputError } from '../../src/core/errors.js';
import { Evaluator } from '../../src/core/evaluator.js';
import { Rng } from '../../src/core/rng.js';
import type { JobTable } from '../../src/core/table.js';
import { Magma, magmaParams } from '../../src/optim/magma.js';
import { resolveParams } from '../../src/optim/params.js';
import { makespanObjective, runSearch } from '../../src/optim/search.js';

/**
 * The expert's mapping of `table`: MAGMA with `budget` evaluations, its first generation
 * started from the heuristics' mappings (`init` heuristic) or random ones. `seeds` join the
 * first generation: seeded with the policy's own greedy mapping, the expert improves on what
 * the policy does (expert iteration) rather than showing an unrelated mapping.
 */
export function expertMapping(
  table: JobTable,
  seed: number,
  budget: number,
  seeds: readonly Encoding[] = [],
  init: 'heuristic' | 'random' = 'heuristic',
): Encoding {
  if (!Number.isInteger(budget) || budget < 1)
    throw new InputError(`expert budget must be a positive integer, got ${budget}`);
  const opt = new Magma(table, new Rng(seed), resolveParams('magma', magmaParams, { init }, table), seeds);
  return runSearch(makespanObjective(table), opt, { budget }).best;
}

/** Each core's jobs in run order under `encoding` (the evaluator's decoding). */
export function expertQueues(table: JobTable, encoding: Encoding): Int32Array[] {
  return new Evaluator(table).queues(encoding).map((q) => Int32Array.from(q));
}

/**
 * Replays per-core queues, one decision at a time: `next(core)` is the job the waiting core
 * takes next, or -1 when its queue is empty (close it).
 */
export class QueueReplay {
  private readonly position: Int32Array;

  constructor(readonly queues: readonly Int32Array[]) {
    this.position = new Int32Array(queues.length);
  }

  next(core: number): number {
    const q = this.queues[core];
    if (!q) throw new InputError(`replay: no queue for core ${core}`);
    const p = this.position[core]!;
    if (p >= q.length) return -1;
    this.position[core] = p + 1;
    return q[p]!;
  }
}
