/**
 * The actor-critic MLP: observation -> hidden layers -> policy logits and a state value.
 * Either two separate trunks (CleanRL's default for vector observations) or one shared
 * trunk with two heads.
 *
 * Initialisation as CleanRL's `layer_init`: orthogonal weights with gain sqrt(2) in the
 * hidden layers, 0.01 for the policy head (near-uniform initial policy) and 1 for the value
 * head, zero biases. The orthogonal matrices are drawn with the project Rng and
 * Gram-Schmidt, so the same seed gives the same network on every backend.
 *
 * Parameters are plain tf.Variables with stable names ("actor/0/kernel" ...), so saving,
 * loading and the optimiser state need no tfjs model format.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../src/core/rng.js';
import { type NamedArray, orthogonalMatrix } from './arrays.js';
import type { Activation, NetworkSettings } from './settings.js';

export { type NamedArray, orthogonalMatrix } from './arrays.js';

/** Gains of CleanRL's layer_init. */
const HIDDEN_GAIN = Math.SQRT2;
const POLICY_GAIN = 0.01;
const VALUE_GAIN = 1;

export interface NetworkShape {
  /** Length of a flat observation. */
  readonly obsSize: number;
  /** Policy logits per row (sum of the action components' sizes). */
  readonly logitsSize: number;
}

interface Dense {
  /** Logical name, e.g. "actor/0" (tfjs variable names must be unique per process). */
  readonly name: string;
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;
}

function dense(name: string, inputs: number, outputs: number, gain: number, rng: Rng): Dense {
  const init = orthogonalMatrix(inputs, outputs, gain, rng);
  // tidy disposes the initial-value tensors (the variables keep copies).
  return tf.tidy(() => ({
    name,
    kernel: tf.variable(tf.tensor2d(init, [inputs, outputs])),
    bias: tf.variable(tf.zeros([outputs])),
  }));
}

function activate(x: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  return activation === 'tanh' ? tf.tanh(x) : tf.relu(x);
}

/**
 * x W + b with a hand-written gradient that transposes explicitly: tfjs-wasm runs matMul
 * with a transpose flag (what the built-in gradient uses) on a naive loop about 10x slower
 * than XNNPACK's, so this makes the backward pass of the 3 x 128 MLP ~3x faster there.
 * Same values as the built-in gradient (checked in test/agents/networks.test.ts).
 */
const denseOp = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.fused.matMul({ a: x, b: w, bias: b }),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as tf.Tensor2D[];
      return [tf.matMul(dy, tf.transpose(ws!)), tf.matMul(tf.transpose(xs!), dy), tf.sum(dy, 0)];
    },
  };
}) as Parameters<typeof tf.customGrad<tf.Tensor2D>>[0]) as (
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  b: tf.Tensor1D,
) => tf.Tensor2D;

function applyDense(x: tf.Tensor2D, d: Dense): tf.Tensor2D {
  return denseOp(x, d.kernel as tf.Tensor2D, d.bias as tf.Tensor1D);
}

export class ActorCritic {
  readonly shape: NetworkShape;
  readonly settings: NetworkSettings;
  private readonly actorTrunk: Dense[];
  /** The critic's own trunk; empty when the trunk is shared. */
  private readonly criticTrunk: Dense[];
  private readonly policyHead: Dense;
  private readonly valueHead: Dense;
  /** Every trainable variable, in a fixed order. */
  readonly variables: readonly tf.Variable[];
  /** Logical names of `variables` ("actor/0/kernel" ...), used in files. */
  readonly names: readonly string[];

  constructor(shape: NetworkShape, settings: NetworkSettings, rng: Rng) {
    if (!(shape.obsSize >= 1) || !(shape.logitsSize >= 1))
      throw new RangeError(`network needs obsSize and logitsSize >= 1, got ${JSON.stringify(shape)}`);
    this.shape = shape;
    this.settings = settings;
    const trunk = (prefix: string): Dense[] => {
      const layers: Dense[] = [];
      let inputs = shape.obsSize;
      settings.hidden.forEach((width, i) => {
        layers.push(dense(`${prefix}/${i}`, inputs, width, HIDDEN_GAIN, rng));
        inputs = width;
      });
      return layers;
    };
    const last = settings.hidden[settings.hidden.length - 1]!;
    this.actorTrunk = trunk(settings.sharedTrunk ? 'trunk' : 'actor');
    this.policyHead = dense(
      `${settings.sharedTrunk ? 'policy' : 'actor'}/head`,
      last,
      shape.logitsSize,
      POLICY_GAIN,
      rng,
    );
    this.criticTrunk = settings.sharedTrunk ? [] : trunk('critic');
    this.valueHead = dense(`${settings.sharedTrunk ? 'value' : 'critic'}/head`, last, 1, VALUE_GAIN, rng);
    const layers = [...this.actorTrunk, this.policyHead, ...this.criticTrunk, this.valueHead];
    this.variables = layers.flatMap((d) => [d.kernel, d.bias]);
    this.names = layers.flatMap((d) => [`${d.name}/kernel`, `${d.name}/bias`]);
  }

