/**
 * The rollout algorithm on the dispatching policy (Bertsekas's rollout, "fortified"): the
 * greedy policy's schedule is improved one decision at a time. At decision t the policy's
 * `width` most likely actions are each tried, every one completed by the greedy policy; the
 * best complete schedule found so far is kept, and its first t + 1 actions fix decision t.
 * The result is never worse than the greedy rollout, and costs about (width - 1) x J / 2
 * greedy rollouts for J jobs (each completion runs from decision t to the end; the fixed
 * prefix is replayed without the network).
 *
 * The environment is deterministic, so a schedule is its list of actions: replaying a prefix
 * reaches the same state. `maxCompletions` caps the work; the decisions left once it is
 * spent keep the best schedule's actions.
 */

import type { Encoding } from '../../src/core/encoding.js';
import type { JobTable } from '../../src/core/table.js';
import { DispatchEnv, type DispatchInfo, type DispatchObservation, fixedTable } from '../gym.js';
import {
  CONTEXT_FEATURES,
  DecisionScratch,
  decisionFeatures,
  EpisodeFeatures,
  PAIR_FEATURES,
} from './features.js';
import { DecisionBuffers, type DispatchModel, type EncodedEpisode, PendingPool } from './model.js';
import { heuristicPlan } from './plan.js';

export interface LookaheadOptions {
  /** Actions tried at each decision: the policy's `width` most likely (at least 2). */
  readonly width: number;
  /**
   * At most this many completions besides the greedy rollout (default: no limit). When
   * branching every decision would take more, every k-th decision is branched (k as small
   * as fits), starting at `offset` mod k: the improvements spread over the whole schedule.
   */
  readonly maxCompletions?: number;
  readonly offset?: number;
  /**
   * Branch only the decisions where the schedule closes a core (closing is never undone):
   * at most (width - 1) x (C - 1) completions.
   */
  readonly closesOnly?: boolean;
}

export interface LookaheadResult {
  readonly makespan: number;
  readonly encoding: Encoding;
  /** The greedy rollout's makespan (the starting point). */
  readonly greedy: number;
  /** Rollouts run, the greedy one included. */
  readonly completions: number;
  /** Environment steps taken, with or without the network. */
  readonly steps: number;
}

/** A complete schedule: its actions (J = close) and, per decision, the alternatives. */
interface Schedule {
  readonly actions: Int32Array;
  /** [n x width] the policy's most likely actions at each decision, -1 padded. */
  readonly alternatives: Int32Array;
  n: number;
  makespan: number;
  encoding: Encoding | null;
}

/** One table's environment, encoder pass and decision buffers, reused by every completion. */
class Completer {
  private readonly env: DispatchEnv;
  private readonly ep: EpisodeFeatures;
  private readonly enc: EncodedEpisode;
  private readonly buf: DecisionBuffers;
  private readonly scratch: DecisionScratch;
  private readonly context = new Float32Array(CONTEXT_FEATURES);
  private readonly pair: Float32Array;
  private readonly logits: Float32Array;
  private readonly maxJ: number;
  readonly J: number;
  steps = 0;
  completions = 0;

  constructor(
    private readonly model: DispatchModel,
    private readonly table: JobTable,
    private readonly width: number,
  ) {
    this.env = new DispatchEnv(fixedTable(table));
    const { observation } = this.env.reset({ seed: 0, options: { table } });
    this.ep = new EpisodeFeatures(observation, heuristicPlan(table));
    this.enc = model.encode(this.ep);
    this.J = this.ep.J;
    this.maxJ = this.env.capacity.maxJobs;
    this.buf = new DecisionBuffers(model.settings, this.maxJ + 1);
    this.scratch = new DecisionScratch(this.env.capacity.maxCores);
    this.pair = new Float32Array(this.J * PAIR_FEATURES);
    this.logits = new Float32Array(this.J + 1);
  }

