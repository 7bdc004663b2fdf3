/**
 * `m3e train`: train a PPO or A2C mapper agent on an M3E environment, into a run folder
 * (weights, settings, environment, optimiser state, step count, metrics) that `--resume`
 * continues and `m3e rollout` uses. The agents (TensorFlow.js) load only when this runs.
 */
import type { Command } from 'commander';
import { taskGroupsSource } from '../../../envs/m3e/problem-source.js';
import { type ProblemRef, resolveProblem, type TaskProblem } from '../../../models/problem.js';
import { encodingToJson } from '../../../src/core/encoding.js';
import { InputError, show } from '../../../src/core/errors.js';
import { checkWritableFolder } from '../../../src/io/files.js';
import { commandLine, Interrupted, withInterrupts } from '../interrupt.js';
import { type CliIO, emit } from '../io.js';
import { CLI_LIMITS } from '../limits.js';
import { collectKeyValue, parseIntOption } from '../options.js';
import {
  addProblemOptions,
  hasJobSource,
  loadProblem,
  type ProblemOptions,
  taskJobCount,
} from '../problem.js';
import { ProgressBar } from '../progress.js';

interface TrainOptions extends ProblemOptions {
  agent?: string;
  env: string;
  synthGroups?: string;
  bwRatio?: string;
  newGroups?: boolean;
  steps?: number;
  seed?: number;
  out?: string;
  resume?: boolean;
  backend: string;
  param: Record<string, string>;
  envOption: Record<string, string>;
  preset: boolean;
  verbose?: boolean;
  json?: boolean;
}

/** The environment `m3e train` trains on unless --env says otherwise. */
const DEFAULT_ENV = 'm3e/Sequential-v0';

/** `key=value` values: JSON when they parse (numbers, booleans, arrays), else the text. */
export function parseLooseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** {"a.b": v} -> {a: {b: v}} (settings overrides address nested fields with dots). */
export function nestOverrides(flat: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(flat)) {
    const path = key.split('.');
    let node = out;
    path.slice(0, -1).forEach((p) => {
      const next = node[p];
      if (next === undefined) node[p] = {};
      else if (typeof next !== 'object' || next === null || Array.isArray(next))
        throw new InputError(`--param ${key}: ${p} is set both as a value and as a group`);
      node = node[p] as Record<string, unknown>;
    });
    node[path[path.length - 1]!] = parseLooseValue(text);
  }
  return out;
}

/** "1" or "0.5,2" -> 1 or [0.5, 2]. */
function parseRange(flag: string, text: string): number | [number, number] {
  const parts = text.split(',').map((s) => Number(s.trim()));
  if (parts.length > 2 || parts.some((v) => !Number.isFinite(v) || v <= 0))
    throw new InputError(`${flag} must be a positive number or a range low,high, got ${show(text)}`);
  return parts.length === 1 ? parts[0]! : [parts[0]!, parts[1]!];
}

/**
 * `--task T --platform P [--bw B] [--jobs N] [--flexible] --new-groups`: a new group every
 * episode (seed 0 is the group the source is validated with).
 */
function taskGroupsProblem(o: TrainOptions): TaskProblem {
  if (o.task === undefined || o.platform === undefined)
    throw new InputError('--new-groups draws groups of a --task on a --platform: give both');
  if (o.synthGroups || o.table || o.workload !== undefined || o.group !== undefined || o.maestroCompat)
    throw new InputError('--new-groups takes --task, --platform, --bw, --jobs N and --flexible only');
  const problem: TaskProblem = {
    task: o.task,
    seed: 0,
    jobs: taskJobCount(o.jobs),
    platform: o.platform,
    ...(o.bw !== undefined ? { bw: o.bw } : {}),
    ...(o.flexible ? { flexible: true } : {}),
  };
  taskGroupsSource(problem); // validates task, platform and sizes before any training
  return problem;
}

