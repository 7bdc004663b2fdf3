/**
 * A network as its paper defines it: an ordered list of named operators with their true
 * geometry (strides, padding, groups, biases, batch rows). MAC and parameter counts come
 * from this list; the cost model's view of each layer (src/workload/layer.ts, stride 1,
 * no batch) is derived from it by ./convert.ts.
 */

/** 2-D convolution (PyTorch `Conv2d`). Depth-wise when groups = inC = outC. */
export interface Conv2dOp {
  readonly kind: 'conv2d';
  readonly inC: number;
  readonly outC: number;
  readonly inH: number;
  readonly inW: number;
  readonly outH: number;
  readonly outW: number;
  readonly kH: number;
  readonly kW: number;
  readonly stride: number;
  readonly pad: number;
  readonly groups: number;
  readonly bias: boolean;
}

/** Dense layer applied to `rows` vectors at once (rows = batch x tokens). */
export interface LinearOp {
  readonly kind: 'linear';
  readonly in: number;
  readonly out: number;
  readonly rows: number;
  readonly bias: boolean;
}

/**
 * Product of two activations (attention scores and context, DLRM's feature interaction):
 * `count` independent (M x K) times (K x N) products, e.g. one per attention head. No weights.
 */
export interface MatMulOp {
  readonly kind: 'matmul';
  readonly M: number;
  readonly N: number;
  readonly K: number;
  readonly count: number;
}

/**
 * Everything the cost model does not model (normalisation, activation, pooling, embedding
 * look-up, softmax ...). Listed so layer lists are complete; `params` counts its weights.
 */
export interface OtherOp {
  readonly kind: 'other';
  readonly op: string;
  readonly params: number;
}

export type NetOp = Conv2dOp | LinearOp | MatMulOp | OtherOp;

export interface NetLayer {
  /** Name inside the network, after PyTorch's module names where there is one (`layer3.2.conv2`). */
  readonly name: string;
  readonly op: NetOp;
  /** True when the weights are those of an earlier layer (ALBERT's shared layers): not counted again. */
  readonly shared?: boolean;
}

export type Task = 'vision' | 'language' | 'recommendation';

/** The input a network instance was built for. */
export interface NetInput {
  /** Image side in pixels (vision). */
  readonly resolution?: number;
  /** Tokens per sequence (language). */
  readonly tokens?: number;
  /** Samples processed at once (language, recommendation; vision networks are built per image). */
  readonly batch: number;
}

export interface Network {
  readonly model: string;
  readonly task: Task;
  readonly input: NetInput;
  readonly layers: readonly NetLayer[];
}

export function opMacs(op: NetOp): number {
  switch (op.kind) {
    case 'conv2d':
      return op.outC * (op.inC / op.groups) * op.kH * op.kW * op.outH * op.outW;
    case 'linear':
      return op.rows * op.in * op.out;
    case 'matmul':
      return op.count * op.M * op.N * op.K;
    case 'other':
      return 0;
  }
}

export function opParams(op: NetOp): number {
  switch (op.kind) {
    case 'conv2d':
      return op.outC * (op.inC / op.groups) * op.kH * op.kW + (op.bias ? op.outC : 0);
    case 'linear':
      return op.in * op.out + (op.bias ? op.out : 0);
    case 'matmul':
      return 0;
    case 'other':
      return op.params;
  }
}

export function layerParams(layer: NetLayer): number {
  return layer.shared ? 0 : opParams(layer.op);
}

export interface NetworkStats {
  readonly layers: number;
  /** Layers the cost model sees (convolutions, dense layers, activation products). */
  readonly computeLayers: number;
  readonly macs: number;
  readonly params: number;
}

export function networkStats(net: Network): NetworkStats {
  let macs = 0;
  let params = 0;
  let compute = 0;
  for (const l of net.layers) {
    macs += opMacs(l.op);
    params += layerParams(l);
    if (l.op.kind !== 'other') compute++;
  }
  return { layers: net.layers.length, computeLayers: compute, macs, params };
}

/** Output size of a convolution or pooling window (PyTorch's formula, with its ceil_mode rule). */
export function windowOut(size: number, k: number, stride: number, pad: number, ceil = false): number {
  const span = size + 2 * pad - k;
  if (span < 0) throw new RangeError(`window ${k} larger than padded input ${size + 2 * pad}`);
  let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  // PyTorch: with ceil_mode the last window must start inside the input or left padding.
  if (ceil && (out - 1) * stride >= size + pad) out--;
  return out;
}

