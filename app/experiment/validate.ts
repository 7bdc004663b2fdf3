/**
 * Validation of claimed results: every ok result line's mapping is re-simulated with the
 * evaluator on its problem's table, and every figure the line claims is checked against the
 * re-simulation and the table: makespan, lower bound (equal to the one computed from the
 * table, and no larger than the makespan: a bound above a feasible schedule is false),
 * ratio, throughput, utilisations, the table's size and bandwidth, and the convergence history
 * (best values never rising, ending at the makespan, within the budget). Failed lines claim
 * nothing and are only counted. A line for a problem, mapper or seed the spec does not have
 * is a mismatch too: a results file may not smuggle in cells.
 */
import { lowerBound } from '../../src/core/bounds.js';
import { encodingFromJson } from '../../src/core/encoding.js';
import { Evaluator } from '../../src/core/evaluator.js';
import type { OkLine, ResultLine } from '../../src/report/results.js';
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
export function validateLines(x: ExpandedSpec, lines: readonly ResultLine[]): ValidationReport {
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
  }
  return { checked, failedCells, mismatches };
}
