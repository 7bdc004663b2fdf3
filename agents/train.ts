/**
 * A whole training run: backend, environments, trainer, metrics, checkpoints, resume.
 * The CLI's `m3e train`, the benchmarks and the tuner's `trainAndScore` all go through it.
 */
import { InputError } from '../src/core/errors.js';
import { type BackendChoice, type BackendInfo, describeBackend, selectBackend } from './backend.js';
import { makeAgentEnv } from './env-factory.js';
import { type EnvDescription, RunFolder } from './run-folder.js';
import { type AgentSettings, type Algo, MAX_TOTAL_STEPS, parseSettings } from './settings.js';
import { type IterationMetrics, Trainer } from './trainer.js';
import type { EpisodeRecord } from './vec-env.js';

export interface TrainRunOptions {
  /** Agent and its settings (validated; missing fields take their defaults). Ignored on resume. */
  readonly algo?: Algo;
  readonly settings?: unknown;
  /** The environment (ignored on resume: the run's own is used). */
  readonly env?: EnvDescription;
  /** Total environment steps of the run (on resume: the new total; default the run's). */
  readonly totalSteps?: number;
  readonly seed?: number;
  readonly backend?: BackendChoice;
  /** Run folder; without it nothing is written. */
  readonly out?: string;
  /** Continue the run in `out`. */
  readonly resume?: boolean;
  /** Checkpoint every this many iterations (and at the end). Default: about 20 per run. */
  readonly checkpointEvery?: number;
  readonly onIteration?: (
    m: IterationMetrics,
    record: Readonly<Record<string, number>>,
    totalSteps: number,
  ) => void;
  readonly onEpisode?: (ep: EpisodeRecord) => void;
  /** One-line messages (backend chosen, resume point). */
  readonly log?: (line: string) => void;
  /** Log why backends tried before the one that runs were skipped. */
  readonly verbose?: boolean;
  /**
   * Stops the run after the iteration in flight, which is checkpointed first (with `out`).
   * The loop yields to the event loop after every iteration, so a signal handler can abort it.
   */
  readonly signal?: AbortSignal;
}

export interface TrainRunResult {
  readonly trainer: Trainer;
  readonly backend: BackendInfo;
  readonly settings: AgentSettings;
  readonly env: EnvDescription;
  readonly seed: number;
  readonly totalSteps: number;
  /** Seconds of training in this session. */
  readonly seconds: number;
  /** Seconds of training over all sessions of the run (resumes included). */
  readonly elapsedSeconds: number;
  /** Step count when this session started (0, or the resumed checkpoint's). */
  readonly startStep: number;
  readonly run: RunFolder | null;
  /** The metrics records of this session. */
  readonly records: Record<string, number>[];
  /** True when `signal` stopped the run before `totalSteps` (the last iteration is checkpointed). */
  readonly stopped: boolean;
}

/** Checkpoints per run when `checkpointEvery` is not given. */
const CHECKPOINTS_PER_RUN = 20;

/**
 * The flat metrics record of an iteration, with CleanRL's TensorBoard tag names so its
 * plots read the same; `elapsed` = seconds of training so far (all sessions).
 */
export function metricsRecord(m: IterationMetrics, elapsed: number): Record<string, number> {
  const r: Record<string, number> = {
    iteration: m.iteration,
    step: m.step,
    'charts/episodes': m.episodes,
    'charts/learning_rate': m.learningRate,
    'charts/SPS': m.sps,
    'charts/elapsed_seconds': elapsed,
  };
  if (m.episode) {
    r['charts/episodic_return'] = m.episode.return;
    r['charts/episodic_length'] = m.episode.length;
    r['charts/episodes_in_iteration'] = m.episode.count;
    for (const [k, v] of Object.entries(m.episode.info)) r[`episode/${k}`] = v;
  }
  const names: Record<string, string> = {
    policyLoss: 'losses/policy_loss',
    valueLoss: 'losses/value_loss',
    entropy: 'losses/entropy',
    oldApproxKl: 'losses/old_approx_kl',
    approxKl: 'losses/approx_kl',
    clipFrac: 'losses/clipfrac',
    explainedVariance: 'losses/explained_variance',
    loss: 'losses/total_loss',
    gradNorm: 'losses/grad_norm',
  };
  for (const [k, v] of Object.entries(m.update)) r[names[k] ?? `update/${k}`] = v;
  return r;
}

