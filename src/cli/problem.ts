/**
 * Where a command's job table comes from. Every command that needs a problem calls
 * `addProblemOptions` and `loadProblem`, so new sources (a workload and platform, a task
 * from the model zoo) are added once, here.
 */
import type { Command } from 'commander';
import { synthTable } from '../core/synth.js';
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

/** The problem used when none is given: a synthetic 100-job, 4-core table at medium bandwidth. */
export const DEFAULT_PROBLEM = { jobs: 100, cores: 4, bwRatio: 1, seed: 0 } as const;

export function loadProblem(opts: ProblemOptions): LoadedProblem {
  if (opts.table) return { table: tableFromJson(readJsonFile(opts.table, 'job table')), source: opts.table };
  const d = DEFAULT_PROBLEM;
  return {
    table: synthTable(d),
    source: `synth(jobs=${d.jobs}, cores=${d.cores}, bwRatio=${d.bwRatio}, seed=${d.seed})`,
  };
}
