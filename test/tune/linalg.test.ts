import { CholeskyDecomposition, inverse, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { minimizeBox } from '../../src/tune/lbfgs.js';
import { cholesky, cholInverseInto, cholSolveInPlace } from '../../src/tune/linalg.js';

/** A random SPD matrix B B^T + n I. */
function spd(n: number, rng: Rng): Float64Array {
  const B = Float64Array.from({ length: n * n }, () => rng.normal());
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? n : 0;
      for (let k = 0; k < n; k++) s += B[i * n + k]! * B[j * n + k]!;
      A[i * n + j] = s;
    }
  return A;
}
const toMatrix = (a: Float64Array, n: number) =>
  new Matrix(Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n))));

describe('linear algebra against ml-matrix', () => {
  it('Cholesky factor, solve and inverse agree with ml-matrix', () => {
    const rng = new Rng(3);
    for (const n of [1, 2, 7, 30]) {
      const A = spd(n, rng);
      const res = cholesky(A, n)!;
      expect(res.jitter).toBe(0);
      const ref = new CholeskyDecomposition(toMatrix(A, n)).lowerTriangularMatrix;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) expect(res.L[i * n + j]).toBeCloseTo(ref.get(i, j), 10);
      const b = Float64Array.from({ length: n }, () => rng.normal());
      const x = Float64Array.from(b);
      cholSolveInPlace(res.L, n, x);
      const xr = new CholeskyDecomposition(toMatrix(A, n)).solve(Matrix.columnVector(Array.from(b)));
      for (let i = 0; i < n; i++) expect(x[i]).toBeCloseTo(xr.get(i, 0), 10);
      const inv = new Float64Array(n * n);
      cholInverseInto(res.L, n, inv, new Float64Array(n * n));
      const invRef = inverse(toMatrix(A, n));
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) expect(inv[i * n + j]).toBeCloseTo(invRef.get(i, j), 10);
    }
  });

  it('adds jitter to a singular matrix (duplicate points) and refuses an indefinite one', () => {
    // Rank one: [1 1; 1 1].
    const res = cholesky(Float64Array.of(1, 1, 1, 1), 2)!;
    expect(res.jitter).toBeGreaterThan(0);
    expect(res.jitter).toBeLessThanOrEqual(1e-4);
    expect(cholesky(Float64Array.of(1, 2, 2, 1), 2)).toBeNull();
  });
});

describe('projected L-BFGS', () => {
  it('minimises Rosenbrock from the textbook start', () => {
    const f = (x: Float64Array, g: Float64Array) => {
      const [a, b] = [x[0]!, x[1]!];
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    };
    const res = minimizeBox(f, [-1.2, 1], [-5, -5], [5, 5], { maxIterations: 200, gradientTolerance: 1e-9 });
    expect(res.x[0]).toBeCloseTo(1, 5);
    expect(res.x[1]).toBeCloseTo(1, 5);
  });

  it('stops on the bound when the unconstrained minimum is outside the box', () => {
    // min (x-3)^2 + (y+1)^2 + xy/2 over [0,1] x [0,2]: x = 1 (bound), y = max(0, -1 - x/4) = 0 (bound).
    const f = (x: Float64Array, g: Float64Array) => {
      g[0] = 2 * (x[0]! - 3) + x[1]! / 2;
      g[1] = 2 * (x[1]! + 1) + x[0]! / 2;
      return (x[0]! - 3) ** 2 + (x[1]! + 1) ** 2 + (x[0]! * x[1]!) / 2;
    };
    const res = minimizeBox(f, [0.5, 1], [0, 0], [1, 2], { maxIterations: 50 });
    expect(res.x[0]).toBe(1);
    expect(res.x[1]).toBe(0);
    // An interior optimum in one coordinate: min (x-0.3)^2 + (y-5)^2 on [0,1]^2 -> (0.3, 1).
    const g2 = (x: Float64Array, g: Float64Array) => {
      g[0] = 2 * (x[0]! - 0.3);
      g[1] = 2 * (x[1]! - 5);
      return (x[0]! - 0.3) ** 2 + (x[1]! - 5) ** 2;
    };
    const r2 = minimizeBox(g2, [0.9, 0.1], [0, 0], [1, 1], { maxIterations: 50 });
    expect(r2.x[0]).toBeCloseTo(0.3, 6);
    expect(r2.x[1]).toBe(1);
  });

  it('backs off from infeasible (non-finite) points', () => {
    // log barrier: f = x - log(x) has its minimum at x = 1; x <= 0 is infeasible.
    const f = (x: Float64Array, g: Float64Array) => {
      g[0] = 1 - 1 / x[0]!;
      return x[0]! > 0 ? x[0]! - Math.log(x[0]!) : Number.NaN;
    };
    const res = minimizeBox(f, [5], [-10], [10], { maxIterations: 100 });
    expect(res.x[0]).toBeCloseTo(1, 5);
  });
});
