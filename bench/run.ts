/**
 * `npm run bench`: every benchmark, one JSON document on stdout. Speed targets live here,
 * never in the tests. Timings on a shared machine are noisy: each figure is a median.
 * Pass names to run a subset: `node dist/bench/run.js evaluator magma`. Longer studies have
 * their own scripts: `node dist/bench/quality.js` (MAGMA vs GA vs random),
 * `node dist/bench/baselines.js` (every optimiser and heuristic), `node dist/bench/cmaes-cost.js`.
 */
import { run as runCostModelBench } from './costmodel.js';
import { runDispatchThroughputBench } from './dispatch-throughput.js';
import { runEnvBench } from './envs.js';
import { runEvaluatorBench } from './evaluator.js';
import { runMagmaBench } from './magma.js';

/** The authors' Python evaluator, 100 jobs on 4 cores, measured on this machine. */
const PYTHON_EVALS_PER_SECOND = 900;

const benches: Record<string, () => unknown | Promise<unknown>> = {
  evaluator: () => {
    const r = runEvaluatorBench() as { evaluationsPerSecond: Record<string, number> };
    return {
      ...r,
      speedupVsAuthorsPython_J100_C4: +(r.evaluationsPerSecond.J100_C4! / PYTHON_EVALS_PER_SECOND).toFixed(1),
    };
  },
  magma: () => runMagmaBench(),
  envs: () => runEnvBench(),
  costmodel: () => runCostModelBench(),
  // Training throughput of the dispatching policy (target: 5,000 environment steps/s).
  dispatch: () => runDispatchThroughputBench(),
};

const wanted = process.argv.slice(2);
const out: Record<string, unknown> = {};
for (const [name, run] of Object.entries(benches)) {
  if (wanted.length && !wanted.includes(name)) continue;
  process.stderr.write(`bench ${name}...\n`);
  out[name] = await run();
}
console.log(JSON.stringify(out, null, 1));
