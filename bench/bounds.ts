/**
 * Certified bounds on the authors' groups: solve time, status, HiGHS's final gap, the bound
 * against the simple bound and the plain relaxation, and the makespan of the relaxation's
 * own mapping.
 *
 * Run: npm run build && node dist/bench/bounds.js [--tasks conv,lang,recom,mix] [--groups 0-9]
 *        [--platforms S1,S2] [--bw 1,16] [--time-limit 10] [--plain] [--out file.json]
 * --plain also solves the plain relaxation (no progress-clock rows) for a before/after;
 * --best runs the exact mapper and MAGMA (10,500 evaluations, seed 1) for a best mapping known,
 * and reports the gap of both bounds to it.
 * Markdown on stdout, progress on stderr. One problem at a time (HiGHS is single-threaded).
 */
import { parseArgs } from 'node:util';
import { type CertifiedBound, certifiedBound, solveBound } from '../src/bound/certified.js';
import type { JobTable } from '../src/core/table.js';
import { writeJsonAtomic } from '../src/io/files.js';
import { createOptimizer } from '../src/optim/registry.js';
import { makespanObjective, runSearch } from '../src/optim/search.js';
import { type MagmaProblem, parseNumbers, problemGrid, problemTable } from './magma-problems.js';

interface Row {
  readonly id: string;
  readonly cores: number;
  readonly simpleBound: number;
  readonly bound: number;
  readonly status: string;
  readonly mipGap: number;
  readonly seconds: number;
  readonly precision: number;
  readonly makespan: number;
  readonly optimal: boolean;
  readonly plainBound?: number;
  readonly plainStatus?: string;
  readonly plainSeconds?: number;
  /** Best makespan known: the relaxation's mapping, milp and MAGMA. */
  readonly bestKnown?: number;
}

function bestKnown(table: JobTable, timeLimit: number, relaxation: number): number {
  let best = relaxation;
  for (const [name, params] of [
    ['milp', { timeLimit }],
    ['magma', {}],
  ] as const) {
    const r = runSearch(makespanObjective(table), createOptimizer(name, table, 1, params), {
      budget: 10_500,
    });
    best = Math.min(best, r.cost);
  }
  return best;
}

function measure(p: MagmaProblem, timeLimit: number, plain: boolean, best: boolean): Row {
  const table = problemTable(p);
  const r: CertifiedBound = certifiedBound(table, { timeLimit });
  const before = plain ? solveBound(table, { timeLimit, strengthen: false }) : null;
  return {
    id: p.id,
    cores: table.numCores,
    simpleBound: r.simpleBound,
    bound: r.bound,
    status: r.status,
    mipGap: r.mipGap,
    seconds: r.seconds,
    precision: r.precision,
    makespan: r.makespan,
    optimal: r.optimal,
    ...(before ? { plainBound: before.bound, plainStatus: before.status, plainSeconds: before.seconds } : {}),
    ...(best ? { bestKnown: bestKnown(table, timeLimit, r.makespan) } : {}),
  };
}

