/**
 * The training loop shared by PPO and A2C: rollout, advantages, update, metrics; with
 * checkpoints (network, optimiser, step count and random streams) to save and restore.
 * `iterate` is one pass of the call-order map in ppo.ts (steps 1 to 5; A2C's update
 * replaces step 4).
 *
 * Randomness: one seed, forked into independent named streams for the initial weights,
 * the environments' reset seeds, action sampling and minibatch shuffling, so the same seed
 * on the same backend gives the same training curve.
 */
import { InputError } from '../src/core/errors.js';
import { Rng, type RngState } from '../src/core/rng.js';
import { A2cLearner } from './a2c.js';
import { RolloutBuffer } from './buffer.js';
import type { Learner, UpdateStats } from './learner.js';
import type { NamedArray } from './networks.js';
import { PpoLearner } from './ppo.js';
import { RolloutCollector } from './rollout.js';
import type { AgentSettings } from './settings.js';
import type { AgentVecEnv, EpisodeRecord } from './vec-env.js';

/** Mean episode results of one iteration (only when some episode ended in it). */
export interface EpisodeSummary {
  readonly count: number;
  readonly return: number;
  readonly length: number;
  /** Means of the numeric fields of the episodes' final infos (e.g. makespan, ratio). */
  readonly info: Record<string, number>;
}

export interface IterationMetrics {
  readonly iteration: number;
  /** Environment steps so far (all envs). */
  readonly step: number;
  /** Episodes ended so far. */
  readonly episodes: number;
  readonly learningRate: number;
  /** Environment steps per second in this iteration, updates included. */
  readonly sps: number;
  readonly episode: EpisodeSummary | null;
  readonly update: UpdateStats;
}

/** Everything needed to continue a run, besides its settings and environment. */
export interface Checkpoint {
  readonly step: number;
  readonly iteration: number;
  readonly episodes: number;
  readonly seed: number;
  readonly rng: { readonly actions: RngState; readonly minibatches: RngState; readonly envs: RngState };
  readonly weights: NamedArray[];
  readonly optimizer: { readonly kind: string; readonly steps: number; readonly arrays: NamedArray[] };
}

/** Largest env seed handed to reset (envs take non-negative 32-bit integers). */
export const MAX_ENV_SEED = 2 ** 31 - 1;

export class Trainer {
  readonly learner: Learner;
  readonly settings: AgentSettings;
  readonly env: AgentVecEnv;
  readonly seed: number;
  step = 0;
  iteration = 0;
  episodes = 0;
  private readonly buffer: RolloutBuffer;
  private readonly collector: RolloutCollector;
  private actionRng: Rng;
  private minibatchRng: Rng;
  private envRng: Rng;

  /** Builds the learner and resets the envs (their first seed comes from `seed`). */
  constructor(settings: AgentSettings, env: AgentVecEnv, seed: number) {
    if (env.numEnvs !== settings.numEnvs)
      throw new Error(`settings.numEnvs = ${settings.numEnvs} but the vector env has ${env.numEnvs} envs`);
    this.settings = settings;
    this.env = env;
    this.seed = seed;
    const master = new Rng(seed);
    const initRng = master.fork('init');
    this.actionRng = master.fork('actions');
    this.minibatchRng = master.fork('minibatches');
    this.envRng = master.fork('envs');
    env.reset(this.envRng.int(MAX_ENV_SEED));
    const maskSize = env.masked ? env.layout.total : 0;
    const shape = { obsSize: env.obsSize, logitsSize: env.layout.total };
    this.learner =
      settings.algo === 'ppo'
        ? new PpoLearner(settings, shape, env.layout, maskSize, initRng)
        : new A2cLearner(settings, shape, env.layout, maskSize, initRng);
    this.buffer = new RolloutBuffer(
      settings.numSteps,
      settings.numEnvs,
      env.obsSize,
      env.layout.dims,
      maskSize,
    );
    this.collector = new RolloutCollector(env, this.learner.net, this.buffer, this.actionRng);
  }

