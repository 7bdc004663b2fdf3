/**
 * Environment throughput: steps per second of the M3E environments under a random policy
 * (masked action sampling included), 100 jobs on 4 and 16 cores, median of timed blocks.
 * Target: >= 100,000 steps/s on one core for Sequential-v0 with 4 cores.
 * Run: npm run build && node dist/bench/envs.js
 */
import type { AnyEnv } from '../envs/core.js';
import { make, makeVec } from '../envs/registry.js';
import { synthTable } from '../src/core/synth.js';
import { median } from './evaluator.js';

export interface Rate {
  /** Steps per wall-clock second. */
  readonly wall: number;
  /** Steps per second of this process's CPU time: robust to other load on the machine. */
  readonly cpu: number;
}

/** Median rates of `reps` timed blocks of about `blockMs` each, running `run(n)` n steps at a time. */
function timeBlocks(run: (n: number) => void, perCall: number, reps: number, blockMs: number): Rate {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < reps; r++) {
    let n = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < blockMs) {
      run(perCall);
      n += perCall;
      t = performance.now();
    }
    const c = process.cpuUsage(c0);
    wall.push((n * 1000) / (t - t0));
    cpu.push((n * 1e6) / Math.max(1, c.user + c.system));
  }
  return { wall: Math.round(median(wall)), cpu: Math.round(median(cpu)) };
}

/** Steps per second of `env` under a random masked policy (sampling included). */
export function envThroughput(env: AnyEnv, reps = 7, blockMs = 200): Rate {
  const sampler = env.actionSpace.clone(1);
  let info = env.reset({ seed: 0 }).info as Record<string, unknown>;
  const run = (steps: number): void => {
    for (let i = 0; i < steps; i++) {
      const s = env.step(sampler.sample(info.actionMask));
      info = (s.terminated || s.truncated ? env.reset().info : s.info) as Record<string, unknown>;
    }
  };
  run(20_000); // warm-up: let the JIT compile the step path
  return timeBlocks(run, 1000, reps, blockMs);
}

/** Sub-env steps per second of makeVec(id, n) with a random masked policy. */
export function vectorThroughput(n: number, cores: number, reps = 5, blockMs = 200): Rate {
  const table = synthTable({ jobs: 100, cores, bwRatio: 1, seed: 7 });
  const vec = makeVec('m3e/Sequential-v0', n, { table });
  let infos = vec.reset({ seed: 0 }).infos;
  const run = (steps: number) => {
    for (let i = 0; i < steps; i += n) infos = vec.step(vec.sampleActions(infos)).infos;
  };
  run(20_000);
  return timeBlocks(run, 100 * n, reps, blockMs);
}

export function runEnvBench(): Record<string, unknown> {
  const wall: Record<string, number> = {};
  const cpu: Record<string, number> = {};
  const put = (key: string, r: Rate) => {
    wall[key] = r.wall;
    cpu[key] = r.cpu;
  };
  for (const cores of [4, 16]) {
    const table = synthTable({ jobs: 100, cores, bwRatio: 1, seed: 7 });
    for (const action of ['multi-discrete', 'discrete'] as const)
      put(`sequential_${action}_J100_C${cores}`, envThroughput(make('m3e/Sequential-v0', { table, action })));
    put(`encoding_J100_C${cores}`, envThroughput(make('m3e/Encoding-v0', { table })));
    put(`vector8_sequential_J100_C${cores}`, vectorThroughput(8, cores));
  }
  return { stepsPerSecond: wall, stepsPerCpuSecond: cpu };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(runEnvBench(), null, 1));
