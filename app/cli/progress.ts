import type { CliIO } from './io.js';

/** Seconds between progress lines when stderr is not a terminal (batch logs). */
export const LOG_PROGRESS_SECONDS = 5;

export interface ProgressOptions {
  /** Milliseconds clock (tests pass their own). */
  readonly now?: () => number;
  /** Seconds between lines when stderr is not a terminal. */
  readonly logEvery?: number;
}

/**
 * Progress on stderr. On a terminal: a bar redrawn at most ~10 times a second. Otherwise (a
 * pipe, a batch system's log): one plain line at most every LOG_PROGRESS_SECONDS, the first
 * only once the work has lasted that long, so short commands print nothing and long ones
 * show they are alive without flooding the log.
 */
export class ProgressBar {
  private last = 0;
  private readonly start: number;
  private readonly now: () => number;
  private readonly logEveryMs: number;
  private lastLog: number;
  constructor(
    private readonly io: CliIO,
    private readonly total: number,
    private readonly label: string,
    options: ProgressOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.start = this.now();
    this.lastLog = this.start;
    this.logEveryMs = 1000 * (options.logEvery ?? LOG_PROGRESS_SECONDS);
  }

  update(done: number, suffix = ''): void {
    const now = this.now();
    const secs = (now - this.start) / 1000;
    if (!this.io.isTTY) {
      if (now - this.lastLog < this.logEveryMs) return;
      this.lastLog = now;
      const pct = this.total > 0 ? ` (${((100 * Math.min(done, this.total)) / this.total).toFixed(1)}%)` : '';
      this.io.stderr(
        `${this.label}: ${done}/${this.total}${pct} after ${secs.toFixed(0)} s${suffix ? `, ${suffix}` : ''}\n`,
      );
      return;
    }
    if (now - this.last < 100 && done < this.total) return;
    this.last = now;
    const width = 30;
    const frac = Math.min(1, done / this.total);
    const filled = Math.round(frac * width);
    this.io.stderr(
      `\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total} ${secs.toFixed(1)}s ${suffix}\x1b[K`,
    );
  }

  done(): void {
    if (this.io.isTTY) this.io.stderr('\n');
  }
}
