/**
 * Proximal Policy Optimisation (Schulman et al. 2017), following CleanRL's `ppo.py` and
 * "The 37 implementation details of PPO" (Huang et al. 2022), with MaskablePPO's masked
 * logits. The numbers in parentheses are the blog post's details.
 *
 * One training iteration, in call order (CleanRL's loop body, top to bottom):
 *
 *   1. Trainer.iterate (trainer.ts): the learning rate, annealed linearly to 0 (4).
 *   2. RolloutCollector.collect (rollout.ts): numSteps steps of the numEnvs environments
 *      (1) into the RolloutBuffer (buffer.ts); at each step
 *      2a. ActorCritic.predict (networks.ts): logits and values of the observations;
 *      2b. sampleActions (distributions.ts): actions and their log-probabilities, drawn from
 *          the masked logits with the run's Rng;
 *      2c. AgentVecEnv.step (vec-env.ts): rewards and episode ends; a truncated episode's
 *          last reward gets + gamma x V(final observation).
 *   3. RolloutBuffer.computeGae (buffer.ts): advantages and returns by GAE (5), bootstrapped
 *      from V of the observations after the last step.
 *   4. PpoLearner.update (here): updateEpochs epochs over shuffled minibatches (6); for
 *      each minibatch
 *      4a. RolloutBuffer.gather, and per-minibatch advantage normalisation (7);
 *      4b. minibatchStep: new log-probabilities, entropies and values; the clipped
 *          surrogate (8), the clipped value loss (9) and the entropy bonus in one loss (10);
 *          gradients, global gradient-norm clipping (11), an Adam step (eps 1e-5, 3);
 *      4c. after each epoch, the early stop on the approximate KL (`targetKl`).
 *   5. Trainer.iterate: the iteration's metrics (12: KL estimates, clip fraction, explained
 *      variance), which train.ts writes with the checkpoints.
 *
 * The network and its orthogonal initialisation (2) are in networks.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../src/core/rng.js';
import { explainedVariance, Minibatch, type RolloutBuffer } from './buffer.js';
import { type ActionLayout, logProbAndEntropy } from './distributions.js';
import { batchTensors, type Learner, lossAndGrads, StatsMean, type UpdateStats } from './learner.js';
import { ActorCritic, type NetworkShape } from './networks.js';
import { Adam, clipByGlobalNorm } from './optimizers.js';
import type { PpoSettings } from './settings.js';

/** PPO's update (step 4 of the map above), on a rollout the trainer collected. */
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
        // 4a.
        buffer.gather(idx, from, to, this.minibatch);
        if (s.normAdv) this.minibatch.normalizeAdvantages();
        // 4b.
        const { names, values } = this.minibatchStep(learningRate);
        stats.add(names, values);
        lastKl = values[names.indexOf('approxKl')]!;
      }
      epochs++;
      // 4c.
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
        const logRatio = logProb.sub(b.oldLogProbs);
        const ratio = logRatio.exp();
        // Policy loss: the pessimistic (max of negatives) of the plain and clipped surrogates.
        const pgLoss1 = b.advantages.neg().mul(ratio);
        const pgLoss2 = b.advantages.neg().mul(ratio.clipByValue(1 - s.clipCoef, 1 + s.clipCoef));
        const pgLoss = pgLoss1.maximum(pgLoss2).mean() as tf.Scalar;
        // Value loss, clipped around the rollout's values as in ppo2.
        let vLoss: tf.Scalar;
        if (s.clipVloss) {
          const vLossUnclipped = value.sub(b.returns).square();
          const vClipped = b.oldValues.add(value.sub(b.oldValues).clipByValue(-s.clipCoef, s.clipCoef));
          const vLossClipped = vClipped.sub(b.returns).square();
          vLoss = vLossUnclipped.maximum(vLossClipped).mean().mul(0.5) as tf.Scalar;
        } else {
          vLoss = value.sub(b.returns).square().mean().mul(0.5) as tf.Scalar;
        }
        const entropyLoss = entropy.mean() as tf.Scalar;
        const loss = pgLoss.sub(entropyLoss.mul(s.entCoef)).add(vLoss.mul(s.vfCoef)) as tf.Scalar;
        return {
          loss,
          stats: {
            policyLoss: pgLoss,
            valueLoss: vLoss,
            entropy: entropyLoss,
            // KL estimators of http://joschu.net/blog/kl-approx.html, as CleanRL.
            oldApproxKl: logRatio.neg().mean() as tf.Scalar,
            approxKl: ratio.sub(1).sub(logRatio).mean() as tf.Scalar,
            clipFrac: ratio.sub(1).abs().greater(s.clipCoef).cast('float32').mean() as tf.Scalar,
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
