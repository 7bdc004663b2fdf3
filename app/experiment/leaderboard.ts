/**
 * A leaderboard of suite runs (markdown), built only from submissions that pass validation:
 * one row per (submission, mapper) with every cell of the suite done, ranked by the aggregate
 * IQM of makespan / certified bound (when every ranked submission holds one for every problem,
 * else / the simple bound) over the suite's problems and seeds, with its 95 % stratified
 * bootstrap interval, the problems where the mapper is significantly the best of its
 * submission, evaluations per cell, and the submission's wall time, m3e version and hardware.
 * Rejected submissions are listed with the reason.
 */
import { type Interval, iqmInterval } from '../../src/report/bootstrap.js';
import { comparisonStats } from '../../src/report/comparison-stats.js';
import type { OkLine, ResultLine } from '../../src/report/results.js';
import { cellKey } from '../../src/report/results.js';
import type { BoundRecord } from './bounds.js';
import type { ExpandedSpec } from './spec.js';
import type { BenchRun } from './suite-run.js';
import type { ValidationReport } from './validate.js';

export interface Submission {
  /** Where it came from (its run folder). */
  readonly name: string;
  readonly run: BenchRun | null;
  readonly spec: ExpandedSpec | null;
  readonly results: ReadonlyMap<string, ResultLine>;
  readonly validation: ValidationReport | null;
  /** Its certified bounds (bounds.json, checked by validation against its mappings). */
  readonly bounds?: ReadonlyMap<string, BoundRecord>;
  /** Why it cannot be ranked, before any validation (no bench.json, other suite ...). */
  readonly problem?: string;
}

export interface LeaderboardRow {
  readonly submission: string;
  readonly mapper: string;
  readonly iqm: Interval;
  readonly significantWins: number;
  /** Mean rank of its per-problem IQM among its submission's mappers (1 = best), if 2+ mappers. */
  readonly meanRank: number | null;
  readonly evaluationsPerCell: number;
  readonly run: BenchRun;
}

export interface Leaderboard {
  readonly suite: string;
  readonly rows: readonly LeaderboardRow[];
  /** What the scores divide the makespan by. */
  readonly normalisedBy: 'certified bound' | 'simple bound';
  readonly rejected: readonly { readonly submission: string; readonly reason: string }[];
  readonly incomplete: readonly {
    readonly submission: string;
    readonly mapper: string;
    readonly cells: string;
  }[];
  readonly markdown: string;
}

