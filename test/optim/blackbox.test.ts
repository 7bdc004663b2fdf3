// The black-box optimisers: the shared parametrisation, each numeric method on plain
// functions (where its behaviour is known from the literature), and their bookkeeping.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateEncoding } from '../../src/core/encoding.js';
import { Rng } from '../../src/core/rng.js';
import { synthTable } from '../../src/core/synth.js';
import { CmaEs, cmaesParams, defaultLambda } from '../../src/optim/blackbox/cmaes.js';
import { CompactGa } from '../../src/optim/blackbox/compact-ga.js';
import { DifferentialEvolution } from '../../src/optim/blackbox/de.js';
import { OnePlusOneEs } from '../../src/optim/blackbox/one-plus-one.js';
import { Pso, psoParams } from '../../src/optim/blackbox/pso.js';
import { firstPrimes, HaltonSequence } from '../../src/optim/blackbox/quasi-random.js';
import { PopulationSizeController, Tbpsa } from '../../src/optim/blackbox/tbpsa.js';
import {
  decodeVector,
  encodeVector,
  PRIORITY_MAX,
  reflectUnit,
  VectorOptimizer,
  type VectorStrategy,
} from '../../src/optim/blackbox/vector.js';
import { resolveParams } from '../../src/optim/params.js';
import { createOptimizer } from '../../src/optim/registry.js';
import { makespanObjective } from '../../src/optim/search.js';

/** Runs a strategy on f for `budget` evaluations (sequential ask/tell); returns the best value. */
function minimise(s: VectorStrategy, f: (x: Float64Array) => number, budget: number): number {
  const x = new Float64Array(s.dim);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < budget; i++) {
    const tag = s.propose(x);
    const v = f(x);
    s.accept(tag, x, v);
    best = Math.min(best, v);
  }
  return best;
}

/** Optimum at 0.4 in every coordinate, inside the unit box. */
const OPT = 0.4;
const sphere = (x: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - OPT) ** 2;
  return s;
};
/** Axis-parallel ellipsoid with condition number 1e6. */
const ellipsoid = (x: Float64Array): number => {
  let s = 0;
  const n = x.length;
  for (let i = 0; i < n; i++) s += 10 ** ((6 * i) / (n - 1)) * (x[i]! - OPT) ** 2;
  return s;
};

const size = (numJobs: number, numCores: number) => ({ numJobs, numCores });

describe('vector parametrisation', () => {
  it('reflects into the unit box with period 2', () => {
    expect(reflectUnit(0.3)).toBe(0.3);
    expect(reflectUnit(1)).toBe(1);
    expect(reflectUnit(1.25)).toBe(0.75);
    expect(reflectUnit(-0.25)).toBe(0.25);
    expect(reflectUnit(2.5)).toBe(0.5);
    expect(reflectUnit(-1.5)).toBe(0.5);
    expect(reflectUnit(3)).toBe(1);
  });

  it('decodes core genes as floor(C u) and priorities into [0, 1)', () => {
    const x = Float64Array.from([0, 0.2499, 0.25, 0.99, 1, 1.1, 0, 0.5, 1, -0.3, 0.999, 1.4]);
    const core = new Int32Array(6);
    const priority = new Float64Array(6);
    decodeVector(x, 4, core, priority);
    expect(Array.from(core)).toEqual([0, 0, 1, 3, 3, 3]);
    const expected = [0, 0.5, PRIORITY_MAX, 0.3, 0.999, 0.6];
    for (let j = 0; j < 6; j++) expect(priority[j]).toBeCloseTo(expected[j]!, 12);
    expect(priority[2]).toBeLessThan(1);
  });

  it('decodes any finite vector to a valid encoding, and inverts encodeVector', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 40 }),
        (C, genes) => {
          const J = genes.length >> 1;
          if (J === 0) return;
          const x = Float64Array.from(genes.slice(0, 2 * J));
          const enc = { core: new Int32Array(J), priority: new Float64Array(J) };
          decodeVector(x, C, enc.core, enc.priority);
          validateEncoding(enc, J, C);
          const back = new Float64Array(2 * J);
          encodeVector(enc.core, enc.priority, C, back);
          const again = { core: new Int32Array(J), priority: new Float64Array(J) };
          decodeVector(back, C, again.core, again.priority);
          expect(again.core).toEqual(enc.core);
          expect(again.priority).toEqual(enc.priority);
        },
      ),
    );
  });

  it('rejects non-finite genes instead of decoding them', () => {
    const x = Float64Array.from([Number.NaN, 0.5]);
    expect(() => decodeVector(x, 2, new Int32Array(1), new Float64Array(1))).toThrow(/not finite/);
  });
});

