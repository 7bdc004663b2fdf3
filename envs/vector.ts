/** A synchronous vector environment ({@link SyncVectorEnv}). */
import { InputError, show } from '../src/core/errors.js';
import { batchSpace, concatenate } from './batch.js';
import { type Env, type Info, ResetNeededError } from './core.js';
import { type Space, Tuple } from './spaces.js';

/**
 * When a {@link SyncVectorEnv} resets a copy whose episode ended (Gymnasium 1.x's
 * `AutoresetMode`): `'next-step'` at the copy's next step, `'same-step'` within the step that
 * ended it. See {@link SyncVectorEnv.step}.
 */
export type AutoresetMode = 'next-step' | 'same-step';

/** The argument of {@link SyncVectorEnv.reset}. */
export interface VectorResetOptions {
  /**
   * One number s seeds copy i with s + i; an array gives each copy its own seed (undefined:
   * that copy continues its stream). Without seeds, the first reset seeds copy i with i and
   * later resets continue every stream.
   */
  readonly seed?: number | readonly (number | undefined)[];
  /** Episode options passed to every copy's reset. */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** What {@link SyncVectorEnv.reset} returns. */
export interface VectorResetResult<BO, I extends Info> {
  /** The copies' observations stacked along a new leading axis ({@link concatenate}). */
  readonly observations: BO;
  /** One info per copy. */
  readonly infos: I[];
}

/** What {@link SyncVectorEnv.step} returns: per copy, the fields of {@link StepResult}. */
export interface VectorStepResult<BO, I extends Info> {
  /** The copies' observations stacked along a new leading axis. */
  readonly observations: BO;
  /** The copies' rewards (0 for a copy that was autoreset in next-step mode). */
  readonly rewards: Float64Array;
  /** 1 where the copy's episode terminated at this step. */
  readonly terminations: Uint8Array;
  /** 1 where the copy's episode was truncated at this step. */
  readonly truncations: Uint8Array;
  /** One info per copy. */
  readonly infos: I[];
}

/** The info fields a `'same-step'` autoreset adds for the copy whose episode just ended. */
export interface SameStepInfo {
  /** The last observation of the ended episode (the step reports the reset one). */
  readonly finalObservation?: unknown;
  /** The info of the ended episode's last step. */
  readonly finalInfo?: Info;
}

/** The batched form of an observation type (typed arrays stack into one typed array). */
export type Batched<O> = O extends Float32Array
  ? Float32Array
  : O extends Float64Array
    ? Float64Array
    : O extends Int32Array | number
      ? Int32Array
      : unknown;

/**
 * n copies of an environment stepped in turn (Gymnasium 1.x's `SyncVectorEnv`), so one call
 * steps them all. Observations are stacked along a new leading axis ({@link batchSpace},
 * {@link concatenate}); actions are an array of n single actions; infos an array of n info
 * objects (Gymnasium merges them into one dict of arrays; per-copy objects are easier to read
 * and to type).
 *
 * Episodes end independently: a copy whose episode ended is reset automatically, as the
 * {@link AutoresetMode} says (see {@link SyncVectorEnv.step | step}), so a vector env never
 * needs a reset after the first one.
 *
 * @typeParam BO - the batched observation type ({@link Batched})
 */
export class SyncVectorEnv<O = unknown, A = unknown, I extends Info = Info, BO = Batched<O>> {
  /** The copies, in order. */
  readonly envs: readonly Env<O, A, I>[];
  readonly numEnvs: number;
  /** Every copy's observation space (the copies must have equal spaces). */
  readonly singleObservationSpace: Space;
  /** Every copy's action space. */
  readonly singleActionSpace: Space;
  /** The batched observation space. */
  readonly observationSpace: Space;
  /** n copies of the single action space: a sample is an array of n actions. */
  readonly actionSpace: Tuple;
  readonly autoresetMode: AutoresetMode;
  private readonly pending: Uint8Array;
  private started = false;

  /**
   * @param envs - the copies, or functions that make them (distinct objects with equal spaces).
   * @param options - `autoresetMode`, default `'next-step'` (Gymnasium 1.x's default).
   * @throws `InputError` for no env, a repeated env object, spaces that differ, or an
   *   unknown autoreset mode.
   */
  constructor(
    envs: readonly (Env<O, A, I> | (() => Env<O, A, I>))[],
    options: { autoresetMode?: AutoresetMode } = {},
  ) {
    if (envs.length === 0) throw new InputError('a vector env needs at least one env');
    this.envs = envs.map((e) => (typeof e === 'function' ? e() : e));
    if (new Set(this.envs).size !== this.envs.length)
      throw new InputError('a vector env needs distinct env objects');
    this.numEnvs = this.envs.length;
    const first = this.envs[0]!;
    this.envs.forEach((e, i) => {
      if (!e.observationSpace.equals(first.observationSpace) || !e.actionSpace.equals(first.actionSpace))
        throw new InputError(
          `env ${i} has spaces ${e.observationSpace} / ${e.actionSpace}, env 0 has ${first.observationSpace} / ${first.actionSpace}`,
        );
    });
    this.singleObservationSpace = first.observationSpace;
    this.singleActionSpace = first.actionSpace;
    this.observationSpace = batchSpace(first.observationSpace, this.numEnvs);
    this.actionSpace = new Tuple(this.envs.map((_, i) => first.actionSpace.clone(i)));
    this.autoresetMode = options.autoresetMode ?? 'next-step';
    if (this.autoresetMode !== 'next-step' && this.autoresetMode !== 'same-step')
      throw new InputError(
        `autoresetMode must be "next-step" or "same-step", got ${show(this.autoresetMode)}`,
      );
    this.pending = new Uint8Array(this.numEnvs);
  }

