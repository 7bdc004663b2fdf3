/**
 * Layers (jobs) as the cost model sees them. Dimensions follow MAESTRO's convolution
 * naming: K output channels, C input channels, Y x X input rows x columns, R x S filter;
 * stride 1 and no batch dimension, as MAESTRO. GEMM and fully connected layers
 * are converted to convolutions by `toConvDims` exactly as M3E does.
 */
import { InputError, show } from '../core/errors.js';

export interface ConvLayer {
  readonly kind: 'conv';
  readonly K: number;
  readonly C: number;
  readonly Y: number;
  readonly X: number;
  readonly R: number;
  readonly S: number;
}
/** Depth-wise convolution: one R x S filter per input channel. */
export interface DepthwiseConvLayer {
  readonly kind: 'dwconv';
  readonly C: number;
  readonly Y: number;
  readonly X: number;
  readonly R: number;
  readonly S: number;
}
/** (M x K) times (K x N). */
export interface GemmLayer {
  readonly kind: 'gemm';
  readonly M: number;
  readonly N: number;
  readonly K: number;
}
/** Fully connected: `in` inputs to `out` outputs, one sample. */
export interface FcLayer {
  readonly kind: 'fc';
  readonly out: number;
  readonly in: number;
}
/**
 * An operator outside the cost model (pooling, normalisation, activation, embedding
 * look-up ...): kept in layer lists so they are complete, skipped by the analyzer.
 */
export interface OtherLayer {
  readonly kind: 'other';
  readonly op: string;
}

export type Layer = ConvLayer | DepthwiseConvLayer | GemmLayer | FcLayer | OtherLayer;
export type ComputeLayer = Exclude<Layer, OtherLayer>;
export type LayerKind = Layer['kind'];

/** A job: one layer of one DNN, named for reports (`resnet50/layer3.2.conv2`). */
export interface Job {
  readonly name: string;
  readonly layer: ComputeLayer;
  /** The network it came from, when known (for colouring charts and statistics). */
  readonly model?: string;
}

/** MAESTRO's view of a layer: convolution dims plus the layer type it is written as. */
export interface ConvDims {
  readonly type: 'CONV' | 'DSCONV';
  readonly K: number;
  readonly C: number;
  readonly Y: number;
  readonly X: number;
  readonly R: number;
  readonly S: number;
}

export function isComputeLayer(layer: Layer): layer is ComputeLayer {
  return layer.kind !== 'other';
}

/**
 * The conversion M3E applies before calling MAESTRO:
 * GEMM (M, N, K) -> CONV with K=N, C=K, Y=M, X=R=S=1; FC (out, in) -> CONV with K=out,
 * C=in, Y=X=R=S=1; depth-wise -> DSCONV with K=1.
 */
export function toConvDims(layer: ComputeLayer): ConvDims {
  switch (layer.kind) {
    case 'conv':
      return { type: 'CONV', K: layer.K, C: layer.C, Y: layer.Y, X: layer.X, R: layer.R, S: layer.S };
    case 'dwconv':
      return { type: 'DSCONV', K: 1, C: layer.C, Y: layer.Y, X: layer.X, R: layer.R, S: layer.S };
    case 'gemm':
      return { type: 'CONV', K: layer.N, C: layer.K, Y: layer.M, X: 1, R: 1, S: 1 };
    case 'fc':
      return { type: 'CONV', K: layer.out, C: layer.in, Y: 1, X: 1, R: 1, S: 1 };
  }
}

/** True multiply-accumulate count of a layer (stride 1, valid convolution). */
export function layerMacs(layer: Layer): number {
  switch (layer.kind) {
    case 'conv':
      return layer.K * layer.C * (layer.Y - layer.R + 1) * (layer.X - layer.S + 1) * layer.R * layer.S;
    case 'dwconv':
      return layer.C * (layer.Y - layer.R + 1) * (layer.X - layer.S + 1) * layer.R * layer.S;
    case 'gemm':
      return layer.M * layer.N * layer.K;
    case 'fc':
      return layer.out * layer.in;
    case 'other':
      return 0;
  }
}

/**
 * Largest layer dimension, and largest MAC count of a layer: the cost model's counts stay
 * exact integers below 2^53 (beyond, latencies round and products overflow to infinity).
 */
export const LAYER_LIMITS = { MAX_DIM: 2 ** 24, MAX_MACS: 2 ** 53 } as const;

export const DIMS: Readonly<Record<ComputeLayer['kind'], readonly string[]>> = {
  conv: ['K', 'C', 'Y', 'X', 'R', 'S'],
  dwconv: ['C', 'Y', 'X', 'R', 'S'],
  gemm: ['M', 'N', 'K'],
  fc: ['out', 'in'],
};

/**
 * Validates a layer: positive integer dims, and a filter no larger than its input
 * (MAESTRO crashes or prints nonsense there). `where` names the layer in messages.
 */
export function validateLayer(layer: unknown, where: string): ComputeLayer {
  if (typeof layer !== 'object' || layer === null)
    throw new InputError(`${where}: a layer must be an object, got ${show(layer)}`);
  const kind = (layer as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !(kind in DIMS)) {
    throw new InputError(`${where}: kind must be one of ${Object.keys(DIMS).join(', ')}, got ${show(kind)}`);
  }
  const rec = layer as Record<string, unknown>;
  for (const d of DIMS[kind as ComputeLayer['kind']]) {
    const v = rec[d];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new InputError(`${where}: ${d} must be a positive integer, got ${show(v)}`);
    }
    if (v > LAYER_LIMITS.MAX_DIM)
      throw new InputError(`${where}: ${d} must be at most ${LAYER_LIMITS.MAX_DIM}, got ${v}`);
  }
  const l = layer as ComputeLayer;
  if (l.kind === 'conv' || l.kind === 'dwconv') {
    if (l.Y < l.R) throw new InputError(`${where}: filter rows R=${l.R} exceed input rows Y=${l.Y}`);
    if (l.X < l.S) throw new InputError(`${where}: filter columns S=${l.S} exceed input columns X=${l.X}`);
  }
  const macs = layerMacs(l);
  if (macs > LAYER_LIMITS.MAX_MACS)
    throw new InputError(
      `${where}: ${describeLayer(l)} has ${macs.toPrecision(4)} MACs, more than the ${LAYER_LIMITS.MAX_MACS} the cost model counts exactly`,
    );
  return l;
}

/** Short text form, e.g. `conv K=64 C=64 Y=56 X=56 R=3 S=3`. */
export function describeLayer(layer: Layer): string {
  if (layer.kind === 'other') return `other ${layer.op}`;
  return `${layer.kind} ${DIMS[layer.kind].map((d) => `${d}=${(layer as unknown as Record<string, number>)[d]}`).join(' ')}`;
}
