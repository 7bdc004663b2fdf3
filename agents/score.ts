/**
 * One number per hyper-parameter setting, for the Bayesian tuner: train on a fixed group
 * for a budget of environment steps, then map the group greedily with the trained policy;
 * the score is makespan / lower bound (lower is better).
 */
import type { JobTable } from '../src/core/table.js';
import type { BackendChoice } from './backend.js';
import { tableProblem } from './env-factory.js';
import { SEQUENTIAL_ID } from './gym.js';
import { rollout } from './policy.js';
import type { EnvDescription } from './run-folder.js';
import type { AgentSettings } from './settings.js';
import { trainRun } from './train.js';

export interface ScoreOptions {
  /** Environment options of m3e/Sequential-v0 (defaults: the env's). */
  readonly envOptions?: Record<string, unknown>;
  readonly backend?: BackendChoice;
}

/**
 * Trains `settings` (see ppoSettingsFromParams / a2cSettingsFromParams) on `problem` in
 * m3e/Sequential-v0 for `budgetSteps` steps with `seed`; returns the greedy policy's
 * makespan / lower bound on the same group.
 */
export async function trainAndScore(
  settings: AgentSettings,
  problem: JobTable,
  budgetSteps: number,
  seed: number,
  options: ScoreOptions = {},
): Promise<number> {
  const env: EnvDescription = {
    id: SEQUENTIAL_ID,
    options: options.envOptions ?? {},
    problem: tableProblem(problem, 'tuner'),
  };
  const res = await trainRun({
    algo: settings.algo,
    settings,
    env,
    totalSteps: budgetSteps,
    seed,
    backend: options.backend ?? 'auto',
  });
  try {
    const r = rollout(res.trainer.learner.net, env, problem, { episodes: 1, greedy: true, seed });
    return r.makespan / r.lowerBound;
  } finally {
    res.trainer.dispose();
  }
}
