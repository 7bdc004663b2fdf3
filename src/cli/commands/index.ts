/**
 * Every CLI command, one module each. To add a command, write `commands/<name>.ts`
 * exporting `register(program, io)` and add it to this list.
 */
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import * as analyze from './analyze.js';
import * as cost from './cost.js';
import * as platforms from './platforms.js';

export type RegisterCommand = (program: Command, io: CliIO) => void;

export const commands: RegisterCommand[] = [analyze.register, cost.register, platforms.register];
