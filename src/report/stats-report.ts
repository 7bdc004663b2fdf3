/**
 * The statistics section of a comparison report, from plain run records (no result-file
 * schema here, so any runner can feed it): markdown tables and SVG charts for
 *  - per-problem IQM with 95 % intervals, the best marked only where significant;
 *  - aggregate IQM of the normalised score with intervals, mean ranks, Friedman and the
 *    critical-difference diagram;
 *  - every pair: probability of improvement with its interval, Wilcoxon signed-rank over
 *    problems with Holm's correction;
 *  - performance profiles;
 *  - anytime performance: ECDFs of evaluations and of seconds to reach (1 + eps) x the
 *    reference, their areas, and the area under the convergence curve;
 *  - warnings where few seeds or problems make a claim weak.
 */
import {
  type AnytimeRun,
  anytimeEcdf,
  convergenceArea,
  DEFAULT_EPSILONS,
  type Ecdf,
  ecdfArea,
  ecdfAt,
  type History,
} from './anytime.js';
import { mean, performanceProfile, quantileSorted, thresholds } from './bootstrap.js';
import { cdDiagram } from './charts/cd-diagram.js';
import { intervalsChart } from './charts/intervals.js';
import { stepChart } from './charts/step-curves.js';
import {
  type ComparisonStats,
  comparisonStats,
  DEFAULT_MIN_EFFECT,
  type StatsOptions,
} from './comparison-stats.js';

export interface RunRecord {
  /** Normalised final score (makespan / bound; lower is better). */
  readonly score: number;
  /** Best-so-far history in the problem's own units (makespan cycles). */
  readonly history: History;
  readonly evaluations: number;
  readonly seconds: number;
}

export interface StatsReportInput {
  readonly problems: readonly string[];
  readonly mappers: readonly string[];
  /** runs[p][m]: the mapper's runs (one per seed) on problem p. */
  readonly runs: readonly (readonly (readonly RunRecord[])[])[];
  /**
   * Per problem, the value the anytime targets sit above, in history units: a certified
   * optimum or bound when known; default the best final value of any run (the best known).
   */
  readonly references?: readonly number[];
  /** What the references are, for captions ("best known makespan"). */
  readonly referenceLabel?: string;
  /** Evaluations per run (the ECDF's x range and the convergence area's end). */
  readonly budget: number;
  /** What the score is ("makespan / lower bound"). */
  readonly scoreLabel: string;
  readonly epsilons?: readonly number[];
}

export interface StatsChart {
  /** File name without extension (e.g. "cd-diagram"). */
  readonly name: string;
  readonly title: string;
  readonly svg: string;
}

export interface StatsReport {
  readonly stats: ComparisonStats;
  readonly markdown: string;
  readonly charts: readonly StatsChart[];
  /** Per mapper: area under the evaluations ECDF, and mean convergence area over runs. */
  readonly anytime: readonly { readonly ecdfArea: number; readonly convergenceArea: number }[];
}

const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');
const pValue = (p: number) => (p < 1e-4 ? p.toExponential(1) : p.toFixed(4));
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

function row(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
}
function header(cells: readonly string[], left = 1): string {
  return `${row(cells)}\n|${cells.map((_, i) => (i < left ? '---' : '---:')).join('|')}|`;
}

/** References per problem: as given, else the lowest final value of any run. */
function referencesOf(input: StatsReportInput): number[] {
  if (input.references) return [...input.references];
  return input.runs.map((row) => {
    let best = Number.POSITIVE_INFINITY;
    for (const runs of row)
      for (const r of runs) if (r.history.length) best = Math.min(best, r.history.at(-1)![1]);
    return best;
  });
}

