/** The job analysis table ({@link JobTable}), in memory and as JSON. */
import { z } from 'zod';
import { InputError, show } from './errors.js';

/** What a table knows about a core (the analyzer adds style, PEs, cluster size ...). */
export interface CoreInfo {
  name: string;
  style?: string;
  pes?: number;
  [key: string]: unknown;
}

/** What a table knows about a job (the analyzer adds its layer and network). */
export interface JobInfo {
  name: string;
  [key: string]: unknown;
}

/**
 * The job analysis table: for every (job j, core c) the no-stall latency L[j][c] (cycles)
 * and no-stall bandwidth W[j][c] (bytes per cycle), plus the system bandwidth B shared by
 * all cores. Computed once per (group, platform); every evaluation reads only this.
 *
 * In memory the matrices are row-major Float64Arrays (index j x numCores + c) so the
 * evaluator's hot loop touches contiguous typed memory. Build one with {@link makeTable},
 * {@link tableFromJson}, {@link synthTable} or {@link analyzeJobs}.
 */
export interface JobTable {
  readonly numJobs: number;
  readonly numCores: number;
  /** Shared off-chip bandwidth, bytes per cycle. */
  readonly systemBandwidth: number;
  /** No-stall latency, cycles; row-major [job][core]. */
  readonly latency: Float64Array;
  /** No-stall bandwidth, bytes per cycle; row-major [job][core]. */
  readonly bandwidth: Float64Array;
  readonly cores: readonly CoreInfo[];
  readonly jobs: readonly JobInfo[];
  /** Optional per-cell extras (energy, MACs, chosen cluster size ...), row-major [job][core]. */
  readonly details: Readonly<Record<string, Float64Array>>;
}

/** Index of cell (job, core) in the row-major matrices. */
export function cell(table: Pick<JobTable, 'numCores'>, job: number, core: number): number {
  return job * table.numCores + core;
}

const matrix = z.array(z.array(z.number()));

/** Runtime schema of the JSON file format; the TypeScript type follows from it. */
export const JobTableFileSchema = z
  .object({
    systemBandwidth: z.number(),
    latency: matrix,
    bandwidth: matrix,
    cores: z
      .array(z.looseObject({ name: z.string(), style: z.string().optional(), pes: z.number().optional() }))
      .optional(),
    jobs: z.array(z.looseObject({ name: z.string() })).optional(),
    details: z.record(z.string(), matrix).optional(),
  })
  .loose();

export type JobTableFile = z.infer<typeof JobTableFileSchema>;

/** The input of {@link makeTable}: matrices as nested arrays [job][core]. */
export interface JobTableInput {
  systemBandwidth: number;
  latency: ArrayLike<ArrayLike<number>>;
  bandwidth: ArrayLike<ArrayLike<number>>;
  cores?: readonly CoreInfo[];
  jobs?: readonly JobInfo[];
  details?: Record<string, ArrayLike<ArrayLike<number>>>;
}

/**
 * Limits of a job table. Every latency (cycles), every non-zero bandwidth and the system
 * bandwidth (bytes per cycle) lie within [VALUE_MIN, VALUE_MAX]: with at most MAX_JOBS jobs
 * and MAX_CORES cores, every sum, product and ratio the evaluator, the lower bound, the
 * environments and the reports form from them (L x W, C x W / B, a makespan of every job
 * slowed by contention, makespan / bound ...) then stays a finite, normal double. Outside
 * the range they overflow to infinity or underflow to zero (a denormal system bandwidth
 * makes every share zero). Checked once, when a table is built, never per evaluation.
 */
export const TABLE_LIMITS = {
  VALUE_MIN: 1e-60,
  VALUE_MAX: 1e60,
  /**
   * Largest latency / smallest latency. The evaluator adds a job's latency to the progress of
   * the one before it; across a wider spread a short job's latency would be lost in the sum
   * (rounded to nothing, however long the job really lasts when bandwidth is scarce). At 1e12
   * a latency keeps at least 1e-4 of relative precision there; real tables span below 1e8.
   */
  MAX_LATENCY_SPREAD: 1e12,
  MAX_JOBS: 1_000_000,
  MAX_CORES: 4096,
  /** Jobs x cores: 160 MB of latency and bandwidth matrices. */
  MAX_CELLS: 10_000_000,
} as const;

