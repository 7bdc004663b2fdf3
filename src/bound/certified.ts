/**
 * The certified lower bound of a job table: the assignment relaxation, strengthened by the
 * progress-clock rows, solved by HiGHS; only its dual bound certifies, discounted by a
 * margin for the solver's floating-point tolerances (derivation in docs/bounds.md). The
 * solver's incumbent assignment is rounded and evaluated with the evaluator: an upper bound,
 * and a proven-optimal mapping when it meets the bound.
 *
 * Synchronous (HiGHS is loaded when this module is), blocking for at most about `timeLimit`
 * seconds.
 */
import { lowerBound } from '../core/bounds.js';
import type { Encoding } from '../core/encoding.js';
import { InputError, show } from '../core/errors.js';
import { Evaluator } from '../core/evaluator.js';
import { Rng } from '../core/rng.js';
import type { JobTable } from '../core/table.js';
import {
  type AssignmentRows,
  assignmentRows,
  greedyAssignment,
  improveAssignment,
  rowsValue,
} from './assignment-search.js';
import { HIGHS_VERSION } from './highs.js';
import { progressClockRows } from './progress-clock.js';
import { orderQueues } from './queue-order.js';
import { type RelaxationModel, relaxationModel, SOLVER_TOLERANCE, solveRelaxation } from './relaxation.js';

export interface CertifiedBoundOptions {
  /** Seconds HiGHS may spend (default 60). */
  readonly timeLimit?: number;
  /** Add the progress-clock rows (default true; false gives the plain relaxation). */
  readonly strengthen?: boolean;
  /** HiGHS stops when its relative gap is at most this (default 1e-4, HiGHS's own). */
  readonly mipRelGap?: number;
  /** Restarts of the local search that gives HiGHS its first incumbent (default 30). */
  readonly searchRestarts?: number;
  /** HiGHS's primal, dual and integrality tolerance (default 1e-10); enters the margin. */
  readonly tolerance?: number;
  /** Further HiGHS options, for experiments (the tolerances cannot be set here). */
  readonly highsOptions?: Readonly<Record<string, number | string | boolean>>;
}

/** What the solve certifies, before any mapping is evaluated. */
export interface BoundSolution {
  /** Certified lower bound on the makespan of every mapping (cycles). */
  readonly bound: number;
  /** The simple bound max(sum min d / C, max min d, sum min q), for reference. */
  readonly simpleBound: number;
  /** 'optimal': HiGHS closed its gap to `mipRelGap`; 'time-limit': it stopped on time. */
  readonly status: 'optimal' | 'time-limit';
  /** HiGHS's relative gap between its incumbent and its dual bound at the end. */
  readonly mipGap: number;
  readonly seconds: number;
  /**
   * Relative precision of the certificate: the tolerance margin taken off HiGHS's dual
   * bound plus the gap HiGHS was asked to close. A mapping within it of `bound` is optimal
   * as far as floating-point HiGHS can tell.
   */
  readonly precision: number;
  /** Whether the progress-clock rows were added. */
  readonly strengthened: boolean;
  /** The best assignment of the relaxation found (core per job). */
  readonly assignment: Int32Array;
  /** "HiGHS <version>". */
  readonly solver: string;
}

/** The bound with the relaxation's assignment evaluated. */
export interface CertifiedBound extends BoundSolution {
  /** The assignment with its queues ordered (the best of queue-order.ts's candidates). */
  readonly mapping: Encoding;
  /** Evaluated makespan of `mapping` (an upper bound on the optimum). */
  readonly makespan: number;
  /** True when `makespan <= bound * (1 + precision)`: the mapping is proven optimal. */
  readonly optimal: boolean;
}

/**
 * HiGHS's own default: closing the last 1e-4 of the gap on 100-job tables takes minutes where
 * reaching it takes seconds (bench/results/bounds.md), and 1e-4 of a makespan is below any
 * difference a mapping study reports.
 */
export const DEFAULT_MIP_REL_GAP = 1e-4;

/** Multiplier on the derived tolerance error (docs/bounds.md). */
const MARGIN_SAFETY = 10;
/** The simple bound is a floating-point sum: it certifies after this relative discount. */
const SUM_ROUNDING = 1e-12;
/** Relative slack when comparing a makespan with the bound (the evaluator's own rounding). */
export const COMPARE_SLACK = 1e-9;

/**
 * The error HiGHS's tolerances can put into its dual bound, in the model's scaled units:
 * a node's LP bound is computed from duals whose reduced costs may violate feasibility by the
 * tolerance, which by weak duality overstates the bound by at most tolerance x (sum of the
 * ranges of the columns and row activities). Columns x range over [0, 1], T over
 * [0, upper]; a row's activity over at most (sum of its |coefficients| + upper).
 */
export function toleranceError(
  model: RelaxationModel,
  upperScaled: number,
  tolerance = SOLVER_TOLERANCE,
): number {
  const { numCols, numRows, matrix } = model.data;
  let ranges = numCols - 1 + upperScaled;
  for (let r = 0; r < numRows; r++) {
    let abs = 0;
    for (let k = matrix.starts[r]!; k < matrix.starts[r + 1]!; k++)
      if (matrix.indices[k] !== model.tColumn) abs += Math.abs(matrix.values[k]!);
    ranges += abs + upperScaled;
  }
  return MARGIN_SAFETY * tolerance * ranges;
}

