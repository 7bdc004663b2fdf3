/**
 * The dispatching policy: an attention model in the style of Kool et al. (ICLR 2019) and POMO
 * (Kwon et al., NeurIPS 2020), one set of weights for any number of jobs and cores.
 *
 *   encoder (once per episode)   job features -> MLP -> `layers` transformer blocks over the
 *                                jobs (multi-head self-attention and a feed-forward layer,
 *                                each added through a learned gate, ReZero-style, so no
 *                                normalisation layer is needed) -> job embeddings h_j;
 *                                core features -> MLP -> core embeddings g_c
 *   decoder (every decision)     query q = MLP(decision context, g of the waiting core, mean
 *                                of the pending jobs' h); a glimpse (attention of q over the
 *                                pending jobs) refines it to q'; pointer logits over the
 *                                pending jobs q' . k_j / sqrt(dim) + w . pair_j (the job's
 *                                features with the waiting core, weighted linearly), and a
 *                                close logit MLP(q') + v . context
 *   value head                   MLP(q, mean of all h, decision context)
 *
 * The expensive part, the encoder and the keys and values of the jobs, runs once per episode
 * (and is shared by every rollout of the same table); a decision costs O(J x dim).
 *
 * Initialisation: orthogonal weights as CleanRL's, except the two linear terms, w and v,
 * which start at a simple dispatching rule: prefer the job whose finish on this core is
 * closest to its earliest finish on any open core, then the longer job, then the job that
 * runs near its best speed here; close the core when even the best pending job would finish
 * much earlier elsewhere. (Without the close term a fresh policy closes cores at random and
 * leaves the work to one, often slow, core.) The greedy rule alone is within a few percent
 * of the best of the paper's 14 heuristic mappers; the network learns from there.
 *
 * This module holds the weights (plain Float32Arrays with stable names, so they save, load
 * and ship without tfjs) and the forward pass in JavaScript, used to act: rollouts during
 * training and mapping with a trained policy need no tfjs. The training forward pass is the
 * same computation on tfjs tensors (network.ts); a test checks the two agree.
 */
import { InputError, show } from '../../src/core/errors.js';
import type { Rng } from '../../src/core/rng.js';
import { type NamedArray, orthogonalMatrix } from '../arrays.js';
import {
  CONTEXT_FEATURES,
  CONTEXT_MIN_GAP,
  CONTEXT_PLAN_DONE,
  CORE_FEATURES,
  type EpisodeFeatures,
  JOB_FEATURES,
  PAIR_FEATURES,
} from './features.js';

export interface DispatchNetSettings {
  /** Embedding width. */
  readonly dim: number;
  /** Attention heads (dim must be a multiple). */
  readonly heads: number;
  /** Transformer blocks of the encoder. */
  readonly layers: number;
  /** Width of the encoder's feed-forward layers. */
  readonly ffn: number;
  /** Width of the small MLPs (core encoder, close and value heads). */
  readonly hidden: number;
}

export const DEFAULT_NET: DispatchNetSettings = { dim: 32, heads: 4, layers: 2, ffn: 64, hidden: 32 };

export function checkNetSettings(s: DispatchNetSettings): DispatchNetSettings {
  for (const k of ['dim', 'heads', 'layers', 'ffn', 'hidden'] as const) {
    const v = s[k];
    if (!Number.isInteger(v) || v < (k === 'layers' ? 0 : 1) || v > 1024)
      throw new InputError(
        `network.${k} must be an integer in [${k === 'layers' ? 0 : 1}, 1024], got ${show(v)}`,
      );
  }
  if (s.dim % s.heads !== 0)
    throw new InputError(`network.dim (${s.dim}) must be a multiple of network.heads (${s.heads})`);
  return s;
}

/** Initial value of the gates of the encoder's residual branches. */
const GATE_INIT = 0.1;
/** Orthogonal gains as CleanRL's layer_init: sqrt 2 before a ReLU, small for policy outputs. */
const RELU_GAIN = Math.SQRT2;
const LINEAR_GAIN = 1;
const POLICY_GAIN = 0.01;

/**
 * The plan's pull at the start (plan.ts): PLAN_FOLLOW on the logit of the plan's next job on
 * the waiting core, and +-PLAN_CLOSE on the close logit when the plan has no job left there,
 * or has. Strong enough that the fresh greedy policy mostly follows the plan (no worse than
 * it on 86 of the 88 validation tables; 1.0004 x the per-table best heuristic, against 1.0282
 * without a plan), weak enough that sampled rollouts still depart from it. Chosen by the
 * trained policies' validation: +14 over +10; +6 trains worse, and at +20 samples never
 * depart, so nothing is learned.
 */
