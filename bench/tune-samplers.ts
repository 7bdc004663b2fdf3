/**
 * Does TPE or GP with pruning beat random search at an equal tuning budget, on MAGMA over
 * held-out problems? Every arm tunes MAGMA's declared hyper-parameters on the training set
 * of bench/tune-magma (4 synthetic 100-job tables) with the same budget of MAGMA runs (one
 * run: one search of `--evals` evaluated mappings on one problem; pruned trials count the
 * runs they made), for each of 5 study seeds. The declared defaults are trial 0 of every
 * study. Each arm then applies the same noise handling: the 3 best trials and the defaults
 * are scored again on fresh seeds (counted in the budget) and the best pooled mean wins.
 * The winner and the defaults are scored on the 4 held-out tables with `--holdout-repeats`
 * seeds each, the same seeds for every arm and study (so held-out scores are paired).
 *
 * Run: npm run build && node dist/bench/tune-samplers.js [--jobs 2] [--seeds 1,2,3,4,5]
 *        [--budget-runs 800] [--evals 5000] [--repeats 4] [--holdout-repeats 8]
 *        [--arms random,random+asha,tpe,tpe+asha,tpe+median,gp+asha] [--out bench/results/tune-samplers]
 * Each (arm, seed) runs in its own process (`--jobs` at a time) and is cached under
 * runs/tune-samplers/ (delete it to start over); the summary is written to OUT.md and OUT.json.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProblemSet } from '../app/cli/tune-problems.js';
import { median } from '../src/report/bootstrap.js';
import { mannWhitneyU, wilcoxonSignedRank } from '../src/report/significance.js';
import { mapperTunable } from '../src/tune/mapper-objective.js';
import { medianPruner, type Pruner, successiveHalvingPruner } from '../src/tune/pruners.js';
import { gainInterval } from '../src/tune/report.js';
import { gpSampler } from '../src/tune/samplers/gp-bo.js';
import { randomSampler } from '../src/tune/samplers/random.js';
import type { Sampler } from '../src/tune/samplers/sampler.js';
import { tpeSampler } from '../src/tune/samplers/tpe.js';
import type { Settings } from '../src/tune/space.js';
import { createStudy } from '../src/tune/study.js';
import { confirmBest, tunableObjective } from '../src/tune/tunable-objective.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TRAIN = join(ROOT, 'bench/tune-magma/train.json');
const HOLDOUT = join(ROOT, 'bench/tune-magma/holdout.json');
/** Seed of the held-out runs: one for every arm and study, so their scores pair up. */
const HOLDOUT_SEED = 1000;
/** Trials re-scored on fresh seeds before choosing (plus the defaults). */
const CONFIRM_TOP = 3;

interface Config {
  readonly budgetRuns: number;
  readonly evals: number;
  readonly repeats: number;
  readonly holdoutRepeats: number;
}

interface JobResult {
  arm: string;
  seed: number;
  trials: number;
  pruned: number;
  tuningRuns: number;
  confirmRuns: number;
  seconds: number;
  bestTrial: number;
  chosenTrial: number;
  chosen: Settings;
  trainBest: number;
  holdoutBest: number;
  holdoutChosen: number;
  holdoutDefault: number;
  gain: { estimate: number; low: number; high: number };
}

/** Arms: sampler and pruner. ASHA rungs start after one pass over the problems. */
function arm(name: string, problems: number): { sampler: Sampler; pruner: Pruner | null } {
  const [s, p] = name.split('+') as [string, string | undefined];
  const sampler =
    s === 'random' ? randomSampler() : s === 'tpe' ? tpeSampler() : s === 'gp' ? gpSampler() : null;
  if (!sampler) throw new Error(`unknown sampler in arm ${name}`);
  const pruner =
    p === undefined
      ? null
      : p === 'asha'
        ? successiveHalvingPruner({ minResource: problems, reductionFactor: 2 })
        : p === 'median'
          ? medianPruner({ startupTrials: 5, warmupSteps: problems, compare: 'last' })
          : null;
  if (p !== undefined && !pruner) throw new Error(`unknown pruner in arm ${name}`);
  return { sampler, pruner };
}