function checkOptions(o: CertifiedBoundOptions): void {
  if (o.timeLimit !== undefined && !(o.timeLimit > 0 && Number.isFinite(o.timeLimit)))
    throw new InputError(`timeLimit must be a finite number of seconds > 0, got ${show(o.timeLimit)}`);
  if (o.mipRelGap !== undefined && !(o.mipRelGap >= 0 && o.mipRelGap < 1))
    throw new InputError(`mipRelGap must be in [0, 1), got ${show(o.mipRelGap)}`);
  if (o.tolerance !== undefined && !(o.tolerance >= 1e-10 && o.tolerance <= 1e-3))
    throw new InputError(`tolerance must be in [1e-10, 1e-3], got ${show(o.tolerance)}`);
  for (const k of Object.keys(o.highsOptions ?? {}))
    if (k.endsWith('_tolerance')) throw new InputError(`highsOptions.${k}: set tolerances with tolerance`);
  if (o.searchRestarts !== undefined && !(Number.isInteger(o.searchRestarts) && o.searchRestarts >= 0))
    throw new InputError(`searchRestarts must be an integer >= 0, got ${show(o.searchRestarts)}`);
}

/** The relaxation's rows for a table (with the progress-clock rows when strengthened). */
export function boundRows(table: JobTable, strengthen: boolean): AssignmentRows {
  return assignmentRows(table, strengthen ? progressClockRows(table) : []);
}

/**
 * Solves the (strengthened) relaxation and certifies its dual bound; evaluates nothing (the
 * exact mapper proposes the assignment through ask/tell instead).
 */
export function solveBound(table: JobTable, options: CertifiedBoundOptions = {}): BoundSolution {
  checkOptions(options);
  const t0 = performance.now();
  const timeLimit = options.timeLimit ?? 60;
  const strengthen = options.strengthen ?? true;
  const mipRelGap = options.mipRelGap ?? DEFAULT_MIP_REL_GAP;
  const tolerance = options.tolerance ?? SOLVER_TOLERANCE;
  const { numJobs: J, numCores: C } = table;
  const simple = lowerBound(table);
  const extra = strengthen ? progressClockRows(table) : [];
  const rows = assignmentRows(table, extra);
  const start = improveAssignment(rows, greedyAssignment(table), new Rng(0), {
    restarts: options.searchRestarts ?? 30,
  });
  const upper = rowsValue(rows, start);
  const model = relaxationModel(table, { lowerBound: simple, upperBound: upper, extraRows: extra });
  const elapsed = (performance.now() - t0) / 1000;
  const solve = solveRelaxation(model, J, C, {
    timeLimit: Math.max(0.05, timeLimit - elapsed),
    mipRelGap,
    start,
    tolerance,
    highsOptions: options.highsOptions,
  });
  const marginScaled = toleranceError(model, upper * model.scale * (1 + 1e-9), tolerance);
  const dual = Math.min(solve.dualBound, upper);
  const bound = Math.max(simple * (1 - SUM_ROUNDING), dual - marginScaled / model.scale);
  // HiGHS's incumbent may be missing (time limit) or, rounded, worse than the start.
  const assignment =
    solve.assignment && rowsValue(rows, solve.assignment) <= upper ? solve.assignment : start;
  return {
    bound,
    simpleBound: simple,
    status: solve.status,
    mipGap: solve.mipGap,
    seconds: (performance.now() - t0) / 1000,
    precision: marginScaled / model.scale / bound + mipRelGap,
    strengthened: strengthen,
    assignment,
    solver: `HiGHS ${HIGHS_VERSION}`,
  };
}

const solved = new WeakMap<JobTable, Map<string, BoundSolution>>();

/**
 * `solveBound`, remembered per table object and options: several mappers, seeds or reports
 * on one table solve once (the exact mapper uses it). Options without `highsOptions` only.
 */
export function solveBoundCached(table: JobTable, options: CertifiedBoundOptions = {}): BoundSolution {
  const key = JSON.stringify([
    options.timeLimit ?? 60,
    options.strengthen ?? true,
    options.mipRelGap ?? DEFAULT_MIP_REL_GAP,
    options.searchRestarts ?? 30,
    options.tolerance ?? SOLVER_TOLERANCE,
  ]);
  let perTable = solved.get(table);
  if (!perTable) {
    perTable = new Map();
    solved.set(table, perTable);
  }
  let solution = perTable.get(key);
  if (!solution) {
    solution = solveBound(table, { ...options, highsOptions: undefined });
    perTable.set(key, solution);
  }
  return solution;
}

/** Certified lower bound of `table`, with the relaxation's assignment ordered and evaluated. */
export function certifiedBound(table: JobTable, options: CertifiedBoundOptions = {}): CertifiedBound {
  const t0 = performance.now();
  const solution = solveBound(table, options);
  const mapping = orderQueues(table, solution.assignment);
  const makespan = new Evaluator(table).evaluate(mapping).makespan;
  return {
    ...solution,
    seconds: (performance.now() - t0) / 1000,
    mapping,
    makespan,
    optimal: isProvenOptimal(makespan, solution.bound, solution.precision),
  };
}

/** Whether a makespan meets a certified bound to the bound's precision. */
export function isProvenOptimal(makespan: number, bound: number, precision: number): boolean {
  return makespan <= bound * (1 + precision + COMPARE_SLACK);
}
