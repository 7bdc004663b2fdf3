/**
 * Training the dispatching policy on the model zoo: every batch draws new tables (a task, a
 * group, a random platform and bandwidth; never the MAGMA authors' groups), runs K rollouts
 * of each on m3e/Dispatch-v0 environments with the JavaScript policy, and updates the tfjs
 * network (PPO, A2C or REINFORCE with the shared baseline), whose weights the acting policy
 * then takes.
 *
 * A validation set (zoo groups on the preset platforms: `validationTables`) is mapped
 * greedily every `evalEvery` iterations and compared with the per-table best of the heuristic
 * mappers, the figure the policy has to beat.
 *
 * Randomness: one seed forked into named streams (initial weights, tables, actions,
 * minibatches, validation); checkpoints save the streams, so a resumed run continues them.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sampleTask, TASK_NAMES } from '../../models/tasks.js';
import { analyzeJobs, modelForPlatform } from '../../src/analyzer/analyze.js';
import { InputError } from '../../src/core/errors.js';
import { Rng, type RngState } from '../../src/core/rng.js';
import { synthTable } from '../../src/core/synth.js';
import type { JobTable } from '../../src/core/table.js';
import { readJsonFile, writeFileAtomic } from '../../src/io/files.js';
import { PRESET_BANDWIDTHS, presetPlatform } from '../../src/platform/presets.js';
import type { NamedArray } from '../arrays.js';
import { DispatchEnv, fixedTable, ZooProblems } from '../gym.js';
import type { UpdateStats } from '../learner.js';
import { expertMapping, expertQueues } from './expert.js';
import { DispatchLearner } from './learn.js';
import { lookahead } from './lookahead.js';
import { DispatchModel, initialWeights } from './model.js';
import { DispatchNetwork } from './network.js';
import { heuristicPlan } from './plan.js';
import { act, RecordBuffers } from './rollout.js';
import { type DispatchSettings, parseDispatchSettings } from './settings.js';
import {
  type DispatchCheckpoint,
  loadCheckpoint,
  loadDispatchPolicy,
  saveCheckpoint,
  savePolicy,
} from './store.js';

export interface IterationReport {
  readonly iteration: number;
  readonly step: number;
  readonly episodes: number;
  readonly learningRate: number;
  /** Largest group of this batch's draws (the curriculum's cap). */
  readonly maxJobs: number;
  /** Mean makespan / LB of the batch's rollouts, and of each table's best rollout. */
  readonly ratio: number;
  readonly bestRatio: number;
  readonly actSeconds: number;
  /**
   * Of actSeconds: drawing the tables (the cost model), the environments' steps, and the
   * policy (features, forward pass, sampling).
   */
  readonly drawSeconds: number;
  /** Of actSeconds: the expert's searches (0 without `expert`). */
  readonly expertSeconds: number;
  readonly envSeconds: number;
  readonly policySeconds: number;
  readonly updateSeconds: number;
  /** Environment steps per second of the iteration (acting and update). */
  readonly sps: number;
  readonly update: UpdateStats;
}

export interface ValidationReport {
  /** Geo-mean over the validation tables of greedy makespan / the best heuristic's. */
  readonly vsBestHeuristic: number;
  /** Mean greedy makespan / LB. */
  readonly ratio: number;
  /** Tables where greedy is no worse than the best heuristic. */
  readonly wins: number;
  readonly tables: number;
}

/**
 * Validation tables, the same for every run: one new 100-job group of each task of the model
 * zoo on each preset platform S1..S6 at each of its paper bandwidths (88 tables). The
 * platforms and sizes of the MAGMA authors' test problems, with groups of the zoo (drawn from
 * a seed of their own, never the authors' groups), so that choosing a run's policy by them
 * says something about the test problems without looking at them.
 */
const VALIDATION_SEED = 20_260_101;
const VALIDATION_JOBS = 100;

export function validationTables(): JobTable[] {
  return presetZooTables(VALIDATION_SEED, VALIDATION_JOBS);
}

/**
 * One `jobs`-job zoo group of each task (group seed `seed`) on each preset platform S1..S6 at
 * each of its paper bandwidths: 88 tables. The validation set, and with other seeds the
 * hold-out sets of bench/dispatch-holdout.ts.
 */