const PLAN_FOLLOW = 14;
const PLAN_CLOSE = 14;

/**
 * The rule's weights on the pair features (features.ts order: slowdown here, size, bandwidth,
 * contention, earliest-finish gap, best core, finish against the end, bandwidth-boundness,
 * then the plan's core and the plan's next job), and on the context for closing: a logit
 * CLOSE_SLOPE x (smallest gap - CLOSE_AT), plus the plan's term.
 */
const RULE_PAIR = [-2, 0.6, 0, 0, -8, 0, 0, 0, 0, 0, 0, PLAN_FOLLOW];
const CLOSE_SLOPE = 12;
const CLOSE_AT = 0.5;

interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  /** 'zeros', 'gate' (GATE_INIT), an orthogonal gain, or the values themselves. */
  readonly init: 'zeros' | 'gate' | number | readonly number[];
}

/** Every parameter of the network, in a fixed order. */
export function paramSpecs(s: DispatchNetSettings): ParamSpec[] {
  const { dim, ffn, hidden } = s;
  const out: ParamSpec[] = [];
  const dense = (name: string, inputs: number, outputs: number, gain: number, bias = true) => {
    out.push({ name: `${name}/kernel`, shape: [inputs, outputs], init: gain });
    if (bias) out.push({ name: `${name}/bias`, shape: [outputs], init: 'zeros' });
  };
  dense('job/0', JOB_FEATURES, dim, RELU_GAIN);
  dense('job/1', dim, dim, LINEAR_GAIN);
  for (let l = 0; l < s.layers; l++) {
    dense(`enc/${l}/qkv`, dim, 3 * dim, LINEAR_GAIN, false);
    dense(`enc/${l}/out`, dim, dim, LINEAR_GAIN);
    dense(`enc/${l}/ff1`, dim, ffn, RELU_GAIN);
    dense(`enc/${l}/ff2`, ffn, dim, LINEAR_GAIN);
    out.push({ name: `enc/${l}/gate`, shape: [2], init: 'gate' });
  }
  dense('core/0', CORE_FEATURES, hidden, RELU_GAIN);
  dense('core/1', hidden, dim, LINEAR_GAIN);
  dense('dec/0', CONTEXT_FEATURES + 2 * dim, dim, RELU_GAIN);
  dense('dec/1', dim, dim, LINEAR_GAIN);
  dense('glimpse/kv', dim, 2 * dim, LINEAR_GAIN, false);
  dense('glimpse/out', dim, dim, LINEAR_GAIN);
  dense('pointer/key', dim, dim, POLICY_GAIN, false);
  out.push({ name: 'pointer/pair/kernel', shape: [PAIR_FEATURES, 1], init: RULE_PAIR });
  dense('close/0', dim, hidden, RELU_GAIN);
  dense('close/1', hidden, 1, POLICY_GAIN);
  const skip = new Array<number>(CONTEXT_FEATURES).fill(0);
  skip[CONTEXT_MIN_GAP] = CLOSE_SLOPE;
  skip[CONTEXT_PLAN_DONE] = 2 * PLAN_CLOSE;
  out.push({ name: 'close/skip/kernel', shape: [CONTEXT_FEATURES, 1], init: skip });
  out.push({ name: 'close/skip/bias', shape: [1], init: [-CLOSE_SLOPE * CLOSE_AT - PLAN_CLOSE] });
  dense('value/0', CONTEXT_FEATURES + 2 * dim, hidden, RELU_GAIN);
  dense('value/1', hidden, hidden, RELU_GAIN);
  dense('value/2', hidden, 1, LINEAR_GAIN);
  return out;
}

/** Feature sizes of the policies saved before the plan features (plan.ts). */
export const PLANLESS_FEATURES = { job: JOB_FEATURES, core: CORE_FEATURES, context: 18, pair: 10 } as const;

/**
 * The weights of a policy saved before the plan features, with zero weights added for them.
 * The plan features enter the network only through these rows (linearly, or linearly before
 * a ReLU), so the policy computes exactly what it computed before.
 */
