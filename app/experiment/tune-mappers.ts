/**
 * Equal tuning budgets before a comparison (the "hyper-parameter lottery": with tuned
 * hyper-parameters and equal samples, rankings of search algorithms change, ArchGym 2023).
 * Every optimiser mapper of a spec gets a study with the same budget of runs (one run: one
 * search of `evals` evaluated mappings on one training problem; pruned trials count the runs
 * they made) on the training problems; its winner, confirmed on fresh seeds, replaces its
 * settings in the spec, which then runs on the spec's own (held-out) problems. Parameters a
 * mapper sets in the spec stay fixed; mappers with nothing to tune (heuristics) and agents run
 * as given. Studies are stored under `<dir>/<mapper>/trials.jsonl`, so a killed tuning resumes.
 */
import { join } from 'node:path';
import { InputError } from '../../src/core/errors.js';
import { mapperTunable } from '../../src/tune/mapper-objective.js';
import type { TuneProblem } from '../../src/tune/problems.js';
import { type Pruner, successiveHalvingPruner } from '../../src/tune/pruners.js';
import { gpSampler } from '../../src/tune/samplers/gp-bo.js';
import { randomSampler } from '../../src/tune/samplers/random.js';
import type { Sampler } from '../../src/tune/samplers/sampler.js';
import { tpeSampler } from '../../src/tune/samplers/tpe.js';
import type { Settings } from '../../src/tune/space.js';
import { createStudy } from '../../src/tune/study.js';
import type { Tunable } from '../../src/tune/tunable.js';
import { confirmBest, tunableObjective } from '../../src/tune/tunable-objective.js';
import { type ExperimentSpec, expandSpec } from './spec.js';

export interface TuneMappersOptions {
  readonly problems: readonly TuneProblem[];
  /** Runs per mapper, confirmation included. */
  readonly budgetRuns: number;
  /** Evaluated mappings per run (default: the spec's budget). */
  readonly evals?: number;
  /** Seeds per training problem in a score (default 2). */
  readonly repeats?: number;
  readonly sampler?: 'tpe' | 'gp' | 'random';
  readonly prune?: boolean;
  /** Best trials re-scored on fresh seeds (default 3). */
  readonly confirm?: number;
  readonly seed?: number;
  /** Folder of the studies. */
  readonly dir: string;
  readonly onRun?: (mapper: string) => void;
}

export interface TunedMapper {
  readonly mapper: string;
  /** Null when there was nothing to tune. */
  readonly params: Settings | null;
  readonly trials: number;
  readonly pruned: number;
  readonly runs: number;
  /** Training score of the defaults and of the winner (its pooled confirmed mean). */
  readonly defaultScore: number | null;
  readonly tunedScore: number | null;
}

function samplerOf(name: TuneMappersOptions['sampler']): Sampler {
  return name === 'gp' ? gpSampler() : name === 'random' ? randomSampler() : tpeSampler();
}

