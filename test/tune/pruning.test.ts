// Pruning in the Optuna shape (trial.report / shouldPrune / TrialPruned), the median and
// successive-halving pruners on hand-made sequences, resumable study files, and the tuning
// helpers built on them (budgets of runs, confirmation on fresh seeds, importance, gains).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lowerBound } from '../../src/core/bounds.js';
import { synthTable } from '../../src/core/synth.js';
import type { ParamSpace } from '../../src/optim/params.js';
import { historyChart } from '../../src/report/charts/history.js';
import { parameterImportance } from '../../src/tune/importance.js';
import { scoredTunable } from '../../src/tune/mapper-objective.js';
import { medianPruner, successiveHalvingPruner } from '../../src/tune/pruners.js';
import { gainInterval, tuneCharts } from '../../src/tune/report.js';
import { gpSampler } from '../../src/tune/samplers/gp-bo.js';
import { randomSampler } from '../../src/tune/samplers/random.js';
import { imputePrunedLoss, type Observation } from '../../src/tune/samplers/sampler.js';
import { tpeSampler } from '../../src/tune/samplers/tpe.js';
import { createStudy, type FrozenTrial, type Trial, TrialPruned } from '../../src/tune/study.js';
import { confirmBest, tunableObjective } from '../../src/tune/tunable-objective.js';

