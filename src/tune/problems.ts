/** A tuning problem: a job table and what its scores are relative to. */
import { lowerBound } from '../core/bounds.js';
import type { JobTable } from '../core/table.js';

export interface TuneProblem {
  /** Names the problem in reports; also part of its runs' seeds (see runSeed). */
  readonly label: string;
  readonly table: JobTable;
  readonly lowerBound: number;
}

export function tuneProblem(label: string, table: JobTable): TuneProblem {
  return { label, table, lowerBound: lowerBound(table) };
}
