/**
 * The `m3e` command line. Each command lives in its own module under ./commands and is
 * registered here; `main` returns the exit code (0 ok, 2 bad input, 3 part of the work failed,
 * 130 / 143 stopped by SIGINT / SIGTERM after saving, 1 bug) so tests can run the CLI
 * in-process.
 */
import { Command, CommanderError } from 'commander';
import { InputError } from '../../src/core/errors.js';
import { commands } from './commands/index.js';
import { Interrupted } from './interrupt.js';
import { type CliIO, PARTIAL_FAILURE_EXIT, PartialFailure, processIO } from './io.js';

export function buildProgram(io: CliIO): Command {
  const program = new Command('m3e')
    .description(
      'Map many DNNs onto multi-core accelerators: M3E, MAGMA, baselines and RL agents on one cost model.',
    )
    .version('0.1.0')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  for (const register of commands) register(program, io);
  // Sub-commands inherit the error behaviour of the root.
  for (const cmd of program.commands)
    cmd.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  return program;
}

export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version "errors" are successful exits; commander has printed the message.
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return 0;
      return 2;
    }
    if (e instanceof InputError) {
      io.stderr(`m3e: ${e.message}\n`);
      return 2;
    }
    if (e instanceof Interrupted) {
      io.stderr(`m3e: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof PartialFailure) {
      io.stderr(`m3e: ${e.message}\n`);
      return PARTIAL_FAILURE_EXIT;
    }
    io.stderr(`m3e: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