async function runJob(armName: string, seed: number, c: Config): Promise<JobResult> {
  const t0 = performance.now();
  const train = loadProblemSet(TRAIN, 'train');
  const holdout = loadProblemSet(HOLDOUT, 'holdout');
  const common = { optimizer: 'magma', budget: c.evals, seed };
  const tunable = mapperTunable({ ...common, problems: train, repeats: c.repeats, set: 'train' });
  const confirm = mapperTunable({ ...common, problems: train, repeats: c.repeats, set: 'confirm' });
  const held = mapperTunable({
    optimizer: 'magma',
    budget: c.evals,
    seed: HOLDOUT_SEED,
    problems: holdout,
    repeats: c.holdoutRepeats,
    set: 'holdout',
  });
  const { sampler, pruner } = arm(armName, train.length);
  const study = createStudy({ sampler, seed, space: tunable.space, ...(pruner ? { pruner } : {}) });
  if (tunable.defaultPoint) study.enqueueTrial(tunable.defaultPoint);
  const counter = { runs: 0 };
  // The confirmation's runs come out of the same budget.
  const reserve = (CONFIRM_TOP + 1) * tunable.runsPerScore;
  await study.optimize(tunableObjective(tunable, { prune: pruner !== null, counter }), {
    nTrials: 100_000,
    stop: () => counter.runs >= c.budgetRuns - reserve,
  });
  const tuningRuns = counter.runs;
  const confirmCounter = { runs: 0 };
  const confirmed = await confirmBest(study, confirm, {
    top: CONFIRM_TOP,
    always: [0],
    trainRuns: tunable.runsPerScore,
    onRun: () => {
      confirmCounter.runs++;
    },
  });
  const best = study.bestTrial!;
  const pick = (params: Settings): Settings =>
    Object.fromEntries(Object.keys(held.space).map((k) => [k, params[k]!]));
  const hDefault = await held.scoreDefaults();
  const hChosen = await held.score(pick(confirmed.chosen.params));
  const hBest = confirmed.chosen.trial === best.number ? hChosen : await held.score(pick(best.params));
  return {
    arm: armName,
    seed,
    trials: study.trials.length,
    pruned: study.trials.filter((t) => t.state === 'pruned').length,
    tuningRuns,
    confirmRuns: confirmCounter.runs,
    seconds: (performance.now() - t0) / 1000,
    bestTrial: best.number,
    chosenTrial: confirmed.chosen.trial,
    chosen: confirmed.chosen.params as Settings,
    trainBest: best.value!,
    holdoutBest: hBest.mean,
    holdoutChosen: hChosen.mean,
    holdoutDefault: hDefault.mean,
    gain: gainInterval(hChosen, hDefault, { seed: 1 }),
  };
}

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      out[a.slice(2)] = argv[i + 1] && !argv[i + 1]!.startsWith('--') ? argv[++i]! : 'true';
    }
  }
  return out;
}

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

