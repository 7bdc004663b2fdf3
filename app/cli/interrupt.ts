/**
 * Interrupts of long commands. While a command runs under `withInterrupts`, the first SIGINT
 * or SIGTERM does not kill the process: it aborts the command's `Interrupt`, the command
 * stops at its next safe point, saves what it has and throws `Interrupted`, and `main` prints
 * its one line ("... resume with: ...") and exits 130 (SIGINT) or 143 (SIGTERM), as a shell
 * reports a process killed by those signals. A second signal quits at once.
 *
 * Signals reach JavaScript only between tasks of the event loop: commands under
 * `withInterrupts` must `await pause()` regularly (every few tens of milliseconds of work).
 * Commands that never yield keep Node's default, which ends the process on the signal with
 * the same exit status (nothing of theirs needs saving).
 */
import type { CliIO } from './io.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';
const SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM'];

/** 128 + the signal number, the status a shell reports for a process killed by the signal. */
export const SIGNAL_EXIT: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

/** A command stopped on a signal after saving what it had; the message says how to resume. */
export class Interrupted extends Error {
  override name = 'Interrupted';
  constructor(
    readonly signal: StopSignal,
    message: string,
  ) {
    super(message);
  }

  get exitCode(): number {
    return SIGNAL_EXIT[this.signal];
  }
}

export interface Interrupt {
  /** Aborted by the first signal (its reason is the signal's name). */
  readonly signal: AbortSignal;
  /** The signal received, or null while none was. */
  readonly received: StopSignal | null;
}

/** Lets pending signals and timers run (one turn of the event loop). */
export function pause(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Yields to the event loop when at least `everyMs` passed since the last yield: call it in a
 * hot loop, it costs a clock read otherwise.
 */
export function pacer(everyMs = 25): () => Promise<void> | null {
  let last = performance.now();
  return () => {
    const now = performance.now();
    if (now - last < everyMs) return null;
    last = now;
    return pause();
  };
}

/**
 * Runs `work` with SIGINT and SIGTERM caught (see the module comment). `notice` says, on a
 * terminal, what happens now ("stopping after the cells in flight").
 */
export async function withInterrupts<T>(
  io: CliIO,
  notice: string,
  work: (interrupt: Interrupt) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let received: StopSignal | null = null;
  const handlers = SIGNALS.map((sig) => {
    const handler = () => {
      if (received !== null) {
        io.stderr(`m3e: ${sig} again: quitting at once\n`);
        process.exit(SIGNAL_EXIT[sig]);
      }
      received = sig;
      // On a terminal, say at once that the key press was seen; batch logs get the final line.
      if (io.isTTY)
        io.stderr(`\nm3e: ${sig}: ${notice} (${sig === 'SIGINT' ? 'Ctrl-C' : sig} again quits at once)\n`);
      controller.abort(sig);
    };
    process.on(sig, handler);
    return [sig, handler] as const;
  });
  try {
    return await work({
      signal: controller.signal,
      get received() {
        return received;
      },
    });
  } finally {
    for (const [sig, handler] of handlers) process.removeListener(sig, handler);
  }
}

/** A command line for a message: words with spaces or quotes are quoted for a POSIX shell. */
export function commandLine(args: readonly string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ');
}
