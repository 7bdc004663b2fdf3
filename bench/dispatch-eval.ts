/**
 * Evaluates the learned mapper `policy` on groups it never trained on, against the 15
 * heuristic mappers (the paper's 14 and relax) and MAGMA (plain and seeded with the heuristics); `report` prints the
 * markdown tables of bench/results/dispatch-policy.md.
 *
 *   npm run build
 *   node dist/bench/dispatch-eval.js baselines [--set magma|transfer]   heuristics and MAGMA
 *   node dist/bench/dispatch-eval.js magma-seeds [--set magma|transfer]  MAGMA, seeds 2 and 3
 *   node dist/bench/dispatch-eval.js policy [--set magma|transfer] [--model DIR] [--name N]
 *                                           [--samples K]   (default 100; 1: greedy only)
 *   node dist/bench/dispatch-eval.js report [--name N] [--others A,B]    markdown on stdout
 *                                           (--others: greedy rows of other policies)
 *
 * Sets: `magma` = the MAGMA authors' 40 groups (4 tasks x 10) on S1..S6 at the paper's
 * bandwidths (880 problems); `transfer` = model-zoo Mix groups of 50 to 500 jobs on S2, S4,
 * S6 and on random platforms of 2 to 16 cores (drawn from a seed the training never uses).
 * Results go to runs/bench/dispatch/<set>-baselines.jsonl and <set>-policy-<name>.jsonl,
 * one line per problem; a rerun skips the problems already done.
 *
 * Figures per problem: every heuristic's makespan, MAGMA's (seed 1, 10,500 evaluations) plain
 * and with init=heuristic; the policy's greedy mapping (budget 1) and best of 100 (budget
 * 100), with their wall times.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { POLICY_MAPPER, registerPolicyMapper } from '../agents/dispatch/mapper.js';
import { randomPlatform } from '../envs/m3e/zoo-source.js';
import { MAGMA_GROUPS, MAGMA_TASKS, readMagmaGroup } from '../models/magma-groups.js';
import { sampleTask } from '../models/tasks.js';
import { analyzeJobs, modelForPlatform } from '../src/analyzer/analyze.js';
import { lowerBound } from '../src/core/bounds.js';
import { Evaluator } from '../src/core/evaluator.js';
import { Rng } from '../src/core/rng.js';
import type { JobTable } from '../src/core/table.js';
import { heuristicSpecs, paperHeuristicSpecs } from '../src/optim/heuristics/index.js';
import { createOptimizer } from '../src/optim/registry.js';
import { makespanObjective, runSearch } from '../src/optim/search.js';
import { PRESET_BANDWIDTHS, presetPlatform } from '../src/platform/presets.js';
import { median, quantileSorted } from '../src/report/bootstrap.js';

const OUT = 'runs/bench/dispatch';
/** MAGMA's budget in the paper: 100 generations of 105 evaluations. */
const MAGMA_BUDGET = 10_500;
const SAMPLES = 100;
/** MAGMA's seeds beyond the baselines' seed 1 (`magma-seeds`). */
const EXTRA_MAGMA_SEEDS = [2, 3] as const;
/** Timings of the greedy mapping per problem; the median is kept. */
const GREEDY_REPEATS = 3;

