/**
 * Where a command's job table comes from. Every command that needs a problem calls
 * `addProblemOptions` and `loadProblem`, so every source is added once, here:
 *
 * - `--table FILE`: a saved job analysis table;
 * - a job source analysed on the fly on `--platform P --bw B [--flexible] [--maestro-compat]`:
 *   `--jobs FILE` (the authors' CSV or a workload JSON), `--jobs magma:<task>/<k>` (the
 *   authors' groups, built in), `--workload FILE [--group K]`, or `--task NAME [--jobs N]
 *   [--seed S]` (a group sampled from the model zoo);
 * - nothing: the authors' Mix group 0 on S2 at 16 bytes/cycle.
 *
 * This is the app layer: it may use models/ (the zoo) besides src/.
 */
import type { Command } from 'commander';
import { CONV_ENCODINGS, type ConvEncoding } from '../../models/convert.js';
import { isMagmaGroupRef, magmaTaskOf, readMagmaGroup } from '../../models/magma-groups.js';
import { MAX_TASK_JOBS, parseTaskName, sampleTask } from '../../models/tasks.js';
import { readWorkloadFile, selectGroup } from '../../models/workload-file.js';
import { analyzeJobs } from '../analyzer/analyze.js';
import { InputError } from '../core/errors.js';
import { type JobTable, tableFromJson, withSystemBandwidth } from '../core/table.js';
import { readJsonFile } from '../io/files.js';
import { loadPlatform } from '../platform/load.js';
import type { Job } from '../workload/layer.js';
import { parseFloatOption, parseIntOption } from './options.js';

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
/** The paper's group size, the default for --task. */
export const DEFAULT_TASK_JOBS = 100;
export const DEFAULT_TASK_SEED = 1;

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
      parseFloatOption('--bw', { positive: true }),
    )
    .option('--flexible', 'every core picks its cluster size per job')
    .option('--maestro-compat', "reproduce MAESTRO's quirks on purpose (see README, Cost model)");
  // One --seed per command: it seeds --task and whatever the command itself draws (search's
  // optimiser); the task sampler uses a named sub-stream, so the two do not correlate.
  cmd.option('--seed <s>', 'random seed', parseIntOption('--seed', 0));
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

export function loadProblem(opts: ProblemOptions): LoadedProblem {
  if (opts.table) {
    for (const flag of ['jobs', 'workload', 'task', 'platform', 'flexible', 'maestroCompat'] as const) {
      if (opts[flag] !== undefined && opts[flag] !== false) {
        throw new InputError(
          `--table cannot be combined with --${flag === 'maestroCompat' ? 'maestro-compat' : flag}`,
        );
      }
    }
    const table = tableFromJson(readJsonFile(opts.table, 'job table'));
    return { table: opts.bw !== undefined ? withSystemBandwidth(table, opts.bw) : table, source: opts.table };
  }
  const defaults = !hasJobSource(opts) && opts.platform === undefined;
  const src = defaults ? loadJobs({ jobs: DEFAULT_PROBLEM.jobs }) : loadJobs(opts);
  const platformName = defaults ? DEFAULT_PROBLEM.platform : opts.platform;
  if (!platformName)
    throw new InputError('a job source needs --platform (a preset such as S2, or a platform JSON file)');
  const platform = loadPlatform(platformName);
  const bw = opts.bw ?? (defaults ? DEFAULT_PROBLEM.bw : platform.systemBandwidth);
  if (bw === undefined) throw new InputError(`platform ${platform.name} sets no systemBandwidth: pass --bw`);
  const table = analyzeJobs(src.jobs, platform, {
    systemBandwidth: bw,
    flexible: opts.flexible ?? false,
    maestroCompat: opts.maestroCompat ?? false,
  });
  const flags = `${opts.flexible ? ', flexible' : ''}${opts.maestroCompat ? ', MAESTRO-compatible' : ''}`;
  return { table, source: `${src.source} on ${platform.name} at ${bw} B/cycle${flags}` };
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

export function loadJobs(opts: JobSourceOptions): LoadedJobs {
  const encoding = parseConvEncoding(opts.convEncoding);
  const isCount = isJobCount(opts.jobs);
  if (opts.task !== undefined) {
    if (opts.workload !== undefined)
      throw new InputError('give one job source: --task or --workload, not both');
    if (opts.group !== undefined)
      throw new InputError('--group selects a group of a workload file, not of --task');
    const n = taskJobCount(opts.jobs);
    const task = parseTaskName(opts.task, '--task');
    const seed = opts.seed ?? DEFAULT_TASK_SEED;
    return { jobs: sampleTask(task, n, seed, encoding), source: `task ${task}, ${n} jobs, seed ${seed}` };
  }
  if (isCount) throw new InputError(`--jobs ${opts.jobs!.trim()} is a number of jobs: it needs --task NAME`);
  if (opts.workload !== undefined && opts.jobs !== undefined) {
    throw new InputError('give one job source: --workload or --jobs FILE, not both');
  }
  if (opts.jobs !== undefined && isMagmaGroupRef(opts.jobs)) {
    if (opts.group !== undefined)
      throw new InputError('--group selects a group of a workload file, not of a built-in group');
    return { jobs: readMagmaGroup(opts.jobs), source: opts.jobs.trim() };
  }
  const file = opts.workload ?? opts.jobs;
  if (file === undefined)
    throw new InputError('no jobs given: pass --jobs FILE|magma:TASK/K, --workload FILE or --task NAME');
  const jobs = selectGroup(readWorkloadFile(file), opts.group, file);
  return { jobs, source: opts.group === undefined ? file : `${file} group ${opts.group}` };
}

/**
 * A {task, platform, bw, group | seed} problem: the authors' group `group` of that task, or
 * a group of 100 jobs sampled from the model zoo with `seed`, analysed on the platform.
 */
export function taskEntryTable(
  e: { task: string; platform: string; bw: number; group?: number; seed?: number },
  where: string,
): JobTable {
  const task = parseTaskName(e.task, `${where}: task`);
  const jobs =
    e.group !== undefined
      ? readMagmaGroup(`magma:${magmaTaskOf(task)}/${e.group}`)
      : sampleTask(task, DEFAULT_TASK_JOBS, e.seed ?? DEFAULT_TASK_SEED, 'magma');
  return analyzeJobs(jobs, loadPlatform(e.platform), {
    systemBandwidth: e.bw,
    flexible: false,
    maestroCompat: false,
  });
}
