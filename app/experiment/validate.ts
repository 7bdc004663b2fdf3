/**
 * Validation of claimed results: every ok result line's mapping is re-simulated with the
 * evaluator on its problem's table, and every figure the line claims is checked against the
 * re-simulation and the table: makespan, lower bound (equal to the one computed from the
 * table, and no larger than the makespan: a bound above a feasible schedule is false),
 * ratio, throughput, utilisations, the table's size and bandwidth, and the convergence history
 * (best values never rising, ending at the makespan, within the budget). Failed lines claim
 * nothing and are only counted. A line for a problem, mapper or seed the spec does not have
 * is a mismatch too: a results file may not smuggle in cells. With the run's certified
 * bounds (bounds.json), every mapping must also lie on or above its problem's bound: a bound
 * above a feasible schedule is false.
 *
 * A best-known table (bench/best-known.ts) is checked the same way: every row's mapping is
 * re-simulated on the paper problem of its id, and its makespan, gap and optimality claim must
 * follow from the re-simulation and the row's bound.
 */

import { z } from 'zod';
import { isProvenOptimal } from '../../src/bound/certified.js';
import { lowerBound } from '../../src/core/bounds.js';
import { encodingFromJson } from '../../src/core/encoding.js';
import { InputError } from '../../src/core/errors.js';
import { Evaluator } from '../../src/core/evaluator.js';
import type { OkLine, ResultLine } from '../../src/report/results.js';
import type { BoundRecord } from './bounds.js';
import { type ResolvedProblem, resolveProblemCached } from './problems.js';
import type { ExpandedSpec } from './spec.js';

/** Relative tolerance of a re-simulated figure (the evaluator is deterministic; JSON keeps 17 digits). */
const TOLERANCE = 1e-9;

export interface Mismatch {
  readonly problem: string;
  readonly mapper: string;
  readonly seed: number;
  /** One line: the figure, what was claimed and what the re-simulation gives. */
  readonly what: string;
}

