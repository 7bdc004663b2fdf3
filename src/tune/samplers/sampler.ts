/** The sampler contract ({@link Sampler}). */
import type { Rng } from '../../core/rng.js';
import type { SearchSpace, Settings } from '../space.js';

/** A finished trial as samplers see it; `loss` is minimised (null: the trial failed). */
export interface Observation {
  readonly number: number;
  /** Values of every parameter of the space. */
  readonly params: Readonly<Settings>;
  readonly loss: number | null;
  /** What the sampler noted when proposing it (see `Proposal.attrs`). */
  readonly attrs: Readonly<Record<string, unknown>>;
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
