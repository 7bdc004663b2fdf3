/**
 * The comparison as text: markdown tables for people (reports, terminal) and CSV for
 * analysis. Figures are means over seeds with their sample standard deviation; the best
 * mapper of each problem is in bold.
 */
import type { OkLine, ResultLine } from './results.js';
import type { Comparison, Entry, SettingRow, Stat } from './stats.js';

/** Throughput is shown in jobs per million cycles (a 100-job group takes 10^5..10^8 cycles). */
const CYCLES_PER_UNIT = 1e6;

function pm(s: Stat, digits: number, scale = 1): string {
  const mean = (s.mean * scale).toFixed(digits);
  return s.n > 1 ? `${mean} ± ${(s.sd * scale).toFixed(digits)}` : mean;
}

function sig(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  const a = Math.abs(x);
  return a >= 1e6 || (a > 0 && a < 1e-3) ? x.toExponential(3) : Number(x.toPrecision(6)).toString();
}

function row(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
}

function header(cells: readonly string[], leftColumns = 1): string {
  return `${row(cells)}\n|${cells.map((_, i) => (i < leftColumns ? '---' : '---:')).join('|')}|`;
}

/** A cell's text when some seeds failed or are missing. */
function coverage(e: Entry, seeds: number): string {
  if (e.runs.length === seeds) return '';
  return ` (${e.runs.length}/${seeds}${e.failures.length ? `, ${e.failures.length} failed` : ''})`;
}

function entryRatio(e: Entry, seeds: number): string {
  if (!e.figures) return e.failures.length ? 'failed' : '—';
  const text = `${pm(e.figures.ratio, 4)}${coverage(e, seeds)}`;
  return e.best ? `**${text}**` : text;
}

/** Problems x mappers: makespan / lower bound, best per row in bold, then geo-means and wins. */
export function summaryMarkdown(c: Comparison): string {
  const S = c.seeds.length;
  const lines = [header(['problem', ...c.mappers])];
  c.problems.forEach((p, i) => {
    lines.push(row([p, ...c.entries[i]!.map((e) => entryRatio(e, S))]));
  });
  lines.push(row(['geo-mean', ...c.geomeanRatio.map((g) => (Number.isFinite(g) ? g.toFixed(4) : 'n/a'))]));
  lines.push(row(['best on', ...c.wins.map((w) => `${w}/${c.problems.length}`)]));
  return lines.join('\n');
}

/** Problems x mappers: speed-up over the baseline (baseline makespan / mapper makespan). */
export function speedupMarkdown(c: Comparison): string {
  const lines = [header(['problem', ...c.mappers])];
  c.problems.forEach((p, i) => {
    lines.push(
      row([
        p,
        ...c.entries[i]!.map((e) => {
          if (e.speedup === null) return '—';
          const t = `${e.speedup.toFixed(3)}x`;
          return e.best ? `**${t}**` : t;
        }),
      ]),
    );
  });
  lines.push(
    row(['geo-mean', ...c.geomeanSpeedup.map((g) => (Number.isFinite(g) ? `${g.toFixed(3)}x` : 'n/a'))]),
  );
  return lines.join('\n');
}

/**
 * Settings (a platform at a bandwidth) over their workloads: geo-mean makespan / LB per
 * mapper (lowest in bold), geo-mean speed-up over the baseline, and how often each mapper
 * was the best.
 */
export function settingsMarkdown(c: Comparison, rows: readonly SettingRow[]): string {
  const lines = [
    header([
      'setting',
      'problems',
      ...c.mappers.map((m) => `${m} / LB`),
      ...c.mappers.filter((m) => m !== c.baseline).map((m) => `${m} vs ${c.baseline}`),
      ...c.mappers.map((m) => `${m} best`),
    ]),
  ];
  const others = c.mappers.map((m, i) => [m, i] as const).filter(([m]) => m !== c.baseline);
  for (const r of rows) {
    lines.push(
      row([
        r.setting,
        String(r.problems),
        ...r.ratio.map((x, m) =>
          Number.isFinite(x) ? (r.best[m] ? `**${x.toFixed(4)}**` : x.toFixed(4)) : '—',
        ),
        ...others.map(([, m]) => (Number.isFinite(r.speedup[m]!) ? `${r.speedup[m]!.toFixed(3)}x` : '—')),
        ...r.wins.map((w) => `${w}/${r.problems}`),
      ]),
    );
  }
  return lines.join('\n');
}