  /** Environment steps per iteration. */
  get batchSize(): number {
    return this.buffer.size;
  }

  /** Learning rate of the next iteration: linearly annealed to 0 at `totalSteps` when enabled. */
  learningRate(totalSteps: number): number {
    const s = this.settings;
    if (!s.annealLr) return s.learningRate;
    return s.learningRate * Math.max(0, 1 - this.step / totalSteps);
  }

  /** One rollout and one update; `onEpisode` sees every episode that ends. */
  iterate(totalSteps: number, onEpisode?: (ep: EpisodeRecord) => void): IterationMetrics {
    const t0 = performance.now();
    // 1.
    const lr = this.learningRate(totalSteps);
    const s = this.settings;
    // 2 and 3.
    const eps = this.collector.collect(s.gamma, s.gaeLambda);
    // 4.
    const update = this.learner.update(this.buffer, lr, this.minibatchRng);
    // Production mode skips tfjs's NaN checks: catch a diverged update here, before the
    // NaN weights are checkpointed over good ones.
    if (!Number.isFinite(update.loss))
      throw new InputError(
        `training diverged at iteration ${this.iteration + 1} (loss ${update.loss}); try a lower learningRate`,
      );
    // 5.
    this.iteration++;
    this.step += this.buffer.size;
    this.episodes += eps.length;
    if (onEpisode) for (const ep of eps) onEpisode(ep);
    const seconds = (performance.now() - t0) / 1000;
    return {
      iteration: this.iteration,
      step: this.step,
      episodes: this.episodes,
      learningRate: lr,
      sps: this.buffer.size / Math.max(seconds, 1e-9),
      episode: summarize(eps),
      update,
    };
  }

  checkpoint(): Checkpoint {
    const opt = this.learner.optimizer.getState();
    return {
      step: this.step,
      iteration: this.iteration,
      episodes: this.episodes,
      seed: this.seed,
      rng: {
        actions: this.actionRng.state(),
        minibatches: this.minibatchRng.state(),
        envs: this.envRng.state(),
      },
      weights: this.learner.net.getWeights(),
      optimizer: { kind: this.learner.optimizer.kind, steps: opt.steps, arrays: opt.arrays },
    };
  }

  /**
   * Continues from a checkpoint of a run with the same settings and environment. The envs
   * start fresh episodes (seeded from the saved env stream): a resumed run is reproducible,
   * though not identical to one that never stopped (mid-episode env state is not saved).
   */
  restore(c: Checkpoint): void {
    if (c.optimizer.kind !== this.learner.optimizer.kind)
      throw new Error(
        `checkpoint optimiser is ${c.optimizer.kind}, the settings use ${this.learner.optimizer.kind}`,
      );
    this.learner.net.setWeights(c.weights);
    this.learner.optimizer.setState(c.optimizer);
    this.step = c.step;
    this.iteration = c.iteration;
    this.episodes = c.episodes;
    this.actionRng = Rng.fromState(c.rng.actions);
    this.minibatchRng = Rng.fromState(c.rng.minibatches);
    this.envRng = Rng.fromState(c.rng.envs);
    this.collector.setRng(this.actionRng);
    this.env.reset(this.envRng.int(MAX_ENV_SEED));
  }

  dispose(): void {
    this.learner.dispose();
  }
}

function summarize(eps: readonly EpisodeRecord[]): EpisodeSummary | null {
  if (eps.length === 0) return null;
  let ret = 0;
  let len = 0;
  const sums: Record<string, number> = {};
  const counts: Record<string, number> = {};
  for (const ep of eps) {
    ret += ep.return;
    len += ep.length;
    for (const [k, v] of Object.entries(ep.info)) {
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      sums[k] = (sums[k] ?? 0) + v;
      counts[k] = (counts[k] ?? 0) + 1;
    }
  }
  const info: Record<string, number> = {};
  for (const k of Object.keys(sums)) info[k] = sums[k]! / counts[k]!;
  return { count: eps.length, return: ret / eps.length, length: len / eps.length, info };
}
