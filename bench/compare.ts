/**
 * The experiment runner's parallel speed-up and determinism: runs a spec with 1
 * and then 2 worker threads back to back, `reps` times, and reports the median wall times
 * and their ratio; then checks that the pool's results equal an inline run's (timings aside).
 * The machine may be shared: each pair runs back to back so both see the same load, and
 * every figure is reported next to its median.
 * Run: npm run build && node dist/bench/compare.js [spec=quick] [reps=3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExperiment } from '../app/experiment/runner.js';
import { loadSpec } from '../app/experiment/spec.js';
import { readJsonFile } from '../src/io/files.js';
import { loadRunResults, type ResultLine } from '../src/report/results.js';
import { median } from './evaluator.js';

/** The results with their timings (cell seconds, agents' training seconds) left out. */
function withoutSeconds(results: Map<string, ResultLine>): string {
  return JSON.stringify(
    [...results.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, { seconds: _s, ...rest }]) =>
        rest.status === 'ok' && rest.agent ? { ...rest, agent: { ...rest.agent, trainSeconds: 0 } } : rest,
      ),
  );
}

export async function runCompareBench(specName = 'quick', reps = 3): Promise<Record<string, unknown>> {
  const spec = loadSpec(specName, (p) => readJsonFile(p, 'experiment spec'));
  const timed = async (workers: number) => {
    const dir = mkdtempSync(join(tmpdir(), 'm3e-bench-compare-'));
    const t0 = performance.now();
    const s = await runExperiment(spec, {
      outDir: dir,
      workers,
      resume: false,
    });
    const seconds = (performance.now() - t0) / 1000;
    if (s.failed) throw new Error(`${s.failed} cells failed with ${workers} workers`);
    const results = loadRunResults(dir);
    rmSync(dir, { recursive: true, force: true });
    return { seconds, results };
  };
  const one: number[] = [];
  const two: number[] = [];
  const fingerprints = new Set<string>();
  for (let r = 0; r < reps; r++) {
    const a = await timed(1);
    const b = await timed(2);
    one.push(a.seconds);
    two.push(b.seconds);
    fingerprints.add(withoutSeconds(a.results));
    fingerprints.add(withoutSeconds(b.results));
    process.stderr.write(
      `rep ${r + 1}: 1 worker ${a.seconds.toFixed(1)} s, 2 workers ${b.seconds.toFixed(1)} s\n`,
    );
  }
  const inline = await timed(0);
  fingerprints.add(withoutSeconds(inline.results));
  const round = (xs: number[]) => xs.map((x) => +x.toFixed(2));
  return {
    spec: specName,
    cells: inline.results.size,
    secondsOneWorker: round(one),
    secondsTwoWorkers: round(two),
    secondsInline: +inline.seconds.toFixed(2),
    medianOneWorker: +median(one).toFixed(2),
    medianTwoWorkers: +median(two).toFixed(2),
    speedupOfMedians: +(median(one) / median(two)).toFixed(3),
    speedupPerPair: one.map((t, i) => +(t / two[i]!).toFixed(3)),
    // Every run (1 worker, 2 workers, inline) gave the same lines, timings aside.
    identicalResults: fingerprints.size === 1,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = await runCompareBench(process.argv[2] ?? 'quick', Number(process.argv[3] ?? 3));
  console.log(JSON.stringify(out, null, 1));
}
