/**
 * Greedy dispatching policies against the per-table best heuristic on a hold-out set built
 * like the trainer's validation set (zoo 100-job groups of each task on the preset platforms
 * at their paper bandwidths) from other group seeds: a check of the validation figure, which
 * picks a run's best of many noisy validations. Never the MAGMA authors' groups.
 *
 *   npm run build && node dist/bench/dispatch-holdout.js [--seeds 777,778] POLICY_DIR...
 */

import { loadDispatchPolicy } from '../agents/dispatch/store.js';
import { bestHeuristicMakespan, greedyScore, presetZooTables } from '../agents/dispatch/trainer.js';
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
  const best = tables.map(bestHeuristicMakespan);
  for (const dir of dirs) {
    const { vsBestHeuristic, wins, worst } = greedyScore(loadDispatchPolicy(dir).model, tables, best);
    process.stdout.write(
      `${dir}\t${vsBestHeuristic.toFixed(4)}\twins ${wins}/${tables.length}\tworst ${worst.toFixed(3)}\n`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
