/**
 * The updates of the dispatching policy from a batch of recorded rollouts (rollout.ts):
 * PPO (CleanRL's `ppo.py` losses: clipped surrogate, clipped value loss, entropy bonus,
 * per-minibatch advantage normalisation, global gradient clipping), A2C (one step, the
 * actor-critic loss) and REINFORCE with POMO's shared baseline (one step, the advantage of
 * a rollout is its return minus the mean return of the table's K rollouts).
 *
 * A minibatch is a group of whole tables, so each table's encoder runs once for all of its
 * steps. Losses are means over the minibatch's steps.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../src/core/rng.js';
import type { UpdateStats } from '../learner.js';
import { Adam, clipByGlobalNorm } from '../optimizers.js';
import type { DispatchNetwork } from './network.js';
import { stepsOf, type TableRecord } from './rollout.js';
import type { DispatchSettings } from './settings.js';

/** Advantages and returns of a table's steps, and the self-imitation weight of each step. */
export interface Targets {
  readonly advantages: Float32Array;
  readonly returns: Float32Array;
  /**
   * Self-imitation weight of each step: 1 on the steps of the best sampled rollout when it
   * beats the greedy one, else 0 (or null). With an expert rollout, the better of it and the
   * best sample is imitated (the expert's steps weighted `expertWeight`).
   */
  readonly imitate: Float32Array | null;
  /** Steps excluded from the policy gradient (the greedy and expert rollouts): 0, else 1 (or null). */
  readonly sampled: Float32Array | null;
}

/**
 * GAE(lambda) within each rollout (values recorded while acting; 0 after the last step), or
 * for `reinforce` the shared baseline: every step of rollout k gets R_k - mean_k R (times
 * leaderWeight for the table's best rollout). The rollouts are, in order: the greedy one
 * (with `greedyRollout`), the expert's replay (with `expert`), then the samples.
 */
export function targets(rec: TableRecord, s: DispatchSettings): Targets {
  const S = rec.S;
  const advantages = new Float32Array(S);
  const returns = new Float32Array(S);
  const R = new Float64Array(rec.K);
  for (let k = 0; k < rec.K; k++)
    for (let t = rec.start[k]!; t < rec.start[k + 1]!; t++) R[k]! += rec.reward[t]!;
  const expert = s.expert ? (s.greedyRollout ? 1 : 0) : -1;
  // The samples are rollouts first..K-1.
  const first = (s.greedyRollout ? 1 : 0) + (s.expert ? 1 : 0);
  let imitate: Float32Array | null = null;
  let sampled: Float32Array | null = null;
  let best = first;
  for (let k = first + 1; k < rec.K; k++) if (R[k]! > R[best]!) best = k;
  if (first > 0) {
    sampled = new Float32Array(S).fill(1);
    sampled.fill(0, rec.start[0]!, rec.start[first]!);
    // The expert wins ties: its mapping is the one searched for.
    const target = expert >= 0 && (best >= rec.K || R[expert]! >= R[best]!) ? expert : best;
    const beats = !s.greedyRollout || R[target]! > R[0]!;
    if (s.silCoef > 0 && target < rec.K && beats) {
      imitate = new Float32Array(S);
      imitate.fill(target === expert ? s.expertWeight : 1, rec.start[target]!, rec.start[target + 1]!);
      if (target === expert)
        for (let t = rec.start[target]!; t < rec.start[target + 1]!; t++) {
          if (rec.action[t] === rec.J) imitate[t]! *= s.expertCloseWeight;
          if (rec.agree[t] === 1) imitate[t]! *= s.expertAgreeWeight;
        }
    }
  }
  if (s.algo === 'reinforce' || s.advantage === 'shared') {
    let mean = 0;
    for (let k = first; k < rec.K; k++) mean += R[k]! / (rec.K - first);
    for (let k = first; k < rec.K; k++) {
      const a = (R[k]! - mean) * (k === best ? s.leaderWeight : 1);
      for (let t = rec.start[k]!; t < rec.start[k + 1]!; t++) {
        advantages[t] = a;
        returns[t] = R[k]!;
      }
    }
    return { advantages, returns, imitate, sampled };
  }
  const { gamma, gaeLambda } = s;
  for (let k = 0; k < rec.K; k++) {
    let next = 0;
    let nextValue = 0;
    for (let t = rec.start[k + 1]! - 1; t >= rec.start[k]!; t--) {
      const delta = rec.reward[t]! + gamma * nextValue - rec.value[t]!;
      next = delta + gamma * gaeLambda * next;
      advantages[t] = next;
      returns[t] = next + rec.value[t]!;
      nextValue = rec.value[t]!;
    }
  }
  return { advantages, returns, imitate, sampled };
}

