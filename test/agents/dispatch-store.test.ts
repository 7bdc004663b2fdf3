// Policy and checkpoint files of the dispatching policy: a round trip keeps every weight, and
// a flipped byte in the binary, an edited index or a swapped binary is refused with one line.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initialWeights } from '../../agents/dispatch/model.js';
import {
  loadCheckpoint,
  loadDispatchPolicy,
  saveCheckpoint,
  savePolicy,
} from '../../agents/dispatch/store.js';
import { InputError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { TINY_DISPATCH_NET } from './helpers.js';

const NET = TINY_DISPATCH_NET;
const root = mkdtempSync(join(tmpdir(), 'm3e-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function flipByte(path: string, at: number): void {
  const b = readFileSync(path);
  b[at] = b[at]! ^ 0x01;
  writeFileSync(path, b);
}

describe('dispatching policy files', () => {
  const weights = initialWeights(NET, new Rng(5));

  it('round-trips the weights, and refuses a damaged binary, an edited index or a swapped binary', () => {
    const dir = join(root, 'p');
    savePolicy(dir, NET, weights, { steps: 0 });
    const loaded = loadDispatchPolicy(dir).model;
    expect(loaded).toBeDefined();

    const other = join(root, 'q');
    savePolicy(other, NET, initialWeights(NET, new Rng(6)), { steps: 0 });

    const bin = join(dir, 'policy.bin');
    const good = readFileSync(bin);
    flipByte(bin, 100);
    expect(() => loadDispatchPolicy(dir)).toThrow(InputError);
    expect(() => loadDispatchPolicy(dir)).toThrow(/policy\.bin is damaged or does not belong to its index/);
    writeFileSync(bin, good);
    copyFileSync(join(other, 'policy.bin'), bin);
    expect(() => loadDispatchPolicy(dir)).toThrow(/does not belong to its index/);
    writeFileSync(bin, good);
    expect(() => loadDispatchPolicy(dir)).not.toThrow();

    const index = join(dir, 'policy.json');
    const text = readFileSync(index, 'utf8');
    writeFileSync(index, text.replace('"steps": 0', '"steps": 1000000'));
    expect(() => loadDispatchPolicy(dir)).toThrow(/policy\.json is damaged or was edited/);
  });

  it('checks checkpoints the same way', () => {
    const dir = join(root, 'c');
    saveCheckpoint(dir, {
      step: 10,
      iteration: 1,
      episodes: 2,
      elapsedSeconds: 1.5,
      rng: { tables: { s: [1, 2, 3, 4], spare: null } },
      weights,
      optimizer: { steps: 1, arrays: weights.slice(0, 2) },
    });
    const c = loadCheckpoint(dir)!;
    expect(c.step).toBe(10);
    expect(Array.from(c.weights[3]!.data)).toEqual(Array.from(weights[3]!.data));
    expect(c.average).toBeUndefined();
    // A run's moving average of the weights rides along after the optimiser's arrays.
    const average = weights.map((w) => ({ ...w, data: w.data.map((x) => x / 2) }));
    saveCheckpoint(join(root, 'avg'), {
      ...c,
      optimizer: { steps: 1, arrays: weights.slice(0, 2) },
      average,
    });
    const back = loadCheckpoint(join(root, 'avg'))!;
    expect(back.average!.map((w) => Array.from(w.data))).toEqual(average.map((w) => Array.from(w.data)));
    expect(back.optimizer.arrays.map((w) => Array.from(w.data))).toEqual(
      weights.slice(0, 2).map((w) => Array.from(w.data)),
    );
    flipByte(join(dir, 'checkpoint-10.bin'), 7);
    expect(() => loadCheckpoint(dir)).toThrow(/checkpoint-10\.bin is damaged/);
  });
});
