/**
 * One way to describe a problem ({@link ProblemRef}), shared by the command line, experiment
 * specs, tuning problem lists and the run folders of trained agents, and its resolver.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { analyzeJobs } from '../src/analyzer/analyze.js';
import { InputError, show } from '../src/core/errors.js';
import { synthTable } from '../src/core/synth.js';
import { type JobTable, TABLE_LIMITS, tableFromJson, withSystemBandwidth } from '../src/core/table.js';
import { readJsonFile } from '../src/io/files.js';
import { loadPlatform } from '../src/platform/load.js';
import type { Platform } from '../src/platform/platform.js';
import type { Job } from '../src/workload/layer.js';
import { CONV_ENCODINGS, type ConvEncoding } from './convert.js';
import { isMagmaGroupRef, MAGMA_GROUPS, magmaTaskOf, readMagmaGroup } from './magma-groups.js';
import { MAX_TASK_JOBS, parseTaskName, sampleTask } from './tasks.js';
import { parseWorkload, readWorkloadFile, selectGroup } from './workload-file.js';

/** The paper's group size: a task sample's number of jobs by default. */
export const DEFAULT_TASK_JOBS = 100;

const positive = z.number().positive();
/** A system bandwidth (bytes per cycle) within the table limits. */
const bandwidth = positive.min(TABLE_LIMITS.VALUE_MIN).max(TABLE_LIMITS.VALUE_MAX);
const index = z.number().int().nonnegative();
/** A number, or a range [low, high] drawn from when a new group is drawn every episode. */
const rangeOf = (n: z.ZodNumber) => z.union([n, z.tuple([n, n])]);
const name = z.string().min(1).optional();

const onPlatform = {
  name,
  /** A platform preset (S1..S6, S2-eye ...) or a platform JSON file. */
  platform: z.string().min(1),
  /** System bandwidth in bytes per cycle (GB/s at 1 GHz); default the platform's. */
  bw: bandwidth.optional(),
  /** Every core picks its array shape per job. */
  flexible: z.boolean().optional(),
  /** Reproduce MAESTRO's quirks on purpose. */
  maestroCompat: z.boolean().optional(),
  /** How convolutions become cost-model shapes (zoo samples and workload files). */
  convEncoding: z.enum(CONV_ENCODINGS as [ConvEncoding, ...ConvEncoding[]]).optional(),
};

export const TableProblemSchema = z.strictObject({
  name,
  /** A job analysis table file, or the table JSON itself. */
  table: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
  /** System bandwidth override; the table's own when absent. */
  bw: bandwidth.optional(),
});

export const SynthProblemSchema = z.strictObject({
  name,
  synth: z.strictObject({
    jobs: z.number().int().min(1),
    cores: z.number().int().min(1),
    /** System bandwidth as a multiple of C x the mean no-stall bandwidth (see synthTable). */
    bwRatio: rangeOf(z.number().positive()),
    /** Seed of the table (not of any mapper). */
    seed: index,
    heterogeneity: rangeOf(z.number().nonnegative()).optional(),
  }),
});

export const TaskProblemSchema = z
  .strictObject({
    /** vision, language, recommendation or mix (or the authors' names conv, lang, recom). */
    task: z.string().min(1),
    /** The authors' group of the task ... */
    group: index.optional(),
    /** ... or a group sampled from the model zoo with this seed. */
    seed: index.optional(),
    /** Jobs of a sampled group (default 100). */
    jobs: z.number().int().min(1).max(MAX_TASK_JOBS).optional(),
    ...onPlatform,
  })
  .refine((e) => (e.group === undefined) !== (e.seed === undefined), {
    message:
      'give exactly one of "group" and "seed" (an authors\' group, or a zoo sample drawn with that seed)',
    path: ['group'],
  })
  .refine((e) => e.group === undefined || e.jobs === undefined, {
    message: 'the authors\' groups have 100 jobs: "jobs" applies to zoo samples ("seed")',
    path: ['jobs'],
  });

export const JobsProblemSchema = z.strictObject({
  /** A built-in group (magma:<task>/<k>), the authors' CSV format, or a workload JSON file. */
  jobs: z.string().min(1),
  /** Which group of a multi-group workload file. */
  group: index.optional(),
  ...onPlatform,
});

