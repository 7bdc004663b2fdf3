/**
 * Vision networks, each written the way its paper (and torchvision's implementation, which
 * the MAGMA authors' groups were drawn from) defines it: stages, blocks, widths, expansion
 * factors. Layer names follow torchvision's module names. Every builder takes the input
 * image side; networks are built per image (the cost model's convolutions have no batch).
 */
import { CnnBuilder } from './net.js';

const RGB = 3;
const IMAGENET_CLASSES = 1000;

// ---------------------------------------------------------------------------------------
// ResNet family (He et al. 2016; torchvision puts the stride in the 3x3 conv, "V1.5").

export interface ResNetConfig {
  readonly block: 'basic' | 'bottleneck';
  /** Blocks per stage (conv2_x .. conv5_x). */
  readonly layers: readonly [number, number, number, number];
  /** ResNeXt cardinality. */
  readonly groups?: number;
  /** Channels per group in the bottleneck at stage 1 (64 = plain ResNet; 128 = Wide ResNet-50-2). */
  readonly widthPerGroup?: number;
}

const RESNET_STAGE_PLANES = [64, 128, 256, 512] as const;
const BOTTLENECK_EXPANSION = 4;
const RESNET_BASE_WIDTH = 64;

export function resnet(cfg: ResNetConfig, resolution: number): CnnBuilder {
  const groups = cfg.groups ?? 1;
  const widthPerGroup = cfg.widthPerGroup ?? RESNET_BASE_WIDTH;
  const b = new CnnBuilder(RGB, resolution);
  b.conv('conv1', 64, 7, { stride: 2, pad: 3 }).bn('bn1').act('relu').maxPool('maxpool', 3, 2, 1);
  let inplanes = 64;
  RESNET_STAGE_PLANES.forEach((planes, stage) => {
    for (let j = 0; j < cfg.layers[stage]!; j++) {
      const stride = j === 0 && stage > 0 ? 2 : 1;
      const p = `layer${stage + 1}.${j}`;
      const input = b.shape;
      let out: number;
      if (cfg.block === 'bottleneck') {
        const width = Math.floor((planes * widthPerGroup) / RESNET_BASE_WIDTH) * groups;
        out = planes * BOTTLENECK_EXPANSION;
        b.conv(`${p}.conv1`, width, 1).bn(`${p}.bn1`).act(`${p}.relu1`);
        b.conv(`${p}.conv2`, width, 3, { stride, pad: 1, groups }).bn(`${p}.bn2`).act(`${p}.relu2`);
        b.conv(`${p}.conv3`, out, 1).bn(`${p}.bn3`);
      } else {
        out = planes;
        b.conv(`${p}.conv1`, planes, 3, { stride, pad: 1 }).bn(`${p}.bn1`).act(`${p}.relu1`);
        b.conv(`${p}.conv2`, planes, 3, { pad: 1 }).bn(`${p}.bn2`);
      }
      if (stride !== 1 || inplanes !== out) {
        const main = b.shape;
        b.shape = input;
        b.conv(`${p}.downsample.0`, out, 1, { stride }).bn(`${p}.downsample.1`);
        b.shape = main;
      }
      b.other(`${p}.add`, 'add').act(`${p}.relu`);
      inplanes = out;
    }
  });
  return b.adaptiveAvgPool('avgpool', 1).linear('fc', IMAGENET_CLASSES);
}

// ---------------------------------------------------------------------------------------
// VGG (Simonyan & Zisserman 2015), configuration D = VGG16; 'M' is a 2x2 max-pool.

type VggItem = number | 'M';
export const VGG16_CFG: readonly VggItem[] = [
  64,
  64,
  'M',
  128,
  128,
  'M',
  256,
  256,
  256,
  'M',
  512,
  512,
  512,
  'M',
  512,
  512,
  512,
  'M',
];
const VGG_FC = 4096;
const VGG_POOL_OUT = 7;

