import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchSpace, concatenate } from '../../envs/batch.js';
import { deepEqual } from '../../envs/checker.js';
import { flatdim, flatten, flattenSpace, unflatten } from '../../envs/flatten.js';
import { Box, Dict, Discrete, MultiDiscrete, type Space, spaceFromJSON, Tuple } from '../../envs/spaces.js';
import { InputError } from '../../src/core/errors.js';

function counts(n: number, draws: number, draw: () => number): number[] {
  const c = new Array<number>(n).fill(0);
  for (let i = 0; i < draws; i++) c[draw()]!++;
  return c;
}

describe('Discrete', () => {
  it('samples {start, ..., start + n - 1} reproducibly per seed, every value', () => {
    const d = new Discrete(4, { start: -1, seed: 3 });
    const a = Array.from({ length: 200 }, () => d.sample());
    expect(new Set(a)).toEqual(new Set([-1, 0, 1, 2]));
    d.seed(3);
    expect(Array.from({ length: 200 }, () => d.sample())).toEqual(a);
    d.seed(4);
    expect(Array.from({ length: 200 }, () => d.sample())).not.toEqual(a);
  });

  it('samples only allowed values under a mask, about uniformly', () => {
    const d = new Discrete(5, { seed: 1 });
    const c = counts(5, 3000, () => d.sample(Int8Array.of(0, 1, 0, 1, 1)));
    expect(c[0]).toBe(0);
    expect(c[2]).toBe(0);
    for (const i of [1, 3, 4]) expect(c[i]).toBeGreaterThan(850); // expected 1000 each
  });

  it('refuses a mask that allows nothing or has the wrong length', () => {
    const d = new Discrete(3);
    expect(() => d.sample(new Int8Array(3))).toThrow(/allows no value/);
    expect(() => d.sample(new Int8Array(2))).toThrow(/3 0\/1 entries/);
  });

  it('explains why a value is outside', () => {
    const d = new Discrete(3, { start: 1 });
    expect(d.contains(1)).toBe(true);
    expect(d.contains(3)).toBe(true);
    expect(d.explain(0, 'action')).toBe('action must be in [1, 3], got 0');
    expect(d.explain(1.5, 'action')).toMatch(/action must be an integer in \[1, 3\], got 1.5/);
    expect(d.contains('1')).toBe(false);
    expect(d.toString()).toBe('Discrete(3, start=1)');
    expect(() => new Discrete(0)).toThrow(InputError);
  });
});

describe('MultiDiscrete', () => {
  it('samples each entry in range, with per-entry masks (null = unmasked)', () => {
    const m = new MultiDiscrete([3, 2, 4], { start: [0, 5, 0], seed: 2 });
    for (let i = 0; i < 100; i++) expect(m.contains(m.sample())).toBe(true);
    const masked = Array.from({ length: 300 }, () =>
      m.sample([Int8Array.of(0, 0, 1), null, Int8Array.of(1, 0, 0, 0)]),
    );
    expect(masked.every((a) => a[0] === 2 && a[2] === 0)).toBe(true);
    expect(new Set(masked.map((a) => a[1]))).toEqual(new Set([5, 6]));
    expect(() => m.sample([null, null])).toThrow(/array of 3 masks/);
  });

  it('explains bad values by entry', () => {
    const m = new MultiDiscrete([5, 4]);
    expect(m.explain([5, 0], 'action')).toBe('action[0] must be an integer in [0, 4], got 5');
    expect(m.explain([1], 'action')).toMatch(/must have 2 entries/);
    expect(m.explain(3, 'action')).toMatch(/must be an array of 2 integers/);
    expect(m.contains(Int32Array.of(4, 3))).toBe(true);
    expect(m.toString()).toBe('MultiDiscrete([5 4])');
  });
});

describe('Box', () => {
  it('samples inside closed float32 bounds that are not representable exactly', () => {
    const b = new Box(-0.3, 0.3, { shape: [2, 3], seed: 5 });
    expect(b.high[0]).toBe(Math.fround(0.3));
    for (let i = 0; i < 500; i++) {
      const x = b.sample();
      expect(x).toBeInstanceOf(Float32Array);
      expect(x.length).toBe(6);
      expect(b.contains(x)).toBe(true);
    }
  });

  it('samples unbounded, half-bounded and integer boxes as Gymnasium (normal, exponential, inclusive ints)', () => {
    const inf = Number.POSITIVE_INFINITY;
    const b = new Box([-inf, 2, -inf], [inf, inf, -1], { dtype: 'float64', seed: 1 });
    let neg = 0;
    for (let i = 0; i < 400; i++) {
      const x = b.sample();
      expect(x[1]).toBeGreaterThanOrEqual(2);
      expect(x[2]).toBeLessThanOrEqual(-1);
      if (x[0]! < 0) neg++;
    }
    expect(neg).toBeGreaterThan(150); // a normal is negative half the time
    const ints = new Box(-2, 2, { shape: [1], dtype: 'int32', seed: 1 });
    const seen = new Set(Array.from({ length: 300 }, () => ints.sample()[0]));
    expect(seen).toEqual(new Set([-2, -1, 0, 1, 2]));
  });

  it('explains bad values and refuses malformed boxes', () => {
    const b = new Box(0, 1, { shape: [3] });
    expect(b.explain([0, 1, 1.5], 'obs')).toBe('obs[2] must be a number in [0, 1], got 1.5');
    expect(b.explain([0, Number.NaN, 0], 'obs')).toMatch(/obs\[1\].*got NaN/);
    expect(b.explain([0, 0], 'obs')).toMatch(/must have 3 entries/);
    expect(new Box(0, 3, { shape: [1], dtype: 'int32' }).explain([1.5])).toMatch(/an integer/);
    expect(() => new Box(1, 0, { shape: [1] })).toThrow(/low\[0\] = 1 is above high\[0\] = 0/);
    expect(() => new Box(0, 1)).toThrow(/needs a shape/);
    expect(() => new Box([0, 0], [1, 1, 1])).toThrow(/high has 3 entries/);
    expect(() => b.sample(1 as never)).toThrow(/mask/);
  });

  it('round-trips infinite bounds through JSON', () => {
    const b = new Box([Number.NEGATIVE_INFINITY, 0], [1, Number.POSITIVE_INFINITY]);
    const json = JSON.parse(JSON.stringify(b.toJSON()));
    expect(json.low).toEqual(['-Infinity', 0]);
    expect(spaceFromJSON(json).equals(b)).toBe(true);
    expect(b.toString()).toBe('Box([-Infinity 0], [1 Infinity], (2,), float32)');
  });
});

