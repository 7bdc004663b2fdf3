/**
 * Every CLI command, one module each. To add a command, write `commands/<name>.ts`
 * exporting `register(program, io)` and add it to this list.
 */
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { register as evaluate } from './evaluate.js';
import { register as optimizers } from './optimizers.js';
import { register as rollout } from './rollout.js';
import { register as search } from './search.js';
import { register as table } from './table.js';
import { register as train } from './train.js';

export type RegisterCommand = (program: Command, io: CliIO) => void;

export const commands: RegisterCommand[] = [search, evaluate, optimizers, table, train, rollout];