export function vgg(cfg: readonly VggItem[], resolution: number): CnnBuilder {
  const b = new CnnBuilder(RGB, resolution);
  let i = 0;
  for (const item of cfg) {
    if (item === 'M') {
      b.maxPool(`features.${i++}`, 2, 2);
    } else {
      b.conv(`features.${i++}`, item, 3, { pad: 1, bias: true }).act(`features.${i++}`);
    }
  }
  b.adaptiveAvgPool('avgpool', VGG_POOL_OUT);
  b.linear('classifier.0', VGG_FC).act('classifier.1').other('classifier.2', 'dropout');
  b.linear('classifier.3', VGG_FC).act('classifier.4').other('classifier.5', 'dropout');
  return b.linear('classifier.6', IMAGENET_CLASSES);
}

// ---------------------------------------------------------------------------------------
// AlexNet (Krizhevsky et al. 2012), torchvision's single-tower variant.

const ALEXNET_POOL_OUT = 6;

export function alexnet(resolution: number): CnnBuilder {
  const b = new CnnBuilder(RGB, resolution);
  b.conv('features.0', 64, 11, { stride: 4, pad: 2, bias: true })
    .act('features.1')
    .maxPool('features.2', 3, 2);
  b.conv('features.3', 192, 5, { pad: 2, bias: true }).act('features.4').maxPool('features.5', 3, 2);
  b.conv('features.6', 384, 3, { pad: 1, bias: true }).act('features.7');
  b.conv('features.8', 256, 3, { pad: 1, bias: true }).act('features.9');
  b.conv('features.10', 256, 3, { pad: 1, bias: true }).act('features.11').maxPool('features.12', 3, 2);
  b.adaptiveAvgPool('avgpool', ALEXNET_POOL_OUT);
  b.other('classifier.0', 'dropout').linear('classifier.1', VGG_FC).act('classifier.2');
  b.other('classifier.3', 'dropout').linear('classifier.4', VGG_FC).act('classifier.5');
  return b.linear('classifier.6', IMAGENET_CLASSES);
}

// ---------------------------------------------------------------------------------------
// MobileNet-V2 (Sandler et al. 2018), Table 2: expansion t, channels c, repeats n, stride s.

export const MOBILENET_V2_SETTINGS: readonly (readonly [number, number, number, number])[] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];
const MOBILENET_V2_STEM = 32;
const MOBILENET_V2_LAST = 1280;

export function mobilenetV2(resolution: number): CnnBuilder {
  const b = new CnnBuilder(RGB, resolution);
  b.conv('features.0.0', MOBILENET_V2_STEM, 3, { stride: 2, pad: 1 })
    .bn('features.0.1')
    .act('features.0.2', 'relu6');
  let f = 1;
  for (const [t, c, n, s] of MOBILENET_V2_SETTINGS) {
    for (let j = 0; j < n; j++) {
      const p = `features.${f++}.conv`;
      const stride = j === 0 ? s : 1;
      const inC = b.c;
      let k = 0;
      if (t !== 1) {
        b.conv(`${p}.${k}.0`, inC * t, 1)
          .bn(`${p}.${k}.1`)
          .act(`${p}.${k}.2`, 'relu6');
        k++;
      }
      b.dwconv(`${p}.${k}.0`, 3, { stride, pad: 1 }).bn(`${p}.${k}.1`).act(`${p}.${k}.2`, 'relu6');
      k++;
      b.conv(`${p}.${k}`, c, 1).bn(`${p}.${k + 1}`);
      if (stride === 1 && inC === c) b.other(`${p}.add`, 'add');
    }
  }
  b.conv(`features.${f}.0`, MOBILENET_V2_LAST, 1).bn(`features.${f}.1`).act(`features.${f}.2`, 'relu6');
  b.adaptiveAvgPool('avgpool', 1).other('classifier.0', 'dropout');
  return b.linear('classifier.1', IMAGENET_CLASSES);
}

// ---------------------------------------------------------------------------------------
// DenseNet (Huang et al. 2017), Table 1: growth rate k, bottleneck 4k, compression 0.5.

