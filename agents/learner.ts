/**
 * What the training loop needs from an algorithm: a network, an optimiser, and an update
 * from a filled rollout buffer. PPO and A2C implement it.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../src/core/rng.js';
import type { Minibatch, RolloutBuffer } from './buffer.js';
import type { ActionLayout } from './distributions.js';
import type { ActorCritic } from './networks.js';
import type { TfOptimizer } from './optimizers.js';
import type { Algo } from './settings.js';

/** Mean losses and diagnostics of one update, by name (logged as they are). */
export type UpdateStats = Record<string, number>;

export interface Learner {
  readonly algo: Algo;
  readonly net: ActorCritic;
  readonly optimizer: TfOptimizer;
  /** One update from a buffer whose advantages and returns are computed. */
  update(buffer: RolloutBuffer, learningRate: number, rng: Rng): UpdateStats;
  dispose(): void;
}

export interface BatchTensors {
  readonly obs: tf.Tensor2D;
  readonly actions: tf.Tensor2D;
  /** Float 0/1 masks, or null when the environment has none. */
  readonly masks: tf.Tensor2D | null;
  readonly oldLogProbs: tf.Tensor1D;
  readonly oldValues: tf.Tensor1D;
  readonly advantages: tf.Tensor1D;
  readonly returns: tf.Tensor1D;
}

/** The minibatch as tensors (call inside tf.tidy). */
export function batchTensors(mb: Minibatch, obsSize: number, layout: ActionLayout): BatchTensors {
  const n = mb.size;
  return {
    obs: tf.tensor2d(mb.obs, [n, obsSize]),
    actions: tf.tensor2d(mb.actions, [n, layout.dims], 'int32'),
    masks: mb.masks.length > 0 ? tf.tensor2d(mb.masks, [n, layout.total]) : null,
    oldLogProbs: tf.tensor1d(mb.logProbs),
    oldValues: tf.tensor1d(mb.values),
    advantages: tf.tensor1d(mb.advantages),
    returns: tf.tensor1d(mb.returns),
  };
}

/**
 * Gradients of `loss` with respect to the network's variables, in their order, plus the
 * named diagnostics `loss` reports (evaluated in the same forward pass). Call inside tf.tidy.
 */
export function lossAndGrads(
  net: ActorCritic,
  loss: () => { loss: tf.Scalar; stats: Record<string, tf.Scalar> },
): { grads: tf.Tensor[]; stats: tf.Tensor1D; names: string[] } {
  const kept: { stats: tf.Tensor1D | null } = { stats: null };
  const names: string[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const out = loss();
    names.push(...Object.keys(out.stats));
    // Intermediate tensors die with the gradient computation; keep the diagnostics.
    kept.stats = tf.keep(tf.stack(Object.values(out.stats)) as tf.Tensor1D);
    return out.loss;
  }, net.variables as tf.Variable[]);
  const stats = tf.concat([kept.stats!, tf.reshape(value, [1])]) as tf.Tensor1D;
  kept.stats!.dispose();
  names.push('loss');
  return { grads: net.variables.map((v) => grads[v.name]!), stats, names };
}

/** Accumulates per-minibatch statistics into means. */
export class StatsMean {
  private readonly sums = new Map<string, number>();
  private readonly counts = new Map<string, number>();

  add(names: readonly string[], values: ArrayLike<number>): void {
    names.forEach((k, i) => {
      this.sums.set(k, (this.sums.get(k) ?? 0) + values[i]!);
      this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    });
  }

  means(): UpdateStats {
    const out: UpdateStats = {};
    for (const [k, s] of this.sums) out[k] = s / this.counts.get(k)!;
    return out;
  }
}