function inRange(v: number): boolean {
  return v >= TABLE_LIMITS.VALUE_MIN && v <= TABLE_LIMITS.VALUE_MAX;
}

const RANGE_TEXT = `[${TABLE_LIMITS.VALUE_MIN}, ${TABLE_LIMITS.VALUE_MAX}]`;

/** Throws unless `B` is a usable system bandwidth (finite, within the table limits). */
export function checkSystemBandwidth(B: unknown, what = 'systemBandwidth'): asserts B is number {
  if (typeof B !== 'number' || !Number.isFinite(B) || !(B > 0))
    throw new InputError(`${what} must be a finite number > 0 bytes/cycle, got ${show(B)}`);
  if (!inRange(B))
    throw new InputError(
      `${what} = ${B} bytes/cycle is outside ${RANGE_TEXT}: the bandwidth shares and durations computed from it would ${B < 1 ? 'underflow' : 'overflow'}`,
    );
}

/** Throws unless a table of J jobs and C cores is within the size limits. */
export function checkTableSize(J: number, C: number): void {
  const { MAX_JOBS, MAX_CORES, MAX_CELLS } = TABLE_LIMITS;
  if (J > MAX_JOBS) throw new InputError(`a job table holds at most ${MAX_JOBS} jobs, got ${J}`);
  if (C > MAX_CORES) throw new InputError(`a job table holds at most ${MAX_CORES} cores, got ${C}`);
  if (J * C > MAX_CELLS)
    throw new InputError(
      `a job table holds at most ${MAX_CELLS} cells (jobs x cores), got ${J} x ${C} = ${J * C}`,
    );
}

/** Throws unless the latencies of a table span at most MAX_LATENCY_SPREAD (names the two cells). */
export function checkLatencySpread(
  latency: Float64Array,
  C: number,
  names: { jobs?: readonly JobInfo[]; cores?: readonly CoreInfo[] } = {},
): void {
  let lo = 0;
  let hi = 0;
  for (let i = 1; i < latency.length; i++) {
    if (latency[i]! < latency[lo]!) lo = i;
    if (latency[i]! > latency[hi]!) hi = i;
  }
  const spread = latency[hi]! / latency[lo]!;
  if (spread > TABLE_LIMITS.MAX_LATENCY_SPREAD) {
    const at = (i: number) =>
      `${cellName(Math.floor(i / C), i % C, names.jobs, names.cores)}: ${latency[i]} cycles`;
    throw new InputError(
      `latencies span a factor ${spread.toPrecision(3)} (${at(lo)}; ${at(hi)}), more than the ${TABLE_LIMITS.MAX_LATENCY_SPREAD} within which the evaluator's sums keep short jobs exact`,
    );
  }
}

/** `job 3 ("conv1"), core 1 ("c1-dla")` when the names are known. */
function cellName(j: number, c: number, jobs?: readonly JobInfo[], cores?: readonly CoreInfo[]): string {
  const jn = jobs?.[j]?.name;
  const cn = cores?.[c]?.name;
  return `job ${j}${jn ? ` (${JSON.stringify(jn)})` : ''}, core ${c}${cn ? ` (${JSON.stringify(cn)})` : ''}`;
}

function flatten(
  name: string,
  rows: ArrayLike<ArrayLike<number>>,
  J: number,
  C: number,
  kind: 'latency' | 'bandwidth' | 'detail',
  names: { jobs?: readonly JobInfo[]; cores?: readonly CoreInfo[] } = {},
): Float64Array {
  if (rows.length !== J) throw new InputError(`${name} has ${rows.length} rows, expected ${J} (one per job)`);
  const out = new Float64Array(J * C);
  const at = (j: number, c: number) => `${name}[${j}][${c}] (${cellName(j, c, names.jobs, names.cores)})`;
  for (let j = 0; j < J; j++) {
    const row = rows[j];
    if (!row || row.length !== C) {
      throw new InputError(`${name}[${j}] has ${row ? row.length : 0} entries, expected ${C} (one per core)`);
    }
    for (let c = 0; c < C; c++) {
      const v = row[c];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new InputError(`${at(j, c)} must be a finite number, got ${show(v)}`);
      }
      if (kind === 'latency' && !(v > 0)) {
        throw new InputError(`${at(j, c)} must be > 0 cycles, got ${v}`);
      }
      if (kind === 'bandwidth' && v < 0) {
        throw new InputError(`${at(j, c)} must be >= 0 bytes/cycle, got ${v}`);
      }
      if ((kind === 'latency' || (kind === 'bandwidth' && v > 0)) && !inRange(v)) {
        const unit = kind === 'latency' ? 'cycles' : 'bytes/cycle';
        throw new InputError(
          `${at(j, c)} = ${v} ${unit} is outside ${RANGE_TEXT}${kind === 'bandwidth' ? ' (or 0)' : ''}: the evaluator's products and sums would ${v < 1 ? 'underflow' : 'overflow'}`,
        );
      }
      out[j * C + c] = v;
    }
  }
  return out;
}