export function withPlanFeatures(weights: readonly NamedArray[], s: DispatchNetSettings): NamedArray[] {
  const { dim } = s;
  const addRows = (a: NamedArray, at: number, rows: number): NamedArray => {
    const [r, c] = a.shape as [number, number];
    if (at > r) throw new InputError(`dispatch network: ${a.name} has shape [${a.shape}], too few rows`);
    const data = new Float32Array((r + rows) * c);
    data.set(a.data.subarray(0, at * c));
    data.set(a.data.subarray(at * c), (at + rows) * c);
    return { name: a.name, shape: [r + rows, c], data };
  };
  const oldC = PLANLESS_FEATURES.context;
  const newC = CONTEXT_FEATURES - oldC;
  const newP = PAIR_FEATURES - PLANLESS_FEATURES.pair;
  return weights.map((a) => {
    switch (a.name) {
      case 'pointer/pair/kernel':
        return addRows(a, PLANLESS_FEATURES.pair, newP);
      case 'close/skip/kernel':
        return addRows(a, oldC, newC);
      case 'dec/0/kernel': // rows: context, the core's embedding, the pending jobs' mean
        return addRows(a, oldC, newC);
      case 'value/0/kernel': // rows: q, the jobs' mean, context
        return addRows(a, 2 * dim + oldC, newC);
      default:
        return a;
    }
  });
}

/** Fresh weights (see the module comment). */
export function initialWeights(s: DispatchNetSettings, rng: Rng): NamedArray[] {
  return paramSpecs(checkNetSettings(s)).map((p) => {
    const size = p.shape.reduce((a, b) => a * b, 1);
    let data: Float32Array;
    if (p.init === 'zeros') data = new Float32Array(size);
    else if (p.init === 'gate') data = new Float32Array(size).fill(GATE_INIT);
    else if (typeof p.init === 'number') data = orthogonalMatrix(p.shape[0]!, p.shape[1]!, p.init, rng);
    else data = Float32Array.from(p.init);
    return { name: p.name, shape: [...p.shape], data };
  });
}

/** y[r] = x[r] K (+ b) for `rows` rows; optionally ReLU. Accumulates in float64. */
function dense(
  x: ArrayLike<number>,
  rows: number,
  K: Float32Array,
  b: Float32Array | null,
  inputs: number,
  outputs: number,
  y: Float32Array,
  relu: boolean,
  acc: Float64Array,
): void {
  for (let r = 0; r < rows; r++) {
    if (b) for (let o = 0; o < outputs; o++) acc[o] = b[o]!;
    else acc.fill(0, 0, outputs);
    const xo = r * inputs;
    for (let i = 0; i < inputs; i++) {
      const xi = x[xo + i]!;
      if (xi === 0) continue;
      const ko = i * outputs;
      for (let o = 0; o < outputs; o++) acc[o]! += xi * K[ko + o]!;
    }
    const yo = r * outputs;
    for (let o = 0; o < outputs; o++) {
      const v = acc[o]!;
      y[yo + o] = relu && v < 0 ? 0 : v;
    }
  }
}

/** An episode's encoding: what every decision of every rollout on that table reuses. */
export interface EncodedEpisode {
  readonly J: number;
  readonly C: number;
  /** Job embeddings [J x dim]. */
  readonly h: Float32Array;
  /** The query layer's part for the pending jobs' mean, applied to each h_j [J x dim]. */
  readonly pooledPart: Float32Array;
  /** The query layer's part for the waiting core, applied to each core embedding [C x dim]. */
  readonly corePart: Float32Array;
  /** Glimpse keys and values [J x 2 dim] (keys in the first half of each row). */
  readonly kv: Float32Array;
  /** Pointer keys [J x dim]. */
  readonly keys: Float32Array;
  /** The value layer's part for the mean of h, applied to it [hidden]. */
  readonly valuePart: Float32Array;
}

/**
 * The mean of the pending jobs' `pooledPart` rows, kept up to date as jobs leave (one per
 * rollout): O(dim) per decision instead of O(J x dim).
 */
export class PendingPool {
  readonly sum: Float64Array;
  count: number;
  constructor(enc: EncodedEpisode, dim: number) {
    this.sum = new Float64Array(dim);
    const p = enc.pooledPart;
    for (let j = 0; j < enc.J; j++) for (let e = 0; e < dim; e++) this.sum[e]! += p[j * dim + e]!;
    this.count = enc.J;
  }
  /** Job `job` left the pending set. */
  remove(enc: EncodedEpisode, job: number): void {
    const dim = this.sum.length;
    const p = enc.pooledPart;
    for (let e = 0; e < dim; e++) this.sum[e]! -= p[job * dim + e]!;
    this.count--;
  }
}

