import type { CliIO } from './io.js';

/**
 * A progress bar on stderr, drawn only when stderr is a terminal and at most ~10 times a
 * second, so it costs nothing in pipes, CI and tests.
 */
export class ProgressBar {
  private last = 0;
  private readonly start = Date.now();
  constructor(
    private readonly io: CliIO,
    private readonly total: number,
    private readonly label: string,
  ) {}

  update(done: number, suffix = ''): void {
    if (!this.io.isTTY) return;
    const now = Date.now();
    if (now - this.last < 100 && done < this.total) return;
    this.last = now;
    const width = 30;
    const frac = Math.min(1, done / this.total);
    const filled = Math.round(frac * width);
    const secs = (now - this.start) / 1000;
    this.io.stderr(
      `\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total} ${secs.toFixed(1)}s ${suffix}\x1b[K`,
    );
  }

  done(): void {
    if (this.io.isTTY) this.io.stderr('\n');
  }
}