export const ZooProblemSchema = z.strictObject({
  /** A workload document (requests, groups, explicit jobs or a sample), inline. */
  zoo: z.record(z.string(), z.unknown()),
  group: index.optional(),
  ...onPlatform,
});

export type TableProblem = z.infer<typeof TableProblemSchema>;
export type SynthProblem = z.infer<typeof SynthProblemSchema>;
export type TaskProblem = z.infer<typeof TaskProblemSchema>;
export type JobsProblem = z.infer<typeof JobsProblemSchema>;
export type ZooProblem = z.infer<typeof ZooProblemSchema>;
/**
 * A problem description: the job analysis table to map, as JSON. The command line (its flags
 * translate into one), experiment specs, tuning problem lists and the run folders of trained
 * agents all use it. Exactly one of these forms:
 *
 * ```text
 * {"table": "t.json" | {table JSON}, "bw"?: B}                  a table file, or the table itself
 * {"synth": {"jobs", "cores", "bwRatio", "seed", "heterogeneity"?}}  a synthetic table
 * {"task": T, "group": K, ...on a platform}                     the authors' group K of task T
 * {"task": T, "seed": S, "jobs"?: N, ...on a platform}          N jobs sampled from the zoo
 * {"jobs": "magma:mix/0" | "w.csv" | "w.json", "group"?: K, ...on a platform}  a job list
 * {"zoo": {workload document}, ...on a platform}                an inline workload
 * ```
 *
 * "On a platform" is `"platform"` (a preset such as S2, or a platform file), `"bw"` (bytes per
 * cycle; default the platform's), and the optional `"flexible"`, `"maestroCompat"` and
 * `"convEncoding"`. Every description may carry a `"name"`. Relative paths are resolved
 * against a base folder (the spec's or the list's folder, or the working directory).
 *
 * {@link parseProblemRef} validates one, {@link checkProblem} is the cheap check to run before
 * any work, and {@link resolveProblem} turns it into its table, running the cost model when
 * the description is a workload.
 */
export type ProblemRef = TableProblem | SynthProblem | TaskProblem | JobsProblem | ZooProblem;
/** A description whose jobs go through the cost model on a platform. */
export type WorkloadProblem = TaskProblem | JobsProblem | ZooProblem;
/** The fields of a workload description that say where its jobs run. */
export type PlatformField = 'platform' | 'bw' | 'flexible' | 'maestroCompat';
/** Where a workload's jobs come from (a workload description without its platform). */
export type JobSourceRef =
  | Omit<TaskProblem, PlatformField>
  | Omit<JobsProblem, PlatformField>
  | Omit<ZooProblem, PlatformField>;

/** The key that tells the forms apart, in the order messages list them. */
export const PROBLEM_KINDS = ['synth', 'table', 'task', 'jobs', 'zoo'] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

const SCHEMAS: Record<ProblemKind, z.ZodType<ProblemRef>> = {
  synth: SynthProblemSchema,
  table: TableProblemSchema,
  task: TaskProblemSchema as z.ZodType<ProblemRef>,
  jobs: JobsProblemSchema,
  zoo: ZooProblemSchema,
};

/** Which form a JSON object is, by its key; `where` names it in the message. */
export function problemKindOf(value: unknown, where: string): ProblemKind {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new InputError(`${where} must be an object, got ${show(value)}`);
  // A task sample's "jobs" is its number of jobs, not a job list.
  const sampleSize = 'task' in value && typeof (value as { jobs?: unknown }).jobs === 'number';
  const present = PROBLEM_KINDS.filter((k) => k in value && !(k === 'jobs' && sampleSize));
  if (present.length !== 1) {
    throw new InputError(
      `${where} needs exactly one of ${PROBLEM_KINDS.map((k) => `"${k}"`).join(', ')}, got ${present.length ? present.join(' and ') : 'none'}`,
    );
  }
  return present[0]!;
}

/**
 * Validates a JSON problem description. `at` renders where a bad field is, from its path
 * inside the description (so each caller keeps its own way of naming places).
 */
