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
import { makespanObjective, type Objective, runSearch } from '../optim/search.js';
import type { TuneProblem } from './problems.js';
import { containsValue, type Distributions, type ParamValue, type Settings } from './space.js';
import { type RangeOverrides, type Tunable, type TuneScore, tuningSpace } from './tunable.js';

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
  if (!Number.isInteger(o.repeats) || o.repeats < 1)
    throw new RangeError(`repeats must be >= 1, got ${o.repeats}`);
  if (!o.problems.length) throw new RangeError('mapperTunable needs at least one problem');
  const fixed = { ...(o.fixed ?? {}) };
  const space = tuningSpace(spec.name, spec.params, fixed, o.ranges ?? {});
  const objectives: Objective[] = o.problems.map((p) => makespanObjective(p.table));
  const seeds = o.problems.map((p, i) =>
    Array.from({ length: o.repeats }, (_, r) => runSeed(o.seed, o.set, i, p.label, r)),
  );

  const run = async (params: Readonly<Record<string, unknown>>, onRun?: () => void): Promise<TuneScore> => {
    const problems = o.problems.map((p, i) => {
      const runs = seeds[i]!.map((s) => {
        const opt = createOptimizer(spec.name, p.table, s, params);
        const res = runSearch(objectives[i]!, opt, { budget: o.budget });
        onRun?.();
        return res.cost / p.lowerBound;
      });
      return { label: p.label, mean: mean(runs), runs };
    });
    return { mean: mean(problems.flatMap((p) => p.runs)), problems };
  };

  return {
    name: spec.name,
    space,
    fixed,
    runsPerScore: o.problems.length * o.repeats,
    defaultPoint: commonDefaults(spec.params, space, o.problems),
    defaultsDescription: describeDefaults(spec.params, o.problems),
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