/** Reusable buffers of a decision (one per acting loop). */
export class DecisionBuffers {
  readonly hidden: Float32Array;
  readonly q: Float32Array;
  readonly q2: Float32Array;
  readonly glimpse: Float32Array;
  readonly scores: Float64Array;
  readonly acc: Float64Array;
  readonly small: Float32Array;
  readonly one: Float32Array;
  constructor(s: DispatchNetSettings, maxJobs: number) {
    const width = Math.max(CONTEXT_FEATURES + 2 * s.dim, 3 * s.dim, s.ffn, s.hidden);
    this.hidden = new Float32Array(width);
    this.q = new Float32Array(s.dim);
    this.q2 = new Float32Array(s.dim);
    this.glimpse = new Float32Array(s.dim);
    this.scores = new Float64Array(maxJobs);
    this.acc = new Float64Array(width);
    this.small = new Float32Array(s.hidden);
    this.one = new Float32Array(1);
  }
}

export class DispatchModel {
  readonly settings: DispatchNetSettings;
  private readonly w = new Map<string, Float32Array>();
  private readonly names: string[];
  private readonly shapes: number[][];

  constructor(settings: DispatchNetSettings, weights: readonly NamedArray[]) {
    this.settings = checkNetSettings(settings);
    const specs = paramSpecs(settings);
    this.names = specs.map((p) => p.name);
    this.shapes = specs.map((p) => [...p.shape]);
    this.setWeights(weights);
  }

  /** Replaces the weights (names and shapes must match the settings' network). */
  setWeights(weights: readonly NamedArray[]): void {
    const byName = new Map(weights.map((a) => [a.name, a]));
    if (weights.length !== this.names.length)
      throw new InputError(
        `dispatch network: expected ${this.names.length} weight arrays, got ${weights.length}`,
      );
    this.names.forEach((name, i) => {
      const a = byName.get(name);
      if (!a) throw new InputError(`dispatch network: no weights for ${name}`);
      const shape = this.shapes[i]!;
      if (a.shape.length !== shape.length || a.shape.some((d, k) => d !== shape[k]))
        throw new InputError(`dispatch network: ${name} has shape [${a.shape}], expected [${shape}]`);
      this.w.set(name, a.data);
    });
  }

  getWeights(): NamedArray[] {
    return this.names.map((name, i) => ({
      name,
      shape: [...this.shapes[i]!],
      data: Float32Array.from(this.w.get(name)!),
    }));
  }

  private p(name: string): Float32Array {
    return this.w.get(name)!;
  }

