/**
 * The dispatching policy (model.ts) on TensorFlow.js, for training: the same computation as
 * the JavaScript forward pass, on the steps of one table at a time. A table's encoder runs
 * once and serves every step of every rollout on it (teacher forcing: the decisions' inputs
 * were recorded while acting), so a batch costs one encoder pass per table plus O(J x dim)
 * per step.
 *
 * tfjs-wasm runs a matrix product with a transpose flag (what tfjs's own gradients use) on a
 * naive loop about 10x slower than XNNPACK's plain product: every product here, and its
 * gradient, transposes explicitly instead.
 */
import * as tf from '@tensorflow/tfjs';
import { MASKED_LOGIT } from '../distributions.js';
import { assignNamed, type NamedArray, readNamed } from '../networks.js';
import { CONTEXT_FEATURES, CORE_FEATURES, JOB_FEATURES, PAIR_FEATURES } from './features.js';
import { type DispatchNetSettings, paramSpecs } from './model.js';

/** a b with a gradient that transposes explicitly. */
const mm = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [as, bs] = saved as tf.Tensor2D[];
      return [tf.matMul(dy, tf.transpose(bs!)), tf.matMul(tf.transpose(as!), dy)];
    },
  };
}) as Parameters<typeof tf.customGrad<tf.Tensor2D>>[0]) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/** MASKED_LOGIT where the 0/1 mask is 0, else 0. */
function blockedOf(mask: Float32Array): Float32Array {
  const out = new Float32Array(mask.length);
  for (let i = 0; i < mask.length; i++) if (mask[i] === 0) out[i] = MASKED_LOGIT;
  return out;
}

/** The recorded decisions on one table, as the training forward pass takes them. */
export interface TableSteps {
  readonly J: number;
  readonly C: number;
  /** [J x JOB_FEATURES] */
  readonly jobs: Float32Array;
  /** [C x CORE_FEATURES] */
  readonly cores: Float32Array;
  /** Decisions. */
  readonly S: number;
  /** [S x CONTEXT_FEATURES] */
  readonly context: Float32Array;
  /** [S] waiting core of each decision. */
  readonly core: Int32Array;
  /** [S x (J + 1)] 0/1: the pending jobs, then whether the core may close. */
  readonly mask: Float32Array;
  /** [S x J x PAIR_FEATURES] */
  readonly pair: Float32Array;
  /** [S] the action taken: a job index, or J for close. */
  readonly action: Int32Array;
}

export interface StepOutputs {
  /** [S] log-probability of the recorded action. */
  readonly logProb: tf.Tensor1D;
  /** [S] entropy of the masked policy. */
  readonly entropy: tf.Tensor1D;
  /** [S] state values (only when asked). */
  readonly value: tf.Tensor1D | null;
}

export class DispatchNetwork {
  readonly settings: DispatchNetSettings;
  readonly variables: tf.Variable[];
  readonly names: string[];
  private readonly v = new Map<string, tf.Variable>();

  constructor(settings: DispatchNetSettings, weights: readonly NamedArray[]) {
    this.settings = settings;
    const specs = paramSpecs(settings);
    this.names = specs.map((p) => p.name);
    this.variables = tf.tidy(() => specs.map((p) => tf.variable(tf.zeros([...p.shape]), true)));
    this.names.forEach((n, i) => {
      this.v.set(n, this.variables[i]!);
    });
    this.setWeights(weights);
  }

  setWeights(weights: readonly NamedArray[]): void {
    assignNamed('dispatch network', this.names, this.variables, weights);
  }

  getWeights(): NamedArray[] {
    return readNamed(this.names, this.variables);
  }

  private p(name: string): tf.Tensor {
    return this.v.get(name)!;
  }

  private dense(x: tf.Tensor2D, name: string, relu: boolean, bias = true): tf.Tensor2D {
    let y = mm(x, this.p(`${name}/kernel`) as tf.Tensor2D);
    if (bias) y = tf.add(y, this.p(`${name}/bias`)) as tf.Tensor2D;
    return relu ? tf.relu(y) : y;
  }

  /** Job embeddings [J, dim] and core embeddings [C, dim]. Call inside tf.tidy or a gradient. */
  encode(t: TableSteps): { h: tf.Tensor2D; g: tf.Tensor2D } {
    const { dim, heads, layers } = this.settings;
    const J = t.J;
    const jobs = tf.tensor2d(t.jobs, [J, JOB_FEATURES]);
    let h = this.dense(this.dense(jobs, 'job/0', true), 'job/1', false);
    const dh = dim / heads;
    const scale = 1 / Math.sqrt(dh);
    for (let l = 0; l < layers; l++) {
      const gate = this.p(`enc/${l}/gate`);
      const qkv = this.dense(h, `enc/${l}/qkv`, false, false);
      const parts: tf.Tensor2D[] = [];
      for (let hd = 0; hd < heads; hd++) {
        const q = tf.slice(qkv, [0, hd * dh], [J, dh]);
        const k = tf.slice(qkv, [0, dim + hd * dh], [J, dh]);
        const v = tf.slice(qkv, [0, 2 * dim + hd * dh], [J, dh]);
        const w = tf.softmax(tf.mul(mm(q, tf.transpose(k)), scale)) as tf.Tensor2D;
        parts.push(mm(w, v));
      }
      const att = heads === 1 ? parts[0]! : (tf.concat(parts, 1) as tf.Tensor2D);
      h = tf.add(h, tf.mul(tf.slice(gate, [0], [1]), this.dense(att, `enc/${l}/out`, false))) as tf.Tensor2D;
      const ff = this.dense(this.dense(h, `enc/${l}/ff1`, true), `enc/${l}/ff2`, false);
      h = tf.add(h, tf.mul(tf.slice(gate, [1], [1]), ff)) as tf.Tensor2D;
    }
    const cores = tf.tensor2d(t.cores, [t.C, CORE_FEATURES]);
    const g = this.dense(this.dense(cores, 'core/0', true), 'core/1', false);
    return { h, g };
  }

