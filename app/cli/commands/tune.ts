/**
 * `m3e tune`: Bayesian hyper-parameter tuning of an optimiser (or an RL agent, `--agent`) over
 * a set of training problems, then the winner against the declared defaults on held-out
 * problems. The study is stored as JSON lines in --out, so `--resume` continues a killed run.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError, show } from '../../../src/core/errors.js';
import { checkWritableFolder, writeFileAtomic, writeJsonAtomic } from '../../../src/io/files.js';
import { parseParamString } from '../../../src/optim/params.js';
import { getOptimizerSpec } from '../../../src/optim/registry.js';
import { svgToPng } from '../../../src/report/png.js';
import { LOG_EI } from '../../../src/tune/acquisition.js';
import { mapperTunable } from '../../../src/tune/mapper-objective.js';
import { medianPruner, type Pruner, successiveHalvingPruner } from '../../../src/tune/pruners.js';
import { buildReport, renderMarkdown, type TuneReport, tuneCharts } from '../../../src/tune/report.js';
import { GP_DEFAULTS, gpSampler } from '../../../src/tune/samplers/gp-bo.js';
import { haltonSampler } from '../../../src/tune/samplers/halton.js';
import { randomSampler } from '../../../src/tune/samplers/random.js';
import type { Sampler } from '../../../src/tune/samplers/sampler.js';
import { TPE_DEFAULTS, tpeSampler } from '../../../src/tune/samplers/tpe.js';
import type { Settings } from '../../../src/tune/space.js';
import { createStudy, TrialPruned } from '../../../src/tune/study.js';
import type { RangeOverrides } from '../../../src/tune/tunable.js';
import { confirmBest } from '../../../src/tune/tunable-objective.js';
import { commandLine, Interrupted, pacer, withInterrupts } from '../interrupt.js';
import { type CliIO, emit } from '../io.js';
import { CLI_LIMITS } from '../limits.js';
import { parseFloatOption, parseIntOption, parseSeedOption } from '../options.js';
import { ProgressBar } from '../progress.js';
import { loadProblemSet } from '../tune-problems.js';

interface TuneOptions {
  optimizer?: string;
  agent?: string;
  trials: number;
  budget: number;
  problems: string;
  holdout?: string;
  repeats: number;
  holdoutRepeats?: number;
  seed: number;
  sampler: string;
  startup?: number;
  multivariate?: boolean;
  pruner: string;
  minResource?: number;
  reductionFactor: number;
  pruneWarmup?: number;
  confirm: number;
  acquisition: string;
  beta: number;
  range?: Record<string, string>;
  fix?: Record<string, string>;
  defaultTrial: boolean;
  out?: string;
  resume?: boolean;
  json?: boolean;
}

/** Trials of a tuning run by default: enough for a 7-parameter GP to settle after its start. */
const DEFAULT_TRIALS = 40;
/** Evaluations per run by default: the authors' 100 generations x 105 individuals. */
const DEFAULT_BUDGET = 10_500;
/** UCB's beta by default (sigma weighted by 2). */
const DEFAULT_BETA = 4;
/** The study in --out (one JSON line per trial, appended as trials finish). */
const STUDY_FILE = 'trials.jsonl';

/** The command line as given, with --resume: a study resumes with the same settings. */
function resumeArgs(cmd: Command): string[] {
  const args = cmd.parent?.args ?? ['tune'];
  return args.includes('--resume') ? [...args] : [...args, '--resume'];
}

function collect(flag: string) {
  return (value: string, previous: Record<string, string> = {}): Record<string, string> => {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new InputError(`${flag} must look like name=value, got "${value}"`);
    return { ...previous, [value.slice(0, eq).trim()]: value.slice(eq + 1).trim() };
  };
}

function parseRanges(raw: Record<string, string>): RangeOverrides {
  const out: Record<string, [number, number]> = {};
  for (const [k, v] of Object.entries(raw)) {
    const m = /^\s*([^:]+):([^:]+)\s*$/.exec(v);
    const lo = m ? Number(m[1]) : Number.NaN;
    const hi = m ? Number(m[2]) : Number.NaN;
    if (!Number.isFinite(lo) || !Number.isFinite(hi))
      throw new InputError(`--range ${k} must look like ${k}=low:high, got "${v}"`);
    out[k] = [lo, hi];
  }
  return out;
}

