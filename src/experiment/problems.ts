/**
 * From a problem reference (an expanded spec entry) to a job table with what the reports
 * need: the lower bound, metadata, and a per-job category for chart colours. Synthetic and
 * table-file problems are built here; cost-model problems go through the hook in
 * ./problem-resolver.ts.
 */
import { existsSync, statSync } from 'node:fs';
import { lowerBound } from '../core/bounds.js';
import { InputError } from '../core/errors.js';
import { synthTable } from '../core/synth.js';
import { type JobTable, tableFromJson, withSystemBandwidth } from '../core/table.js';
import { readJsonFile } from '../io/files.js';
import { PALETTE } from '../report/charts/svg.js';
import { checkWorkloadProblem, resolveWorkloadProblem } from './problem-resolver.js';
import type { ProblemRef } from './spec.js';

export interface JobLabels {
  /** What the categories are, for the chart legend (`model`, `layer type` ...). */
  readonly kind: string;
  /** One category per job. */
  readonly values: readonly string[];
  /** Legend order of the categories when it matters (else alphabetical). */
  readonly order?: readonly string[];
}

export interface ResolvedProblem {
  readonly id: string;
  readonly table: JobTable;
  readonly lowerBound: number;
  /** Human-readable origin, for reports. */
  readonly source: string;
  readonly labels: JobLabels;
  /** Total multiply-accumulates of the group when the table knows them (details.macs). */
  readonly totalMacs?: number;
}

/** Categories the charts can tell apart by colour. */
const MAX_CATEGORIES = PALETTE.length;
/** Jobs whose mean no-stall bandwidth is below FAIR_SHARE_LOW x B / C are "light", above FAIR_SHARE_HIGH x B / C "heavy". */
const FAIR_SHARE_LOW = 0.5;
const FAIR_SHARE_HIGH = 2;

function stringField(info: Record<string, unknown>, key: string): string | undefined {
  const v = info[key];
  return typeof v === 'string' && v ? v : undefined;
}

/**
 * The default chart category of each job: its network (`model`) when every job names one,
 * else its layer kind (`kind` or `layer.kind`), else how its bandwidth demand compares with
 * a core's fair share of the system bandwidth (the one thing every table has).
 */
export function defaultJobLabels(table: JobTable): JobLabels {
  const jobs = table.jobs as readonly Record<string, unknown>[];
  const models = jobs.map((j) => stringField(j, 'model'));
  const kinds = jobs.map(
    (j) =>
      stringField(j, 'kind') ??
      (j.layer && typeof j.layer === 'object'
        ? stringField(j.layer as Record<string, unknown>, 'kind')
        : undefined),
  );
  const haveModels = models.every((m) => m !== undefined);
  const haveKinds = kinds.every((k) => k !== undefined);
  // Networks first, unless there are more than the palette can tell apart.
  if (haveModels && (new Set(models).size <= MAX_CATEGORIES || !haveKinds))
    return { kind: 'model', values: models as string[] };
  if (haveKinds) return { kind: 'layer type', values: kinds as string[] };
  const C = table.numCores;
  const fair = table.systemBandwidth / C;
  const [light, medium, heavy] = ['light (W < B/2C)', 'medium', 'heavy (W > 2B/C)'] as const;
  const values = jobs.map((_, j) => {
    let w = 0;
    for (let c = 0; c < C; c++) w += table.bandwidth[j * C + c]!;
    w /= C;
    if (w < FAIR_SHARE_LOW * fair) return light;
    if (w > FAIR_SHARE_HIGH * fair) return heavy;
    return medium;
  });
  return { kind: 'bandwidth demand', values, order: [light, medium, heavy] };
}

function totalMacs(table: JobTable): number | undefined {
  const macs = table.details.macs;
  if (!macs) return undefined;
  // MACs do not depend on the core: read column 0.
  let s = 0;
  for (let j = 0; j < table.numJobs; j++) s += macs[j * table.numCores]!;
  return s;
}

function complete(id: string, table: JobTable, source: string, labels?: JobLabels): ResolvedProblem {
  const macs = totalMacs(table);
  return {
    id,
    table,
    lowerBound: lowerBound(table),
    source,
    labels: labels ?? defaultJobLabels(table),
    ...(macs === undefined ? {} : { totalMacs: macs }),
  };
}

/** Cheap validation before any cell runs: a typo must not surface hours into a sweep. */
export function checkProblem(ref: ProblemRef): void {
  switch (ref.kind) {
    case 'synth':
      return;
    case 'table':
      if (!existsSync(ref.path)) throw new InputError(`problem ${ref.id}: table file not found: ${ref.path}`);
      if (!statSync(ref.path).isFile())
        throw new InputError(`problem ${ref.id}: table path is not a file: ${ref.path}`);
      return;
    case 'workload':
      checkWorkloadProblem(ref);
      return;
  }
}

export function resolveProblem(ref: ProblemRef): ResolvedProblem {
  switch (ref.kind) {
    case 'synth': {
      const o = {
        jobs: ref.jobs,
        cores: ref.cores,
        bwRatio: ref.bwRatio,
        seed: ref.seed,
        ...(ref.heterogeneity === undefined ? {} : { heterogeneity: ref.heterogeneity }),
      };
      const h = ref.heterogeneity === undefined ? '' : `, heterogeneity=${ref.heterogeneity}`;
      return complete(
        ref.id,
        synthTable(o),
        `synth(jobs=${ref.jobs}, cores=${ref.cores}, bwRatio=${ref.bwRatio}, seed=${ref.seed}${h})`,
      );
    }
    case 'table': {
      const base = tableFromJson(readJsonFile(ref.path, `job table of problem ${ref.id}`));
      const table = ref.bw === undefined ? base : withSystemBandwidth(base, ref.bw);
      return complete(ref.id, table, ref.bw === undefined ? ref.path : `${ref.path} at B=${ref.bw}`);
    }
    case 'workload': {
      const r = resolveWorkloadProblem(ref);
      return complete(ref.id, r.table, r.source, r.labels);
    }
  }
}

/** Problems resolved per process: cells of one problem share it (tables are read-only). */
const CACHE_SIZE = 16;
const cache = new Map<string, ResolvedProblem>();

export function resolveProblemCached(ref: ProblemRef): ResolvedProblem {
  const key = JSON.stringify(ref);
  const hit = cache.get(key);
  if (hit) return hit;
  const p = resolveProblem(ref);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, p);
  return p;
}