/** The bound before (plain relaxation) and after (progress-clock rows) against the best mapping known. */
function beforeAfter(rows: readonly Row[], timeLimit: number): string {
  const lines = [
    '| problem | simple bound | plain relaxation | strengthened | best mapping known | gap before | gap after | status after | seconds after |',
    '|---|---:|---:|---:|---:|---:|---:|---|---:|',
  ];
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  for (const r of rows) {
    const b = r.bestKnown!;
    lines.push(
      `| ${r.id} | ${r.simpleBound.toFixed(0)} | ${r.plainBound?.toFixed(0) ?? '-'} | ${r.bound.toFixed(0)} | ${b.toFixed(0)} | ${r.plainBound ? pct(b / r.plainBound - 1) : '-'} | ${pct(b / r.bound - 1)} | ${r.status} | ${r.seconds.toFixed(1)} |`,
    );
  }
  const geo = (xs: number[]) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
  const withPlain = rows.filter((r) => r.plainBound);
  lines.push(
    '',
    `Time limit ${timeLimit} s per solve; best mapping known: the best of the relaxation's mapping, milp and MAGMA at 10,500 evaluations (seed 1). Geo-mean gap before ${pct(geo(withPlain.map((r) => r.bestKnown! / r.plainBound!)) - 1)}, after ${pct(geo(rows.map((r) => r.bestKnown! / r.bound)) - 1)}.`,
  );
  return lines.join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export function markdown(rows: readonly Row[], timeLimit: number): string {
  const plain = rows.some((r) => r.plainBound !== undefined);
  if (rows.some((r) => r.bestKnown !== undefined)) return beforeAfter(rows, timeLimit);
  const lines = [
    `| problem | simple bound | certified bound | / simple | ${plain ? 'plain relaxation | strengthened / plain | ' : ''}status | HiGHS gap | seconds | relaxation mapping / bound |`,
    `|---|---:|---:|---:|${plain ? '---:|---:|' : ''}---|---:|---:|---:|`,
  ];
  for (const r of rows) {
    const p = plain
      ? `${r.plainBound!.toFixed(0)} (${r.plainStatus}) | ${(r.bound / r.plainBound!).toFixed(4)} | `
      : '';
    lines.push(
      `| ${r.id} | ${r.simpleBound.toFixed(0)} | ${r.bound.toFixed(0)} | ${(r.bound / r.simpleBound).toFixed(4)} | ${p}${r.status} | ${r.mipGap.toExponential(1)} | ${r.seconds.toFixed(1)} | ${(r.makespan / r.bound).toFixed(4)}${r.optimal ? ' (optimal)' : ''} |`,
    );
  }
  const byCores = new Map<number, Row[]>();
  for (const r of rows) byCores.set(r.cores, [...(byCores.get(r.cores) ?? []), r]);
  lines.push('', `Time limit ${timeLimit} s per solve.`, '');
  for (const [cores, rs] of byCores) {
    const solved = rs.filter((r) => r.status === 'optimal');
    const within1 = rs.filter((r) => r.mipGap <= 0.01);
    const secs = rs.map((r) => r.seconds);
    lines.push(
      `- ${cores} cores: ${rs.length} tables; ${solved.length} solved to optimality (HiGHS's relative gap at most 1e-4), ${rs.filter((r) => r.mipGap <= 1e-6).length} of them to 1e-6; seconds median ${median(secs).toFixed(1)}, max ${Math.max(...secs).toFixed(1)}; ${within1.length} with the bound within 1 % of the relaxation's optimum (gap <= 1 %); ${rs.filter((r) => r.optimal).length} whose relaxation mapping is proven optimal.`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      tasks: { type: 'string', default: 'conv,lang,recom,mix' },
      groups: { type: 'string', default: '0' },
      platforms: { type: 'string', default: 'S1,S2' },
      bw: { type: 'string' },
      'time-limit': { type: 'string', default: '10' },
      plain: { type: 'boolean', default: false },
      best: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const problems = problemGrid(
    values.tasks.split(','),
    parseNumbers(values.groups),
    values.platforms.split(','),
    values.bw ? parseNumbers(values.bw) : undefined,
  );
  const timeLimit = Number(values['time-limit']);
  const rows: Row[] = [];
  for (const p of problems) {
    const row = measure(p, timeLimit, values.plain, values.best);
    rows.push(row);
    process.stderr.write(
      `${p.id}: ${row.status} ${row.seconds.toFixed(1)} s gap ${row.mipGap.toExponential(1)} bound/simple ${(row.bound / row.simpleBound).toFixed(4)}\n`,
    );
    if (values.out) writeJsonAtomic(values.out, { timeLimit, rows });
  }
  console.log(markdown(rows, timeLimit));
}
