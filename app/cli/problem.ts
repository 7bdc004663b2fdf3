/**
 * Where a command's job table comes from. Every command that needs a problem calls
 * `addProblemOptions` and `loadProblem`, so every source is added once, here; the flags
 * translate into one problem description (models/problem.ts), resolved like any other:
 *
 * - `--table FILE`: a saved job analysis table;
 * - a job source analysed on the fly on `--platform P --bw B [--flexible] [--maestro-compat]`:
 *   `--jobs FILE` (the authors' CSV or a workload JSON), `--jobs magma:<task>/<k>` (the
 *   authors' groups, built in), `--workload FILE [--group K]`, or `--task NAME [--jobs N]
 *   [--seed S]` (a group sampled from the model zoo);
 * - nothing: the authors' Mix group 0 on S2 at 16 bytes/cycle.
 */
import type { Command } from 'commander';
import { CONV_ENCODINGS, type ConvEncoding } from '../../models/convert.js';
import { isMagmaGroupRef } from '../../models/magma-groups.js';
import {
  DEFAULT_TASK_JOBS,
  type JobSourceRef,
  type ProblemRef,
  problemJobs,
  resolveProblem,
} from '../../models/problem.js';
import { MAX_TASK_JOBS, parseTaskName } from '../../models/tasks.js';
import { InputError } from '../../src/core/errors.js';
import { type JobTable, TABLE_LIMITS } from '../../src/core/table.js';
import type { Job } from '../../src/workload/layer.js';
import { parseFloatOption, parseIntOption, parseSeedOption } from './options.js';

export interface JobSourceOptions {
  workload?: string;
  task?: string;
  jobs?: string;
  seed?: number;
  group?: number;
  convEncoding?: string;
}

export interface ProblemOptions extends JobSourceOptions {
  table?: string;
  platform?: string;
  bw?: number;
  flexible?: boolean;
  maestroCompat?: boolean;
}

/** The problem when none is given: the authors' Mix group 0 on S2 at 16 bytes/cycle. */
export const DEFAULT_PROBLEM = { jobs: 'magma:mix/0', platform: 'S2', bw: 16 } as const;
/** The seed of a --task group without --seed. */
export const DEFAULT_TASK_SEED = 1;
export { DEFAULT_TASK_JOBS };

export function addProblemOptions(cmd: Command): Command {
  cmd
    .option('--table <file>', 'job analysis table (JSON)')
    .option(
      '--jobs <file|magma:task/k|n>',
      `job list (the authors' CSV or a workload JSON), a built-in group such as magma:conv/3, or with --task the number of jobs (default ${DEFAULT_TASK_JOBS})`,
    )
    .option('--workload <file>', 'workload JSON file (DNN requests, groups, explicit jobs)')
    .option('--group <k>', 'which group of a multi-group workload', parseIntOption('--group', 0))
    .option('--task <name>', 'sample a group from the model zoo: vision, language, recommendation or mix')
    .option(
      '--conv-encoding <e>',
      `convolution shapes for the cost model: ${CONV_ENCODINGS.join(' or ')} (default magma)`,
    )
    .option(
      '--platform <name|file>',
      'platform preset (S1..S6, S2-eye ...; see `m3e platforms`) or platform JSON file',
    )
    .option(
      '--bw <bytes/cycle>',
      'system bandwidth (overrides the table or platform)',
      parseFloatOption('--bw', { positive: true, min: TABLE_LIMITS.VALUE_MIN, max: TABLE_LIMITS.VALUE_MAX }),
    )
    .option('--flexible', 'every core picks its cluster size per job')
    .option('--maestro-compat', "reproduce MAESTRO's quirks on purpose (see docs/cost-model.md)");
  // One --seed per command: it seeds --task and whatever the command itself draws (search's
  // optimiser); the task sampler uses a named sub-stream, so the two do not correlate.
  cmd.option('--seed <s>', 'random seed', parseSeedOption());
  return cmd;
}

/** Describes where the table came from, for reports. */
export interface LoadedProblem {
  readonly table: JobTable;
  readonly source: string;
}

export function hasJobSource(opts: JobSourceOptions): boolean {
  return opts.workload !== undefined || opts.task !== undefined || opts.jobs !== undefined;
}

