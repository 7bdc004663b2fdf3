/**
 * The tuning report: the winning settings against the declared defaults, on the training
 * problems and on held-out ones, as JSON (`m3e tune --json`, report.json) and markdown.
 * Scores are mean makespan / lower bound (lower is better; 1 would meet the bound).
 */
import { bootstrapInterval, type Interval } from '../report/bootstrap.js';
import { historyChart } from '../report/charts/history.js';
import { intervalsChart } from '../report/charts/intervals.js';
import { type Importance, parameterImportance } from './importance.js';
import type { Distributions, Settings } from './space.js';
import type { FrozenTrial } from './study.js';
import type { TuneScore } from './tunable.js';

export interface Comparison {
  readonly tuned: number;
  readonly default: number;
}

export interface ProblemComparison {
  readonly label: string;
  readonly tuned: number;
  readonly default: number;
}

export interface TuneReport {
  /** The winning settings, complete (searched and fixed values). */
  readonly best: Settings;
  readonly train: Comparison;
  readonly holdout: Comparison | null;
  /**
   * Relative change of the score, (default - tuned) / default (makespan saved), and of the
   * gap above the lower bound, (default - tuned) / (default - 1).
   */
  readonly improvement: {
    readonly train: { readonly makespan: number; readonly gap: number };
    readonly holdout: { readonly makespan: number; readonly gap: number } | null;
  };
  readonly target: string;
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly searched: readonly string[];
  readonly fixed: Readonly<Settings>;
  readonly budget: number;
  readonly repeats: number;
  readonly seed: number;
  readonly sampler: string;
  readonly trials: {
    readonly total: number;
    readonly complete: number;
    readonly failed: number;
    readonly pruned: number;
    readonly best: number;
  };
  /**
   * Makespan saved, (default - tuned) / default over runs paired by seed, with its 95 %
   * stratified bootstrap interval (runs resampled within each problem), when the run scores
   * were given.
   */
  readonly gain?: { readonly train: Interval | null; readonly holdout: Interval | null };
  /** Parameter importance over the complete trials, when the space was given. */
  readonly importance?: readonly Importance[];
  readonly problems: {
    readonly train: readonly ProblemComparison[];
    readonly holdout: readonly ProblemComparison[];
  };
  /** Sampler seconds per trial (mean, and for the last trial), objective seconds per trial. */
  readonly seconds: {
    readonly samplerPerTrial: number;
    readonly samplerLastTrial: number;
    readonly objectivePerTrial: number;
  };
}

export interface ReportInput {
  readonly target: string;
  readonly sampler: string;
  readonly budget: number;
  readonly repeats: number;
  readonly seed: number;
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly searched: readonly string[];
  readonly fixed: Readonly<Settings>;
  readonly trials: readonly FrozenTrial[];
  readonly bestTrial: FrozenTrial;
  readonly train: { readonly tuned: TuneScore; readonly default: TuneScore };
  readonly holdout: { readonly tuned: TuneScore; readonly default: TuneScore } | null;
  /** The searched space: adds parameter importance to the report. */
  readonly space?: Distributions;
  /** Bootstrap the gains (seed of the resampling); absent: no intervals. */
  readonly intervals?: { readonly seed: number; readonly resamples?: number };
}

/**
 * Relative makespan saved by `tuned` over `def`, (sum default - sum tuned) / sum default,
 * over runs paired by problem and seed (both scored on the same seeds), with a stratified
 * bootstrap interval that resamples the pairs within each problem.
 */
export function gainInterval(
  tuned: TuneScore,
  def: TuneScore,
  options: { seed: number; resamples?: number },
): Interval {
  const pairs = tuned.problems.map((p, i) => p.runs.map((t, r) => [def.problems[i]!.runs[r]!, t] as const));
  // Resample pair indices; the statistic looks the pairs up.
  const strata = pairs.map((ps) => ps.map((_, r) => r));
  return bootstrapInterval(
    [strata],
    (g) => {
      let d = 0;
      let t = 0;
      g[0]!.forEach((idx, p) => {
        for (let i = 0; i < idx.length; i++) {
          const [a, b] = pairs[p]![idx[i]!]!;
          d += a;
          t += b;
        }
      });
      return (d - t) / d;
    },
    { seed: options.seed, resamples: options.resamples },
  );
}

function perProblem(tuned: TuneScore, def: TuneScore): ProblemComparison[] {
  return tuned.problems.map((p, i) => ({ label: p.label, tuned: p.mean, default: def.problems[i]!.mean }));
}

function improvement(c: Comparison): { makespan: number; gap: number } {
  return {
    makespan: (c.default - c.tuned) / c.default,
    gap: c.default > 1 ? (c.default - c.tuned) / (c.default - 1) : 0,
  };
}

