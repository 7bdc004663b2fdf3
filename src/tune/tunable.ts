/**
 * What the tuner tunes: a search space and a function from settings to a score (lower is
 * better). Mappers (src/tune/mapper-objective.ts) and RL agents (agents/tunable.ts) plug in
 * here; the study, the samplers and `m3e tune` only see this interface.
 */
import { InputError, show } from '../core/errors.js';
import type { ParamSpace } from '../optim/params.js';
import {
  containsValue,
  type Distribution,
  type Distributions,
  plainDistribution,
  type Settings,
} from './space.js';

export interface ProblemScore {
  readonly label: string;
  /** Mean over the repeats. */
  readonly mean: number;
  /** One score per repeat (seed). */
  readonly runs: readonly number[];
}

export interface TuneScore {
  /** Mean over every (problem, repeat) run. */
  readonly mean: number;
  readonly problems: readonly ProblemScore[];
}

export interface Tunable {
  /** What is tuned, for reports ("magma"). */
  readonly name: string;
  /** The hyper-parameters searched. */
  readonly space: Distributions;
  /** Hyper-parameters held at given values (not searched). */
  readonly fixed: Readonly<Settings>;
  /** Runs one score takes (for progress reporting). */
  readonly runsPerScore: number;
  /**
   * The declared defaults as one point of `space`, when they are the same for every problem
   * and inside the searched ranges (so the study can try them first); else null.
   */
  readonly defaultPoint: Readonly<Settings> | null;
  /** The declared defaults as reports show them (a problem-dependent one as its values). */
  readonly defaultsDescription: Readonly<Record<string, unknown>>;
  /**
   * Score of `settings` (the searched values; the fixed ones are added). Runs go pass by pass
   * (every problem's first repeat, then every second repeat...), so a partial score covers
   * the problems evenly. `onRun` is awaited after every run: a caller may yield there, or
   * throw to stop the score; `monitor` then sees the running mean and may throw too (a pruned
   * trial).
   */
  score(settings: Readonly<Settings>, onRun?: OnRun, monitor?: ScoreMonitor): Promise<TuneScore>;
  /** Score of the declared defaults, nothing fixed: the baseline tuning must beat. */
  scoreDefaults(onRun?: OnRun): Promise<TuneScore>;
}

/** Called after each run of a score (progress, and a chance to stop between runs). */
export type OnRun = () => void | Promise<void>;

/** Sees the runs done so far (1, 2, ...) and their mean score after each run. */
export type ScoreMonitor = (runsDone: number, runningMean: number) => void;

/** A user's narrowing of a numeric hyper-parameter's searched range. */
export type RangeOverrides = Readonly<Record<string, readonly [number, number]>>;

/**
 * The searched space of a declared hyper-parameter space: every parameter not fixed, over
 * its tune range (the declared `tuneRange`, else its valid range) or the user's override,
 * which must lie inside the valid range. Text parameters are never searched.
 */
export function tuningSpace(
  owner: string,
  declared: ParamSpace,
  fixed: Readonly<Settings> = {},
  ranges: RangeOverrides = {},
): Distributions {
  const known = Object.keys(declared).join(', ');
  for (const k of [...Object.keys(fixed), ...Object.keys(ranges)]) {
    if (!(k in declared))
      throw new InputError(`${owner}: unknown hyper-parameter ${show(k)} (known: ${known})`);
  }
  for (const [k, v] of Object.entries(fixed)) {
    const spec = declared[k]!;
    if (spec.type === 'text') {
      if (typeof v !== 'string') throw new InputError(`${owner}: fixed ${k} = ${show(v)} must be text`);
      if (k in ranges) throw new InputError(`${owner}: ${k} is text; it takes no range`);
      continue;
    }
    if (!containsValue(plainDistribution(spec), v))
      throw new InputError(`${owner}: fixed ${k} = ${show(v)} is outside its valid range`);
    if (k in ranges) throw new InputError(`${owner}: ${k} is both fixed and given a range`);
  }
  const out: Record<string, Distribution> = {};
  for (const [name, spec] of Object.entries(declared)) {
    if (name in fixed) continue;
    // Text (a path, a name) is not searched: it keeps its default unless fixed.
    if (spec.type === 'text') {
      if (name in ranges) throw new InputError(`${owner}: ${name} is text; it takes no range`);
      continue;
    }
    if (spec.type === 'categorical') {
      if (name in ranges) throw new InputError(`${owner}: ${name} is categorical; it takes no range`);
      if (spec.tune === false) continue;
      out[name] = plainDistribution(spec);
      continue;
    }
    const [low, high] = ranges[name] ?? spec.tuneRange ?? [spec.low, spec.high];
    if (!(low <= high))
      throw new InputError(`${owner}: range of ${name} must have low <= high, got ${low}:${high}`);
    if (low < spec.low || high > spec.high)
      throw new InputError(
        `${owner}: range ${low}:${high} of ${name} leaves its valid range [${spec.low}, ${spec.high}]`,
      );
    if (spec.type === 'int' && (!Number.isInteger(low) || !Number.isInteger(high)))
      throw new InputError(
        `${owner}: ${name} is an integer; its range needs integer ends, got ${low}:${high}`,
      );
    out[name] = { type: spec.type, low, high, log: Boolean(spec.log) };
  }
  if (!Object.keys(out).length)
    throw new InputError(`${owner}: nothing left to tune (every hyper-parameter is fixed)`);
  return out;
}
