/**
 * The environment contract ({@link Env}), Gymnasium 1.x's `Env` in TypeScript, and the base
 * class that enforces it ({@link BaseEnv}).
 */
import { InputError, show } from '../src/core/errors.js';
import { Rng } from '../src/core/rng.js';
import type { Space } from './spaces.js';

/**
 * Auxiliary diagnostic information of a reset or a step (Gymnasium's `info` dict). Each
 * environment documents its fields; the M3E environments report, for example, the action
 * mask (`actionMask`) and, at the end of an episode, the evaluated mapping's makespan.
 */
export type Info = Record<string, unknown>;

/** The argument of {@link Env.reset}. */
export interface ResetOptions {
  /**
   * Re-seeds the environment's generator with this non-negative integer before the episode
   * starts. Without it the generator continues its stream (a never-seeded environment
   * starts from {@link DEFAULT_ENV_SEED}).
   */
  readonly seed?: number;
  /**
   * Options of this episode only, defined by each environment; an option the environment
   * does not know is an `InputError` (see {@link checkResetOptions}).
   */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** What {@link Env.reset} returns: the first observation of the episode and its info. */
export interface ResetResult<O, I extends Info = Info> {
  /** An element of the environment's `observationSpace`; a fresh object the caller may keep. */
  readonly observation: O;
  /** Diagnostic information; a fresh object the caller may keep. */
  readonly info: I;
}

/** What {@link Env.step} returns. */
export interface StepResult<O, I extends Info = Info> {
  /**
   * The observation after the action: an element of `observationSpace`, a fresh object the
   * caller may keep (the environment never writes to it again).
   */
  readonly observation: O;
  /** The reward for taking the action (a finite number). */
  readonly reward: number;
  /**
   * The episode reached a terminal state of the task (as the task's MDP defines it). The
   * return is then final: there is no value to bootstrap from.
   */
  readonly terminated: boolean;
  /**
   * The episode was cut short by a condition outside the task, typically a time limit
   * ({@link TimeLimit}); the state is not terminal, and learners bootstrap from it. Both
   * flags may be true at once.
   */
  readonly truncated: boolean;
  /** Diagnostic information; a fresh object the caller may keep. */
  readonly info: I;
}

/** Static facts about an environment (Gymnasium's `metadata`). */
export interface EnvMetadata {
  /** `render()` returns text (Gymnasium's "ansi" mode). */
  readonly renderModes: readonly string[];
}

/** How a registered environment was made (set by {@link make}). */
export interface EnvSpecRef {
  /** The registered id, such as `m3e/Sequential-v0`. */
  readonly id: string;
  /** The resolved options `make` passed, and a description of the problem source. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The time limit `make` wrapped the environment in, if any. */
  readonly maxEpisodeSteps?: number;
}

/**
 * A reinforcement-learning environment, Gymnasium 1.x's `Env`: an episode starts with
 * {@link Env.reset | reset} and advances one action at a time with {@link Env.step | step}
 * until the step that reports `terminated` or `truncated`.
 *
 * Invariants every environment of the package keeps (the checker, {@link checkEnv}, tests
 * them, and {@link BaseEnv} and {@link Wrapper} enforce the call order):
 *
 * - Seeding only through `reset({seed})`, which re-seeds the environment's generator;
 *   `reset()` without a seed continues the stream. The same seed and the same actions give
 *   the same observations, rewards and infos.
 * - `step` before the first `reset`, or after the step that ended the episode, throws
 *   {@link ResetNeededError} (Gymnasium's `OrderEnforcing`, built in).
 * - An action outside `actionSpace`, or forbidden by the current action mask, throws an
 *   `InputError` naming the bad entry; the environment is left unchanged and nothing is
 *   clipped.
 * - Observations are elements of `observationSpace`; observations and infos are fresh
 *   objects the caller may keep.
 * - Spaces never change during the environment's life.
 *
 * Differences from Gymnasium, on purpose: an environment never seeded starts from seed 0
 * ({@link DEFAULT_ENV_SEED}) and a space from seed 0, not from OS entropy, so every run is
 * reproducible unless the seed varies; and a bad action throws rather than being clipped
 * or producing undefined behaviour.
 *
 * @typeParam O - observation type
 * @typeParam A - action type
 * @typeParam I - info type
 */
export interface Env<O = unknown, A = unknown, I extends Info = Info> {
  /**
   * The valid actions. Its samples are valid actions, given the current `info.actionMask`
   * when the environment reports one (`actionSpace.sample(info.actionMask)`).
   */
  readonly actionSpace: Space<A>;
  /** The set every observation is an element of. */
  readonly observationSpace: Space<O>;
  readonly metadata: EnvMetadata;
  /** Set by {@link make}; null for an environment constructed directly. */
  spec: EnvSpecRef | null;
  /** The innermost environment under any wrappers (itself when not wrapped). */
  readonly unwrapped: Env;
  /**
   * Starts a new episode and returns its first observation.
   *
   * @param options - `seed` re-seeds the environment's generator first (otherwise the
   *   stream continues); `options` are the environment's per-episode options.
   * @returns the first observation (an element of `observationSpace`) and its info.
   * @throws `InputError` for a seed that is not a non-negative integer, or an unknown or
   *   invalid episode option.
   */
  reset(options?: ResetOptions): ResetResult<O, I>;
  /**
   * Runs one timestep of the environment's dynamics with `action`. When the result has
   * `terminated` or `truncated` set, the episode is over: call `reset` before stepping again.
   *
   * @param action - an element of `actionSpace`, allowed by the current action mask when
   *   the environment reports one.
   * @returns the next observation, the reward, whether the episode terminated or was
   *   truncated, and the info.
   * @throws {@link ResetNeededError} before the first `reset` or after the episode ended.
   * @throws `InputError` naming the bad entry when the action is not in `actionSpace` or is
   *   masked out; the environment is then unchanged.
   */
  step(action: A): StepResult<O, I>;
  /** A text picture of the current state (Gymnasium's "ansi" render mode). */
  render(): string;
  /** Releases what the environment holds; the environment is not used afterwards. */
  close(): void;
}

/** Any environment, whatever its types (registries, checkers, vector envs). */
// biome-ignore lint/suspicious/noExplicitAny: an env of any action type must be storable here.
export type AnyEnv = Env<any, any, any>;

/**
 * Gymnasium's `ResetNeeded`: thrown by {@link Env.step} before the first reset or after the
 * step that ended the episode.
 */
export class ResetNeededError extends Error {
  override readonly name = 'ResetNeededError';
}

/** Seed of an environment that was never given one. */
export const DEFAULT_ENV_SEED = 0;

/**
 * Returns `seed` when it is a valid reset seed (a non-negative integer).
 *
 * @throws `InputError` naming the value otherwise.
 */
export function checkSeed(seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0)
    throw new InputError(`reset seed must be a non-negative integer, got ${show(seed)}`);
  return seed;
}