export interface DenseNetConfig {
  readonly growth: number;
  readonly blocks: readonly number[];
  readonly initFeatures: number;
}
export const DENSENET121: DenseNetConfig = { growth: 32, blocks: [6, 12, 24, 16], initFeatures: 64 };
export const DENSENET161: DenseNetConfig = { growth: 48, blocks: [6, 12, 36, 24], initFeatures: 96 };
const DENSENET_BN_SIZE = 4;

export function densenet(cfg: DenseNetConfig, resolution: number): CnnBuilder {
  const b = new CnnBuilder(RGB, resolution);
  b.conv('features.conv0', cfg.initFeatures, 7, { stride: 2, pad: 3 })
    .bn('features.norm0')
    .act('features.relu0');
  b.maxPool('features.pool0', 3, 2, 1);
  cfg.blocks.forEach((n, i) => {
    for (let j = 0; j < n; j++) {
      const p = `features.denseblock${i + 1}.denselayer${j + 1}`;
      const input = b.shape;
      b.bn(`${p}.norm1`)
        .act(`${p}.relu1`)
        .conv(`${p}.conv1`, DENSENET_BN_SIZE * cfg.growth, 1);
      b.bn(`${p}.norm2`).act(`${p}.relu2`).conv(`${p}.conv2`, cfg.growth, 3, { pad: 1 });
      b.shape = { ...input, c: input.c + cfg.growth };
      b.other(`${p}.concat`, 'concat');
    }
    if (i < cfg.blocks.length - 1) {
      const p = `features.transition${i + 1}`;
      b.bn(`${p}.norm`)
        .act(`${p}.relu`)
        .conv(`${p}.conv`, Math.floor(b.c / 2), 1)
        .avgPool(`${p}.pool`, 2, 2);
    }
  });
  b.bn('features.norm5').act('relu').adaptiveAvgPool('avgpool', 1);
  return b.linear('classifier', IMAGENET_CLASSES);
}

// ---------------------------------------------------------------------------------------
// GoogLeNet (Szegedy et al. 2015), Table 1 inception widths. torchvision uses a 3x3 conv in
// the "5x5" branch (a long-standing quirk kept for its weights), and so do the MAGMA groups.

type InceptionCfg = readonly [number, number, number, number, number, number];
const INCEPTIONS: readonly (readonly [string, InceptionCfg] | 'pool3' | 'pool4')[] = [
  ['inception3a', [64, 96, 128, 16, 32, 32]],
  ['inception3b', [128, 128, 192, 32, 96, 64]],
  'pool3',
  ['inception4a', [192, 96, 208, 16, 48, 64]],
  ['inception4b', [160, 112, 224, 24, 64, 64]],
  ['inception4c', [128, 128, 256, 24, 64, 64]],
  ['inception4d', [112, 144, 288, 32, 64, 64]],
  ['inception4e', [256, 160, 320, 32, 128, 128]],
  'pool4',
  ['inception5a', [256, 160, 320, 32, 128, 128]],
  ['inception5b', [384, 192, 384, 48, 128, 128]],
];

function basicConv(b: CnnBuilder, name: string, out: number, k: number, stride = 1, pad = 0): void {
  b.conv(`${name}.conv`, out, k, { stride, pad }).bn(`${name}.bn`).act(`${name}.relu`);
}