  private runTrunk(x: tf.Tensor2D, layers: readonly Dense[]): tf.Tensor2D {
    let h = x;
    for (const d of layers) h = activate(applyDense(h, d), this.settings.activation);
    return h;
  }

  /** Logits [B, logitsSize] and values [B]. Call inside tf.tidy or a gradient function. */
  forward(obs: tf.Tensor2D): { logits: tf.Tensor2D; value: tf.Tensor1D } {
    const h = this.runTrunk(obs, this.actorTrunk);
    const logits = applyDense(h, this.policyHead);
    const hv = this.settings.sharedTrunk ? h : this.runTrunk(obs, this.criticTrunk);
    const value = tf.reshape(applyDense(hv, this.valueHead), [obs.shape[0]]) as tf.Tensor1D;
    return { logits, value };
  }

  /** Values [B] only (skips the policy when the trunks are separate). */
  value(obs: tf.Tensor2D): tf.Tensor1D {
    if (this.settings.sharedTrunk) return this.forward(obs).value;
    const hv = this.runTrunk(obs, this.criticTrunk);
    return tf.reshape(applyDense(hv, this.valueHead), [obs.shape[0]]) as tf.Tensor1D;
  }

  /** Runs the network on `batch` flat observations; returns downloaded logits and values. */
  predict(obs: Float32Array, batch: number): { logits: Float32Array; values: Float32Array } {
    const [l, v] = tf.tidy(() => {
      const out = this.forward(tf.tensor2d(obs, [batch, this.shape.obsSize]));
      return [out.logits, out.value];
    });
    try {
      return { logits: l.dataSync() as Float32Array, values: v.dataSync() as Float32Array };
    } finally {
      l.dispose();
      v.dispose();
    }
  }

  /** Policy logits only (the critic is skipped): for acting with a trained policy. */
  predictLogits(obs: Float32Array, batch: number): Float32Array {
    const l = tf.tidy(() =>
      applyDense(
        this.runTrunk(tf.tensor2d(obs, [batch, this.shape.obsSize]), this.actorTrunk),
        this.policyHead,
      ),
    );
    try {
      return l.dataSync() as Float32Array;
    } finally {
      l.dispose();
    }
  }

  /** State values of `batch` flat observations. */
  predictValues(obs: Float32Array, batch: number): Float32Array {
    const v = tf.tidy(() => this.value(tf.tensor2d(obs, [batch, this.shape.obsSize])));
    try {
      return v.dataSync() as Float32Array;
    } finally {
      v.dispose();
    }
  }

  getWeights(): NamedArray[] {
    return readNamed(this.names, this.variables);
  }

  /** Loads weights saved by getWeights; names and shapes must match exactly. */
  setWeights(weights: readonly NamedArray[]): void {
    assignNamed('network', this.names, this.variables, weights);
  }

  /** Total number of trainable parameters. */
  get parameterCount(): number {
    return this.variables.reduce((s, v) => s + v.size, 0);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/** Downloads variables as named arrays (copies). */
export function readNamed(names: readonly string[], variables: readonly tf.Variable[]): NamedArray[] {
  return variables.map((v, i) => ({
    name: names[i]!,
    shape: [...v.shape],
    data: Float32Array.from(v.dataSync()),
  }));
}

/** Assigns named arrays to the variables of the same names and shapes (throws on any mismatch). */
export function assignNamed(
  what: string,
  names: readonly string[],
  variables: readonly tf.Variable[],
  arrays: readonly NamedArray[],
): void {
  const byName = new Map(arrays.map((a) => [a.name, a]));
  if (byName.size !== variables.length || arrays.length !== variables.length) {
    throw new Error(`${what}: expected ${variables.length} arrays, got ${arrays.length}`);
  }
  variables.forEach((v, i) => {
    const name = names[i]!;
    const a = byName.get(name);
    if (!a) throw new Error(`${what}: no saved array for ${name}`);
    if (a.shape.length !== v.shape.length || a.shape.some((d, k) => d !== v.shape[k])) {
      throw new Error(`${what}: ${name} has shape [${a.shape}] in the file, [${v.shape}] here`);
    }
    if (a.data.length !== v.size)
      throw new Error(`${what}: ${name} has ${a.data.length} values, expected ${v.size}`);
    tf.tidy(() => v.assign(tf.tensor(a.data, [...a.shape])));
  });
}