  /**
   * Log-probabilities of the recorded actions, entropies and (with `withValue`) values of
   * every decision on the table. Call inside tf.tidy or a gradient function.
   */
  forward(t: TableSteps, withValue: boolean): StepOutputs {
    const { dim } = this.settings;
    const { J, S } = t;
    const { h, g } = this.encode(t);
    const context = tf.tensor2d(t.context, [S, CONTEXT_FEATURES]);
    const mask = tf.tensor2d(t.mask, [S, J + 1]);
    // Additive masks (0 allowed, MASKED_LOGIT not): one add per use instead of a blend.
    const blockedAll = tf.tensor2d(blockedOf(t.mask), [S, J + 1]);
    const blocked = tf.slice(blockedAll, [0, 0], [S, J]);
    const pendingMask = tf.slice(mask, [0, 0], [S, J]) as tf.Tensor2D;
    const count = tf.maximum(tf.sum(pendingMask, 1, true), 1);
    // The query's first layer on [context, g of the waiting core, mean h of the pending jobs],
    // its kernel applied part by part so the table-wide parts are applied once per table. A
    // one-hot product picks the waiting core's row (gather's gradient is missing on tfjs-wasm).
    const k0 = this.p('dec/0/kernel') as tf.Tensor2D;
    const part = (from: number, rows: number) => tf.slice(k0, [from, 0], [rows, dim]) as tf.Tensor2D;
    const onehot = tf.oneHot(tf.tensor1d(t.core, 'int32'), t.C).toFloat() as tf.Tensor2D;
    const pre = tf.add(
      tf.add(mm(context, part(0, CONTEXT_FEATURES)), mm(onehot, mm(g, part(CONTEXT_FEATURES, dim)))),
      tf.add(tf.div(mm(pendingMask, mm(h, part(CONTEXT_FEATURES + dim, dim))), count), this.p('dec/0/bias')),
    );
    const q = this.dense(tf.relu(pre) as tf.Tensor2D, 'dec/1', false);
    const scale = 1 / Math.sqrt(dim);
    // Glimpse: attention of q over the pending jobs.
    const kv = this.dense(h, 'glimpse/kv', false, false);
    const k = tf.slice(kv, [0, 0], [J, dim]) as tf.Tensor2D;
    const v = tf.slice(kv, [0, dim], [J, dim]) as tf.Tensor2D;
    const qs = tf.mul(q, scale) as tf.Tensor2D;
    const att = tf.softmax(tf.add(mm(qs, tf.transpose(k)), blocked)) as tf.Tensor2D;
    const q2 = tf.add(q, this.dense(mm(att, v), 'glimpse/out', false)) as tf.Tensor2D;
    const keys = this.dense(h, 'pointer/key', false, false);
    const dot = mm(tf.mul(q2, scale) as tf.Tensor2D, tf.transpose(keys));
    // Elementwise rather than a product with one output column: tfjs-wasm 4.22 corrupts its
    // memory on that product with S x J rows (memory access out of bounds a few ops later).
    const pair = tf.tensor3d(t.pair, [S, J, PAIR_FEATURES]);
    const w = tf.reshape(this.p('pointer/pair/kernel'), [1, 1, PAIR_FEATURES]);
    const pairTerm = tf.sum(tf.mul(pair, w), 2);
    const close = tf.add(
      this.dense(this.dense(q2, 'close/0', true), 'close/1', false),
      this.dense(context, 'close/skip', false),
    );
    const logits = tf.add(tf.concat([tf.add(dot, pairTerm), close], 1), blockedAll) as tf.Tensor2D;
    const logp = tf.logSoftmax(logits);
    const taken = tf.oneHot(tf.tensor1d(t.action, 'int32'), J + 1);
    const logProb = tf.sum(tf.mul(taken, logp), 1) as tf.Tensor1D;
    const entropy = tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1)) as tf.Tensor1D;
    let value: tf.Tensor1D | null = null;
    if (withValue) {
      // The first layer on [q, mean h, context], with the mean's rows of the kernel applied
      // once and broadcast (tiling the mean has a per-row gradient on tfjs).
      const k0 = this.p('value/0/kernel') as tf.Tensor2D;
      const hidden = k0.shape[1];
      const meanPart = mm(tf.mean(h, 0, true) as tf.Tensor2D, tf.slice(k0, [dim, 0], [dim, hidden]));
      const v0 = tf.relu(
        tf.add(
          tf.add(
            mm(q, tf.slice(k0, [0, 0], [dim, hidden])),
            mm(context, tf.slice(k0, [2 * dim, 0], [CONTEXT_FEATURES, hidden])),
          ),
          tf.add(meanPart, this.p('value/0/bias')),
        ),
      ) as tf.Tensor2D;
      const vv = this.dense(this.dense(v0, 'value/1', true), 'value/2', false);
      value = tf.reshape(vv, [S]) as tf.Tensor1D;
    }
    return { logProb, entropy, value };
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
