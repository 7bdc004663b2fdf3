/**
 * Greedy dispatching policies against the per-table best heuristic on a hold-out set built
 * like the trainer's validation set (zoo 100-job groups of each task on the preset platforms
 * at their paper bandwidths) from other group seeds: a check of the validation figure, which
 * picks a run's best of many noisy validations. Never the MAGMA authors' groups.
 *
 *   npm run build && node dist/bench/dispatch-holdout.js [--seeds 777,778] POLICY_DIR...
 */

import { act } from '../agents/dispatch/rollout.js';
import { loadDispatchPolicy } from '../agents/dispatch/store.js';
import { bestHeuristicMakespan, presetZooTables } from '../agents/dispatch/trainer.js';
import { DispatchEnv } from '../envs/m3e/dispatch-env.js';
import { fixedTable } from '../envs/m3e/problem-source.js';
import { Rng } from '../src/core/rng.js';
import type { JobTable } from '../src/core/table.js';

export function holdoutTables(seeds: readonly number[], jobs = 100): JobTable[] {
  return seeds.flatMap((seed) => presetZooTables(seed, jobs));
}

function main(): void {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--seeds');
  const seeds = i >= 0 ? argv[i + 1]!.split(',').map(Number) : [777, 778];
  const dirs = argv.filter((_, k) => i < 0 || (k !== i && k !== i + 1));
  const tables = holdoutTables(seeds);
  const best = tables.map((t) => bestHeuristicMakespan(t));
  const maxJobs = Math.max(...tables.map((t) => t.numJobs));
  const maxCores = Math.max(...tables.map((t) => t.numCores));
  const env = [new DispatchEnv(fixedTable(tables[0]!), { maxJobs, maxCores })];
  for (const dir of dirs) {
    const model = loadDispatchPolicy(dir).model;
    let log = 0;
    let wins = 0;
    let worst = 0;
    tables.forEach((t, k) => {
      const m = act(model, env, [t], 1, new Rng(0), { greedy: true, record: false, values: false }).tables[0]!
        .makespan[0]!;
      log += Math.log(m / best[k]!);
      worst = Math.max(worst, m / best[k]!);
      if (m <= best[k]! * (1 + 1e-12)) wins++;
    });
    process.stdout.write(
      `${dir}\t${Math.exp(log / tables.length).toFixed(4)}\twins ${wins}/${tables.length}\tworst ${worst.toFixed(3)}\n`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
