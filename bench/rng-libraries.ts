/**
 * Should m3e's seeded generator and its statistics come from seedrandom and mathjs?
 *
 * 1. seedrandom behind the `Rng` interface: a subclass of `Rng` whose 32-bit integers and
 *    doubles come from seedrandom (its default ARC4 generator, and its fastest small
 *    generators xor128 and alea), against m3e's xoshiro128** `Rng`, on the hot path that
 *    uses randomness: a MAGMA search (evaluator included) of 100 jobs on 4 cores. Also the
 *    raw generators alone (10^7 doubles).
 * 2. mathjs on the statistics hot path: the IQM and median of every bootstrap resample
 *    (2000 resamples of 100 problems x 10 seeds), m3e's Float64Array versions against
 *    mathjs's `median` and `quantileSeq` + mean; and the cost of importing mathjs.
 *
 * Timings share one process; each figure is the median over interleaved blocks (A, B, A, B
 * ...) of the ratio of the two, so machine load drifts hit both sides alike.
 * Run: npm run build && node dist/bench/rng-libraries.js [--blocks 7]
 */
import { execFileSync } from 'node:child_process';
import seedrandom from 'seedrandom';
import { Rng } from '../src/core/rng.js';
import { synthTable } from '../src/core/synth.js';
import { createOptimizer } from '../src/optim/registry.js';
import { makespanObjective, runSearch } from '../src/optim/search.js';
import { iqmSorted, quantileSorted } from '../src/report/bootstrap.js';

/** An Rng whose bits come from a seedrandom generator (everything else inherited). */
class SeedrandomRng extends Rng {
  private readonly prng: seedrandom.PRNG;
  constructor(seed: number, algorithm: 'arc4' | 'xor128' | 'alea') {
    super(seed);
    const s = String(seed);
    this.prng =
      algorithm === 'arc4'
        ? seedrandom(s)
        : algorithm === 'xor128'
          ? seedrandom.xor128(s)
          : seedrandom.alea(s);
  }
  override uint32(): number {
    return this.prng.int32() >>> 0;
  }
  override float(): number {
    return this.prng.double();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : 0.5 * (s[n / 2 - 1]! + s[n / 2]!);
}

function time(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

/** Median over blocks of time(b) / time(a), interleaved, after one warm-up each. */
function ratio(a: () => void, b: () => void, blocks: number): { ratio: number; aMs: number; bMs: number } {
  a();
  b();
  const r: number[] = [];
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < blocks; i++) {
    const x = time(a);
    const y = time(b);
    ta.push(x);
    tb.push(y);
    r.push(y / x);
  }
  return { ratio: median(r), aMs: median(ta), bMs: median(tb) };
}

function magmaBlock(makeRng: (seed: number) => Rng): () => void {
  const table = synthTable({ jobs: 100, cores: 4, bwRatio: 1, seed: 1 });
  const objective = makespanObjective(table);
  return () => {
    for (let seed = 1; seed <= 3; seed++)
      runSearch(objective, createOptimizer('magma', table, makeRng(seed)), { budget: 10_500 });
  };
}

function rawBlock(make: () => Rng): () => void {
  return () => {
    const r = make();
    let s = 0;
    for (let i = 0; i < 1e7; i++) s += r.float();
    if (s < 0) throw new Error('unreachable');
  };
}

async function mathjsFigures(blocks: number) {
  // Import cost, in fresh processes (the module cache would hide it here).
  const importMs = (spec: string) =>
    median(
      Array.from({ length: 5 }, () =>
        Number(
          execFileSync(process.execPath, [
            '--input-type=module',
            '-e',
            `const t=performance.now(); await import('${spec}'); console.log(performance.now()-t)`,
          ]).toString(),
        ),
      ),
    );
  const full = importMs('mathjs');
  const numberOnly = importMs('mathjs/number');
  const mj = await import('mathjs/number');
  const rng = new Rng(1);
  const data = Float64Array.from({ length: 1000 }, () => 1 + rng.float());
  const resample = new Float64Array(1000);
  const R = 2000;
  const draw = (r: Rng) => {
    for (let i = 0; i < 1000; i++) resample[i] = data[r.int(1000)]!;
  };
  let sink = 0;
  const ours = () => {
    const r = new Rng(2);
    for (let b = 0; b < R; b++) {
      draw(r);
      const s = resample.slice().sort();
      sink += iqmSorted(s) + quantileSorted(s, 0.5);
    }
  };
  const theirs = () => {
    const r = new Rng(2);
    for (let b = 0; b < R; b++) {
      draw(r);
      const xs = Array.from(resample);
      const [q1, q3] = mj.quantileSeq(xs, [0.25, 0.75]) as number[];
      const mid = xs.filter((x) => x >= q1! && x <= q3!);
      sink += (mj.mean(mid) as number) + (mj.median(xs) as number);
    }
  };
  const r = ratio(ours, theirs, blocks);
  if (Number.isNaN(sink)) throw new Error('unreachable');
  return {
    importMsFull: +full.toFixed(0),
    importMsNumberOnly: +numberOnly.toFixed(0),
    bootstrapMsOurs: +r.aMs.toFixed(0),
    bootstrapMsMathjs: +r.bMs.toFixed(0),
    mathjsOverOurs: +r.ratio.toFixed(2),
  };
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--blocks');
  const blocks = i > 0 ? Number(process.argv[i + 1]) : 7;
  const out: Record<string, unknown> = {};
  for (const alg of ['arc4', 'xor128', 'alea'] as const) {
    const m = ratio(
      magmaBlock((s) => new Rng(s)),
      magmaBlock((s) => new SeedrandomRng(s, alg)),
      blocks,
    );
    const raw = ratio(
      rawBlock(() => new Rng(1)),
      rawBlock(() => new SeedrandomRng(1, alg)),
      blocks,
    );
    out[`seedrandom-${alg}`] = {
      magmaMsOurs: +m.aMs.toFixed(0),
      magmaMsSeedrandom: +m.bMs.toFixed(0),
      magmaSlowdown: +m.ratio.toFixed(3),
      raw1e7DoublesMsOurs: +raw.aMs.toFixed(0),
      raw1e7DoublesMsSeedrandom: +raw.bMs.toFixed(0),
      rawSlowdown: +raw.ratio.toFixed(2),
    };
    process.stderr.write(`${alg}: ${JSON.stringify(out[`seedrandom-${alg}`])}\n`);
  }
  out.mathjs = await mathjsFigures(blocks);
  console.log(JSON.stringify(out, null, 1));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
