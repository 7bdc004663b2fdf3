/**
 * MAGMA against the authors' release: every variant of m3e's MAGMA (the authors' features
 * added one at a time to m3e's default, and removed one at a time from a replica of their
 * release) against the makespans of the authors' own GA, run on the same tables by
 * bench/magma-authors.py. Geo-mean over tables and seeds of makespan / authors' makespan
 * (per table, the geometric means over seeds are compared), on held-out synthetic tables and
 * on the authors' groups, 10,500 evaluations (their 100 generations of 105).
 *
 * Run: npm run build && node dist/bench/magma-ablation.js --export /tmp/ablation-tables
 *      python3 bench/magma-authors.py --repo PATH/TO/magma --tables /tmp/ablation-tables \
 *        --out bench/results/magma-authors.json
 *      node dist/bench/magma-ablation.js --authors bench/results/magma-authors.json [--seeds 1,2,3]
 * Markdown on stdout (docs/magma.md holds the committed table).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { synthTable } from '../src/core/synth.js';
import { type JobTable, tableToJson } from '../src/core/table.js';
import { readJsonFile, writeJsonAtomic } from '../src/io/files.js';
import { createOptimizer } from '../src/optim/registry.js';
import { makespanObjective, runSearch } from '../src/optim/search.js';
import { problem, problemTable } from './magma-problems.js';

export const BUDGET = 10_500;

/** Held-out synthetic tables (table seed 31, not a seed the tuner or other benches use) and the authors' groups 1. */
export function ablationTables(): { id: string; kind: 'synthetic' | 'real'; table: JobTable }[] {
  const out: { id: string; kind: 'synthetic' | 'real'; table: JobTable }[] = [];
  for (const cores of [4, 8])
    for (const bwRatio of [0.25, 1, 4])
      out.push({
        id: `synth-c${cores}-bw${bwRatio}`,
        kind: 'synthetic',
        table: synthTable({ jobs: 100, cores, bwRatio, seed: 31 }),
      });
  for (const task of ['conv', 'lang', 'recom', 'mix'] as const)
    for (const [platform, bw] of [
      ['S2', 1],
      ['S4', 16],
    ] as const)
      out.push({
        id: `${task}-g1-${platform}-bw${bw}`,
        kind: 'real',
        table: problemTable(problem(task, 1, platform, bw)),
      });
  return out;
}

const AUTHORS = {
  geneOrder: 'sorted',
  crossover: 'authors',
  firstGeneration: 'blind',
  elites: 'reevaluated',
} as const;
type Feature = keyof typeof AUTHORS;
const OURS: Record<Feature, string> = {
  geneOrder: 'jobs',
  crossover: 'exchange',
  firstGeneration: 'evaluated',
  elites: 'carried',
};

export function variants(): { label: string; params: Record<string, string> }[] {
  const out: { label: string; params: Record<string, string> }[] = [
    { label: "m3e's default (geneOrder auto: sorted on a job table)", params: {} },
    { label: 'm3e before (exchange, table order, evaluated start, carried elites)', params: { ...OURS } },
  ];
  for (const f of Object.keys(AUTHORS) as Feature[])
    out.push({ label: `before + authors' ${f}=${AUTHORS[f]}`, params: { ...OURS, [f]: AUTHORS[f] } });
  out.push({ label: "replica of the authors' release (all four)", params: { ...AUTHORS } });
  for (const f of Object.keys(AUTHORS) as Feature[])
    out.push({ label: `replica with m3e's ${f}=${OURS[f]}`, params: { ...AUTHORS, [f]: OURS[f] } });
  return out;
}

function geo(xs: readonly number[]): number {
  return Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      export: { type: 'string' },
      authors: { type: 'string' },
      seeds: { type: 'string', default: '1,2,3' },
      only: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const tables = ablationTables();
  if (values.export) {
    mkdirSync(values.export, { recursive: true });
    for (const t of tables) writeJsonAtomic(join(values.export, `${t.id}.json`), tableToJson(t.table));
    process.stderr.write(`${tables.length} tables written to ${values.export}\n`);
  }
  if (values.authors) {
    const authors = readJsonFile(values.authors) as Record<string, Record<string, number>>;
    const seeds = values.seeds.split(',').map(Number);
    const wanted = values.only?.split(',').map(Number);
    const rows: string[] = [
      '| variant | synthetic: geo-mean vs authors | worst synthetic table | real: geo-mean vs authors | worst real table |',
      '|---|---:|---:|---:|---:|',
    ];
    const details: Record<string, Record<string, number[]>> = {};
    variants().forEach((v, k) => {
      if (wanted && !wanted.includes(k)) return;
      const ratio: Record<string, number> = {};
      for (const t of tables) {
        const ours = seeds.map(
          (seed) =>
            runSearch(makespanObjective(t.table), createOptimizer('magma', t.table, seed, v.params), {
              budget: BUDGET,
            }).cost,
        );
        const theirs = seeds.map((seed) => authors[t.id]?.[String(seed)]);
        if (theirs.some((x) => x === undefined)) throw new Error(`no authors' result for ${t.id}`);
        ratio[t.id] = geo(ours) / geo(theirs as number[]);
        details[v.label] = { ...details[v.label], [t.id]: ours };
      }
      const cell = (kind: string) => {
        const ids = tables.filter((t) => t.kind === kind).map((t) => t.id);
        const worst = ids.reduce((w, id) => (ratio[id]! > ratio[w]! ? id : w), ids[0]!);
        return `${geo(ids.map((id) => ratio[id]!)).toFixed(4)} | ${ratio[worst]!.toFixed(4)} (${worst})`;
      };
      rows.push(`| ${v.label} | ${cell('synthetic')} | ${cell('real')} |`);
      process.stderr.write(`${rows.at(-1)}\n`);
    });
    if (values.out) writeJsonAtomic(values.out, { seeds, budget: BUDGET, makespans: details });
    console.log(rows.join('\n'));
  }
}