interface Problem {
  readonly id: string;
  /** Group of problems for the report's breakdown (task, platform or size). */
  readonly group: string;
  readonly build: () => JobTable;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The authors' groups on S1..S6 at the paper's bandwidths. */
function magmaProblems(): Problem[] {
  const out: Problem[] = [];
  const models = new Map<string, ReturnType<typeof modelForPlatform>>();
  for (const task of MAGMA_TASKS)
    for (let g = 0; g < MAGMA_GROUPS; g++)
      for (const [p, bws] of Object.entries(PRESET_BANDWIDTHS))
        for (const bw of bws)
          out.push({
            id: `${task}/${g}/${p}/bw${bw}`,
            group: `${task} ${p}`,
            build: () => {
              const platform = presetPlatform(p);
              if (!models.has(p)) models.set(p, modelForPlatform(platform));
              return analyzeJobs(readMagmaGroup(`magma:${task}/${g}`), platform, {
                systemBandwidth: bw,
                model: models.get(p)!,
              });
            },
          });
  return out;
}

/** Size transfer: zoo Mix groups of 50-500 jobs on presets and random 2-16-core platforms. */
function transferProblems(): Problem[] {
  const out: Problem[] = [];
  const model = modelForPlatform({ name: 'zoo', cores: [], dataflows: {} });
  // A seed far from the training's streams (those are forked from small run seeds).
  const seedBase = 7_000_000;
  for (const jobs of [50, 100, 200, 300, 500])
    for (const [p, bw] of [
      ['S2', 4],
      ['S4', 16],
      ['S6', 1],
      ['S6', 16],
      ['S6', 256],
    ] as const)
      for (let k = 0; k < 2; k++)
        out.push({
          id: `mix${jobs}/${p}/bw${bw}/${k}`,
          group: `${jobs} jobs`,
          build: () =>
            analyzeJobs(sampleTask('mix', jobs, seedBase + jobs * 10 + k), presetPlatform(p), {
              systemBandwidth: bw,
              model,
            }),
        });
  for (const cores of [2, 4, 8, 16])
    for (let k = 0; k < 6; k++)
      out.push({
        id: `mix100/random${cores}/${k}`,
        group: `${cores} cores`,
        build: () => {
          const rng = new Rng(seedBase + 1000 * cores + k);
          const platform = randomPlatform(rng, cores);
          const bw = Math.exp(rng.uniform(0, Math.log(256)));
          return analyzeJobs(sampleTask('mix', 100, rng.uint32()), platform, { systemBandwidth: bw, model });
        },
      });
  return out;
}

function problems(set: string): Problem[] {
  if (set === 'magma') return magmaProblems();
  if (set === 'transfer') return transferProblems();
  throw new Error(`--set must be magma or transfer, got ${set}`);
}

function done(path: string): Map<string, Record<string, unknown>> {
  const m = new Map<string, Record<string, unknown>>();
  if (!existsSync(path)) return m;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as Record<string, unknown>;
    m.set(r.id as string, r);
  }
  return m;
}

function baselines(set: string): void {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `${set}-baselines.jsonl`);
  const have = done(path);
  for (const p of problems(set)) {
    if (have.has(p.id)) continue;
    const table = p.build();
    const ev = new Evaluator(table);
    const heuristics: Record<string, number> = {};
    for (const h of heuristicSpecs) {
      const e = h.map(table);
      heuristics[h.name] = ev.makespan(e.core, e.priority);
    }
    const objective = makespanObjective(table);
    const t0 = performance.now();
    const magma = runSearch(objective, createOptimizer('magma', table, 1), { budget: MAGMA_BUDGET });
    const t1 = performance.now();
    const seeded = runSearch(objective, createOptimizer('magma', table, 1, { init: 'heuristic' }), {
      budget: MAGMA_BUDGET,
    });
    const row = {
      id: p.id,
      group: p.group,
      jobs: table.numJobs,
      cores: table.numCores,
      bandwidth: table.systemBandwidth,
      lowerBound: lowerBound(table),
      heuristics,
      magma: magma.cost,
      magmaSeconds: (t1 - t0) / 1000,
      magmaSeeded: seeded.cost,
    };
    appendFileSync(path, `${JSON.stringify(row)}\n`);
    process.stderr.write(`${p.id} magma ${(magma.cost / row.lowerBound).toFixed(4)}\n`);
  }
}

/**
 * MAGMA with two more seeds per problem: one seed's geo-mean moves by about 0.2 % from seed to
 * seed (and one seed can stall far above the others on a problem), so the report also sets
 * best of 100 against the geometric mean of three seeds.
 */
function magmaSeeds(set: string): void {
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `${set}-magma-seeds.jsonl`);
  const have = done(path);
  for (const p of problems(set)) {
    if (have.has(p.id)) continue;
    const table = p.build();
    const objective = makespanObjective(table);
    const row: Record<string, unknown> = { id: p.id };
    for (const seed of EXTRA_MAGMA_SEEDS)
      row[`seed${seed}`] = runSearch(objective, createOptimizer('magma', table, seed), {
        budget: MAGMA_BUDGET,
      }).cost;
    appendFileSync(path, `${JSON.stringify(row)}\n`);
  }
}