function makeSampler(o: TuneOptions): Sampler {
  switch (o.sampler) {
    case 'gp':
      return gpSampler({
        startup: o.startup ?? GP_DEFAULTS.startup,
        acquisition: o.acquisition === 'ucb' ? { kind: 'ucb', beta: o.beta } : LOG_EI,
      });
    case 'tpe':
      return tpeSampler({
        startup: o.startup ?? TPE_DEFAULTS.startup,
        multivariate: Boolean(o.multivariate),
      });
    case 'random':
      return randomSampler();
    case 'halton':
      return haltonSampler();
    default:
      throw new InputError(`--sampler must be gp, tpe, random or halton, got ${show(o.sampler)}`);
  }
}

/**
 * The pruner; its steps are the runs of a score, pass by pass over the problems, so by
 * default ASHA's first rung and the median pruner's warm-up are one full pass.
 */
function makePruner(o: TuneOptions, problems: number): Pruner | null {
  switch (o.pruner) {
    case 'none':
      return null;
    case 'median':
      return medianPruner({ startupTrials: 5, warmupSteps: o.pruneWarmup ?? problems, compare: 'last' });
    case 'asha':
      return successiveHalvingPruner({
        minResource: o.minResource ?? problems,
        reductionFactor: o.reductionFactor,
      });
    default:
      throw new InputError(`--pruner must be none, median or asha, got ${show(o.pruner)}`);
  }
}