  /** The encoder on one episode's static features. */
  encode(ep: EpisodeFeatures): EncodedEpisode {
    const { dim, heads, ffn, hidden, layers } = this.settings;
    const { J, C } = ep;
    const width = Math.max(3 * dim, ffn, hidden, dim);
    const acc = new Float64Array(width);
    const tmp = new Float32Array(J * Math.max(dim, ffn));
    let h = new Float32Array(J * dim);
    dense(ep.jobs, J, this.p('job/0/kernel'), this.p('job/0/bias'), JOB_FEATURES, dim, tmp, true, acc);
    dense(tmp, J, this.p('job/1/kernel'), this.p('job/1/bias'), dim, dim, h, false, acc);
    const qkv = new Float32Array(J * 3 * dim);
    const att = new Float32Array(J * dim);
    const branch = new Float32Array(J * dim);
    const scores = new Float64Array(J);
    const dh = dim / heads;
    const scale = 1 / Math.sqrt(dh);
    for (let l = 0; l < layers; l++) {
      const gate = this.p(`enc/${l}/gate`);
      dense(h, J, this.p(`enc/${l}/qkv/kernel`), null, dim, 3 * dim, qkv, false, acc);
      for (let hd = 0; hd < heads; hd++) {
        const qo = hd * dh;
        const ko = dim + hd * dh;
        const vo = 2 * dim + hd * dh;
        for (let i = 0; i < J; i++) {
          let max = Number.NEGATIVE_INFINITY;
          for (let k = 0; k < J; k++) {
            let s = 0;
            for (let e = 0; e < dh; e++) s += qkv[i * 3 * dim + qo + e]! * qkv[k * 3 * dim + ko + e]!;
            s *= scale;
            scores[k] = s;
            if (s > max) max = s;
          }
          let sum = 0;
          for (let k = 0; k < J; k++) {
            const e = Math.exp(scores[k]! - max);
            scores[k] = e;
            sum += e;
          }
          for (let e = 0; e < dh; e++) {
            let v = 0;
            for (let k = 0; k < J; k++) v += scores[k]! * qkv[k * 3 * dim + vo + e]!;
            att[i * dim + qo + e] = v / sum;
          }
        }
      }
      dense(att, J, this.p(`enc/${l}/out/kernel`), this.p(`enc/${l}/out/bias`), dim, dim, branch, false, acc);
      const next = new Float32Array(J * dim);
      for (let i = 0; i < J * dim; i++) next[i] = h[i]! + gate[0]! * branch[i]!;
      h = next;
      dense(h, J, this.p(`enc/${l}/ff1/kernel`), this.p(`enc/${l}/ff1/bias`), dim, ffn, tmp, true, acc);
      dense(tmp, J, this.p(`enc/${l}/ff2/kernel`), this.p(`enc/${l}/ff2/bias`), ffn, dim, branch, false, acc);
      const next2 = new Float32Array(J * dim);
      for (let i = 0; i < J * dim; i++) next2[i] = h[i]! + gate[1]! * branch[i]!;
      h = next2;
    }
    const coreHidden = new Float32Array(C * hidden);
    const g = new Float32Array(C * dim);
    dense(
      ep.cores,
      C,
      this.p('core/0/kernel'),
      this.p('core/0/bias'),
      CORE_FEATURES,
      hidden,
      coreHidden,
      true,
      acc,
    );
    dense(coreHidden, C, this.p('core/1/kernel'), this.p('core/1/bias'), hidden, dim, g, false, acc);
    const kv = new Float32Array(J * 2 * dim);
    dense(h, J, this.p('glimpse/kv/kernel'), null, dim, 2 * dim, kv, false, acc);
    const keys = new Float32Array(J * dim);
    dense(h, J, this.p('pointer/key/kernel'), null, dim, dim, keys, false, acc);
    const meanH = new Float32Array(dim);
    for (let e = 0; e < dim; e++) {
      let s = 0;
      for (let j = 0; j < J; j++) s += h[j * dim + e]!;
      meanH[e] = s / J;
    }
    // The query and value layers' parts for inputs fixed for the episode, applied once.
    const dec0 = this.p('dec/0/kernel');
    const pooledPart = new Float32Array(J * dim);
    dense(h, J, dec0.subarray((CONTEXT_FEATURES + dim) * dim), null, dim, dim, pooledPart, false, acc);
    const corePart = new Float32Array(C * dim);
    dense(
      g,
      C,
      dec0.subarray(CONTEXT_FEATURES * dim, (CONTEXT_FEATURES + dim) * dim),
      null,
      dim,
      dim,
      corePart,
      false,
      acc,
    );
    const valuePart = new Float32Array(hidden);
    const v0 = this.p('value/0/kernel');
    dense(meanH, 1, v0.subarray(dim * hidden, 2 * dim * hidden), null, dim, hidden, valuePart, false, acc);
    return { J, C, h, pooledPart, corePart, kv, keys, valuePart };
  }

