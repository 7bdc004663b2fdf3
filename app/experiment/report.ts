/**
 * The reports of a run folder: report.md (tables, charts, failures), summary.csv (one row
 * per problem and mapper), cells.csv (one row per cell) and charts/ (SVG, and PNG unless
 * turned off): grouped bars across problems, and per problem the convergence of every
 * mapper and the Gantt chart of the best mapping found.
 */
import { join } from 'node:path';
import { encodingFromJson } from '../../src/core/encoding.js';
import { InputError, show } from '../../src/core/errors.js';
import { Evaluator } from '../../src/core/evaluator.js';
import { ensureFolder, writeFileAtomic } from '../../src/io/files.js';
import { getOptimizerSpec } from '../../src/optim/registry.js';
import { barsChart } from '../../src/report/charts/bars.js';
import { convergenceChart } from '../../src/report/charts/convergence.js';
import { ganttChart } from '../../src/report/charts/gantt.js';
import { formatCycles } from '../../src/report/charts/svg.js';
import { fontStatus, svgToPng } from '../../src/report/png.js';
import type { OkLine, ResultLine } from '../../src/report/results.js';
import { bySetting, type Comparison, compareResults, markSignificantBest } from '../../src/report/stats.js';
import { statsReport } from '../../src/report/stats-report.js';
import {
  cellsCsv,
  comparisonCsv,
  detailMarkdown,
  settingsMarkdown,
  speedupMarkdown,
  summaryMarkdown,
} from '../../src/report/table.js';
import { type BoundRecord, gapToBound, provenOptimal } from './bounds.js';
import { resolveProblemCached } from './problems.js';
import { planCells, taskKey } from './runner.js';
import type { ExpandedSpec } from './spec.js';

export interface ReportOptions {
  /** The certified bound of each problem (bounds.ts); the gap section and chart need it. */
  readonly bounds?: ReadonlyMap<string, BoundRecord>;
  /** Mapper the speed-ups are relative to; the spec's baseline when absent. */
  readonly baseline?: string;
  readonly charts: boolean;
  /** Also render every chart to PNG (needs @resvg/resvg-js). */
  readonly png: boolean;
}

export interface ReportOutput {
  readonly comparison: Comparison;
  /** The two main tables (makespan / LB, speed-ups) in markdown, for the terminal. */
  readonly summary: string;
  /** Files written, relative to the run folder. */
  readonly files: readonly string[];
  readonly warnings: readonly string[];
}

/** Problems per bar chart: more and the labels no longer fit a page. */
const MAX_PROBLEMS_PER_BARS = 24;
/** Relative tolerance between a stored makespan and its re-evaluation. */
const REEVAL_TOLERANCE = 1e-9;