export function register(program: Command, io: CliIO): void {
  program
    .command('tune')
    .description("tune an optimiser's hyper-parameters by Bayesian optimisation over training problems")
    .option('--optimizer <name>', 'optimiser to tune (default magma; see `m3e optimizers`)')
    .option('--agent <name>', 'RL agent to tune (budget in environment steps)')
    .requiredOption(
      '--problems <file>',
      'training problems: JSON list of {"table"}, {"synth"} or {"task", ...} entries',
    )
    .option(
      '--holdout <file>',
      'held-out problems, same format: the winner is scored there against the defaults',
    )
    .option(
      '--trials <n>',
      'trials in total (a resumed study runs the rest)',
      parseIntOption('--trials', 1, CLI_LIMITS.MAX_TRIALS),
      DEFAULT_TRIALS,
    )
    .option(
      '--budget <n>',
      'evaluations per run',
      parseIntOption('--budget', 1, CLI_LIMITS.MAX_STEPS),
      DEFAULT_BUDGET,
    )
    .option(
      '--repeats <n>',
      'runs (seeds) per training problem',
      parseIntOption('--repeats', 1, CLI_LIMITS.MAX_REPEATS),
      2,
    )
    .option(
      '--holdout-repeats <n>',
      'runs per held-out problem (default: --repeats)',
      parseIntOption('--holdout-repeats', 1, CLI_LIMITS.MAX_REPEATS),
    )
    .option('--seed <s>', 'seed of the sampler and of every run', parseSeedOption(), 0)
    .option('--sampler <name>', "gp (Bayesian optimisation), tpe (Optuna's default), halton or random", 'gp')
    .option(
      '--startup <n>',
      `gp: trials from the Halton design before the GP (default ${GP_DEFAULTS.startup}); tpe: random trials before the model (default ${TPE_DEFAULTS.startup})`,
      parseIntOption('--startup', 1, CLI_LIMITS.MAX_TRIALS),
    )
    .option('--multivariate', 'tpe: model the parameters jointly')
    .option(
      '--pruner <name>',
      'stop hopeless trials after each run: none, median (worse than the median at that run) or asha (successive halving)',
      'none',
    )
    .option(
      '--min-resource <n>',
      'asha: runs before the first rung (default: one run per training problem)',
      parseIntOption('--min-resource', 1, CLI_LIMITS.MAX_TRIALS),
    )
    .option(
      '--reduction-factor <n>',
      'asha: keep the best 1/n at each rung',
      parseIntOption('--reduction-factor', 2, 100),
      2,
    )
    .option(
      '--prune-warmup <n>',
      'median: runs before pruning starts (default: one per training problem)',
      parseIntOption('--prune-warmup', 0, CLI_LIMITS.MAX_TRIALS),
    )
    .option(
      '--confirm <k>',
      'score the k best trials and the defaults again on fresh seeds and keep the best pooled mean (0: the best trial)',
      parseIntOption('--confirm', 0, CLI_LIMITS.MAX_TRIALS),
      0,
    )
    .option('--acquisition <name>', 'gp: ei (log expected improvement) or ucb', 'ei')
    .option(
      '--beta <b>',
      'gp: UCB exploration weight beta',
      parseFloatOption('--beta', { min: 0 }),
      DEFAULT_BETA,
    )
    .option(
      '--range <name=lo:hi>',
      'search this range of a numeric hyper-parameter (repeatable)',
      collect('--range'),
      {},
    )
    .option(
      '--fix <name=value>',
      'hold a hyper-parameter at a value, not searched (repeatable)',
      collect('--fix'),
      {},
    )
    .option('--no-default-trial', 'do not try the declared defaults as the first trial')
    .option('--out <dir>', 'write trials.jsonl, report.json and report.md here')
    .option('--resume', 'continue the study stored in --out')
    .option('--json', 'print the report as JSON on stdout')
    .action(async (o: TuneOptions, cmd: Command) => {
      if (o.agent !== undefined && o.optimizer !== undefined)
        throw new InputError('give either --optimizer or --agent, not both');
      if (o.acquisition !== 'ei' && o.acquisition !== 'ucb')
        throw new InputError(`--acquisition must be ei or ucb, got ${show(o.acquisition)}`);
      if (o.resume && !o.out)
        throw new InputError('--resume needs --out (the folder of the study to continue)');
      if (o.agent === undefined && o.budget > CLI_LIMITS.MAX_BUDGET)
        throw new InputError(`--budget must be <= ${CLI_LIMITS.MAX_BUDGET} evaluations, got ${o.budget}`);
      const studyFile = o.out ? join(o.out, STUDY_FILE) : undefined;
      if (o.resume && !existsSync(studyFile!))
        throw new InputError(
          `--resume: ${o.out} holds no study to resume (no ${STUDY_FILE}); start it without --resume`,
        );
      if (o.out) checkWritableFolder(o.out, '--out');
      // What is tuned: a registered optimiser, or an RL agent (budget in environment steps).
      // TensorFlow.js loads only when an agent is tuned: every other command starts without it.
      const agents = o.agent !== undefined ? await import('../../../agents/tunable.js') : null;
      const spec = agents ? agents.agentSpec(o.agent!) : getOptimizerSpec(o.optimizer ?? 'magma');
      const fixed: Settings = Object.fromEntries(
        Object.entries(o.fix ?? {}).map(([k, v]) => [k, parseParamString(spec.name, spec.params, k, v)]),
      );
      const ranges = parseRanges(o.range ?? {});
      const sampler = makeSampler(o);
      makePruner(o, 1); // refuses a bad --pruner before any file is read or written

      const trainProblems = loadProblemSet(o.problems, '--problems');
      const holdoutProblems = o.holdout ? loadProblemSet(o.holdout, '--holdout') : null;
      const common = { optimizer: spec.name, budget: o.budget, seed: o.seed, fixed, ranges };
      const makeTunable = (x: Parameters<typeof mapperTunable>[0]) =>
        agents ? agents.agentTunable(o.agent!, x) : mapperTunable(x);
      const train = makeTunable({ ...common, problems: trainProblems, repeats: o.repeats, set: 'train' });
      const holdout = holdoutProblems
        ? makeTunable({
            ...common,
            problems: holdoutProblems,
            repeats: o.holdoutRepeats ?? o.repeats,
            set: 'holdout',
          })
        : null;

      const pruner = makePruner(o, trainProblems.length);
      const study = createStudy({
        direction: 'minimize',
        sampler,
        ...(pruner ? { pruner } : {}),
        seed: o.seed,
        storage: studyFile,
        resume: Boolean(o.resume),
        space: train.space,
        metadata: {
          optimizer: spec.name,
          budget: o.budget,
          repeats: o.repeats,
          fixed,
          problems: trainProblems.map((p) => ({
            label: p.label,
            jobs: p.table.numJobs,
            cores: p.table.numCores,
            lowerBound: p.lowerBound,
          })),
          defaultTrial: o.defaultTrial,
        },
      });
      if (o.defaultTrial && train.defaultPoint && study.trials.length === 0 && study.pendingEnqueued === 0)
        study.enqueueTrial(train.defaultPoint);

      const remaining = Math.max(0, o.trials - study.trials.length);
      const finalRuns = train.runsPerScore + (holdout ? 2 * holdout.runsPerScore : 0);
      const bar = new ProgressBar(io, remaining * train.runsPerScore + finalRuns, `tune ${spec.name}`);
      let runs = 0;
      const bestText = () => {
        const b = study.bestTrial;
        return b ? `best ${b.value!.toFixed(4)} x LB (trial ${b.number})` : '';
      };
      const resumeHint = (sig: string) =>
        `interrupted by ${sig}: ` +
        (o.out
          ? `${study.trials.length} of ${o.trials} trials are saved in ${studyFile}; resume with: ${commandLine(['m3e', ...resumeArgs(cmd)])}`
          : `${study.trials.length} of ${o.trials} trials ran; nothing is saved without --out`);
      const result = await withInterrupts(io, 'stopping after the run in flight', async (interrupt) => {
        const yieldNow = pacer();
        // After each run: progress, a turn of the event loop for signals, and a stop if one came.
        const tick = (what: string) => async () => {
          bar.update(++runs, what);
          const p = yieldNow();
          if (p) await p;
          if (interrupt.received) throw new Interrupted(interrupt.received, resumeHint(interrupt.received));
        };
        try {
          await study.optimize(
            async (trial) => {
              const score = await train.score(
                trial.suggestAll(train.space),
                tick(`trial ${trial.number} ${bestText()}`),
                pruner
                  ? (done, mean) => {
                      trial.report(mean, done);
                      if (done < train.runsPerScore && trial.shouldPrune())
                        throw new TrialPruned(`pruned after ${done} of ${train.runsPerScore} runs`);
                    }
                  : undefined,
              );
              trial.setUserAttr(
                'problems',
                score.problems.map((p) => ({ label: p.label, mean: p.mean })),
              );
              return score.mean;
            },
            { nTrials: remaining, signal: interrupt.signal },
          );
          if (interrupt.received) throw new Interrupted(interrupt.received, resumeHint(interrupt.received));
          let found = study.bestTrial;
          if (!found) {
            const first = study.trials.find((t) => t.error)?.error ?? 'no trials ran';
            throw new InputError(`all ${study.trials.length} trials failed; the first error: ${first}`);
          }
          if (o.confirm > 0) {
            // Noise handling: the best of many noisy scores is the luckiest; re-score the top few.
            const confirm = makeTunable({
              ...common,
              problems: trainProblems,
              repeats: o.repeats,
              set: 'confirm',
            });
            const defaults = study.trials.find((t) => t.systemAttrs.enqueued === 0)?.number;
            const c = await confirmBest(study, confirm, {
              top: o.confirm,
              always: defaults === undefined ? [] : [defaults],
              trainRuns: train.runsPerScore,
              onRun: tick('confirming the best trials on fresh seeds'),
            });
            found = study.trials[c.chosen.trial]!;
          }
          const best = found;
          const tunedParams = Object.fromEntries(Object.keys(train.space).map((k) => [k, best.params[k]!]));
          // The tuned training score is the best trial's (same seeds); the defaults run once more.
          const trainTuned = {
            mean: best.value!,
            problems: ((best.userAttrs.problems as { label: string; mean: number }[] | undefined) ?? []).map(
              (p) => ({
                ...p,
                runs: [],
              }),
            ),
          };
          const trainDefault = await train.scoreDefaults(tick('defaults on training problems'));
          const holdoutScores = holdout
            ? {
                tuned: await holdout.score(tunedParams, tick('tuned on held-out problems')),
                default: await holdout.scoreDefaults(tick('defaults on held-out problems')),
              }
            : null;
          return { best, trainTuned, trainDefault, holdoutScores };
        } catch (e) {
          // A stop inside a run surfaces as the error of the trial that was running.
          if (interrupt.received && !(e instanceof Interrupted))
            throw new Interrupted(interrupt.received, resumeHint(interrupt.received));
          throw e;
        }
      });
      bar.done();
      const { best, trainTuned, trainDefault, holdoutScores } = result;

      const report: TuneReport = buildReport({
        target: spec.name,
        sampler: `${sampler.name}${pruner ? ` with ${pruner.name} pruning` : ''}${o.confirm > 0 ? `, the top ${o.confirm} confirmed on fresh seeds` : ''}`,
        budget: o.budget,
        repeats: o.repeats,
        seed: o.seed,
        defaults: train.defaultsDescription,
        searched: Object.keys(train.space),
        fixed,
        trials: study.trials,
        bestTrial: best,
        train: { tuned: trainTuned, default: trainDefault },
        holdout: holdoutScores,
        space: train.space,
        intervals: { seed: o.seed },
      });
      if (o.out) {
        writeJsonAtomic(join(o.out, 'report.json'), report);
        const charts = tuneCharts(study.trials, train.space, { title: `tuning ${spec.name}` });
        for (const c of charts) {
          writeFileAtomic(join(o.out, `${c.name}.svg`), c.svg);
          writeFileAtomic(join(o.out, `${c.name}.png`), svgToPng(c.svg));
        }
        writeFileAtomic(
          join(o.out, 'report.md'),
          `${renderMarkdown(report)}\n${charts.map((c) => `![${c.name}](${c.name}.png)`).join('\n\n')}\n`,
        );
      }
      emit(io, Boolean(o.json), report, () => renderMarkdown(report).trimEnd());
    });
}