export async function trainRun(o: TrainRunOptions): Promise<TrainRunResult> {
  const log = o.log ?? (() => {});
  const backend = await selectBackend(o.backend ?? 'auto');

  // Everything is validated (settings, environment, checkpoint) before the first write, so a
  // refused run leaves its folder as it was.
  let run: RunFolder | null = null;
  let settings: AgentSettings;
  let env: EnvDescription;
  let seed: number;
  let totalSteps: number;
  if (o.resume) {
    if (!o.out) throw new InputError('--resume needs --out, the run folder to continue');
    run = RunFolder.open(o.out);
    settings = run.manifest.settings;
    env = run.manifest.env;
    seed = run.manifest.seed;
    totalSteps = o.totalSteps ?? run.manifest.totalSteps;
  } else {
    if (!o.algo) throw new InputError('an agent (ppo or a2c) is required');
    if (!o.env) throw new InputError('an environment is required');
    if (o.totalSteps === undefined) throw new InputError('the number of steps is required');
    settings = parseSettings(o.algo, o.settings ?? {});
    env = o.env;
    seed = o.seed ?? 0;
    totalSteps = o.totalSteps;
    if (o.out && RunFolder.exists(o.out))
      throw new InputError(
        `${o.out} already holds a run; pass --resume to continue it, or choose another --out`,
      );
  }
  if (!Number.isInteger(totalSteps) || totalSteps < 1 || totalSteps > MAX_TOTAL_STEPS)
    throw new InputError(`steps must be an integer in [1, ${MAX_TOTAL_STEPS}], got ${totalSteps}`);

  const vec = makeAgentEnv(env, settings.numEnvs);
  let trainer: Trainer;
  let checkpoint: ReturnType<RunFolder['loadCheckpoint']> = null;
  try {
    trainer = new Trainer(settings, vec, seed);
    checkpoint = run?.loadCheckpoint() ?? null;
    if (checkpoint) trainer.restore(checkpoint);
  } catch (e) {
    vec.close();
    throw e;
  }
  try {
    if (o.resume) {
      if (totalSteps !== run!.manifest.totalSteps) run!.setTotalSteps(totalSteps);
    } else if (o.out) run = RunFolder.create(o.out, { settings, env, seed, totalSteps });
  } catch (e) {
    trainer.dispose();
    vec.close();
    throw e;
  }
  // Said once everything is checked: a refused run prints its one error line and nothing else.
  log(describeBackend(backend, o.verbose));
  let elapsedBefore = 0;
  if (checkpoint) {
    elapsedBefore = checkpoint.elapsedSeconds;
    run!.truncateMetrics(checkpoint.step);
    run!.markResume(checkpoint.step);
    log(`resuming ${run!.dir} at step ${checkpoint.step} (iteration ${checkpoint.iteration})`);
  } else if (o.resume) {
    log(`no checkpoint in ${run!.dir} yet: starting from step 0`);
  }
  const startStep = trainer.step;
  const iterations = Math.ceil(totalSteps / trainer.batchSize);
  const every = o.checkpointEvery ?? Math.max(1, Math.ceil(iterations / CHECKPOINTS_PER_RUN));
  const records: Record<string, number>[] = [];
  const t0 = performance.now();
  const elapsed = () => elapsedBefore + (performance.now() - t0) / 1000;
  let stopped = false;
  try {
    while (trainer.step < totalSteps) {
      const m = trainer.iterate(totalSteps, o.onEpisode);
      const record = metricsRecord(m, elapsed());
      records.push(record);
      run?.appendMetrics(record);
      o.onIteration?.(m, record, totalSteps);
      if (o.signal) await new Promise((r) => setImmediate(r));
      stopped = Boolean(o.signal?.aborted) && trainer.step < totalSteps;
      if (run && (stopped || trainer.iteration % every === 0 || trainer.step >= totalSteps))
        run.saveCheckpoint(trainer.checkpoint(), elapsed());
      if (stopped) break;
    }
  } finally {
    run?.close();
    vec.close();
  }
  return {
    trainer,
    backend,
    settings,
    env,
    seed,
    totalSteps,
    seconds: (performance.now() - t0) / 1000,
    elapsedSeconds: elapsed(),
    startStep,
    run,
    records,
    stopped,
  };
}
