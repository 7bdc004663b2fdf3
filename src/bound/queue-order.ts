/**
 * An order for each core's queue, given an assignment. The relaxation fixes only which core
 * runs each job; under contention the order matters, since jobs running at the same time
 * share the bandwidth. A few orders, each evaluated with the evaluator, the best kept:
 * job-index order, demand ascending, demand descending, and ascending on even cores with
 * descending on odd ones (which pairs a memory-bound job on one core with a compute-bound
 * job on the next, as AI-MT does).
 */
import { type Encoding, makeEncoding } from '../core/encoding.js';
import { Evaluator } from '../core/evaluator.js';
import type { JobTable } from '../core/table.js';

/** Encodes per-core queues (job ids in running order) as priorities k / J by position. */
export function encodingFromQueues(numJobs: number, queues: readonly (readonly number[])[]): Encoding {
  const e = makeEncoding(numJobs);
  queues.forEach((queue, c) => {
    queue.forEach((job, k) => {
      e.core[job] = c;
      e.priority[job] = k / numJobs;
    });
  });
  return e;
}

/** The candidate orders' queues for an assignment (see the module header). */
export function candidateQueues(table: JobTable, assignment: ArrayLike<number>): number[][][] {
  const { numJobs: J, numCores: C, bandwidth: W } = table;
  const byIndex: number[][] = Array.from({ length: C }, () => []);
  for (let j = 0; j < J; j++) byIndex[assignment[j]!]!.push(j);
  const demand = (j: number) => W[j * C + assignment[j]!]!;
  const sorted = (dir: 1 | -1) =>
    byIndex.map((q) => [...q].sort((a, b) => dir * (demand(a) - demand(b)) || a - b));
  const asc = sorted(1);
  const desc = sorted(-1);
  return [byIndex, asc, desc, asc.map((q, c) => (c % 2 === 0 ? q : desc[c]!))];
}

/** The best of the candidate orders for an assignment, by evaluated makespan. */
export function orderQueues(table: JobTable, assignment: ArrayLike<number>, evaluator?: Evaluator): Encoding {
  const ev = evaluator ?? new Evaluator(table);
  let best: Encoding | null = null;
  let bestCost = Number.POSITIVE_INFINITY;
  for (const queues of candidateQueues(table, assignment)) {
    const e = encodingFromQueues(table.numJobs, queues);
    const cost = ev.makespan(e.core, e.priority);
    if (cost < bestCost) {
      bestCost = cost;
      best = e;
    }
  }
  return best!;
}
