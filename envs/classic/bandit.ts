import { InputError, show } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import {
  assertInSpace,
  BaseEnv,
  checkResetOptions,
  type Info,
  type ResetResult,
  type StepResult,
} from '../core.js';
import { Box, Discrete, MultiDiscrete } from '../spaces.js';

/** The name of {@link ContextualBanditEnv} (it is not registered with `make`). */
export const BANDIT_ID = 'ContextualBandit-v0';

/** Mean reward of the best allowed arm. */
const BEST_MEAN = 1;
/** Other arms' means are uniform in [0, MAX_OTHER_MEAN]: a gap of at least 0.5. */
const MAX_OTHER_MEAN = 0.5;
/** Mean of the forbidden arm in masked mode (better than the best allowed one: a trap). */
const TRAP_MEAN = 2;

/** Options of {@link ContextualBanditEnv}. */
export interface BanditOptions {
  /** Number of contexts (>= 1). */
  readonly contexts?: number;
  /** Arms of each action component; one number = Discrete, several = MultiDiscrete. */
  readonly arms?: number | readonly number[];
  /** Standard deviation of the reward noise. */
  readonly noise?: number;
  /** Forbid one (better) arm per context and component through info.actionMask. */
  readonly masked?: boolean;
  /** Seed of the reward means (the task's identity; episodes are seeded by reset). */
  readonly tableSeed?: number;
}

/** The info of {@link ContextualBanditEnv}. */
export interface BanditInfo extends Info {
  readonly context?: number;
  readonly actionMask?: Int8Array | Int8Array[];
  readonly regret?: number;
  readonly optimal?: number;
}

const DEFAULTS = { contexts: 4, arms: 4, noise: 0.1, masked: false, tableSeed: 0 };

/**
 * `ContextualBandit-v0`: one-step episodes for checking that an agent learns at all, and
 * that action masks and multi-component actions work end to end.
 *
 * Each episode draws a context c uniformly (observed one-hot); the action picks one arm per
 * component (Discrete(arms) for one component, MultiDiscrete otherwise); the reward is the
 * sum over components of mean[c][k][arm] plus Gaussian noise. The means are fixed by
 * `tableSeed`: per (context, component) one best arm with mean 1, the others uniform in
 * [0, MAX_OTHER_MEAN], so the optimum is unique with a clear gap.
 *
 * With `masked`, each (context, component) also has a forbidden "trap" arm with mean
 * TRAP_MEAN > 1, reported in `info.actionMask`: an agent that respects the mask learns the
 * best allowed arm; one that ignores it is stopped by the env (choosing it throws).
 *
 * `info` of the step: `regret` (expected reward of the best allowed action minus that of
 * the chosen one) and `optimal` (1 when the chosen action is the best allowed one).
 */
export class ContextualBanditEnv extends BaseEnv<Float32Array, number | Int32Array, BanditInfo> {
  readonly actionSpace: Discrete | MultiDiscrete;
  readonly observationSpace: Box<'float32'>;
  readonly contexts: number;
  readonly arms: readonly number[];
  readonly noise: number;
  readonly masked: boolean;
  /** mean[(c * K + k) * maxArms + a]. */
  private readonly means: Float64Array;
  private readonly trap: Int32Array;
  private readonly best: Int32Array;
  private readonly maxArms: number;
  private context = 0;

