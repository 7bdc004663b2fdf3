/**
 * Proximal Policy Optimisation (Schulman et al. 2017), following CleanRL's `ppo.py` and
 * "The 37 implementation details of PPO" (Huang et al. 2022), with MaskablePPO's masked
 * logits. Read top to bottom: settings, network, rollout, update. The numbered details
 * are the blog post's.
 *
 * - vectorised envs (1), orthogonal init (2), Adam eps 1e-5 (3), linear LR annealing (4):
 *   the training loop (train.ts) and the network (networks.ts);
 * - GAE (5) on rollouts of numEnvs x numSteps (rollout.ts, buffer.ts), with truncated
 *   episodes bootstrapped from V(final observation);
 * - here: shuffled minibatches (6), per-minibatch advantage normalisation (7), clipped
 *   surrogate (8), clipped value loss (9), entropy bonus in one loss (10), global
 *   gradient-norm clipping (11), and the debug variables (12): KL estimates, clip fraction,
 *   explained variance; optional early stop on the approximate KL (target_kl).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../src/core/rng.js';
import { explainedVariance, Minibatch, type RolloutBuffer } from './buffer.js';
import { type ActionLayout, logProbAndEntropy } from './distributions.js';
import { batchTensors, type Learner, lossAndGrads, StatsMean, type UpdateStats } from './learner.js';
import { ActorCritic, type NetworkShape } from './networks.js';
import { Adam, clipByGlobalNorm } from './optimizers.js';
import type { PpoSettings } from './settings.js';

export class PpoLearner implements Learner {
  readonly algo = 'ppo';
  readonly net: ActorCritic;
  readonly optimizer: Adam;
  private readonly minibatch: Minibatch;
  private readonly indices: Int32Array;

  constructor(
    readonly settings: PpoSettings,
    private readonly shape: NetworkShape,
    private readonly layout: ActionLayout,
    /** Mask entries per transition (0 when the envs have no masks). */
    maskSize: number,
    initRng: Rng,
  ) {
    this.net = new ActorCritic(shape, settings.network, initRng);
    this.optimizer = new Adam(this.net.variables, this.net.names, settings.adamEps);
    const batch = settings.numEnvs * settings.numSteps;
    this.minibatch = new Minibatch(
      Math.ceil(batch / settings.numMinibatches),
      shape.obsSize,
      layout.dims,
      maskSize,
    );
    this.indices = new Int32Array(batch);
  }

  update(buffer: RolloutBuffer, learningRate: number, rng: Rng): UpdateStats {
    const s = this.settings;
    const batch = buffer.size;
    const idx = this.indices;
    const stats = new StatsMean();
    let epochs = 0;
    let stoppedEarly = 0;
    for (let epoch = 0; epoch < s.updateEpochs; epoch++) {
      for (let i = 0; i < batch; i++) idx[i] = i;
      rng.shuffle(idx);
      let lastKl = 0;
      for (let m = 0; m < s.numMinibatches; m++) {
        // Near-equal minibatches (sizes differ by at most one when the batch does not divide).
        const from = Math.floor((m * batch) / s.numMinibatches);
        const to = Math.floor(((m + 1) * batch) / s.numMinibatches);
        buffer.gather(idx, from, to, this.minibatch);
        if (s.normAdv) this.minibatch.normalizeAdvantages();
        const { names, values } = this.minibatchStep(learningRate);
        stats.add(names, values);
        lastKl = values[names.indexOf('approxKl')]!;
      }
      epochs++;
      if (s.targetKl !== null && lastKl > s.targetKl) {
        stoppedEarly = 1;
        break;
      }
    }
    return {
      ...stats.means(),
      explainedVariance: explainedVariance(buffer.values, buffer.returns),
      epochs,
      stoppedEarly,
    };
  }

  /** One gradient step on the gathered minibatch; returns its diagnostics. */
  private minibatchStep(learningRate: number): { names: string[]; values: Float32Array } {
    const s = this.settings;
    const mb = this.minibatch;
    let names: string[] = [];
    const out = tf.tidy(() => {
      const b = batchTensors(mb, this.shape.obsSize, this.layout);
      const r = lossAndGrads(this.net, () => {
        const { logits, value } = this.net.forward(b.obs);
        const { logProb, entropy } = logProbAndEntropy(this.layout, logits, b.masks, b.actions);
        const logRatio = tf.sub(logProb, b.oldLogProbs);
        const ratio = tf.exp(logRatio);
        // Policy loss: the pessimistic (max of negatives) of the plain and clipped surrogates.
        const pg1 = tf.mul(tf.neg(b.advantages), ratio);
        const pg2 = tf.mul(tf.neg(b.advantages), tf.clipByValue(ratio, 1 - s.clipCoef, 1 + s.clipCoef));
        const pgLoss = tf.mean(tf.maximum(pg1, pg2)) as tf.Scalar;
        // Value loss, clipped around the rollout's values as in ppo2.
        let vLoss: tf.Scalar;
        if (s.clipVloss) {
          const unclipped = tf.square(tf.sub(value, b.returns));
          const vClipped = tf.add(
            b.oldValues,
            tf.clipByValue(tf.sub(value, b.oldValues), -s.clipCoef, s.clipCoef),
          );
          const clipped = tf.square(tf.sub(vClipped, b.returns));
          vLoss = tf.mul(0.5, tf.mean(tf.maximum(unclipped, clipped))) as tf.Scalar;
        } else {
          vLoss = tf.mul(0.5, tf.mean(tf.square(tf.sub(value, b.returns)))) as tf.Scalar;
        }
        const entropyLoss = tf.mean(entropy) as tf.Scalar;
        const loss = tf.add(
          tf.sub(pgLoss, tf.mul(s.entCoef, entropyLoss)),
          tf.mul(s.vfCoef, vLoss),
        ) as tf.Scalar;
        return {
          loss,
          stats: {
            policyLoss: pgLoss,
            valueLoss: vLoss,
            entropy: entropyLoss,
            // KL estimators of http://joschu.net/blog/kl-approx.html, as CleanRL.
            oldApproxKl: tf.mean(tf.neg(logRatio)) as tf.Scalar,
            approxKl: tf.mean(tf.sub(tf.sub(ratio, 1), logRatio)) as tf.Scalar,
            clipFrac: tf.mean(
              tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), s.clipCoef), 'float32'),
            ) as tf.Scalar,
          },
        };
      });
      names = r.names;
      const { clipped, norm } = clipByGlobalNorm(r.grads, s.maxGradNorm);
      this.optimizer.apply(this.net.variables, clipped, learningRate);
      names.push('gradNorm');
      return tf.concat([r.stats, tf.reshape(norm, [1])]);
    });
    try {
      return { names, values: out.dataSync() as Float32Array };
    } finally {
      out.dispose();
    }
  }

  dispose(): void {
    this.net.dispose();
    this.optimizer.dispose();
  }
}
