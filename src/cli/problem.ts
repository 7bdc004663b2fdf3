/**
 * Where a command's job table comes from. Every command that needs a problem calls
 * `addProblemOptions` and `loadProblem`, so new sources (a workload and platform, a task
 * from the model zoo) are added once, here.
 */
import type { Command } from 'commander';
import { InputError } from '../core/errors.js';
import { type JobTable, tableFromJson } from '../core/table.js';
import { readJsonFile } from '../io/files.js';

export interface ProblemOptions {
  table?: string;
}

export function addProblemOptions(cmd: Command): Command {
  return cmd.option('--table <file>', 'job analysis table (JSON)');
}

/** Describes where the table came from, for reports. */
export interface LoadedProblem {
  readonly table: JobTable;
  readonly source: string;
}

export function loadProblem(opts: ProblemOptions): LoadedProblem {
  if (opts.table) return { table: tableFromJson(readJsonFile(opts.table, 'job table')), source: opts.table };
  throw new InputError('no problem given: pass --table FILE');
}