describe('CMA-ES', () => {
  it("uses the tutorial's default constants", () => {
    // Independently computed from the tutorial's formulas for n = 10.
    const s = new CmaEs(10, new Rng(1), resolveParams('cmaes', cmaesParams, {}, size(5, 2)));
    expect(defaultLambda(10)).toBe(10);
    expect(s.lambda).toBe(10);
    expect(s.mu).toBe(5);
    expect(s.mueff).toBeCloseTo(3.1672992814107017, 12);
    expect(s.cs).toBeCloseTo(0.28442858794636744, 12);
    expect(s.cc).toBeCloseTo(0.29499038303562225, 12);
    expect(s.c1).toBeCloseTo(0.015283824524751714, 12);
    expect(s.cmu).toBeCloseTo(0.02015428276120837, 12);
    expect(s.ds).toBeCloseTo(1.2844285879463675, 12);
  });

  it('converges on the sphere and, by learning the covariance, on an ill-conditioned ellipsoid', () => {
    const settings = resolveParams('cmaes', cmaesParams, {}, size(5, 2));
    expect(minimise(new CmaEs(10, new Rng(1), settings), sphere, 2000)).toBeLessThan(1e-10);
    const cma = new CmaEs(10, new Rng(2), settings);
    expect(minimise(cma, ellipsoid, 6000)).toBeLessThan(1e-8);
    expect(cma.decompositions).toBeGreaterThan(10);
    // Without covariance learning, the (1+1)-ES stalls on the same ellipsoid.
    const es = new OnePlusOneEs(10, new Rng(2), { sigma0: 1 / 6, successFactor: 2 });
    expect(minimise(es, ellipsoid, 6000)).toBeGreaterThan(1e-3);
  });

  it('decomposes lazily: rarely in 200 dimensions', () => {
    const settings = resolveParams('cmaes', cmaesParams, {}, size(100, 4));
    const cma = new CmaEs(200, new Rng(3), settings);
    minimise(cma, sphere, 3000);
    // c1 + cmu = 2.37e-4 per generation of 19: the 0.05 drift needs 211 generations.
    expect(cma.decompositions).toBe(0);
    minimise(cma, sphere, 1500);
    expect(cma.decompositions).toBe(1);
  });

  it('refuses a sample beyond its generation until the pending ones are told', () => {
    const opt = createOptimizer('cmaes', synthTable({ jobs: 5, cores: 2, bwRatio: 1, seed: 1 }), 1);
    const lambda = defaultLambda(10);
    const pending = Array.from({ length: lambda }, () => opt.ask());
    expect(() => opt.ask()).toThrow(/pending/);
    for (const c of pending) opt.tell(c, 1);
    expect(() => opt.ask()).not.toThrow();
  });
});

describe('(1+1)-ES', () => {
  it('converges linearly on the sphere with the one-fifth rule', () => {
    const es = new OnePlusOneEs(10, new Rng(1), { sigma0: 1 / 6, successFactor: 2 });
    expect(minimise(es, sphere, 2000)).toBeLessThan(1e-20);
  });

  it('doubles sigma on success and multiplies it by 2^(-1/4) on failure', () => {
    const es = new OnePlusOneEs(2, new Rng(1), { sigma0: 0.1, successFactor: 2 });
    const x = new Float64Array(2);
    es.accept(es.propose(x), x, 10); // the start point: no step-size change
    expect(es.sigma).toBe(0.1);
    es.accept(es.propose(x), x, 11);
    expect(es.sigma).toBeCloseTo(0.1 * 2 ** -0.25, 15);
    es.accept(es.propose(x), x, 10);
    expect(es.sigma).toBeCloseTo(0.2 * 2 ** -0.25, 15);
  });
});

describe('PSO and DE', () => {
  it('PSO converges on the 5-D sphere', () => {
    const pso = new Pso(5, new Rng(1), resolveParams('pso', psoParams, {}, size(1, 1)));
    expect(minimise(pso, sphere, 3000)).toBeLessThan(1e-8);
  });

  it('PSO allows one pending position per particle', () => {
    const opt = createOptimizer('pso', synthTable({ jobs: 4, cores: 2, bwRatio: 1, seed: 1 }), 1, {
      swarm: 3,
    });
    const a = [opt.ask(), opt.ask(), opt.ask()];
    expect(() => opt.ask()).toThrow(/pending/);
    opt.tell(a[1]!, 5);
    expect(() => opt.ask()).not.toThrow();
  });

  it.each(['current-to-best/1', 'rand/1'] as const)('DE %s converges on the 5-D sphere', (strategy) => {
    const de = new DifferentialEvolution(5, new Rng(1), {
      strategy,
      population: 30,
      F1: 0.8,
      F2: 0.8,
      crossover: 0.5,
    });
    expect(minimise(de, sphere, 3000)).toBeLessThan(1e-5);
  });
});