export function parseProblemRef(
  value: unknown,
  where: string,
  at: (path: readonly PropertyKey[]) => string = (path) =>
    path.length ? `${where}: ${path.map(String).join('.')}` : where,
): ProblemRef {
  const kind = problemKindOf(value, where);
  const r = SCHEMAS[kind].safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new InputError(`${at(issue.path)}: ${issue.message}`);
  }
  return r.data;
}

export function isWorkloadProblem(ref: ProblemRef): ref is WorkloadProblem {
  return 'task' in ref || 'jobs' in ref || 'zoo' in ref;
}

// ---------------------------------------------------------------------------------------------
// Resolution.

export interface ResolveOptions {
  /** Relative paths are resolved against this folder (default: the working directory). */
  readonly baseDir?: string;
  /** Prefixes messages about the description (`problem mix/g0/S2/bw16`). */
  readonly where?: string;
}

/** Presets are bare words (S1..S6, S2-eye); anything with a slash or an extension is a file. */
export function isPlatformFile(platform: string): boolean {
  return /[\\/]/.test(platform) || /\.[A-Za-z]+$/.test(platform);
}

function absolute(path: string, o: ResolveOptions): string {
  return isAbsolute(path) ? path : resolve(o.baseDir ?? process.cwd(), path);
}

/** The platform of a workload description (a preset, or a file relative to the base folder). */
export function problemPlatform(ref: WorkloadProblem, o: ResolveOptions = {}): Platform {
  return loadPlatform(isPlatformFile(ref.platform) ? absolute(ref.platform, o) : ref.platform);
}

function prefix(o: ResolveOptions): string {
  return o.where ? `${o.where}: ` : '';
}

/** The jobs of a workload description and where they came from (`magma:mix/0`, a file ...). */
export function problemJobs(ref: JobSourceRef, o: ResolveOptions = {}): { jobs: Job[]; source: string } {
  const encoding = ref.convEncoding ?? 'magma';
  if ('task' in ref) {
    const task = parseTaskName(ref.task, `${prefix(o)}task`);
    if (ref.group !== undefined) {
      checkGroupIndex(ref.group, o);
      return {
        jobs: readMagmaGroup(`magma:${magmaTaskOf(task)}/${ref.group}`),
        source: `${ref.task} group ${ref.group}`,
      };
    }
    const n = ref.jobs ?? DEFAULT_TASK_JOBS;
    return {
      jobs: sampleTask(task, n, ref.seed!, encoding),
      source: `task ${task}, ${n} jobs, seed ${ref.seed}`,
    };
  }
  if ('jobs' in ref) {
    if (isMagmaGroupRef(ref.jobs)) {
      if (ref.group !== undefined)
        throw new InputError('--group selects a group of a workload file, not of a built-in group');
      return { jobs: readMagmaGroup(ref.jobs), source: ref.jobs.trim() };
    }
    const file = absolute(ref.jobs, o);
    const jobs = selectGroup(readWorkloadFile(file), ref.group, ref.jobs);
    return { jobs, source: ref.group === undefined ? ref.jobs : `${ref.jobs} group ${ref.group}` };
  }
  const where = `${prefix(o)}zoo`;
  return {
    jobs: selectGroup(parseWorkload(ref.zoo, where), ref.group, where),
    source: ref.name ?? 'zoo request',
  };
}

function checkGroupIndex(group: number, o: ResolveOptions): void {
  if (group >= MAGMA_GROUPS)
    throw new InputError(`${prefix(o)}group must be in 0..${MAGMA_GROUPS - 1}, got ${group}`);
}

/** Per-job chart category of a workload: its network when every job names one, else its layer kind. */
export interface JobCategories {
  readonly kind: string;
  readonly values: readonly string[];
}

export interface ResolvedTable {
  readonly table: JobTable;
  /** Human-readable origin, for reports (`magma:mix/0 on S2 at 16 B/cycle`). */
  readonly source: string;
  /** Chart categories of the jobs, when the description knows the workload. */
  readonly labels?: JobCategories;
}

