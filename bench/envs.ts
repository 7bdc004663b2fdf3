/**
 * Environment throughput: steps per second of the M3E environments under a random policy
 * (masked action sampling included), 100 jobs on 4 and 16 cores, median of timed blocks.
 * Target (issue 5): >= 100,000 steps/s on one core for Sequential-v0 with 4 cores.
 * Run: npm run build && node dist/bench/envs.js
 */
import type { AnyEnv } from '../envs/core.js';
import { make, makeVec } from '../envs/registry.js';
import { synthTable } from '../src/core/synth.js';
import { median } from './evaluator.js';

/** Steps per second of `env` under a random masked policy (median of `reps` blocks). */
export function envThroughput(env: AnyEnv, reps = 7, blockMs = 200): number {
  const sampler = env.actionSpace.clone(1);
  let info = env.reset({ seed: 0 }).info as Record<string, unknown>;
  const run = (steps: number): void => {
    for (let i = 0; i < steps; i++) {
      const s = env.step(sampler.sample(info.actionMask));
      info = (s.terminated || s.truncated ? env.reset().info : s.info) as Record<string, unknown>;
    }
  };
  run(20_000); // warm-up: let the JIT compile the step path
  const rates: number[] = [];
  for (let r = 0; r < reps; r++) {
    let n = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < blockMs) {
      run(1000);
      n += 1000;
      t = performance.now();
    }
    rates.push((n * 1000) / (t - t0));
  }
  return median(rates);
}

/** Vector steps (sub-env steps) per second of makeVec(id, n) with a random masked policy. */
export function vectorThroughput(
  id: 'm3e/Sequential-v0',
  n: number,
  cores: number,
  reps = 5,
  blockMs = 200,
): number {
  const table = synthTable({ jobs: 100, cores, bwRatio: 1, seed: 7 });
  const vec = makeVec(id, n, { table });
  let infos = vec.reset({ seed: 0 }).infos;
  const run = (steps: number) => {
    for (let i = 0; i < steps; i++) infos = vec.step(vec.sampleActions(infos)).infos;
  };
  run(2000);
  const rates: number[] = [];
  for (let r = 0; r < reps; r++) {
    let k = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < blockMs) {
      run(100);
      k += 100;
      t = performance.now();
    }
    rates.push((k * n * 1000) / (t - t0));
  }
  return median(rates);
}

export function runEnvBench(): Record<string, unknown> {
  const out: Record<string, number> = {};
  for (const cores of [4, 16]) {
    const table = synthTable({ jobs: 100, cores, bwRatio: 1, seed: 7 });
    for (const action of ['multi-discrete', 'discrete'] as const)
      out[`sequential_${action}_J100_C${cores}`] = Math.round(
        envThroughput(make('m3e/Sequential-v0', { table, action })),
      );
    out[`encoding_J100_C${cores}`] = Math.round(envThroughput(make('m3e/Encoding-v0', { table })));
    out[`vector8_sequential_J100_C${cores}`] = Math.round(vectorThroughput('m3e/Sequential-v0', 8, cores));
  }
  return { stepsPerSecond: out };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(runEnvBench(), null, 1));