export function presetZooTables(seed: number, jobs: number): JobTable[] {
  const tables: JobTable[] = [];
  const model = modelForPlatform({ name: 'zoo', cores: [], dataflows: {} });
  let k = 0;
  for (const [preset, bandwidths] of Object.entries(PRESET_BANDWIDTHS))
    for (const bw of bandwidths)
      for (const task of TASK_NAMES)
        tables.push(
          analyzeJobs(sampleTask(task, jobs, seed, 'magma', ++k), presetPlatform(preset), {
            systemBandwidth: bw,
            model,
          }),
        );
  return tables;
}

export class DispatchTrainer {
  readonly settings: DispatchSettings;
  readonly seed: number;
  readonly model: DispatchModel;
  readonly net: DispatchNetwork;
  readonly learner: DispatchLearner;
  readonly zoo: ZooProblems;
  step = 0;
  iteration = 0;
  episodes = 0;
  private readonly envs: DispatchEnv[];
  /** The expert's stream exists only in runs with `expert` (older checkpoints lack it). */
  private readonly streams: Record<'tables' | 'actions' | 'minibatches', Rng> & { expert?: Rng };
  private validation: { tables: JobTable[]; best: Float64Array } | null = null;
  /** With `averageDecay`: the moving average of the weights, and a policy that runs it. */
  private average: { weights: NamedArray[]; model: DispatchModel } | null = null;
  private readonly buffers = new RecordBuffers();

  /**
   * The tfjs backend must be selected first. `init`: weights to start from (a trained
   * policy's, for fine-tuning) instead of the seeded initial ones.
   */
  constructor(settings: DispatchSettings, seed: number, init?: readonly NamedArray[]) {
    this.settings = settings;
    this.seed = seed;
    const master = new Rng(seed);
    const fresh = initialWeights(settings.network, master.fork('init'));
    const weights = init ?? fresh;
    this.model = new DispatchModel(settings.network, weights);
    this.net = new DispatchNetwork(settings.network, weights);
    this.learner = new DispatchLearner(this.net, settings);
    if (settings.averageDecay > 0) {
      const copy = weights.map((w) => ({ ...w, data: Float32Array.from(w.data) }));
      this.average = { weights: copy, model: new DispatchModel(settings.network, copy) };
    }
    const p = settings.problems;
    this.zoo = new ZooProblems({
      ...(p.tasks ? { tasks: p.tasks } : {}),
      jobs: p.jobs,
      cores: p.cores,
      bandwidth: p.bandwidth,
    });
    this.streams = {
      tables: master.fork('tables'),
      actions: master.fork('actions'),
      minibatches: master.fork('minibatches'),
      ...(settings.expert ? { expert: master.fork('expert') } : {}),
    };
    const capacity = fixedTable(
      synthTable({ jobs: this.zoo.jobs[1], cores: this.zoo.cores[1], bwRatio: 1, seed: 0 }),
    );
    this.envs = Array.from(
      { length: settings.tables * settings.rollouts },
      () => new DispatchEnv(capacity, { reward: settings.reward }),
    );
  }

  /** The curriculum's cap on the group size at the current step. */
  maxJobs(): number {
    const { curriculumSteps } = this.settings.problems;
    const [lo, hi] = this.zoo.jobs;
    if (curriculumSteps === 0 || this.step >= curriculumSteps) return hi;
    const start = Math.min(hi, 2.5 * lo);
    return start + ((hi - start) * this.step) / curriculumSteps;
  }

  learningRate(totalSteps: number): number {
    const s = this.settings;
    return s.annealLr ? s.learningRate * Math.max(0.05, 1 - this.step / totalSteps) : s.learningRate;
  }

