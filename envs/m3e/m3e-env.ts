/** What the M3E environments share ({@link M3eEnv}). */
import { InputError, show } from '../../src/core/errors.js';
import type { EvaluationResult } from '../../src/core/evaluator.js';
import type { Rng } from '../../src/core/rng.js';
import { type JobTable, tableFromJson } from '../../src/core/table.js';
import { BaseEnv, checkResetOptions, type Info } from '../core.js';
import { checkTableSize, type ProblemSource } from './problem-source.js';
import { TableContext } from './table-context.js';

const RESET_OPTIONS = ['table'] as const;

/**
 * What the last step of every M3E environment's episode reports about the evaluated mapping
 * (absent before): the fields of the evaluator's result ({@link EvaluationResult}).
 */
export interface EvaluatedInfo {
  /** The mapping's makespan, cycles: exactly the evaluator's. */
  readonly makespan?: number;
  /** makespan / lower bound of the table (>= 1). */
  readonly ratio?: number;
  /** Time each core's queue empties (0 for a core with no jobs). */
  readonly coreFinish?: Float64Array;
  /** 1 - wasted bandwidth area / (B x makespan). */
  readonly bandwidthUtilization?: number;
  /** sum(coreFinish) / (C x makespan). */
  readonly coreUtilization?: number;
}

/** The final-step info fields of an evaluation, with `ratio` = makespan / lower bound. */
export function evaluatedInfo(r: EvaluationResult, lowerBound: number): Required<EvaluatedInfo> {
  return {
    makespan: r.makespan,
    ratio: r.makespan / lowerBound,
    coreFinish: r.coreFinish,
    bandwidthUtilization: r.bandwidthUtilization,
    coreUtilization: r.coreUtilization,
  };
}

function asTable(x: unknown): JobTable {
  if (typeof x !== 'object' || x === null)
    throw new InputError(`reset option table must be a job table, got ${show(x)}`);
  const t = x as Partial<JobTable>;
  return t.latency instanceof Float64Array && typeof t.numJobs === 'number'
    ? (t as JobTable)
    : tableFromJson(x);
}

/**
 * Base of the M3E environments: a {@link ProblemSource} gives each episode its job table, and
 * the per-table work ({@link TableContext}: lower bound, evaluator, normalised features) is
 * redone only when the table changes. The spaces depend only on the source's numbers of
 * jobs and cores.
 *
 * Episode option (`reset({options: {table}})`): run this episode on `table` instead of
 * drawing one from the source (a JobTable or the JSON table format, with the source's
 * numbers of jobs and cores), the way to score held-out groups one by one.
 */
export abstract class M3eEnv<O, A, I extends Info> extends BaseEnv<O, A, I> {
  /** Where each episode's table comes from. */
  readonly source: ProblemSource;
  private current: TableContext | null = null;

  constructor(source: ProblemSource) {
    super();
    this.source = source;
    if (source.variableSize && !this.acceptsSmallerTables())
      throw new InputError(
        `${this.label}: the problem source draws tables of varying sizes, but this environment's spaces fix them (use m3e/Dispatch-v0)`,
      );
  }

  /** Whether the spaces pad tables smaller than the source's sizes (a variable-size source). */
  protected acceptsSmallerTables(): boolean {
    return false;
  }

  /** The table of the current episode (null before the first reset). */
  get table(): JobTable | null {
    return this.current?.table ?? null;
  }

  /** The current episode's table context. */
  protected get ctx(): TableContext {
    if (!this.current) throw new Error(`${this.label}: no table before reset()`);
    return this.current;
  }

  /** Throws InputError unless the spaces fit `table` (by default: exactly the source's sizes). */
  protected checkTable(table: JobTable): void {
    checkTableSize(this.label, table, this.source);
  }

  /**
   * Picks the episode's table (the `table` option, else the source's next) and prepares its
   * context; call it first in `resetEpisode`.
   *
   * @throws `InputError` for an unknown option, or a table the spaces do not fit.
   */
  protected nextContext(rng: Rng, options: Readonly<Record<string, unknown>>): TableContext {
    checkResetOptions(this.label, options, RESET_OPTIONS);
    const table = options.table !== undefined ? asTable(options.table) : this.source.next(rng);
    this.checkTable(table);
    if (!this.current || this.current.table !== table) this.current = new TableContext(table);
    return this.current;
  }
}
