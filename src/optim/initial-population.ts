/**
 * How a generational search (MAGMA, the standard GA) fills its first generation: uniformly
 * at random (the authors' MAGMA), or starting from the registered heuristics' mappings.
 *
 * Why seed: on a platform with one core far slower than the others (S2's ShiDianNao-like
 * core, up to 100x slower on GEMM/FC layers), a random first generation puts about 1/C of
 * the jobs on the slow core and MAGMA converges to a balanced plateau that keeps too many
 * of them there, while a list scheduler finds a mapping close to the lower bound in one
 * evaluation. Seeded, the search starts from the best of those mappings and refines it.
 *
 * The seeds are evaluated like any individual (asked and told, counted against the budget);
 * nothing here runs the evaluator.
 */
import type { Encoding } from '../core/encoding.js';
import { InputError } from '../core/errors.js';
import type { JobTable } from '../core/table.js';
import { isJobTable } from './heuristics/fixed-mapping.js';
import { heuristicSpecs } from './heuristics/index.js';
import type { ProblemSize } from './optimizer.js';

/** The declared `init` hyper-parameter, shared by MAGMA and the standard GA. */
export const initParam = {
  type: 'categorical',
  choices: ['random', 'heuristic'],
  default: 'random',
  description:
    "first generation: 'random' (uniform, as the authors), or 'heuristic': the mappings of every heuristic mapper, then random individuals (needs the job table)",
} as const;

export type InitName = (typeof initParam.choices)[number];

/*
 * No mutated copies of the seeds: tried with a quarter and a half of the population as
 * copies of the heuristic mappings (each with one job moved and 2% of genes redrawn), on
 * the authors' four groups on S2, S4 and S6 at 10 seeds, they changed the geo-mean
 * makespan / LB by less than 0.1% for MAGMA (1.4529 without, 1.4526 and 1.4516 with) and
 * the GA (1.4613; 1.4614, 1.4605): crossover and mutation already breed the seeds'
 * neighbours in the second generation.
 */

/**
 * At most this share of the population is seeded; the rest stays uniformly random so the
 * first generation keeps the diversity the crossovers recombine (it matters only for tiny
 * populations: there are 15 heuristics, and MAGMA's population is the number of jobs).
 */
const MAX_SEEDED_SHARE = 0.5;

/**
 * The individuals a generation-0 population starts with (before its random ones): none for
 * `'random'`; for `'heuristic'`, the distinct heuristic mappings, best first by their own
 * no-stall model (the largest core load), so a budget smaller than the population still
 * evaluates the most promising ones. `size` must be the job table the heuristics read.
 */
export function initialSeeds(
  owner: string,
  init: InitName,
  size: ProblemSize,
  populationSize: number,
): Encoding[] {
  if (init === 'random') return [];
  if (!isJobTable(size)) {
    throw new InputError(
      `${owner}: init "heuristic" needs the job table (the heuristics read its latencies): create it with the JobTable, not a bare {numJobs, numCores}`,
    );
  }
  const maxSeeded = Math.max(1, Math.floor(populationSize * MAX_SEEDED_SHARE));
  return distinctHeuristicMappings(size).slice(0, maxSeeded);
}

/** Every heuristic's mapping once (duplicates dropped), best estimated first. */
function distinctHeuristicMappings(table: JobTable): Encoding[] {
  const found: { enc: Encoding; load: number }[] = [];
  for (const spec of heuristicSpecs) {
    const enc = spec.map(table);
    if (found.some((f) => sameEncoding(f.enc, enc))) continue;
    found.push({ enc, load: maxCoreLoad(table, enc.core) });
  }
  // Stable: equal estimates keep registry order.
  found.sort((a, b) => a.load - b.load);
  return found.map((f) => f.enc);
}

/** The heuristics' own estimate of a makespan: the largest sum of no-stall latencies on a core. */
function maxCoreLoad(table: JobTable, core: Int32Array): number {
  const C = table.numCores;
  const load = new Float64Array(C);
  for (let j = 0; j < core.length; j++) load[core[j]!]! += table.latency[j * C + core[j]!]!;
  let max = 0;
  for (let c = 0; c < C; c++) max = Math.max(max, load[c]!);
  return max;
}

function sameEncoding(a: Encoding, b: Encoding): boolean {
  for (let j = 0; j < a.core.length; j++)
    if (a.core[j] !== b.core[j] || a.priority[j] !== b.priority[j]) return false;
  return true;
}