  /** One batch: draw tables, act, update. */
  iterate(totalSteps: number): IterationReport {
    const s = this.settings;
    const t0 = performance.now();
    const maxJobs = this.maxJobs();
    const tables = Array.from({ length: s.tables }, () => this.zoo.draw(this.streams.tables, maxJobs));
    const tDraw = performance.now();
    let replay: { rollout: number; queues: Int32Array[][] } | undefined;
    if (this.streams.expert) {
      // The greedy rollouts are deterministic: the batch's greedy rollouts repeat these.
      const own =
        s.expertSearch === 'magma' && s.expertStart !== 'heuristic'
          ? act(this.model, this.envs, tables, 1, new Rng(0), { greedy: true, record: false, values: false })
              .tables
          : null;
      const expert = this.streams.expert;
      replay = {
        rollout: s.greedyRollout ? 1 : 0,
        queues: tables.map((t, i) =>
          expertQueues(
            t,
            s.expertSearch === 'lookahead'
              ? lookahead(this.model, t, {
                  width: s.expertWidth,
                  maxCompletions: s.expertBudget,
                  offset: expert.int(2 ** 31 - 1),
                }).encoding
              : expertMapping(
                  t,
                  expert.int(2 ** 31 - 1),
                  s.expertBudget,
                  own ? [own[i]!.encodings[0]!] : [],
                  s.expertStart === 'own' ? 'random' : 'heuristic',
                ),
          ),
        ),
      };
    }
    const tExpert = performance.now();
    const greedy = s.greedyRollout ? Array.from({ length: s.rollouts }, (_, k) => k === 0) : false;
    const timing = { env: 0, policy: 0 };
    const res = act(this.model, this.envs, tables, s.rollouts, this.streams.actions, {
      greedy,
      timing,
      buffers: this.buffers,
      record: true,
      values: s.algo !== 'reinforce' && s.advantage === 'gae',
      ...(replay ? { replay } : {}),
    });
    const t1 = performance.now();
    const lr = this.learningRate(totalSteps);
    const update: UpdateStats = {
      ...this.learner.update(res.tables, lr, this.streams.minibatches),
      entropy: res.entropy,
    };
    // The expert's makespan / LB, mean over the batch (its replays are exact).
    if (replay) update.expertRatio = res.tables.reduce((a, r) => a + r.ratio[replay.rollout]!, 0) / s.tables;
    if (!Number.isFinite(update.loss!))
      throw new InputError(
        `training diverged at iteration ${this.iteration + 1} (loss ${update.loss}); try a lower learningRate`,
      );
    const latest = this.net.getWeights();
    this.model.setWeights(latest);
    if (this.average) {
      const d = s.averageDecay;
      this.average.weights.forEach((a, i) => {
        const w = latest[i]!.data;
        for (let k = 0; k < a.data.length; k++) a.data[k] = d * a.data[k]! + (1 - d) * w[k]!;
      });
    }
    const t2 = performance.now();
    this.iteration++;
    this.step += res.steps;
    this.episodes += s.tables * s.rollouts;
    let ratio = 0;
    let best = 0;
    for (const rec of res.tables) {
      let b = Number.POSITIVE_INFINITY;
      for (let k = 0; k < rec.K; k++) {
        ratio += rec.ratio[k]!;
        b = Math.min(b, rec.ratio[k]!);
      }
      best += b;
    }
    return {
      iteration: this.iteration,
      step: this.step,
      episodes: this.episodes,
      learningRate: lr,
      maxJobs: Math.round(maxJobs),
      ratio: ratio / (s.tables * s.rollouts),
      bestRatio: best / s.tables,
      actSeconds: (t1 - t0) / 1000,
      drawSeconds: (tDraw - t0) / 1000,
      expertSeconds: (tExpert - tDraw) / 1000,
      envSeconds: timing.env / 1000,
      policySeconds: timing.policy / 1000,
      updateSeconds: (t2 - t1) / 1000,
      sps: res.steps / ((t2 - t0) / 1000),
      update,
    };
  }

  /** The weights of the run's policy: the moving average when the run keeps one, else the latest. */
  policyWeights(): NamedArray[] {
    return this.average ? this.average.weights : this.net.getWeights();
  }

  /** Greedy mapping of the validation tables (by the run's policy) against the per-table best heuristic. */
  validate(): ValidationReport {
    if (!this.validation) {
      const tables = validationTables();
      const best = Float64Array.from(tables, (t) => bestHeuristicMakespan(t));
      this.validation = { tables, best };
    }
    const { tables, best } = this.validation;
    let model = this.model;
    if (this.average) {
      model = this.average.model;
      model.setWeights(this.average.weights);
    }
    const { vsBestHeuristic, ratio, wins } = greedyScore(model, tables, best);
    return { vsBestHeuristic, ratio, wins, tables: tables.length };
  }

  checkpoint(elapsedSeconds: number): DispatchCheckpoint {
    const opt = this.learner.optimizer.getState();
    const rng: Record<string, RngState> = {};
    for (const [k, r] of Object.entries(this.streams)) rng[k] = r.state();
    return {
      step: this.step,
      iteration: this.iteration,
      episodes: this.episodes,
      elapsedSeconds,
      rng: rng as DispatchCheckpoint['rng'],
      weights: this.net.getWeights(),
      optimizer: { steps: opt.steps, arrays: opt.arrays },
      ...(this.average
        ? { average: this.average.weights.map((w) => ({ ...w, data: Float32Array.from(w.data) })) }
        : {}),
    };
  }

