// TPE: Optuna's settings by hand, and search quality against random search (seeded: the
// outcome is fixed, not luck).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { randomSampler } from '../../src/tune/samplers/random.js';
import type { Sampler } from '../../src/tune/samplers/sampler.js';
import { parzenWidths, tpeGamma, tpeSampler, tpeWeights } from '../../src/tune/samplers/tpe.js';
import { createStudy, type ObjectiveFunction, type Trial } from '../../src/tune/study.js';
import { branin, hartmann6, median } from './functions.js';

const dir = mkdtempSync(join(tmpdir(), 'm3e-tpe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bests(
  objective: ObjectiveFunction,
  sampler: () => Sampler,
  nTrials: number,
): Promise<number[]> {
  const out: number[] = [];
  for (const seed of [1, 2, 3, 4, 5]) {
    const study = createStudy({ sampler: sampler(), seed });
    await study.optimize(objective, { nTrials });
    out.push(study.bestTrial!.value!);
  }
  return out;
}

describe("TPE's settings", () => {
  it('gamma(n) = min(ceil(n / 10), 25); weights ramp up for all but the newest 25', () => {
    expect([1, 10, 11, 100, 251, 1000].map(tpeGamma)).toEqual([1, 1, 2, 10, 25, 25]);
    expect([...tpeWeights(3)]).toEqual([1, 1, 1]);
    const w = tpeWeights(28);
    // linspace(1/28, 1, 3) then 25 ones.
    expect(w[0]).toBeCloseTo(1 / 28, 15);
    expect(w[1]).toBeCloseTo((1 / 28 + 1) / 2, 15);
    expect(w[2]).toBe(1);
    expect(w[27]).toBe(1);
  });

  it('kernel widths: farther neighbour (prior centre and range ends included), outer kernels inward, magic clip', () => {
    // [0, 100], observations 10, 20, 60, prior centre 50: sorted 10 20 50 60 between ends 0 and 100.
    // Neighbour widths 10, 30, 30, 40; the outermost use their inner neighbour: 10 and 10.
    // Clip to [100 / min(100, 1 + 4), 100] = [20, 100]: 10 -> 20, 30, 10 -> 20.
    expect([...parzenWidths(0, 100, [10, 20, 60])]).toEqual([20, 30, 20]);
    // Many points: the clip floor falls to range / 100 and the neighbour widths show.
    const mus = Array.from({ length: 200 }, (_, i) => i / 2);
    const w = parzenWidths(0, 100, mus);
    expect(w[100]).toBeCloseTo(1, 12);
    expect(w[10]).toBeCloseTo(1, 12);
    // Multivariate: 0.2 n^(-1 / (d + 4)) x range, d = 2, then the same clip: 0.2 * 30^(-1/6) * 100
    // = 11.3 above 100 / 32; three points: 16.7 clipped up to 20.
    const thirty = Array.from({ length: 30 }, (_, i) => 3 * i);
    expect(parzenWidths(0, 100, thirty, true, 2)[7]).toBeCloseTo(20 * 30 ** (-1 / 6), 12);
    expect(parzenWidths(0, 100, [10, 20, 60], true, 2)[0]).toBe(20);
  });
});

describe('TPE against random search', () => {
  it('Branin in 40 trials and Hartmann-6 in 80 (median of 5 seeds)', async () => {
    const tpe = median(await bests(branin, () => tpeSampler(), 40));
    const random = median(await bests(branin, () => randomSampler(), 40));
    expect(tpe).toBeLessThan(1.2);
    expect(random).toBeGreaterThan(1.5);
    const h6 = median(await bests(hartmann6, () => tpeSampler(), 80));
    const h6mv = median(await bests(hartmann6, () => tpeSampler({ multivariate: true }), 80));
    const h6r = median(await bests(hartmann6, () => randomSampler(), 80));
    expect(h6).toBeLessThan(-2.4);
    expect(h6mv).toBeLessThan(-2.4);
    expect(h6r).toBeGreaterThan(-2.0);
  });

  it('mixed spaces: integers stay integers, and the better category takes over', async () => {
    const objective = (t: Trial) => {
      const x = t.suggestFloat('x', -3, 3);
      const n = t.suggestInt('n', 1, 100, { log: true });
      const kind = t.suggestCategorical('kind', ['bad', 'good', 'worse']);
      return x * x + Math.abs(Math.log(n / 10)) + (kind === 'good' ? 0 : kind === 'bad' ? 3 : 6);
    };
    const study = createStudy({ sampler: tpeSampler(), seed: 3 });
    await study.optimize(objective, { nTrials: 50 });
    for (const t of study.trials) expect(Number.isInteger(t.params.n)).toBe(true);
    const late = study.trials.slice(30).filter((t) => t.params.kind === 'good').length;
    expect(late).toBeGreaterThanOrEqual(15);
    expect(study.bestTrial!.value!).toBeLessThan(0.5);
  });

  it('a TPE study resumed from its file ends identical to an uninterrupted one', async () => {
    const objective = (t: Trial) => (t.suggestFloat('x', 0, 1) - 0.3) ** 2 + t.suggestInt('k', 0, 4);
    const a = createStudy({ sampler: tpeSampler({ startup: 4 }), seed: 9, storage: join(dir, 'a.jsonl') });
    await a.optimize(objective, { nTrials: 16 });
    const cut = join(dir, 'b.jsonl');
    const b1 = createStudy({ sampler: tpeSampler({ startup: 4 }), seed: 9, storage: cut });
    await b1.optimize(objective, { nTrials: 9 });
    const b2 = createStudy({ sampler: tpeSampler({ startup: 4 }), seed: 9, storage: cut, resume: true });
    await b2.optimize(objective, { nTrials: 7 });
    expect(b2.trials.map((t) => [t.params, t.value])).toEqual(a.trials.map((t) => [t.params, t.value]));
  });
});