function fileSlug(id: string): string {
  return id.replace(/\//g, '_').replace(/[^A-Za-z0-9._-]+/g, '-');
}

/** Problems grouped for bar charts by their first id word (task or name), at most MAX per chart. */
function barChunks(problems: readonly string[]): { name: string; problems: string[] }[] {
  const byHead = new Map<string, string[]>();
  for (const p of problems) {
    const head = p.split('/')[0]!;
    byHead.set(head, [...(byHead.get(head) ?? []), p]);
  }
  const out: { name: string; problems: string[] }[] = [];
  for (const [head, list] of byHead) {
    for (let k = 0; k < list.length; k += MAX_PROBLEMS_PER_BARS) {
      const part = list.length > MAX_PROBLEMS_PER_BARS ? `-${k / MAX_PROBLEMS_PER_BARS + 1}` : '';
      out.push({ name: `${head}${part}`, problems: list.slice(k, k + MAX_PROBLEMS_PER_BARS) });
    }
  }
  // Few problems in all: one chart.
  if (problems.length <= MAX_PROBLEMS_PER_BARS) return [{ name: '', problems: [...problems] }];
  return out;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** How every agent mapper mapped and trained: training is outside the budget, so it is shown here. */
function agentSection(x: ExpandedSpec, ok: readonly OkLine[]): string[] {
  const rows: string[] = [];
  for (const m of x.mappers) {
    // Agents, and learned optimisers (trained once, offline: `policy`).
    const learned = m.kind === 'optimizer' && getOptimizerSpec(m.optimizer).family === 'learned';
    if (m.kind !== 'agent' && !learned) continue;
    const mine = ok.filter((l) => l.mapper === m.id && l.agent);
    const a = mine.map((l) => l.agent!);
    const fmt = (xs: number[], digits: number) =>
      xs.length ? mean(xs).toLocaleString('en-US', { maximumFractionDigits: digits }) : '-';
    const backends = [...new Set(a.map((i) => i.backend))].join(', ') || '-';
    const samples = m.kind === 'agent' ? m.samples : x.spec.budget;
    const model = m.kind === 'optimizer' && typeof m.params.model === 'string' ? m.params.model : '';
    const policy =
      m.kind === 'agent'
        ? m.run !== undefined
          ? `run \`${m.run}\``
          : `trained per cell, ${m.trainSteps!.toLocaleString('en-US')} steps`
        : model
          ? `policy \`${model}\``
          : 'the shipped pretrained policy';
    rows.push(
      `| ${m.id} | ${m.kind === 'agent' ? m.agent : `${m.optimizer} (learned)`} | ${policy} | ` +
        `${samples === 1 ? '1 (greedy)' : `${samples.toLocaleString('en-US')} (greedy + ${(samples - 1).toLocaleString('en-US')} sampled)`} | ` +
        `${fmt(
          mine.map((l) => l.history[0]![1] / l.lowerBound),
          4,
        )} | ` +
        `${fmt(
          a.map((i) => i.trainedSteps),
          0,
        )} | ${fmt(
          a.flatMap((i) => (i.trainEpisodes === undefined ? [] : [i.trainEpisodes])),
          0,
        )} | ${fmt(
          a.flatMap((i) => (i.trainSeconds === undefined ? [] : [i.trainSeconds])),
          1,
        )} | ${backends} |`,
    );
  }
  if (!rows.length) return [];
  return [
    '## Agent mappers',
    '',
    'An agent proposes mappings with its policy, the greedy rollout first and then sampled ones; each ' +
      'proposal is one evaluated mapping of the budget (greedy / LB: the greedy rollout alone). Training is not part of the budget: its steps, ' +
      'episodes (each one also an evaluated mapping) and seconds are listed here, means over the ok cells.',
    '',
    '| mapper | agent | policy | mappings per cell | greedy / LB | trained steps | training episodes | training s | backend |',
    '|---|---|---|---:|---:|---:|---:|---:|---|',
    ...rows,
    '',
  ];
}

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

/**
 * Gap of every mapper to the certified bound (mean makespan over seeds / bound - 1), in bold
 * where the mapper is significantly the best of the problem; the problem is proven optimal
 * when its best mapping meets the bound.
 */
function gapMarkdown(cmp: Comparison, bounds: ReadonlyMap<string, BoundRecord>): string {
  const lines = [
    `| problem | certified bound | bound status | ${cmp.mappers.join(' | ')} | proven optimal |`,
    `|---|---:|---|${cmp.mappers.map(() => '---:').join('|')}|---|`,
  ];
  const logs: number[][] = cmp.mappers.map(() => []);
  cmp.problems.forEach((problem, i) => {
    const b = bounds.get(problem);
    if (!b) return;
    const row = cmp.entries[i]!;
    const gaps = row.map((e) => (e.figures ? gapToBound(e.figures.makespan.mean, b) : null));
    gaps.forEach((g, k) => {
      if (g !== null) logs[k]!.push(Math.log1p(g));
    });
    const runs = row.flatMap((e) => e.runs);
    const best = runs.length ? runs.reduce((a, r) => (r.makespan < a.makespan ? r : a)) : null;
    const optimal = best && provenOptimal(best.makespan, b) ? `yes (${best.mapper})` : 'no';
    lines.push(
      `| ${problem} | ${b.bound.toPrecision(8)} | ${b.status}${b.status === 'optimal' ? '' : ` (gap ${pct(b.mipGap)})`} | ${gaps
        .map((g, k) => (g === null ? '-' : row[k]!.best ? `**${pct(g)}**` : pct(g)))
        .join(' | ')} | ${optimal} |`,
    );
  });
  lines.push(
    `| geo-mean | | | ${logs.map((l) => (l.length ? pct(Math.expm1(l.reduce((a, x) => a + x, 0) / l.length)) : '-')).join(' | ')} | |`,
  );
  return lines.join('\n');
}

export function writeReport(
  dir: string,
  x: ExpandedSpec & { readonly source: string },
  results: ReadonlyMap<string, ResultLine>,
  options: ReportOptions,
): ReportOutput {
  const baseline = options.baseline ?? x.baseline;
  const mapperIds = x.mappers.map((m) => m.id);
  if (!mapperIds.includes(baseline))
    throw new InputError(`--baseline ${show(baseline)} is not one of the mappers (${mapperIds.join(', ')})`);
  const problems = x.problems.map((p) => p.id);
  const raw = compareResults(results, { problems, mappers: mapperIds, seeds: x.spec.seeds, baseline });
  // Intervals, tests and anytime figures; "best" is then only the significantly best. Scores
  // are normalised by the certified bound when every problem has one (else the simple bound),
  // so a score of 1 is a proven optimum.
  const certified = problems.map((p) => options.bounds?.get(p)?.bound);
  const byCertified = certified.every((b) => b !== undefined && b > 0);
  const stats = statsReport(
    {
      problems,
      mappers: mapperIds,
      runs: raw.entries.map((row, i) =>
        row.map((e) =>
          e.runs.map((r) => ({
            score: byCertified ? r.makespan / certified[i]! : r.ratio,
            history: r.history,
            evaluations: r.evaluations,
            seconds: r.seconds,
          })),
        ),
      ),
      budget: x.spec.budget,
      scoreLabel: byCertified ? 'makespan / certified bound' : 'makespan / simple lower bound',
    },
    { seed: 0 },
  );
  const cmp = markSignificantBest(
    raw,
    stats.stats.best.map((b) => b.best),
  );
  const files: string[] = [];
  const warnings: string[] = [];
  const write = (rel: string, data: string | Buffer) => {
    writeFileAtomic(join(dir, rel), data);
    files.push(rel);
  };
  const chart = (rel: string, svg: string): { svg: string; png: string | null } => {
    write(`${rel}.svg`, svg);
    if (!options.png) return { svg: `${rel}.svg`, png: null };
    write(`${rel}.png`, svgToPng(svg));
    return { svg: `${rel}.svg`, png: `${rel}.png` };
  };

  const lines = planCells(x)
    .map((t) => results.get(taskKey(t)))
    .filter((l): l is ResultLine => l !== undefined);
  const ok = lines.filter((l): l is OkLine => l.status === 'ok');
  const failed = lines.filter((l) => l.status === 'failed');
  const total = planCells(x).length;

  // Charts.
  const barCharts: { name: string; file: { svg: string; png: string | null } }[] = [];
  const perProblem = new Map<string, { convergence?: string; gantt?: string }>();
  const statsCharts: { title: string; file: string }[] = [];
  if (options.charts) {
    ensureFolder(join(dir, 'charts'));
    if (options.png) {
      const w = fontStatus().warning;
      if (w) warnings.push(w);
    }
    for (const chunk of barChunks(problems)) {
      const idx = chunk.problems.map((p) => problems.indexOf(p));
      const svg = barsChart({
        title: `makespan / simple lower bound${chunk.name ? ` (${chunk.name})` : ''}: mean ± sd over ${x.spec.seeds.length} seeds, ▼ significantly best`,
        groups: chunk.problems,
        series: mapperIds,
        values: idx.map((i) =>
          cmp.entries[i]!.map((e) =>
            e.figures ? { mean: e.figures.ratio.mean, sd: e.figures.ratio.sd, best: e.best } : null,
          ),
        ),
        yLabel: 'makespan / simple lower bound',
        floor: 1,
      });
      barCharts.push({
        name: chunk.name,
        file: chart(`charts/bars${chunk.name ? `-${fileSlug(chunk.name)}` : ''}`, svg),
      });
    }
    for (const c of stats.charts) {
      const f = chart(`charts/stats-${c.name}`, c.svg);
      statsCharts.push({ title: c.title, file: f.png ?? f.svg });
    }
    const bounds = options.bounds;
    if (bounds?.size) {
      for (const chunk of barChunks(problems)) {
        const idx = chunk.problems.map((p) => problems.indexOf(p));
        const svg = barsChart({
          title: `makespan / certified bound${chunk.name ? ` (${chunk.name})` : ''}: mean ± sd over ${x.spec.seeds.length} seeds, ▼ significantly best`,
          groups: chunk.problems,
          series: mapperIds,
          values: idx.map((i) => {
            const b = bounds.get(problems[i]!);
            return cmp.entries[i]!.map((e) => {
              if (!b || !e.runs.length) return null;
              const ratios = e.runs.map((r) => r.makespan / b.bound);
              const m = ratios.reduce((a, r) => a + r, 0) / ratios.length;
              const sd =
                ratios.length > 1
                  ? Math.sqrt(ratios.reduce((a, r) => a + (r - m) ** 2, 0) / (ratios.length - 1))
                  : 0;
              return { mean: m, sd, best: e.best };
            });
          }),
          yLabel: 'makespan / certified bound',
          floor: 1,
        });
        barCharts.push({
          name: `certified${chunk.name ? ` ${chunk.name}` : ''}`,
          file: chart(`charts/bars-certified${chunk.name ? `-${fileSlug(chunk.name)}` : ''}`, svg),
        });
      }
    }
    x.problems.forEach((ref, i) => {
      const row = cmp.entries[i]!;
      const runs = row.flatMap((e) => e.runs);
      if (runs.length === 0) return;
      const slug = fileSlug(ref.id);
      const files: { convergence?: string; gantt?: string } = {};
      const lb = runs[0]!.lowerBound;
      const conv = convergenceChart({
        title: `${ref.id}: best makespan against evaluations`,
        series: row
          .filter((e) => e.runs.length)
          .map((e) => ({ name: e.mapper, runs: e.runs.map((r) => r.history) })),
        normalizer: lb,
        budget: x.spec.budget,
      });
      const c = chart(`charts/convergence-${slug}`, conv);
      files.convergence = c.png ?? c.svg;
      // The best mapping of the problem, re-evaluated with its timeline.
      const best = runs.reduce((a, b) => (b.makespan < a.makespan ? b : a));
      const problem = resolveProblemCached(ref);
      const enc = encodingFromJson(best.mapping, problem.table.numJobs, problem.table.numCores);
      const ev = new Evaluator(problem.table).evaluate(enc, { timeline: true });
      if (Math.abs(ev.makespan - best.makespan) > REEVAL_TOLERANCE * best.makespan) {
        warnings.push(
          `${ref.id}: the stored best mapping now evaluates to ${ev.makespan}, not ${best.makespan} (did the problem change since the run?); no Gantt chart`,
        );
      } else {
        const g = ganttChart({
          title: `${ref.id}: best mapping (${best.mapper}, seed ${best.seed}), makespan ${formatCycles(best.makespan)} cycles = ${best.ratio.toFixed(4)} x LB, BW util. ${(100 * ev.bandwidthUtilization).toFixed(1)} %`,
          table: problem.table,
          encoding: enc,
          result: ev,
          labels: problem.labels,
        });
        const gf = chart(`charts/gantt-${slug}`, g);
        files.gantt = gf.png ?? gf.svg;
      }
      perProblem.set(ref.id, files);
    });
  }

  // Tables. Settings only when some have several workloads (tasks, groups, table seeds).
  const settings = bySetting(
    cmp,
    x.problems.map((p) => p.setting),
  );
  const settingsText =
    settings.length < problems.length
      ? [
          '',
          `by setting, geo-means over the workloads of each (speed-ups over ${baseline}):`,
          '',
          settingsMarkdown(cmp, settings),
        ]
      : [];
  const gapText = options.bounds?.size
    ? [
        '',
        'gap to the certified bound (mean makespan over seeds / bound - 1; bold: significantly best):',
        '',
        gapMarkdown(cmp, options.bounds),
      ]
    : [];
  const summary = [
    `makespan / simple lower bound (mean ± sd over ${x.spec.seeds.length} seeds; bold: significantly best, see the report's statistics):`,
    '',
    summaryMarkdown(cmp),
    ...gapText,
    '',
    `speed-up over ${baseline} (its makespan / the mapper's; > 1 is faster):`,
    '',
    speedupMarkdown(cmp),
    ...settingsText,
    ...(stats.stats.warnings.length ? ['', ...stats.stats.warnings.map((w) => `note: ${w}`)] : []),
  ].join('\n');
  write('summary.csv', comparisonCsv(cmp));
  write('cells.csv', cellsCsv(lines));

  const md: string[] = [`# Experiment ${x.spec.name}`, ''];
  if (x.spec.description) md.push(x.spec.description, '');
  md.push(
    `Spec \`${x.source}\`: ${problems.length} problems x ${mapperIds.length} mappers x ${x.spec.seeds.length} seeds = ${total} cells ` +
      `(${ok.length} ok, ${failed.length} failed, ${total - lines.length} not run); ` +
      `budget ${x.spec.budget} evaluated mappings per cell.`,
    '',
  );
  if (options.bounds?.size) {
    const solved = [...options.bounds.values()];
    md.push(
      '## Gap to the certified bound',
      '',
      'The certified bound of each problem is a lower bound on the makespan of every mapping (the ' +
        'assignment relaxation with the progress-clock rows, solved by HiGHS; docs/bounds.md). Gap: ' +
        "a mapper's mean makespan over seeds / the bound - 1, in bold where it is significantly the best (see Statistics); a problem is proven optimal when its best " +
        `mapping meets the bound to the bound's precision (about ${solved.length ? solved[0]!.precision.toExponential(0) : '1e-4'}). ` +
        `Bounds: ${solved.filter((b) => b.status === 'optimal').length} of ${solved.length} solved within ${solved[0]?.timeLimit ?? '-'} s ` +
        '(the others are still valid, maybe looser); cached in bounds.json.',
      '',
      gapMarkdown(cmp, options.bounds),
      '',
    );
  }
  md.push(
    `## Makespan / simple lower bound`,
    '',
    `Mean ± sample standard deviation over seeds ${x.spec.seeds.join(', ')}; in bold the mapper that is significantly the best of its problem ` +
      '(lowest IQM, and a Holm-corrected Mann-Whitney test against every other mapper; see Statistics). `(k/n)`: only k of n seeds have a result. The simple bound is ' +
      'max(sum of the shortest durations / cores, the longest shortest duration, the least bytes / bandwidth).',
    '',
    summaryMarkdown(cmp),
    '',
    `## Speed-up over ${baseline}`,
    '',
    `${baseline}'s mean makespan divided by the mapper's, per problem; geo-mean over problems.`,
    '',
    speedupMarkdown(cmp),
    '',
  );
  if (settingsText.length) {
    md.push(
      '## By setting',
      '',
      'Each platform and bandwidth averaged over the workloads run on it (tasks, groups or table seeds): ' +
        `geo-mean makespan / LB per mapper (lowest in bold), geo-mean speed-up over ${baseline}, and on how many of the problems each mapper was significantly the best.`,
      '',
      settingsMarkdown(cmp, settings),
      '',
    );
  }
  md.push(stats.markdown, '');
  for (const c of statsCharts) md.push(`![${c.title}](${c.file})`, '');
  for (const b of barCharts) md.push(`![bars${b.name ? ` ${b.name}` : ''}](${b.file.png ?? b.file.svg})`, '');
  md.push('## All figures', '', detailMarkdown(cmp), '');
  if (perProblem.size) {
    md.push(
      '## Charts per problem',
      '',
      '| problem | source | convergence | Gantt of the best mapping |',
      '|---|---|---|---|',
    );
    for (const ref of x.problems) {
      const f = perProblem.get(ref.id);
      if (!f) continue;
      const source = resolveProblemCached(ref).source;
      md.push(
        `| ${ref.id} | ${source.replace(/\|/g, '\\|')} | ${f.convergence ? `[chart](${f.convergence})` : ''} | ${f.gantt ? `[chart](${f.gantt})` : ''} |`,
      );
    }
    md.push('');
  }
  md.push(...agentSection(x, ok));
  if (failed.length) {
    md.push('## Failed cells', '');
    for (const l of failed)
      if (l.status === 'failed') md.push(`- ${l.problem} / ${l.mapper} / seed ${l.seed}: ${l.error}`);
    md.push('');
  }
  write('report.md', md.join('\n'));
  return { comparison: cmp, summary, files, warnings };
}
