/**
 * The paper-style comparison: makespan / lower bound of every registered
 * optimiser (at a budget of 10,500 evaluations, the authors' 100 generations x 105) and of
 * every heuristic mapper (one mapping each), on a set of job tables, mean over seeds; and the
 * per-optimiser overhead, the time spent in ask/tell as opposed to in the evaluator.
 *
 * Where the tables come from is pluggable (`TableSource`): synthetic tables by default
 * (100 jobs x 4 and 8 cores, bandwidth ratio 0.25 and 4, homogeneous and heterogeneous), or
 * job-table JSON files (`--tables a.json,b.json`, optionally swept over `--bandwidths`), e.g.
 * the analyzer's tables of the authors' groups on S1, S2 and S4.
 *
 * Run: npm run build && node dist/bench/baselines.js [--budget 10500] [--seeds 1,2,3]
 *        [--only magma,cmaes,...] [--tables a.json@1:16,b.json@1:256] [--bandwidths 1,16]
 *        [--out file.json]
 * Markdown goes to stdout, progress to stderr.
 */
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { lowerBound } from '../src/core/bounds.js';
import { synthTable } from '../src/core/synth.js';
import { type JobTable, tableFromJson, withSystemBandwidth } from '../src/core/table.js';
import { readJsonFile, writeFileAtomic } from '../src/io/files.js';
import type { Optimizer } from '../src/optim/optimizer.js';
import { createOptimizer, getOptimizerSpec, listOptimizers } from '../src/optim/registry.js';
import { makespanObjective, type Objective } from '../src/optim/search.js';

/** The authors' budget: 100 generations of 105 evaluations. */
export const PAPER_BUDGET = 10_500;

export interface BaselineCase {
  /** Column label, e.g. "C=4 bw=0.25 het". */
  readonly label: string;
  readonly table: JobTable;
}

export interface TableSource {
  readonly name: string;
  cases(): BaselineCase[];
}

export interface SyntheticOptions {
  readonly jobs: number;
  readonly cores: readonly number[];
  readonly bwRatios: readonly number[];
  readonly heterogeneity: readonly number[];
  /** Table seed (one table per setting, as one group per task in the paper). */
  readonly seed: number;
}

export const DEFAULT_SYNTHETIC: SyntheticOptions = {
  jobs: 100,
  cores: [4, 8],
  bwRatios: [0.25, 4],
  heterogeneity: [0, 0.5],
  seed: 1,
};

export function syntheticSource(o: SyntheticOptions = DEFAULT_SYNTHETIC): TableSource {
  return {
    name: `synthetic ${o.jobs}-job tables (seed ${o.seed})`,
    cases: () =>
      o.heterogeneity.flatMap((h) =>
        o.cores.flatMap((cores) =>
          o.bwRatios.map((bwRatio) => ({
            label: `C=${cores} bw=${bwRatio} ${h > 0 ? `het${h}` : 'hom'}`,
            table: synthTable({ jobs: o.jobs, cores, bwRatio, seed: o.seed, heterogeneity: h }),
          })),
        ),
      ),
  };
}

/**
 * Job-table JSON files. A path may carry its own bandwidth sweep, `table.json@1:16` (the
 * table at system bandwidths 1 and 16); paths without one use `bandwidths` if given, else
 * the table's own system bandwidth.
 */
export function jsonTableSource(specs: readonly string[], bandwidths?: readonly number[]): TableSource {
  const parsed = specs.map((spec) => {
    const [path, sweep] = spec.split('@') as [string, string | undefined];
    const own =
      sweep === undefined ? undefined : parseList(`--tables ${spec}`, sweep.replaceAll(':', ','), Number);
    return { path, sweep: own ?? bandwidths };
  });
  return {
    name: `job tables ${specs.map((p) => basename(p)).join(', ')}`,
    cases: () =>
      parsed.flatMap(({ path, sweep }) => {
        const table = tableFromJson(readJsonFile(path));
        const label = basename(path).replace(/\.json$/, '');
        return sweep?.length
          ? sweep.map((bw) => ({ label: `${label} B=${bw}`, table: withSystemBandwidth(table, bw) }))
          : [{ label, table }];
      }),
  };
}