/** Mean and standard deviation of the advantages of `group` (for normalisation). */
function moments(group: readonly Targets[]): { mean: number; std: number } {
  let n = 0;
  let sum = 0;
  let sq = 0;
  for (const t of group)
    t.advantages.forEach((a, i) => {
      if (t.sampled && !t.sampled[i]) return;
      n++;
      sum += a;
      sq += a * a;
    });
  const mean = n ? sum / n : 0;
  const variance = n > 1 ? Math.max(0, (sq - n * mean * mean) / (n - 1)) : 0;
  return { mean, std: Math.sqrt(variance) };
}

export class DispatchLearner {
  readonly optimizer: Adam;

  constructor(
    readonly net: DispatchNetwork,
    readonly settings: DispatchSettings,
  ) {
    this.optimizer = new Adam(net.variables, net.names, settings.adamEps);
  }

  /** One update from a batch of tables; returns mean diagnostics. */
  update(records: readonly TableRecord[], learningRate: number, rng: Rng): UpdateStats {
    const s = this.settings;
    const all = records.map((r) => targets(r, s));
    const sums: Record<string, number> = {};
    let steps = 0;
    const add = (names: string[], values: ArrayLike<number>) => {
      names.forEach((k, i) => {
        sums[k] = (sums[k] ?? 0) + values[i]!;
      });
      steps++;
    };
    if (s.algo !== 'a2c') {
      const order = Int32Array.from(records, (_, i) => i);
      const epochs = s.algo === 'ppo' ? s.epochs : 1;
      for (let epoch = 0; epoch < epochs; epoch++) {
        rng.shuffle(order);
        for (let m = 0; m < s.minibatches; m++) {
          const from = Math.floor((m * order.length) / s.minibatches);
          const to = Math.floor(((m + 1) * order.length) / s.minibatches);
          const idx = Array.from(order.subarray(from, to));
          const r = this.step(
            idx.map((i) => records[i]!),
            idx.map((i) => all[i]!),
            learningRate,
          );
          add(r.names, r.values);
        }
      }
    } else {
      const r = this.step(records, all, learningRate);
      add(r.names, r.values);
    }
    const out: UpdateStats = {};
    for (const [k, v] of Object.entries(sums)) out[k] = v / steps;
    return out;
  }

