import { InputError, show } from '../../src/core/errors.js';
import type { Env, Info, ResetOptions, ResetResult, StepResult } from '../core.js';
import { Wrapper } from './wrapper.js';

/** Gymnasium's default number of episodes kept. */
const DEFAULT_BUFFER_LENGTH = 100;

/** `info.episode` at the end of an episode ({@link RecordEpisodeStatistics}). */
export interface EpisodeStatistics {
  /** Return: the sum of rewards. */
  readonly r: number;
  /** Length in steps. */
  readonly l: number;
  /** Seconds from reset to the end. */
  readonly t: number;
}

/** An info type with {@link RecordEpisodeStatistics}'s `episode` field. */
export type WithEpisode<I extends Info> = I & { readonly episode?: EpisodeStatistics };

/**
 * Records episode return, length and duration (Gymnasium's RecordEpisodeStatistics): at the
 * end of an episode, `info.episode = {r, l, t}` (return, length in steps, seconds since the
 * reset), and the last `bufferLength` returns and lengths are kept in `returnQueue` /
 * `lengthQueue`. The clock is injectable so runs that compare infos stay deterministic.
 */
export class RecordEpisodeStatistics<O, A, I extends Info = Info> extends Wrapper<
  O,
  A,
  I,
  O,
  A,
  WithEpisode<I>
> {
  readonly returnQueue: number[] = [];
  readonly lengthQueue: number[] = [];
  readonly timeQueue: number[] = [];
  readonly bufferLength: number;
  /** Episodes finished so far. */
  episodeCount = 0;
  private readonly clock: () => number;
  private episodeReturn = 0;
  private episodeLength = 0;
  private start = 0;

  constructor(env: Env<O, A, I>, options: { bufferLength?: number; clock?: () => number } = {}) {
    super(env);
    this.bufferLength = options.bufferLength ?? DEFAULT_BUFFER_LENGTH;
    if (!Number.isInteger(this.bufferLength) || this.bufferLength < 1)
      throw new InputError(
        `RecordEpisodeStatistics bufferLength must be a positive integer, got ${show(this.bufferLength)}`,
      );
    this.clock = options.clock ?? (() => performance.now() / 1000);
  }

  protected override resetWrapped(options: ResetOptions): ResetResult<O, WithEpisode<I>> {
    const r = this.env.reset(options);
    this.episodeReturn = 0;
    this.episodeLength = 0;
    this.start = this.clock();
    return r;
  }

  protected override stepWrapped(action: A): StepResult<O, WithEpisode<I>> {
    const r = this.env.step(action);
    this.episodeReturn += r.reward;
    this.episodeLength++;
    if (!r.terminated && !r.truncated) return r;
    const episode = { r: this.episodeReturn, l: this.episodeLength, t: this.clock() - this.start };
    this.episodeCount++;
    push(this.returnQueue, episode.r, this.bufferLength);
    push(this.lengthQueue, episode.l, this.bufferLength);
    push(this.timeQueue, episode.t, this.bufferLength);
    return { ...r, info: { ...r.info, episode } };
  }
}

function push(q: number[], v: number, max: number): void {
  q.push(v);
  if (q.length > max) q.shift();
}
