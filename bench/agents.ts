/**
 * Benchmarks of the RL agents (results: bench/results/agents.md). Build first: npm run build. Then
 *
 *   node dist/bench/agents.js throughput [--steps N]
 *       environment steps per second, updates included, of PPO and A2C (3 x 128 MLP) on
 *       m3e/Sequential-v0 (synthetic 100 jobs x 4 cores), per tfjs backend; wall-clock and
 *       per CPU-second of this process (robust to other load on the machine)
 *   node dist/bench/agents.js cartpole --algo ppo|a2c [--steps N] [--seed S]
 *       CartPole-v1 with CleanRL's (PPO) / the SB3 zoo's (A2C) settings; "solved" = mean
 *       return >= 475 over the last 100 episodes (Gymnasium's reward threshold)
 *   node dist/bench/agents.js fixed --algo ppo|a2c|magma|random|heuristics --seed S [--episodes E]
 *       the fixed group (synthetic 100-job, 4-core table): makespan / LB after E episodes
 *       (default 10,500, the authors' budget), beside MAGMA and random search at E evaluations;
 *       `--param key=value` (fixed and general) overrides the M3E preset of a new run
 *   node dist/bench/agents.js general --algo ppo|a2c [--steps N] [--seed S] [--joint] [--run DIR]
 *                                     [--param key=value ...]
 *       generalisation: train on a new random group every episode, score the greedy policy
 *       on 10 held-out groups against the heuristics and MAGMA (--joint: one categorical
 *       over slot x core instead of two heads; --run: that run folder, continued)
 *   node dist/bench/agents.js report
 *       the tables of every result so far
 *
 * Results go to runs/bench/agents/ (JSON, one file per experiment); training runs to
 * runs/bench/agents/runs/ and resume when re-run (checkpoints), so long experiments can
 * be stopped and continued.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../agents/backend.js';
import { tableProblem } from '../agents/env-factory.js';
import { SEQUENTIAL_ID, TimeLimit } from '../agents/gym.js';
import { rollout } from '../agents/policy.js';
import type { EnvDescription } from '../agents/run-folder.js';
import { RunFolder } from '../agents/run-folder.js';
import { M3E_PRESETS, parseSettings } from '../agents/settings.js';
import { trainRun } from '../agents/train.js';
import { Trainer } from '../agents/trainer.js';
import { AgentVecEnv } from '../agents/vec-env.js';
import { CARTPOLE_MAX_STEPS, CartPoleEnv } from '../envs/classic/cartpole.js';
import type { ProblemRef } from '../models/problem.js';
import { lowerBound } from '../src/core/bounds.js';
import { synthTable } from '../src/core/synth.js';
import type { JobTable } from '../src/core/table.js';
import { writeJsonAtomic } from '../src/io/files.js';
import { heuristicSpecs } from '../src/optim/heuristics/index.js';
import { createOptimizer } from '../src/optim/registry.js';
import { makespanObjective, runSearch } from '../src/optim/search.js';

const RESULTS = 'runs/bench/agents';
const RUNS = join(RESULTS, 'runs');

/**
 * The fixed synthetic group of the agent study in bench/results/agents.md (the authors' groups are compared
 * with `m3e compare --spec agents`).
 */
const FIXED_GROUP = { jobs: 100, cores: 4, bwRatio: 1, seed: 0 } as const;
/** The authors' budget: 100 generations x 105 evaluations (MAGMA), 10,500 episodes (RL). */
const AUTHORS_BUDGET = 10_500;

/** The agents' settings for the M3E environments (see agents/settings.ts). */
const M3E_SETTINGS = M3E_PRESETS;

