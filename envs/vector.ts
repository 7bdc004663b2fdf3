/**
 * A synchronous vector environment (Gymnasium 1.x SyncVectorEnv): n copies stepped in turn,
 * observations stacked along a new leading axis (`batchSpace` / `concatenate`).
 *
 * - Seeds: `reset({seed: s})` seeds env i with s + i; `reset({seed: [s0, s1, ...]})` gives each
 *   its own (undefined = continue its stream). The first reset without seeds seeds env i with
 *   i, so the copies never replay the same episodes.
 * - Autoreset, `'next-step'` (Gymnasium 1.x's default): after env i ends, the next `step`
 *   resets it instead of stepping it (its action is ignored) and reports the reset
 *   observation with reward 0, not terminated, not truncated, and the reset info.
 *   `'same-step'`: the env is reset within the step that ended it; the step reports the reset
 *   observation, and the info is the reset info plus `finalObservation` and `finalInfo` of
 *   the ended episode.
 * - Actions: an array of n single actions (`actionSpace`, a Tuple of n copies of the single
 *   action space, samples exactly that). Infos: an array of n info objects (Gymnasium merges
 *   them into one dict of arrays; per-env objects are easier to read and to type).
 */
import { InputError, show } from '../src/core/errors.js';
import { batchSpace, concatenate } from './batch.js';
import { type Env, type Info, ResetNeededError } from './core.js';
import { type Space, Tuple } from './spaces.js';

export type AutoresetMode = 'next-step' | 'same-step';

export interface VectorResetOptions {
  readonly seed?: number | readonly (number | undefined)[];
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface VectorResetResult<BO, I extends Info> {
  readonly observations: BO;
  readonly infos: I[];
}

export interface VectorStepResult<BO, I extends Info> {
  readonly observations: BO;
  readonly rewards: Float64Array;
  /** 1 where the env's episode terminated at this step. */
  readonly terminations: Uint8Array;
  /** 1 where it was truncated. */
  readonly truncations: Uint8Array;
  readonly infos: I[];
}

export interface SameStepInfo {
  readonly finalObservation?: unknown;
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

export class SyncVectorEnv<O = unknown, A = unknown, I extends Info = Info, BO = Batched<O>> {
  readonly envs: readonly Env<O, A, I>[];
  readonly numEnvs: number;
  readonly singleObservationSpace: Space;
  readonly singleActionSpace: Space;
  /** The batched observation space. */
  readonly observationSpace: Space;
  /** n copies of the single action space: a sample is an array of n actions. */
  readonly actionSpace: Tuple;
  readonly autoresetMode: AutoresetMode;
  private readonly pending: Uint8Array;
  private started = false;

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

  render(): string {
    return this.envs.map((e, i) => `--- env ${i} ---\n${e.render()}`).join('\n');
  }

  close(): void {
    for (const e of this.envs) e.close();
  }
}
