import {
  type Env,
  type EnvMetadata,
  type EnvSpecRef,
  type Info,
  ResetNeededError,
  type ResetOptions,
  type ResetResult,
  type StepResult,
} from '../core.js';
import type { Space } from '../spaces.js';

/**
 * Base of the wrappers (Gymnasium's `Wrapper`): forwards everything to the wrapped env, and
 * enforces the call order from its own point of view (a wrapper that truncates an episode
 * must refuse the next step even though the inner env would accept it).
 *
 * Subclasses override `resetWrapped` / `stepWrapped` (and the spaces when they change them).
 */
export abstract class Wrapper<O, A, I extends Info = Info, WO = O, WA = A, WI extends Info = I>
  implements Env<WO, WA, WI>
{
  /** The wrapped environment. */
  readonly env: Env<O, A, I>;
  /** The wrapped env's spaces unless the wrapper changes them (in its constructor). */
  readonly actionSpace: Space<WA>;
  readonly observationSpace: Space<WO>;
  private phase: 'new' | 'running' | 'done' = 'new';

  constructor(env: Env<O, A, I>) {
    this.env = env;
    // A wrapper that changes a space assigns its own in its constructor.
    this.actionSpace = env.actionSpace as unknown as Space<WA>;
    this.observationSpace = env.observationSpace as unknown as Space<WO>;
  }

  get metadata(): EnvMetadata {
    return this.env.metadata;
  }

  get spec(): EnvSpecRef | null {
    return this.env.spec;
  }

  set spec(s: EnvSpecRef | null) {
    this.env.spec = s;
  }

  get unwrapped(): Env {
    return this.env.unwrapped;
  }

  reset(options: ResetOptions = {}): ResetResult<WO, WI> {
    const r = this.resetWrapped(options);
    this.phase = 'running';
    return r;
  }

  step(action: WA): StepResult<WO, WI> {
    if (this.phase === 'new')
      throw new ResetNeededError(`${this.constructor.name}: step() called before reset()`);
    if (this.phase === 'done')
      throw new ResetNeededError(
        `${this.constructor.name}: step() called after the episode ended; call reset()`,
      );
    const r = this.stepWrapped(action);
    if (r.terminated || r.truncated) this.phase = 'done';
    return r;
  }

  render(): string {
    return this.env.render();
  }

  close(): void {
    this.env.close();
  }

  /** What `reset` returns (the call order is checked already); default: the inner reset's. */
  protected resetWrapped(options: ResetOptions): ResetResult<WO, WI> {
    return this.env.reset(options) as unknown as ResetResult<WO, WI>;
  }

  /** What `step` returns (called only while an episode runs); default: the inner step's. */
  protected stepWrapped(action: WA): StepResult<WO, WI> {
    return this.env.step(action as unknown as A) as unknown as StepResult<WO, WI>;
  }
}
