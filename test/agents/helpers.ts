// Shared fixtures of the agent tests: the CPU backend (deterministic), small settings, and
// the 4-job, 2-core M3E table whose optimum is found by enumeration.
import type { NamedArray } from '../../agents/arrays.js';
import { selectBackend } from '../../agents/backend.js';
import { CONTEXT_PLAN_DONE, PAIR_PLAN_NEXT } from '../../agents/dispatch/features.js';
import { encodingFromOrder } from '../../src/core/encoding.js';
import { Evaluator } from '../../src/core/evaluator.js';
import { type JobTable, makeTable } from '../../src/core/table.js';

export async function useCpu(): Promise<void> {
  const info = await selectBackend('cpu');
  if (info.name !== 'cpu') throw new Error('tests need the cpu backend');
}

/**
 * Four jobs on two cores sharing 5 bytes/cycle: each job is fast on one core, and the
 * memory-heavy jobs slow each other down when they overlap, so both the assignment and the
 * order matter.
 */
export const TINY_TABLE: JobTable = makeTable({
  systemBandwidth: 5,
  latency: [
    [100, 300],
    [300, 100],
    [200, 220],
    [150, 260],
  ],
  bandwidth: [
    [4, 1],
    [1, 4],
    [3, 3],
    [1, 2],
  ],
});

/** Every makespan reachable by assigning the jobs one by one (all core choices, all orders). */
export function enumerateMakespans(table: JobTable): number[] {
  const J = table.numJobs;
  const C = table.numCores;
  const ev = new Evaluator(table);
  const out: number[] = [];
  const perms = (items: number[]): number[][] =>
    items.length <= 1
      ? [items]
      : items.flatMap((x, i) => perms([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p]));
  for (const order of perms(Array.from({ length: J }, (_, j) => j))) {
    for (let code = 0; code < C ** J; code++) {
      const assignment: [number, number][] = order.map((job, k) => [job, Math.floor(code / C ** k) % C]);
      const e = encodingFromOrder(J, assignment, C);
      out.push(ev.makespan(e.core, e.priority));
    }
  }
  return out;
}

/**
 * Initial dispatching-policy weights without the plan's pull (the rule's plan terms set to
 * zero): the fresh policy then spreads its probability over the jobs, as tests of gradients
 * and of search over the policy's choices need.
 */
export function withoutPlanPull(weights: readonly NamedArray[]): NamedArray[] {
  return weights.map((a) => {
    const data = Float32Array.from(a.data);
    if (a.name === 'pointer/pair/kernel') data[PAIR_PLAN_NEXT] = 0;
    if (a.name === 'close/skip/kernel') data[CONTEXT_PLAN_DONE] = 0;
    if (a.name === 'close/skip/bias') {
      // The rule's close term is +-PLAN_CLOSE around the bias: undo its shift.
      const skip = weights.find((w) => w.name === 'close/skip/kernel')!.data;
      data[0] = a.data[0]! + skip[CONTEXT_PLAN_DONE]! / 2;
    }
    return { ...a, data };
  });
}

/** The smallest dispatching network the tests train and run (fast, yet every layer is there). */
export const TINY_DISPATCH_NET = { dim: 8, heads: 2, layers: 1, ffn: 8, hidden: 8 } as const;