export function buildLeaderboard(
  suite: string,
  suiteSha256: string,
  submissions: readonly Submission[],
): Leaderboard {
  const rows: LeaderboardRow[] = [];
  const rejected: { submission: string; reason: string }[] = [];
  const incomplete: { submission: string; mapper: string; cells: string }[] = [];
  const accepted: Submission[] = [];
  for (const s of submissions) {
    const reason =
      s.problem ??
      (!s.run || !s.spec
        ? 'no suite run record (bench.json)'
        : s.run.suite !== suite || s.run.suiteSha256 !== suiteSha256
          ? `a run of ${s.run.suite} (definition ${s.run.suiteSha256.slice(0, 12)}), not of ${suite} (${suiteSha256.slice(0, 12)})`
          : !s.validation
            ? 'not validated'
            : s.validation.mismatches.length
              ? `${s.validation.mismatches.length} claim(s) do not re-simulate, e.g. ${s.validation.mismatches[0]!.problem} / ${s.validation.mismatches[0]!.mapper} / seed ${s.validation.mismatches[0]!.seed}: ${s.validation.mismatches[0]!.what}`
              : null);
    if (reason) rejected.push({ submission: s.name, reason });
    else accepted.push(s);
  }
  // One normaliser for the whole board: the certified bound only if every ranked submission
  // holds one for every problem, so that no two rows are scored against different bounds kinds.
  const byCertified =
    accepted.length > 0 &&
    accepted.every((s) => s.spec!.problems.every((p) => (s.bounds?.get(p.id)?.bound ?? 0) > 0));
  const normalisedBy = byCertified ? 'certified bound' : 'simple bound';
  for (const s of accepted) {
    const x = s.spec!;
    const problems = x.problems.map((p) => p.id);
    const seeds = x.spec.seeds;
    const mappers = x.mappers.map((m) => m.id);
    const runsOf = (p: string, m: string) =>
      seeds
        .map((seed) => s.results.get(cellKey({ problem: p, mapper: m, seed })))
        .filter((l): l is OkLine => l?.status === 'ok');
    const score = (p: string, l: OkLine) => (byCertified ? l.makespan / s.bounds!.get(p)!.bound : l.ratio);
    const scores = problems.map((p) => mappers.map((m) => runsOf(p, m).map((l) => score(p, l))));
    const stats = comparisonStats({ problems, mappers, scores }, { seed: 0, resamples: 1000 });
    mappers.forEach((m, mi) => {
      const done = scores.reduce((n, row) => n + row[mi]!.length, 0);
      const total = problems.length * seeds.length;
      if (done < total) {
        incomplete.push({ submission: s.name, mapper: m, cells: `${done}/${total}` });
        return;
      }
      const lines = problems.flatMap((p) => runsOf(p, m));
      rows.push({
        submission: s.name,
        mapper: m,
        iqm: iqmInterval(
          scores.map((row) => row[mi]!),
          { seed: 0 },
        ),
        significantWins: stats.best.filter((b) => b.best === mi).length,
        meanRank: stats.ranks ? stats.ranks.meanRanks[mi]! : null,
        evaluationsPerCell: lines.reduce((a, l) => a + l.evaluations, 0) / lines.length,
        run: s.run!,
      });
    });
  }
  rows.sort((a, b) => a.iqm.estimate - b.iqm.estimate || a.mapper.localeCompare(b.mapper));
  const md: string[] = [
    `# Leaderboard: ${suite}`,
    '',
    'Built by `m3e leaderboard` from submissions that passed `m3e validate` (every claimed mapping re-simulated ' +
      `with the evaluator, every figure checked). Ranked by the interquartile mean of makespan / ${normalisedBy} over ` +
      "the suite's problems and seeds, with its 95 % stratified bootstrap interval (lower is better); " +
      '"significantly best" counts the problems where the mapper beats every other mapper of its submission ' +
      '(Holm-corrected Mann-Whitney over the seeds, and a median at least 0.1 % lower); the mean rank is of its per-problem IQM ' +
      "among its submission's mappers (1 = best; the report's Friedman test and critical-difference diagram say which differences are significant). " +
      'The pooled IQM weighs problems by the spread of their ratios; read it with the mean rank. Submission template: docs/leaderboard.md.',
    '',
    `| rank | mapper | submission | IQM makespan / ${normalisedBy} | 95 % interval | mean rank | significantly best on | evaluations / cell | wall time | m3e | hardware |`,
    '|---:|---|---|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  rows.forEach((r, i) => {
    const h = r.run.hardware;
    md.push(
      `| ${i + 1} | ${r.mapper} | ${r.submission} | ${r.iqm.estimate.toFixed(4)} | [${r.iqm.low.toFixed(4)}, ${r.iqm.high.toFixed(4)}] | ` +
        `${r.meanRank === null ? '—' : r.meanRank.toFixed(2)} | ${r.significantWins} | ${Math.round(r.evaluationsPerCell)} | ${(r.run.wallSeconds / 60).toFixed(1)} min (${r.run.workers} workers) | ` +
        `${r.run.m3e} | ${h.cpu.replace(/\|/g, '/')}, ${h.cores} cores, ${h.memoryGiB} GiB |`,
    );
  });
  if (incomplete.length) {
    md.push('', 'Not ranked (cells missing or failed):', '');
    for (const m of incomplete) md.push(`- ${m.submission} / ${m.mapper}: ${m.cells} cells ok`);
  }
  if (rejected.length) {
    md.push('', 'Rejected submissions:', '');
    for (const r of rejected) md.push(`- ${r.submission}: ${r.reason}`);
  }
  return { suite, rows, normalisedBy, rejected, incomplete, markdown: `${md.join('\n')}\n` };
}