function summarise(results: JobResult[], arms: string[], c: Config, wall: number | null): string {
  const md: string[] = [];
  const byArm = new Map(
    arms.map((a) => [a, results.filter((r) => r.arm === a).sort((x, y) => x.seed - y.seed)]),
  );
  const seeds = [...new Set(results.map((r) => r.seed))].sort((a, b) => a - b);
  const def = results[0]!.holdoutDefault;
  md.push(
    '# Tuning MAGMA: samplers and pruning at an equal budget',
    '',
    'Command (rerun; results cached per arm and seed under runs/tune-samplers/):',
    '',
    '```sh',
    `npm run build && node dist/bench/tune-samplers.js --jobs 2 --seeds ${seeds.join(',')} --budget-runs ${c.budgetRuns} \\`,
    `  --evals ${c.evals} --repeats ${c.repeats} --holdout-repeats ${c.holdoutRepeats} --arms ${arms.join(',')}`,
    '```',
    '',
    `MAGMA's 8 declared hyper-parameters (population, elite and parent ratios, the three crossover rates, mutation rate, init) ` +
      `tuned on the 4 training tables of \`bench/tune-magma/train.json\` (synthetic, 100 jobs, 4 or 8 cores, bandwidth ratio 0.25-4). ` +
      `Score of a setting: mean makespan / lower bound over the 4 tables x ${c.repeats} seeds at ${c.evals} evaluations per run ` +
      `(the same seeds for every trial of a study). Budget: ${c.budgetRuns} MAGMA runs per study, the confirmation of the ` +
      `${CONFIRM_TOP} best trials and the defaults on fresh seeds included; the defaults are trial 0. Held-out: the 4 tables of ` +
      `\`bench/tune-magma/holdout.json\` x ${c.holdoutRepeats} seeds, the same seeds for every arm and study (defaults there: ${def.toFixed(4)}). ` +
      `ASHA: rungs after 4, 8 runs (one and two passes over the problems), eta 2; median: from the first full pass on, against the complete trials at the same step. ` +
      `${seeds.length} study seeds per arm; ${results.length} studies, ${(results.reduce((s, r) => s + r.seconds, 0) / 60).toFixed(1)} CPU-minutes` +
      (wall !== null ? `, ${(wall / 60).toFixed(1)} minutes wall with the workers given.` : '.'),
    '',
    '| arm | held-out score (median over seeds) | min - max | makespan saved vs defaults (median) | trials (median) | pruned (median) | runs (median) |',
    '|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const [a, rs] of byArm) {
    if (!rs.length) continue;
    const h = rs.map((r) => r.holdoutChosen);
    md.push(
      `| ${a} | ${median(h).toFixed(4)} | ${Math.min(...h).toFixed(4)} - ${Math.max(...h).toFixed(4)} | ${pct(median(rs.map((r) => r.gain.estimate)))} | ` +
        `${median(rs.map((r) => r.trials))} | ${median(rs.map((r) => r.pruned))} | ${median(rs.map((r) => r.tuningRuns + r.confirmRuns))} |`,
    );
  }
  const base = byArm.get('random') ?? [];
  if (base.length) {
    md.push(
      '',
      'Against random search (no pruning), held-out scores of the 5 studies: Mann-Whitney (unpaired) and Wilcoxon signed-rank ' +
        '(paired by study seed: the same training seeds) p-values, two-sided; with 5 seeds the signed-rank test cannot go below p = 0.0625.',
      '',
      '| arm | median difference to random | Mann-Whitney p | signed-rank p | studies better than random (same seed) |',
      '|---|---:|---:|---:|---:|',
    );
    for (const [a, rs] of byArm) {
      if (a === 'random' || rs.length !== base.length) continue;
      const x = rs.map((r) => r.holdoutChosen);
      const y = base.map((r) => r.holdoutChosen);
      md.push(
        `| ${a} | ${(median(x) - median(y)).toFixed(4)} | ${mannWhitneyU(x, y).p.toFixed(3)} | ${wilcoxonSignedRank(x, y).p.toFixed(3)} | ` +
          `${x.filter((v, i) => v < y[i]!).length}/${x.length} |`,
      );
    }
  }
  md.push(
    '',
    '## Every study',
    '',
    "Held-out: the chosen setting (after confirmation) and, for comparison, the study's best trial as it stood; " +
      'gain: makespan saved by the chosen setting over the defaults on the held-out runs, with its 95 % stratified bootstrap interval (runs paired by seed).',
    '',
    '| arm | seed | trials | pruned | runs | best trial (train score) | chosen trial | held-out chosen | held-out best trial | gain [95 % CI] |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const rs of byArm.values())
    for (const r of rs)
      md.push(
        `| ${r.arm} | ${r.seed} | ${r.trials} | ${r.pruned} | ${r.tuningRuns} + ${r.confirmRuns} | ${r.bestTrial} (${r.trainBest.toFixed(4)}) | ${r.chosenTrial} | ` +
          `${r.holdoutChosen.toFixed(4)} | ${r.holdoutBest.toFixed(4)} | ${pct(r.gain.estimate)} [${pct(r.gain.low)}, ${pct(r.gain.high)}] |`,
      );
  md.push('', '## Chosen settings', '', '| arm | seed | settings |', '|---|---:|---|');
  for (const rs of byArm.values())
    for (const r of rs)
      md.push(
        `| ${r.arm} | ${r.seed} | ${Object.entries(r.chosen)
          .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(3) : v}`)
          .join(', ')} |`,
      );
  return `${md.join('\n')}\n`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const c: Config = {
    budgetRuns: Number(args['budget-runs'] ?? 800),
    evals: Number(args.evals ?? 5000),
    repeats: Number(args.repeats ?? 4),
    holdoutRepeats: Number(args['holdout-repeats'] ?? 8),
  };
  if (args.one) {
    const [a, s] = args.one.split(':') as [string, string];
    process.stdout.write(`${JSON.stringify(await runJob(a, Number(s), c))}\n`);
    return;
  }
  const arms = (args.arms ?? 'random,random+asha,tpe,tpe+asha,tpe+median,gp+asha').split(',');
  const seeds = (args.seeds ?? '1,2,3,4,5').split(',').map(Number);
  const jobs = Number(args.jobs ?? Math.min(2, cpus().length));
  const out = args.out ?? join(ROOT, 'bench/results/tune-samplers');
  const cache = join(ROOT, 'runs/tune-samplers');
  mkdirSync(cache, { recursive: true });
  const key = `b${c.budgetRuns}-e${c.evals}-r${c.repeats}-h${c.holdoutRepeats}`;
  const todo = arms.flatMap((a) => seeds.map((s) => ({ a, s, file: join(cache, `${key}-${a}-${s}.json`) })));
  const t0 = performance.now();
  const queue = todo.filter((j) => !existsSync(j.file));
  const fresh = queue.length === todo.length;
  const worker = async () => {
    for (let j = queue.shift(); j; j = queue.shift()) {
      const { a, s, file } = j;
      const text = await new Promise<string>((done, fail) => {
        const child = fork(fileURLToPath(import.meta.url), ['--one', `${a}:${s}`, ...process.argv.slice(2)], {
          stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
        });
        let buf = '';
        child.stdout!.on('data', (d) => {
          buf += d;
        });
        child.on('exit', (code) => (code === 0 ? done(buf) : fail(new Error(`${a}:${s} exited ${code}`))));
      });
      writeFileSync(file, text);
      const r = JSON.parse(text) as JobResult;
      process.stderr.write(
        `${a} seed ${s}: ${r.trials} trials (${r.pruned} pruned), held-out ${r.holdoutChosen.toFixed(4)} (default ${r.holdoutDefault.toFixed(4)}), ${r.seconds.toFixed(0)} s\n`,
      );
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  const wall = (performance.now() - t0) / 1000;
  const results = todo.map((j) => JSON.parse(readFileSync(j.file, 'utf8')) as JobResult);
  writeFileSync(`${out}.json`, `${JSON.stringify({ config: c, arms, seeds, results }, null, 1)}\n`);
  writeFileSync(`${out}.md`, summarise(results, arms, c, fresh ? wall : null));
  process.stderr.write(`wrote ${out}.md and ${out}.json (${(wall / 60).toFixed(1)} min)\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