/** Builds a validated table; throws InputError naming the job/core and the bad value. */
export function makeTable(input: JobTableInput): JobTable {
  const J = input.latency.length;
  if (J < 1) throw new InputError('latency must have at least one job row');
  const C = input.latency[0]?.length ?? 0;
  if (C < 1) throw new InputError('latency[0] must have at least one core column');
  checkTableSize(J, C);
  const B = input.systemBandwidth;
  checkSystemBandwidth(B);
  const cores = input.cores ? [...input.cores] : Array.from({ length: C }, (_, c) => ({ name: `core${c}` }));
  if (cores.length !== C)
    throw new InputError(`cores lists ${cores.length} cores, but the matrices have ${C} columns`);
  const jobs = input.jobs ? [...input.jobs] : Array.from({ length: J }, (_, j) => ({ name: `job${j}` }));
  if (jobs.length !== J)
    throw new InputError(`jobs lists ${jobs.length} jobs, but the matrices have ${J} rows`);
  const names = input.jobs || input.cores ? { jobs: input.jobs, cores: input.cores } : {};
  const latency = flatten('latency', input.latency, J, C, 'latency', names);
  checkLatencySpread(latency, C, names);
  const bandwidth = flatten('bandwidth', input.bandwidth, J, C, 'bandwidth', names);
  const details: Record<string, Float64Array> = {};
  for (const [key, rows] of Object.entries(input.details ?? {})) {
    details[key] = flatten(`details.${key}`, rows, J, C, 'detail', names);
  }
  return { numJobs: J, numCores: C, systemBandwidth: B, latency, bandwidth, cores, jobs, details };
}

/** Parses the JSON file format (already `JSON.parse`d). */
export function tableFromJson(data: unknown): JobTable {
  const parsed = JobTableFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new InputError(`job table: ${where}: ${issue.message}`);
  }
  return makeTable(parsed.data as JobTableInput);
}

function rowsOf(m: Float64Array, J: number, C: number): number[][] {
  return Array.from({ length: J }, (_, j) => Array.from(m.subarray(j * C, (j + 1) * C)));
}

export function tableToJson(t: JobTable): JobTableFile {
  const out: JobTableFile = {
    systemBandwidth: t.systemBandwidth,
    latency: rowsOf(t.latency, t.numJobs, t.numCores),
    bandwidth: rowsOf(t.bandwidth, t.numJobs, t.numCores),
    cores: t.cores.map((c) => ({ ...c })),
    jobs: t.jobs.map((j) => ({ ...j })),
  };
  const keys = Object.keys(t.details);
  if (keys.length)
    out.details = Object.fromEntries(keys.map((k) => [k, rowsOf(t.details[k]!, t.numJobs, t.numCores)]));
  return out;
}

/** The same table with another system bandwidth (a bandwidth sweep reuses the analysis). */
export function withSystemBandwidth(t: JobTable, systemBandwidth: number): JobTable {
  checkSystemBandwidth(systemBandwidth);
  return { ...t, systemBandwidth };
}

/** A new table holding jobs `order[0], order[1], ...` of `t` (for permutation tests, subsets). */
export function selectJobs(t: JobTable, order: ArrayLike<number>): JobTable {
  const C = t.numCores;
  const pick = (m: Float64Array) => {
    const out = new Float64Array(order.length * C);
    for (let i = 0; i < order.length; i++) out.set(m.subarray(order[i]! * C, order[i]! * C + C), i * C);
    return out;
  };
  const details: Record<string, Float64Array> = {};
  for (const [k, m] of Object.entries(t.details)) details[k] = pick(m);
  return {
    ...t,
    numJobs: order.length,
    latency: pick(t.latency),
    bandwidth: pick(t.bandwidth),
    jobs: Array.from(order, (j) => t.jobs[j]!),
    details,
  };
}
