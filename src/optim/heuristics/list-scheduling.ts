/**
 * List scheduling, the shared machinery of the MAGMA paper's manual heuristics:
 * jobs are taken in a job order, each is given a core by a core choice, and each core runs
 * its jobs in the order they were given. The heuristics' own model of time is the no-stall
 * latency (loads are sums of L[j][c]); they do not see bandwidth contention, the evaluator
 * (which scores their mapping like any other) does.
 *
 * Job orders:   fcfs (job index), sjf (ascending mean latency over the cores),
 *               heft (descending mean latency: HEFT's upward rank of independent jobs).
 * Core choices: greedy (least accumulated latency), rr (round-robin), met (minimum
 *               execution time: the job's fastest core), heft (earliest finish: load + latency).
 * Ties go to the lower job index / core index.
 */
import { type Encoding, encodingFromOrder } from '../../core/encoding.js';
import type { JobTable } from '../../core/table.js';
import { heuristicSpec } from './fixed-mapping.js';

export type JobOrderName = 'fcfs' | 'sjf' | 'heft';
export type CoreChoiceName = 'greedy' | 'rr' | 'met' | 'heft';

/** Mean no-stall latency of each job over the cores. */
export function meanLatency(table: JobTable): Float64Array {
  const { numJobs: J, numCores: C, latency } = table;
  const out = new Float64Array(J);
  for (let j = 0; j < J; j++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += latency[j * C + c]!;
    out[j] = s / C;
  }
  return out;
}

function sortedJobs(table: JobTable, sign: 1 | -1): Int32Array {
  const mean = meanLatency(table);
  return Int32Array.from({ length: table.numJobs }, (_, j) => j).sort(
    (a, b) => sign * (mean[a]! - mean[b]!) || a - b,
  );
}

export const jobOrders: Readonly<Record<JobOrderName, (table: JobTable) => Int32Array>> = {
  fcfs: (t) => Int32Array.from({ length: t.numJobs }, (_, j) => j),
  sjf: (t) => sortedJobs(t, 1),
  heft: (t) => sortedJobs(t, -1),
};

/** Picks the core of `job`, the `k`-th job scheduled, given the loads so far. */
export type CoreChooser = (table: JobTable, job: number, load: Float64Array, k: number) => number;

function argminOver(C: number, score: (c: number) => number): number {
  let best = 0;
  let bestScore = score(0);
  for (let c = 1; c < C; c++) {
    const s = score(c);
    if (s < bestScore) {
      best = c;
      bestScore = s;
    }
  }
  return best;
}

export const coreChoices: Readonly<Record<CoreChoiceName, CoreChooser>> = {
  greedy: (t, _job, load) => argminOver(t.numCores, (c) => load[c]!),
  rr: (t, _job, _load, k) => k % t.numCores,
  met: (t, job) => argminOver(t.numCores, (c) => t.latency[job * t.numCores + c]!),
  heft: (t, job, load) => argminOver(t.numCores, (c) => load[c]! + t.latency[job * t.numCores + c]!),
};

/** Assigns the jobs in `order` with `choose`; each core runs its jobs in assignment order. */
export function listSchedule(table: JobTable, order: ArrayLike<number>, choose: CoreChooser): Encoding {
  const C = table.numCores;
  const load = new Float64Array(C);
  const assignment: [number, number][] = [];
  for (let k = 0; k < order.length; k++) {
    const job = order[k]!;
    const c = choose(table, job, load, k);
    load[c]! += table.latency[job * C + c]!;
    assignment.push([job, c]);
  }
  return encodingFromOrder(table.numJobs, assignment);
}

const ORDER_TEXT: Record<JobOrderName, string> = {
  fcfs: 'jobs in index order (FCFS)',
  sjf: 'shortest mean latency first (SJF)',
  heft: 'longest mean latency first (HEFT rank)',
};
const CHOICE_TEXT: Record<CoreChoiceName, string> = {
  greedy: 'least loaded core (Greedy)',
  rr: 'next core in turn (round-robin)',
  met: "job's fastest core (MET)",
  heft: 'earliest finishing core (HEFT)',
};

/** The 12 list-scheduling mappers: `<order>-<choice>`, e.g. `sjf-heft`. */
export const listSchedulingSpecs = (['fcfs', 'sjf', 'heft'] as const).flatMap((order) =>
  (['greedy', 'rr', 'met', 'heft'] as const).map((choice) =>
    heuristicSpec(
      `${order}-${choice}`,
      `List scheduling: ${ORDER_TEXT[order]}, each to the ${CHOICE_TEXT[choice]}.`,
      'manual heuristics of the MAGMA paper (Kao & Krishna, HPCA 2022); loads are sums of no-stall latencies',
      (table) => listSchedule(table, jobOrders[order](table), coreChoices[choice]),
    ),
  ),
);
