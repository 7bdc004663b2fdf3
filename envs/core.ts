/**
 * The environment contract, mirroring Gymnasium 1.x:
 *
 *   reset({seed?, options?}) -> {observation, info}
 *   step(action)             -> {observation, reward, terminated, truncated, info}
 *   render() -> text, close(), actionSpace, observationSpace
 *
 * - Seeding only through `reset({seed})`: it re-seeds the env's generator; `reset()` without
 *   a seed continues the stream. An env never seeded starts from seed 0 (Gymnasium draws OS
 *   entropy instead; here every run is reproducible unless you vary the seed).
 * - Stepping before the first reset, or after `terminated` or `truncated`, throws
 *   `ResetNeededError` (Gymnasium's OrderEnforcing, built in).
 * - An action outside `actionSpace` (or forbidden by the action mask) throws an `InputError`
 *   naming the bad entry; the env's state is unchanged, nothing is clipped.
 * - Observations and info values are fresh objects the caller may keep (as in Gymnasium).
 */
import { InputError, show } from '../src/core/errors.js';
import { Rng } from '../src/core/rng.js';
import type { Space } from './spaces.js';

export type Info = Record<string, unknown>;

export interface ResetOptions {
  /** Re-seeds the environment's generator (a non-negative integer). */
  readonly seed?: number;
  /** Environment-specific options for this episode. */
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface ResetResult<O, I extends Info = Info> {
  readonly observation: O;
  readonly info: I;
}

export interface StepResult<O, I extends Info = Info> {
  readonly observation: O;
  readonly reward: number;
  /** The episode reached a terminal state of the task. */
  readonly terminated: boolean;
  /** The episode was cut short from outside the task (a time limit). */
  readonly truncated: boolean;
  readonly info: I;
}

export interface EnvMetadata {
  /** `render()` returns text (Gymnasium's "ansi" mode). */
  readonly renderModes: readonly string[];
}

/** How a registered environment was made (set by `make`). */
export interface EnvSpecRef {
  readonly id: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly maxEpisodeSteps?: number;
}

export interface Env<O = unknown, A = unknown, I extends Info = Info> {
  /** Its samples are valid actions (given `info.actionMask` when the env provides one). */
  readonly actionSpace: Space<A>;
  readonly observationSpace: Space<O>;
  readonly metadata: EnvMetadata;
  /** Set by `make`; null for an env constructed directly. */
  spec: EnvSpecRef | null;
  /** The innermost environment under any wrappers. */
  readonly unwrapped: Env;
  reset(options?: ResetOptions): ResetResult<O, I>;
  step(action: A): StepResult<O, I>;
  /** A text picture of the current state. */
  render(): string;
  close(): void;
}

/** Any environment, whatever its types (registries, checkers, vector envs). */
// biome-ignore lint/suspicious/noExplicitAny: an env of any action type must be storable here.
export type AnyEnv = Env<any, any, any>;

/** Gymnasium's ResetNeeded: step() before reset() or after the episode ended. */
export class ResetNeededError extends Error {
  override readonly name = 'ResetNeededError';
}

/** Seed of an environment that was never given one. */
export const DEFAULT_ENV_SEED = 0;

export function checkSeed(seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0)
    throw new InputError(`reset seed must be a non-negative integer, got ${show(seed)}`);
  return seed;
}

/** Throws InputError unless `x` is in `space`; the message names the bad entry and the space. */
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
 * Base of the environments: seeding and call-order enforcement, so each environment writes
 * only `resetEpisode` and `stepEpisode`.
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
  protected abstract resetEpisode(rng: Rng, options: Readonly<Record<string, unknown>>): ResetResult<O, I>;
  protected abstract stepEpisode(action: A): StepResult<O, I>;
}

/** Rejects reset options the environment does not know (a typo must not be ignored). */
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