/** One row per (problem, mapper) with every figure. */
export function detailMarkdown(c: Comparison): string {
  const S = c.seeds.length;
  const macs = c.entries.some((r) => r.some((e) => e.figures?.macsPerCycle));
  const cols = [
    'problem',
    'mapper',
    'makespan / LB',
    'makespan (cycles)',
    'throughput (jobs/Mcycle)',
    ...(macs ? ['MACs/cycle'] : []),
    'BW util. %',
    'core util. %',
    'evaluations',
    'seconds',
    `speed-up vs ${c.baseline}`,
  ];
  const lines = [header(cols, 2)];
  c.problems.forEach((p, i) => {
    c.entries[i]!.forEach((e) => {
      const f = e.figures;
      if (!f) {
        lines.push(row([p, e.mapper, e.failures.length ? 'failed' : '—', ...cols.slice(3).map(() => '')]));
        return;
      }
      lines.push(
        row([
          p,
          e.mapper,
          `${e.best ? '**' : ''}${pm(f.ratio, 4)}${e.best ? '**' : ''}${coverage(e, S)}`,
          sig(f.makespan.mean),
          pm(f.throughput, 2, CYCLES_PER_UNIT),
          ...(macs ? [f.macsPerCycle ? pm(f.macsPerCycle, 1) : ''] : []),
          pm(f.bandwidthUtilization, 1, 100),
          pm(f.coreUtilization, 1, 100),
          String(Math.round(f.evaluations.mean)),
          pm(f.seconds, 2),
          e.speedup === null ? '—' : `${e.speedup.toFixed(3)}x`,
        ]),
      );
    });
  });
  return lines.join('\n');
}

function csvCell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}

const STAT_COLUMNS = ['mean', 'sd', 'min', 'max'] as const;

/** Long form, one row per (problem, mapper), every figure with mean, sd, min and max. */
export function comparisonCsv(c: Comparison): string {
  const stats = [
    'ratio',
    'makespan',
    'throughput',
    'macs_per_cycle',
    'bandwidth_utilization',
    'core_utilization',
    'evaluations',
    'seconds',
  ];
  const head = [
    'problem',
    'mapper',
    'seeds_ok',
    'seeds_failed',
    'seeds_missing',
    'lower_bound',
    ...stats.flatMap((s) => STAT_COLUMNS.map((k) => `${s}_${k}`)),
    `speedup_vs_${c.baseline}`,
    'best',
  ];
  const rows: (string | number | boolean | null)[][] = [head];
  c.problems.forEach((p, i) => {
    c.entries[i]!.forEach((e) => {
      const f = e.figures;
      const cols = (s: Stat | null | undefined) => STAT_COLUMNS.map((k) => (s ? s[k] : null));
      rows.push([
        p,
        e.mapper,
        e.runs.length,
        e.failures.length,
        e.missing.length,
        f?.lowerBound ?? null,
        ...cols(f?.ratio),
        ...cols(f?.makespan),
        ...cols(f?.throughput),
        ...cols(f?.macsPerCycle),
        ...cols(f?.bandwidthUtilization),
        ...cols(f?.coreUtilization),
        ...cols(f?.evaluations),
        ...cols(f?.seconds),
        e.speedup,
        e.best,
      ]);
    });
  });
  return csv(rows);
}

/** One row per cell (per seed), in the given order. */
export function cellsCsv(lines: readonly ResultLine[]): string {
  const head = [
    'problem',
    'mapper',
    'seed',
    'status',
    'makespan',
    'lower_bound',
    'ratio',
    'throughput',
    'macs_per_cycle',
    'bandwidth_utilization',
    'core_utilization',
    'evaluations',
    'seconds',
    'train_steps',
    'train_seconds',
    'error',
  ];
  return csv([
    head,
    ...lines.map((l) => {
      const ok = l.status === 'ok' ? (l as OkLine) : null;
      return [
        l.problem,
        l.mapper,
        l.seed,
        l.status,
        ok?.makespan,
        ok?.lowerBound,
        ok?.ratio,
        ok?.throughput,
        ok?.macsPerCycle,
        ok?.bandwidthUtilization,
        ok?.coreUtilization,
        ok?.evaluations,
        l.seconds,
        ok?.agent?.trainedSteps,
        ok?.agent?.trainSeconds,
        l.status === 'failed' ? l.error : '',
      ];
    }),
  ]);
}
