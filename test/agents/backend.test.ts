// Backend selection: auto falls back in order and says why; an explicit choice fails loudly.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { activeBackend, describeBackend, parseBackendChoice, selectBackend } from '../../agents/backend.js';
import { InputError } from '../../src/core/errors.js';

describe('backend selection', () => {
  it('auto takes tfjs-node when it loads, else WASM, and logs what it skipped', async () => {
    const info = await selectBackend('auto');
    expect(['node', 'wasm']).toContain(info.name);
    expect(activeBackend()).toBe(info.name);
    if (info.name === 'wasm') {
      expect(info.skipped).toHaveLength(1);
      expect(info.skipped[0]).toMatch(/^node: /);
      expect(describeBackend(info, true)).toMatch(/^backend wasm \(skipped node: /);
      // The native backend's absence is normal: its import error only when asked for.
      expect(describeBackend(info)).toBe('backend wasm');
    }
    // The chosen backend computes.
    expect(Array.from(tf.tidy(() => tf.add(tf.tensor1d([1, 2]), 1).dataSync()))).toEqual([2, 3]);
  });

  it('switches to an explicit backend, and refuses unknown or unavailable ones', async () => {
    expect((await selectBackend('cpu')).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(() => parseBackendChoice('gpu')).toThrow(
      /--backend must be one of auto, node, wasm, cpu, got "gpu"/,
    );
    let nodeLoads = true;
    try {
      await import(['@tensorflow', 'tfjs-node'].join('/'));
    } catch {
      nodeLoads = false;
    }
    if (!nodeLoads) await expect(selectBackend('node')).rejects.toThrow(InputError);
  });
});
