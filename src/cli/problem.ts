/**
 * Where a command's job table comes from. Every command that needs a problem calls
 * `addProblemOptions` and `loadProblem`, so new sources (a workload and platform, a task
 * from the model zoo) are added once, here.
 *
 * Sources: `--table FILE` (a saved job analysis table), or `--jobs FILE --platform P
 * [--bw B] [--flexible] [--maestro-compat]` (the table is built on the fly by the analyzer).
 */
import type { Command } from 'commander';
import { analyzeJobs } from '../analyzer/analyze.js';
import { InputError } from '../core/errors.js';
import { type JobTable, tableFromJson, withSystemBandwidth } from '../core/table.js';
import { readJsonFile } from '../io/files.js';
import { loadPlatform } from '../platform/load.js';
import { readJobsFile } from '../workload/jobs-file.js';
import { parseFloatOption } from './options.js';

export interface ProblemOptions {
  table?: string;
  jobs?: string;
  platform?: string;
  bw?: number;
  flexible?: boolean;
  maestroCompat?: boolean;
}

export function addProblemOptions(cmd: Command): Command {
  return cmd
    .option('--table <file>', 'job analysis table (JSON)')
    .option(
      '--jobs <file>',
      "job list: the authors' CSV (insts*.csv) or JSON {jobs: [...]}; needs --platform",
    )
    .option(
      '--platform <name|file>',
      'platform preset (S1..S6, S2-eye ...; see `m3e platforms`) or platform JSON file',
    )
    .option(
      '--bw <bytes/cycle>',
      'system bandwidth (overrides the table or platform)',
      parseFloatOption('--bw', { positive: true }),
    )
    .option('--flexible', 'with --jobs: every core picks its cluster size per job')
    .option(
      '--maestro-compat',
      "with --jobs: reproduce MAESTRO's quirks on purpose (see README, Cost model)",
    );
}

/** Describes where the table came from, for reports. */
export interface LoadedProblem {
  readonly table: JobTable;
  readonly source: string;
}

export function loadProblem(opts: ProblemOptions): LoadedProblem {
  if (opts.table) {
    for (const flag of ['jobs', 'platform', 'flexible', 'maestroCompat'] as const) {
      if (opts[flag] !== undefined && opts[flag] !== false) {
        throw new InputError(
          `--table cannot be combined with --${flag === 'maestroCompat' ? 'maestro-compat' : flag}`,
        );
      }
    }
    const table = tableFromJson(readJsonFile(opts.table, 'job table'));
    return { table: opts.bw !== undefined ? withSystemBandwidth(table, opts.bw) : table, source: opts.table };
  }
  if (opts.jobs) {
    if (!opts.platform)
      throw new InputError('--jobs needs --platform (a preset such as S2, or a platform JSON file)');
    const platform = loadPlatform(opts.platform);
    const bw = opts.bw ?? platform.systemBandwidth;
    if (bw === undefined)
      throw new InputError(`platform ${platform.name} sets no systemBandwidth: pass --bw`);
    const jobs = readJobsFile(opts.jobs);
    const table = analyzeJobs(jobs, platform, {
      systemBandwidth: bw,
      flexible: opts.flexible ?? false,
      maestroCompat: opts.maestroCompat ?? false,
    });
    const flags = `${opts.flexible ? ', flexible' : ''}${opts.maestroCompat ? ', MAESTRO-compatible' : ''}`;
    return { table, source: `${opts.jobs} on ${platform.name} at ${bw} B/cycle${flags}` };
  }
  if (opts.platform) throw new InputError('--platform needs --jobs (a job list to analyse)');
  throw new InputError('no problem given: pass --table FILE, or --jobs FILE --platform P [--bw B]');
}