describe('TBPSA', () => {
  it('converges on the 5-D sphere', () => {
    const t = new Tbpsa(5, new Rng(1), { initialMu: 5, sigma0: 1 / 6 });
    expect(minimise(t, sphere, 4000)).toBeLessThan(1e-12);
  });

  it('doubles mu when the last fifth of 5 lambda costs is no better than the first', () => {
    const c = new PopulationSizeController(2, 100);
    // lambda = 8; costs alternate 1, 3: equal means, z = 0 < 2.
    for (let i = 0; i < 39; i++) c.add(1 + 2 * (i % 2));
    expect(c.mu).toBe(2);
    c.add(3);
    expect([c.mu, c.lambda]).toEqual([4, 16]);
  });

  it('shrinks mu by 0.84 on significant progress, never below its initial value or the dimension', () => {
    const c = new PopulationSizeController(10, 5);
    // lambda = 40, costs 200 down to 1: z = 160 / sqrt(2 x (std 11.54)^2 / 39) >> 2.
    for (let i = 200; i >= 1; i--) c.add(i);
    expect([c.mu, c.lambda]).toEqual([8, 32]);
    const d = new PopulationSizeController(10, 100);
    for (let i = 200; i >= 1; i--) d.add(i);
    expect(d.mu).toBe(10);
  });
});

describe('compact GA', () => {
  it('learns the model of a separable target: every job on core 0, priorities low', () => {
    const J = 8;
    const C = 3;
    const cga = new CompactGa(size(J, C), new Rng(1), { population: 20, priorityBits: 3 });
    const opt = new VectorOptimizer('cga', size(J, C), cga);
    for (let i = 0; i < 2000; i++) {
      const cand = opt.ask();
      let cost = 0;
      for (let j = 0; j < J; j++) cost += (cand.core[j] === 0 ? 0 : 1) + cand.priority[j]!;
      opt.tell(cand, cost);
    }
    // Each model sits near its border (core 0 at most 1 - 2 / (n (C - 1)) = 0.95, the
    // most significant priority bit at least 1/n = 0.05), up to the last few updates.
    for (let j = 0; j < J; j++) {
      expect(cga.coreProb[j * C]).toBeGreaterThan(0.8);
      expect(cga.bitProb[j * 3]).toBeLessThan(0.25);
    }
    expect(opt.recommend()!.cost).toBeLessThan(0.5);
  });
});

describe('quasi-random (Halton)', () => {
  it('finds the primes', () => {
    const p = firstPrimes(200);
    expect(Array.from(p.subarray(0, 6))).toEqual([2, 3, 5, 7, 11, 13]);
    expect(p[199]).toBe(1223);
  });

  it('gives the radical inverses when unscrambled', () => {
    const h = new HaltonSequence(2, null);
    const x = new Float64Array(2);
    const pts: number[][] = [];
    for (let i = 0; i < 4; i++) {
      h.next(x);
      pts.push(Array.from(x));
    }
    expect(pts).toEqual([
      [1 / 2, 1 / 3],
      [1 / 4, 2 / 3],
      [3 / 4, 1 / 9],
      [1 / 8, 1 / 9 + 1 / 3],
    ]);
  });

  it('scrambled, still puts one point in each stratum of every p^k prefix', () => {
    const dim = 30;
    const h = new HaltonSequence(dim, new Rng(5));
    const x = new Float64Array(dim);
    const N = 121; // 11^2; base 113 (the 30th prime) gets one full cycle and 8 more
    const pts = Array.from({ length: N }, () => {
      h.next(x);
      return Array.from(x);
    });
    for (const [d, k] of [
      [0, 6], // base 2: 64 points in 64 strata
      [1, 4], // base 3: 81 points
      [4, 2], // base 11: 121 points
      [29, 1], // base 113
    ] as const) {
      const n = h.bases[d]! ** k;
      const hits = new Int32Array(n);
      // Points i < p^k sit exactly on stratum boundaries (multiples of p^-k): allow rounding.
      for (let i = 0; i < n; i++) hits[Math.floor(pts[i]![d]! * n + 1e-9)]!++;
      expect(Array.from(hits).every((v) => v === 1)).toBe(true);
    }
  });
});

describe('vector optimiser bookkeeping', () => {
  const table = synthTable({ jobs: 6, cores: 3, bwRatio: 1, seed: 4 });
  const objective = makespanObjective(table);

  it('rejects a candidate told twice or from another optimiser', () => {
    const a = createOptimizer('one-plus-one', table, 1);
    const b = createOptimizer('one-plus-one', table, 1);
    const c = a.ask();
    a.tell(c, objective.cost(c.core, c.priority));
    expect(() => a.tell(c, 1)).toThrow(/not pending/);
    expect(() => b.tell(a.ask(), 1)).toThrow(/not pending/);
  });

  it('keeps several asynchronous candidates pending (the (1+1)-ES)', () => {
    const opt = createOptimizer('one-plus-one', table, 2);
    const cands = Array.from({ length: 10 }, () => opt.ask());
    expect(new Set(cands).size).toBe(10);
    for (const c of cands.reverse()) opt.tell(c, objective.cost(c.core, c.priority));
    const best = Math.min(...cands.map((c) => objective.cost(c.core, c.priority)));
    expect(opt.recommend()!.cost).toBe(best);
  });
});
