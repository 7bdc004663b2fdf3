/**
 * The `m3e` command line. Each command lives in its own module under ./commands and is
 * registered here; `main` returns the exit code (0 ok, 2 bad input, 3 part of the work failed,
 * 130 / 143 stopped by SIGINT / SIGTERM after saving, 1 bug) so tests can run the CLI
 * in-process.
 */
import { Command, CommanderError } from 'commander';
import { registerPolicyMapper } from '../../agents/dispatch/mapper.js';
import { InputError } from '../../src/core/errors.js';
import { commands } from './commands/index.js';
import { Interrupted } from './interrupt.js';
import { type CliIO, PARTIAL_FAILURE_EXIT, PartialFailure, processIO } from './io.js';

// The learned mapper `policy` (agents/) joins the library's optimisers for every command.
registerPolicyMapper();

/**
 * A message as one line: line breaks and other control characters (a bad value may hold
 * them) are shown escaped, so every refusal is exactly one line on stderr.
 */
export function oneLine(message: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped
  return message.replace(/[\u0000-\u001f\u007f]/g, (ch) => JSON.stringify(ch).slice(1, -1));
}

/** Commander's own errors (unknown option, missing value) in the form of every other refusal. */
function commanderError(io: CliIO) {
  return (text: string) => io.stderr(`m3e: ${oneLine(text.trimEnd().replace(/^error: /, ''))}\n`);
}

export function buildProgram(io: CliIO): Command {
  const program = new Command('m3e')
    .description(
      'Map many DNNs onto multi-core accelerators: M3E, MAGMA, baselines and RL agents on one cost model.',
    )
    .version('0.1.0')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: commanderError(io),
    });
  for (const register of commands) register(program, io);
  // `--table=` or `--out ""` would otherwise read as "not given" and be silently ignored.
  program.hook('preAction', (_root, action) => {
    for (const o of action.options) {
      if (!o.required && !o.optional) continue;
      if (action.getOptionValue(o.attributeName()) === '')
        throw new InputError(`${o.long} needs a value, got an empty string`);
    }
    action.registeredArguments.forEach((a, i) => {
      if (action.processedArgs[i] === '')
        throw new InputError(`<${a.name()}> needs a value, got an empty string`);
    });
  });
  // Sub-commands inherit the error behaviour of the root.
  const configure = (cmd: Command) => {
    cmd
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: commanderError(io) });
    cmd.commands.forEach(configure);
  };
  program.commands.forEach(configure);
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
      io.stderr(`m3e: ${oneLine(e.message)}\n`);
      return 2;
    }
    if (e instanceof Interrupted) {
      io.stderr(`m3e: ${oneLine(e.message)}\n`);
      return e.exitCode;
    }
    if (e instanceof PartialFailure) {
      io.stderr(`m3e: ${oneLine(e.message)}\n`);
      return PARTIAL_FAILURE_EXIT;
    }
    io.stderr(`m3e: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}