export function googlenet(resolution: number): CnnBuilder {
  const b = new CnnBuilder(RGB, resolution);
  basicConv(b, 'conv1', 64, 7, 2, 3);
  b.maxPool('maxpool1', 3, 2, 0, true);
  basicConv(b, 'conv2', 64, 1);
  basicConv(b, 'conv3', 192, 3, 1, 1);
  b.maxPool('maxpool2', 3, 2, 0, true);
  for (const item of INCEPTIONS) {
    if (item === 'pool3') b.maxPool('maxpool3', 3, 2, 0, true);
    else if (item === 'pool4') b.maxPool('maxpool4', 2, 2, 0, true);
    else {
      const [p, [c1, c3r, c3, c5r, c5, pp]] = item;
      const input = b.shape;
      basicConv(b, `${p}.branch1`, c1, 1);
      b.shape = input;
      basicConv(b, `${p}.branch2.0`, c3r, 1);
      basicConv(b, `${p}.branch2.1`, c3, 3, 1, 1);
      b.shape = input;
      basicConv(b, `${p}.branch3.0`, c5r, 1);
      basicConv(b, `${p}.branch3.1`, c5, 3, 1, 1);
      b.shape = input;
      b.maxPool(`${p}.branch4.0`, 3, 1, 1, true);
      basicConv(b, `${p}.branch4.1`, pp, 1);
      b.shape = { ...input, c: c1 + c3 + c5 + pp };
      b.other(`${p}.concat`, 'concat');
    }
  }
  b.adaptiveAvgPool('avgpool', 1).other('dropout', 'dropout');
  return b.linear('fc', IMAGENET_CLASSES);
}

// ---------------------------------------------------------------------------------------
// ShuffleNet V2 1.0x (Ma et al. 2018), Table 5: repeats 4, 8, 4; channels 24, 116, 232, 464, 1024.

const SHUFFLENET_V2_REPEATS = [4, 8, 4] as const;
const SHUFFLENET_V2_X1_CHANNELS = [24, 116, 232, 464, 1024] as const;

export function shufflenetV2(resolution: number): CnnBuilder {
  const ch = SHUFFLENET_V2_X1_CHANNELS;
  const b = new CnnBuilder(RGB, resolution);
  b.conv('conv1.0', ch[0], 3, { stride: 2, pad: 1 }).bn('conv1.1').act('conv1.2').maxPool('maxpool', 3, 2, 1);
  SHUFFLENET_V2_REPEATS.forEach((n, s) => {
    const out = ch[s + 1]!;
    const bf = out / 2;
    for (let j = 0; j < n; j++) {
      const p = `stage${s + 2}.${j}`;
      const input = b.shape;
      let left: { c: number; h: number; w: number };
      if (j === 0) {
        // Down-sampling unit: both branches see the whole input, stride 2.
        b.dwconv(`${p}.branch1.0`, 3, { stride: 2, pad: 1 }).bn(`${p}.branch1.1`);
        b.conv(`${p}.branch1.2`, bf, 1).bn(`${p}.branch1.3`).act(`${p}.branch1.4`);
        left = b.shape;
        b.shape = input;
      } else {
        // Basic unit: channel split, the left half passes through.
        b.other(`${p}.split`, 'channel-split');
        left = { ...input, c: input.c / 2 };
        b.shape = left;
      }
      const stride = j === 0 ? 2 : 1;
      b.conv(`${p}.branch2.0`, bf, 1).bn(`${p}.branch2.1`).act(`${p}.branch2.2`);
      b.dwconv(`${p}.branch2.3`, 3, { stride, pad: 1 }).bn(`${p}.branch2.4`);
      b.conv(`${p}.branch2.5`, bf, 1).bn(`${p}.branch2.6`).act(`${p}.branch2.7`);
      b.shape = { ...b.shape, c: left.c + bf };
      b.other(`${p}.shuffle`, 'channel-shuffle');
    }
  });
  b.conv('conv5.0', ch[4], 1).bn('conv5.1').act('conv5.2').other('mean', 'global-avgpool');
  b.shape = { ...b.shape, h: 1, w: 1 };
  return b.linear('fc', IMAGENET_CLASSES);
}

// ---------------------------------------------------------------------------------------
// MnasNet-A1 as torchvision's mnasnet1_0 (Tan et al. 2019, Fig. 7): stacks of inverted
// residuals (input, output, kernel, stride, expansion, repeats).

const MNASNET_STACKS: readonly (readonly [number, number, number, number, number])[] = [
  [24, 3, 2, 3, 3],
  [40, 5, 2, 3, 3],
  [80, 5, 2, 6, 3],
  [96, 3, 1, 6, 2],
  [192, 5, 2, 6, 4],
  [320, 3, 1, 6, 1],
];
const MNASNET_STEM = 32;
const MNASNET_FIRST = 16;
const MNASNET_LAST = 1280;

