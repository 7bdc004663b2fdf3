// The optimised evaluator against the frozen pre-optimisation copy (fixtures/evaluator-before.ts):
// every result must be bit-identical (Object.is on every number), on random tables built to
// hit the corner cases: priority ties, equal finish times, zero bandwidths, demand exactly
// equal to B, scarce and plentiful B, one job, one core, long queues (merge-sort path).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Encoding } from '../../src/core/encoding.js';
import { type EvaluationResult, Evaluator } from '../../src/core/evaluator.js';
import { Rng } from '../../src/core/rng.js';
import type { JobTable } from '../../src/core/table.js';
import { Evaluator as EvaluatorBefore } from './fixtures/evaluator-before.js';

/** The largest double below 1: the top of the valid priority range (optimisers clamp to it). */
const PRIORITY_TOP = 1 - 2 ** -53;

/** Width of the 'crowded' priority range: far below one decoder bucket for any J <= 300. */
const CROWD_WIDTH = 1e-6;

type LatencyStyle = 'tiny-ints' | 'lognormal' | 'wide';
type BandwidthStyle = 'small-ints' | 'lognormal' | 'all-zero';
type PriorityStyle =
  | 'random'
  | 'few-values'
  | 'all-equal'
  | 'sorted'
  | 'reversed'
  | 'bucket-edges'
  // Distinct priorities in one narrow range: one bucket, many inversions (the merge-sort paths).
  | 'crowded';

interface Case {
  J: number;
  C: number;
  seed: number;
  latency: LatencyStyle;
  bandwidth: BandwidthStyle;
  zeroShare: number;
  /** System bandwidth as a multiple of the mean demand of C jobs (<< 1 scarce, >> 1 plentiful). */
  bwFactor: number;
  /** Round B to an integer so that, with small-integer bandwidths, D === B happens. */
  integerB: boolean;
  priority: PriorityStyle;
}

function makeCaseTable(k: Case, rng: Rng): JobTable {
  const { J, C } = k;
  const latency = new Float64Array(J * C);
  const bandwidth = new Float64Array(J * C);
  let sumW = 0;
  for (let i = 0; i < J * C; i++) {
    // Tiny integer latencies make equal finish times (and zero-length steps) common.
    latency[i] =
      k.latency === 'tiny-ints'
        ? 1 + rng.int(4)
        : k.latency === 'lognormal'
          ? Math.max(1, Math.round(1e4 * Math.exp(rng.normal())))
          : 10 ** (12 * rng.float());
    const zero = k.bandwidth === 'all-zero' || rng.float() < k.zeroShare;
    bandwidth[i] = zero ? 0 : k.bandwidth === 'small-ints' ? 1 + rng.int(3) : Math.exp(2 * rng.normal());
    sumW += bandwidth[i]!;
  }
  const meanDemand = (sumW / J) * Math.max(1, C);
  let B = Math.max(1e-9, meanDemand * k.bwFactor);
  if (k.integerB) B = Math.max(1, Math.round(B));
  return {
    numJobs: J,
    numCores: C,
    systemBandwidth: B,
    latency,
    bandwidth,
    cores: Array.from({ length: C }, (_, c) => ({ name: `core${c}` })),
    jobs: Array.from({ length: J }, (_, j) => ({ name: `job${j}` })),
    details: {},
  };
}

function makeCaseEncoding(k: Case, rng: Rng): Encoding {
  const { J, C } = k;
  const core = new Int32Array(J);
  const priority = new Float64Array(J);
  const few = [0, 0.25, 0.5, 0.5, PRIORITY_TOP];
  // Bucket edges of the old decoder (multiples of 1/M) and their neighbours.
  const M = Math.max(1, Math.ceil((2 * J) / C));
  for (let j = 0; j < J; j++) {
    core[j] = rng.int(C);
    switch (k.priority) {
      case 'random':
        priority[j] = rng.float();
        break;
      case 'few-values':
        priority[j] = few[rng.int(few.length)]!;
        break;
      case 'all-equal':
        priority[j] = 0.5;
        break;
      case 'sorted':
        priority[j] = j / J;
        break;
      case 'reversed':
        priority[j] = (J - 1 - j) / J;
        break;
      case 'crowded':
        priority[j] = 0.5 + CROWD_WIDTH * rng.float();
        break;
      case 'bucket-edges': {
        const edge = rng.int(M) / M;
        const nudge = rng.int(3) - 1;
        priority[j] = Math.min(PRIORITY_TOP, Math.max(0, edge + nudge * 2 ** -52));
        break;
      }
    }
  }
  return { core, priority };
}

