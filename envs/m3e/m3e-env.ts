/**
 * What the M3E environments share: a problem source, and the per-table context of the
 * current episode (rebuilt only when the table changes).
 *
 * Reset options: `{table}` runs the episode on that table instead of drawing one from the
 * source (a JobTable or the JSON table format; same size as the source's) - the way to score
 * held-out groups one by one.
 */
import { InputError, show } from '../../src/core/errors.js';
import type { EvaluationResult } from '../../src/core/evaluator.js';
import type { Rng } from '../../src/core/rng.js';
import { type JobTable, tableFromJson } from '../../src/core/table.js';
import { BaseEnv, checkResetOptions, type Info } from '../core.js';
import { checkTableSize, type ProblemSource } from './problem-source.js';
import { TableContext } from './table-context.js';

const RESET_OPTIONS = ['table'] as const;

/** What the final step of every M3E environment reports about the evaluated mapping. */
export interface EvaluatedInfo {
  readonly makespan?: number;
  readonly ratio?: number;
  readonly coreFinish?: Float64Array;
  readonly bandwidthUtilization?: number;
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

export abstract class M3eEnv<O, A, I extends Info> extends BaseEnv<O, A, I> {
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

  protected get ctx(): TableContext {
    if (!this.current) throw new Error(`${this.label}: no table before reset()`);
    return this.current;
  }

  /** Throws InputError unless the spaces fit `table` (by default: exactly the source's sizes). */
  protected checkTable(table: JobTable): void {
    checkTableSize(this.label, table, this.source);
  }

  /** Picks the episode's table (reset option or source) and prepares its context. */
  protected nextContext(rng: Rng, options: Readonly<Record<string, unknown>>): TableContext {
    checkResetOptions(this.label, options, RESET_OPTIONS);
    const table = options.table !== undefined ? asTable(options.table) : this.source.next(rng);
    this.checkTable(table);
    if (!this.current || this.current.table !== table) this.current = new TableContext(table);
    return this.current;
  }
}