  private seeds(seed: VectorResetOptions['seed']): (number | undefined)[] {
    const n = this.numEnvs;
    if (seed === undefined) return Array.from({ length: n }, (_, i) => (this.started ? undefined : i));
    if (typeof seed === 'number') return Array.from({ length: n }, (_, i) => seed + i);
    if (seed.length !== n) throw new InputError(`reset needs ${n} seeds (one per env), got ${seed.length}`);
    return [...seed];
  }

  /**
   * Resets every copy (seeds as {@link VectorResetOptions.seed} says) and forgets pending
   * autoresets.
   *
   * @throws `InputError` when an array of seeds does not have one seed per copy.
   */
  reset(options: VectorResetOptions = {}): VectorResetResult<BO, I> {
    const seeds = this.seeds(options.seed);
    const obs: O[] = [];
    const infos: I[] = [];
    this.envs.forEach((env, i) => {
      const r = env.reset({
        ...(seeds[i] !== undefined ? { seed: seeds[i] } : {}),
        ...(options.options ? { options: options.options } : {}),
      });
      obs.push(r.observation);
      infos.push(r.info);
    });
    this.pending.fill(0);
    this.started = true;
    return { observations: concatenate(this.singleObservationSpace, obs) as BO, infos };
  }

  /**
   * Steps every copy with its action, in order.
   *
   * Autoreset, `'next-step'`: a copy whose episode ended at the previous step is reset
   * instead of stepped; its action is ignored, and the step reports the reset observation,
   * reward 0, not terminated, not truncated, and the reset info. `'same-step'`: a copy whose
   * episode ends at this step is reset within it; the step reports the reset observation with
   * the ending step's reward and flags, and the reset info plus {@link SameStepInfo}'s
   * `finalObservation` and `finalInfo`.
   *
   * @param actions - one action per copy.
   * @throws {@link ResetNeededError} before the first reset; `InputError` for a wrong number
   *   of actions, or (from the copy) a bad action.
   */
  step(actions: readonly A[]): VectorStepResult<BO, I> {
    if (!this.started) throw new ResetNeededError('SyncVectorEnv: step() called before reset()');
    const n = this.numEnvs;
    if (!Array.isArray(actions) || actions.length !== n)
      throw new InputError(`actions must be an array of ${n} actions (one per env), got ${show(actions)}`);
    const obs: O[] = [];
    const infos: I[] = [];
    const rewards = new Float64Array(n);
    const terminations = new Uint8Array(n);
    const truncations = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const env = this.envs[i]!;
      if (this.pending[i]) {
        const r = env.reset();
        this.pending[i] = 0;
        obs.push(r.observation);
        infos.push(r.info);
        continue;
      }
      const r = env.step(actions[i]!);
      rewards[i] = r.reward;
      terminations[i] = r.terminated ? 1 : 0;
      truncations[i] = r.truncated ? 1 : 0;
      const ended = r.terminated || r.truncated;
      if (ended && this.autoresetMode === 'same-step') {
        const rr = env.reset();
        obs.push(rr.observation);
        infos.push({ ...rr.info, finalObservation: r.observation, finalInfo: r.info });
        continue;
      }
      if (ended) this.pending[i] = 1;
      obs.push(r.observation);
      infos.push(r.info);
    }
    return {
      observations: concatenate(this.singleObservationSpace, obs) as BO,
      rewards,
      terminations,
      truncations,
      infos,
    };
  }

  /**
   * Random actions, one per env, each drawn with its `info.actionMask` when it has one: pass
   * the infos of the last reset or step. An env about to be autoreset (next-step mode) gets
   * an unmasked sample, since its action is ignored and its final mask may allow nothing.
   */
  sampleActions(infos?: readonly Info[]): A[] {
    return this.actionSpace.spaces.map((space: Space, i: number) => {
      const mask = this.pending[i] ? undefined : infos?.[i]?.actionMask;
      return space.sample(mask) as A;
    });
  }

  /** Every copy's render, one after another under a `--- env i ---` line. */
  render(): string {
    return this.envs.map((e, i) => `--- env ${i} ---\n${e.render()}`).join('\n');
  }

  /** Closes every copy. */
  close(): void {
    for (const e of this.envs) e.close();
  }
}
