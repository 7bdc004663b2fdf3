/**
 * The evaluator against an earlier version of itself, in one process: the speed ratio
 * (earlier time / current time, > 1 = faster now) per problem size, the median of
 * interleaved blocks of CPU time on the same random encodings, and a check that both give
 * the same makespans. The earlier version is a compiled module path, e.g.
 *
 *   git show main:src/core/evaluator.ts > src/core/evaluator-base.ts   # not committed
 *   npm run build && node dist/bench/evaluator-ratio.js dist/src/core/evaluator-base.js
 *   rm src/core/evaluator-base.ts dist/src/core/evaluator-base.*
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeEncoding } from '../src/core/encoding.js';
import { Evaluator } from '../src/core/evaluator.js';
import { Rng } from '../src/core/rng.js';
import { synthTable } from '../src/core/synth.js';
import type { JobTable } from '../src/core/table.js';
import { randomizeEncoding } from '../src/optim/optimizer.js';
import { median } from './evaluator.js';

interface Makespanner {
  makespan(core: Int32Array, priority: Float64Array): number;
}

const SIZES: readonly [number, number][] = [
  [100, 4],
  [100, 8],
  [100, 16],
  [500, 4],
  [2000, 4],
];
const BLOCKS = 15;
const BLOCK_MS = 150;
const POOL = 64;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Evaluations per CPU-millisecond of `ev` in one block of about `ms`. */
function block(ev: Makespanner, encs: { core: Int32Array; priority: Float64Array }[], ms: number): number {
  let n = 0;
  let sink = 0;
  const t0 = cpuMs();
  let t = t0;
  while (t - t0 < ms) {
    for (let i = 0; i < 64; i++, n++) {
      const e = encs[n % POOL]!;
      sink += ev.makespan(e.core, e.priority);
    }
    t = cpuMs();
  }
  if (sink < 0) console.log(sink);
  return n / (t - t0);
}

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path) throw new Error('usage: node dist/bench/evaluator-ratio.js <compiled earlier evaluator.js>');
  const base = (await import(pathToFileURL(resolve(path)).href)) as {
    Evaluator: new (t: JobTable) => Makespanner;
  };
  const rows: Record<string, unknown>[] = [];
  for (const [J, C] of SIZES) {
    const table = synthTable({ jobs: J, cores: C, bwRatio: 1, seed: 7 });
    const now = new Evaluator(table);
    const before = new base.Evaluator(table);
    const rng = new Rng(1);
    const encs = Array.from({ length: POOL }, () => {
      const e = makeEncoding(J);
      randomizeEncoding(e, C, rng);
      return e;
    });
    for (const e of encs)
      if (!Object.is(now.makespan(e.core, e.priority), before.makespan(e.core, e.priority)))
        throw new Error(`J${J} C${C}: the two versions disagree`);
    // Warm-up of both, then alternating blocks (the order flips every block).
    block(now, encs, 300);
    block(before, encs, 300);
    const ratios: number[] = [];
    const rateNow: number[] = [];
    for (let b = 0; b < BLOCKS; b++) {
      const first = b % 2 === 0;
      const a = first ? block(now, encs, BLOCK_MS) : 0;
      const r = block(before, encs, BLOCK_MS);
      const n = first ? a : block(now, encs, BLOCK_MS);
      ratios.push(n / r);
      rateNow.push(n);
    }
    const row = {
      size: `${J}x${C}`,
      ratio: +median(ratios).toFixed(4),
      evaluationsPerCpuSecond: Math.round(median(rateNow) * 1000),
    };
    rows.push(row);
    process.stderr.write(`${JSON.stringify(row)}\n`);
  }
  console.log(JSON.stringify({ blocks: BLOCKS, blockMs: BLOCK_MS, rows }, null, 1));
}

await main();
