/**
 * From a planned problem (an expanded spec entry) to a job table with what the reports
 * need: the lower bound, metadata, and a per-job category for chart colours. The table
 * itself comes from the one problem resolver (models/problem.ts).
 */
import {
  checkProblem as checkProblemRef,
  resolveProblem as resolveProblemRef,
} from '../../models/problem.js';
import { lowerBound } from '../../src/core/bounds.js';
import type { JobTable } from '../../src/core/table.js';
import { PALETTE } from '../../src/report/charts/svg.js';
import type { PlannedProblem } from './spec.js';

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
export function checkProblem(p: PlannedProblem): void {
  checkProblemRef(p.ref, { where: `problem ${p.id}` });
}

export function resolveProblem(p: PlannedProblem): ResolvedProblem {
  const r = resolveProblemRef(p.ref, { where: `problem ${p.id}` });
  return complete(p.id, r.table, r.source, r.labels);
}

/** Problems resolved per process: cells of one problem share it (tables are read-only). */
const CACHE_SIZE = 16;
const cache = new Map<string, ResolvedProblem>();

export function resolveProblemCached(p: PlannedProblem): ResolvedProblem {
  const key = JSON.stringify(p);
  const hit = cache.get(key);
  if (hit) return hit;
  const r = resolveProblem(p);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, r);
  return r;
}
