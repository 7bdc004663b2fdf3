/**
 * From a network layer (true geometry) to the job(s) the cost model sees.
 *
 * The cost model (MAESTRO as M3E calls it) knows only stride-1, unpadded convolutions
 * without a batch dimension. Comparing the MAGMA authors' Vision groups with torchvision's
 * layers shows how they encoded the rest (docs/models.md): Y x X is the layer's
 * *input* feature map before padding, the stride is dropped, and a grouped convolution keeps
 * its full input channel count. `magma` reproduces that encoding (so the authors' groups and
 * ours agree shape for shape); `exact` instead sets Y = outH + R - 1 (the input a stride-1
 * valid convolution needs to give the true output), so the cost model's MAC count and output
 * size are exact while input traffic of strided layers is under-stated.
 *
 * Either way a grouped (non depth-wise) convolution becomes a CONV with C = inC / groups:
 * its MACs and weights are then exact (the authors' CSVs cannot show how they did it: the
 * ResNeXt shapes coincide with Wide-ResNet's). Depth-wise convolutions become DSCONV.
 * Dense layers become FC at one row and GEMM (M = rows) otherwise; an activation product
 * with `count` instances becomes `count` identical GEMM jobs.
 */
import type { ComputeLayer } from '../src/workload/layer.js';
import type { NetLayer } from './net.js';

export type ConvEncoding = 'magma' | 'exact';
export const CONV_ENCODINGS: readonly ConvEncoding[] = ['magma', 'exact'];

export interface JobShape {
  readonly layer: ComputeLayer;
  /** Identical independent jobs this layer stands for (attention heads x sequences). */
  readonly copies: number;
}

/** The cost model's view of one network layer, or null for operators it does not model. */
export function toJobShape(l: NetLayer, encoding: ConvEncoding): JobShape | null {
  const op = l.op;
  switch (op.kind) {
    case 'conv2d': {
      const Y = encoding === 'magma' ? op.inH : op.outH + op.kH - 1;
      const X = encoding === 'magma' ? op.inW : op.outW + op.kW - 1;
      const depthwise = op.groups > 1 && op.groups === op.inC && op.outC === op.inC;
      const layer: ComputeLayer = depthwise
        ? { kind: 'dwconv', C: op.inC, Y, X, R: op.kH, S: op.kW }
        : { kind: 'conv', K: op.outC, C: op.inC / op.groups, Y, X, R: op.kH, S: op.kW };
      return { layer, copies: 1 };
    }
    case 'linear':
      return {
        layer:
          op.rows === 1
            ? { kind: 'fc', out: op.out, in: op.in }
            : { kind: 'gemm', M: op.rows, N: op.out, K: op.in },
        copies: 1,
      };
    case 'matmul':
      return { layer: { kind: 'gemm', M: op.M, N: op.N, K: op.K }, copies: op.count };
    case 'other':
      return null;
  }
}

/** True for layers with weights (convolutions, dense layers): what the MAGMA task pools hold. */
export function isWeightLayer(l: NetLayer): boolean {
  return l.op.kind === 'conv2d' || l.op.kind === 'linear';
}
