// BO against random search on Branin and Hartmann-6 at equal (small) numbers of trials,
// median over seeds. Everything is seeded: the outcome is fixed, not a matter of luck.
import { describe, expect, it } from 'vitest';
import { gpSampler } from '../../src/tune/samplers/gp-bo.js';
import { haltonSampler } from '../../src/tune/samplers/halton.js';
import { randomSampler } from '../../src/tune/samplers/random.js';
import type { Sampler } from '../../src/tune/samplers/sampler.js';
import { createStudy, type ObjectiveFunction } from '../../src/tune/study.js';
import {
  BRANIN_MIN,
  branin,
  HARTMANN6_ARGMIN,
  HARTMANN6_MIN,
  hartmann6,
  hartmann6At,
  median,
} from './functions.js';

const SEEDS = [1, 2, 3, 4, 5];
/** Smaller acquisition search than the defaults, to keep the suite fast. */
const FAST = { candidates: 512, fitRestarts: 1 } as const;

async function bests(
  objective: ObjectiveFunction,
  sampler: () => Sampler,
  nTrials: number,
): Promise<number[]> {
  const out: number[] = [];
  for (const seed of SEEDS) {
    const study = createStudy({ sampler: sampler(), seed });
    await study.optimize(objective, { nTrials });
    out.push(study.bestTrial!.value!);
  }
  return out;
}

describe('Bayesian optimisation beats random search', () => {
  it('sanity: the test functions have their published minima', () => {
    expect(hartmann6At(HARTMANN6_ARGMIN)).toBeCloseTo(HARTMANN6_MIN, 4);
  });

  it('on Branin (2-D) in 25 trials', async () => {
    const gp = median(await bests(branin, () => gpSampler({ startup: 6, ...FAST }), 25));
    const random = median(await bests(branin, () => randomSampler(), 25));
    const halton = median(await bests(branin, () => haltonSampler(), 25));
    expect(gp).toBeLessThan(random);
    expect(gp).toBeLessThan(halton);
    // And it is close to the optimum, where random search is not.
    expect(gp - BRANIN_MIN).toBeLessThan(0.05);
    expect(random - BRANIN_MIN).toBeGreaterThan(0.3);
  });

  it('on Hartmann-6 in 40 trials', async () => {
    const gp = median(await bests(hartmann6, () => gpSampler({ startup: 10, ...FAST }), 40));
    const random = median(await bests(hartmann6, () => randomSampler(), 40));
    expect(gp).toBeLessThan(random);
    expect(gp).toBeLessThan(-2.9);
    expect(random).toBeGreaterThan(-2.5);
  });

  it('with the UCB acquisition too (Branin)', async () => {
    const ucb = median(
      await bests(
        branin,
        () => gpSampler({ startup: 6, acquisition: { kind: 'ucb', beta: 4 }, ...FAST }),
        25,
      ),
    );
    const random = median(await bests(branin, () => randomSampler(), 25));
    expect(ucb).toBeLessThan(random);
  });
});
