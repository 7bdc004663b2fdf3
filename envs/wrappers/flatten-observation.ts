import type { Env, Info, ResetOptions, ResetResult, StepResult } from '../core.js';
import { flatten, flattenSpace } from '../flatten.js';
import type { Box, Space } from '../spaces.js';
import { Wrapper } from './wrapper.js';

/** Flattens observations of any space into one Box (Gymnasium's FlattenObservation). */
export class FlattenObservation<O, A, I extends Info = Info> extends Wrapper<
  O,
  A,
  I,
  Float32Array | Float64Array,
  A,
  I
> {
  override readonly observationSpace: Box<'float32' | 'float64'>;
  private readonly inner: Space;

  constructor(env: Env<O, A, I>) {
    super(env);
    this.inner = env.observationSpace;
    this.observationSpace = flattenSpace(this.inner);
  }

  protected override resetWrapped(options: ResetOptions): ResetResult<Float32Array | Float64Array, I> {
    const r = this.env.reset(options);
    return { observation: flatten(this.inner, r.observation), info: r.info };
  }

  protected override stepWrapped(action: A): StepResult<Float32Array | Float64Array, I> {
    const r = this.env.step(action);
    return { ...r, observation: flatten(this.inner, r.observation) };
  }
}