function policy(set: string, modelDir: string, name: string, samples: number): void {
  registerPolicyMapper();
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, `${set}-policy-${name}.jsonl`);
  const have = done(path);
  // Warm the JIT and load the model before timing, on one problem of each group (each
  // platform's code paths: the first timed problem was otherwise always the slowest).
  const seen = new Set<string>();
  for (const p of problems(set)) {
    if (seen.has(p.group)) continue;
    seen.add(p.group);
    const warm = p.build();
    runSearch(makespanObjective(warm), createOptimizer(POLICY_MAPPER, warm, 1, { model: modelDir }), {
      budget: 40,
    });
  }
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  /** One timed search on a fresh table (so the plan is computed inside the timing). */
  const timed = (p: Problem, budget: number) => {
    const table = p.build();
    const objective = makespanObjective(table);
    const c0 = cpu();
    const t0 = performance.now();
    const result = runSearch(objective, createOptimizer(POLICY_MAPPER, table, 1, { model: modelDir }), {
      budget,
    });
    return { result, ms: performance.now() - t0, cpuMs: cpu() - c0 };
  };
  for (const p of problems(set)) {
    if (have.has(p.id)) continue;
    // Greedy is timed GREEDY_REPEATS times and the median kept: one pass takes about 10 ms,
    // so a garbage collection or another process can double a single timing.
    const runs = Array.from({ length: GREEDY_REPEATS }, () => timed(p, 1));
    const greedy = runs[0]!.result;
    const sampled = samples > 1 ? timed(p, samples) : null;
    const best = sampled ? sampled.result : greedy;
    const row = {
      id: p.id,
      greedy: greedy.cost,
      greedyMs: median(runs.map((r) => r.ms)),
      greedyCpuMs: median(runs.map((r) => r.cpuMs)),
      best100: best.cost,
      best100Ms: sampled ? sampled.ms : 0,
      best100CpuMs: sampled ? sampled.cpuMs : 0,
    };
    appendFileSync(path, `${JSON.stringify(row)}\n`);
    process.stderr.write(`${p.id} greedy ${greedy.cost.toPrecision(6)} (${row.greedyMs.toFixed(1)} ms)\n`);
  }
}

// ---- report ------------------------------------------------------------------------------

interface Row {
  id: string;
  group: string;
  jobs: number;
  cores: number;
  lowerBound: number;
  heuristics: Record<string, number>;
  magma: number;
  magmaSeeded: number;
  magmaSeconds: number;
  /** Geometric mean of MAGMA's seeds 1-3, when `magma-seeds` has run. */
  magma3?: number;
  greedy: number;
  greedyMs: number;
  greedyCpuMs: number;
  best100: number;
  best100Ms: number;
  best100CpuMs: number;
}

function joined(set: string, name: string): Row[] {
  const base = done(join(OUT, `${set}-baselines.jsonl`));
  const pol = done(join(OUT, `${set}-policy-${name}.jsonl`));
  const seeds = done(join(OUT, `${set}-magma-seeds.jsonl`));
  const rows: Row[] = [];
  for (const [id, b] of base) {
    const p = pol.get(id);
    if (!p) continue;
    const row = { ...(b as unknown as Row), ...(p as unknown as Row) };
    const more = seeds.get(id);
    if (more)
      row.magma3 = Math.cbrt(
        row.magma * EXTRA_MAGMA_SEEDS.reduce((m, s) => m * (more[`seed${s}`] as number), 1),
      );
    rows.push(row);
  }
  return rows;
}

const geo = (xs: number[]) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
const f3 = (x: number) => x.toFixed(3);
const f4 = (x: number) => x.toFixed(4);
/** median / 99th percentile / maximum of `values`, `digits` decimals. */
const spread = (values: number[], digits: number) => {
  const s = Float64Array.from(values).sort();
  return [median(s), quantileSorted(s, 0.99), s[s.length - 1]!].map((x) => x.toFixed(digits)).join(' / ');
};
/** The per-group best heuristic's makespan of a row. */
const bestOf = (r: Row) => Math.min(...Object.values(r.heuristics));

/** The MAGMA paper's 14 heuristics: the targets were set against them. */
const PAPER = new Set(paperHeuristicSpecs.map((h) => h.name));

/** Rows with only the paper's heuristics (before `relax` joined them). */
function paperOnly(rows: Row[]): Row[] {
  return rows.map((r) => ({
    ...r,
    heuristics: Object.fromEntries(Object.entries(r.heuristics).filter(([n]) => PAPER.has(n))),
  }));
}

/** The best single heuristic of a set of rows: the lowest geo-mean makespan / LB. */
function bestSingleOf(rows: Row[]): { name: string; geo: number } {
  let best = { name: '', geo: Number.POSITIVE_INFINITY };
  for (const n of Object.keys(rows[0]!.heuristics)) {
    const g = geo(rows.map((r) => r.heuristics[n]! / r.lowerBound));
    if (g < best.geo) best = { name: n, geo: g };
  }
  return best;
}