export function register(program: Command, io: CliIO): void {
  const train = program
    .command('train')
    .description('train a PPO or A2C mapper agent (TensorFlow.js) on an M3E environment')
    .option('--agent <name>', 'ppo or a2c (not with --resume)')
    .option('--env <id>', 'environment id', DEFAULT_ENV)
    .option(
      '--synth-groups <jobs,cores>',
      'train on a new random synthetic group every episode (generalisation), e.g. 100,4',
    )
    .option(
      '--new-groups',
      'with --task and --platform: a new group of the task every episode (generalisation), not one fixed group',
    )
    .option(
      '--bw-ratio <r|low,high>',
      'bandwidth ratio of --synth-groups, default 1 (a range is drawn log-uniformly)',
    )
    .option(
      '--steps <n>',
      'total environment steps (on --resume: the new total)',
      parseIntOption('--steps', 1, CLI_LIMITS.MAX_STEPS),
    )
    .option('--out <dir>', 'run folder (weights, settings, metrics); nothing is saved without it')
    .option('--resume', 'continue the run in --out')
    .option('--backend <name>', 'tfjs backend: auto (node, else wasm, else cpu), node, wasm or cpu', 'auto')
    .option(
      '--param <key=value>',
      'agent setting, e.g. learningRate=3e-4 or network.hidden=[64,64] (repeatable)',
      collectKeyValue('--param'),
      {},
    )
    .option(
      '--env-option <key=value>',
      'environment option, e.g. window=5 or reward=terminal (repeatable)',
      collectKeyValue('--env-option'),
      {},
    )
    .option('--no-preset', 'on m3e/* environments, keep the library defaults instead of the M3E presets')
    .option('--verbose', 'also say why backends tried first were skipped')
    .option('--json', 'print the summary as JSON');
  // The fixed group to train on, as every command takes it (default: the authors' Mix group 0
  // on S2 at 16 B/cycle); --seed also seeds the training.
  addProblemOptions(train).action(async (o: TrainOptions) => {
    const agents = await import('../../../agents/index.js');
    const backend = agents.parseBackendChoice(o.backend);
    if (o.resume) {
      if (!o.out) throw new InputError('--resume needs --out, the run folder to continue');
      if (!agents.RunFolder.exists(o.out))
        throw new InputError(
          `--resume: ${o.out} holds no run to resume (no run.json); start it without --resume`,
        );
      const given = [
        o.agent && '--agent',
        (o.table || hasJobSource(o) || o.platform || o.bw !== undefined || o.flexible || o.maestroCompat) &&
          'the problem options (--table, --jobs, --task, --platform, --bw ...)',
        o.synthGroups && '--synth-groups',
        o.bwRatio && '--bw-ratio',
        Object.keys(o.param).length && '--param',
        Object.keys(o.envOption).length && '--env-option',
        !o.preset && '--no-preset',
      ].filter(Boolean);
      if (given.length)
        throw new InputError(`--resume continues the run as it was set up; drop ${given.join(', ')}`);
    } else {
      if (!o.agent) throw new InputError('--agent is required (ppo or a2c)');
      if (!(agents.ALGOS as readonly string[]).includes(o.agent))
        throw new InputError(`--agent must be one of ${agents.ALGOS.join(', ')}, got ${show(o.agent)}`);
      if (o.steps === undefined) throw new InputError('--steps is required');
      if (o.synthGroups && (o.table || hasJobSource(o) || o.platform || o.flexible || o.maestroCompat))
        throw new InputError(
          '--synth-groups draws its own groups: drop --table, --jobs, --workload, --task and --platform',
        );
      if (o.synthGroups && o.bw !== undefined)
        throw new InputError('--synth-groups sets the bandwidth with --bw-ratio, not --bw');
      if (o.bwRatio && !o.synthGroups)
        throw new InputError('--bw-ratio applies to --synth-groups only (a --table has its own bandwidth)');
    }
    let problem: ProblemRef | undefined;
    if (!o.resume) {
      if (o.newGroups) {
        problem = taskGroupsProblem(o);
      } else if (o.synthGroups) {
        const parts = o.synthGroups.split(',').map((s) => (s.trim() === '' ? Number.NaN : Number(s.trim())));
        const [jobs, cores] = parts;
        if (
          parts.length !== 2 ||
          !Number.isSafeInteger(jobs) ||
          !Number.isSafeInteger(cores) ||
          jobs! < 1 ||
          cores! < 1
        )
          throw new InputError(
            `--synth-groups must be jobs,cores (positive integers), got ${show(o.synthGroups)}`,
          );
        problem = {
          synth: { jobs: jobs!, cores: cores!, bwRatio: parseRange('--bw-ratio', o.bwRatio ?? '1'), seed: 0 },
        };
      } else {
        const loaded = loadProblem(o);
        problem = agents.tableProblem(loaded.table, loaded.source);
      }
    }
    if (o.out !== undefined) checkWritableFolder(o.out, '--out');
    const envOptions = Object.fromEntries(
      Object.entries(o.envOption).map(([k, v]) => [k, parseLooseValue(v)]),
    );
    let bar: ProgressBar | null = null;
    const res = await withInterrupts(io, 'stopping after the iteration in flight', (interrupt) =>
      agents
        .trainRun({
          ...(o.agent ? { algo: o.agent as 'ppo' | 'a2c' } : {}),
          settings: {
            ...(o.agent && o.env.startsWith('m3e/') && o.preset
              ? agents.M3E_PRESETS[o.agent as 'ppo' | 'a2c']
              : {}),
            ...nestOverrides(o.param),
          },
          ...(problem
            ? {
                env: {
                  id: o.env,
                  options: envOptions,
                  problem,
                  ...(o.newGroups || o.synthGroups ? { newGroups: true } : {}),
                },
              }
            : {}),
          ...(o.steps !== undefined ? { totalSteps: o.steps } : {}),
          seed: o.seed ?? 0,
          backend,
          ...(o.out ? { out: o.out } : {}),
          resume: Boolean(o.resume),
          log: (line) => io.stderr(`m3e train: ${line}\n`),
          signal: interrupt.signal,
          verbose: Boolean(o.verbose),
          onIteration: (m, r, total) => {
            bar ??= new ProgressBar(io, total, 'train');
            const ratio = r['episode/ratio'];
            bar.update(
              Math.min(m.step, total),
              `${ratio !== undefined ? `ratio ${ratio.toFixed(4)} ` : ''}${m.sps.toFixed(0)} steps/s`,
            );
          },
        })
        .then((r) => ({ ...r, signal: interrupt.received })),
    );
    (bar as ProgressBar | null)?.done();
    if (res.stopped) {
      res.trainer.dispose();
      const at = `at step ${res.trainer.step} of ${res.totalSteps}`;
      throw new Interrupted(
        res.signal ?? 'SIGINT',
        o.out
          ? `interrupted by ${res.signal} ${at}: checkpoint saved in ${o.out}; resume with: ${commandLine(['m3e', 'train', '--resume', '--out', o.out])} ` +
              '(episodes in progress restart at the checkpoint: the resumed run is reproducible, not identical to an uninterrupted one)'
          : `interrupted by ${res.signal} ${at}: nothing is saved without --out`,
      );
    }
    const last = res.records[res.records.length - 1] ?? {};
    // The one table a run without new groups trains on.
    const resolved = res.env.newGroups ? null : resolveProblem(res.env.problem);
    const summary: Record<string, unknown> = {
      agent: res.settings.algo,
      env: res.env.id,
      problem: res.env.newGroups ? res.env.problem : resolved!.source,
      seed: res.seed,
      steps: res.trainer.step,
      episodes: res.trainer.episodes,
      seconds: res.seconds,
      stepsPerSecond: (res.trainer.step - res.startStep) / Math.max(res.seconds, 1e-9),
      backend: res.backend.name,
      ...(o.out ? { out: o.out } : {}),
      lastIteration: last,
    };
    // On a fixed table, also score the greedy policy (one forward pass per job).
    if (resolved) {
      const g = agents.rollout(res.trainer.learner.net, res.env, resolved.table, {
        episodes: 1,
        greedy: true,
        seed: res.seed,
      });
      summary.greedy = {
        makespan: g.makespan,
        lowerBound: g.lowerBound,
        ratio: g.makespan / g.lowerBound,
        mapping: encodingToJson(g.encoding),
      };
    }
    res.trainer.dispose();
    emit(io, Boolean(o.json), summary, () => {
      const g = summary.greedy as { makespan: number; ratio: number } | undefined;
      return [
        `${res.settings.algo} on ${res.env.id}: ${res.trainer.step} steps, ${res.trainer.episodes} episodes in ${res.seconds.toFixed(1)} s (${(summary.stepsPerSecond as number).toFixed(0)} steps/s, backend ${res.backend.name})`,
        ...(last['episode/ratio'] !== undefined
          ? [`last episodes  makespan / LB = ${last['episode/ratio'].toFixed(4)} (sampled)`]
          : []),
        ...(g ? [`greedy policy  makespan ${g.makespan} cycles, makespan / LB = ${g.ratio.toFixed(4)}`] : []),
        ...(o.out ? [`run folder     ${o.out}`] : []),
      ].join('\n');
    });
  });
}