  restore(c: DispatchCheckpoint): void {
    this.net.setWeights(c.weights);
    this.model.setWeights(c.weights);
    this.learner.optimizer.setState(c.optimizer);
    if (this.average) {
      if (!c.average) throw new InputError('checkpoint has no moving average of the weights (averageDecay)');
      c.average.forEach((a, i) => {
        this.average!.weights[i]!.data.set(a.data);
      });
    }
    this.step = c.step;
    this.iteration = c.iteration;
    this.episodes = c.episodes;
    for (const k of Object.keys(this.streams) as (keyof typeof this.streams)[]) {
      const st = c.rng[k];
      if (!st) throw new InputError(`checkpoint has no random stream ${k}`);
      this.streams[k] = Rng.fromState(st);
    }
  }

  dispose(): void {
    this.learner.dispose();
    this.net.dispose();
  }
}

/** The lowest makespan of the registered heuristic mappers on `table`. */
export function bestHeuristicMakespan(table: JobTable): number {
  return heuristicPlan(table).makespan;
}

/**
 * The greedy policy on `tables` against reference makespans `best` (by default the per-table
 * best heuristic): the geo-mean of greedy / best, the mean greedy / lower bound, the tables
 * where greedy is no worse, and the largest greedy / best. The trainer's validation, the
 * hold-out bench and the tests that reproduce a recorded validation figure all score so.
 */
export function greedyScore(
  model: DispatchModel,
  tables: readonly JobTable[],
  best: ArrayLike<number> = tables.map(bestHeuristicMakespan),
): { vsBestHeuristic: number; ratio: number; wins: number; worst: number } {
  // One environment sized for the largest table (the presets may exceed training sizes).
  const maxJobs = Math.max(...tables.map((t) => t.numJobs));
  const maxCores = Math.max(...tables.map((t) => t.numCores));
  const env = [new DispatchEnv(fixedTable(tables[0]!), { maxJobs, maxCores })];
  let logSum = 0;
  let ratio = 0;
  let wins = 0;
  let worst = 0;
  tables.forEach((t, i) => {
    const r = act(model, env, [t], 1, new Rng(0), { greedy: true, record: false, values: false }).tables[0]!;
    const m = r.makespan[0]!;
    logSum += Math.log(m / best[i]!);
    ratio += r.ratio[0]!;
    worst = Math.max(worst, m / best[i]!);
    if (m <= best[i]! * (1 + 1e-12)) wins++;
  });
  return { vsBestHeuristic: Math.exp(logSum / tables.length), ratio: ratio / tables.length, wins, worst };
}

// ---- runs ----------------------------------------------------------------------------------

export interface DispatchRunOptions {
  /** Settings of a new run (ignored on resume). */
  readonly settings?: unknown;
  readonly seed?: number;
  /** Total environment steps (on resume: the new total; default the run's). */
  readonly totalSteps?: number;
  /** Run folder (required). */
  readonly out: string;
  /**
   * A new run starts from this policy folder's weights (its network must be the settings');
   * recorded in the run file. A resumed run continues from its checkpoint.
   */
  readonly init?: string;
  readonly resume?: boolean;
  /** Checkpoint (and export the policy) every this many iterations. Default 20. */
  readonly checkpointEvery?: number;
  /** Validate every this many iterations (0: never). Default 20. */
  readonly evalEvery?: number;
  readonly onIteration?: (r: IterationReport, record: Record<string, number>) => void;
  readonly log?: (line: string) => void;
}

const RUN_FILE = 'run.json';