const dir = mkdtempSync(join(tmpdir(), 'm3e-prune-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Trial t reports values[t] at steps 1..4 and returns it, pruning when told. */
function constantCurves(values: readonly number[]) {
  return async (trial: Trial) => {
    trial.suggestFloat('x', 0, 1);
    const v = values[trial.number]!;
    for (let step = 1; step <= 4; step++) {
      trial.report(v, step);
      if (trial.shouldPrune()) throw new TrialPruned();
    }
    return v;
  };
}

describe('successive halving (ASHA)', () => {
  it('promotes the best 1/eta at each rung (steps 1, 2, 4 with eta 2)', async () => {
    const study = createStudy({
      sampler: randomSampler(),
      seed: 1,
      pruner: successiveHalvingPruner({ minResource: 1, reductionFactor: 2 }),
    });
    await study.optimize(constantCurves([3, 1, 2, 5, 0.5]), { nTrials: 5 });
    // t2 (2) at rung 0 among {3, 1, 2}: only the best 1 of 3 goes on -> pruned; t3 likewise
    // (2 of 4 go on: 1 and 2); t4 (0.5) is the best everywhere.
    expect(study.trials.map((t) => t.state)).toEqual([
      'complete',
      'complete',
      'pruned',
      'pruned',
      'complete',
    ]);
    expect(study.trials[2]!.value).toBe(2);
    expect(study.trials[2]!.intermediateValues).toEqual({ '1': 2 });
    expect(study.trials[0]!.systemAttrs).toMatchObject({ rung_0: 3, rung_1: 3, rung_2: 3 });
    expect(study.trials[3]!.systemAttrs.rung_1).toBeUndefined();
    expect(study.bestTrial!.number).toBe(4);
  });
});

describe('median pruner', () => {
  it("prunes a trial worse than the complete trials' median at a step, after the startup trials", async () => {
    const study = createStudy({
      sampler: randomSampler(),
      seed: 1,
      pruner: medianPruner({ startupTrials: 3 }),
    });
    // Median of the complete trials (1, 2, 3): 2, so 2.5 goes; then of (1, 2, 3, 1.5): 1.75,
    // so 1.5 stays and 2 goes.
    await study.optimize(constantCurves([1, 2, 3, 2.5, 1.5, 2]), { nTrials: 6 });
    expect(study.trials.map((t) => t.state)).toEqual([
      'complete',
      'complete',
      'complete',
      'pruned',
      'complete',
      'pruned',
    ]);
    // The pruned trial stopped at its first step, with that value.
    expect(study.trials[3]!.intermediateValues).toEqual({ '1': 2.5 });
    expect(study.trials[3]!.value).toBe(2.5);
  });

  it("'best' compares the trial's best step (Optuna), 'last' the step itself", () => {
    const done = (values: Record<string, number>): FrozenTrial => ({
      number: 0,
      state: 'complete',
      params: {},
      distributions: {},
      value: 0,
      intermediateValues: values,
      error: null,
      seconds: 0,
      samplerSeconds: 0,
      userAttrs: {},
      systemAttrs: {},
    });
    const trials = [done({ '1': 1, '2': 3 })];
    // A curve at 0.5 then 4: its best (0.5) beats the median 3 at step 2, its last (4) does not.
    const reports = new Map([
      [1, 0.5],
      [2, 4],
    ]);
    const ctx = { direction: 'minimize' as const, trials, intermediateValues: reports, systemAttrs: {} };
    expect(medianPruner({ startupTrials: 1 }).prune(ctx)).toBe(false);
    expect(medianPruner({ startupTrials: 1, compare: 'last' }).prune(ctx)).toBe(true);
    expect(medianPruner({ startupTrials: 2 }).prune(ctx)).toBe(false);
  });
});

describe('study files with pruning', () => {
  it('a pruned study resumes identically; another pruner is refused; old files still load', async () => {
    const values = [3, 1, 2, 5, 0.5, 4, 0.8, 2.2];
    const pruner = () => successiveHalvingPruner({ reductionFactor: 2 });
    const full = createStudy({
      sampler: tpeSampler({ startup: 3 }),
      seed: 2,
      pruner: pruner(),
      storage: join(dir, 'f.jsonl'),
    });
    await full.optimize(constantCurves(values), { nTrials: 8 });
    const cut = join(dir, 'c.jsonl');
    const a = createStudy({ sampler: tpeSampler({ startup: 3 }), seed: 2, pruner: pruner(), storage: cut });
    await a.optimize(constantCurves(values), { nTrials: 5 });
    expect(() =>
      createStudy({ sampler: tpeSampler({ startup: 3 }), seed: 2, storage: cut, resume: true }),
    ).toThrow(/created with pruner/);
    const b = createStudy({
      sampler: tpeSampler({ startup: 3 }),
      seed: 2,
      pruner: pruner(),
      storage: cut,
      resume: true,
    });
    await b.optimize(constantCurves(values), { nTrials: 3 });
    const essence = (ts: readonly FrozenTrial[]) =>
      ts.map((t) => [t.state, t.params, t.value, t.intermediateValues]);
    expect(essence(b.trials)).toEqual(essence(full.trials));

    // A file written before pruning existed: no pruner in the header, no intermediate values.
    const old = join(dir, 'old.jsonl');
    const header = {
      kind: 'study',
      format: 'm3e-study/1',
      direction: 'minimize',
      seed: 1,
      sampler: { name: 'random', config: {} },
      space: null,
      metadata: {},
    };
    const trial = {
      kind: 'trial',
      number: 0,
      state: 'complete',
      params: { x: 0.5 },
      distributions: { x: { type: 'float', low: 0, high: 1, log: false } },
      value: 0.25,
      error: null,
      seconds: 0,
      samplerSeconds: 0,
      userAttrs: {},
      systemAttrs: {},
    };
    writeFileSync(old, `${JSON.stringify(header)}\n${JSON.stringify(trial)}\n`);
    const resumed = createStudy({ sampler: randomSampler(), seed: 1, storage: old, resume: true });
    expect(resumed.trials[0]!.intermediateValues).toEqual({});
    await resumed.optimize((t) => t.suggestFloat('x', 0, 1) ** 2, { nTrials: 1 });
    expect(readFileSync(old, 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('stop ends optimize early; the GP sampler takes pruned trials (imputed)', async () => {
    const study = createStudy({
      sampler: gpSampler({ startup: 4, candidates: 128, fitRestarts: 0 }),
      seed: 4,
      pruner: medianPruner({ startupTrials: 2, compare: 'last' }),
    });
    let calls = 0;
    await study.optimize(
      async (trial) => {
        calls++;
        const x = trial.suggestFloat('x', 0, 1);
        for (let s = 1; s <= 3; s++) {
          trial.report((x - 0.7) ** 2 + s, s);
          if (trial.shouldPrune()) throw new TrialPruned();
        }
        return (x - 0.7) ** 2 + 3;
      },
      { nTrials: 50, stop: (s) => s.trials.length >= 14 },
    );
    expect(calls).toBe(14);
    expect(study.trials.some((t) => t.state === 'pruned')).toBe(true);
    expect(Math.abs((study.bestTrial!.params.x as number) - 0.7)).toBeLessThan(0.15);
  });

  it('imputation: the last value plus the median gap of complete trials from that step to the end', () => {
    const o = (
      loss: number | null,
      intermediate: Record<number, number>,
      state = 'complete',
    ): Observation => ({
      number: 0,
      params: {},
      loss,
      attrs: {},
      state: state as Observation['state'],
      intermediate,
    });
    const history = [o(1.2, { 1: 0.5, 2: 1.0 }), o(2.4, { 2: 2.0 }), o(5, { 1: 4 })];
    // Gaps at step 2: 0.2 and 0.4; median 0.3.
    expect(imputePrunedLoss(o(null, { 1: 2, 2: 3 }, 'pruned'), history)).toBeCloseTo(3.3, 12);
    expect(imputePrunedLoss(o(null, { 3: 3 }, 'pruned'), history)).toBeNull();
  });
});

describe('tuning helpers', () => {
  const params: ParamSpace = {
    a: { type: 'float', low: 0, high: 1, default: 0.9, description: 'matters' },
    b: { type: 'float', low: 0, high: 1, default: 0.5, description: 'does not' },
  };
  const table = synthTable({ jobs: 6, cores: 2, bwRatio: 1, seed: 1 });
  const problems = ['p', 'q', 'r'].map((label) => ({ label, table, lowerBound: lowerBound(table) }));
  const tunable = (set: string) =>
    scoredTunable({
      name: 'toy',
      params,
      problems,
      repeats: 2,
      seed: 1,
      set,
      // Score depends on a, with seeded noise: the same seed gives the same noise.
      run: (p, _problem, seed) => 1 + ((p.a as number) - 0.3) ** 2 + 0.05 * ((seed % 1000) / 1000),
    });

  it('scores run pass by pass, and the monitor sees every running mean', async () => {
    const seen: [number, number][] = [];
    const s = await tunable('train').score({ a: 0.3, b: 0.1 }, undefined, (n, m) => seen.push([n, m]));
    expect(seen.map((x) => x[0])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen.at(-1)![1]).toBeCloseTo(s.mean, 12);
    expect(s.problems.map((p) => p.runs.length)).toEqual([2, 2, 2]);
  });

  it('a budget of runs: pruned trials cost fewer runs, so more trials fit', async () => {
    const spend = async (prune: boolean) => {
      const counter = { runs: 0 };
      const study = createStudy({
        sampler: randomSampler(),
        seed: 5,
        ...(prune ? { pruner: medianPruner({ startupTrials: 3, compare: 'last' }) } : {}),
      });
      await study.optimize(tunableObjective(tunable('train'), { prune, counter }), {
        nTrials: 1000,
        stop: () => counter.runs >= 60,
      });
      return { trials: study.trials.length, runs: counter.runs, study };
    };
    const plain = await spend(false);
    const pruned = await spend(true);
    expect(plain.trials).toBe(10);
    expect(pruned.trials).toBeGreaterThan(plain.trials);
    expect(pruned.runs).toBeLessThan(66);
    // Confirmation on fresh seeds picks by the pooled mean, and keeps the trials asked for.
    const c = await confirmBest(pruned.study, tunable('confirm'), { top: 3, always: [0], trainRuns: 6 });
    expect(c.candidates.length).toBeGreaterThanOrEqual(3);
    expect(c.candidates.some((x) => x.trial === 0)).toBe(true);
    expect(c.chosen.pooled).toBe(Math.min(...c.candidates.map((x) => x.pooled)));
    // Importance: only `a` moves the score.
    const imp = parameterImportance(plain.study.trials, tunable('train').space);
    expect(imp[0]!.name).toBe('a');
    expect(imp[0]!.importance).toBeGreaterThan(0.8);
    const charts = tuneCharts(pruned.study.trials, tunable('train').space, { title: 'toy' });
    expect(charts.map((x) => x.name)).toEqual(['history', 'importance']);
    expect(charts[0]!.svg.match(/class="trial pruned"/g)!.length).toBe(
      pruned.study.trials.filter((t) => t.state === 'pruned').length,
    );
  });

  it('gain interval: paired runs, resampled within problems', () => {
    const score = (runs: number[][]) => ({
      mean: 0,
      problems: runs.map((r, i) => ({ label: `p${i}`, mean: 0, runs: r })),
    });
    const def = score([
      [2, 2.2],
      [1.5, 1.6],
    ]);
    // Every tuned run 10 % lower: the gain is 10 % in every resample.
    const tuned = score(def.problems.map((p) => p.runs.map((v) => 0.9 * v)));
    const g = gainInterval(tuned, def, { seed: 1, resamples: 200 });
    expect(g.estimate).toBeCloseTo(0.1, 12);
    expect(g.low).toBeCloseTo(0.1, 12);
    expect(g.high).toBeCloseTo(0.1, 12);
    const mixed = score([
      [1.8, 2.3],
      [1.5, 1.4],
    ]);
    const h = gainInterval(mixed, def, { seed: 1, resamples: 400 });
    // (7.3 - 7.0) / 7.3.
    expect(h.estimate).toBeCloseTo(0.3 / 7.3, 12);
    expect(h.low).toBeLessThan(h.estimate);
    expect(h.high).toBeGreaterThan(h.estimate);
  });

  it('history chart: a dot per complete trial, a cross per pruned one, the best-so-far line', () => {
    const svg = historyChart({
      title: 'h',
      direction: 'minimize',
      yLabel: 'v',
      points: [
        { number: 0, value: 3, state: 'complete' },
        { number: 1, value: 2, state: 'complete' },
        { number: 2, value: 4, state: 'pruned' },
        { number: 3, value: null, state: 'failed' },
      ],
    });
    expect(svg.match(/class="trial complete"/g)).toHaveLength(2);
    expect(svg.match(/class="trial pruned"/g)).toHaveLength(1);
    expect(svg).toContain('class="best-so-far"');
  });
});
