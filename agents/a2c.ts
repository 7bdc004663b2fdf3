/**
 * Advantage Actor-Critic (Mnih et al. 2016, synchronous variant), as Stable-Baselines3's
 * `A2C`: one gradient step per rollout on the whole batch, n-step returns (GAE with
 * lambda = 1 by default), RMSProp (or Adam), global gradient-norm clipping.
 *
 *   loss = -mean(A log pi(a|s)) - entCoef mean(H) + vfCoef mean((R - V(s))^2)
 *
 * (SB3's value term is the plain MSE, without PPO's 1/2.)
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../src/core/rng.js';
import { explainedVariance, Minibatch, type RolloutBuffer } from './buffer.js';
import { type ActionLayout, logProbAndEntropy } from './distributions.js';
import { batchTensors, type Learner, lossAndGrads, type UpdateStats } from './learner.js';
import { ActorCritic, type NetworkShape } from './networks.js';
import { Adam, clipByGlobalNorm, RmsProp, type TfOptimizer } from './optimizers.js';
import type { A2cSettings } from './settings.js';

export class A2cLearner implements Learner {
  readonly algo = 'a2c';
  readonly net: ActorCritic;
  readonly optimizer: TfOptimizer;
  private readonly batch: Minibatch;
  private readonly indices: Int32Array;

  constructor(
    readonly settings: A2cSettings,
    private readonly shape: NetworkShape,
    private readonly layout: ActionLayout,
    maskSize: number,
    initRng: Rng,
  ) {
    this.net = new ActorCritic(shape, settings.network, initRng);
    this.optimizer =
      settings.optimizer === 'rmsprop'
        ? new RmsProp(this.net.variables, this.net.names, settings.rmspropAlpha, settings.optimizerEps)
        : new Adam(this.net.variables, this.net.names, settings.optimizerEps);
    const size = settings.numEnvs * settings.numSteps;
    this.batch = new Minibatch(size, shape.obsSize, layout.dims, maskSize);
    this.indices = Int32Array.from({ length: size }, (_, i) => i);
  }

  update(buffer: RolloutBuffer, learningRate: number, _rng: Rng): UpdateStats {
    const s = this.settings;
    buffer.gather(this.indices, 0, buffer.size, this.batch);
    if (s.normAdv) this.batch.normalizeAdvantages();
    let names: string[] = [];
    const out = tf.tidy(() => {
      const b = batchTensors(this.batch, this.shape.obsSize, this.layout);
      const r = lossAndGrads(this.net, () => {
        const { logits, value } = this.net.forward(b.obs);
        const { logProb, entropy } = logProbAndEntropy(this.layout, logits, b.masks, b.actions);
        const policyLoss = tf.neg(tf.mean(tf.mul(b.advantages, logProb))) as tf.Scalar;
        const valueLoss = tf.mean(tf.square(tf.sub(b.returns, value))) as tf.Scalar;
        const entropyMean = tf.mean(entropy) as tf.Scalar;
        const loss = tf.add(
          tf.sub(policyLoss, tf.mul(s.entCoef, entropyMean)),
          tf.mul(s.vfCoef, valueLoss),
        ) as tf.Scalar;
        return { loss, stats: { policyLoss, valueLoss, entropy: entropyMean } };
      });
      names = r.names;
      const { clipped, norm } = clipByGlobalNorm(r.grads, s.maxGradNorm);
      this.optimizer.apply(this.net.variables, clipped, learningRate);
      names.push('gradNorm');
      return tf.concat([r.stats, tf.reshape(norm, [1])]);
    });
    const values = out.dataSync();
    out.dispose();
    const stats: UpdateStats = { explainedVariance: explainedVariance(buffer.values, buffer.returns) };
    names.forEach((k, i) => {
      stats[k] = values[i]!;
    });
    return stats;
  }

  dispose(): void {
    this.net.dispose();
    this.optimizer.dispose();
  }
}
