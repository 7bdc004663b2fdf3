import { InputError } from '../../src/core/errors.js';
import type { Env, Info, ResetOptions, ResetResult, StepResult } from '../core.js';
import { Box } from '../spaces.js';
import { RunningMeanStd } from './running-mean-std.js';
import { Wrapper } from './wrapper.js';

/** Gymnasium's default: keeps the division finite for constant features. */
const DEFAULT_EPSILON = 1e-8;

/**
 * Normalises Box observations to zero mean and unit variance with running statistics
 * (Gymnasium's NormalizeObservation): obs' = (obs - mean) / sqrt(var + epsilon), the
 * statistics updated with every observation (reset and step) while `updateRunningMean` is
 * true. Freeze them for evaluation, and save them with the agent (`state()` / `load()`):
 * a policy is only valid with the statistics it was trained with.
 */
export class NormalizeObservation<A, I extends Info = Info> extends Wrapper<
  ArrayLike<number>,
  A,
  I,
  Float32Array,
  A,
  I
> {
  override readonly observationSpace: Box<'float32'>;
  readonly stats: RunningMeanStd;
  readonly epsilon: number;
  updateRunningMean = true;

  constructor(env: Env<ArrayLike<number>, A, I>, options: { epsilon?: number } = {}) {
    super(env);
    const inner = env.observationSpace;
    if (!(inner instanceof Box))
      throw new InputError(`NormalizeObservation needs a Box observation space, got ${inner}`);
    this.observationSpace = new Box(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, {
      shape: inner.shape,
      dtype: 'float32',
    });
    this.stats = new RunningMeanStd(inner.size);
    this.epsilon = options.epsilon ?? DEFAULT_EPSILON;
  }

  private normalize(obs: ArrayLike<number>): Float32Array {
    if (this.updateRunningMean) this.stats.update(obs);
    const out = new Float32Array(this.stats.size);
    const { mean, var: v } = this.stats;
    for (let i = 0; i < out.length; i++) out[i] = (obs[i]! - mean[i]!) / Math.sqrt(v[i]! + this.epsilon);
    return out;
  }

  protected override resetWrapped(options: ResetOptions): ResetResult<Float32Array, I> {
    const r = this.env.reset(options);
    return { observation: this.normalize(r.observation), info: r.info };
  }

  protected override stepWrapped(action: A): StepResult<Float32Array, I> {
    const r = this.env.step(action);
    return { ...r, observation: this.normalize(r.observation) };
  }
}
