/**
 * Pruners stop hopeless trials early, as Optuna's do. An objective reports intermediate
 * values (`trial.report(value, step)`: for a tuned mapper, the running mean score after each
 * run, the runs in the same order for every trial) and asks `trial.shouldPrune()`; when that
 * says yes it throws `TrialPruned`, and the study records the trial as pruned with its last
 * reported value. A pruned trial costs the runs it made, not the full score.
 *
 *  - median: prune when the trial's value at a step is worse than the median of the complete
 *    trials' values at that step (Optuna's MedianPruner, with its defaults: 5 startup trials,
 *    no warm-up, every step). Optuna compares the trial's best value over its steps, which
 *    suits learning curves that improve with steps; `compare: 'last'` compares the value at
 *    the step itself, which suits running means over problems of unequal difficulty.
 *  - successive halving (ASHA, Li et al. 2020, as Optuna implements it): rungs at
 *    minResource x eta^(minEarlyStoppingRate + r) steps; a trial reaching a rung is promoted
 *    only if its value there is in the best 1/eta of all trials that reached the rung (the
 *    best one while fewer than eta have), else pruned. Its rung values are kept with the
 *    trial (system attributes `rung_<r>`), so a resumed study prunes as the first run did.
 *
 * Pruning decisions depend only on the finished trials and the trial's own reports, so a
 * study stays reproducible and resumable.
 */
import { InputError, show } from '../core/errors.js';
import type { Direction, FrozenTrial } from './storage.js';

/** Thrown by an objective to stop its trial; the study records it as pruned. */
export class TrialPruned extends Error {
  override readonly name = 'TrialPruned';
  constructor(message = 'trial pruned') {
    super(message);
  }
}

export interface PruneContext {
  readonly direction: Direction;
  /** The study's finished trials. */
  readonly trials: readonly FrozenTrial[];
  /** The running trial's reports, by step. */
  readonly intermediateValues: ReadonlyMap<number, number>;
  /** The running trial's system attributes (a pruner may record its state there). */
  readonly systemAttrs: Record<string, unknown>;
}

export interface Pruner {
  readonly name: string;
  /** JSON configuration, recorded with the study (a resume with another pruner is refused). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Should the running trial stop after its latest report? */
  prune(ctx: PruneContext): boolean;
}

function lastStep(values: ReadonlyMap<number, number>): number | null {
  let last: number | null = null;
  for (const s of values.keys()) if (last === null || s > last) last = s;
  return last;
}

function stepValue(t: FrozenTrial, step: number): number | undefined {
  return t.intermediateValues[String(step)];
}

function medianOf(xs: number[]): number {
  xs.sort((a, b) => a - b);
  const n = xs.length;
  return n % 2 ? xs[(n - 1) / 2]! : 0.5 * (xs[n / 2 - 1]! + xs[n / 2]!);
}

export interface MedianPrunerOptions {
  /** No pruning until this many trials are complete (default 5). */
  readonly startupTrials?: number;
  /** No pruning before this step (default 0). */
  readonly warmupSteps?: number;
  /** Prune only at every this many steps after the warm-up (default 1). */
  readonly intervalSteps?: number;
  /** Complete trials with a value at the step needed to compare (default 1). */
  readonly minTrials?: number;
  /** The trial's best value over its steps (Optuna) or its value at the step (default 'best'). */
  readonly compare?: 'best' | 'last';
}

function checkCount(what: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min)
    throw new InputError(`${what} must be an integer >= ${min}, got ${show(v)}`);
}

