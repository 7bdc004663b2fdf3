/**
 * Upper limits of the CLI's counts (documented in docs/cli-reliability.md). A value above
 * one is refused up front with a message naming the flag and the limit, instead of running
 * for days or allocating gigabytes. Sizes of tables, platforms and layers are limited where
 * those are built (TABLE_LIMITS, PLATFORM_LIMITS, LAYER_LIMITS).
 */
import { MAX_TOTAL_STEPS } from '../../agents/settings.js';
import { MAX_BUDGET } from '../../src/optim/search.js';

export const CLI_LIMITS = {
  /** Evaluated mappings of a search, a tuning run or an experiment cell. */
  MAX_BUDGET,
  /** Trials of a tuning study. */
  MAX_TRIALS: 100_000,
  /** Runs per problem of a tuning score. */
  MAX_REPEATS: 10_000,
  /** Environment steps of a training run (a tuning run of an agent too). */
  MAX_STEPS: MAX_TOTAL_STEPS,
  /** Random-policy episodes of `env-check`. */
  MAX_EPISODES: 10_000_000,
  /** Mappings proposed by `rollout --samples`. */
  MAX_SAMPLES: 10_000_000,
  /** Worker threads of `compare`. */
  MAX_WORKERS: 1024,
} as const;