/** The targets' figures on a set of rows, against `single` (the best single heuristic). */
function summary(rows: Row[], single: string) {
  const ratio = (f: (r: Row) => number) => geo(rows.map((r) => f(r) / r.lowerBound));
  return {
    n: rows.length,
    single: ratio((r) => r.heuristics[single]!),
    perGroupBest: ratio(bestOf),
    greedy: ratio((r) => r.greedy),
    best100: ratio((r) => r.best100),
    magma: ratio((r) => r.magma),
    magmaSeeded: ratio((r) => r.magmaSeeded),
    greedyVsSingle: geo(rows.map((r) => r.greedy / r.heuristics[single]!)),
    greedyWins: rows.filter((r) => r.greedy <= bestOf(r) * (1 + 1e-12)).length,
    best100VsSingle: geo(rows.map((r) => r.best100 / r.heuristics[single]!)),
    best100VsMagma: geo(rows.map((r) => r.best100 / r.magma)),
    best100VsSeeded: geo(rows.map((r) => r.best100 / r.magmaSeeded)),
  };
}

function breakdown(rows: Row[], key: (r: Row) => string, single: string, keyName: string): string[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  const out = [
    `| ${keyName} | n | ${single} | per-group best heuristic | policy greedy | greedy / ${single} | greedy no worse than the per-group best | best of 100 | MAGMA | MAGMA init=heuristic | best of 100 / MAGMA |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [k, rs] of [...groups.entries(), ['**all**', rows] as const]) {
    const s = summary(rs, single);
    out.push(
      `| ${k} | ${s.n} | ${f4(s.single)} | ${f4(s.perGroupBest)} | ${f4(s.greedy)} | ${f3(s.greedyVsSingle)} | ${s.greedyWins} / ${s.n} | ${f4(s.best100)} | ${f4(s.magma)} | ${f4(s.magmaSeeded)} | ${f3(s.best100VsMagma)} |`,
    );
  }
  return out;
}

function report(name: string, others: readonly string[] = []): void {
  const lines: string[] = [];
  const magma = joined('magma', name);
  const transfer = joined('transfer', name);
  if (magma.length) {
    const single = bestSingleOf(magma).name;
    const s = summary(magma, single);
    lines.push(
      `#### The authors' groups (${s.n} problems: 4 tasks x 10 groups on S1..S6 at the paper's bandwidths)`,
      '',
      `Makespan / lower bound, geometric means. The best single heuristic over these problems is ${single}.`,
      '',
      ...breakdown(magma, (r) => r.group.split(' ')[0]!, single, 'task'),
      '',
      ...breakdown(magma, (r) => r.id.split('/').slice(2).join('/'), single, 'platform / bandwidth'),
      '',
      `Timing, 100 jobs (over the problems: median / 99th percentile / maximum of each problem's median of ${GREEDY_REPEATS} greedy timings; wall-clock, and CPU time of the process, which counts the garbage collector's threads): greedy ${spread(
        magma.map((r) => r.greedyMs),
        1,
      )} ms wall, ${spread(
        magma.map((r) => r.greedyCpuMs),
        1,
      )} ms CPU; best of 100 (one timing) ${spread(
        magma.map((r) => r.best100Ms),
        0,
      )} ms wall; MAGMA at 10,500 evaluations ${(median(magma.map((r) => r.magmaSeconds)) * 1000).toFixed(0)} ms median.`,
      '',
    );
  }
  if (magma.length) lines.push(...targets(magma));
  if (magma.length) lines.push(...certified(magma, bestSingleOf(magma).name));
  if (magma.length && others.length) {
    const single = bestSingleOf(magma).name;
    lines.push(
      "#### Other policies on the authors' groups (greedy)",
      '',
      `| policy | n | greedy | greedy / ${single} | greedy no worse than the per-group best |`,
      '|---|---:|---:|---:|---:|',
    );
    for (const other of [name, ...others]) {
      const rs = joined('magma', other);
      if (!rs.length) continue;
      const o = summary(rs, single);
      lines.push(
        `| ${other} | ${o.n} | ${f4(o.greedy)} | ${f3(o.greedyVsSingle)} | ${o.greedyWins} / ${o.n} |`,
      );
    }
    lines.push('');
  }
  if (transfer.length) {
    const single = magma.length ? bestSingleOf(magma).name : bestSingleOf(transfer).name;
    lines.push(
      `#### Size transfer (${transfer.length} model-zoo Mix groups the training never drew)`,
      '',
      ...breakdown(transfer, (r) => r.group, single, 'size'),
      '',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * The quality targets read two ways: against the paper's 14 heuristics (as they were
 * set) and against all of them, `relax` included (a stronger bar).
 */
function targets(rows: Row[]): string[] {
  const read = (rs: Row[]) => {
    const single = bestSingleOf(rs).name;
    return { single, s: summary(rs, single) };
  };
  const paperRows = paperOnly(rows);
  const paper = read(paperRows);
  const all = read(rows);
  const n = rows.length;
  return [
    "#### The targets, against the paper's 14 heuristics and against all of them",
    '',
    `| | the paper's 14 | all ${Object.keys(rows[0]!.heuristics).length} (with relax) |`,
    '|---|---:|---:|',
    `| best single heuristic | ${paper.single} | ${all.single} |`,
    `| greedy / best single (target <= 0.97) | ${f3(paper.s.greedyVsSingle)} | ${f3(all.s.greedyVsSingle)} |`,
    `| greedy no worse than the per-group best (target >= ${n / 2}) | ${paper.s.greedyWins} / ${n} | ${all.s.greedyWins} / ${n} |`,
    `| per-group best heuristic / best single | ${f3(geo(paperRows.map((r) => bestOf(r) / r.heuristics[paper.single]!)))} | ${f3(geo(rows.map((r) => bestOf(r) / r.heuristics[all.single]!)))} |`,
    `| best of 100 / MAGMA (target <= 1) | ${f4(all.s.best100VsMagma)} | same |`,
    ...(rows.every((r) => r.magma3 !== undefined)
      ? [
          `| best of 100 / MAGMA, geometric mean of seeds 1-3 | ${f4(geo(rows.map((r) => r.best100 / r.magma3!)))} | same |`,
          `| best of 100 no worse than MAGMA (seed 1 / mean of 3) | ${rows.filter((r) => r.best100 <= r.magma * (1 + 1e-12)).length} / ${rows.filter((r) => r.best100 <= r.magma3! * (1 + 1e-12)).length} of ${n} | same |`,
        ]
      : []),
    '',
  ];
}

/**
 * Distance to the certified bound on the problems of bench/results/best-known.json (each
 * task's group 0 on S1..S6), where the bound is far tighter than the simple one.
 */
function certified(rows: Row[], single: string): string[] {
  const path = 'bench/results/best-known.json';
  if (!existsSync(path)) return [];
  const known = new Map<string, { bound: number; best: number; status: string }>();
  for (const k of (JSON.parse(readFileSync(path, 'utf8')) as { rows: Record<string, unknown>[] }).rows) {
    const best = (k.best as { makespan: number }).makespan;
    known.set((k.id as string).replace('/g', '/'), {
      bound: k.bound as number,
      best,
      status: k.status as string,
    });
  }
  const on = rows.filter((r) => known.has(r.id));
  if (!on.length) return [];
  const gap = (f: (r: Row) => number) =>
    `${((geo(on.map((r) => f(r) / known.get(r.id)!.bound)) - 1) * 100).toFixed(2)} %`;
  return [
    `#### Distance to the certified bound (${on.length} problems: each task's group 0 on S1..S6)`,
    '',
    `Geo-mean of makespan / certified bound - 1 (HiGHS, ${on.filter((r) => known.get(r.id)!.status === 'optimal').length} of ${on.length} bounds solved to optimality; bench/results/best-known.md).`,
    '',
    `| ${single} | per-group best heuristic | policy greedy | policy best of 100 | MAGMA | MAGMA init=heuristic | best known |`,
    '|---:|---:|---:|---:|---:|---:|---:|',
    `| ${gap((r) => r.heuristics[single]!)} | ${gap(bestOf)} | ${gap((r) => r.greedy)} | ${gap((r) => r.best100)} | ${gap((r) => r.magma)} | ${gap((r) => r.magmaSeeded)} | ${gap((r) => known.get(r.id)!.best)} |`,
    '',
  ];
}

function basename(dir: string): string {
  return dir.replace(/\/+$/, '').split('/').pop()!;
}

const cmd = process.argv[2];
const set = arg('set') ?? 'magma';
if (cmd === 'baselines') baselines(set);
else if (cmd === 'magma-seeds') magmaSeeds(set);
else if (cmd === 'policy') {
  const model = arg('model') ?? '';
  policy(
    set,
    model,
    arg('name') ?? (model === '' ? 'pretrained' : basename(model)),
    Number(arg('samples') ?? SAMPLES),
  );
} else if (cmd === 'report')
  report(arg('name') ?? 'pretrained', (arg('others') ?? '').split(',').filter(Boolean));
else
  throw new Error(
    'usage: dispatch-eval.js baselines|magma-seeds|policy|report [--set magma|transfer] [--model DIR] [--name N]',
  );
