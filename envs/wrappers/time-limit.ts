import { InputError, show } from '../../src/core/errors.js';
import type { Env, Info, ResetOptions, ResetResult, StepResult } from '../core.js';
import { Wrapper } from './wrapper.js';

/**
 * Truncates episodes after a number of steps (Gymnasium's `TimeLimit`): the step that reaches
 * `maxEpisodeSteps` is reported `truncated` (its `terminated` flag is kept as the inner
 * environment gave it), and the next step needs a reset.
 */
export class TimeLimit<O, A, I extends Info = Info> extends Wrapper<O, A, I> {
  readonly maxEpisodeSteps: number;
  private elapsed = 0;

  /** @throws `InputError` when maxEpisodeSteps is not a positive integer. */
  constructor(env: Env<O, A, I>, maxEpisodeSteps: number) {
    super(env);
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 1)
      throw new InputError(
        `TimeLimit maxEpisodeSteps must be a positive integer, got ${show(maxEpisodeSteps)}`,
      );
    this.maxEpisodeSteps = maxEpisodeSteps;
  }

  /** Steps taken in the current episode. */
  get elapsedSteps(): number {
    return this.elapsed;
  }

  protected override resetWrapped(options: ResetOptions): ResetResult<O, I> {
    this.elapsed = 0;
    return this.env.reset(options);
  }

  protected override stepWrapped(action: A): StepResult<O, I> {
    const r = this.env.step(action);
    this.elapsed++;
    return this.elapsed >= this.maxEpisodeSteps && !r.truncated ? { ...r, truncated: true } : r;
  }
}