export interface ConvOptions {
  readonly stride?: number;
  readonly pad?: number;
  readonly groups?: number;
  readonly bias?: boolean;
}

/**
 * Builds a CNN's layer list while tracking the feature-map shape, so a definition reads like
 * the paper's table and every layer's input size follows from the ones before it.
 * Branches (residual, inception, dense, shuffle) save `shape` and restore it.
 */
export class CnnBuilder {
  readonly layers: NetLayer[] = [];
  c: number;
  h: number;
  w: number;

  constructor(c: number, h: number, w = h) {
    this.c = c;
    this.h = h;
    this.w = w;
  }

  get shape(): { c: number; h: number; w: number } {
    return { c: this.c, h: this.h, w: this.w };
  }

  set shape(s: { c: number; h: number; w: number }) {
    this.c = s.c;
    this.h = s.h;
    this.w = s.w;
  }

  conv(name: string, outC: number, k: number, opts: ConvOptions = {}): this {
    const stride = opts.stride ?? 1;
    const pad = opts.pad ?? 0;
    const groups = opts.groups ?? 1;
    if (this.c % groups !== 0 || outC % groups !== 0) {
      throw new RangeError(`${name}: channels ${this.c}->${outC} not divisible by groups ${groups}`);
    }
    const outH = windowOut(this.h, k, stride, pad);
    const outW = windowOut(this.w, k, stride, pad);
    this.layers.push({
      name,
      op: {
        kind: 'conv2d',
        inC: this.c,
        outC,
        inH: this.h,
        inW: this.w,
        outH,
        outW,
        kH: k,
        kW: k,
        stride,
        pad,
        groups,
        bias: opts.bias ?? false,
      },
    });
    this.c = outC;
    this.h = outH;
    this.w = outW;
    return this;
  }

  /** Depth-wise convolution: one k x k filter per channel. */
  dwconv(name: string, k: number, opts: Omit<ConvOptions, 'groups'> = {}): this {
    return this.conv(name, this.c, k, { ...opts, groups: this.c });
  }

  /** Batch normalisation: a scale and a shift per channel (running statistics are buffers, not parameters). */
  bn(name: string): this {
    return this.other(name, 'batchnorm', 2 * this.c);
  }

  act(name: string, op = 'relu'): this {
    return this.other(name, op);
  }

  maxPool(name: string, k: number, stride: number, pad = 0, ceil = false): this {
    return this.pool(name, 'maxpool', k, stride, pad, ceil);
  }

  avgPool(name: string, k: number, stride: number, pad = 0, ceil = false): this {
    return this.pool(name, 'avgpool', k, stride, pad, ceil);
  }

  adaptiveAvgPool(name: string, outH: number, outW = outH): this {
    this.layers.push({ name, op: { kind: 'other', op: 'adaptive-avgpool', params: 0 } });
    this.h = outH;
    this.w = outW;
    return this;
  }

  /** Dense layer on the flattened feature map (one sample). */
  linear(name: string, out: number, bias = true): this {
    const inputs = this.c * this.h * this.w;
    this.layers.push({ name, op: { kind: 'linear', in: inputs, out, rows: 1, bias } });
    this.c = out;
    this.h = 1;
    this.w = 1;
    return this;
  }

  other(name: string, op: string, params = 0): this {
    this.layers.push({ name, op: { kind: 'other', op, params } });
    return this;
  }

  private pool(name: string, op: string, k: number, stride: number, pad: number, ceil: boolean): this {
    this.layers.push({ name, op: { kind: 'other', op, params: 0 } });
    this.h = windowOut(this.h, k, stride, pad, ceil);
    this.w = windowOut(this.w, k, stride, pad, ceil);
    return this;
  }
}

/** Collects the layers of a sequence model (transformer or MLP), where shapes are explicit. */
export class SeqBuilder {
  readonly layers: NetLayer[] = [];

  linear(name: string, inputs: number, out: number, rows: number, bias = true, shared = false): this {
    this.layers.push({
      name,
      op: { kind: 'linear', in: inputs, out, rows, bias },
      ...(shared ? { shared } : {}),
    });
    return this;
  }

  matmul(name: string, M: number, N: number, K: number, count: number): this {
    this.layers.push({ name, op: { kind: 'matmul', M, N, K, count } });
    return this;
  }

  other(name: string, op: string, params = 0, shared = false): this {
    this.layers.push({ name, op: { kind: 'other', op, params }, ...(shared ? { shared } : {}) });
    return this;
  }
}