function expectSameArray(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect(a[i], `${what}[${i}]`).toBe(b[i]);
}

function expectSameResult(got: EvaluationResult, want: EvaluationResult): void {
  expect(got.makespan).toBe(want.makespan);
  expect(got.bandwidthUtilization).toBe(want.bandwidthUtilization);
  expect(got.coreUtilization).toBe(want.coreUtilization);
  expectSameArray(got.coreFinish, want.coreFinish, 'coreFinish');
  expectSameArray(got.jobStart, want.jobStart, 'jobStart');
  expectSameArray(got.jobFinish, want.jobFinish, 'jobFinish');
  expect(got.timeline === undefined).toBe(want.timeline === undefined);
  if (!got.timeline || !want.timeline) return;
  expect(got.timeline.length).toBe(want.timeline.length);
  for (let s = 0; s < got.timeline.length; s++) {
    const g = got.timeline[s]!;
    const w = want.timeline[s]!;
    expect(g.start, `timeline[${s}].start`).toBe(w.start);
    expect(g.duration, `timeline[${s}].duration`).toBe(w.duration);
    expectSameArray(g.job, w.job, `timeline[${s}].job`);
    expectSameArray(g.allocated, w.allocated, `timeline[${s}].allocated`);
  }
}

/** Several encodings through the same pair of evaluators (buffers are reused across calls). */
function checkCase(k: Case, encodings: number): void {
  const rng = new Rng(k.seed);
  const table = makeCaseTable(k, rng);
  const now = new Evaluator(table);
  const before = new EvaluatorBefore(table);
  for (let e = 0; e < encodings; e++) {
    const enc = makeCaseEncoding(k, rng);
    const want = before.makespan(enc.core, enc.priority);
    expect(Object.is(now.makespan(enc.core, enc.priority), want), `makespan, encoding ${e}`).toBe(true);
    const timeline = e % 2 === 0;
    expectSameResult(now.evaluate(enc, { timeline }), before.evaluate(enc, { timeline }));
    expect(now.queues(enc)).toEqual(before.queues(enc));
  }
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  J: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 300 })),
  C: fc.integer({ min: 1, max: 16 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  latency: fc.constantFrom<LatencyStyle>('tiny-ints', 'lognormal', 'wide'),
  bandwidth: fc.constantFrom<BandwidthStyle>('small-ints', 'lognormal', 'all-zero'),
  zeroShare: fc.constantFrom(0, 0, 0.2, 0.7),
  bwFactor: fc.constantFrom(1e-6, 0.05, 0.3, 1, 3, 1e6),
  integerB: fc.boolean(),
  priority: fc.constantFrom<PriorityStyle>(
    'random',
    'few-values',
    'all-equal',
    'sorted',
    'reversed',
    'bucket-edges',
    'crowded',
  ),
});

describe('optimised evaluator vs the frozen pre-optimisation evaluator', () => {
  it('is bit-identical on random tables and encodings (J 1..300, C 1..16)', () => {
    fc.assert(
      fc.property(caseArb, (k) => checkCase(k, 3)),
      { numRuns: 300, seed: 20260101 },
    );
  });

  it('is bit-identical on every core count 1..16 with long queues and every priority style', () => {
    const styles: PriorityStyle[] = [
      'random',
      'few-values',
      'all-equal',
      'sorted',
      'reversed',
      'bucket-edges',
      'crowded',
    ];
    let seed = 1;
    for (let C = 1; C <= 16; C++)
      for (const priority of styles)
        checkCase(
          {
            J: 300,
            C,
            seed: seed++,
            latency: C % 2 ? 'tiny-ints' : 'lognormal',
            bandwidth: C % 3 ? 'small-ints' : 'lognormal',
            zeroShare: C % 4 === 0 ? 0.2 : 0,
            bwFactor: C % 5 === 0 ? 1e6 : 0.3,
            integerB: C % 2 === 0,
            priority,
          },
          2,
        );
  });
});
