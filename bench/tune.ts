/**
 * The GP sampler's own cost per trial, against the cost of a trial it chooses:
 * a study over MAGMA's 7-dimensional tuning space runs to 200 trials on a cheap stand-in
 * objective (so only the sampler is timed), and one real trial of the MAGMA tuning objective
 * (4 synthetic 100-job problems x 2 seeds x 5000 evaluations) is timed for comparison.
 * Run: npm run build && node dist/bench/tune.js [--trials 200]
 *
 * The held-out MAGMA experiment itself is a CLI run (bench/results/tune-magma.md):
 *   npx m3e tune --optimizer magma --problems bench/tune-magma/train.json \
 *     --holdout bench/tune-magma/holdout.json --trials 40 --budget 5000 --repeats 2 \
 *     --holdout-repeats 4 --seed 1 --out runs/tune-magma
 */
import { lowerBound } from '../src/core/bounds.js';
import { synthTable } from '../src/core/synth.js';
import { magmaParams } from '../src/optim/magma.js';
import { mapperTunable } from '../src/tune/mapper-objective.js';
import { gpSampler } from '../src/tune/samplers/gp-bo.js';
import { SearchSpace } from '../src/tune/space.js';
import { createStudy } from '../src/tune/study.js';
import { tuningSpace } from '../src/tune/tunable.js';

export interface OverheadResult {
  dims: number;
  /** Mean sampler seconds per trial over the 10 trials ending at 40 and at the last trial. */
  samplerSecondsAt40: number;
  samplerSecondsAtEnd: number;
  trials: number;
  /** Seconds of one trial of the MAGMA tuning objective (4 problems x 2 seeds x 5000). */
  magmaTrialSeconds: number;
}

/** Window of trials averaged for a "per trial at n" figure (single trials are noisy). */
const WINDOW = 10;

export async function runOverhead(trials = 200): Promise<OverheadResult> {
  const space = tuningSpace('magma', magmaParams);
  const ss = new SearchSpace(space);
  // A smooth, multi-modal stand-in over the unit features, cheap to evaluate.
  const target = Float64Array.from({ length: ss.featureDims }, (_, i) => 0.2 + 0.6 * ((i * 0.37) % 1));
  const study = createStudy({ sampler: gpSampler(), seed: 1, space });
  await study.optimize(
    (trial) => {
      const z = ss.toFeatures(trial.suggestAll(space));
      let s = 0;
      for (let i = 0; i < z.length; i++) s += (z[i]! - target[i]!) ** 2 + 0.05 * Math.sin(12 * z[i]!);
      return s;
    },
    { nTrials: trials },
  );
  const window = (end: number) => {
    const ts = study.trials.slice(Math.max(0, end - WINDOW), end);
    return ts.reduce((s, t) => s + t.samplerSeconds, 0) / ts.length;
  };

  const problems = [
    [4, 1, 1],
    [4, 0.25, 2],
    [8, 1, 3],
    [8, 4, 4],
  ].map(([cores, bwRatio, seed]) => {
    const table = synthTable({ jobs: 100, cores: cores!, bwRatio: bwRatio!, seed: seed! });
    return { label: `synth${seed}`, table, lowerBound: lowerBound(table) };
  });
  const magma = mapperTunable({
    optimizer: 'magma',
    problems,
    budget: 5000,
    repeats: 2,
    seed: 1,
    set: 'train',
  });
  const t0 = performance.now();
  await magma.scoreDefaults();
  const magmaTrialSeconds = (performance.now() - t0) / 1000;

  return {
    dims: ss.designDims,
    samplerSecondsAt40: window(Math.min(40, trials)),
    samplerSecondsAtEnd: window(trials),
    trials,
    magmaTrialSeconds,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--trials');
  const trials = i > 0 ? Number(process.argv[i + 1]) : 200;
  const r = await runOverhead(trials);
  console.log(JSON.stringify(r));
  console.log(
    `GP sampler, ${r.dims} dims: ${(1000 * r.samplerSecondsAt40).toFixed(0)} ms/trial at 40 trials, ` +
      `${(1000 * r.samplerSecondsAtEnd).toFixed(0)} ms/trial at ${r.trials} (mean of ${WINDOW}); ` +
      `one MAGMA tuning trial (4 problems x 2 seeds x 5000 evaluations): ${r.magmaTrialSeconds.toFixed(2)} s ` +
      `(sampler ${((100 * r.samplerSecondsAtEnd) / r.magmaTrialSeconds).toFixed(1)}% of it at ${r.trials} trials)`,
  );
}
