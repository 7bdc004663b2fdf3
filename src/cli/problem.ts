/**
 * Where a command's job table comes from. Every command that needs a problem calls
 * `addProblemOptions` and `loadProblem`, so new sources (a workload and platform, a task
 * from the model zoo) are added once, here.
 */
import type { Command } from 'commander';
import { CONV_ENCODINGS, type ConvEncoding } from '../../models/convert.js';
import { MAX_TASK_JOBS, parseTaskName, sampleTask } from '../../models/tasks.js';
import { readWorkloadFile, selectGroup } from '../../models/workload-file.js';
import { InputError } from '../core/errors.js';
import { DEFAULT_SYNTH, synthTable } from '../core/synth.js';
import { type JobTable, tableFromJson } from '../core/table.js';
import { readJsonFile } from '../io/files.js';
import type { Job } from '../workload/layer.js';
import { parseIntOption } from './options.js';

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
export const DEFAULT_PROBLEM = DEFAULT_SYNTH;

export function loadProblem(opts: ProblemOptions): LoadedProblem {
  if (opts.table) return { table: tableFromJson(readJsonFile(opts.table, 'job table')), source: opts.table };
  const d = DEFAULT_PROBLEM;
  return {
    table: synthTable(d),
    source: `synth(jobs=${d.jobs}, cores=${d.cores}, bwRatio=${d.bwRatio}, seed=${d.seed})`,
  };
}

// ---------------------------------------------------------------------------------------
// Job sources (the model zoo): a workload file, the authors' CSV, or a sampled task group.
// `loadJobs` gives the job list that the job analyzer turns into a table.
//
// `--jobs` takes either a number of jobs (with --task) or a job list file (without it).

export interface JobSourceOptions {
  workload?: string;
  task?: string;
  jobs?: string;
  seed?: number;
  group?: number;
  convEncoding?: string;
}

/** The paper's group size, the default for --task. */
export const DEFAULT_TASK_JOBS = 100;
export const DEFAULT_TASK_SEED = 1;

export function addJobSourceOptions(cmd: Command): Command {
  cmd
    .option('--workload <file>', "workload JSON file, or the authors' CSV job list (.csv)")
    .option(
      '--task <name>',
      'sample a task group from the model zoo: vision, language, recommendation or mix',
    )
    .option(
      '--jobs <n|file>',
      `with --task: jobs to sample (default ${DEFAULT_TASK_JOBS}); otherwise a job list file`,
    )
    .option('--group <k>', 'which group of a multi-group workload', parseIntOption('--group', 0))
    .option(
      '--conv-encoding <e>',
      `convolution shapes for the cost model: ${CONV_ENCODINGS.join(' or ')} (default magma)`,
    );
  // Commands with their own --seed (search) share it: the task draws from a named sub-stream.
  if (!cmd.options.some((o) => o.long === '--seed')) {
    cmd.option('--seed <s>', `seed for --task (default ${DEFAULT_TASK_SEED})`, parseIntOption('--seed'));
  }
  return cmd;
}

export function hasJobSource(opts: JobSourceOptions): boolean {
  return opts.workload !== undefined || opts.task !== undefined || opts.jobs !== undefined;
}

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

export function loadJobs(opts: JobSourceOptions): LoadedJobs {
  const encoding = parseConvEncoding(opts.convEncoding);
  const isCount = opts.jobs !== undefined && /^\s*\d+\s*$/.test(opts.jobs);
  if (opts.task !== undefined) {
    if (opts.workload !== undefined)
      throw new InputError('give one job source: --task or --workload, not both');
    if (opts.group !== undefined)
      throw new InputError('--group selects a group of a workload file, not of --task');
    if (opts.jobs !== undefined && !isCount) {
      throw new InputError(`--jobs with --task must be a number of jobs, got "${opts.jobs}"`);
    }
    const task = parseTaskName(opts.task, '--task');
    const n =
      opts.jobs === undefined ? DEFAULT_TASK_JOBS : parseIntOption('--jobs', 1, MAX_TASK_JOBS)(opts.jobs);
    const seed = opts.seed ?? DEFAULT_TASK_SEED;
    return { jobs: sampleTask(task, n, seed, encoding), source: `task ${task}, ${n} jobs, seed ${seed}` };
  }
  if (isCount) throw new InputError(`--jobs ${opts.jobs!.trim()} is a number of jobs: it needs --task NAME`);
  if (opts.workload !== undefined && opts.jobs !== undefined) {
    throw new InputError('give one job source: --workload or --jobs FILE, not both');
  }
  const file = opts.workload ?? opts.jobs;
  if (file === undefined)
    throw new InputError('no jobs given: pass --workload FILE, --jobs FILE or --task NAME');
  const jobs = selectGroup(readWorkloadFile(file), opts.group, file);
  return { jobs, source: opts.group === undefined ? file : `${file} group ${opts.group}` };
}
