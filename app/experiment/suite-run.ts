/**
 * What a suite run records beside its results (`bench.json` in the run folder): the suite and
 * the checksum of its definition, the m3e and Node versions, the hardware, the workers, the
 * wall time (summed over resumed invocations), the cells and the evaluations, and the map from
 * the experiment's problem ids to the suite's stable ids. Leaderboards read it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { arch, cpus, platform, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { InputError } from '../../src/core/errors.js';
import { writeFileAtomic } from '../../src/io/files.js';
import type { ResultLine } from '../../src/report/results.js';
import { experimentIds, type Suite } from './suite.js';

export const BENCH_RUN_FILE = 'bench.json';
const FORMAT = 'm3e-bench-run/1';

export const BenchRunSchema = z.strictObject({
  format: z.literal(FORMAT),
  suite: z.string(),
  /** SHA-256 of the suite definition (problems with checksums, budget, seeds). */
  suiteSha256: z.string(),
  m3e: z.string(),
  node: z.string(),
  hardware: z.strictObject({
    cpu: z.string(),
    cores: z.number().int(),
    memoryGiB: z.number(),
    platform: z.string(),
    arch: z.string(),
  }),
  workers: z.number().int(),
  wallSeconds: z.number(),
  cells: z.number().int(),
  okCells: z.number().int(),
  evaluations: z.number().int(),
  /** Experiment problem id -> stable suite id. */
  ids: z.record(z.string(), z.string()),
  finished: z.string(),
});

export type BenchRun = z.infer<typeof BenchRunSchema>;

/** The suite definition's checksum: two runs compare only if theirs are equal. */
export function suiteChecksum(s: Suite): string {
  const { description: _d, mappers: _m, baseline: _b, ...frozen } = s;
  return createHash('sha256').update(JSON.stringify(frozen)).digest('hex');
}

/** m3e's version, from the package.json above this module (source or dist). */
export function m3eVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'm3e' && pkg.version) return pkg.version;
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

export function hardware(): BenchRun['hardware'] {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: platform(),
    arch: arch(),
  };
}

export function readBenchRun(dir: string): BenchRun | null {
  const path = join(dir, BENCH_RUN_FILE);
  if (!existsSync(path)) return null;
  const r = BenchRunSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!r.success)
    throw new InputError(`${path}: not an m3e suite run record (${r.error.issues[0]!.message})`);
  return r.data;
}

/** Writes bench.json after a run; `seconds` is this invocation's wall time (added to earlier ones). */
export function writeBenchRun(
  dir: string,
  suite: Suite,
  results: ReadonlyMap<string, ResultLine>,
  options: { workers: number; seconds: number; cells: number },
): BenchRun {
  const before = readBenchRun(dir);
  const ok = [...results.values()].filter((l) => l.status === 'ok');
  const run: BenchRun = {
    format: FORMAT,
    suite: suite.suite,
    suiteSha256: suiteChecksum(suite),
    m3e: m3eVersion(),
    node: process.version,
    hardware: hardware(),
    workers: options.workers,
    wallSeconds: (before?.wallSeconds ?? 0) + options.seconds,
    cells: options.cells,
    okCells: ok.length,
    evaluations: ok.reduce((s, l) => s + (l.status === 'ok' ? l.evaluations : 0), 0),
    ids: Object.fromEntries([...experimentIds(suite)].map(([suiteId, id]) => [id, suiteId])),
    finished: new Date().toISOString(),
  };
  writeFileAtomic(join(dir, BENCH_RUN_FILE), `${JSON.stringify(run, null, 1)}\n`);
  return run;
}
