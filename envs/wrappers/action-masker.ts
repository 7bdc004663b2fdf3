import { InputError, show } from '../../src/core/errors.js';
import type { Env, Info, ResetOptions, ResetResult, StepResult } from '../core.js';
import { Discrete, MultiDiscrete } from '../spaces.js';
import { Wrapper } from './wrapper.js';

/**
 * Exposes the current action mask as one flat 0/1 array (sb3-contrib's ActionMasker, the
 * form maskable policies consume): `actionMasks()` returns n entries for Discrete(n), and the
 * per-entry masks concatenated (sum of nvec entries) for MultiDiscrete. By default the mask
 * is read from `info.actionMask` of the last reset or step (the M3E environments provide
 * it); pass `maskFn` to compute it otherwise. Without any mask, every action is allowed.
 */
export class ActionMasker<O, A, I extends Info = Info> extends Wrapper<O, A, I> {
  private readonly size: number;
  private last: Int8Array;
  private readonly maskFn: ((env: Env<O, A, I>, info: I) => unknown) | undefined;

  constructor(env: Env<O, A, I>, maskFn?: (env: Env<O, A, I>, info: I) => unknown) {
    super(env);
    const s = env.actionSpace;
    if (s instanceof Discrete) this.size = s.n;
    else if (s instanceof MultiDiscrete) this.size = s.nvec.reduce((a, b) => a + b, 0);
    else throw new InputError(`ActionMasker needs a Discrete or MultiDiscrete action space, got ${s}`);
    this.maskFn = maskFn;
    this.last = new Int8Array(this.size).fill(1);
  }

  /** The allowed actions now, flat (a copy). */
  actionMasks(): Int8Array {
    return this.last.slice();
  }

  private capture(info: I): void {
    const raw = this.maskFn ? this.maskFn(this.env, info) : info.actionMask;
    if (raw === undefined) {
      this.last.fill(1);
      return;
    }
    const parts =
      Array.isArray(raw) && raw.length > 0 && typeof raw[0] !== 'number'
        ? (raw as ArrayLike<number>[])
        : [raw as ArrayLike<number>];
    let total = 0;
    for (const p of parts) {
      if (!p || typeof p.length !== 'number')
        throw new InputError(`ActionMasker: the mask must be 0/1 arrays, got ${show(raw)}`);
      total += p.length;
    }
    if (total !== this.size)
      throw new InputError(
        `ActionMasker: the mask has ${total} entries, the action space ${this.env.actionSpace} needs ${this.size}`,
      );
    const out = new Int8Array(this.size);
    let o = 0;
    for (const p of parts) {
      for (let i = 0; i < p.length; i++) out[o + i] = p[i] ? 1 : 0;
      o += p.length;
    }
    this.last = out;
  }

  protected override resetWrapped(options: ResetOptions): ResetResult<O, I> {
    const r = this.env.reset(options);
    this.capture(r.info);
    return r;
  }

  protected override stepWrapped(action: A): StepResult<O, I> {
    const r = this.env.step(action);
    this.capture(r.info);
    return r;
  }
}