export function buildReport(r: ReportInput): TuneReport {
  const train = { tuned: r.train.tuned.mean, default: r.train.default.mean };
  const holdout = r.holdout ? { tuned: r.holdout.tuned.mean, default: r.holdout.default.mean } : null;
  const n = r.trials.length;
  const sum = (f: (t: FrozenTrial) => number) => r.trials.reduce((s, t) => s + f(t), 0);
  return {
    best: { ...r.fixed, ...r.bestTrial.params },
    train,
    holdout,
    improvement: { train: improvement(train), holdout: holdout ? improvement(holdout) : null },
    target: r.target,
    defaults: r.defaults,
    searched: r.searched,
    fixed: r.fixed,
    budget: r.budget,
    repeats: r.repeats,
    seed: r.seed,
    sampler: r.sampler,
    trials: {
      total: n,
      complete: r.trials.filter((t) => t.state === 'complete').length,
      failed: r.trials.filter((t) => t.state === 'failed').length,
      pruned: r.trials.filter((t) => t.state === 'pruned').length,
      best: r.bestTrial.number,
    },
    ...(r.intervals
      ? {
          gain: {
            // The tuned training score may come without its runs (the best trial's mean only).
            train: r.train.tuned.problems.every((p) => p.runs.length)
              ? gainInterval(r.train.tuned, r.train.default, r.intervals)
              : null,
            holdout: r.holdout ? gainInterval(r.holdout.tuned, r.holdout.default, r.intervals) : null,
          },
        }
      : {}),
    ...(r.space ? { importance: parameterImportance(r.trials, r.space) } : {}),
    problems: {
      train: perProblem(r.train.tuned, r.train.default),
      holdout: r.holdout ? perProblem(r.holdout.tuned, r.holdout.default) : [],
    },
    seconds: {
      samplerPerTrial: n ? sum((t) => t.samplerSeconds) / n : 0,
      samplerLastTrial: n ? r.trials[n - 1]!.samplerSeconds : 0,
      objectivePerTrial: n ? sum((t) => t.seconds) / n : 0,
    },
  };
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const ratio = (x: number) => x.toFixed(4);
const fmt = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(4) : String(v));

export function renderMarkdown(r: TuneReport): string {
  const lines: string[] = [];
  lines.push(`# Tuning ${r.target}`, '');
  lines.push(
    `${r.trials.total} trials (${r.trials.failed} failed${r.trials.pruned ? `, ${r.trials.pruned} pruned` : ''}) with the ${r.sampler} sampler, seed ${r.seed}; ` +
      `budget ${r.budget} evaluations per run, ${r.repeats} run(s) per problem. ` +
      'Scores: mean makespan / lower bound (lower is better).',
    '',
  );
  lines.push('| | default | tuned | makespan saved | gap to LB closed |', '|---|---|---|---|---|');
  const row = (name: string, c: Comparison, imp: { makespan: number; gap: number }) =>
    `| ${name} | ${ratio(c.default)} | ${ratio(c.tuned)} | ${pct(imp.makespan)} | ${pct(imp.gap)} |`;
  lines.push(row('training problems', r.train, r.improvement.train));
  if (r.holdout && r.improvement.holdout)
    lines.push(row('held-out problems', r.holdout, r.improvement.holdout));
  if (r.gain) {
    const g = (i: Interval) => `${pct(i.estimate)} [${pct(i.low)}, ${pct(i.high)}]`;
    lines.push(
      '',
      `Makespan saved with its 95 % interval (stratified bootstrap over the runs, paired by seed): ` +
        [
          r.gain.train ? `training ${g(r.gain.train)}` : '',
          r.gain.holdout ? `held-out ${g(r.gain.holdout)}` : '',
        ]
          .filter(Boolean)
          .join('; ') +
        '.',
    );
  }
  lines.push(
    '',
    `## Settings (best: trial ${r.trials.best})`,
    '',
    '| hyper-parameter | default | tuned |',
    '|---|---|---|',
  );
  for (const [k, v] of Object.entries(r.best)) {
    const tag = k in r.fixed ? ' (fixed)' : '';
    lines.push(`| ${k}${tag} | ${fmt(r.defaults[k])} | ${fmt(v)} |`);
  }
  for (const [name, rows] of [
    ['training', r.problems.train],
    ['held-out', r.problems.holdout],
  ] as const) {
    if (!rows.length) continue;
    lines.push('', `## Per ${name} problem`, '', '| problem | default | tuned |', '|---|---|---|');
    for (const p of rows) lines.push(`| ${p.label} | ${ratio(p.default)} | ${ratio(p.tuned)} |`);
  }
  if (r.importance?.length) {
    lines.push(
      '',
      '## Parameter importance',
      '',
      'Share of the variance of the trial scores each parameter explains on its own (first-order, binned; see src/tune/importance.ts).',
      '',
      '| hyper-parameter | importance | variance explained |',
      '|---|---:|---:|',
    );
    for (const i of r.importance)
      lines.push(`| ${i.name} | ${i.importance.toFixed(3)} | ${i.explained.toFixed(3)} |`);
  }
  lines.push(
    '',
    `Sampler time per trial: ${r.seconds.samplerPerTrial.toFixed(3)} s on average (last trial ${r.seconds.samplerLastTrial.toFixed(3)} s); objective ${r.seconds.objectivePerTrial.toFixed(2)} s per trial.`,
  );
  return `${lines.join('\n')}\n`;
}

/** The optimisation-history and parameter-importance charts of a study (SVG). */
export function tuneCharts(
  trials: readonly FrozenTrial[],
  space: Distributions,
  options: { title: string; direction?: 'minimize' | 'maximize'; yLabel?: string },
): { name: string; svg: string }[] {
  const history = historyChart({
    title: `${options.title}: optimisation history`,
    points: trials.map((t) => ({ number: t.number, value: t.value, state: t.state })),
    direction: options.direction ?? 'minimize',
    yLabel: options.yLabel ?? 'mean makespan / lower bound',
  });
  const imp = parameterImportance(trials, space);
  const importance = intervalsChart({
    title: `${options.title}: parameter importance`,
    rows: imp.map((i) => ({
      label: i.name,
      estimate: i.importance,
      low: 0,
      high: i.importance,
      colorIndex: 0,
    })),
    xLabel: 'share of the explained variance',
    domain: [0, 1],
  });
  return [
    { name: 'history', svg: history },
    { name: 'importance', svg: importance },
  ];
}
