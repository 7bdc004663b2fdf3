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
import { copyEncoding, type Encoding } from '../core/encoding.js';
import { InputError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
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
    "first generation: 'random' (uniform, as the authors), or 'heuristic': the mappings of every heuristic mapper (best first), mutated copies of them, then random individuals",
} as const;

export type InitName = (typeof initParam.choices)[number];

/**
 * Share of the population given to mutated copies of the heuristic mappings, so the first
 * generation already holds neighbours of the seeds. Measured on the authors' four groups on
 * S2, S4 and S6 (10 seeds): copies gain little for MAGMA (geo-mean 1.4529 -> 1.4522 x LB)
 * and more for the GA, whose single elite and tournaments keep fewer good parents (1.4613
 * -> 1.4594); half the population instead of a quarter was no better.
 */
const MUTANT_SHARE = 0.25;
/**
 * Per-gene probability of changing a copied seed, on top of the one job every copy moves:
 * a few jobs moved or reordered per copy (about 2 of 100 jobs' genes each), so the copies
 * sit around the seed, not far from it.
 */
const MUTANT_RATE = 0.02;
/**
 * At most this share of the population is seeded (heuristic mappings and their copies);
 * the rest stays uniformly random so the first generation keeps the diversity the
 * crossovers recombine, and a tiny population is not all one heuristic's neighbourhood.
 */
const MAX_SEEDED_SHARE = 0.5;

/**
 * The individuals a generation-0 population starts with (before its random ones): none for
 * `'random'`; for `'heuristic'`, the distinct heuristic mappings best first (by their own
 * no-stall model: the largest core load), then mutated copies of them in turn. `size` must
 * be the job table the heuristics read.
 */
export function initialSeeds(
  owner: string,
  init: InitName,
  size: ProblemSize,
  populationSize: number,
  rng: Rng,
): Encoding[] {
  if (init === 'random') return [];
  if (!isJobTable(size)) {
    throw new InputError(
      `${owner}: init "heuristic" needs the job table (the heuristics read its latencies): create it with the JobTable, not a bare {numJobs, numCores}`,
    );
  }
  const maxSeeded = Math.max(1, Math.floor(populationSize * MAX_SEEDED_SHARE));
  const mappings = distinctHeuristicMappings(size).slice(0, maxSeeded);
  const mutants = Math.min(maxSeeded - mappings.length, Math.floor(populationSize * MUTANT_SHARE));
  const out = mappings.slice();
  for (let k = 0; k < mutants; k++) {
    const copy = copyEncoding(mappings[k % mappings.length]!);
    mutateCopy(copy, size.numCores, rng);
    out.push(copy);
  }
  return out;
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

/**
 * One job moved to another core (with one core: its priority redrawn), so that no copy
 * repeats its seed and wastes an evaluation; then each gene (a core or a priority) redrawn
 * with probability MUTANT_RATE.
 */
function mutateCopy(enc: Encoding, numCores: number, rng: Rng): void {
  const J = enc.core.length;
  const moved = rng.int(J);
  if (numCores > 1) {
    const r = rng.int(numCores - 1);
    enc.core[moved] = r >= enc.core[moved]! ? r + 1 : r;
  } else enc.priority[moved] = rng.float();
  for (let j = 0; j < J; j++) {
    if (rng.float() < MUTANT_RATE) enc.core[j] = rng.int(numCores);
    if (rng.float() < MUTANT_RATE) enc.priority[j] = rng.float();
  }
}
