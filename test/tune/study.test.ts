import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gpSampler } from '../../src/tune/samplers/gp-bo.js';
import { randomSampler } from '../../src/tune/samplers/random.js';
import { createStudy, type FrozenTrial, type Trial } from '../../src/tune/study.js';
import { hartmann6 } from './functions.js';

const dir = mkdtempSync(join(tmpdir(), 'm3e-study-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A mixed space, defined by run: a float, a log-int and a categorical. */
function mixed(trial: Trial): number {
  const x = trial.suggestFloat('x', -2, 2);
  const n = trial.suggestInt('n', 1, 64, { log: true });
  const kind = trial.suggestCategorical('kind', ['sq', 'abs']);
  return (kind === 'sq' ? (x - 0.5) ** 2 : Math.abs(x - 0.5)) + Math.abs(Math.log2(n) - 3) / 4;
}

/** What must be identical between an uninterrupted and a resumed study. */
const essence = (ts: readonly FrozenTrial[]) =>
  ts.map((t) => ({ n: t.number, s: t.state, p: t.params, v: t.value, e: t.error, a: t.systemAttrs }));

const sampler = () => gpSampler({ startup: 4, candidates: 256, fitRestarts: 1, fullFitEvery: 3 });

describe('study', () => {
  it('records trials with their parameters, and finds the best (minimise and maximise)', async () => {
    const s = createStudy({ sampler: randomSampler(), seed: 1 });
    await s.optimize(mixed, { nTrials: 12 });
    expect(s.trials).toHaveLength(12);
    const values = s.trials.map((t) => t.value!);
    expect(s.bestTrial!.value).toBe(Math.min(...values));
    for (const t of s.trials) {
      expect(t.state).toBe('complete');
      expect(Object.keys(t.params).sort()).toEqual(['kind', 'n', 'x']);
      expect(Number.isInteger(t.params.n)).toBe(true);
      expect(t.distributions.n).toEqual({ type: 'int', low: 1, high: 64, log: true });
    }
    const m = createStudy({ direction: 'maximize', sampler: randomSampler(), seed: 1 });
    await m.optimize(mixed, { nTrials: 12 });
    expect(m.bestTrial!.value).toBe(Math.max(...m.trials.map((t) => t.value!)));
  });

  it('records a trial that throws or returns NaN as failed, with its error, and goes on', async () => {
    const s = createStudy({ sampler: sampler(), seed: 2 });
    await s.optimize(
      (trial) => {
        const x = trial.suggestFloat('x', 0, 1);
        if (trial.number === 1) throw new RangeError('diverged');
        if (trial.number === 3) return Number.NaN;
        return (x - 0.3) ** 2;
      },
      { nTrials: 8 },
    );
    expect(s.trials.map((t) => t.state)).toEqual([
      'complete',
      'failed',
      'complete',
      'failed',
      'complete',
      'complete',
      'complete',
      'complete',
    ]);
    expect(s.trials[1]!.error).toBe('RangeError: diverged');
    expect(s.trials[1]!.value).toBeNull();
    expect(s.trials[3]!.error).toMatch(/returned NaN/);
    expect(s.trials[1]!.params.x).toBeTypeOf('number');
    expect(s.bestTrial!.state).toBe('complete');
  });

  it('a resumed study continues with results identical to an uninterrupted one', async () => {
    const full = join(dir, 'full.jsonl');
    const cut = join(dir, 'cut.jsonl');
    const meta = { experiment: 'resume' };
    const a = createStudy({ sampler: sampler(), seed: 7, storage: full, metadata: meta });
    await a.optimize(mixed, { nTrials: 14 });

    const b1 = createStudy({ sampler: sampler(), seed: 7, storage: cut, metadata: meta });
    await b1.optimize(mixed, { nTrials: 8 });
    // The process dies while writing trial 8's record: a torn line at the end.
    appendFileSync(cut, '{"kind":"trial","number":8,"sta');
    const b2 = createStudy({ sampler: sampler(), seed: 7, storage: cut, resume: true, metadata: meta });
    expect(b2.trials).toHaveLength(8);
    await b2.optimize(mixed, { nTrials: 6 });

    expect(essence(b2.trials)).toEqual(essence(a.trials));
    // GP trials happened on both sides of the cut, warm-started from stored fits.
    expect(a.trials.filter((t) => t.systemAttrs.phase === 'gp').length).toBeGreaterThan(6);
    // And the file reloads to the same study.
    const again = createStudy({ sampler: sampler(), seed: 7, storage: cut, resume: true, metadata: meta });
    expect(essence(again.trials)).toEqual(essence(a.trials));
  });

  it('declared spaces and enqueued trials: the defaults first, then the sampler from trial 1', async () => {
    const path = join(dir, 'enqueue.jsonl');
    const space = {
      x0: { type: 'float', low: 0, high: 1 },
      x1: { type: 'float', low: 0, high: 1 },
      x2: { type: 'float', low: 0, high: 1 },
      x3: { type: 'float', low: 0, high: 1 },
      x4: { type: 'float', low: 0, high: 1 },
      x5: { type: 'float', low: 0, high: 1 },
    } as const;
    const s = createStudy({ sampler: sampler(), seed: 3, storage: path, space });
    s.enqueueTrial({ x0: 0.5, x1: 0.5, x2: 0.5, x3: 0.5, x4: 0.5, x5: 0.5 });
    await s.optimize(hartmann6, { nTrials: 3 });
    expect(s.trials[0]!.params).toEqual({ x0: 0.5, x1: 0.5, x2: 0.5, x3: 0.5, x4: 0.5, x5: 0.5 });
    expect(s.trials[0]!.systemAttrs).toEqual({ enqueued: 0 });
    expect(s.trials[1]!.systemAttrs.phase).toBe('initial');
    // A resume does not run the consumed enqueued trial again.
    const r = createStudy({ sampler: sampler(), seed: 3, storage: path, space, resume: true });
    await r.optimize(hartmann6, { nTrials: 1 });
    expect(r.trials[3]!.systemAttrs.enqueued).toBeUndefined();
    expect(() => r.enqueueTrial({ x0: 2 })).toThrow(/x0 = 2 is outside/);
  });

  it('refuses to overwrite a stored study, or to resume it with other settings', () => {
    const path = join(dir, 'guard.jsonl');
    createStudy({ sampler: randomSampler(), seed: 1, storage: path, metadata: { budget: 5000 } });
    expect(() => createStudy({ sampler: randomSampler(), seed: 1, storage: path })).toThrow(
      /already holds a study/,
    );
    expect(() =>
      createStudy({
        sampler: randomSampler(),
        seed: 2,
        storage: path,
        resume: true,
        metadata: { budget: 5000 },
      }),
    ).toThrow(/created with seed 1, not 2/);
    expect(() =>
      createStudy({
        sampler: randomSampler(),
        seed: 1,
        storage: path,
        resume: true,
        metadata: { budget: 3000 },
      }),
    ).toThrow(/created with budget 5000, not 3000/);
    expect(() =>
      createStudy({ sampler: sampler(), seed: 1, storage: path, resume: true, metadata: { budget: 5000 } }),
    ).toThrow(/created with sampler/);
  });

  it('reports a corrupt study file with its line number', () => {
    const path = join(dir, 'corrupt.jsonl');
    createStudy({ sampler: randomSampler(), seed: 1, storage: path });
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"kind":"trial","number":"zero"}\n`);
    expect(() => createStudy({ sampler: randomSampler(), seed: 1, storage: path, resume: true })).toThrow(
      /line 2: number/,
    );
  });

  it('samples parameters outside the joint space independently, and a name keeps its value', async () => {
    const s = createStudy({ sampler: randomSampler(), seed: 4 });
    await s.optimize(
      (trial) => {
        const x = trial.suggestFloat('x', 0, 1);
        expect(trial.suggestFloat('x', 0, 1)).toBe(x);
        expect(() => trial.suggestFloat('x', 0, 2)).toThrow(/another distribution/);
        // Only some trials have y: it never joins the joint space, and is still sampled.
        const y = trial.number % 2 ? trial.suggestInt('y', 1, 5) : 0;
        return x + y;
      },
      { nTrials: 6 },
    );
    expect(s.relativeSpace()).toEqual({ x: { type: 'float', low: 0, high: 1, log: false } });
    expect(s.trials.filter((t) => t.params.y !== undefined)).toHaveLength(3);
  });
});
