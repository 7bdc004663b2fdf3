/**
 * How `evaluate` and `search` report a makespan against the certified bound (`--bound`): the
 * same fields and line in both, next to the simple bound (which stays, labelled as such).
 */
import { type BoundSolution, isProvenOptimal } from '../../src/bound/certified.js';

export function certifiedFields(makespan: number, b: BoundSolution) {
  return {
    certifiedBound: b.bound,
    boundStatus: b.status,
    boundMipGap: b.mipGap,
    boundPrecision: b.precision,
    boundSeconds: b.seconds,
    gap: makespan / b.bound - 1,
    optimal: isProvenOptimal(makespan, b.bound, b.precision),
  };
}

export function certifiedLine(makespan: number, b: BoundSolution): string {
  const gap = makespan / b.bound - 1;
  const optimal = isProvenOptimal(makespan, b.bound, b.precision) ? ', proven optimal' : '';
  return `certified bound    ${b.bound.toPrecision(8)} cycles  (${b.status} in ${b.seconds.toFixed(1)} s; gap ${(100 * gap).toFixed(3)} %${optimal})`;
}
