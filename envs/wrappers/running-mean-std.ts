import { InputError, show } from '../../src/core/errors.js';

/** Gymnasium's initial count (epsilon): the prior (0, 1) weighs almost nothing. */
const INITIAL_COUNT = 1e-4;

/** The JSON state of a {@link RunningMeanStd} ({@link RunningMeanStd.state | state} / {@link RunningMeanStd.load | load}). */
export interface RunningMeanStdState {
  readonly mean: number[];
  readonly var: number[];
  readonly count: number;
}

/**
 * Running mean and variance of a stream of vectors (Gymnasium's RunningMeanStd): the
 * parallel-merge update of Chan et al., starting from mean 0, variance 1 and a tiny count
 * so the first update dominates without a division by zero.
 */
export class RunningMeanStd {
  readonly mean: Float64Array;
  readonly var: Float64Array;
  count = INITIAL_COUNT;

  constructor(readonly size: number) {
    this.mean = new Float64Array(size);
    this.var = new Float64Array(size).fill(1);
  }

  /** Merges one sample (a batch of one: batch variance 0). */
  update(x: ArrayLike<number>): void {
    const n = this.count + 1;
    for (let i = 0; i < this.size; i++) {
      const delta = x[i]! - this.mean[i]!;
      this.mean[i]! += delta / n;
      // M2 = var * count + batchVar * 1 + delta^2 * count * 1 / n, with batchVar = 0.
      this.var[i] = (this.var[i]! * this.count + (delta * delta * this.count) / n) / n;
    }
    this.count = n;
  }

  /** The statistics, to save with a policy trained on them. */
  state(): RunningMeanStdState {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count };
  }

  /**
   * Restores saved statistics.
   *
   * @throws `InputError` for statistics of another size or a count that is not positive.
   */
  load(s: RunningMeanStdState): void {
    if (s.mean.length !== this.size || s.var.length !== this.size)
      throw new InputError(`running statistics have ${s.mean.length} entries, expected ${this.size}`);
    if (!(s.count > 0)) throw new InputError(`running statistics count must be > 0, got ${show(s.count)}`);
    this.mean.set(s.mean);
    this.var.set(s.var);
    this.count = s.count;
  }
}
