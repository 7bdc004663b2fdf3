/**
 * A Tunable as a study objective, with pruning and a budget of runs, and the noise handling
 * that makes the winner trustworthy:
 *  - `tunableObjective`: each trial suggests the searched parameters, scores them, reports
 *    the running mean after every run (`trial.report(mean, runsDone)`) and stops when the
 *    study's pruner says so; it counts the runs spent, pruned trials included, so samplers
 *    can be compared at an equal budget of runs rather than of trials.
 *  - `confirmBest`: the study's best trial is the luckiest draw among many noisy scores
 *    (the winner's curse); the top few trials are scored again on fresh seeds and the one
 *    with the best pooled mean (both scores, weighted by their runs) wins.
 */
import { TrialPruned } from './pruners.js';
import type { Settings } from './space.js';
import type { FrozenTrial, ObjectiveFunction, Study } from './study.js';
import type { OnRun, Tunable, TuneScore } from './tunable.js';

export interface RunCounter {
  /** Runs spent so far by the objective (every trial, pruned ones included). */
  runs: number;
}

export interface TunableObjectiveOptions {
  /** Report and ask the pruner after each run (default true). */
  readonly prune?: boolean;
  readonly counter?: RunCounter;
  readonly onRun?: () => void;
}

export function tunableObjective(tunable: Tunable, options: TunableObjectiveOptions = {}): ObjectiveFunction {
  const counter = options.counter ?? { runs: 0 };
  const prune = options.prune ?? true;
  return async (trial) => {
    const settings = trial.suggestAll(tunable.space);
    const score = await tunable.score(
      settings,
      () => {
        counter.runs++;
        options.onRun?.();
      },
      prune
        ? (done, mean) => {
            trial.report(mean, done);
            // After the last run the score is complete: nothing left to save.
            if (done < tunable.runsPerScore && trial.shouldPrune())
              throw new TrialPruned(`pruned after ${done} of ${tunable.runsPerScore} runs`);
          }
        : undefined,
    );
    trial.setUserAttr(
      'problems',
      score.problems.map((p) => p.mean),
    );
    return score.mean;
  };
}

export interface Confirmed {
  readonly trial: number;
  readonly params: Readonly<Settings>;
  /** The study's score, the confirmation score on fresh seeds, and the two pooled. */
  readonly value: number;
  readonly confirm: number;
  readonly pooled: number;
}

export interface ConfirmResult {
  readonly chosen: Confirmed;
  /** Every re-scored trial, best pooled first. */
  readonly candidates: readonly Confirmed[];
}

function runsOf(s: TuneScore): number {
  return s.problems.reduce((n, p) => n + p.runs.length, 0);
}

/**
 * Re-scores the `top` best complete trials (and the trials in `always`, e.g. the defaults)
 * with `confirm` (the same problems on other seeds) and picks the best pooled mean. Only
 * for minimised studies.
 */
export async function confirmBest(
  study: Study,
  confirm: Tunable,
  options: { top?: number; always?: readonly number[]; trainRuns: number; onRun?: OnRun },
): Promise<ConfirmResult> {
  if (study.direction !== 'minimize') throw new RangeError('confirmBest: only minimised studies');
  const top = options.top ?? 5;
  const complete = study.trials.filter((t) => t.state === 'complete').sort((a, b) => a.value! - b.value!);
  const picked = new Map<number, FrozenTrial>();
  for (const t of complete.slice(0, top)) picked.set(t.number, t);
  for (const n of options.always ?? []) {
    const t = study.trials[n];
    if (t && t.state === 'complete') picked.set(n, t);
  }
  if (!picked.size) throw new RangeError('confirmBest: no complete trial');
  const out: Confirmed[] = [];
  for (const t of picked.values()) {
    const settings: Settings = {};
    for (const k of Object.keys(confirm.space)) settings[k] = t.params[k]!;
    const c = await confirm.score(settings, options.onRun);
    const r = runsOf(c);
    const pooled = (t.value! * options.trainRuns + c.mean * r) / (options.trainRuns + r);
    out.push({ trial: t.number, params: t.params, value: t.value!, confirm: c.mean, pooled });
  }
  out.sort((a, b) => a.pooled - b.pooled || a.trial - b.trial);
  return { chosen: out[0]!, candidates: out };
}