/** Tunes every optimiser mapper of `spec` at the same budget; returns the tuned spec. */
export async function tuneMappers(
  spec: ExperimentSpec,
  specDir: string,
  o: TuneMappersOptions,
): Promise<{ spec: ExperimentSpec; tuned: TunedMapper[] }> {
  const x = expandSpec(spec, specDir);
  const evals = o.evals ?? spec.budget;
  const repeats = o.repeats ?? 2;
  const confirmTop = o.confirm ?? 3;
  const seed = o.seed ?? 0;
  const tuned: TunedMapper[] = [];
  const entries: unknown[] = [];
  // A mapper with nothing to tune (an agent, or no searchable hyper-parameter) runs as given.
  const keepAsGiven = (i: number, mapper: string) => {
    entries.push(spec.mappers[i]);
    tuned.push({
      mapper,
      params: null,
      trials: 0,
      pruned: 0,
      runs: 0,
      defaultScore: null,
      tunedScore: null,
    });
  };
  for (const [i, m] of x.mappers.entries()) {
    if (m.kind !== 'optimizer') {
      keepAsGiven(i, m.id);
      continue;
    }
    const common = {
      optimizer: m.optimizer,
      problems: o.problems,
      budget: evals,
      repeats,
      seed,
      fixed: m.params,
    };
    let train: Tunable;
    try {
      train = mapperTunable({ ...common, set: 'train' });
    } catch (e) {
      if (!(e instanceof InputError) || !/nothing left to tune/.test(e.message)) throw e;
      keepAsGiven(i, m.id);
      continue;
    }
    const confirm = mapperTunable({ ...common, set: 'confirm' });
    const pruner: Pruner | null =
      o.prune === false
        ? null
        : successiveHalvingPruner({ minResource: o.problems.length, reductionFactor: 2 });
    const study = createStudy({
      sampler: samplerOf(o.sampler),
      seed,
      space: train.space,
      storage: join(o.dir, m.id, 'trials.jsonl'),
      resume: true,
      metadata: {
        mapper: m.id,
        optimizer: m.optimizer,
        evals,
        repeats,
        budgetRuns: o.budgetRuns,
        fixed: m.params,
      },
      ...(pruner ? { pruner } : {}),
    });
    if (train.defaultPoint && study.trials.length === 0 && study.pendingEnqueued === 0)
      study.enqueueTrial(train.defaultPoint);
    // Runs already spent by a resumed study: complete trials ran every run, pruned ones up to their last step.
    const spent = study.trials.reduce(
      (n, t) =>
        n +
        (t.state === 'pruned'
          ? Math.max(0, ...Object.keys(t.intermediateValues).map(Number))
          : t.state === 'complete'
            ? train.runsPerScore
            : 0),
      0,
    );
    const counter = { runs: spent };
    const reserve = (confirmTop + 1) * train.runsPerScore;
    await study.optimize(
      tunableObjective(train, { prune: pruner !== null, counter, onRun: () => o.onRun?.(m.id) }),
      { nTrials: 1_000_000, stop: () => counter.runs >= o.budgetRuns - reserve },
    );
    const defaults = study.trials.find((t) => t.systemAttrs.enqueued === 0)?.number;
    const c = await confirmBest(study, confirm, {
      top: confirmTop,
      always: defaults === undefined ? [] : [defaults],
      trainRuns: train.runsPerScore,
      onRun: () => {
        counter.runs++;
        o.onRun?.(m.id);
      },
    });
    const params = {
      ...m.params,
      ...Object.fromEntries(Object.keys(train.space).map((k) => [k, c.chosen.params[k]!])),
    };
    entries.push({ name: m.id, optimizer: m.optimizer, params });
    tuned.push({
      mapper: m.id,
      params: params as Settings,
      trials: study.trials.length,
      pruned: study.trials.filter((t) => t.state === 'pruned').length,
      runs: counter.runs,
      defaultScore:
        defaults === undefined ? null : (c.candidates.find((k) => k.trial === defaults)?.pooled ?? null),
      tunedScore: c.chosen.pooled,
    });
  }
  return { spec: { ...spec, mappers: entries as ExperimentSpec['mappers'] }, tuned };
}

export function tuningMarkdown(tuned: readonly TunedMapper[], o: TuneMappersOptions, evals: number): string {
  const lines = [
    '# Equal tuning budgets',
    '',
    `Every optimiser mapper was tuned with the same budget of ${o.budgetRuns} runs (${evals} evaluated mappings each, ` +
      `${o.repeats ?? 2} seeds per training problem, ${o.problems.length} training problems; ${o.sampler ?? 'tpe'} sampler${o.prune === false ? '' : ' with successive-halving pruning'}, ` +
      `the ${o.confirm ?? 3} best trials and the defaults confirmed on fresh seeds), then compared with its winning settings on the spec's problems. ` +
      'Scores: mean makespan / lower bound on the training problems (pooled over the study and the confirmation).',
    '',
    '| mapper | trials | pruned | runs | defaults | tuned | settings |',
    '|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const t of tuned) {
    const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(4));
    const settings = t.params
      ? Object.entries(t.params)
          .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(3) : v}`)
          .join(', ')
      : 'nothing to tune: run as given';
    lines.push(
      `| ${t.mapper} | ${t.trials} | ${t.pruned} | ${t.runs} | ${fmt(t.defaultScore)} | ${fmt(t.tunedScore)} | ${settings} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