/** A whole training run in a folder, resumable; writes metrics, checkpoints and the policy. */
export async function trainDispatchRun(o: DispatchRunOptions): Promise<DispatchTrainer> {
  const log = o.log ?? (() => {});
  let settings: DispatchSettings;
  let seed: number;
  let totalSteps: number;
  let init: string | undefined;
  const runPath = join(o.out, RUN_FILE);
  if (o.resume) {
    const run = readJsonFile(runPath, 'run file') as {
      settings: unknown;
      seed: number;
      totalSteps: number;
      init?: string;
    };
    settings = parseDispatchSettings(run.settings);
    seed = run.seed;
    totalSteps = o.totalSteps ?? run.totalSteps;
    init = run.init;
  } else {
    init = o.init;
    settings = parseDispatchSettings(o.settings ?? {});
    seed = o.seed ?? 0;
    if (o.totalSteps === undefined) throw new InputError('the number of steps is required');
    totalSteps = o.totalSteps;
  }
  if (!Number.isInteger(totalSteps) || totalSteps < 1)
    throw new InputError(`steps must be a positive integer, got ${totalSteps}`);
  mkdirSync(o.out, { recursive: true });
  writeFileAtomic(
    runPath,
    `${JSON.stringify({ kind: 'dispatch-policy', settings, seed, totalSteps, ...(init ? { init } : {}) }, null, 1)}\n`,
  );
  let initWeights: NamedArray[] | undefined;
  if (init) {
    const start = loadDispatchPolicy(init).model;
    if (JSON.stringify(start.settings) !== JSON.stringify(settings.network))
      throw new InputError(
        `init: the policy in ${init} has network ${JSON.stringify(start.settings)}, the run's settings ${JSON.stringify(settings.network)}`,
      );
    initWeights = start.getWeights();
  }
  const trainer = new DispatchTrainer(settings, seed, initWeights);
  let elapsedBefore = 0;
  const ckpt = o.resume ? loadCheckpoint(o.out) : null;
  if (ckpt) {
    trainer.restore(ckpt);
    elapsedBefore = ckpt.elapsedSeconds;
    log(`resuming ${o.out} at step ${ckpt.step} (iteration ${ckpt.iteration})`);
  }
  const metricsPath = join(o.out, 'metrics.jsonl');
  const { appendFileSync, existsSync, readFileSync } = await import('node:fs');
  if (ckpt && existsSync(metricsPath)) {
    // Lines past the checkpoint belong to iterations a resume repeats.
    const keep = readFileSync(metricsPath, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && (JSON.parse(l) as { step: number }).step <= ckpt.step);
    writeFileAtomic(metricsPath, keep.map((l) => `${l}\n`).join(''));
  } else if (!ckpt) writeFileAtomic(metricsPath, '');
  const every = o.checkpointEvery ?? 20;
  const evalEvery = o.evalEvery ?? 20;
  const t0 = performance.now();
  const elapsed = () => elapsedBefore + (performance.now() - t0) / 1000;
  const exportPolicy = (extra: Record<string, unknown>) =>
    savePolicy(o.out, settings.network, trainer.policyWeights(), {
      algo: settings.algo,
      steps: trainer.step,
      episodes: trainer.episodes,
      seconds: Math.round(elapsed()),
      seed,
      ...(init ? { init } : {}),
      problems: trainer.zoo.describe(),
      ...extra,
    });
  let bestValidation = ckpt?.bestValidation ?? Number.POSITIVE_INFINITY;
  while (trainer.step < totalSteps) {
    const r = trainer.iterate(totalSteps);
    const record: Record<string, number> = {
      iteration: r.iteration,
      step: r.step,
      episodes: r.episodes,
      elapsed: Math.round(elapsed()),
      lr: r.learningRate,
      maxJobs: r.maxJobs,
      ratio: r.ratio,
      bestRatio: r.bestRatio,
      sps: Math.round(r.sps),
      actSeconds: r.actSeconds,
      expertSeconds: r.expertSeconds,
      updateSeconds: r.updateSeconds,
      ...Object.fromEntries(Object.entries(r.update).map(([k, v]) => [`update/${k}`, v])),
    };
    if (evalEvery > 0 && r.iteration % evalEvery === 0) {
      const v = trainer.validate();
      record['val/vsBestHeuristic'] = v.vsBestHeuristic;
      record['val/ratio'] = v.ratio;
      record['val/wins'] = v.wins;
      // The run's policy is its best on the validation tables so far (a later update may
      // be worse: policy gradients are noisy), the latest weights stay in the checkpoint.
      if (v.vsBestHeuristic < bestValidation) {
        bestValidation = v.vsBestHeuristic;
        exportPolicy({ validation: v });
      }
    }
    appendFileSync(metricsPath, `${JSON.stringify(record)}\n`);
    o.onIteration?.(r, record);
    if (r.iteration % every === 0 || trainer.step >= totalSteps) {
      saveCheckpoint(o.out, { ...trainer.checkpoint(elapsed()), bestValidation });
      // Without validation the run's policy is its latest.
      if (evalEvery === 0) exportPolicy({});
    }
  }
  return trainer;
}
