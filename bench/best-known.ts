/**
 * Best-known solutions of the paper sweep: for the four tasks' group 0 on S1..S6 at their
 * bandwidths (88 problems), the certified bound, the exact mapper, MAGMA (default and seeded
 * with the heuristics), the standard GA and every heuristic, at the authors' budget of 10,500
 * evaluations, seeds 1..3. Writes, per problem, the best mapping found (core and priority per
 * job), its makespan, the certified bound and the gap, so anyone can check a row with
 * `m3e evaluate` (the mapping file is `best.mapping` of the row, the table the problem's).
 *
 * Also reports the exact mapper's targets: proven optimal where bandwidth does not bind
 * (the bound of the same table at unlimited bandwidth reaches the certified bound), never
 * worse than MAGMA or a heuristic, and the best mapping within 1 % of the bound.
 *
 * Run: npm run build && node dist/bench/best-known.js [--time-limit 60] [--seeds 1,2,3]
 *        [--only conv/g0/S1/bw1,...] [--out bench/results/best-known] [--refresh magma,ga]
 * Writes <out>.json and <out>.md; resumes from an existing <out>.json (finished problems are
 * kept). Progress on stderr.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  DEFAULT_MIP_REL_GAP,
  isProvenOptimal,
  solveBound,
  solveBoundCached,
} from '../src/bound/certified.js';
import { orderQueues } from '../src/bound/queue-order.js';
import { encodingFromJson, encodingToJson } from '../src/core/encoding.js';
import { Evaluator } from '../src/core/evaluator.js';
import { withSystemBandwidth } from '../src/core/table.js';
import { readJsonFile, writeFileAtomic, writeJsonAtomic } from '../src/io/files.js';
import { createOptimizer, listOptimizers } from '../src/optim/registry.js';
import { makespanObjective, runSearch } from '../src/optim/search.js';
import { type MagmaProblem, paperSweep, problemTable } from './magma-problems.js';

export const BUDGET = 10_500;

interface MapperResult {
  /** Best makespan per seed. */
  readonly makespans: number[];
}

interface Row {
  readonly id: string;
  readonly simpleBound: number;
  readonly bound: number;
  readonly precision: number;
  readonly status: string;
  readonly mipGap: number;
  readonly boundSeconds: number;
  /** Certified bound of the same table at unlimited bandwidth (compute alone). */
  readonly computeBound: number;
  readonly bandwidthBinds: boolean;
  readonly mappers: Record<string, MapperResult>;
  readonly best: {
    readonly mapper: string;
    readonly makespan: number;
    readonly mapping: { core: number[]; priority: number[] };
  };
  readonly gap: number;
  readonly optimal: boolean;
}

/** Search mappers and their settings (heuristics are added from the registry). */
function searchMappers(timeLimit: number): [string, string, Record<string, unknown>][] {
  return [
    ['milp', 'milp', { timeLimit, mipRelGap: DEFAULT_MIP_REL_GAP, strengthen: true }],
    ['magma', 'magma', {}],
    ['magma-heur', 'magma', { init: 'heuristic' }],
    ['ga', 'ga', {}],
  ];
}

/**
 * Runs the search mappers named in `refresh` again on a finished row (e.g. after a change of
 * MAGMA's defaults), keeping the best mapping if none of them beats it. Not the exact mapper:
 * its bound is not stored.
 */
function refreshRow(row: Row, p: MagmaProblem, refresh: readonly string[], seeds: readonly number[]): Row {
  const table = problemTable(p);
  const objective = makespanObjective(table);
  const mappers = { ...row.mappers };
  let best = row.best;
  for (const [label, name, params] of searchMappers(0)) {
    if (!refresh.includes(label) || name === 'milp') continue;
    const makespans: number[] = [];
    for (const seed of seeds) {
      const r = runSearch(objective, createOptimizer(name, table, seed, params), { budget: BUDGET });
      makespans.push(r.cost);
      if (r.cost < best.makespan) best = { mapper: label, makespan: r.cost, mapping: encodingToJson(r.best) };
    }
    mappers[label] = { makespans };
  }
  const makespan = new Evaluator(table).evaluate(
    encodingFromJson(best.mapping, table.numJobs, table.numCores),
  ).makespan;
  return {
    ...row,
    mappers,
    best: { ...best, makespan },
    gap: makespan / row.bound - 1,
    optimal: isProvenOptimal(makespan, row.bound, row.precision),
  };
}

