// Standard test functions of Bayesian optimisation (Surjanovic & Bingham's library).
import type { Trial } from '../../src/tune/study.js';

/** Branin-Hoo on [-5, 10] x [0, 15]; global minimum 0.397887 (three minimisers). */
export function branin(trial: Trial): number {
  const x1 = trial.suggestFloat('x1', -5, 10);
  const x2 = trial.suggestFloat('x2', 0, 15);
  const b = 5.1 / (4 * Math.PI ** 2);
  return (x2 - b * x1 * x1 + (5 / Math.PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
}
export const BRANIN_MIN = 0.397887;

const H_ALPHA = [1, 1.2, 3, 3.2];
const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((r) => r.map((v) => v * 1e-4));

/** Hartmann-6 on [0, 1]^6 as a plain function. */
export function hartmann6At(x: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < 4; i++) {
    let e = 0;
    for (let j = 0; j < 6; j++) e += H_A[i]![j]! * (x[j]! - H_P[i]![j]!) ** 2;
    s += H_ALPHA[i]! * Math.exp(-e);
  }
  return -s;
}

/** Hartmann-6 on [0, 1]^6; global minimum -3.32237. */
export function hartmann6(trial: Trial): number {
  return hartmann6At([0, 1, 2, 3, 4, 5].map((i) => trial.suggestFloat(`x${i}`, 0, 1)));
}
export const HARTMANN6_MIN = -3.32237;
export const HARTMANN6_ARGMIN = [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573];

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
