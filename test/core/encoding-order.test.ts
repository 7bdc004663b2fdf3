import { describe, expect, it } from 'vitest';
import { encodingFromOrder } from '../../src/core/encoding.js';
import { Evaluator } from '../../src/core/evaluator.js';
import { synthTable } from '../../src/core/synth.js';

describe('encodingFromOrder', () => {
  it('runs each core’s jobs in the order of assignment', () => {
    const table = synthTable({ jobs: 5, cores: 2, bwRatio: 1, seed: 1 });
    const order: [number, number][] = [
      [3, 1],
      [0, 0],
      [4, 1],
      [2, 0],
      [1, 1],
    ];
    const enc = encodingFromOrder(5, order, 2);
    expect(Array.from(enc.priority)).toEqual([0.2, 0.8, 0.6, 0, 0.4]);
    expect(new Evaluator(table).queues(enc)).toEqual([
      [0, 2],
      [3, 4, 1],
    ]);
  });

  it('requires every job exactly once and cores in range', () => {
    expect(() =>
      encodingFromOrder(3, [
        [0, 0],
        [1, 0],
      ]),
    ).toThrow(/2 entries, expected 3/);
    expect(() =>
      encodingFromOrder(2, [
        [0, 0],
        [0, 1],
      ]),
    ).toThrow(/assignment\[1\]: job 0 is assigned twice/);
    expect(() =>
      encodingFromOrder(2, [
        [0, 0],
        [2, 1],
      ]),
    ).toThrow(/job must be an integer in \[0, 1\], got 2/);
    expect(() =>
      encodingFromOrder(
        2,
        [
          [0, 0],
          [1, 2],
        ],
        2,
      ),
    ).toThrow(/core must be an integer in \[0, 1\], got 2/);
    expect(() =>
      encodingFromOrder(2, [
        [0, 0],
        [1, -1],
      ]),
    ).toThrow(/core must be an integer >= 0, got -1/);
  });
});