function solveProblem(p: MagmaProblem, timeLimit: number, seeds: readonly number[]): Row {
  const table = problemTable(p);
  // The exact mapper below finds this solve in the cache (same table object and settings).
  const solution = solveBoundCached(table, { timeLimit, strengthen: true, mipRelGap: DEFAULT_MIP_REL_GAP });
  const relaxed = orderQueues(table, solution.assignment);
  const cert = { ...solution, mapping: relaxed, makespan: new Evaluator(table).evaluate(relaxed).makespan };
  const compute = solveBound(withSystemBandwidth(table, 1e15), { timeLimit: Math.min(timeLimit, 20) });
  const objective = makespanObjective(table);
  const mappers: Record<string, MapperResult> = {};
  let best = { mapper: 'relaxation', makespan: cert.makespan, mapping: cert.mapping };
  const offer = (mapper: string, makespan: number, mapping: typeof best.mapping) => {
    if (makespan < best.makespan) best = { mapper, makespan, mapping };
  };
  for (const [label, name, params] of searchMappers(timeLimit)) {
    const makespans: number[] = [];
    for (const seed of seeds) {
      const r = runSearch(objective, createOptimizer(name, table, seed, params), { budget: BUDGET });
      makespans.push(r.cost);
      offer(label, r.cost, r.best);
    }
    mappers[label] = { makespans };
  }
  for (const spec of listOptimizers().filter((s) => s.family === 'heuristic')) {
    const r = runSearch(objective, createOptimizer(spec.name, table, 1), { budget: 1 });
    mappers[spec.name] = { makespans: [r.cost] };
    offer(spec.name, r.cost, r.best);
  }
  // The committed makespan is the evaluator's on the committed mapping.
  const makespan = new Evaluator(table).evaluate(best.mapping).makespan;
  return {
    id: p.id,
    simpleBound: cert.simpleBound,
    bound: cert.bound,
    precision: cert.precision,
    status: cert.status,
    mipGap: cert.mipGap,
    boundSeconds: cert.seconds,
    computeBound: compute.bound,
    bandwidthBinds: compute.bound < cert.bound * (1 - cert.precision),
    mappers,
    best: { mapper: best.mapper, makespan, mapping: encodingToJson(best.mapping) },
    gap: makespan / cert.bound - 1,
    optimal: isProvenOptimal(makespan, cert.bound, cert.precision),
  };
}

const min = (xs: readonly number[]) => Math.min(...xs);
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

