/**
 * Every CLI command, one module each. To add a command, write `commands/<name>.ts`
 * exporting `register(program, io)` and add it to this list.
 */
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { register as analyze } from './analyze.js';
import { register as bench } from './bench.js';
import { register as bound } from './bound.js';
import { register as compare } from './compare.js';
import { register as cost } from './cost.js';
import { register as envs } from './envs.js';
import { register as evaluate } from './evaluate.js';
import { register as leaderboard } from './leaderboard.js';
import { register as models } from './models.js';
import { register as optimizers } from './optimizers.js';
import { register as platforms } from './platforms.js';
import { register as plot } from './plot.js';
import { register as rollout } from './rollout.js';
import { register as search } from './search.js';
import { register as table } from './table.js';
import { register as train } from './train.js';
import { register as tune } from './tune.js';
import { register as validate } from './validate.js';
import { register as workload } from './workload.js';

export type RegisterCommand = (program: Command, io: CliIO) => void;

export const commands: RegisterCommand[] = [
  compare,
  bench,
  validate,
  leaderboard,
  plot,
  search,
  evaluate,
  bound,
  analyze,
  optimizers,
  platforms,
  models,
  workload,
  table,
  tune,
  train,
  rollout,
  cost,
  envs,
];
