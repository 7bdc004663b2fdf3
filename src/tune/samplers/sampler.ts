/**
 * The sampler contract: given the search space and the finished trials, propose the next
 * settings. Samplers are pure: everything random comes from the context's Rng, which is a
 * function of the study seed and the trial number only, so a resumed study proposes exactly
 * what an uninterrupted one would have.
 */
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

export interface SampleContext {
  readonly trialNumber: number;
  readonly studySeed: number;
  /** This trial's random stream. */
  readonly rng: Rng;
}

export interface Proposal {
  readonly params: Settings;
  /** Notes kept with the trial (JSON): a GP fit to warm-start from, the acquisition value. */
  readonly attrs?: Record<string, unknown>;
}

export interface Sampler {
  readonly name: string;
  /** JSON configuration, recorded with a study so a resume with other settings is refused. */
  readonly config: Readonly<Record<string, unknown>>;
  sample(space: SearchSpace, history: readonly Observation[], ctx: SampleContext): Proposal;
}
