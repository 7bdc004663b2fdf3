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

/**
 * pair [rows x PAIR_FEATURES] (data, no gradient) times w [PAIR_FEATURES x 1], as a [rows]
 * tensor, computed in JavaScript with a JavaScript gradient for w: the pair features never
 * become a tensor (S x J x 8 values per table), which spares their upload and the
 * elementwise passes over them. (A tfjs product with a single output column over S x J rows
 * is also what corrupts tfjs-wasm 4.22's memory.)
 */
function pairLinear(pair: Float32Array, live: Float32Array, rows: number, w: tf.Tensor2D): tf.Tensor1D {
  const F = PAIR_FEATURES;
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [wt] = args as [tf.Tensor2D];
    const wv = wt.dataSync();
    const out = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      // Jobs that are not pending are masked out of the policy: 0 will do.
      if (!live[r]) continue;
      let v = 0;
      const o = r * F;
      for (let f = 0; f < F; f++) v += pair[o + f]! * wv[f]!;
      out[r] = v;
    }
    return {
      value: tf.tensor1d(out),
      gradFunc: (dy: tf.Tensor1D) => {
        const g = dy.dataSync();
        const dw = new Float64Array(F);
        for (let r = 0; r < rows; r++) {
          const d = g[r]!;
          if (d === 0 || !live[r]) continue;
          const o = r * F;
          for (let f = 0; f < F; f++) dw[f]! += pair[o + f]! * d;
        }
        return [tf.tensor2d(Float32Array.from(dw), [F, 1])];
      },
    };
  }) as Parameters<typeof tf.customGrad<tf.Tensor1D>>[0]) as (w: tf.Tensor2D) => tf.Tensor1D;
  return op(w);
}

/** The taken actions as one-hot rows over the jobs [S x J] and a close flag [S]. */
function takenOf(
  action: Int32Array,
  S: number,
  J: number,
): { takenJob: Float32Array; takenClose: Float32Array } {
  const takenJob = new Float32Array(S * J);
  const takenClose = new Float32Array(S);
  for (let s = 0; s < S; s++) {
    const a = action[s]!;
    if (a === J) takenClose[s] = 1;
    else takenJob[s * J + a] = 1;
  }
  return { takenJob, takenClose };
}

/** From the [S x (J + 1)] 0/1 mask: the pending jobs, and additive masks for jobs and close. */
function masksOf(
  mask: Float32Array,
  S: number,
  J: number,
): { pending: Float32Array; blockedJobs: Float32Array; blockedClose: Float32Array } {
  const pending = new Float32Array(S * J);
  const blockedJobs = new Float32Array(S * J);
  const blockedClose = new Float32Array(S);
  for (let s = 0; s < S; s++) {
    for (let j = 0; j < J; j++) {
      const allowed = mask[s * (J + 1) + j]!;
      pending[s * J + j] = allowed;
      if (allowed === 0) blockedJobs[s * J + j] = MASKED_LOGIT;
    }
    if (mask[s * (J + 1) + J] === 0) blockedClose[s] = MASKED_LOGIT;
  }
  return { pending, blockedJobs, blockedClose };
}

/**
 * The row maxima with no gradient: they only steady a log-sum-exp, whose value does not
 * depend on them (tfjs's max gradient is a slow broadcast comparison on tfjs-wasm).
 */
const maxNoGrad = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x] = args as [tf.Tensor2D];
  return { value: tf.max(x, 1, true), gradFunc: () => [tf.zerosLike(x)] };
}) as Parameters<typeof tf.customGrad<tf.Tensor2D>>[0]) as (x: tf.Tensor2D) => tf.Tensor2D;

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
  /** [S] entropy of the masked policy (only when asked). */
  readonly entropy: tf.Tensor1D | null;
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
      // Per head, the kernel's columns (small) rather than the projected activations (J rows).
      const kernel = this.p(`enc/${l}/qkv/kernel`) as tf.Tensor2D;
      const cols = (from: number) => tf.slice(kernel, [0, from], [dim, dh]) as tf.Tensor2D;
      const parts: tf.Tensor2D[] = [];
      for (let hd = 0; hd < heads; hd++) {
        const q = mm(h, cols(hd * dh));
        const k = mm(h, cols(dim + hd * dh));
        const v = mm(h, cols(2 * dim + hd * dh));
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
   * Log-probabilities of the recorded actions and, when asked, entropies and values of every
   * decision on the table. Call inside tf.tidy or a gradient function.
   */
  forward(t: TableSteps, withValue: boolean, withEntropy = true): StepOutputs {
    const { dim } = this.settings;
    const { J, S } = t;
    const { h, g } = this.encode(t);
    const context = tf.tensor2d(t.context, [S, CONTEXT_FEATURES]);
    // The pending jobs (0/1), and additive masks (0 allowed, MASKED_LOGIT not) for the jobs
    // and the close action, each its own tensor (slicing one [S, J + 1] tensor is slow).
    const m = masksOf(t.mask, S, J);
    const pendingMask = tf.tensor2d(m.pending, [S, J]);
    const blocked = tf.tensor2d(m.blockedJobs, [S, J]);
    const blockedClose = tf.tensor2d(m.blockedClose, [S, 1]);
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
    const pairTerm = pairLinear(t.pair, m.pending, S * J, this.p('pointer/pair/kernel') as tf.Tensor2D);
    const close = tf.add(
      tf.add(
        this.dense(this.dense(q2, 'close/0', true), 'close/1', false),
        this.dense(context, 'close/skip', false),
      ),
      blockedClose,
    ) as tf.Tensor2D;
    const jobs = tf.add(tf.add(dot, tf.reshape(pairTerm, [S, J])), blocked) as tf.Tensor2D;
    // The log-normaliser over the jobs and the close action, kept apart (a concatenation's
    // gradient is a slow split on tfjs-wasm); m only steadies the exponentials.
    const top = tf.maximum(maxNoGrad(jobs), close);
    const expJobs = tf.exp(tf.sub(jobs, top));
    const z = tf.add(tf.log(tf.add(tf.sum(expJobs, 1, true), tf.exp(tf.sub(close, top)))), top);
    const { takenJob, takenClose } = takenOf(t.action, S, J);
    const logProb = tf.reshape(
      tf.add(
        tf.sum(tf.mul(tf.tensor2d(takenJob, [S, J]), tf.sub(jobs, z)), 1, true),
        tf.mul(tf.tensor2d(takenClose, [S, 1]), tf.sub(close, z)),
      ),
      [S],
    ) as tf.Tensor1D;
    let entropy: tf.Tensor1D | null = null;
    if (withEntropy) {
      const pJobs = tf.exp(tf.sub(jobs, z));
      const pClose = tf.exp(tf.sub(close, z));
      entropy = tf.reshape(
        tf.neg(tf.add(tf.sum(tf.mul(pJobs, tf.sub(jobs, z)), 1, true), tf.mul(pClose, tf.sub(close, z)))),
        [S],
      ) as tf.Tensor1D;
    }
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