/** The problem description the flags stand for (flag combinations are checked here). */
export function problemFromFlags(opts: ProblemOptions): ProblemRef {
  if (opts.table) {
    const names = { maestroCompat: 'maestro-compat', convEncoding: 'conv-encoding' } as Record<
      string,
      string
    >;
    for (const flag of [
      'jobs',
      'workload',
      'task',
      'group',
      'convEncoding',
      'platform',
      'flexible',
      'maestroCompat',
    ] as const) {
      if (opts[flag] !== undefined && opts[flag] !== false) {
        throw new InputError(`--table cannot be combined with --${names[flag] ?? flag}`);
      }
    }
    return { table: opts.table, ...(opts.bw !== undefined ? { bw: opts.bw } : {}) };
  }
  const defaults = !hasJobSource(opts) && opts.platform === undefined;
  if (!hasJobSource(opts)) {
    // Job-source refinements without a job source would be ignored: refuse them.
    if (opts.group !== undefined)
      throw new InputError(
        '--group selects a group of a workload file: it needs --workload FILE or --jobs FILE',
      );
    if (opts.convEncoding !== undefined)
      throw new InputError(
        '--conv-encoding applies to --task and workload files: give one (--task, --workload, --jobs)',
      );
  }
  const jobs = defaults ? { jobs: DEFAULT_PROBLEM.jobs } : jobSourceFromFlags(opts);
  const platform = defaults ? DEFAULT_PROBLEM.platform : opts.platform;
  if (!platform)
    throw new InputError('a job source needs --platform (a preset such as S2, or a platform JSON file)');
  const bw = opts.bw ?? (defaults ? DEFAULT_PROBLEM.bw : undefined);
  return {
    ...jobs,
    platform,
    ...(bw !== undefined ? { bw } : {}),
    ...(opts.flexible ? { flexible: true } : {}),
    ...(opts.maestroCompat ? { maestroCompat: true } : {}),
  };
}

export function loadProblem(opts: ProblemOptions): LoadedProblem {
  const { table, source } = resolveProblem(problemFromFlags(opts));
  return { table, source };
}

// ---------------------------------------------------------------------------------------
// Job sources: `loadJobs` gives the job list the analyzer turns into a table.
// `--jobs` takes a number of jobs (with --task), a built-in group, or a job list file.

export interface LoadedJobs {
  readonly jobs: Job[];
  /** Where the jobs came from, for reports. */
  readonly source: string;
}

export function parseConvEncoding(value: string | undefined): ConvEncoding {
  if (value === undefined) return 'magma';
  if (!(CONV_ENCODINGS as readonly string[]).includes(value)) {
    throw new InputError(`--conv-encoding must be ${CONV_ENCODINGS.join(' or ')}, got "${value}"`);
  }
  return value as ConvEncoding;
}

/** True when `--jobs` is a number of jobs (with --task) rather than a group or a file. */
function isJobCount(jobs: string | undefined): boolean {
  return jobs !== undefined && /^\s*\d+\s*$/.test(jobs);
}

/** The group size of a --task: `--jobs N`, default the paper's 100. */
export function taskJobCount(jobs: string | undefined): number {
  if (jobs === undefined) return DEFAULT_TASK_JOBS;
  if (!isJobCount(jobs)) throw new InputError(`--jobs with --task must be a number of jobs, got "${jobs}"`);
  return parseIntOption('--jobs', 1, MAX_TASK_JOBS)(jobs);
}

/** The job source the flags stand for (`--task`, `--jobs`, `--workload`, `--group`). */
export function jobSourceFromFlags(opts: JobSourceOptions): JobSourceRef {
  const encoding = parseConvEncoding(opts.convEncoding);
  const conv = opts.convEncoding === undefined ? {} : { convEncoding: encoding };
  if (opts.task !== undefined) {
    if (opts.workload !== undefined)
      throw new InputError('give one job source: --task or --workload, not both');
    if (opts.group !== undefined)
      throw new InputError('--group selects a group of a workload file, not of --task');
    const jobs = taskJobCount(opts.jobs);
    const task = parseTaskName(opts.task, '--task');
    return { task, seed: opts.seed ?? DEFAULT_TASK_SEED, jobs, ...conv };
  }
  if (isJobCount(opts.jobs))
    throw new InputError(`--jobs ${opts.jobs!.trim()} is a number of jobs: it needs --task NAME`);
  if (opts.workload !== undefined && opts.jobs !== undefined) {
    throw new InputError('give one job source: --workload or --jobs FILE, not both');
  }
  if (opts.jobs !== undefined && isMagmaGroupRef(opts.jobs)) {
    if (opts.group !== undefined)
      throw new InputError('--group selects a group of a workload file, not of a built-in group');
    if (opts.convEncoding !== undefined)
      throw new InputError(
        "--conv-encoding does not apply to a built-in group (it holds the authors' shapes)",
      );
    return { jobs: opts.jobs.trim() };
  }
  const file = opts.workload ?? opts.jobs;
  if (file === undefined)
    throw new InputError('no jobs given: pass --jobs FILE|magma:TASK/K, --workload FILE or --task NAME');
  return { jobs: file, ...(opts.group === undefined ? {} : { group: opts.group }), ...conv };
}

export function loadJobs(opts: JobSourceOptions): LoadedJobs {
  return problemJobs(jobSourceFromFlags(opts));
}