/**
 * Throws an `InputError` unless `x` is in `space`; the message names the bad entry (via
 * {@link Space.explain}), the space, and `what` (`'action'`, ...).
 */
export function assertInSpace(space: Space, x: unknown, what: string): void {
  const why = space.explain(x, what);
  if (why) {
    const s = String(space);
    const shown = s.length > MAX_SPACE_TEXT ? `${s.slice(0, MAX_SPACE_TEXT - 3)}...` : s;
    throw new InputError(`${why}; the ${what} space is ${shown}`);
  }
}

/** Error messages stay one readable line even for a 100-job encoding space. */
const MAX_SPACE_TEXT = 120;

type Phase = 'new' | 'running' | 'done';

/**
 * Base of the package's environments: it implements seeding and the call order of the
 * {@link Env} contract, so an environment writes only {@link BaseEnv.resetEpisode | resetEpisode},
 * {@link BaseEnv.stepEpisode | stepEpisode} and `render`, declares its two spaces, and checks
 * its actions with {@link assertInSpace}.
 */
export abstract class BaseEnv<O, A, I extends Info = Info> implements Env<O, A, I> {
  abstract readonly actionSpace: Space<A>;
  abstract readonly observationSpace: Space<O>;
  readonly metadata: EnvMetadata = { renderModes: ['ansi'] };
  spec: EnvSpecRef | null = null;
  private phase: Phase = 'new';
  private generator: Rng | null = null;

  get unwrapped(): Env {
    return this;
  }

  /** The env's generator (seeded by reset); for subclasses. */
  protected get rng(): Rng {
    if (!this.generator) throw new ResetNeededError(`${this.label}: call reset() first`);
    return this.generator;
  }

  protected get label(): string {
    return this.spec?.id ?? this.constructor.name;
  }

  reset(options: ResetOptions = {}): ResetResult<O, I> {
    if (options.seed !== undefined) this.generator = new Rng(checkSeed(options.seed));
    else if (!this.generator) this.generator = new Rng(DEFAULT_ENV_SEED);
    const result = this.resetEpisode(this.generator, options.options ?? {});
    this.phase = 'running';
    return result;
  }

  step(action: A): StepResult<O, I> {
    if (this.phase === 'new') throw new ResetNeededError(`${this.label}: step() called before reset()`);
    if (this.phase === 'done')
      throw new ResetNeededError(`${this.label}: step() called after the episode ended; call reset()`);
    const result = this.stepEpisode(action);
    if (result.terminated || result.truncated) this.phase = 'done';
    return result;
  }

  close(): void {}

  abstract render(): string;

  /**
   * Starts an episode: called by `reset` after seeding.
   *
   * @param rng - the environment's generator (re-seeded when `reset` got a seed): the only
   *   source of randomness an environment may use.
   * @param options - the episode options given to `reset` (empty when none); reject unknown
   *   ones with {@link checkResetOptions}.
   */
  protected abstract resetEpisode(rng: Rng, options: Readonly<Record<string, unknown>>): ResetResult<O, I>;

  /**
   * Advances the episode by one action: called by `step` only while an episode runs. Check
   * the action (with {@link assertInSpace}) before changing any state, so a bad action
   * leaves the environment unchanged.
   */
  protected abstract stepEpisode(action: A): StepResult<O, I>;
}

/**
 * Rejects episode options the environment does not know (a typo must not be ignored).
 *
 * @param env - the environment's name, for the message.
 * @param known - the option names the environment accepts.
 * @throws `InputError` naming the first unknown option and the known ones.
 */
export function checkResetOptions(
  env: string,
  options: Readonly<Record<string, unknown>>,
  known: readonly string[],
): void {
  for (const k of Object.keys(options))
    if (!known.includes(k))
      throw new InputError(
        `${env}: unknown reset option ${show(k)} (known: ${known.length ? known.join(', ') : 'none'})`,
      );
}