describe('Dict and Tuple', () => {
  it('sorts Dict keys, samples objects, names the bad key', () => {
    const d = new Dict({ b: new Discrete(2), a: new Box(0, 1, { shape: [2] }) });
    expect(d.keys()).toEqual(['a', 'b']);
    const x = d.sample();
    expect(d.contains(x)).toBe(true);
    expect(d.explain({ a: x.a }, 'act')).toBe('act.b is missing');
    expect(d.explain({ ...x, c: 1 }, 'act')).toMatch(/unknown key "c"/);
    expect(d.explain({ ...x, b: 2 }, 'act')).toBe('act.b must be in [0, 1], got 2');
  });

  it('gives identical children different streams, reproducibly', () => {
    const t = new Tuple([new Box(0, 1, { shape: [4] }), new Box(0, 1, { shape: [4] })], { seed: 9 });
    const [x, y] = t.sample();
    expect(deepEqual(x, y)).toBe(false);
    t.seed(9);
    const [x2] = t.sample();
    expect(deepEqual(x, x2)).toBe(true);
    const child = new Discrete(2);
    expect(() => new Tuple([child, child])).toThrow(/distinct/);
  });
});

// Random spaces for the property tests.
const leaf: fc.Arbitrary<Space> = fc.oneof(
  fc
    .record({ n: fc.integer({ min: 1, max: 6 }), start: fc.integer({ min: -3, max: 3 }) })
    .map((o) => new Discrete(o.n, { start: o.start })),
  fc
    .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 })
    .map((nvec) => new MultiDiscrete(nvec)),
  fc
    .record({
      shape: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 2 }),
      dtype: fc.constantFrom('float32' as const, 'float64' as const, 'int32' as const),
      lo: fc.integer({ min: -5, max: 0 }),
      span: fc.integer({ min: 0, max: 5 }),
    })
    .map((o) => new Box(o.lo, o.lo + o.span, { shape: o.shape, dtype: o.dtype })),
);
const spaceArb: fc.Arbitrary<Space> = fc.letrec<{ space: Space }>((tie) => ({
  space: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('space'), { minLength: 1, maxLength: 3 }).map((s) => new Tuple(s)),
    fc
      .uniqueArray(fc.constantFrom('a', 'b', 'c', 'obs', 'mask'), { minLength: 1, maxLength: 3 })
      .chain((keys) =>
        fc
          .tuple(...keys.map(() => tie('space')))
          .map((ss) => new Dict(Object.fromEntries(keys.map((k, i) => [k, ss[i]!])))),
      ),
  ),
})).space;

describe('flatten, batch and JSON (property tests over random spaces)', () => {
  it('flatten lands in flattenSpace and unflatten inverts it', () => {
    fc.assert(
      fc.property(spaceArb, fc.integer({ min: 0, max: 1000 }), (space, seed) => {
        space.seed(seed);
        const x = space.sample();
        const flat = flatten(space, x);
        expect(flat.length).toBe(flatdim(space));
        expect(flattenSpace(space).contains(flat)).toBe(true);
        expect(deepEqual(unflatten(space, flat), x)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('a space survives its JSON description; batched samples lie in the batched space', () => {
    fc.assert(
      fc.property(spaceArb, fc.integer({ min: 1, max: 4 }), (space, n) => {
        const back = spaceFromJSON(JSON.parse(JSON.stringify(space.toJSON())));
        expect(back.equals(space)).toBe(true);
        expect(String(back)).toBe(String(space));
        const items = Array.from({ length: n }, () => space.sample());
        expect(batchSpace(space, n).contains(concatenate(space, items))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('flattens by the documented layout: one-hots, then values, Dict keys sorted', () => {
    const s = new Dict({ z: new Discrete(3), a: new Box(0, 9, { shape: [2] }) });
    expect(Array.from(flatten(s, { z: 2, a: [4, 5] }))).toEqual([4, 5, 0, 0, 1]);
    expect(() => unflatten(s, [4, 5, 0, 1, 1])).toThrow(/not one-hot/);
    expect(() => flatten(s, { z: 3, a: [4, 5] })).toThrow(/value.z must be in \[0, 2\]/);
  });
});
