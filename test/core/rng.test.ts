import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';

describe('Rng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 10 }, () => a.float());
    expect(Array.from({ length: 10 }, () => b.float())).toEqual(xs);
    expect(Array.from({ length: 10 }, () => c.float())).not.toEqual(xs);
  });

  it('resumes exactly from a saved state (including the spare normal)', () => {
    const a = new Rng(7);
    a.normal();
    const s = a.state();
    const b = Rng.fromState(s);
    expect(Array.from({ length: 5 }, () => b.normal())).toEqual(Array.from({ length: 5 }, () => a.normal()));
  });

  it('draws floats in [0, 1) and integers in range with about uniform frequency', () => {
    const r = new Rng(1);
    const counts = new Array(5).fill(0);
    let outside = 0;
    for (let i = 0; i < 50_000; i++) {
      const f = r.float();
      if (!(f >= 0 && f < 1)) outside++;
      counts[r.int(5)]++;
    }
    expect(outside).toBe(0);
    for (const k of counts) expect(Math.abs(k - 10_000)).toBeLessThan(500);
  });

  it('draws standard normals (mean ~0, variance ~1)', () => {
    const r = new Rng(3);
    let s = 0;
    let s2 = 0;
    const n = 40_000;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      s += x;
      s2 += x * x;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.03);
  });

  it('forks independent, reproducible streams', () => {
    const a = new Rng(9).fork('x');
    const b = new Rng(9).fork('x');
    const c = new Rng(9).fork('y');
    const xa = a.uint32();
    expect(b.uint32()).toBe(xa);
    expect(c.uint32()).not.toBe(xa);
  });

  it('rejects bad arguments', () => {
    expect(() => new Rng(Number.NaN)).toThrow(/finite/);
    expect(() => new Rng(1).int(0)).toThrow(/integer 1 <= n/);
  });
});
