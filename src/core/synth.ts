/**
 * Deterministic synthetic job tables for tests, benchmarks and quick experiments.
 *
 * Jobs have lognormal sizes (work, cycles at unit speed) and lognormal memory intensity
 * (bytes per cycle at unit speed); cores have speed factors; a faster core needs
 * proportionally more bandwidth. A mild per-(job, core) affinity makes the best core differ
 * between jobs, as dataflow styles do, and cores differ in data reuse, so the bytes a job
 * moves depend on its core. System bandwidth = bwRatio x C x mean bandwidth.
 */
import { InputError } from './errors.js';
import { Rng } from './rng.js';
import { checkLatencySpread, checkSystemBandwidth, checkTableSize, type JobTable } from './table.js';

export interface SynthOptions {
  readonly jobs: number;
  readonly cores: number;
  /** System bandwidth as a multiple of C x the mean no-stall bandwidth (0.25 scarce, 4 plentiful). */
  readonly bwRatio: number;
  readonly seed: number;
  /** Spread of core speeds: speed_c in [1/(1+h), 1+h]; 0 = homogeneous. Default 0.5. */
  readonly heterogeneity?: number;
}

/** Median job length in cycles at unit speed. */
const MEDIAN_WORK = 10_000;
/** Median bytes per cycle at unit speed. */
const MEDIAN_INTENSITY = 1;
/** Lognormal sigmas of job work, intensity and job-core affinity. */
const SIGMA_WORK = 1.0;
const SIGMA_INTENSITY = 1.0;
const SIGMA_AFFINITY = 0.25;
/** Lognormal sigmas of a core's data reuse (its dataflow) and of per-cell traffic noise:
 * the bytes a job moves depend on where it runs, as with real dataflow styles. */
const SIGMA_CORE_REUSE = 0.5;
const SIGMA_TRAFFIC = 0.25;

/**
 * Largest core speed spread: speeds, and with them latencies and bandwidths, stay within a
 * factor 1e3 of the medians, inside the table limits.
 */
export const MAX_HETEROGENEITY = 1e3;

/** The problem used when none is given: 100 jobs, 4 cores, medium bandwidth. */
export const DEFAULT_SYNTH: SynthOptions = { jobs: 100, cores: 4, bwRatio: 1, seed: 0 };

export function synthTable(o: SynthOptions): JobTable {
  if (!Number.isInteger(o.jobs) || o.jobs < 1)
    throw new InputError(`jobs must be a positive integer, got ${o.jobs}`);
  if (!Number.isInteger(o.cores) || o.cores < 1)
    throw new InputError(`cores must be a positive integer, got ${o.cores}`);
  if (!(o.bwRatio > 0) || !Number.isFinite(o.bwRatio))
    throw new InputError(`bwRatio must be > 0, got ${o.bwRatio}`);
  const h = o.heterogeneity ?? 0.5;
  if (!(h >= 0) || !Number.isFinite(h)) throw new InputError(`heterogeneity must be >= 0, got ${h}`);
  if (h > MAX_HETEROGENEITY)
    throw new InputError(
      `heterogeneity must be <= ${MAX_HETEROGENEITY} (speeds in [1/(1+h), 1+h]), got ${h}`,
    );
  checkTableSize(o.jobs, o.cores);
  const rng = new Rng(o.seed);
  const J = o.jobs;
  const C = o.cores;
  const speed = new Float64Array(C);
  const reuse = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    speed[c] = Math.exp(Math.log(1 + h) * (2 * rng.float() - 1));
    reuse[c] = h > 0 ? Math.exp(SIGMA_CORE_REUSE * rng.normal()) : 1;
  }
  const latency = new Float64Array(J * C);
  const bandwidth = new Float64Array(J * C);
  let sumW = 0;
  for (let j = 0; j < J; j++) {
    const work = MEDIAN_WORK * Math.exp(SIGMA_WORK * rng.normal());
    const intensity = MEDIAN_INTENSITY * Math.exp(SIGMA_INTENSITY * rng.normal());
    for (let c = 0; c < C; c++) {
      const s = speed[c]! * Math.exp(SIGMA_AFFINITY * rng.normal());
      latency[j * C + c] = Math.max(1, Math.round(work / s));
      const w = intensity * s * reuse[c]! * Math.exp(SIGMA_TRAFFIC * rng.normal());
      bandwidth[j * C + c] = w;
      sumW += w;
    }
  }
  const systemBandwidth = (o.bwRatio * C * sumW) / (J * C);
  checkSystemBandwidth(systemBandwidth, `the system bandwidth of bwRatio ${o.bwRatio}`);
  checkLatencySpread(latency, C);
  return {
    numJobs: J,
    numCores: C,
    systemBandwidth,
    latency,
    bandwidth,
    cores: Array.from({ length: C }, (_, c) => ({ name: `core${c}`, speed: speed[c] })),
    jobs: Array.from({ length: J }, (_, j) => ({ name: `job${j}` })),
    details: {},
  };
}