  constructor(options: BanditOptions = {}) {
    super();
    const o = { ...DEFAULTS, ...options };
    if (!Number.isInteger(o.contexts) || o.contexts < 1)
      throw new InputError(`${BANDIT_ID}: contexts must be a positive integer, got ${show(o.contexts)}`);
    const arms = typeof o.arms === 'number' ? [o.arms] : [...o.arms];
    const minArms = o.masked ? 3 : 2;
    if (arms.length < 1 || arms.some((a) => !Number.isInteger(a) || a < minArms))
      throw new InputError(`${BANDIT_ID}: arms must be integers >= ${minArms}, got ${show(o.arms)}`);
    if (!(o.noise >= 0) || !Number.isFinite(o.noise))
      throw new InputError(`${BANDIT_ID}: noise must be a finite number >= 0, got ${show(o.noise)}`);
    this.contexts = o.contexts;
    this.arms = arms;
    this.noise = o.noise;
    this.masked = o.masked;
    this.actionSpace = arms.length === 1 ? new Discrete(arms[0]!) : new MultiDiscrete(arms);
    this.observationSpace = new Box(0, 1, { shape: [o.contexts], dtype: 'float32' });
    const K = arms.length;
    this.maxArms = Math.max(...arms);
    this.means = new Float64Array(o.contexts * K * this.maxArms);
    this.best = new Int32Array(o.contexts * K);
    this.trap = new Int32Array(o.contexts * K).fill(-1);
    const rng = new Rng(o.tableSeed);
    for (let c = 0; c < o.contexts; c++) {
      for (let k = 0; k < K; k++) {
        const n = arms[k]!;
        const row = (c * K + k) * this.maxArms;
        for (let a = 0; a < n; a++) this.means[row + a] = rng.uniform(0, MAX_OTHER_MEAN);
        const best = rng.int(n);
        this.means[row + best] = BEST_MEAN;
        this.best[c * K + k] = best;
        if (o.masked) {
          const trap = (best + 1 + rng.int(n - 1)) % n;
          this.means[row + trap] = TRAP_MEAN;
          this.trap[c * K + k] = trap;
        }
      }
    }
  }

  /** The best allowed arm of every component in context c. */
  bestAction(c: number): number[] {
    return this.arms.map((_, k) => this.best[c * this.arms.length + k]!);
  }

  /** Expected reward of `arms` (one per component) in context c. */
  expectedReward(c: number, arms: ArrayLike<number>): number {
    let r = 0;
    for (let k = 0; k < this.arms.length; k++)
      r += this.means[(c * this.arms.length + k) * this.maxArms + arms[k]!]!;
    return r;
  }

  protected resetEpisode(
    rng: Rng,
    options: Readonly<Record<string, unknown>>,
  ): ResetResult<Float32Array, BanditInfo> {
    checkResetOptions(this.label, options, []);
    this.context = rng.int(this.contexts);
    const obs = new Float32Array(this.contexts);
    obs[this.context] = 1;
    const info: BanditInfo = { context: this.context };
    return { observation: obs, info: this.masked ? { ...info, actionMask: this.mask() } : info };
  }

  protected stepEpisode(action: number | Int32Array): StepResult<Float32Array, BanditInfo> {
    assertInSpace(this.actionSpace, action, 'action');
    const chosen = typeof action === 'number' ? [action] : Array.from(action);
    const K = this.arms.length;
    for (let k = 0; k < K; k++) {
      if (chosen[k] === this.trap[this.context * K + k])
        throw new InputError(
          `${this.label}: action component ${k} = arm ${chosen[k]} is masked out in context ${this.context}`,
        );
    }
    const expected = this.expectedReward(this.context, chosen);
    const bestExpected = this.expectedReward(this.context, this.bestAction(this.context));
    const reward = expected + (this.noise > 0 ? this.noise * this.rng.normal() : 0);
    const obs = new Float32Array(this.contexts);
    obs[this.context] = 1;
    return {
      observation: obs,
      reward,
      terminated: true,
      truncated: false,
      info: { regret: bestExpected - expected, optimal: bestExpected === expected ? 1 : 0 },
    };
  }

  private mask(): Int8Array | Int8Array[] {
    const K = this.arms.length;
    const masks = this.arms.map((n, k) => {
      const m = new Int8Array(n).fill(1);
      m[this.trap[this.context * K + k]!] = 0;
      return m;
    });
    return K === 1 ? masks[0]! : masks;
  }

  render(): string {
    return `${this.label}: context ${this.context} of ${this.contexts}, arms [${this.arms.join(', ')}]`;
  }
}