  newSchedule(): Schedule {
    const cap = this.J + this.env.capacity.maxCores;
    return {
      actions: new Int32Array(cap),
      alternatives: new Int32Array(cap * this.width).fill(-1),
      n: 0,
      makespan: Number.POSITIVE_INFINITY,
      encoding: null,
    };
  }

  /**
   * Replays `prefix.actions[0, t)`, takes `first` at decision t, then acts greedily to the
   * end, writing the schedule into `out`. With `first` < 0 decision t is greedy too.
   */
  run(prefix: Schedule | null, t: number, first: number, out: Schedule): void {
    const { env, ep, enc, model, J, maxJ, logits } = this;
    let r: {
      observation: DispatchObservation;
      info: DispatchInfo;
      terminated?: boolean;
      truncated?: boolean;
    } = env.reset({ seed: 0, options: { table: this.table } });
    const pool = new PendingPool(enc, model.settings.dim);
    const w = this.width;
    let i = 0;
    this.completions++;
    for (;;) {
      let action: number;
      const alt = out.alternatives.subarray(i * w, (i + 1) * w);
      if (prefix && i < t) {
        action = prefix.actions[i]!;
        if (prefix !== out) alt.set(prefix.alternatives.subarray(i * w, (i + 1) * w));
      } else {
        const mask = r.info.actionMask;
        decisionFeatures(ep, r.observation, r.info.core, this.scratch, this.context, this.pair);
        model.decide(
          enc,
          r.info.core,
          this.context,
          this.pair,
          r.observation.pending,
          pool,
          this.buf,
          logits,
        );
        this.top(logits, mask, alt);
        action = i === t && first >= 0 ? first : alt[0]!;
      }
      out.actions[i] = action;
      i++;
      this.steps++;
      const s = env.step(action === J ? maxJ : action);
      if (action < J) pool.remove(enc, action);
      r = s;
      if (s.terminated || s.truncated) {
        out.n = i;
        out.makespan = s.info.makespan!;
        out.encoding = s.info.encoding!;
        return;
      }
    }
  }

  /** The `width` most likely allowed actions, best first (-1 padded). */
  private top(logits: Float32Array, mask: Int8Array, out: Int32Array): void {
    const J = this.J;
    out.fill(-1);
    for (let a = 0; a <= J; a++) {
      if (!mask[a === J ? this.maxJ : a]) continue;
      const x = logits[a]!;
      let k = out.length;
      while (k > 0 && (out[k - 1]! < 0 || logits[out[k - 1]!]! < x)) k--;
      if (k >= out.length) continue;
      out.copyWithin(k + 1, k, out.length - 1);
      out[k] = a;
    }
  }
}

/** The rollout algorithm's schedule of `table` under `model` (deterministic). */
export function lookahead(model: DispatchModel, table: JobTable, options: LookaheadOptions): LookaheadResult {
  const width = options.width;
  if (!Number.isInteger(width) || width < 2)
    throw new RangeError(`lookahead width must be an integer >= 2, got ${width}`);
  const cap = options.maxCompletions ?? Number.POSITIVE_INFINITY;
  const c = new Completer(model, table, width);
  let best = c.newSchedule();
  let trial = c.newSchedule();
  c.run(null, 0, -1, best);
  const greedy = best.makespan;
  const stride = Number.isFinite(cap) ? Math.max(1, Math.ceil((best.n * (width - 1)) / Math.max(1, cap))) : 1;
  const offset = Math.abs(Math.trunc(options.offset ?? 0)) % stride;
  for (let t = offset; t < best.n && c.completions <= cap; t += stride) {
    if (options.closesOnly && best.actions[t] !== c.J) continue;
    for (let k = 0; k < width && c.completions <= cap; k++) {
      const a = best.alternatives[t * width + k]!;
      if (a < 0) break;
      if (a === best.actions[t]) continue;
      c.run(best, t, a, trial);
      if (trial.makespan < best.makespan) [best, trial] = [trial, best];
    }
  }
  return {
    makespan: best.makespan,
    encoding: best.encoding!,
    greedy,
    completions: c.completions,
    steps: c.steps,
  };
}
