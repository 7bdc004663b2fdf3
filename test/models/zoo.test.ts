import { describe, expect, test } from 'vitest';
import { toJobShape } from '../../models/convert.js';
import type { Conv2dOp, NetLayer } from '../../models/net.js';
import { networkStats, windowOut } from '../../models/net.js';
import { buildNetwork, findModel, networkJobs, ZOO } from '../../models/zoo.js';
import { InputError } from '../../src/core/errors.js';
import { layerMacs } from '../../src/workload/layer.js';

function layer(model: string, name: string, opts = {}): NetLayer {
  const l = buildNetwork(model, opts).layers.find((x) => x.name === name);
  if (!l) throw new Error(`no layer ${name} in ${model}`);
  return l;
}

describe('expansion of definitions into named layers', () => {
  test('ResNet-50 layer3.2.conv2 is the 3x3 256-channel conv at 14x14', () => {
    const op = layer('resnet50', 'layer3.2.conv2').op as Conv2dOp;
    expect(op).toMatchObject({
      kind: 'conv2d',
      inC: 256,
      outC: 256,
      inH: 14,
      outH: 14,
      kH: 3,
      stride: 1,
      pad: 1,
    });
  });

  test('ResNet-50 has 53 convolutions and one dense layer; the stride sits in the 3x3 conv (V1.5)', () => {
    const net = buildNetwork('resnet50');
    expect(net.layers.filter((l) => l.op.kind === 'conv2d')).toHaveLength(53);
    expect(net.layers.filter((l) => l.op.kind === 'linear')).toHaveLength(1);
    expect(layer('resnet50', 'layer2.0.conv2').op).toMatchObject({ stride: 2, inH: 56, outH: 28 });
    expect(layer('resnet50', 'layer2.0.conv1').op).toMatchObject({ stride: 1, inH: 56, outH: 56 });
    expect(layer('resnet50', 'layer2.0.downsample.0').op).toMatchObject({ stride: 2, inC: 256, outC: 512 });
  });

  test('layer names are unique within every network', () => {
    for (const m of ZOO) {
      const names = buildNetwork(m.name).layers.map((l) => l.name);
      expect(new Set(names).size, m.name).toBe(names.length);
    }
  });

  test('DenseNet-161 concatenates: denselayer j of block 3 sees 384 + 48 (j - 1) channels', () => {
    expect(layer('densenet161', 'features.denseblock3.denselayer1.conv1').op).toMatchObject({
      inC: 384,
      inH: 14,
    });
    expect(layer('densenet161', 'features.denseblock3.denselayer36.conv1').op).toMatchObject({
      inC: 384 + 35 * 48,
    });
    expect(layer('densenet161', 'features.transition3.conv').op).toMatchObject({ inC: 2112, outC: 1056 });
  });

  test('ShuffleNet-V2 splits channels in basic units and strides both branches in the first', () => {
    expect(layer('shufflenet_v2_x1_0', 'stage3.1.branch2.0').op).toMatchObject({
      inC: 116,
      outC: 116,
      inH: 14,
    });
    expect(layer('shufflenet_v2_x1_0', 'stage3.0.branch1.0').op).toMatchObject({
      groups: 116,
      stride: 2,
      inH: 28,
    });
  });

  test('GoogLeNet pools with ceil_mode: 112 -> 56 -> 28 -> 14 -> 7', () => {
    expect(layer('googlenet', 'conv2.conv').op).toMatchObject({ inH: 56 });
    expect(layer('googlenet', 'inception3a.branch1.conv').op).toMatchObject({ inH: 28, inC: 192 });
    expect(layer('googlenet', 'inception4a.branch1.conv').op).toMatchObject({ inH: 14, inC: 480 });
    expect(layer('googlenet', 'inception5b.branch1.conv').op).toMatchObject({ inH: 7, inC: 832 });
  });

  test('ALBERT counts its shared layer once', () => {
    const net = buildNetwork('albert-xxlarge');
    const q = net.layers.filter((l) => l.name.endsWith('attention.query'));
    expect(q).toHaveLength(12);
    expect(q.filter((l) => !l.shared)).toHaveLength(1);
  });

  test('input parameters: resolution scales CNN MACs, tokens and batch scale dense rows', () => {
    const r224 = networkStats(buildNetwork('resnet50')).macs;
    const r448 = networkStats(buildNetwork('resnet50', { resolution: 448 })).macs;
    expect(r448 / r224).toBeGreaterThan(3.9);
    expect(r448 / r224).toBeLessThan(4.1);
    expect(
      layer('bert-base', 'encoder.layer.0.intermediate.dense', { tokens: 128, batch: 2 }).op,
    ).toMatchObject({
      rows: 256,
      in: 768,
      out: 3072,
    });
    expect(
      layer('bert-base', 'encoder.layer.0.attention.self.scores', { tokens: 128, batch: 2 }).op,
    ).toMatchObject({
      M: 128,
      N: 128,
      K: 64,
      count: 24,
    });
    expect(layer('dlrm', 'bot_l.0', { batch: 8 }).op).toMatchObject({ rows: 8, in: 13, out: 512 });
  });

  test('bad options are one-line input errors naming the problem', () => {
    expect(() => buildNetwork('resnet50', { tokens: 20 })).toThrow(/tokens apply to language models/);
    expect(() => buildNetwork('bert-base', { resolution: 224 })).toThrow(
      /resolution applies to vision models/,
    );
    expect(() => buildNetwork('resnet50', { batch: 4 })).toThrow(/built per image/);
    expect(() => buildNetwork('vgg16', { resolution: 16 })).toThrow(/vgg16 cannot take resolution 16/);
    // ResNet-50 runs at 16 x 16 (padding), but its 3x3 convs on 1x1 maps have no magma shape.
    expect(() => networkJobs(buildNetwork('resnet50', { resolution: 16 }), 'magma')).toThrow(InputError);
    expect(() => networkJobs(buildNetwork('resnet50', { resolution: 16 }), 'magma')).toThrow(
      /resnet50\/layer2.1.conv2 \(magma encoding\): filter rows R=3 exceed input rows Y=2/,
    );
    expect(networkJobs(buildNetwork('resnet50', { resolution: 16 }), 'exact')).toHaveLength(54);
    expect(() => buildNetwork('gpt2', { tokens: 0 })).toThrow(/tokens must be a positive integer, got 0/);
    expect(() => findModel('resnet-5O')).toThrow(/unknown model "resnet-5O" \(did you mean/);
    expect(findModel('ShuffleNet').name).toBe('shufflenet_v2_x1_0');
  });

  test('windowOut follows PyTorch, including ceil_mode', () => {
    expect(windowOut(224, 7, 2, 3)).toBe(112);
    expect(windowOut(112, 3, 2, 0, true)).toBe(56);
    expect(windowOut(109, 3, 2, 0, true)).toBe(54);
    expect(windowOut(14, 2, 2, 0, true)).toBe(7);
    // The last window must start inside the input: 5 with k=2, s=2, ceil -> 3, not 4.
    expect(windowOut(5, 2, 2, 0, true)).toBe(3);
  });
});

describe("conversion to the cost model's layers", () => {
  test('magma encoding: Y x X is the unpadded input and the stride is dropped', () => {
    const conv1 = toJobShape(layer('resnet50', 'conv1'), 'magma');
    expect(conv1).toEqual({ layer: { kind: 'conv', K: 64, C: 3, Y: 224, X: 224, R: 7, S: 7 }, copies: 1 });
    const strided = toJobShape(layer('resnet50', 'layer2.0.conv2'), 'magma');
    expect(strided?.layer).toEqual({ kind: 'conv', K: 128, C: 128, Y: 56, X: 56, R: 3, S: 3 });
  });

  test('exact encoding: Y = output + R - 1, so the MAC count is the true one', () => {
    for (const name of ['conv1', 'layer1.0.conv2', 'layer2.0.conv2', 'layer4.0.downsample.0']) {
      const l = layer('resnet50', name);
      const shape = toJobShape(l, 'exact')!;
      const op = l.op as Conv2dOp;
      expect(layerMacs(shape.layer)).toBe(op.outC * op.inC * op.kH * op.kW * op.outH * op.outW);
    }
    expect(toJobShape(layer('resnet50', 'layer2.0.conv2'), 'exact')?.layer).toMatchObject({ Y: 30, X: 30 });
  });

  test('depth-wise -> DSCONV, grouped -> CONV with C = in / groups, dense -> FC or GEMM, products -> copies', () => {
    expect(toJobShape(layer('mobilenet_v2', 'features.2.conv.1.0'), 'magma')?.layer).toEqual({
      kind: 'dwconv',
      C: 96,
      Y: 112,
      X: 112,
      R: 3,
      S: 3,
    });
    expect(toJobShape(layer('resnext50_32x4d', 'layer1.0.conv2'), 'magma')?.layer).toMatchObject({
      K: 128,
      C: 4,
    });
    expect(toJobShape(layer('resnet50', 'fc'), 'magma')?.layer).toEqual({ kind: 'fc', out: 1000, in: 2048 });
    expect(toJobShape(layer('gpt2', 'h.0.attn.c_attn'), 'magma')?.layer).toEqual({
      kind: 'gemm',
      M: 20,
      N: 2304,
      K: 768,
    });
    expect(toJobShape(layer('gpt2', 'h.0.attn.scores'), 'magma')).toEqual({
      layer: { kind: 'gemm', M: 20, N: 20, K: 64 },
      copies: 12,
    });
    expect(toJobShape(layer('gpt2', 'h.0.ln_1'), 'magma')).toBeNull();
  });

  test('jobs are named <model>/<layer>, copies get [i], and MACs add up with the exact encoding', () => {
    for (const m of ZOO) {
      const net = buildNetwork(m.name);
      const jobs = networkJobs(net, 'exact');
      const macs = jobs.reduce((s, j) => s + layerMacs(j.layer), 0);
      expect(macs, m.name).toBe(networkStats(net).macs);
    }
    const names = networkJobs(buildNetwork('bert-base'), 'magma').map((j) => j.name);
    expect(names).toContain('bert-base/encoder.layer.3.attention.self.query');
    expect(names).toContain('bert-base/encoder.layer.3.attention.self.scores[11]');
  });

  test('every zoo network converts to valid jobs in both encodings at its standard input', () => {
    for (const m of ZOO) {
      for (const enc of ['magma', 'exact'] as const)
        expect(networkJobs(buildNetwork(m.name), enc).length).toBeGreaterThan(0);
    }
  });
});
