/**
 * Policy distributions over discrete actions, with action masking as in sb3-contrib's
 * MaskablePPO: invalid actions get their logit replaced by a large negative number, so
 * their probability is exactly 0 (exp underflows) and they add nothing to the entropy.
 *
 * An action is a vector of K components; component k has nvec[k] choices (a `Discrete(n)`
 * space is K = 1, `MultiDiscrete(nvec)` is independent categorical heads, one per
 * component). Logits and masks are laid out component after component: [B, sum(nvec)].
 *
 * Two halves: sampling runs in plain JavaScript on the downloaded logits with the project
 * Rng (reproducible on every backend, no tfjs randomness); log-probabilities and entropy
 * for the losses run as tfjs ops so they carry gradients.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../src/core/rng.js';

/**
 * Logit of a masked-out action: exp(-1e8 - max) is exactly 0 in float32 and float64, and
 * 0 x (-1e8) adds 0 to the entropy (MaskableCategorical uses the same trick with -1e8).
 */
export const MASKED_LOGIT = -1e8;

/** Layout of the K action components inside the flat logits / mask rows. */
export class ActionLayout {
  readonly nvec: readonly number[];
  /** Number of components K. */
  readonly dims: number;
  /** Offset of each component's logits in a row. */
  readonly offsets: readonly number[];
  /** sum(nvec): logits (and mask entries) per row. */
  readonly total: number;

  constructor(nvec: readonly number[]) {
    if (nvec.length < 1) throw new RangeError('an action needs at least one component');
    for (const n of nvec) {
      if (!Number.isInteger(n) || n < 1)
        throw new RangeError(`action component sizes must be integers >= 1, got ${n}`);
    }
    this.nvec = [...nvec];
    this.dims = nvec.length;
    const offsets: number[] = [];
    let o = 0;
    for (const n of nvec) {
      offsets.push(o);
      o += n;
    }
    this.offsets = offsets;
    this.total = o;
  }
}

/**
 * Samples one action per row (or takes the most likely valid one when `greedy`), writing
 * the components to `actions` [B * K] and the log-probability of the whole action to
 * `logProb` [B]. `masks` [B * total] holds 1 for a valid choice, or is null (all valid).
 * Throws when a row has no valid choice in some component (an environment bug).
 */
export function sampleActions(
  layout: ActionLayout,
  logits: Float32Array,
  masks: Uint8Array | null,
  batch: number,
  rng: Rng,
  greedy: boolean,
  actions: Int32Array,
  logProb: Float32Array,
): void {
  const { dims, nvec, offsets, total } = layout;
  for (let b = 0; b < batch; b++) {
    let lp = 0;
    for (let k = 0; k < dims; k++) {
      const base = b * total + offsets[k]!;
      const n = nvec[k]!;
      let max = Number.NEGATIVE_INFINITY;
      let arg = -1;
      for (let i = 0; i < n; i++) {
        if (masks && masks[base + i] === 0) continue;
        const l = logits[base + i]!;
        if (l > max) {
          max = l;
          arg = i;
        }
      }
      if (arg < 0) throw new Error(`action mask of row ${b} allows no choice in component ${k}`);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        if (masks && masks[base + i] === 0) continue;
        sum += Math.exp(logits[base + i]! - max);
      }
      let pick = arg;
      if (!greedy) {
        // Inverse-CDF draw; the last valid choice absorbs rounding at the top end.
        let u = rng.float() * sum;
        for (let i = 0; i < n; i++) {
          if (masks && masks[base + i] === 0) continue;
          pick = i;
          u -= Math.exp(logits[base + i]! - max);
          if (u < 0) break;
        }
      }
      actions[b * dims + k] = pick;
      lp += logits[base + pick]! - max - Math.log(sum);
    }
    logProb[b] = lp;
  }
}

/**
 * Log-probability of `actions` [B, K] (int32) and entropy under the masked policy, both
 * [B], summed over components. `masks` is a float32 [B, total] tensor of 0/1, or null.
 * Call inside tf.tidy / a gradient function.
 */
export function logProbAndEntropy(
  layout: ActionLayout,
  logits: tf.Tensor2D,
  masks: tf.Tensor2D | null,
  actions: tf.Tensor2D,
): { logProb: tf.Tensor1D; entropy: tf.Tensor1D } {
  const B = logits.shape[0];
  // logits where mask = 1, MASKED_LOGIT where mask = 0 (a blend keeps the gradient path).
  const masked = masks ? tf.add(tf.mul(logits, masks), tf.mul(tf.sub(1, masks), MASKED_LOGIT)) : logits;
  let logProb: tf.Tensor1D | null = null;
  let entropy: tf.Tensor1D | null = null;
  for (let k = 0; k < layout.dims; k++) {
    const n = layout.nvec[k]!;
    const part = layout.dims === 1 ? masked : tf.slice(masked, [0, layout.offsets[k]!], [B, n]);
    const logp = tf.logSoftmax(part);
    const a = tf.reshape(layout.dims === 1 ? actions : tf.slice(actions, [0, k], [B, 1]), [B]);
    const lpk = tf.sum(tf.mul(tf.oneHot(a, n), logp), 1) as tf.Tensor1D;
    const entk = tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1)) as tf.Tensor1D;
    logProb = logProb ? (tf.add(logProb, lpk) as tf.Tensor1D) : lpk;
    entropy = entropy ? (tf.add(entropy, entk) as tf.Tensor1D) : entk;
  }
  return { logProb: logProb!, entropy: entropy! };
}