/** Held-out groups of the generalisation study: seeds the training draws never use in practice. */
const HELD_OUT_SEEDS = Array.from({ length: 10 }, (_, i) => 1_000_000 + i);
/** Bandwidth ratios of the generalisation groups: scarce to plentiful, drawn log-uniformly. */
const GENERAL_BW: [number, number] = [0.25, 4];

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function num(name: string, fallback: number): number {
  const v = arg(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got ${v}`);
  return n;
}

/** Agent settings of a new run: the M3E preset, then every `--param key=value` (JSON values). */
function settingsFor(algo: 'ppo' | 'a2c'): Record<string, unknown> {
  const out: Record<string, unknown> = { ...M3E_SETTINGS[algo] };
  process.argv.forEach((a, i) => {
    if (a !== '--param') return;
    const kv = process.argv[i + 1] ?? '';
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new Error(`--param must look like key=value, got ${kv}`);
    const text = kv.slice(eq + 1);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // a plain string (e.g. optimizer=adam)
    }
    out[kv.slice(0, eq)] = value;
  });
  return out;
}

function save(name: string, value: unknown): void {
  mkdirSync(RESULTS, { recursive: true });
  writeJsonAtomic(join(RESULTS, `${name}.json`), value);
  console.error(`wrote ${join(RESULTS, `${name}.json`)}`);
}

function log(line: string): void {
  console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
}

// ---- throughput -----------------------------------------------------------------------

async function throughput(): Promise<void> {
  const steps = num('steps', 8192);
  const table = synthTable(FIXED_GROUP);
  const env: EnvDescription = { id: SEQUENTIAL_ID, options: {}, problem: tableProblem(table, 'fixed') };
  const rows: Record<string, unknown>[] = [];
  for (const backend of ['node', 'wasm', 'cpu'] as const) {
    try {
      await selectBackend(backend);
    } catch (e) {
      rows.push({ backend, available: false, reason: (e as Error).message });
      continue;
    }
    for (const algo of ['ppo', 'a2c'] as const) {
      const settings = parseSettings(algo, M3E_SETTINGS[algo]);
      const vec = (await import('../agents/env-factory.js')).makeAgentEnv(env, settings.numEnvs);
      const tr = new Trainer(settings, vec, 1);
      tr.iterate(steps); // warm-up: kernels compiled, buffers allocated
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      let n = 0;
      // The CPU backend is an order of magnitude slower: a quarter of the steps suffices.
      const budget = backend === 'cpu' ? steps / 4 : steps;
      while (n < budget) {
        tr.iterate(1e12);
        n += tr.batchSize;
      }
      const wall = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      const cpu = (c.user + c.system) / 1e6;
      // Inference alone: one forward pass for all envs, as in a rollout.
      const obs = new Float32Array(settings.numEnvs * vec.obsSize).fill(0.25);
      const f0 = performance.now();
      let calls = 0;
      while (performance.now() - f0 < 1000) {
        tr.learner.net.predict(obs, settings.numEnvs);
        calls++;
      }
      const fwd = (calls * settings.numEnvs) / ((performance.now() - f0) / 1000);
      rows.push({
        backend,
        algo,
        numEnvs: settings.numEnvs,
        batch: tr.batchSize,
        steps: n,
        stepsPerSecond: Math.round(n / wall),
        stepsPerCpuSecond: Math.round(n / cpu),
        inferenceStepsPerSecond: Math.round(fwd),
      });
      log(`${backend} ${algo}: ${Math.round(n / wall)} steps/s wall, ${Math.round(n / cpu)} per CPU-second`);
      tr.dispose();
    }
  }
  save('throughput', { network: '3 x 128, separate trunks', env: SEQUENTIAL_ID, problem: FIXED_GROUP, rows });
}

// ---- CartPole ---------------------------------------------------------------------------

/** CleanRL ppo.py for CartPole-v1 (64 x 64, 500k steps) and the SB3 zoo's A2C (8 envs, lr 7e-4, 500k steps). */
const CARTPOLE = {
  ppo: { network: { hidden: [64, 64] } },
  a2c: { network: { hidden: [64, 64] }, numEnvs: 8, entCoef: 0 },
} as const;
const CARTPOLE_SOLVED = 475;

async function cartpole(): Promise<void> {
  const algo = (arg('algo', 'ppo') as 'ppo' | 'a2c') ?? 'ppo';
  const steps = num('steps', 500_000);
  const seed = num('seed', 1);
  await selectBackend((arg('backend', 'auto') as 'auto') ?? 'auto');
  const settings = parseSettings(algo, CARTPOLE[algo]);
  const vec = new AgentVecEnv(
    Array.from({ length: settings.numEnvs }, () => new TimeLimit(new CartPoleEnv(), CARTPOLE_MAX_STEPS)),
  );
  const tr = new Trainer(settings, vec, seed);
  const returns: number[] = [];
  const curve: [number, number][] = [];
  let solvedAt: number | null = null;
  const t0 = performance.now();
  while (tr.step < steps) {
    tr.iterate(steps, (ep) => returns.push(ep.return));
    const last = returns.slice(-100);
    const mean = last.reduce((a, b) => a + b, 0) / Math.max(1, last.length);
    if (tr.iteration % 10 === 0) {
      curve.push([tr.step, mean]);
      log(`cartpole ${algo} step ${tr.step}: mean return (last 100) ${mean.toFixed(1)}`);
    }
    if (solvedAt === null && last.length === 100 && mean >= CARTPOLE_SOLVED) solvedAt = tr.step;
  }
  const seconds = (performance.now() - t0) / 1000;
  const last = returns.slice(-100);
  save(`cartpole-${algo}-seed${seed}`, {
    algo,
    seed,
    steps: tr.step,
    episodes: returns.length,
    seconds,
    stepsPerSecond: tr.step / seconds,
    meanReturnLast100: last.reduce((a, b) => a + b, 0) / last.length,
    solvedAtStep: solvedAt,
    curve,
    settings,
  });
  tr.dispose();
}

// ---- Fixed group ------------------------------------------------------------------------

async function fixed(): Promise<void> {
  const algo = arg('algo', 'ppo')!;
  const seed = num('seed', 1);
  const episodes = num('episodes', AUTHORS_BUDGET);
  const table = synthTable(FIXED_GROUP);
  const lb = lowerBound(table);
  const name = `fixed-${algo}-seed${seed}-e${episodes}`;
  if (algo === 'magma' || algo === 'random') {
    const t0 = performance.now();
    const res = runSearch(makespanObjective(table), createOptimizer(algo, table, seed), { budget: episodes });
    save(name, {
      algo,
      seed,
      evaluations: res.evaluations,
      ratio: res.cost / lb,
      seconds: (performance.now() - t0) / 1000,
    });
    return;
  }
  if (algo === 'heuristics') {
    const h = heuristics(table).sort((a, b) => a.ratio - b.ratio);
    save('fixed-heuristics', { heuristics: h, best: h[0] ?? null });
    return;
  }
  if (algo !== 'ppo' && algo !== 'a2c')
    throw new Error(`--algo must be ppo, a2c, magma, random or heuristics, got ${algo}`);
  const env: EnvDescription = { id: SEQUENTIAL_ID, options: {}, problem: tableProblem(table, 'fixed group') };
  const out = join(RUNS, name);
  let best = Number.POSITIVE_INFINITY;
  const bestCurve: [number, number][] = [];
  let episodesSeen = 0;
  const res = await trainRun({
    algo,
    settings: settingsFor(algo),
    env,
    totalSteps: episodes * table.numJobs,
    seed,
    backend: (arg('backend', 'auto') as 'auto') ?? 'auto',
    out,
    resume: RunFolder.exists(out),
    log,
    onEpisode: (ep) => {
      episodesSeen++;
      const r = ep.info.ratio as number;
      if (r < best) {
        best = r;
        bestCurve.push([episodesSeen, r]);
      }
    },
    onIteration: (m) => {
      if (m.iteration % 50 === 0)
        log(
          `${name} step ${m.step}: sampled ${m.episode?.info.ratio?.toFixed(4)}, best ${best.toFixed(4)}, ${m.sps.toFixed(0)} steps/s`,
        );
    },
  });
  const greedy = rollout(res.trainer.learner.net, res.env, table, { episodes: 1, greedy: true, seed });
  const sampled = rollout(res.trainer.learner.net, res.env, table, { episodes: 16, greedy: false, seed });
  const metrics = res.run!.readMetrics();
  save(name, {
    algo,
    seed,
    episodes: res.trainer.episodes,
    steps: res.trainer.step,
    greedyRatio: greedy.makespan / lb,
    bestOf16Ratio: sampled.makespan / lb,
    // Best sampled episode of this session (a resumed run counts from its restart).
    bestTrainingEpisodeRatio: best,
    bestCurve,
    curve: metrics
      .filter((r) => r['episode/ratio'] !== undefined)
      .filter((_, i, a) => i % Math.max(1, Math.floor(a.length / 100)) === 0)
      .map((r) => [r['charts/episodes'], r['episode/ratio']]),
    trainingSeconds: metrics[metrics.length - 1]?.['charts/elapsed_seconds'],
    backend: res.backend.name,
    settings: res.settings,
  });
  res.trainer.dispose();
}

// ---- Generalisation ---------------------------------------------------------------------

function heldOutGroups(): JobTable[] {
  return HELD_OUT_SEEDS.map((seed, i) =>
    synthTable({
      jobs: 100,
      cores: 4,
      // Spread the held-out groups over the training range of bandwidths.
      bwRatio: Math.exp(
        Math.log(GENERAL_BW[0]) +
          ((i + 0.5) / HELD_OUT_SEEDS.length) * Math.log(GENERAL_BW[1] / GENERAL_BW[0]),
      ),
      seed,
    }),
  );
}

/** Every heuristic mapper (the one list the registry registers them from). */
function heuristicNames(): string[] {
  return heuristicSpecs.map((s) => s.name);
}

/** Makespan / LB of one heuristic's mapping (heuristics are deterministic: one evaluation). */
function heuristicRatio(name: string, table: JobTable): number {
  const res = runSearch(makespanObjective(table), createOptimizer(name, table, 1), { budget: 1 });
  return res.cost / lowerBound(table);
}

function heuristics(table: JobTable): { name: string; ratio: number }[] {
  return heuristicNames().map((name) => ({ name, ratio: heuristicRatio(name, table) }));
}

function mean2(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

async function general(): Promise<void> {
  const algo = arg('algo', 'ppo') as 'ppo' | 'a2c';
  const seed = num('seed', 1);
  const steps = num('steps', 1_050_000);
  // Sequential-v0's action as one joint categorical (slot x core) instead of two heads.
  const joint = process.argv.includes('--joint');
  const problem: ProblemRef = { synth: { jobs: 100, cores: 4, bwRatio: GENERAL_BW, seed: 0 } };
  const env: EnvDescription = {
    id: SEQUENTIAL_ID,
    options: joint ? { action: 'discrete' } : {},
    problem,
    newGroups: true,
  };
  const tag = `general-${algo}${joint ? '-joint' : ''}-seed${seed}`;
  const name = `${tag}-s${steps}`;
  // One folder per (agent, action form, seed): a larger --steps continues the same run.
  const out = arg('run') ?? join(RUNS, tag);
  const res = await trainRun({
    algo,
    settings: settingsFor(algo),
    env,
    totalSteps: steps,
    seed,
    backend: (arg('backend', 'auto') as 'auto') ?? 'auto',
    out,
    resume: RunFolder.exists(out),
    log,
    onIteration: (m) => {
      if (m.iteration % 50 === 0)
        log(
          `${name} step ${m.step}: sampled ${m.episode?.info.ratio?.toFixed(4)}, ${m.sps.toFixed(0)} steps/s`,
        );
    },
  });
  const groups = heldOutGroups().map((table, i) => {
    const lb = lowerBound(table);
    const t0 = performance.now();
    const g = rollout(res.trainer.learner.net, res.env, table, { episodes: 1, greedy: true, seed });
    const greedySeconds = (performance.now() - t0) / 1000;
    const sampled = rollout(res.trainer.learner.net, res.env, table, { episodes: 16, greedy: false, seed });
    const h = heuristics(table);
    const bestH = h.reduce((a, b) => (b.ratio < a.ratio ? b : a), {
      name: 'none',
      ratio: Number.POSITIVE_INFINITY,
    });
    const m0 = performance.now();
    const magma = runSearch(makespanObjective(table), createOptimizer('magma', table, seed), {
      budget: AUTHORS_BUDGET,
    });
    const magmaSeconds = (performance.now() - m0) / 1000;
    const row = {
      group: i,
      seed: HELD_OUT_SEEDS[i],
      bwRatio:
        (table.systemBandwidth * table.numJobs * table.numCores) / sumBandwidth(table) / table.numCores,
      greedyRatio: g.makespan / lb,
      greedySeconds,
      bestOf16Ratio: sampled.makespan / lb,
      bestHeuristic: bestH.name,
      bestHeuristicRatio: bestH.ratio,
      magmaRatio: magma.cost / lb,
      magmaSeconds,
    };
    log(
      `held-out ${i}: greedy ${row.greedyRatio.toFixed(4)}, ${bestH.name} ${bestH.ratio.toFixed(4)}, magma ${row.magmaRatio.toFixed(4)}`,
    );
    return row;
  });
  const mean = (k: 'greedyRatio' | 'bestOf16Ratio' | 'bestHeuristicRatio' | 'magmaRatio') =>
    groups.reduce((s, g) => s + g[k], 0) / groups.length;
  // The best single heuristic over all groups (by mean), beside the per-group best.
  const single = heuristicNames()
    .map((n) => ({ name: n, mean: mean2(heldOutGroups().map((t) => heuristicRatio(n, t))) }))
    .sort((a, b) => a.mean - b.mean)[0];
  save(name, {
    algo,
    seed,
    steps: res.trainer.step,
    episodes: res.trainer.episodes,
    meanGreedyRatio: mean('greedyRatio'),
    meanBestOf16Ratio: mean('bestOf16Ratio'),
    bestSingleHeuristic: single ?? null,
    meanBestHeuristicRatio: mean('bestHeuristicRatio'),
    meanMagmaRatio: mean('magmaRatio'),
    groupsWhereGreedyBeatsBestHeuristic: groups.filter((g) => g.greedyRatio < g.bestHeuristicRatio).length,
    groups,
    backend: res.backend.name,
    settings: res.settings,
  });
  res.trainer.dispose();
}

function sumBandwidth(t: JobTable): number {
  let s = 0;
  for (const w of t.bandwidth) s += w;
  return s;
}

// ---- Report -----------------------------------------------------------------------------

type Row = Record<string, unknown>;

function loadResults(): Map<string, Row> {
  const out = new Map<string, Row>();
  if (!existsSync(RESULTS)) return out;
  for (const f of readdirSync(RESULTS).filter((x) => x.endsWith('.json')))
    out.set(f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(RESULTS, f), 'utf8')) as Row);
  return out;
}

const fmt = (v: unknown, digits = 3): string => (typeof v === 'number' ? v.toFixed(digits) : '-');
const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** Markdown tables of every result so far (missing runs show as "-"). */
function report(): void {
  const r = loadResults();
  if (r.size === 0) {
    console.log('no results yet');
    return;
  }
  const seeds = [1, 2, 3];
  const lines: string[] = [];
  const fixedRow = (label: string, key: (s: number) => string, field: string) => {
    const vals = seeds.map((s) => r.get(key(s))?.[field] as number | undefined);
    const got = vals.filter((v): v is number => typeof v === 'number');
    lines.push(`| ${label} | ${vals.map((v) => fmt(v)).join(' | ')} | ${fmt(mean(got))} |`);
  };
  lines.push(
    `Fixed group (synthetic ${FIXED_GROUP.jobs} jobs x ${FIXED_GROUP.cores} cores), makespan / LB:`,
    '',
  );
  lines.push('| method | seed 1 | seed 2 | seed 3 | mean |', '|---|---|---|---|---|');
  for (const algo of ['ppo', 'a2c']) {
    const key = (s: number) => `fixed-${algo}-seed${s}-e${AUTHORS_BUDGET}`;
    fixedRow(`${algo.toUpperCase()} greedy policy`, key, 'greedyRatio');
    fixedRow(`${algo.toUpperCase()} best of 16 sampled`, key, 'bestOf16Ratio');
    fixedRow(`${algo.toUpperCase()} best training episode`, key, 'bestTrainingEpisodeRatio');
  }
  fixedRow('MAGMA (10,500 evaluations)', (s) => `fixed-magma-seed${s}-e${AUTHORS_BUDGET}`, 'ratio');
  fixedRow('random search (10,500)', (s) => `fixed-random-seed${s}-e${AUTHORS_BUDGET}`, 'ratio');
  const h = r.get('fixed-heuristics')?.best as { name: string; ratio: number } | null | undefined;
  if (h) lines.push(`| best heuristic (${h.name}) | ${fmt(h.ratio)} | | | ${fmt(h.ratio)} |`);
  for (const [name, row] of [...r.entries()].filter(([k]) => k.startsWith('general-')).sort()) {
    lines.push('', `Generalisation, ${name} (${row.steps} steps, ${row.episodes} training groups):`, '');
    lines.push(
      '| held-out group | bw ratio | greedy policy | best of 16 sampled | best heuristic | MAGMA (10,500) |',
      '|---|---|---|---|---|---|',
    );
    for (const g of row.groups as Row[])
      lines.push(
        `| ${g.group} | ${fmt(g.bwRatio, 2)} | ${fmt(g.greedyRatio)} | ${fmt(g.bestOf16Ratio)} | ${fmt(g.bestHeuristicRatio)} (${g.bestHeuristic}) | ${fmt(g.magmaRatio)} |`,
      );
    lines.push(
      `| mean | | ${fmt(row.meanGreedyRatio)} | ${fmt(row.meanBestOf16Ratio)} | ${fmt(row.meanBestHeuristicRatio)} | ${fmt(row.meanMagmaRatio)} |`,
      '',
      `best single heuristic over the groups: ${(row.bestSingleHeuristic as { name: string } | null)?.name ?? '-'}, mean ${fmt((row.bestSingleHeuristic as { mean: number } | null)?.mean)}`,
      `greedy beats the best heuristic on ${row.groupsWhereGreedyBeatsBestHeuristic} of ${(row.groups as Row[]).length} groups`,
    );
    const times = (k: string) =>
      mean((row.groups as Row[]).map((g) => g[k]).filter((v): v is number => typeof v === 'number'));
    lines.push(
      `mean time to map a group: greedy policy ${fmt(times('greedySeconds'))} s, MAGMA ${fmt(times('magmaSeconds'))} s`,
    );
  }
  for (const [name, row] of [...r.entries()].filter(([k]) => k.startsWith('cartpole-')).sort())
    lines.push(
      '',
      `${name}: mean return of the last 100 episodes ${fmt(row.meanReturnLast100, 1)} after ${row.steps} steps; solved (>= ${CARTPOLE_SOLVED}) at step ${row.solvedAtStep ?? 'never'}; ${fmt(row.stepsPerSecond, 0)} steps/s`,
    );
  const tp = r.get('throughput');
  if (tp) {
    lines.push('', 'Throughput (env steps per second, updates included):', '');
    lines.push('| backend | agent | wall-clock | per CPU-second | inference only |', '|---|---|---|---|---|');
    for (const row of tp.rows as Row[])
      lines.push(
        row.available === false
          ? `| ${row.backend} | not available | | | |`
          : `| ${row.backend} | ${row.algo} | ${row.stepsPerSecond} | ${row.stepsPerCpuSecond} | ${row.inferenceStepsPerSecond} |`,
      );
  }
  console.log(lines.join('\n'));
}

const commands: Record<string, () => Promise<void> | void> = { throughput, cartpole, fixed, general, report };

if (import.meta.url === `file://${process.argv[1]}`) {
  const cmd = process.argv[2] ?? 'report';
  const run = commands[cmd];
  if (!run) {
    console.error(`usage: node dist/bench/agents.js ${Object.keys(commands).join('|')} [options]`);
    process.exit(2);
  }
  await run();
}
