/**
 * Tuning a mapper (a registered optimiser): the score of a setting is the mean of
 * makespan / lower bound over a set of problems, each searched `repeats` times at a fixed
 * evaluation budget.
 *
 * Common random numbers: run (problem p, repeat r) always gets the same optimiser seed,
 * derived from (seed, set name, p, label, r), whatever the settings or the trial. Two trials
 * then differ only by their settings, not by luck of the draw, which makes the comparison
 * far less noisy (and a resumed study reproduces its scores exactly). Training and held-out
 * sets are named differently, so they draw different seeds.
 */
import { Rng } from '../core/rng.js';
import type { ParamSpace } from '../optim/params.js';
import { defaultValue } from '../optim/params.js';
import { createOptimizer, getOptimizerSpec } from '../optim/registry.js';
import { makespanObjective, runSearchAsync } from '../optim/search.js';
import type { TuneProblem } from './problems.js';
import { containsValue, type Distributions, type ParamValue, type Settings } from './space.js';
import { type OnRun, type RangeOverrides, type Tunable, type TuneScore, tuningSpace } from './tunable.js';

export interface MapperTunableOptions {
  readonly optimizer: string;
  readonly problems: readonly TuneProblem[];
  /** Evaluations per run. */
  readonly budget: number;
  /** Runs (seeds) per problem. */
  readonly repeats: number;
  readonly seed: number;
  /** Names the problem set in the run seeds ("train", "holdout"). */
  readonly set: string;
  readonly fixed?: Readonly<Settings>;
  readonly ranges?: RangeOverrides;
}

/** The optimiser seed of run (problem index, repeat) of a problem set. */
export function runSeed(
  seed: number,
  set: string,
  problemIndex: number,
  label: string,
  repeat: number,
): number {
  return new Rng(seed).fork(`${set}/${problemIndex}/${label}/${repeat}`).uint32();
}

export function mapperTunable(o: MapperTunableOptions): Tunable {
  const spec = getOptimizerSpec(o.optimizer);
  if (!Number.isInteger(o.budget) || o.budget < 1)
    throw new RangeError(`budget must be >= 1, got ${o.budget}`);
  const objectives = new Map(o.problems.map((p) => [p.table, makespanObjective(p.table)] as const));
  return scoredTunable({
    ...o,
    name: spec.name,
    params: spec.params,
    run: async (params, problem, seed) => {
      const opt = createOptimizer(spec.name, problem.table, seed, params);
      // Asynchronous: signals and timers run during a long run (the result is runSearch's).
      return (
        (await runSearchAsync(objectives.get(problem.table)!, opt, { budget: o.budget })).cost /
        problem.lowerBound
      );
    },
  });
}

export interface ScoredTunableOptions {
  /** What is tuned ("magma", "ppo"). */
  readonly name: string;
  readonly params: ParamSpace;
  /**
   * One run: the makespan / lower bound reached on `problem` with hyper-parameters `params`
   * (the searched ones and the fixed ones; missing ones take their declared defaults), seeded.
   */
  readonly run: (
    params: Readonly<Record<string, unknown>>,
    problem: TuneProblem,
    seed: number,
  ) => number | Promise<number>;
  readonly problems: readonly TuneProblem[];
  readonly repeats: number;
  readonly seed: number;
  readonly set: string;
  readonly fixed?: Readonly<Settings>;
  readonly ranges?: RangeOverrides;
}

/**
 * A Tunable scoring any hyper-parameter space by mean makespan / lower bound over problems
 * x repeats, with the same run seeds for every trial (common random numbers). Optimisers
 * (mapperTunable) and RL agents (the CLI passes a run that trains and rolls out) share it.
 */
export function scoredTunable(o: ScoredTunableOptions): Tunable {
  if (!Number.isInteger(o.repeats) || o.repeats < 1)
    throw new RangeError(`repeats must be >= 1, got ${o.repeats}`);
  if (!o.problems.length) throw new RangeError(`${o.name}: tuning needs at least one problem`);
  const fixed = { ...(o.fixed ?? {}) };
  const space = tuningSpace(o.name, o.params, fixed, o.ranges ?? {});
  const seeds = o.problems.map((p, i) =>
    Array.from({ length: o.repeats }, (_, r) => runSeed(o.seed, o.set, i, p.label, r)),
  );

  const run = async (params: Readonly<Record<string, unknown>>, onRun?: OnRun): Promise<TuneScore> => {
    const problems = [];
    for (const [i, p] of o.problems.entries()) {
      const runs: number[] = [];
      for (const s of seeds[i]!) {
        runs.push(await o.run(params, p, s));
        await onRun?.();
      }
      problems.push({ label: p.label, mean: mean(runs), runs });
    }
    return { mean: mean(problems.flatMap((p) => p.runs)), problems };
  };

  return {
    name: o.name,
    space,
    fixed,
    runsPerScore: o.problems.length * o.repeats,
    defaultPoint: commonDefaults(o.params, space, o.problems),
    defaultsDescription: describeDefaults(o.params, o.problems),
    score: (settings, onRun) => run({ ...fixed, ...settings }, onRun),
    scoreDefaults: (onRun) => run({}, onRun),
  };
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** The defaults of the searched parameters if equal on every problem and inside the space. */
function commonDefaults(
  declared: ParamSpace,
  space: Distributions,
  problems: readonly TuneProblem[],
): Settings | null {
  const out: Settings = {};
  for (const [name, d] of Object.entries(space)) {
    const values = new Set(problems.map((p) => defaultValue(declared[name]!, p.table)));
    if (values.size !== 1) return null;
    const v = [...values][0]!;
    if (!containsValue(d, v)) return null;
    out[name] = v;
  }
  return out;
}

function describeDefaults(declared: ParamSpace, problems: readonly TuneProblem[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const values = [...new Set(problems.map((p) => defaultValue(spec, p.table)))] as ParamValue[];
    out[name] = values.length === 1 ? values[0] : values;
  }
  return out;
}
