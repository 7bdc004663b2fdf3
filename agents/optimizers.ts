/**
 * Adam and RMSProp written on tfjs ops with PyTorch's exact update rules (CleanRL and
 * Stable-Baselines3 use PyTorch; tfjs's own optimisers put RMSProp's epsilon inside the
 * square root and hide the learning rate), a learning rate given per step (for annealing),
 * and a state that saves and loads as named arrays (for resume).
 */
import * as tf from '@tensorflow/tfjs';
import { assignNamed, type NamedArray, readNamed } from './networks.js';

export interface TfOptimizer {
  readonly kind: 'adam' | 'rmsprop';
  /** Updates done so far. */
  readonly steps: number;
  /** One update of `params` with `grads` (same order) at learning rate `lr`. */
  apply(params: readonly tf.Variable[], grads: readonly tf.Tensor[], lr: number): void;
  getState(): { steps: number; arrays: NamedArray[] };
  setState(state: { steps: number; arrays: readonly NamedArray[] }): void;
  dispose(): void;
}

/** Adam's default decay rates (Kingma & Ba; PyTorch and CleanRL keep them). */
const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;

function zerosLike(params: readonly tf.Variable[]): tf.Variable[] {
  return tf.tidy(() => params.map((p) => tf.variable(tf.zerosLike(p))));
}

export class Adam implements TfOptimizer {
  readonly kind = 'adam';
  steps = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private readonly names: string[];

  constructor(
    params: readonly tf.Variable[],
    paramNames: readonly string[],
    private readonly eps: number,
  ) {
    this.m = zerosLike(params);
    this.v = zerosLike(params);
    this.names = [...paramNames.map((n) => `m/${n}`), ...paramNames.map((n) => `v/${n}`)];
  }

  apply(params: readonly tf.Variable[], grads: readonly tf.Tensor[], lr: number): void {
    this.steps++;
    const t = this.steps;
    const stepSize = lr / (1 - ADAM_BETA1 ** t);
    const sqrtBc2 = Math.sqrt(1 - ADAM_BETA2 ** t);
    tf.tidy(() => {
      params.forEach((p, i) => {
        const g = grads[i]!;
        const m = tf.add(tf.mul(this.m[i]!, ADAM_BETA1), tf.mul(g, 1 - ADAM_BETA1));
        const v = tf.add(tf.mul(this.v[i]!, ADAM_BETA2), tf.mul(tf.square(g), 1 - ADAM_BETA2));
        this.m[i]!.assign(m);
        this.v[i]!.assign(v);
        const denom = tf.add(tf.div(tf.sqrt(v), sqrtBc2), this.eps);
        p.assign(tf.sub(p, tf.mul(tf.div(m, denom), stepSize)));
      });
    });
  }

  getState() {
    return { steps: this.steps, arrays: readNamed(this.names, [...this.m, ...this.v]) };
  }

  setState(state: { steps: number; arrays: readonly NamedArray[] }): void {
    assignNamed('adam state', this.names, [...this.m, ...this.v], state.arrays);
    this.steps = state.steps;
  }

  dispose(): void {
    for (const x of [...this.m, ...this.v]) x.dispose();
  }
}

/** PyTorch RMSprop without momentum or centring: s = a s + (1 - a) g^2; p -= lr g / (sqrt(s) + eps). */
export class RmsProp implements TfOptimizer {
  readonly kind = 'rmsprop';
  steps = 0;
  private readonly sq: tf.Variable[];
  private readonly names: string[];

  constructor(
    params: readonly tf.Variable[],
    paramNames: readonly string[],
    private readonly alpha: number,
    private readonly eps: number,
  ) {
    this.sq = zerosLike(params);
    this.names = paramNames.map((n) => `sq/${n}`);
  }

  apply(params: readonly tf.Variable[], grads: readonly tf.Tensor[], lr: number): void {
    this.steps++;
    tf.tidy(() => {
      params.forEach((p, i) => {
        const g = grads[i]!;
        const s = tf.add(tf.mul(this.sq[i]!, this.alpha), tf.mul(tf.square(g), 1 - this.alpha));
        this.sq[i]!.assign(s);
        p.assign(tf.sub(p, tf.mul(tf.div(g, tf.add(tf.sqrt(s), this.eps)), lr)));
      });
    });
  }

  getState() {
    return { steps: this.steps, arrays: readNamed(this.names, this.sq) };
  }

  setState(state: { steps: number; arrays: readonly NamedArray[] }): void {
    assignNamed('rmsprop state', this.names, this.sq, state.arrays);
    this.steps = state.steps;
  }

  dispose(): void {
    for (const x of this.sq) x.dispose();
  }
}

/**
 * Scales `grads` so their global L2 norm is at most `maxNorm` (torch.nn.utils.clip_grad_norm_:
 * factor maxNorm / (norm + 1e-6) when below 1). Returns the new tensors and the norm before
 * clipping (a scalar tensor). Call inside tf.tidy.
 */
export function clipByGlobalNorm(
  grads: readonly tf.Tensor[],
  maxNorm: number,
): { clipped: tf.Tensor[]; norm: tf.Scalar } {
  const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
  // clip_grad_norm_'s guard against division by zero.
  const factor = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
  return { clipped: grads.map((g) => tf.mul(g, factor)), norm };
}
