/** What a CLI command may touch: injected so commands run in-process in tests. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stderr is a terminal (progress bars only then). */
  readonly isTTY: boolean;
}

export const processIO: CliIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stderr.isTTY),
};

/** Prints `value` as JSON (with --json) or as text lines. */
export function emit(io: CliIO, json: boolean, value: unknown, text: () => string): void {
  io.stdout(json ? `${JSON.stringify(value)}\n` : `${text()}\n`);
}

/**
 * The command ran to its end but part of its work failed (e.g. cells of an experiment):
 * `main` prints the message and exits with PARTIAL_FAILURE_EXIT, so scripts and batch
 * systems can tell it from success (0), bad input (2) and a bug (1).
 */
export class PartialFailure extends Error {
  override name = 'PartialFailure';
}
export const PARTIAL_FAILURE_EXIT = 3;
