/**
 * The plan the dispatching policy is shown: the best of the 15 heuristic mappers' mappings of
 * the table (by the evaluator's makespan), as each core's jobs in run order. The policy sees,
 * at every decision, which pending job the plan runs next on the waiting core and whether the
 * plan has nothing left there (features.ts); following the plan throughout reproduces its
 * mapping exactly (the replay argument of expert.ts), so the policy learns where to depart
 * from it. Computing it costs 15 heuristic mappings and evaluations per table, once per
 * episode.
 */
import { copyEncoding, type Encoding } from '../../src/core/encoding.js';
import { Evaluator } from '../../src/core/evaluator.js';
import type { JobTable } from '../../src/core/table.js';
import { heuristicSpecs } from '../../src/optim/heuristics/index.js';

export interface HeuristicPlan {
  /** The heuristic whose mapping it is. */
  readonly name: string;
  readonly makespan: number;
  readonly encoding: Encoding;
  /** Each core's jobs in run order. */
  readonly queues: readonly Int32Array[];
  /** [J] each job's core. */
  readonly core: Int32Array;
}

/** The best heuristic mapping of `table` (the first listed wins ties). */
export function bestHeuristic(table: JobTable): { name: string; makespan: number; encoding: Encoding } {
  const { name, makespan, encoding } = heuristicPlan(table);
  return { name, makespan, encoding: copyEncoding(encoding) };
}

/**
 * Plans already made, by table: a mapper asks for the same table's plan at every batch of
 * rollouts, and the trainer at validation and when acting. Tables are values (nothing in
 * the project changes one after it is made), so a table's plan never goes stale.
 */
const plans = new WeakMap<JobTable, HeuristicPlan>();

/** The plan of `table`: its best heuristic mapping as per-core queues (shared: read only). */
export function heuristicPlan(table: JobTable): HeuristicPlan {
  const known = plans.get(table);
  if (known) return known;
  const ev = new Evaluator(table);
  let best: { name: string; makespan: number; encoding: Encoding } | null = null;
  for (const h of heuristicSpecs) {
    const e = h.map(table);
    const m = ev.makespan(e.core, e.priority);
    if (!best || m < best.makespan) best = { name: h.name, makespan: m, encoding: e };
  }
  const queues = ev.queues(best!.encoding).map((q) => Int32Array.from(q));
  const plan = { ...best!, queues, core: Int32Array.from(best!.encoding.core) };
  plans.set(table, plan);
  return plan;
}