  /** One gradient step on a group of tables. */
  private step(
    group: readonly TableRecord[],
    tg: readonly Targets[],
    learningRate: number,
  ): { names: string[]; values: Float32Array } {
    const s = this.settings;
    const withValue = s.algo !== 'reinforce' && s.advantage === 'gae';
    const { mean, std } = moments(tg);
    // GAE advantages are centred and scaled; the shared baseline already centres, so only scale.
    const shift = s.normAdv && withValue ? mean : 0;
    const scale = s.normAdv ? 1 / (std + 1e-8) : 1;
    let total = 0;
    for (const r of group) total += r.S;
    const names: string[] = [];
    const out = tf.tidy(() => {
      const kept: tf.Tensor[] = [];
      const { value: loss, grads } = tf.variableGrads(() => {
        let pg: tf.Scalar = tf.scalar(0);
        let vl: tf.Scalar = tf.scalar(0);
        let ent: tf.Scalar = tf.scalar(0);
        let kl: tf.Scalar = tf.scalar(0);
        let clipFrac: tf.Scalar = tf.scalar(0);
        let sil: tf.Scalar = tf.scalar(0);
        group.forEach((rec, i) => {
          const S = rec.S;
          const o = this.net.forward(stepsOf(rec), withValue, s.entCoef > 0);
          const sampledMask = tg[i]!.sampled;
          const adv = tf.tensor1d(
            tg[i]!.advantages.map((a, k) => (sampledMask && !sampledMask[k] ? 0 : (a - shift) * scale)),
          );
          const w = 1 / total;
          if (s.algo === 'ppo') {
            const logRatio = tf.sub(o.logProb, tf.tensor1d(rec.logProb.subarray(0, S)));
            const ratio = tf.exp(logRatio);
            const pg1 = tf.mul(tf.neg(adv), ratio);
            const pg2 = tf.mul(tf.neg(adv), tf.clipByValue(ratio, 1 - s.clipCoef, 1 + s.clipCoef));
            pg = tf.add(pg, tf.mul(tf.sum(tf.maximum(pg1, pg2)), w));
            kl = tf.add(kl, tf.mul(tf.sum(tf.sub(tf.sub(ratio, 1), logRatio)), w));
            clipFrac = tf.add(
              clipFrac,
              tf.mul(tf.sum(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), s.clipCoef), 'float32')), w),
            );
          } else {
            pg = tf.add(pg, tf.mul(tf.sum(tf.mul(tf.neg(adv), o.logProb)), w));
          }
          if (o.entropy) ent = tf.add(ent, tf.mul(tf.sum(o.entropy), w));
          const imitate = tg[i]!.imitate;
          if (imitate) sil = tf.sub(sil, tf.mul(tf.sum(tf.mul(o.logProb, tf.tensor1d(imitate))), w));
          if (o.value) {
            const ret = tf.tensor1d(tg[i]!.returns);
            let sq: tf.Tensor = tf.square(tf.sub(o.value, ret));
            if (s.algo === 'ppo' && s.clipVloss) {
              const old = tf.tensor1d(rec.value.subarray(0, S));
              const clipped = tf.add(old, tf.clipByValue(tf.sub(o.value, old), -s.clipCoef, s.clipCoef));
              sq = tf.maximum(sq, tf.square(tf.sub(clipped, ret)));
            }
            vl = tf.add(vl, tf.mul(tf.sum(sq), w * (s.algo === 'ppo' ? 0.5 : 1)));
          }
        });
        kept.push(tf.keep(tf.stack([pg, vl, ent, kl, clipFrac, sil])));
        let loss = tf.sub(pg, tf.mul(ent, s.entCoef));
        if (s.silCoef > 0) loss = tf.add(loss, tf.mul(sil, s.silCoef));
        if (withValue) loss = tf.add(loss, tf.mul(vl, s.vfCoef));
        return loss as tf.Scalar;
      }, this.net.variables);
      // Variables the loss does not reach (the value head under reinforce) get zero gradients.
      const g = this.net.variables.map((v) => grads[v.name] ?? tf.zerosLike(v));
      const { clipped, norm } = clipByGlobalNorm(g, s.maxGradNorm);
      this.optimizer.apply(this.net.variables, clipped, learningRate);
      names.push(
        'policyLoss',
        'valueLoss',
        'entropy',
        'approxKl',
        'clipFrac',
        'imitationLoss',
        'loss',
        'gradNorm',
      );
      const stats = tf.concat([kept[0]!, tf.reshape(loss, [1]), tf.reshape(norm, [1])]);
      kept[0]!.dispose();
      return stats;
    });
    const values = out.dataSync() as Float32Array;
    out.dispose();
    return { names, values };
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
