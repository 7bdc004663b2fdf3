/**
 * The workload file: a JSON document saying which jobs to map. Exactly one source:
 *
 *   { "jobs": [ {"kind": "conv", "K": 64, "C": 64, "Y": 56, "X": 56, "R": 3, "S": 3, "name": "a"} ] }
 *   { "groups": [ [job, ...], [job, ...] ] }                 // several dependency-free groups
 *   { "requests": [ {"model": "resnet50", "count": 4}, {"model": "bert-base", "tokens": 20} ],
 *     "grouping": {"groupSize": 100, "order": "breadth-first"} }
 *   { "sample": {"task": "mix", "jobs": 100, "seed": 1} }   // a task group from the zoo
 *
 * plus optional "format" ("m3e-workload/1"), "description", "convEncoding" ("magma" or
 * "exact", for requests and samples) and "source" (free provenance, kept as written).
 * The authors' CSV job lists are read and written by src/workload/magma-csv.ts.
 */
import { z } from 'zod';
import { InputError } from '../src/core/errors.js';
import { readJsonFile, readTextFile } from '../src/io/files.js';
import { type Job, validateLayer } from '../src/workload/layer.js';
import { parseMagmaCsv } from '../src/workload/magma-csv.js';
import { CONV_ENCODINGS, type ConvEncoding } from './convert.js';
import {
  GROUP_ORDERS,
  type GroupingOptions,
  groupChains,
  type RequestSpec,
  requestChains,
} from './grouping.js';
import { parseTaskName, sampleTask } from './tasks.js';

export const WORKLOAD_FORMAT = 'm3e-workload/1';

const dim = z.number().int().positive();
const meta = { name: z.string().min(1).optional(), model: z.string().min(1).optional() };
const JobSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('conv'), K: dim, C: dim, Y: dim, X: dim, R: dim, S: dim, ...meta }),
  z.strictObject({ kind: z.literal('dwconv'), C: dim, Y: dim, X: dim, R: dim, S: dim, ...meta }),
  z.strictObject({ kind: z.literal('gemm'), M: dim, N: dim, K: dim, ...meta }),
  z.strictObject({ kind: z.literal('fc'), out: dim, in: dim, ...meta }),
]);
const RequestSchema = z.strictObject({
  model: z.string().min(1),
  count: dim.optional(),
  batch: dim.optional(),
  microBatch: dim.optional(),
  resolution: dim.optional(),
  tokens: dim.optional(),
});
const WorkloadSchema = z.strictObject({
  format: z.literal(WORKLOAD_FORMAT).optional(),
  description: z.string().optional(),
  convEncoding: z.enum(CONV_ENCODINGS as [ConvEncoding, ...ConvEncoding[]]).optional(),
  jobs: z.array(JobSchema).min(1).optional(),
  groups: z.array(z.array(JobSchema).min(1)).min(1).optional(),
  requests: z.array(RequestSchema).min(1).optional(),
  grouping: z
    .strictObject({
      groupSize: dim.optional(),
      order: z.enum(GROUP_ORDERS as [string, ...string[]]).optional(),
    })
    .optional(),
  sample: z.strictObject({ task: z.string(), jobs: dim, seed: z.number().int() }).optional(),
  source: z.unknown().optional(),
});
type JobJson = z.infer<typeof JobSchema>;

export interface Workload {
  /** Dependency-free groups, run one after another (one group for a plain job list). */
  readonly groups: readonly (readonly Job[])[];
  readonly description?: string;
}

/** Validates a parsed workload document; `where` (the file) prefixes every message. */
export function parseWorkload(value: unknown, where = 'workload'): Workload {
  const r = WorkloadSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    throw new InputError(`${where}: ${path ? `${path.replace(/^\./, '')}: ` : ''}${issue.message}`);
  }
  const w = r.data;
  const sources = (['jobs', 'groups', 'requests', 'sample'] as const).filter((k) => w[k] !== undefined);
  if (sources.length !== 1) {
    throw new InputError(
      `${where}: give exactly one of "jobs", "groups", "requests" or "sample", got ${sources.length === 0 ? 'none' : sources.join(' and ')}`,
    );
  }
  if (w.grouping && !w.requests) throw new InputError(`${where}: "grouping" applies only to "requests"`);
  const encoding: ConvEncoding = w.convEncoding ?? 'magma';
  let groups: Job[][];
  if (w.jobs) groups = [w.jobs.map((j, i) => toJob(j, i, `${where}: jobs[${i}]`))];
  else if (w.groups)
    groups = w.groups.map((g, k) => g.map((j, i) => toJob(j, i, `${where}: groups[${k}][${i}]`)));
  else if (w.requests) {
    const chains = requestChains(w.requests as RequestSpec[], encoding, `${where}: requests`);
    groups = groupChains(chains, (w.grouping ?? {}) as GroupingOptions);
  } else {
    const s = w.sample!;
    groups = [sampleTask(parseTaskName(s.task, `${where}: sample.task`), s.jobs, s.seed, encoding)];
  }
  return { groups, ...(w.description !== undefined ? { description: w.description } : {}) };
}

function toJob(j: JobJson, index: number, where: string): Job {
  const { name, model, ...layer } = j;
  const l = validateLayer(layer, where);
  return { name: name ?? `job${index}`, layer: l, ...(model !== undefined ? { model } : {}) };
}

export function jobToJson(job: Job): Record<string, unknown> {
  return { name: job.name, ...(job.model !== undefined ? { model: job.model } : {}), ...job.layer };
}

/** A workload document for `groups` (written as "jobs" when there is one group). */
export function workloadToJson(
  groups: readonly (readonly Job[])[],
  info: { description?: string; source?: unknown } = {},
) {
  return {
    format: WORKLOAD_FORMAT,
    ...(info.description !== undefined ? { description: info.description } : {}),
    ...(info.source !== undefined ? { source: info.source } : {}),
    ...(groups.length === 1
      ? { jobs: groups[0]!.map(jobToJson) }
      : { groups: groups.map((g) => g.map(jobToJson)) }),
  };
}

/** Reads a workload: the authors' CSV job list (by its .csv extension) or a workload JSON file. */
export function readWorkloadFile(path: string): Workload {
  if (path.toLowerCase().endsWith('.csv'))
    return { groups: [parseMagmaCsv(readTextFile(path, 'job list'), path)] };
  return parseWorkload(readJsonFile(path, 'workload file'), path);
}

/** The jobs of one group; `group` may be omitted only when there is a single group. */
export function selectGroup(w: Workload, group: number | undefined, where: string): Job[] {
  const n = w.groups.length;
  if (group === undefined) {
    if (n === 1) return [...w.groups[0]!];
    throw new InputError(`${where} has ${n} groups: choose one with --group K (0..${n - 1})`);
  }
  if (!Number.isInteger(group) || group < 0 || group >= n) {
    throw new InputError(`--group must be in 0..${n - 1} for ${where}, got ${group}`);
  }
  return [...w.groups[group]!];
}