function synthSource(s: SynthProblem['synth']): string {
  const h = s.heterogeneity === undefined ? '' : `, heterogeneity=${s.heterogeneity}`;
  return `synth(jobs=${s.jobs}, cores=${s.cores}, bwRatio=${s.bwRatio}, seed=${s.seed}${h})`;
}

function single(value: number | readonly [number, number], field: string, o: ResolveOptions): number {
  if (typeof value === 'number') return value;
  throw new InputError(
    `${prefix(o)}synth.${field} is a range ${show(value)}: ranges are drawn when a new group is drawn every episode; give one number for one table`,
  );
}

/** The table a description stands for (running the cost model for workloads). */
export function resolveProblem(ref: ProblemRef, o: ResolveOptions = {}): ResolvedTable {
  if ('synth' in ref) {
    const s = ref.synth;
    const table = synthTable({
      jobs: s.jobs,
      cores: s.cores,
      bwRatio: single(s.bwRatio, 'bwRatio', o),
      seed: s.seed,
      ...(s.heterogeneity === undefined
        ? {}
        : { heterogeneity: single(s.heterogeneity, 'heterogeneity', o) }),
    });
    return { table, source: ref.name ?? synthSource(s) };
  }
  if ('table' in ref) {
    const inline = typeof ref.table !== 'string';
    const path = inline ? '' : absolute(ref.table as string, o);
    const data = inline ? ref.table : readJsonFile(path, `job table${o.where ? ` of ${o.where}` : ''}`);
    let base: JobTable;
    try {
      base = tableFromJson(data);
    } catch (e) {
      // Name the file the bad value is in (or the caller's place for it).
      const at = o.where ?? (inline ? undefined : (ref.table as string));
      if (e instanceof InputError && at) throw new InputError(`${at}: ${e.message}`);
      throw e;
    }
    const table = ref.bw === undefined ? base : withSystemBandwidth(base, ref.bw);
    const origin = ref.name ?? (inline ? 'inline table' : (ref.table as string));
    return { table, source: ref.bw === undefined ? origin : `${origin} at B=${ref.bw}` };
  }
  const { jobs, source } = problemJobs(ref, o);
  const platform = problemPlatform(ref, o);
  const bw = ref.bw ?? platform.systemBandwidth;
  if (bw === undefined) throw new InputError(`platform ${platform.name} sets no systemBandwidth: pass --bw`);
  const table = analyzeJobs(jobs, platform, {
    systemBandwidth: bw,
    flexible: ref.flexible ?? false,
    maestroCompat: ref.maestroCompat ?? false,
  });
  const flags = `${ref.flexible ? ', flexible' : ''}${ref.maestroCompat ? ', MAESTRO-compatible' : ''}`;
  const models = jobs.map((j) => j.model);
  const labels = models.every((m) => m !== undefined)
    ? { kind: 'network', values: models as string[] }
    : { kind: 'layer type', values: jobs.map((j) => j.layer.kind) };
  return { table, source: `${source} on ${platform.name} at ${bw} B/cycle${flags}`, labels };
}

/**
 * Cheap validation before any work starts (known task and group, files present, platform
 * readable), so a typo does not surface hours into a sweep. Synthetic descriptions are fully
 * checked by their schema.
 */
export function checkProblem(ref: ProblemRef, o: ResolveOptions = {}): void {
  if ('table' in ref) {
    if (typeof ref.table !== 'string') return;
    const path = absolute(ref.table, o);
    if (!existsSync(path)) throw new InputError(`${prefix(o)}table file not found: ${path}`);
    if (!statSync(path).isFile()) throw new InputError(`${prefix(o)}table path is not a file: ${path}`);
    return;
  }
  if (!isWorkloadProblem(ref)) return;
  if ('task' in ref) {
    parseTaskName(ref.task, `${prefix(o)}task`);
    if (ref.group !== undefined) checkGroupIndex(ref.group, o);
  } else if ('jobs' in ref) {
    if (isMagmaGroupRef(ref.jobs)) readMagmaGroup(ref.jobs);
    else if (!existsSync(absolute(ref.jobs, o)))
      throw new InputError(`${prefix(o)}job list not found: ${absolute(ref.jobs, o)}`);
  }
  problemPlatform(ref, o);
}