export function mnasnet(resolution: number): CnnBuilder {
  const b = new CnnBuilder(RGB, resolution);
  b.conv('layers.0', MNASNET_STEM, 3, { stride: 2, pad: 1 }).bn('layers.1').act('layers.2');
  b.dwconv('layers.3', 3, { pad: 1 }).bn('layers.4').act('layers.5');
  b.conv('layers.6', MNASNET_FIRST, 1).bn('layers.7');
  MNASNET_STACKS.forEach(([out, k, s, t, n], i) => {
    for (let j = 0; j < n; j++) {
      const p = `layers.${8 + i}.${j}.layers`;
      const inC = b.c;
      const stride = j === 0 ? s : 1;
      b.conv(`${p}.0`, inC * t, 1)
        .bn(`${p}.1`)
        .act(`${p}.2`);
      b.dwconv(`${p}.3`, k, { stride, pad: Math.floor(k / 2) })
        .bn(`${p}.4`)
        .act(`${p}.5`);
      b.conv(`${p}.6`, out, 1).bn(`${p}.7`);
      if (stride === 1 && inC === out) b.other(`layers.${8 + i}.${j}.add`, 'add');
    }
  });
  b.conv('layers.14', MNASNET_LAST, 1).bn('layers.15').act('layers.16').other('mean', 'global-avgpool');
  b.shape = { ...b.shape, h: 1, w: 1 };
  b.other('classifier.0', 'dropout');
  return b.linear('classifier.1', IMAGENET_CLASSES);
}

// ---------------------------------------------------------------------------------------
// SqueezeNet (Iandola et al. 2016): Fire modules (squeeze, expand 1x1, expand 3x3).

type FireCfg = readonly [number, number, number];
type SqueezeItem = FireCfg | 'M';
const SQUEEZENET_1_0: readonly SqueezeItem[] = [
  [16, 64, 64],
  [16, 64, 64],
  [32, 128, 128],
  'M',
  [32, 128, 128],
  [48, 192, 192],
  [48, 192, 192],
  [64, 256, 256],
  'M',
  [64, 256, 256],
];
const SQUEEZENET_1_1: readonly SqueezeItem[] = [
  [16, 64, 64],
  [16, 64, 64],
  'M',
  [32, 128, 128],
  [32, 128, 128],
  'M',
  [48, 192, 192],
  [48, 192, 192],
  [64, 256, 256],
  [64, 256, 256],
];

export function squeezenet(version: '1_0' | '1_1', resolution: number): CnnBuilder {
  const b = new CnnBuilder(RGB, resolution);
  if (version === '1_0') b.conv('features.0', 96, 7, { stride: 2, bias: true });
  else b.conv('features.0', 64, 3, { stride: 2, bias: true });
  b.act('features.1').maxPool('features.2', 3, 2, 0, true);
  let i = 3;
  for (const item of version === '1_0' ? SQUEEZENET_1_0 : SQUEEZENET_1_1) {
    const p = `features.${i++}`;
    if (item === 'M') {
      b.maxPool(p, 3, 2, 0, true);
      continue;
    }
    const [sq, e1, e3] = item;
    b.conv(`${p}.squeeze`, sq, 1, { bias: true }).act(`${p}.squeeze_activation`);
    const squeezed = b.shape;
    b.conv(`${p}.expand1x1`, e1, 1, { bias: true }).act(`${p}.expand1x1_activation`);
    b.shape = squeezed;
    b.conv(`${p}.expand3x3`, e3, 3, { pad: 1, bias: true }).act(`${p}.expand3x3_activation`);
    b.shape = { ...b.shape, c: e1 + e3 };
    b.other(`${p}.concat`, 'concat');
  }
  b.other('classifier.0', 'dropout').conv('classifier.1', IMAGENET_CLASSES, 1, { bias: true });
  return b.act('classifier.2').adaptiveAvgPool('classifier.3', 1);
}
