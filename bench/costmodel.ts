/**
 * Cost-model benchmark: how fast the in-process model fills a job analysis table, against
 * the time MAESTRO's binary would need (one process per cell, as the MAGMA release spawns).
 *
 * Run after `npm run build`: `node dist/bench/costmodel.js` (prints JSON). The table is the
 * authors' 100-job Mix group (models/data/magma/mix/insts0.csv) on platform S6 (16 cores),
 * built from a cold cache in every repetition; figures are medians of the repetitions after a
 * few untimed ones (`firstRunMs`: the first table of the process, JIT compilation included).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeJobs, modelForPlatform } from '../src/analyzer/analyze.js';
import { candidateClusterSizes } from '../src/analyzer/flexible.js';
import { presetPlatform } from '../src/platform/presets.js';
import { describeLayer, toConvDims } from '../src/workload/layer.js';
import { parseMagmaCsv } from '../src/workload/magma-csv.js';

/** MAESTRO per call incl. process start, per the MAGMA release (ms): low and high estimate. */
const MAESTRO_MS_PER_CALL = [2, 10] as const;
const REPETITIONS = 9;
/** Untimed runs first, so the figures are for a warmed-up process (a search analyses many tables). */
const WARMUP = 5;
/** Target: a whole 100-job x 16-core table, flexible included, within this time. */
const TARGET_MS = 50;

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the benchmark');
    dir = up;
  }
  return dir;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function run(): Promise<object> {
  const text = readFileSync(join(packageRoot(), 'models/data/magma/mix/insts0.csv'), 'utf8');
  const jobs = parseMagmaCsv(text, 'mix/insts0.csv');
  const platform = presetPlatform('S6');
  const cells = jobs.length * platform.cores.length;
  /** Wall-clock and CPU milliseconds of one call (CPU time is steadier on a busy machine). */
  const measure = (fn: () => void) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    return { ms, cpuMs: (c.user + c.system) / 1000 };
  };
  const medians = (fn: () => void) => {
    for (let r = 0; r < WARMUP; r++) fn();
    const runs = Array.from({ length: REPETITIONS }, () => measure(fn));
    return { ms: median(runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.cpuMs)) };
  };
  // A fresh model (cold cache) for every table.
  const table = (flexible: boolean) => () => {
    analyzeJobs(jobs, platform, { systemBandwidth: 16, flexible, model: modelForPlatform(platform) });
  };
  // The very first tables of the process include compiling the model's code.
  const firstFixed = measure(table(false));
  const firstFlex = measure(table(true));
  const fixed = medians(table(false));
  const flex = medians(table(true));
  // Every cell costed from scratch by the engine (no sharing, no cache): MAESTRO's situation.
  const rawModel = modelForPlatform(platform);
  const uncached = medians(() => {
    for (const job of jobs) {
      const dims = toConvDims(job.layer);
      for (const core of platform.cores) {
        rawModel.engineResult(rawModel.dataflowFor(job.layer, core.style), dims, core.pes, core.clusterSize);
      }
    }
  });
  // Process spawns MAESTRO would need: one per cell; flexible: one per candidate cluster size.
  let flexCalls = 0;
  const distinct = new Set<string>();
  let distinctCandidates = 0;
  for (const job of jobs) {
    for (const core of platform.cores) {
      const n = candidateClusterSizes(job.layer, { ...core, flexible: true }, true).length;
      flexCalls += n;
      const key = `${describeLayer(job.layer)}|${core.style}|${core.pes}`;
      if (!distinct.has(key)) distinctCandidates += n;
      distinct.add(key);
    }
  }
  const maestro = (calls: number) => ({
    calls,
    lowMs: calls * MAESTRO_MS_PER_CALL[0],
    highMs: calls * MAESTRO_MS_PER_CALL[1],
  });
  return {
    benchmark: 'costmodel',
    workload: 'magma mix/insts0.csv (100 jobs)',
    platform: 'S6 (16 cores)',
    repetitions: REPETITIONS,
    cells,
    // Cores of equal configuration and repeated layers share one analysis.
    distinctAnalyses: distinct.size,
    distinctFlexibleCandidates: distinctCandidates,
    uncached: { ...uncached, cellsPerSecond: (cells / uncached.ms) * 1000 },
    fixed: {
      ...fixed,
      firstRunMs: firstFixed.ms,
      cellsPerSecond: (cells / fixed.ms) * 1000,
      maestroBinary: maestro(cells),
    },
    flexible: {
      ...flex,
      firstRunMs: firstFlex.ms,
      cellsPerSecond: (cells / flex.ms) * 1000,
      maestroBinary: maestro(flexCalls),
    },
    targetMs: TARGET_MS,
    meetsTarget: fixed.ms < TARGET_MS && flex.ms < TARGET_MS,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  run().then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`));
}
