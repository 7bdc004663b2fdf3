/**
 * MAGMA's end-to-end speed (evaluations per second, evaluator included) on J=100, C=4,
 * and the share of the time spent outside the evaluator. Median of 5 runs.
 * Run: npm run build && node dist/bench/magma.js
 */
import { synthTable } from '../src/core/synth.js';
import { createOptimizer } from '../src/optim/registry.js';
import { makespanObjective, runSearch } from '../src/optim/search.js';
import { median } from './evaluator.js';

export function runMagmaBench(budget = 10_500, reps = 5): Record<string, unknown> {
  const table = synthTable({ jobs: 100, cores: 4, bwRatio: 1, seed: 1 });
  const objective = makespanObjective(table);
  let evalSeconds = 0;
  const timed = {
    ...objective,
    cost(core: Int32Array, priority: Float64Array) {
      const t0 = performance.now();
      const c = objective.cost(core, priority);
      evalSeconds += (performance.now() - t0) / 1000;
      return c;
    },
  };
  const rates: number[] = [];
  const overhead: number[] = [];
  runSearch(objective, createOptimizer('magma', table, 0), { budget }); // warm-up
  for (let r = 0; r < reps; r++) {
    const res = runSearch(objective, createOptimizer('magma', table, r), { budget });
    rates.push(res.evaluations / res.seconds);
    evalSeconds = 0;
    const res2 = runSearch(timed, createOptimizer('magma', table, r), { budget });
    overhead.push((res2.seconds - evalSeconds) / res2.seconds);
  }
  return {
    magmaEvaluationsPerSecond: Math.round(median(rates)),
    magmaShareOutsideEvaluator: +median(overhead).toFixed(3),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(runMagmaBench(), null, 1));
