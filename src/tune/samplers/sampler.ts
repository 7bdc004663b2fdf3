/** The sampler contract ({@link Sampler}). */
import type { Rng } from '../../core/rng.js';
import type { SearchSpace, Settings } from '../space.js';
import type { TrialState } from '../storage.js';

/**
 * A finished trial as samplers see it; `loss` is minimised (null: the trial failed or was
 * pruned before its final value).
 */
export interface Observation {
  readonly number: number;
  /** Values of every parameter of the space. */
  readonly params: Readonly<Settings>;
  readonly loss: number | null;
  /** What the sampler noted when proposing it (see `Proposal.attrs`). */
  readonly attrs: Readonly<Record<string, unknown>>;
  /** How the trial ended (absent: complete when `loss` is set, else failed). */
  readonly state?: TrialState;
  /** Intermediate values by step, oriented for minimisation like `loss`. */
  readonly intermediate?: Readonly<Record<number, number>>;
}

/** The trial's last step and its value, or null when it reported nothing. */
export function lastIntermediate(o: Observation): { step: number; value: number } | null {
  let step = -1;
  for (const k of Object.keys(o.intermediate ?? {})) step = Math.max(step, Number(k));
  if (step < 0) return null;
  const value = o.intermediate![step]!;
  return Number.isFinite(value) ? { step, value } : null;
}

/**
 * Final losses for pruned trials, so models that need one per trial can use them: the value
 * at the trial's last step plus the median, over complete trials that reported that step, of
 * (final loss - value at that step). Where no complete trial reported the step, null.
 */
export function imputePrunedLoss(o: Observation, history: readonly Observation[]): number | null {
  const last = lastIntermediate(o);
  if (!last) return null;
  const shifts: number[] = [];
  for (const h of history) {
    if (h.loss === null) continue;
    const v = h.intermediate?.[last.step];
    if (v !== undefined && Number.isFinite(v)) shifts.push(h.loss - v);
  }
  if (!shifts.length) return null;
  shifts.sort((a, b) => a - b);
  const n = shifts.length;
  const med = n % 2 ? shifts[(n - 1) / 2]! : 0.5 * (shifts[n / 2 - 1]! + shifts[n / 2]!);
  return last.value + med;
}

/** What a sampler knows about the trial it proposes. */
export interface SampleContext {
  readonly trialNumber: number;
  readonly studySeed: number;
  /** This trial's random stream. */
  readonly rng: Rng;
}

/** What {@link Sampler.sample} returns. */
export interface Proposal {
  readonly params: Settings;
  /** Notes kept with the trial (JSON): a GP fit to warm-start from, the acquisition value. */
  readonly attrs?: Record<string, unknown>;
}

/**
 * Proposes the next settings of a study: given the search space and the finished trials,
 * {@link Sampler.sample | sample} returns a value for every parameter of the space.
 *
 * Samplers are pure: everything random comes from the context's {@link Rng}, which is a
 * function of the study seed and the trial number only, so a resumed study proposes exactly
 * what an uninterrupted one would have. Losses are oriented for minimisation (a maximising
 * study negates them) and failed trials have a null loss.
 */
export interface Sampler {
  /** Recorded with the study (`gp`, `halton`, `random`). */
  readonly name: string;
  /** JSON configuration, recorded with a study so a resume with other settings is refused. */
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * The next settings: a value inside its distribution for every parameter of `space`.
   *
   * @param history - the finished trials over this space, in order.
   */
  sample(space: SearchSpace, history: readonly Observation[], ctx: SampleContext): Proposal;
}