export function medianPruner(options: MedianPrunerOptions = {}): Pruner {
  const startupTrials = options.startupTrials ?? 5;
  const warmupSteps = options.warmupSteps ?? 0;
  const intervalSteps = options.intervalSteps ?? 1;
  const minTrials = options.minTrials ?? 1;
  const compare = options.compare ?? 'best';
  checkCount('median pruner startupTrials', startupTrials, 0);
  checkCount('median pruner warmupSteps', warmupSteps, 0);
  checkCount('median pruner intervalSteps', intervalSteps, 1);
  checkCount('median pruner minTrials', minTrials, 1);
  if (compare !== 'best' && compare !== 'last')
    throw new InputError(`median pruner compare must be "best" or "last", got ${show(compare)}`);
  return {
    name: 'median',
    config: { startupTrials, warmupSteps, intervalSteps, minTrials, compare },
    prune({ direction, trials, intermediateValues }) {
      const complete = trials.filter((t) => t.state === 'complete');
      if (complete.length === 0 || complete.length < startupTrials) return false;
      const step = lastStep(intermediateValues);
      if (step === null || step < warmupSteps) return false;
      if ((step - warmupSteps) % intervalSteps !== 0) return false;
      const sign = direction === 'minimize' ? 1 : -1;
      let mine = intermediateValues.get(step)!;
      if (compare === 'best')
        for (const v of intermediateValues.values()) if (sign * v < sign * mine) mine = v;
      if (Number.isNaN(mine)) return true;
      const others = complete.map((t) => stepValue(t, step)).filter((v): v is number => v !== undefined);
      if (others.length < minTrials) return false;
      return sign * mine > sign * medianOf(others);
    },
  };
}

export interface SuccessiveHalvingOptions {
  /** Steps before the first rung (default 1). */
  readonly minResource?: number;
  /** eta: rungs grow, and survivors shrink, by this factor (default 4). */
  readonly reductionFactor?: number;
  /** s: the first rung is at minResource x eta^s (default 0). */
  readonly minEarlyStoppingRate?: number;
}

const rungKey = (r: number) => `rung_${r}`;

export function successiveHalvingPruner(options: SuccessiveHalvingOptions = {}): Pruner {
  const minResource = options.minResource ?? 1;
  const eta = options.reductionFactor ?? 4;
  const rate = options.minEarlyStoppingRate ?? 0;
  checkCount('successive halving minResource', minResource, 1);
  checkCount('successive halving reductionFactor', eta, 2);
  checkCount('successive halving minEarlyStoppingRate', rate, 0);
  return {
    name: 'successive-halving',
    config: { minResource, reductionFactor: eta, minEarlyStoppingRate: rate },
    prune({ direction, trials, intermediateValues, systemAttrs }) {
      const step = lastStep(intermediateValues);
      if (step === null) return false;
      const value = intermediateValues.get(step)!;
      let rung = 0;
      while (systemAttrs[rungKey(rung)] !== undefined) rung++;
      for (;;) {
        const promotionStep = minResource * eta ** (rate + rung);
        if (step < promotionStep) return false;
        if (Number.isNaN(value)) return true;
        const key = rungKey(rung);
        systemAttrs[key] = value;
        const competing = [value];
        for (const t of trials) {
          const v = t.systemAttrs[key];
          if (typeof v === 'number') competing.push(v);
        }
        if (!promotable(value, competing, eta, direction)) return true;
        rung++;
      }
    },
  };
}

/** In the best 1/eta of the rung (the best one while fewer than eta trials reached it). */
function promotable(value: number, competing: number[], eta: number, direction: Direction): boolean {
  let idx = Math.floor(competing.length / eta) - 1;
  if (idx === -1) idx = 0;
  competing.sort((a, b) => a - b);
  return direction === 'maximize'
    ? value >= competing[competing.length - 1 - idx]!
    : value <= competing[idx]!;
}

/** A pruner from its recorded name and configuration (CLI flags, a stored study). */
export function prunerFromConfig(name: string, config: Readonly<Record<string, unknown>> = {}): Pruner {
  if (name === 'median') return medianPruner(config as MedianPrunerOptions);
  if (name === 'successive-halving' || name === 'asha')
    return successiveHalvingPruner(config as SuccessiveHalvingOptions);
  throw new InputError(`unknown pruner ${show(name)} (known: median, successive-halving)`);
}