  /**
   * One decision: writes the J job logits and the close logit (index J) to `logits`; the
   * entries of jobs that are not pending are left as they are (the caller masks them).
   * Leaves the query q in `buf.q`, for the value head.
   */
  decide(
    enc: EncodedEpisode,
    core: number,
    context: Float32Array,
    pair: Float32Array,
    pending: ArrayLike<number>,
    pool: PendingPool,
    buf: DecisionBuffers,
    logits: Float32Array,
  ): void {
    const { dim, hidden } = this.settings;
    const { J, kv, keys } = enc;
    // Query: relu(context W_c + (g W_g)[core] + mean over pending of (h W_p) + b) W_1 + b_1.
    const acc = buf.acc;
    const b0 = this.p('dec/0/bias');
    const cp = enc.corePart;
    const inv = pool.count ? 1 / pool.count : 0;
    for (let e = 0; e < dim; e++) acc[e] = b0[e]! + cp[core * dim + e]! + pool.sum[e]! * inv;
    const k0 = this.p('dec/0/kernel');
    for (let f = 0; f < CONTEXT_FEATURES; f++) {
      const x = context[f]!;
      if (x === 0) continue;
      for (let e = 0; e < dim; e++) acc[e]! += x * k0[f * dim + e]!;
    }
    for (let e = 0; e < dim; e++) buf.hidden[e] = Math.max(acc[e]!, 0);
    dense(buf.hidden, 1, this.p('dec/1/kernel'), this.p('dec/1/bias'), dim, dim, buf.q, false, buf.acc);
    const q = buf.q;
    // Glimpse: attention of q over the pending jobs.
    const scale = 1 / Math.sqrt(dim);
    const scores = buf.scores;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < J; j++) {
      if (!pending[j]) continue;
      let s = 0;
      const o = j * 2 * dim;
      for (let e = 0; e < dim; e++) s += q[e]! * kv[o + e]!;
      s *= scale;
      scores[j] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    const glimpse = buf.acc;
    glimpse.fill(0, 0, dim);
    for (let j = 0; j < J; j++) {
      if (!pending[j]) continue;
      const x = Math.exp(scores[j]! - max);
      sum += x;
      const o = j * 2 * dim + dim;
      for (let e = 0; e < dim; e++) glimpse[e]! += x * kv[o + e]!;
    }
    for (let e = 0; e < dim; e++) buf.glimpse[e] = glimpse[e]! / sum;
    dense(
      buf.glimpse,
      1,
      this.p('glimpse/out/kernel'),
      this.p('glimpse/out/bias'),
      dim,
      dim,
      buf.q2,
      false,
      buf.acc,
    );
    const q2 = buf.q2;
    for (let e = 0; e < dim; e++) q2[e]! += q[e]!;
    const w = this.p('pointer/pair/kernel');
    for (let j = 0; j < J; j++) {
      if (!pending[j]) continue;
      let s = 0;
      const o = j * dim;
      for (let e = 0; e < dim; e++) s += q2[e]! * keys[o + e]!;
      let p = 0;
      const po = j * PAIR_FEATURES;
      for (let f = 0; f < PAIR_FEATURES; f++) p += w[f]! * pair[po + f]!;
      logits[j] = s * scale + p;
    }
    dense(q2, 1, this.p('close/0/kernel'), this.p('close/0/bias'), dim, hidden, buf.small, true, buf.acc);
    dense(buf.small, 1, this.p('close/1/kernel'), this.p('close/1/bias'), hidden, 1, buf.one, false, buf.acc);
    let close = buf.one[0]!;
    const skip = this.p('close/skip/kernel');
    close += this.p('close/skip/bias')[0]!;
    for (let f = 0; f < CONTEXT_FEATURES; f++) close += skip[f]! * context[f]!;
    logits[J] = close;
  }

  /** The value of the decision last passed to `decide` (reads the query in buf.q). */
  value(enc: EncodedEpisode, context: Float32Array, buf: DecisionBuffers): number {
    const { dim, hidden } = this.settings;
    const k0 = this.p('value/0/kernel');
    const b0 = this.p('value/0/bias');
    const acc = buf.acc;
    for (let o = 0; o < hidden; o++) acc[o] = b0[o]! + enc.valuePart[o]!;
    const q = buf.q;
    for (let e = 0; e < dim; e++) {
      const x = q[e]!;
      for (let o = 0; o < hidden; o++) acc[o]! += x * k0[e * hidden + o]!;
    }
    for (let f = 0; f < CONTEXT_FEATURES; f++) {
      const x = context[f]!;
      if (x === 0) continue;
      const row = (2 * dim + f) * hidden;
      for (let o = 0; o < hidden; o++) acc[o]! += x * k0[row + o]!;
    }
    for (let o = 0; o < hidden; o++) buf.hidden[o] = Math.max(acc[o]!, 0);
    dense(
      buf.hidden,
      1,
      this.p('value/1/kernel'),
      this.p('value/1/bias'),
      hidden,
      hidden,
      buf.small,
      true,
      buf.acc,
    );
    dense(buf.small, 1, this.p('value/2/kernel'), this.p('value/2/bias'), hidden, 1, buf.one, false, buf.acc);
    return buf.one[0]!;
  }

  get parameterCount(): number {
    let n = 0;
    for (const a of this.w.values()) n += a.length;
    return n;
  }
}