export function markdown(rows: readonly Row[], timeLimit: number, seeds: readonly number[]): string {
  const lines = [
    '# Best-known mappings of the paper sweep',
    '',
    `The four tasks' group 0 on S1..S6 at their bandwidths (${rows.length} problems). Certified bound: the assignment relaxation with the progress-clock rows, HiGHS, ${timeLimit} s limit. Mappers at ${BUDGET} evaluations, seeds ${seeds.join(', ')}: milp (the exact mapper), magma (default), magma-heur (first generation from the heuristics), ga, and the ${Object.keys(rows[0]?.mappers ?? {}).length - 4} heuristics. Gap = best makespan / certified bound - 1. The mappings are in best-known.json; check one with \`m3e evaluate\`.`,
    '',
    'Command: `npm run build && node dist/bench/best-known.js` (see the script header for options).',
    '',
    'Check a row (here Recommendation group 0 on S5 at 1 B/cycle):',
    '',
    '```sh',
    `node -e "const r = require('./bench/results/best-known.json').rows.find((r) => r.id === 'recom/g0/S5/bw1'); require('fs').writeFileSync('m.json', JSON.stringify(r.best.mapping))"`,
    'npx m3e evaluate --jobs magma:recom/0 --platform S5 --bw 1 --mapping m.json --bound',
    '```',
    '',
    '| problem | best mapper | makespan | certified bound | gap | bound status | bandwidth binds | milp (best of seeds) | magma (best of seeds) |',
    '|---|---|---:|---:|---:|---|---|---:|---:|',
  ];
  for (const r of rows) {
    const rel = (name: string) => (min(r.mappers[name]!.makespans) / r.bound).toFixed(4);
    lines.push(
      `| ${r.id} | ${r.best.mapper} | ${r.best.makespan.toFixed(0)} | ${r.bound.toFixed(0)} | ${pct(r.gap)}${r.optimal ? ' (optimal)' : ''} | ${r.status} | ${r.bandwidthBinds ? 'yes' : 'no'} | ${rel('milp')} | ${rel('magma')} |`,
    );
  }
  const unbound = rows.filter((r) => !r.bandwidthBinds);
  const milpOptimal = unbound.filter((r) =>
    isProvenOptimal(min(r.mappers.milp!.makespans), r.bound, r.precision),
  );
  const heuristics = Object.keys(rows[0]?.mappers ?? {}).filter(
    (k) => !['milp', 'magma', 'magma-heur', 'ga'].includes(k),
  );
  // Worse only beyond the bound's precision: within it both are optimal, and milp stops there.
  const worseThan = (other: string, agg: (xs: readonly number[]) => number) =>
    rows.filter((r) => agg(r.mappers.milp!.makespans) > agg(r.mappers[other]!.makespans) * (1 + r.precision));
  const worseMagmaMean = worseThan('magma', mean);
  const worseMagmaHeurMean = worseThan('magma-heur', mean);
  const worseHeur = rows.filter((r) =>
    heuristics.some((h) => min(r.mappers.milp!.makespans) > r.mappers[h]!.makespans[0]! * (1 + r.precision)),
  );
  const within1 = rows.filter((r) => r.gap <= 0.01);
  lines.push(
    '',
    '## The exact mapper against the targets',
    '',
    `- Bandwidth does not bind (the bound at unlimited bandwidth reaches the certified bound) on ${unbound.length} problems; milp proves its mapping optimal (makespan within the bound's precision, about 1e-4) on ${milpOptimal.length} of them (${pct(milpOptimal.length / Math.max(1, unbound.length))}).`,
    `- milp worse than MAGMA (mean over seeds, beyond the bound's precision) on ${worseMagmaMean.length} problems${worseMagmaMean.length ? `: ${worseMagmaMean.map((r) => r.id).join(', ')}` : ''}; worse than MAGMA seeded with the heuristics on ${worseMagmaHeurMean.length}${worseMagmaHeurMean.length ? `: ${worseMagmaHeurMean.map((r) => r.id).join(', ')}` : ''}; worse than a heuristic on ${worseHeur.length} (it evaluates every heuristic's mapping, so never).`,
    `- Best m3e mapping within 1 % of the certified bound on ${within1.length} of ${rows.length} problems (${pct(within1.length / rows.length)}); proven optimal on ${rows.filter((r) => r.optimal).length}.`,
    `- Geo-mean gap of milp (mean over seeds): ${pct(Math.exp(mean(rows.map((r) => Math.log(mean(r.mappers.milp!.makespans) / r.bound)))) - 1)}; of magma: ${pct(Math.exp(mean(rows.map((r) => Math.log(mean(r.mappers.magma!.makespans) / r.bound)))) - 1)}.`,
    `- Bounds: ${rows.filter((r) => r.status === 'optimal').length} of ${rows.length} solved to HiGHS's gap (1e-4) within the limit; median ${median(rows.map((r) => r.boundSeconds)).toFixed(1)} s.`,
  );
  return lines.join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      'time-limit': { type: 'string', default: '60' },
      seeds: { type: 'string', default: '1,2,3' },
      only: { type: 'string' },
      out: { type: 'string', default: 'bench/results/best-known' },
      refresh: { type: 'string' },
    },
  });
  const timeLimit = Number(values['time-limit']);
  const seeds = values.seeds.split(',').map(Number);
  const only = values.only?.split(',');
  const problems = paperSweep().filter((p) => !only || only.includes(p.id));
  const jsonPath = `${values.out}.json`;
  const previous = existsSync(jsonPath) ? (readJsonFile(jsonPath) as { rows: Row[] }).rows : [];
  const rows: Row[] = [];
  for (const p of problems) {
    const done = previous.find((r) => r.id === p.id);
    const row = done
      ? values.refresh
        ? refreshRow(done, p, values.refresh.split(','), seeds)
        : done
      : solveProblem(p, timeLimit, seeds);
    rows.push(row);
    process.stderr.write(
      `${p.id}: best ${row.best.mapper} gap ${pct(row.gap)}${row.optimal ? ' optimal' : ''} (bound ${row.status} ${row.boundSeconds.toFixed(1)} s)\n`,
    );
    writeJsonAtomic(jsonPath, { timeLimit, seeds, budget: BUDGET, rows });
  }
  writeFileAtomic(`${values.out}.md`, `${markdown(rows, timeLimit, seeds)}\n`);
  console.log(markdown(rows, timeLimit, seeds));
}
