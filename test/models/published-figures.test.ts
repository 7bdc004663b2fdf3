/**
 * Every network in the zoo, at its standard input, against the MAC and parameter counts its
 * authors, torchvision or HuggingFace publish (within 2%), each with its source. Where no
 * such figure exists or cannot be matched, the test says why and checks what can be checked.
 */
import { describe, expect, test } from 'vitest';
import { networkStats } from '../../models/net.js';
import { DLRM_KAGGLE_TABLE_ROWS } from '../../models/recommendation.js';
import { buildNetwork, ZOO } from '../../models/zoo.js';

const TOLERANCE = 0.02;

function stats(model: string) {
  return networkStats(buildNetwork(model));
}

function expectWithin(actual: number, published: number, tolerance = TOLERANCE): void {
  expect(Math.abs(actual - published) / published).toBeLessThanOrEqual(tolerance);
}

/**
 * torchvision's model documentation (pytorch.org/vision/stable/models, one page per
 * builder): "num_params" and "GFLOPS" of the IMAGENET1K_V1 weights at 224 x 224. Their
 * GFLOPS column counts multiply-accumulates of convolutions and dense layers (GMACs).
 */
const TORCHVISION: Record<string, { params: number; gmacs: number }> = {
  resnet18: { params: 11_689_512, gmacs: 1.81 },
  resnet50: { params: 25_557_032, gmacs: 4.09 },
  resnext50_32x4d: { params: 25_028_904, gmacs: 4.23 },
  wide_resnet50_2: { params: 68_883_240, gmacs: 11.4 },
  vgg16: { params: 138_357_544, gmacs: 15.47 },
  alexnet: { params: 61_100_840, gmacs: 0.71 },
  mobilenet_v2: { params: 3_504_872, gmacs: 0.3 },
  densenet121: { params: 7_978_856, gmacs: 2.83 },
  densenet161: { params: 28_681_000, gmacs: 7.73 },
  googlenet: { params: 6_624_904, gmacs: 1.5 },
  mnasnet1_0: { params: 4_383_312, gmacs: 0.31 },
  squeezenet1_0: { params: 1_248_424, gmacs: 0.82 },
  squeezenet1_1: { params: 1_235_496, gmacs: 0.35 },
  // torchvision prints 0.14 GFLOPS: two digits, 3.5% coarse; the MACs are checked below
  // against the paper's 146 M instead.
  shufflenet_v2_x1_0: { params: 2_278_604, gmacs: Number.NaN },
};

describe('vision networks against torchvision', () => {
  for (const [model, pub] of Object.entries(TORCHVISION)) {
    test(`${model}: parameters exactly, MACs within 2%`, () => {
      const s = stats(model);
      expect(s.params).toBe(pub.params);
      if (!Number.isNaN(pub.gmacs)) expectWithin(s.macs, pub.gmacs * 1e9);
    });
  }

  test('the commonly quoted figures: ResNet-50 ~4.1 GMACs / 25.6 M, MobileNet-V2 ~300 MMACs / 3.5 M, VGG16 ~15.5 GMACs / 138 M', () => {
    expectWithin(stats('resnet50').macs, 4.1e9);
    expectWithin(stats('resnet50').params, 25.6e6);
    expectWithin(stats('mobilenet_v2').macs, 300e6);
    expectWithin(stats('mobilenet_v2').params, 3.5e6);
    expectWithin(stats('vgg16').macs, 15.5e9);
    expectWithin(stats('vgg16').params, 138e6);
  });

  test("authors' papers: ShuffleNet V2 1x 146 MFLOPs (Ma et al. 2018, ImageNet comparison; their FLOPs are multiply-adds), MnasNet-A1 312 M MACs (Tan et al. 2019, ImageNet results)", () => {
    expectWithin(stats('shufflenet_v2_x1_0').macs, 146e6);
    expectWithin(stats('mnasnet1_0').macs, 312e6);
  });
});

/**
 * HuggingFace's list of pretrained models (transformers docs, "Pretrained models") and model
 * cards, and the papers. Parameters of the base models (no task head).
 */
