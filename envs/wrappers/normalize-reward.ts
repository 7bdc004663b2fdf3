import { InputError, show } from '../../src/core/errors.js';
import type { Env, Info, StepResult } from '../core.js';
import { RunningMeanStd } from './running-mean-std.js';
import { Wrapper } from './wrapper.js';

/** Gymnasium's defaults. */
const DEFAULT_GAMMA = 0.99;
const DEFAULT_EPSILON = 1e-8;

/**
 * Scales rewards by the running standard deviation of the discounted return (Gymnasium 1.x
 * NormalizeReward): G <- G x gamma x (1 - terminated) + r, the statistics updated with G,
 * and r' = r / sqrt(var(G) + epsilon). Rewards are scaled, not centred, so their sign stays.
 */
export class NormalizeReward<O, A, I extends Info = Info> extends Wrapper<O, A, I> {
  readonly stats = new RunningMeanStd(1);
  readonly gamma: number;
  readonly epsilon: number;
  updateRunningMean = true;
  private discounted = 0;
  private readonly one = new Float64Array(1);

  constructor(env: Env<O, A, I>, options: { gamma?: number; epsilon?: number } = {}) {
    super(env);
    this.gamma = options.gamma ?? DEFAULT_GAMMA;
    if (!(this.gamma >= 0 && this.gamma <= 1))
      throw new InputError(`NormalizeReward gamma must be in [0, 1], got ${show(this.gamma)}`);
    this.epsilon = options.epsilon ?? DEFAULT_EPSILON;
  }

  protected override stepWrapped(action: A): StepResult<O, I> {
    const r = this.env.step(action);
    this.discounted = this.discounted * this.gamma * (r.terminated ? 0 : 1) + r.reward;
    if (this.updateRunningMean) {
      this.one[0] = this.discounted;
      this.stats.update(this.one);
    }
    return { ...r, reward: r.reward / Math.sqrt(this.stats.var[0]! + this.epsilon) };
  }
}
