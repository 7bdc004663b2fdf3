/**
 * Evaluator throughput: evaluations per second of `Evaluator.makespan` on random
 * encodings, for J in {100, 500, 2000} and C in {4, 8, 16}. Median of repeated timed
 * blocks. Run: npm run build && node dist/bench/evaluator.js
 */
import { makeEncoding } from '../src/core/encoding.js';
import { Evaluator } from '../src/core/evaluator.js';
import { Rng } from '../src/core/rng.js';
import { synthTable } from '../src/core/synth.js';
import { randomizeEncoding } from '../src/optim/optimizer.js';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Evaluations per second (median over `reps` blocks of ~`blockMs` each). */
export function evaluatorThroughput(jobs: number, cores: number, reps = 7, blockMs = 150): number {
  const table = synthTable({ jobs, cores, bwRatio: 1, seed: 7 });
  const ev = new Evaluator(table);
  const rng = new Rng(1);
  const POOL = 64;
  const encs = Array.from({ length: POOL }, () => {
    const e = makeEncoding(jobs);
    randomizeEncoding(e, cores, rng);
    return e;
  });
  let sink = 0;
  // Warm-up so the JIT has compiled the hot loop.
  for (let i = 0; i < 2000; i++) sink += ev.makespan(encs[i % POOL]!.core, encs[i % POOL]!.priority);
  const rates: number[] = [];
  for (let r = 0; r < reps; r++) {
    let n = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < blockMs) {
      for (let i = 0; i < 64; i++, n++) sink += ev.makespan(encs[n % POOL]!.core, encs[n % POOL]!.priority);
      t = performance.now();
    }
    rates.push((n * 1000) / (t - t0));
  }
  if (sink < 0) console.log(sink);
  return median(rates);
}

export function runEvaluatorBench(): Record<string, unknown> {
  const out: Record<string, number> = {};
  for (const J of [100, 500, 2000])
    for (const C of [4, 8, 16]) out[`J${J}_C${C}`] = Math.round(evaluatorThroughput(J, C));
  return { evaluationsPerSecond: out };
}

if (import.meta.url === `file://${process.argv[1]}`)
  console.log(JSON.stringify(runEvaluatorBench(), null, 1));
