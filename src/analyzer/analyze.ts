/**
 * The job analyzer: workload x platform -> job analysis table. Every (job, core) cell is
 * costed in-process by the cost model (cached per distinct layer and core configuration),
 * with per-cell details: MAESTRO's activity energy (nJ), true MACs, the cluster size used,
 * L2 and L1 bytes and PE utilisation.
 */
import { InputError, show } from '../core/errors.js';
import { type CoreInfo, type JobInfo, type JobTable, makeTable } from '../core/table.js';
import { BUILTIN_DATAFLOWS } from '../costmodel/builtin-dataflows.js';
import { CLUSTER_SIZE_CONSTANT } from '../costmodel/dataflow-parser.js';
import { CostModel, type LayerCost } from '../costmodel/model.js';
import { type CoreSpec, DEFAULT_SG_BYTES, type Platform } from '../platform/platform.js';
import { describeLayer, type Job } from '../workload/layer.js';
import { chooseClusterSize } from './flexible.js';

/** Per-cell detail matrices the analyzer adds to the table. */
export const DETAIL_KEYS = ['energy', 'macs', 'clusterSize', 'l2', 'l1', 'utilization'] as const;

export interface AnalyzeOptions {
  /** System bandwidth (bytes/cycle); defaults to the platform's. */
  readonly systemBandwidth?: number;
  /** Treat every core as flexible. */
  readonly flexible?: boolean;
  /** Reproduce MAESTRO's quirks (ignored when `model` is given). */
  readonly maestroCompat?: boolean;
  /** A cost model to use (and whose cache to share). */
  readonly model?: CostModel;
}

/** A cost model with the platform's dataflows registered. */
export function modelForPlatform(platform: Platform, opts: { maestroCompat?: boolean } = {}): CostModel {
  const model = new CostModel({ maestroCompat: opts.maestroCompat ?? false });
  for (const [name, text] of Object.entries(platform.dataflows)) model.registerDataflow(name, text);
  return model;
}

function usesClusterSize(model: CostModel, style: string): boolean {
  return model
    .dataflow(style)
    .directives.some(
      (d) =>
        (d.kind === 'cluster' && d.size.kind === 'const' && d.size.name === CLUSTER_SIZE_CONSTANT) ||
        (d.kind === 'map' &&
          [d.size, d.offset].some((e) => e.kind === 'const' && e.name === CLUSTER_SIZE_CONSTANT)),
    );
}

export function analyzeJobs(jobs: readonly Job[], platform: Platform, opts: AnalyzeOptions = {}): JobTable {
  if (jobs.length === 0) throw new InputError('the workload has no jobs');
  const bw = opts.systemBandwidth ?? platform.systemBandwidth;
  if (bw === undefined)
    throw new InputError(`platform ${platform.name} sets no systemBandwidth: pass one (--bw)`);
  if (!(bw > 0) || !Number.isFinite(bw))
    throw new InputError(`system bandwidth must be a finite number > 0, got ${show(bw)}`);
  const model = opts.model ?? modelForPlatform(platform, { maestroCompat: opts.maestroCompat ?? false });
  const cores = platform.cores.map((c) => (opts.flexible ? { ...c, flexible: true } : c));
  for (const c of cores) model.dataflow(c.style); // unknown styles fail before any work
  const J = jobs.length;
  const C = cores.length;
  const latency = Array.from({ length: J }, () => new Array<number>(C));
  const bandwidth = Array.from({ length: J }, () => new Array<number>(C));
  const details: Record<string, number[][]> = {};
  for (const k of DETAIL_KEYS) details[k] = Array.from({ length: J }, () => new Array<number>(C));
  const usesCs = new Map<string, boolean>();
  // Cores with the same configuration share their cells: cost each configuration once per
  // distinct layer and copy the result to every such column.
  const configKey = (c: CoreSpec) =>
    `${c.style}|${c.pes}|${c.clusterSize}|${c.flexible}|${c.sgBytes ?? ''}|${c.slBytes ?? ''}`;
  const configs = [...new Set(cores.map(configKey))];
  const configOf = cores.map((c) => configs.indexOf(configKey(c)));
  const firstCore = configs.map((_, k) => configOf.indexOf(k));
  const cellCache = new Map<string, Cell>();
  const row = new Array<Cell>(configs.length);
  for (let j = 0; j < J; j++) {
    const job = jobs[j]!;
    const layerKey = describeLayer(job.layer);
    for (let k = 0; k < configs.length; k++) {
      const c = firstCore[k]!;
      const core = cores[c]!;
      const key = `${layerKey}|${configs[k]}`;
      let cell = cellCache.get(key);
      if (!cell) {
        try {
          cell = core.flexible ? flexibleCell(model, job, core, usesCs) : fixedCell(model, job, core);
        } catch (e) {
          if (e instanceof InputError)
            throw new InputError(
              `job ${j} (${job.name}: ${layerKey}) on core ${c} (${core.name}): ${e.message}`,
            );
          throw e;
        }
        cellCache.set(key, cell);
      }
      row[k] = cell;
    }
    for (let c = 0; c < C; c++) {
      const { cost, clusterSize } = row[configOf[c]!]!;
      latency[j]![c] = cost.runtime;
      bandwidth[j]![c] = cost.bandwidth;
      details.energy![j]![c] = cost.energy;
      details.macs![j]![c] = cost.macs;
      details.clusterSize![j]![c] = clusterSize;
      details.l2![j]![c] = cost.l2Bytes;
      details.l1![j]![c] = cost.l1Bytes;
      details.utilization![j]![c] = cost.utilization;
    }
  }
  const coreInfo: CoreInfo[] = cores.map((c) => ({
    name: c.name,
    style: c.style,
    pes: c.pes,
    clusterSize: c.clusterSize,
    flexible: c.flexible,
    ...(c.sgBytes !== undefined ? { sgBytes: c.sgBytes } : {}),
    ...(c.slBytes !== undefined ? { slBytes: c.slBytes } : {}),
  }));
  const jobInfo: JobInfo[] = jobs.map((job) => ({
    name: job.name,
    layer: describeLayer(job.layer),
    ...(job.model !== undefined ? { model: job.model } : {}),
  }));
  return makeTable({ systemBandwidth: bw, latency, bandwidth, cores: coreInfo, jobs: jobInfo, details });
}

interface Cell {
  readonly cost: LayerCost;
  readonly clusterSize: number;
}

function fixedCell(model: CostModel, job: Job, core: CoreSpec): Cell {
  const cost = model.analyze(job.layer, {
    dataflow: core.style,
    pes: core.pes,
    clusterSize: core.clusterSize,
  });
  if (core.sgBytes !== undefined && cost.l2Bytes > core.sgBytes) {
    throw new InputError(`needs ${cost.l2Bytes} bytes of L2, more than the core's sgBytes ${core.sgBytes}`);
  }
  if (core.slBytes !== undefined && cost.l1Bytes > core.slBytes) {
    throw new InputError(`needs ${cost.l1Bytes} bytes of L1, more than the core's slBytes ${core.slBytes}`);
  }
  return { cost, clusterSize: core.clusterSize };
}

function flexibleCell(model: CostModel, job: Job, core: CoreSpec, usesCs: Map<string, boolean>): Cell {
  let uses = usesCs.get(core.style);
  if (uses === undefined) {
    uses = core.style in BUILTIN_DATAFLOWS || usesClusterSize(model, core.style);
    usesCs.set(core.style, uses);
  }
  const choice = chooseClusterSize(model, job.layer, core, core.sgBytes ?? DEFAULT_SG_BYTES, uses);
  return { cost: choice.cost, clusterSize: choice.clusterSize };
}
