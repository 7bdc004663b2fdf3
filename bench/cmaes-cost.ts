/**
 * Where CMA-ES spends its time in 200 dimensions (a 100-job table, 10,500 evaluations):
 * CPU seconds outside the evaluator for the lazy-eigendecomposition rules of the tutorial
 * (eigenDrift = 0.1 / n), pycma (0.5 / n), our default, and no decomposition at all (which
 * leaves the O(n^2) sampling and covariance update), against the evaluator's time.
 * Run: npm run build && node dist/bench/cmaes-cost.js [--skip-tutorial]
 */
import { synthTable } from '../src/core/synth.js';
import { cmaesParams } from '../src/optim/blackbox/cmaes.js';
import { createOptimizer } from '../src/optim/registry.js';
import { makespanObjective } from '../src/optim/search.js';
import { PAPER_BUDGET, timedSearch } from './baselines.js';

const JOBS = 100;
const N = 2 * JOBS;

function main(skipTutorial: boolean): void {
  const table = synthTable({ jobs: JOBS, cores: 4, bwRatio: 0.25, seed: 1, heterogeneity: 0.5 });
  const objective = makespanObjective(table);
  const rules: [string, number][] = [
    ...(skipTutorial ? [] : ([['tutorial 0.1/n', 0.1 / N]] as [string, number][])),
    ['pycma 0.5/n', 0.5 / N],
    [`default ${cmaesParams.eigenDrift.default}`, cmaesParams.eigenDrift.default],
    ['never (C = I sampling)', 1],
  ];
  console.log('| eigendecomposition rule | overhead CPU s | evaluator CPU s | overhead / evaluator |');
  console.log('|---|---:|---:|---:|');
  for (const [label, eigenDrift] of rules) {
    const r = timedSearch(objective, createOptimizer('cmaes', table, 1, { eigenDrift }), PAPER_BUDGET);
    console.log(
      `| ${label} | ${r.overheadSeconds.toFixed(2)} | ${r.evalSeconds.toFixed(3)} | ${(r.overheadSeconds / r.evalSeconds).toFixed(1)} |`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.includes('--skip-tutorial'));