describe('language networks against HuggingFace and the papers', () => {
  const PUBLISHED: Record<string, { params: number; source: string }> = {
    'bert-base': {
      params: 110e6,
      source: 'HF pretrained models: bert-base-uncased, 110M; Devlin et al. 2019',
    },
    'bert-large': {
      params: 340e6,
      source: 'HF pretrained models: bert-large-uncased, 340M; Devlin et al. 2019',
    },
    gpt2: {
      params: 124e6,
      source: 'HF gpt2 model card: "the smallest version of GPT-2, with 124M parameters"',
    },
    't5-small': { params: 60e6, source: 'HF pretrained models: t5-small, ~60M parameters' },
    ctrl: { params: 1.63e9, source: 'Keskar et al. 2019, abstract: a 1.63 billion-parameter model' },
    'albert-xxlarge': { params: 223e6, source: 'HF pretrained models: albert-xxlarge-v2, 223M parameters' },
    // The XLM paper gives no count; the released xlm-mlm-en-2048 checkpoint (HF hub,
    // pytorch_model.bin) is 2.67 GB of float32 weights = 667.5 M parameters.
    xlm: { params: 2.67e9 / 4, source: 'HF hub xlm-mlm-en-2048 pytorch_model.bin, 2.67 GB float32' },
  };
  for (const [model, pub] of Object.entries(PUBLISHED)) {
    test(`${model}: parameters within 2% of ${pub.source}`, () => {
      expectWithin(stats(model).params, pub.params);
    });
  }

  test('albert-base: published only as 11M (HF list) and 12M (Lan et al. 2020, Table 1); our exact count lies between', () => {
    // Both figures are rounded to two digits, so neither is within 2% of the exact count
    // of AlbertModel (albert-base-v2: 11,683,584). Check it is bracketed by them.
    const p = stats('albert-base').params;
    expect(p).toBe(11_683_584);
    expect(p).toBeGreaterThan(11e6);
    expect(p).toBeLessThan(12e6);
  });

  test("mobilebert: 2.8% under the paper's 25.3M (Sun et al. 2020), exactly HF MobileBertModel", () => {
    // The paper's figure includes weights outside MobileBertModel as configured for
    // google/mobilebert-uncased (classifier_activation = false: no pooler dense layer);
    // with the pooler's 512 x 512 + 512 it would be 24.84 M, 1.8% under. We keep the
    // released configuration and check the hand-computed count of its modules.
    const embeddings = 30522 * 128 + (3 * 128 * 512 + 512) + 512 * 512 + 2 * 512 + 2 * 512;
    const bottlenecks = 2 * (512 * 128 + 128 + 2 * 128);
    const attention = 2 * (128 * 128 + 128) + (512 * 128 + 128) + (128 * 128 + 128 + 2 * 128);
    const ffn = 4 * (128 * 512 + 512 + 512 * 128 + 128 + 2 * 128);
    const outputBottleneck = 128 * 512 + 512 + 2 * 512;
    const perLayer = bottlenecks + attention + ffn + outputBottleneck;
    expect(stats('mobilebert').params).toBe(embeddings + 24 * perLayer);
    const gap = (25.3e6 - stats('mobilebert').params) / 25.3e6;
    expect(gap).toBeGreaterThan(0.02);
    expect(gap).toBeLessThan(0.03);
  });

  test('MACs at 20 tokens: dense weights x tokens + attention (no published MAC counts for these base models)', () => {
    // BERT-base: 12 layers of 4 H x H and 2 H x 4H projections at 20 rows, the pooler at
    // one row, and per layer and head two 20 x 20 x 64 attention products.
    const H = 768;
    const dense = 12 * (4 * H * H + 2 * H * 4 * H) * 20 + H * H;
    const attn = 12 * 12 * 2 * 20 * 20 * 64;
    expect(stats('bert-base').macs).toBe(dense + attn);
    // The rule of thumb "2 x parameters FLOPs per token": non-embedding weights x tokens.
    const gpt2 = stats('gpt2');
    const gptDense = 12 * (H * 3 * H + H * H + 2 * H * 4 * H) * 20;
    expect(gpt2.macs).toBe(gptDense + 12 * 12 * 2 * 20 * 20 * 64);
  });
});

/**
 * Recommendation models: their papers publish layer configurations, not totals (embedding
 * tables depend on the data set). The dense parts are checked against counts computed by
 * hand from the published configurations; DLRM's and NCF's tables from the data sets'
 * published cardinalities.
 */
describe('recommendation networks against their published configurations', () => {
  const dense = (dims: number[]) => {
    let params = 0;
    let macs = 0;
    for (let i = 0; i + 1 < dims.length; i++) {
      params += dims[i]! * dims[i + 1]! + dims[i + 1]!;
      macs += dims[i]! * dims[i + 1]!;
    }
    return { params, macs };
  };

  test('dlrm: Criteo Kaggle configuration 13-512-256-64-16 / 367-512-256-1, 26 tables of 16-d', () => {
    const bot = dense([13, 512, 256, 64, 16]);
    const top = dense([16 + (27 * 26) / 2, 512, 256, 1]);
    const rows = DLRM_KAGGLE_TABLE_ROWS.reduce((a, b) => a + b, 0);
    expect(rows).toBe(33_762_577);
    const s = stats('dlrm');
    expect(s.params).toBe(bot.params + top.params + rows * 16);
    expect(s.macs).toBe(bot.macs + top.macs + 27 * 27 * 16);
  });

  test('ncf: MLPerf NeuMF on MovieLens-20M (138,493 users, 26,744 items), factors 64, MLP 256-256-128-64', () => {
    const mlp = dense([256, 256, 128, 64]);
    const final = dense([128, 1]);
    const embeddings = (138_493 + 26_744) * (64 + 128);
    const s = stats('ncf');
    expect(s.params).toBe(embeddings + mlp.params + final.params);
    expect(s.params).toBe(31_832_577);
    expect(s.macs).toBe(mlp.macs + final.macs);
  });

  test('wide-deep: deep part 1200-1024-512-256-1 (Cheng et al. 2016, section 4)', () => {
    const d = dense([1200, 1024, 512, 256, 1]);
    expect(stats('wide-deep').params).toBe(d.params);
    expect(stats('wide-deep').macs).toBe(d.macs);
  });

  test('din: activation unit 144-36-1 per behaviour (50), MLP 144-200-80-2, Amazon goods and categories', () => {
    const unit = dense([4 * 36, 36, 1]);
    const top = dense([144, 200, 80, 2]);
    const s = stats('din');
    expect(s.params).toBe(unit.params + top.params + (63_001 + 801) * 18);
    expect(s.macs).toBe(50 * unit.macs + top.macs);
  });
});

test('every network in the zoo has a check above', () => {
  const checked = new Set([
    ...Object.keys(TORCHVISION),
    'bert-base',
    'bert-large',
    'gpt2',
    't5-small',
    'ctrl',
    'albert-xxlarge',
    'xlm',
    'albert-base',
    'mobilebert',
    'dlrm',
    'ncf',
    'wide-deep',
    'din',
  ]);
  expect(ZOO.map((m) => m.name).filter((n) => !checked.has(n))).toEqual([]);
});