export interface Entry {
  /** Row label. */
  readonly label: string;
  readonly optimizer: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** Every registered optimiser and heuristic with its defaults, plus DE's rand/1 variant. */
export function defaultEntries(): Entry[] {
  const out: Entry[] = [];
  for (const s of listOptimizers()) {
    out.push({ label: s.name, optimizer: s.name, params: {} });
    if (s.name === 'de') out.push({ label: 'de rand/1', optimizer: 'de', params: { strategy: 'rand/1' } });
  }
  return out;
}

export interface TimedResult {
  readonly cost: number;
  readonly evaluations: number;
  /** CPU seconds inside ask/tell (and the loop), excluding the objective. */
  readonly overheadSeconds: number;
  /** CPU seconds inside the objective (the evaluator). */
  readonly evalSeconds: number;
}

/**
 * The search loop of `runSearch`, with the time in the objective and the time outside it
 * measured separately. The machine may be shared, so the run's CPU time (immune to waiting
 * for a core) is split between the two in the proportion of their wall-clock times (one
 * clock reading after `ask`, one after the objective); preemption strikes both in proportion
 * to their length, so the split stays fair.
 */
export function timedSearch(objective: Objective, optimizer: Optimizer, budget: number): TimedResult {
  let evalMs = 0;
  let n = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  while (n < budget && !optimizer.done) {
    const cand = optimizer.ask();
    const a = performance.now();
    const cost = objective.cost(cand.core, cand.priority);
    evalMs += performance.now() - a;
    optimizer.tell(cand, cost);
    n++;
  }
  const totalMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rec = optimizer.recommend();
  if (!rec) throw new Error(`${optimizer.name} recommended nothing after ${n} evaluations`);
  const evalShare = totalMs > 0 ? evalMs / totalMs : 0;
  return {
    cost: rec.cost,
    evaluations: n,
    overheadSeconds: cpuSeconds * (1 - evalShare),
    evalSeconds: cpuSeconds * evalShare,
  };
}

export interface RunRecord extends TimedResult {
  /** Wall seconds to create the optimiser (for a heuristic: to compute its mapping). */
  readonly setupSeconds: number;
  readonly case: string;
  readonly entry: string;
  readonly family: string;
  readonly seed: number;
  readonly lowerBound: number;
  readonly ratio: number;
}

export interface BaselineOptions {
  readonly budget: number;
  readonly seeds: readonly number[];
  readonly onRun?: (r: RunRecord) => void;
}

/** Runs every entry on every case; deterministic heuristics run once (first seed). */
export function runBaselines(
  source: TableSource,
  entries: readonly Entry[],
  o: BaselineOptions,
): RunRecord[] {
  const records: RunRecord[] = [];
  for (const c of source.cases()) {
    const lb = lowerBound(c.table);
    const objective = makespanObjective(c.table);
    for (const e of entries) {
      const family = getOptimizerSpec(e.optimizer).family;
      const seeds = family === 'heuristic' ? o.seeds.slice(0, 1) : o.seeds;
      for (const seed of seeds) {
        const t0 = performance.now();
        const opt = createOptimizer(e.optimizer, c.table, seed, e.params);
        const setupSeconds = (performance.now() - t0) / 1000;
        const r = timedSearch(objective, opt, o.budget);
        const rec: RunRecord = {
          ...r,
          setupSeconds,
          case: c.label,
          entry: e.label,
          family,
          seed,
          lowerBound: lb,
          ratio: r.cost / lb,
        };
        records.push(rec);
        o.onRun?.(rec);
      }
    }
  }
  return records;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export interface Summary {
  readonly cases: string[];
  readonly entries: string[];
  /** mean ratio[entry][case] */
  readonly ratio: Record<string, Record<string, number>>;
  readonly family: Record<string, string>;
}

export function summarise(records: readonly RunRecord[]): Summary {
  const cases = [...new Set(records.map((r) => r.case))];
  const entries = [...new Set(records.map((r) => r.entry))];
  const ratio: Record<string, Record<string, number>> = {};
  const family: Record<string, string> = {};
  for (const e of entries) {
    ratio[e] = {};
    for (const c of cases) {
      const rs = records.filter((r) => r.entry === e && r.case === c);
      if (rs.length) ratio[e]![c] = mean(rs.map((r) => r.ratio));
      family[e] = rs[0]?.family ?? family[e] ?? '';
    }
  }
  return { cases, entries, ratio, family };
}

/** Rows = methods, columns = cases, mean makespan / LB; the best of each column in bold. */
export function ratioTable(s: Summary): string {
  const lines = [
    `| method | family | ${s.cases.join(' | ')} | mean |`,
    `|---|---|${s.cases.map(() => '---:').join('|')}|---:|`,
  ];
  const best: Record<string, number> = {};
  for (const c of s.cases) best[c] = Math.min(...s.entries.map((e) => s.ratio[e]![c] ?? Infinity));
  for (const e of s.entries) {
    const cells = s.cases.map((c) => {
      const v = s.ratio[e]![c];
      if (v === undefined) return '';
      const t = v.toFixed(3);
      return v === best[c] ? `**${t}**` : t;
    });
    const m = mean(s.cases.map((c) => s.ratio[e]![c]!).filter((v) => v !== undefined));
    lines.push(`| ${e} | ${s.family[e]} | ${cells.join(' | ')} | ${m.toFixed(3)} |`);
  }
  return lines.join('\n');
}

/** Per case: MAGMA, the best other search method, the best heuristic, and MAGMA's rank. */
export function magmaTable(s: Summary, reference = 'magma'): string {
  if (!s.entries.includes(reference)) return '';
  const lines = [
    `| case | ${reference} | best other search method | best heuristic | ${reference} rank | best other vs ${reference} (+: ${reference} better) |`,
    '|---|---:|---|---|---:|---:|',
  ];
  for (const c of s.cases) {
    const m = s.ratio[reference]![c]!;
    const others = s.entries.filter((e) => e !== reference && s.family[e] !== 'heuristic');
    const heur = s.entries.filter((e) => s.family[e] === 'heuristic');
    const bestOf = (list: string[]) =>
      list.reduce((a, b) => ((s.ratio[b]![c] ?? Infinity) < (s.ratio[a]![c] ?? Infinity) ? b : a), list[0]!);
    const bo = others.length ? bestOf(others) : undefined;
    const bh = heur.length ? bestOf(heur) : undefined;
    const rank = 1 + s.entries.filter((e) => (s.ratio[e]![c] ?? Infinity) < m).length;
    const rel = bo ? `${(((s.ratio[bo]![c]! - m) / m) * 100).toFixed(1)}%` : '';
    lines.push(
      `| ${c} | ${m.toFixed(3)} | ${bo ? `${bo} ${s.ratio[bo]![c]!.toFixed(3)}` : ''} | ${bh ? `${bh} ${s.ratio[bh]![c]!.toFixed(3)}` : ''} | ${rank}/${s.entries.length} | ${rel} |`,
    );
  }
  return lines.join('\n');
}

/**
 * Search methods: overhead (outside the evaluator) and evaluator time, CPU seconds per
 * `budget` evaluations. Heuristics evaluate once: the time to compute their mapping.
 */
export function overheadTable(records: readonly RunRecord[], budget = PAPER_BUDGET): string {
  const entries = [...new Set(records.map((r) => r.entry))];
  const search = entries.filter((e) => records.find((r) => r.entry === e)!.family !== 'heuristic');
  const heuristics = entries.filter((e) => !search.includes(e));
  const lines = [
    `| method | overhead CPU s / ${budget} evals | evaluator CPU s / ${budget} evals | overhead / evaluator |`,
    '|---|---:|---:|---:|',
  ];
  for (const e of search) {
    const rs = records.filter((r) => r.entry === e && r.evaluations > 0);
    const ov = mean(rs.map((r) => (r.overheadSeconds / r.evaluations) * budget));
    const ev = mean(rs.map((r) => (r.evalSeconds / r.evaluations) * budget));
    lines.push(`| ${e} | ${ov.toFixed(3)} | ${ev.toFixed(3)} | ${(ov / ev).toFixed(2)} |`);
  }
  if (heuristics.length) {
    lines.push('', '| heuristic | ms to compute the mapping (mean over cases) |', '|---|---:|');
    for (const e of heuristics) {
      const rs = records.filter((r) => r.entry === e);
      lines.push(`| ${e} | ${(mean(rs.map((r) => r.setupSeconds)) * 1000).toFixed(2)} |`);
    }
  }
  return lines.join('\n');
}

function parseList(
  flag: string,
  text: string | undefined,
  parse: (s: string) => number,
): number[] | undefined {
  if (text === undefined) return undefined;
  return text.split(',').map((s) => {
    const v = parse(s);
    if (!Number.isFinite(v)) throw new Error(`${flag}: not a number: "${s}"`);
    return v;
  });
}

function main(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: {
      budget: { type: 'string' },
      seeds: { type: 'string' },
      only: { type: 'string' },
      tables: { type: 'string' },
      bandwidths: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const budget = values.budget ? Number(values.budget) : PAPER_BUDGET;
  if (!Number.isInteger(budget) || budget < 1)
    throw new Error(`--budget: positive integer expected, got "${values.budget}"`);
  const seeds = parseList('--seeds', values.seeds, Number) ?? [1, 2, 3];
  const source = values.tables
    ? jsonTableSource(values.tables.split(','), parseList('--bandwidths', values.bandwidths, Number))
    : syntheticSource();
  let entries = defaultEntries();
  if (values.only) {
    const only = values.only.split(',');
    for (const name of only) if (!entries.some((e) => e.label === name)) getOptimizerSpec(name);
    entries = entries.filter((e) => only.includes(e.label));
  }
  const t0 = performance.now();
  const records = runBaselines(source, entries, {
    budget,
    seeds,
    onRun: (r) =>
      process.stderr.write(
        `${r.case.padEnd(22)} ${r.entry.padEnd(12)} seed ${r.seed}  ${r.ratio.toFixed(4)} x LB  overhead ${r.overheadSeconds.toFixed(3)} s  evaluator ${r.evalSeconds.toFixed(3)} s\n`,
      ),
  });
  const s = summarise(records);
  const md = [
    `## Baselines: makespan / lower bound (${source.name}; ${budget} evaluations, mean over seeds ${seeds.join(', ')}; heuristics: one mapping)`,
    '',
    ratioTable(s),
    '',
    '### MAGMA against the others',
    '',
    magmaTable(s),
    '',
    `### Overhead: CPU seconds outside the evaluator per ${PAPER_BUDGET} evaluations (mean over runs)`,
    '',
    overheadTable(records),
    '',
    `Total ${((performance.now() - t0) / 1000).toFixed(0)} s on ${new Date().toISOString().slice(0, 10)}.`,
  ].join('\n');
  process.stdout.write(`${md}\n`);
  if (values.out)
    writeFileAtomic(
      values.out,
      `${JSON.stringify({ source: source.name, budget, seeds, records }, null, 1)}\n`,
    );
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
