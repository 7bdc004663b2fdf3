/**
 * Training throughput of the dispatching policy: environment steps per second of PPO (or
 * another learner) on m3e/Dispatch-v0 with zoo problems, updates included, and where the
 * time goes (drawing tables, environment steps, the JavaScript policy, the tfjs update).
 * Each WASM setting runs in its own process (tfjs picks its WASM binary once per process):
 *
 *   npm run build && node dist/bench/dispatch-throughput.js [--algos ppo,reinforce] [--iterations N]
 *       [--param k=v ...]
 *
 * Settings: `simd` (the default binary), `nosimd` (WASM_HAS_SIMD_SUPPORT off) and `threads`
 * (WASM_HAS_MULTITHREAD_SUPPORT forced on, 2 threads; tfjs disables threads under Node, the
 * row says whether it ran). Figures: wall-clock steps/s, and steps per CPU-second of the
 * process (robust to other load on a shared machine).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../agents/backend.js';
import { parseDispatchSettings } from '../agents/dispatch/settings.js';
import { DispatchTrainer } from '../agents/dispatch/trainer.js';
import { paramsFromArgs, SHIPPED_SETTINGS } from './dispatch-train.js';

const VARIANTS = ['simd', 'nosimd', 'threads'] as const;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function one(variant: string): Promise<Record<string, unknown>> {
  // Importing the backend registers its flags; they must be set before it initialises.
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (variant === 'nosimd') tf.env().set('WASM_HAS_SIMD_SUPPORT', false);
  if (variant === 'threads') {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    wasm.setThreadsCount(2);
  }
  const backend = await selectBackend('wasm');
  const threads = wasm.getThreadsCount();
  const settings = parseDispatchSettings({ ...SHIPPED_SETTINGS, ...paramsFromArgs(process.argv) });
  const tr = new DispatchTrainer(settings, 1);
  const iterations = Number(arg('iterations') ?? 12);
  const total = 1e12;
  tr.iterate(total); // warm-up: JIT, kernels, cost-model cache
  const sums = { draw: 0, env: 0, policy: 0, act: 0, update: 0 };
  let steps = 0;
  const c0 = cpuSeconds();
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) {
    const before = tr.step;
    const r = tr.iterate(total);
    steps += tr.step - before;
    sums.draw += r.drawSeconds;
    sums.env += r.envSeconds;
    sums.policy += r.policySeconds;
    sums.act += r.actSeconds;
    sums.update += r.updateSeconds;
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds() - c0;
  const share = (x: number) => +(x / (sums.act + sums.update)).toFixed(3);
  return {
    variant,
    backend: backend.name,
    threads,
    algo: settings.algo,
    steps,
    stepsPerSecond: Math.round(steps / wall),
    stepsPerCpuSecond: Math.round(steps / cpu),
    share: {
      tables: share(sums.draw),
      env: share(sums.env),
      policy: share(sums.policy),
      otherActing: share(sums.act - sums.draw - sums.env - sums.policy),
      update: share(sums.update),
    },
  };
}

/** The target of the training loop on this project's 2-core machine (environment steps/s). */
export const TARGET_STEPS_PER_SECOND = 5000;

/**
 * Every WASM setting, each in a process of its own, for each learner in `algos`; `args` are
 * passed on (`--iterations N`, `--param k=v`).
 */
export function runDispatchThroughputBench(
  algos: readonly string[] = ['ppo', 'reinforce'],
  args: readonly string[] = [],
): { target: number; rows: unknown[] } {
  const rows: unknown[] = [];
  const self = fileURLToPath(import.meta.url);
  for (const algo of algos)
    for (const v of VARIANTS) {
      const out = execFileSync(process.execPath, [self, '--variant', v, '--param', `algo=${algo}`, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const row = JSON.parse(out.trim().split('\n').pop()!) as unknown;
      rows.push(row);
      process.stderr.write(`${JSON.stringify(row)}\n`);
    }
  return { target: TARGET_STEPS_PER_SECOND, rows };
}

async function main(): Promise<void> {
  const variant = arg('variant');
  if (variant) {
    try {
      console.log(JSON.stringify(await one(variant)));
    } catch (e) {
      console.log(JSON.stringify({ variant, failed: (e as Error).message.split('\n')[0] }));
    }
    return;
  }
  const algos = (arg('algos') ?? 'ppo,reinforce').split(',');
  const rest = process.argv.slice(2).filter((a, i, all) => a !== '--algos' && all[i - 1] !== '--algos');
  console.log(JSON.stringify(runDispatchThroughputBench(algos, rest), null, 1));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