export function statsReport(input: StatsReportInput, options: StatsOptions = {}): StatsReport {
  const { problems, mappers } = input;
  const scores = input.runs.map((row) => row.map((runs) => runs.map((r) => r.score)));
  const stats = comparisonStats({ problems, mappers, scores }, options);
  const pctConf = `${Math.round(stats.confidence * 100)} %`;
  const alphaText = `${+(stats.alpha * 100).toFixed(2)} %`;
  const md: string[] = [];
  const charts: StatsChart[] = [];
  const complete = stats.completeProblems;
  const seedCounts = scores.flatMap((row) => row.map((r) => r.length).filter((n) => n > 0));
  const seeds = seedCounts.length ? Math.min(...seedCounts) : 0;

  md.push('## Statistics', '');
  if (stats.warnings.length) {
    md.push('**How far the claims go:**', '');
    for (const w of stats.warnings) md.push(`- ${w}`);
    md.push('');
  }

  // Per problem.
  md.push(
    '### Per problem: IQM with intervals',
    '',
    `Interquartile mean of ${input.scoreLabel} over the seeds, with its ${pctConf} stratified bootstrap interval. ` +
      `**Bold**: significantly the best of its problem (lowest IQM, a Mann-Whitney test against every other mapper rejects at ${alphaText} after Holm's correction, ` +
      `and its median is at least ${+((options.minEffect ?? DEFAULT_MIN_EFFECT) * 100).toFixed(3)} % below every other's); ` +
      '`*` marks the lowest IQM where that is not significant.',
    '',
    header(['problem', ...mappers]),
  );
  problems.forEach((p, i) => {
    const mark = stats.best[i]!;
    md.push(
      row([
        p,
        ...stats.cells[i]!.map((c, m) => {
          if (!c) return '—';
          const t = `${f4(c.iqm.estimate)} [${f4(c.iqm.low)}, ${f4(c.iqm.high)}]`;
          if (mark.best === m) return `**${t}**`;
          return mark.candidate === m ? `${t} *` : t;
        }),
      ]),
    );
  });
  const sigWins = mappers.map((_, m) => stats.best.filter((b) => b.best === m).length);
  const lowest = mappers.map((_, m) => stats.best.filter((b) => b.candidate === m).length);
  md.push(row(['significantly best on', ...sigWins.map((w) => `${w}/${problems.length}`)]));
  md.push(row(['lowest IQM on', ...lowest.map((w) => `${w}/${problems.length}`)]), '');

  // Across problems.
  if (complete.length) {
    md.push(
      '### Across problems',
      '',
      `Over the ${complete.length} problem(s) where every mapper has results (${seeds}+ seeds each): the IQM of every run's ${input.scoreLabel} ` +
        `with its ${pctConf} stratified bootstrap interval (seeds resampled within each problem), and the mean rank of the per-problem IQMs (1 = best).`,
      '',
      header(['mapper', 'aggregate IQM', `${pctConf} interval`, 'mean rank']),
    );
    mappers.forEach((name, m) => {
      const a = stats.aggregateIqm[m]!;
      md.push(
        row([
          name,
          f4(a.estimate),
          `[${f4(a.low)}, ${f4(a.high)}]`,
          stats.ranks ? stats.ranks.meanRanks[m]!.toFixed(2) : '—',
        ]),
      );
    });
    md.push('');
    charts.push({
      name: 'aggregate-iqm',
      title: `aggregate IQM of ${input.scoreLabel}`,
      svg: intervalsChart({
        title: `Aggregate IQM of ${input.scoreLabel} (${pctConf} CI), ${complete.length} problems`,
        rows: mappers.map((label, m) => ({ label, ...stats.aggregateIqm[m]! })),
        xLabel: `IQM of ${input.scoreLabel}`,
      }),
    });
    if (stats.ranks) {
      const r = stats.ranks;
      md.push(
        `Friedman test over ${r.n} problems and ${r.k} mappers: chi-square ${r.chiSquare.toFixed(3)} (${r.k - 1} df), p = ${pValue(r.p)}; ` +
          `Iman-Davenport F = ${Number.isFinite(r.imanDavenport.f) ? r.imanDavenport.f.toFixed(3) : 'inf'} (${r.imanDavenport.df1}, ${r.imanDavenport.df2} df), p = ${pValue(r.imanDavenport.p)}. ` +
          (r.imanDavenport.p < stats.alpha
            ? `The mappers differ at ${alphaText}; Nemenyi critical difference ${r.criticalDifference.toFixed(3)}: mean ranks closer than that are not significantly different (bars in the diagram).`
            : `No significant difference among the mappers at ${alphaText} (the critical-difference diagram is then only descriptive).`),
        '',
      );
      const cd = cdDiagram({
        title: `Critical-difference diagram (Nemenyi, ${alphaText})`,
        names: mappers,
        meanRanks: r.meanRanks,
        criticalDifference: r.criticalDifference,
        groups: r.groups,
        caption: `mean rank of the per-problem IQM over ${r.n} problems; bars join mappers within CD = ${r.criticalDifference.toFixed(2)}; Friedman p = ${pValue(r.p)}`,
      });
      charts.push({ name: 'cd-diagram', title: 'critical-difference diagram', svg: cd });
    }

    // Pairs.
    md.push(
      '### Pairs',
      '',
      `P(a < b): probability that a run of a scores lower (better) than a run of b on a random problem, with its ${pctConf} interval (0.5: no difference). ` +
        `Wilcoxon signed-rank test over the problems on the per-problem IQMs (two-sided), p after Holm's correction over the ${stats.pairs.length} pairs; ` +
        `a winner is named only where that p is below ${alphaText}.`,
      '',
      header(['a', 'b', 'P(a < b)', `${pctConf} interval`, 'W+', 'W-', 'p', 'p (Holm)', 'verdict'], 2),
    );
    for (const pr of stats.pairs) {
      const poi = pr.probabilityOfImprovement;
      md.push(
        row([
          mappers[pr.a]!,
          mappers[pr.b]!,
          poi.estimate.toFixed(3),
          `[${poi.low.toFixed(3)}, ${poi.high.toFixed(3)}]`,
          String(pr.wilcoxon.wPlus),
          String(pr.wilcoxon.wMinus),
          pValue(pr.wilcoxon.p),
          pValue(pr.pHolm),
          pr.better !== null ? `${mappers[pr.better]} better` : 'not significant',
        ]),
      );
    }
    md.push('');
    if (stats.pairs.length) {
      charts.push({
        name: 'probability-of-improvement',
        title: 'probability of improvement',
        svg: intervalsChart({
          title: `P(a better than b) per pair (${pctConf} CI)`,
          rows: stats.pairs.map((pr) => ({
            label: `${mappers[pr.a]} < ${mappers[pr.b]}`,
            ...pr.probabilityOfImprovement,
            colorIndex: pr.a,
          })),
          xLabel: 'probability of improvement',
          reference: 0.5,
          domain: [0, 1],
        }),
      });
    }

    // Performance profiles over the complete problems.
    const pooled = Float64Array.from(complete.flatMap((p) => scores[p]!.flat())).sort();
    const lo = pooled[0]!;
    const hi = Math.min(pooled.at(-1)!, Math.max(1.5 * lo, quantileSorted(pooled, 0.9)));
    const taus = thresholds(lo, hi, 121);
    const profiles = mappers.map((_, m) =>
      performanceProfile(
        complete.map((p) => scores[p]![m]!),
        taus,
        {
          seed: options.seed ?? 0,
          resamples: Math.min(options.resamples ?? 1000, 1000),
          confidence: options.confidence,
        },
      ),
    );
    charts.push({
      name: 'performance-profile',
      title: 'performance profiles',
      svg: stepChart({
        title: `Performance profiles: fraction of runs with ${input.scoreLabel} <= tau (${pctConf} bands)`,
        series: mappers.map((name, m) => ({
          name,
          points: profiles[m]!.map((q) => [q.tau, q.fraction] as const),
          band: profiles[m]!.map((q) => [q.low, q.high] as const),
        })),
        xLabel: `tau (${input.scoreLabel})`,
        yLabel: 'fraction of runs <= tau',
        xDomain: [lo, hi],
      }),
    });
    md.push(
      `Performance profiles (\`performance-profile\` chart): the fraction of all runs (${complete.length} problems x seeds) whose ${input.scoreLabel} is at most tau, with ${pctConf} bootstrap bands; a curve to the upper left is better.`,
      '',
    );
  }

  // Anytime.
  const refs = referencesOf(input);
  const eps = input.epsilons ?? DEFAULT_EPSILONS;
  const anytimeRuns = (m: number): AnytimeRun[][] => input.runs.map((row) => [...row[m]!]);
  const evalEcdf: Ecdf[] = mappers.map((_, m) => anytimeEcdf(anytimeRuns(m), refs, { epsilons: eps }));
  const secEcdf: Ecdf[] = mappers.map((_, m) =>
    anytimeEcdf(anytimeRuns(m), refs, { epsilons: eps, unit: 'seconds' }),
  );
  const budget = Math.max(1, input.budget);
  const anytime = mappers.map((_, m) => {
    const areas = input.runs.flatMap((row, p) =>
      row[m]!.map((r) => convergenceArea(r.history, refs[p]!, budget)),
    );
    return {
      ecdfArea: ecdfArea(evalEcdf[m]!, 1, budget),
      convergenceArea: mean(areas.filter(Number.isFinite)),
    };
  });
  const refLabel = input.referenceLabel ?? 'the best value any run found';
  md.push(
    '### Anytime performance',
    '',
    `Targets (1 + eps) x the reference (${refLabel}) for eps = ${eps.map((e) => `${+(e * 100).toFixed(2)} %`).join(', ')}, ` +
      'over every problem and seed (COCO). Reached: share of (run, target) pairs reached within the budget; ' +
      'ECDF area: area under the ECDF of evaluations to target on a log scale from 1 to the budget (1 = every target at the first evaluation; higher is better); ' +
      `convergence area: best-so-far / reference averaged over log-spaced evaluations up to ${budget} (lower is better; the final ratio if found at once). ` +
      'Seconds to a target are the run time scaled by the share of its evaluations spent.',
    '',
    header([
      'mapper',
      ...eps.map((e) => `reached ${+(e * 100).toFixed(2)} %`),
      'reached (all)',
      'ECDF area',
      'convergence area',
    ]),
  );
  mappers.forEach((name, m) => {
    const perEps = eps.map((e) => anytimeEcdf(anytimeRuns(m), refs, { epsilons: [e] }));
    md.push(
      row([
        name,
        ...perEps.map((x) => pct(ecdfAt(x, budget))),
        pct(ecdfAt(evalEcdf[m]!, budget)),
        f4(anytime[m]!.ecdfArea),
        f4(anytime[m]!.convergenceArea),
      ]),
    );
  });
  md.push('');
  const ecdfSeries = (e: readonly Ecdf[], note: (m: number) => string | undefined) =>
    mappers.map((name, m) => ({
      name,
      points: [[0, 0] as const, ...e[m]!.costs.map((c, k) => [c, (k + 1) / e[m]!.total] as const)].filter(
        (_, k, a) => k === a.length - 1 || a[k + 1]![0] !== a[k]![0],
      ),
      note: note(m),
    }));
  charts.push({
    name: 'anytime-evaluations',
    title: 'anytime ECDF (evaluations)',
    svg: stepChart({
      title: `Targets reached: (1 + eps) x ${refLabel}, eps ${eps.map((e) => `${+(e * 100).toFixed(2)}%`).join('/')}`,
      series: ecdfSeries(evalEcdf, (m) => `area ${f4(anytime[m]!.ecdfArea)}`),
      xLabel: 'evaluated mappings (log scale)',
      yLabel: 'fraction of (run, target) pairs',
      xLog: true,
      xDomain: [1, Math.max(10, budget)],
    }),
  });
  const maxSeconds = Math.max(
    1e-3,
    ...secEcdf.flatMap((e) => e.costs),
    ...input.runs.flat(2).map((r) => r.seconds),
  );
  const minSeconds = Math.max(
    1e-4,
    Math.min(maxSeconds / 1e3, ...secEcdf.flatMap((e) => e.costs.filter((c) => c > 0))),
  );
  charts.push({
    name: 'anytime-seconds',
    title: 'anytime ECDF (seconds)',
    svg: stepChart({
      title: `Targets reached against time: (1 + eps) x ${refLabel}`,
      series: ecdfSeries(secEcdf, () => undefined),
      xLabel: 'seconds (log scale)',
      yLabel: 'fraction of (run, target) pairs',
      xLog: true,
      xDomain: [minSeconds, maxSeconds],
    }),
  });
  return { stats, markdown: md.join('\n'), charts, anytime };
}
