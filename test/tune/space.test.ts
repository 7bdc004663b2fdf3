import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { magmaParams } from '../../src/optim/magma.js';
import { listOptimizers } from '../../src/optim/registry.js';
import { primes, radicalInverse } from '../../src/tune/samplers/halton.js';
import { type Distributions, SearchSpace, validateDistribution } from '../../src/tune/space.js';
import { tuningSpace } from '../../src/tune/tunable.js';

const space = new SearchSpace({
  rate: { type: 'float', low: 0, high: 0.5 },
  lr: { type: 'float', low: 1e-5, high: 1e-1, log: true },
  pop: { type: 'int', low: 4, high: 1000, log: true },
  k: { type: 'int', low: 1, high: 3 },
  style: { type: 'categorical', choices: ['a', 'b', 'c'] },
  flag: { type: 'categorical', choices: [true, false] },
});

describe('search spaces', () => {
  it('has one design coordinate per parameter and one-hot features for categoricals', () => {
    expect(space.designDims).toBe(6);
    expect(space.featureDims).toBe(4 + 3 + 2);
    expect(Array.from(space.continuous)).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('maps design points to valid settings, log where declared', () => {
    const s = space.fromDesign([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(s.rate).toBe(0.25);
    expect(s.lr).toBeCloseTo(1e-3, 12); // geometric midpoint
    expect(s.pop).toBe(Math.round(Math.sqrt(3.5 * 1000.5))); // midpoint of [3.5, 1000.5] in log
    expect(s.k).toBe(2);
    expect(s.style).toBe('b');
    expect(space.fromDesign([0, 0, 0, 0, 0, 0])).toEqual({
      rate: 0,
      lr: 1e-5,
      pop: 4,
      k: 1,
      style: 'a',
      flag: true,
    });
    const top = space.fromDesign([1, 1, 1, 1, 1, 1]);
    expect(top).toEqual({ rate: 0.5, lr: 0.1, pop: 1000, k: 3, style: 'c', flag: false });
  });

  it('gives each integer an equal share of the design range', () => {
    const one = new SearchSpace({ k: { type: 'int', low: 1, high: 3 } });
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[(one.fromDesign([(i + 0.5) / 3000]).k as number) - 1]!++;
    expect(counts).toEqual([1000, 1000, 1000]);
  });

  it('round-trips settings through features, and snapping is idempotent (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (u) => {
          const s = space.fromDesign(u);
          const z = space.toFeatures(s);
          expect(space.fromFeatures(z)).toEqual(s);
          const w = Float64Array.from(z);
          space.snap(w);
          expect(Array.from(w)).toEqual(Array.from(z));
        },
      ),
    );
  });

  it('snaps arbitrary feature vectors to reachable points', () => {
    const rng = new Rng(1);
    for (let t = 0; t < 200; t++) {
      const z = Float64Array.from({ length: space.featureDims }, () => rng.uniform(-0.2, 1.2));
      space.snap(z);
      const s = space.fromFeatures(z);
      // Exact for the discrete coordinates; floats may move by an ulp through exp/log.
      for (const [i, v] of space.toFeatures(s).entries()) expect(v).toBeCloseTo(z[i]!, 12);
      expect(Number.isInteger(s.pop)).toBe(true);
    }
  });

  it('offers discrete neighbours that change one integer or categorical at a time', () => {
    const z = space.toFeatures({ rate: 0.1, lr: 0.01, pop: 100, k: 1, style: 'b', flag: true });
    const nbs = space.neighbours(z).map((w) => ({ ...space.fromFeatures(w), lr: 0.01 }));
    expect(nbs).toContainEqual({ rate: 0.1, lr: 0.01, pop: 99, k: 1, style: 'b', flag: true });
    expect(nbs).toContainEqual({ rate: 0.1, lr: 0.01, pop: 101, k: 1, style: 'b', flag: true });
    expect(nbs).toContainEqual({ rate: 0.1, lr: 0.01, pop: 100, k: 2, style: 'b', flag: true });
    expect(nbs).toContainEqual({ rate: 0.1, lr: 0.01, pop: 100, k: 1, style: 'c', flag: true });
    expect(nbs).toContainEqual({ rate: 0.1, lr: 0.01, pop: 100, k: 1, style: 'b', flag: false });
    for (const w of space.neighbours(z)) {
      const n = space.fromFeatures(w);
      expect(n.rate).toBe(0.1);
      expect(n.lr).toBeCloseTo(0.01, 12);
    }
  });

  it('rejects malformed distributions with the parameter named', () => {
    expect(() => validateDistribution('x', { type: 'float', low: 1, high: 0 })).toThrow(
      /"x".*low 1 > high 0/,
    );
    expect(() => validateDistribution('x', { type: 'float', low: 0, high: 1, log: true })).toThrow(
      /log.*low > 0/,
    );
    expect(() => validateDistribution('n', { type: 'int', low: 0.5, high: 3 })).toThrow(/integers/);
    expect(() => validateDistribution('c', { type: 'categorical', choices: [] })).toThrow(/non-empty/);
    expect(() => validateDistribution('c', { type: 'categorical', choices: ['a', 'a'] })).toThrow(/repeat/);
    expect(() => space.toFeatures({ rate: 0.7, lr: 0.01, pop: 5, k: 1, style: 'a', flag: true })).toThrow(
      /"rate"/,
    );
  });

  it('accepts every registered optimiser space, and tune ranges lie inside the valid ranges', () => {
    for (const spec of listOptimizers()) {
      // Text parameters (paths, names) are never searched.
      const searched = Object.fromEntries(Object.entries(spec.params).filter(([, p]) => p.type !== 'text'));
      expect(() => new SearchSpace(searched as Distributions)).not.toThrow();
      for (const [name, p] of Object.entries(spec.params)) {
        if (p.type === 'categorical' || p.type === 'text' || !p.tuneRange) continue;
        expect(p.tuneRange[0], `${spec.name}.${name}`).toBeGreaterThanOrEqual(p.low);
        expect(p.tuneRange[1], `${spec.name}.${name}`).toBeLessThanOrEqual(p.high);
      }
    }
    // Seven numbers and the categorical init (random or heuristic), one design coordinate each;
    // the switches that reproduce the authors' release are not tuned.
    expect(new SearchSpace(tuningSpace('magma', magmaParams)).designDims).toBe(8);
  });
});

describe('Halton sequence', () => {
  it('unscrambled: the radical inverses of the textbook', () => {
    expect([1, 2, 3, 4, 5].map((i) => radicalInverse(i, 2, null))).toEqual([0.5, 0.25, 0.75, 0.125, 0.625]);
    expect([1, 2, 3, 4].map((i) => radicalInverse(i, 3, null))).toEqual([1 / 3, 2 / 3, 1 / 9, 4 / 9]);
    expect(primes(7)).toEqual([2, 3, 5, 7, 11, 13, 17]);
  });

  it('scrambled: still one point per stratum (a (0,1)-sequence property in base 2)', () => {
    const rng = new Rng(3);
    const perms = Array.from({ length: 53 }, () => rng.shuffle(Uint16Array.of(0, 1)));
    // The first 2^k points fall one into each interval [j/2^k, (j+1)/2^k).
    for (const k of [3, 5]) {
      const cells = new Set<number>();
      for (let i = 0; i < 2 ** k; i++) cells.add(Math.floor(radicalInverse(i, 2, perms) * 2 ** k));
      expect(cells.size).toBe(2 ** k);
    }
  });
});