export interface ValidationReport {
  /** Ok lines re-simulated. */
  readonly checked: number;
  /** Failed lines (nothing to check). */
  readonly failedCells: number;
  readonly mismatches: readonly Mismatch[];
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Every mismatch of one ok line against its problem. */
export function checkLine(line: OkLine, problem: ResolvedProblem, budget: number | null): string[] {
  const out: string[] = [];
  const t = problem.table;
  const claim = (what: string, claimed: number, actual: number) => {
    if (!close(claimed, actual)) out.push(`${what}: claimed ${claimed}, re-simulated ${actual}`);
  };
  if (line.numJobs !== t.numJobs || line.numCores !== t.numCores) {
    out.push(
      `size: claimed ${line.numJobs} jobs on ${line.numCores} cores, the table has ${t.numJobs} on ${t.numCores}`,
    );
    return out;
  }
  claim('system bandwidth', line.systemBandwidth, t.systemBandwidth);
  let ev: ReturnType<Evaluator['evaluate']>;
  try {
    ev = new Evaluator(t).evaluate(encodingFromJson(line.mapping, t.numJobs, t.numCores));
  } catch (e) {
    out.push(`mapping: ${(e as Error).message}`);
    return out;
  }
  const lb = lowerBound(t);
  claim('makespan', line.makespan, ev.makespan);
  claim('lower bound', line.lowerBound, lb);
  if (line.lowerBound > ev.makespan * (1 + TOLERANCE))
    out.push(`lower bound ${line.lowerBound} exceeds the makespan ${ev.makespan} of a feasible mapping`);
  claim('ratio', line.ratio, ev.makespan / lb);
  claim('throughput', line.throughput, t.numJobs / ev.makespan);
  claim('bandwidth utilisation', line.bandwidthUtilization, ev.bandwidthUtilization);
  claim('core utilisation', line.coreUtilization, ev.coreUtilization);
  const h = line.history;
  if (!h.length) out.push('history: empty');
  else {
    for (let i = 1; i < h.length; i++) {
      if (h[i]![0] < h[i - 1]![0]) out.push(`history: evaluations go back at entry ${i}`);
      if (h[i]![1] > h[i - 1]![1] * (1 + TOLERANCE)) out.push(`history: the best value rises at entry ${i}`);
    }
    claim('history: final best', h.at(-1)![1], ev.makespan);
    if (h.at(-1)![0] > line.evaluations)
      out.push(`history: ends at ${h.at(-1)![0]} evaluations, more than the ${line.evaluations} claimed`);
  }
  if (budget !== null && line.evaluations > budget)
    out.push(`evaluations: ${line.evaluations} claimed, over the budget of ${budget}`);
  return out;
}

/**
 * Checks result lines against a spec. `lines` are every line of the files (superseded ones
 * too: a file is valid only if every line in it is).
 */
export function validateLines(
  x: ExpandedSpec,
  lines: readonly ResultLine[],
  bounds: ReadonlyMap<string, BoundRecord> = new Map(),
): ValidationReport {
  const problems = new Map(x.problems.map((p) => [p.id, p] as const));
  const mappers = new Set(x.mappers.map((m) => m.id));
  const seeds = new Set(x.spec.seeds);
  const mismatches: Mismatch[] = [];
  let checked = 0;
  let failedCells = 0;
  for (const line of lines) {
    const at = { problem: line.problem, mapper: line.mapper, seed: line.seed };
    const planned = problems.get(line.problem);
    if (!planned || !mappers.has(line.mapper) || !seeds.has(line.seed)) {
      mismatches.push({ ...at, what: 'cell: not part of the spec (problem, mapper or seed unknown)' });
      continue;
    }
    if (line.status === 'failed') {
      failedCells++;
      continue;
    }
    checked++;
    for (const what of checkLine(line, resolveProblemCached(planned), x.spec.budget))
      mismatches.push({ ...at, what });
    const b = bounds.get(line.problem);
    if (b && line.makespan < b.bound * (1 - b.precision))
      mismatches.push({
        ...at,
        what: `certified bound ${b.bound} of bounds.json exceeds the makespan ${line.makespan} of a feasible mapping`,
      });
  }
  return { checked, failedCells, mismatches };
}

// ---------------------------------------------------------------------------------------------
// Best-known tables.

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

const BestKnownSchema = z.object({
  rows: z.array(
    z.object({
      id: z.string(),
      bound: finite,
      simpleBound: finite,
      precision: finite,
      best: z.object({
        mapper: z.string(),
        makespan: finite,
        mapping: z.object({ core: z.array(z.number().int()), priority: z.array(finite) }),
      }),
      gap: finite,
      optimal: z.boolean(),
    }),
  ),
});

/** True when a JSON document looks like a best-known table (rows with best mappings). */
export function isBestKnownTable(data: unknown): boolean {
  return typeof data === 'object' && data !== null && Array.isArray((data as { rows?: unknown }).rows);
}

/**
 * Checks a best-known table against the problems of `x` (the paper spec): every row names a
 * problem of the spec, its mapping re-simulates to its makespan, the makespan is not below the
 * row's bound (to its precision), the bound is not below the simple bound of the table, and
 * the gap and the optimality claim follow from makespan and bound.
 */
export function validateBestKnown(x: ExpandedSpec, data: unknown, where: string): ValidationReport {
  const parsed = BestKnownSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`${where}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const problems = new Map(x.problems.map((p) => [p.id, p] as const));
  const mismatches: Mismatch[] = [];
  let checked = 0;
  for (const row of parsed.data.rows) {
    const at = { problem: row.id, mapper: row.best.mapper, seed: 0 };
    const add = (what: string) => mismatches.push({ ...at, what });
    const planned = problems.get(row.id);
    if (!planned) {
      add('problem: not a problem of the spec');
      continue;
    }
    checked++;
    const t = resolveProblemCached(planned).table;
    let makespan: number;
    try {
      makespan = new Evaluator(t).evaluate(
        encodingFromJson(row.best.mapping, t.numJobs, t.numCores),
      ).makespan;
    } catch (e) {
      add(`mapping: ${(e as Error).message}`);
      continue;
    }
    if (!close(row.best.makespan, makespan))
      add(`makespan: claimed ${row.best.makespan}, re-simulated ${makespan}`);
    if (!close(row.simpleBound, lowerBound(t)))
      add(`simple bound: claimed ${row.simpleBound}, the table gives ${lowerBound(t)}`);
    if (row.bound < row.simpleBound * (1 - TOLERANCE))
      add(`certified bound ${row.bound} is below the simple bound ${row.simpleBound}`);
    if (makespan < row.bound * (1 - row.precision))
      add(`certified bound ${row.bound} exceeds the makespan ${makespan} of a feasible mapping`);
    if (!close(row.gap, makespan / row.bound - 1))
      add(`gap: claimed ${row.gap}, ${makespan / row.bound - 1} from the makespan`);
    const optimal = isProvenOptimal(makespan, row.bound, row.precision);
    if (row.optimal !== optimal)
      add(`optimal: claimed ${row.optimal}, the makespan and the bound say ${optimal}`);
  }
  return { checked, failedCells: 0, mismatches };
}
