/**
 * The model zoo: every network by name, with its task, its source and its standard input.
 * `buildNetwork` expands a definition into its layer list at a given input; `networkJobs`
 * turns that list into cost-model jobs named `<label>/<layer>`.
 */
import { InputError, show } from '../src/core/errors.js';
import { type Job, validateLayer } from '../src/workload/layer.js';
import { type ConvEncoding, toJobShape } from './convert.js';
import * as lang from './language.js';
import type { CnnBuilder, NetInput, NetLayer, Network, SeqBuilder, Task } from './net.js';
import * as rec from './recommendation.js';
import * as vis from './vision.js';

export const TASKS: readonly Task[] = ['vision', 'language', 'recommendation'];

/** Standard inputs: ImageNet crops, the MAGMA paper's 20 tokens, batch 1. */
export const DEFAULT_RESOLUTION = 224;
export const DEFAULT_TOKENS = 20;
export const DEFAULT_BATCH = 1;

export interface ModelEntry {
  readonly name: string;
  readonly task: Task;
  readonly title: string;
  /** Where the definition comes from (paper, implementation). */
  readonly source: string;
  readonly aliases?: readonly string[];
  readonly build: (input: NetInput) => CnnBuilder | SeqBuilder;
}

const res = (i: NetInput) => i.resolution ?? DEFAULT_RESOLUTION;
const seq = (i: NetInput) => ({ tokens: i.tokens ?? DEFAULT_TOKENS, batch: i.batch });
const TV = 'torchvision.models';

export const ZOO: readonly ModelEntry[] = [
  // Vision
  {
    name: 'resnet18',
    task: 'vision',
    title: 'ResNet-18',
    source: `He et al. 2016; ${TV}.resnet18`,
    build: (i) => vis.resnet({ block: 'basic', layers: [2, 2, 2, 2] }, res(i)),
  },
  {
    name: 'resnet50',
    task: 'vision',
    title: 'ResNet-50',
    source: `He et al. 2016; ${TV}.resnet50 (stride in the 3x3 conv)`,
    build: (i) => vis.resnet({ block: 'bottleneck', layers: [3, 4, 6, 3] }, res(i)),
  },
  {
    name: 'resnext50_32x4d',
    task: 'vision',
    title: 'ResNeXt-50 32x4d',
    source: `Xie et al. 2017; ${TV}.resnext50_32x4d`,
    aliases: ['resnext50', 'resnext-50'],
    build: (i) =>
      vis.resnet({ block: 'bottleneck', layers: [3, 4, 6, 3], groups: 32, widthPerGroup: 4 }, res(i)),
  },
  {
    name: 'wide_resnet50_2',
    task: 'vision',
    title: 'Wide ResNet-50-2',
    source: `Zagoruyko & Komodakis 2016; ${TV}.wide_resnet50_2`,
    aliases: ['wide-resnet50', 'wide_resnet50', 'wide-resnet-50'],
    build: (i) => vis.resnet({ block: 'bottleneck', layers: [3, 4, 6, 3], widthPerGroup: 128 }, res(i)),
  },
  {
    name: 'vgg16',
    task: 'vision',
    title: 'VGG-16',
    source: `Simonyan & Zisserman 2015, configuration D; ${TV}.vgg16`,
    build: (i) => vis.vgg(vis.VGG16_CFG, res(i)),
  },
  {
    name: 'alexnet',
    task: 'vision',
    title: 'AlexNet',
    source: `Krizhevsky et al. 2012; ${TV}.alexnet`,
    build: (i) => vis.alexnet(res(i)),
  },
  {
    name: 'mobilenet_v2',
    task: 'vision',
    title: 'MobileNet-V2',
    source: `Sandler et al. 2018, Table 2; ${TV}.mobilenet_v2`,
    aliases: ['mobilenet-v2', 'mobilenetv2'],
    build: (i) => vis.mobilenetV2(res(i)),
  },
  {
    name: 'densenet121',
    task: 'vision',
    title: 'DenseNet-121',
    source: `Huang et al. 2017, Table 1; ${TV}.densenet121`,
    build: (i) => vis.densenet(vis.DENSENET121, res(i)),
  },
  {
    name: 'densenet161',
    task: 'vision',
    title: 'DenseNet-161',
    source: `Huang et al. 2017, Table 1 (k = 48); ${TV}.densenet161`,
    aliases: ['densenet'],
    build: (i) => vis.densenet(vis.DENSENET161, res(i)),
  },
  {
    name: 'googlenet',
    task: 'vision',
    title: 'GoogLeNet',
    source: `Szegedy et al. 2015, Table 1; ${TV}.googlenet (inference: no auxiliary heads)`,
    build: (i) => vis.googlenet(res(i)),
  },
  {
    name: 'shufflenet_v2_x1_0',
    task: 'vision',
    title: 'ShuffleNet-V2 1.0x',
    source: `Ma et al. 2018, Table 5; ${TV}.shufflenet_v2_x1_0`,
    aliases: ['shufflenet-v2', 'shufflenet', 'shufflenet_v2'],
    build: (i) => vis.shufflenetV2(res(i)),
  },
  {
    name: 'mnasnet1_0',
    task: 'vision',
    title: 'MnasNet-A1 1.0',
    source: `Tan et al. 2019, Fig. 7; ${TV}.mnasnet1_0`,
    aliases: ['mnasnet'],
    build: (i) => vis.mnasnet(res(i)),
  },
  {
    name: 'squeezenet1_0',
    task: 'vision',
    title: 'SqueezeNet 1.0',
    source: `Iandola et al. 2016, Table 1; ${TV}.squeezenet1_0`,
    aliases: ['squeezenet'],
    build: (i) => vis.squeezenet('1_0', res(i)),
  },
  {
    name: 'squeezenet1_1',
    task: 'vision',
    title: 'SqueezeNet 1.1',
    source: `Iandola et al., SqueezeNet v1.1 release; ${TV}.squeezenet1_1`,
    build: (i) => vis.squeezenet('1_1', res(i)),
  },
  // Language
  {
    name: 'bert-base',
    task: 'language',
    title: 'BERT-base',
    source: 'Devlin et al. 2019; HuggingFace bert-base-uncased (BertModel)',
    aliases: ['bert'],
    build: (i) => lang.bert(lang.BERT_BASE, seq(i)),
  },
  {
    name: 'bert-large',
    task: 'language',
    title: 'BERT-large',
    source: 'Devlin et al. 2019; HuggingFace bert-large-uncased (BertModel)',
    build: (i) => lang.bert(lang.BERT_LARGE, seq(i)),
  },
  {
    name: 'gpt2',
    task: 'language',
    title: 'GPT-2 (124M)',
    source: 'Radford et al. 2019; HuggingFace gpt2 (GPT2Model)',
    aliases: ['gpt-2'],
    build: (i) => lang.gpt2(seq(i)),
  },
  {
    name: 't5-small',
    task: 'language',
    title: 'T5-small',
    source: 'Raffel et al. 2020; HuggingFace t5-small (T5Model, decoder on as many tokens)',
    aliases: ['t5'],
    build: (i) => lang.t5(lang.T5_SMALL, seq(i)),
  },
  {
    name: 'xlm',
    task: 'language',
    title: 'XLM (mlm-en-2048)',
    source: 'Lample & Conneau 2019; HuggingFace xlm-mlm-en-2048 (XLMModel)',
    aliases: ['xlm-mlm-en-2048'],
    build: (i) => lang.xlm(seq(i)),
  },
  {
    name: 'ctrl',
    task: 'language',
    title: 'CTRL',
    source: 'Keskar et al. 2019; HuggingFace ctrl (CTRLModel)',
    build: (i) => lang.ctrl(seq(i)),
  },
  {
    name: 'albert-base',
    task: 'language',
    title: 'ALBERT-base',
    source: 'Lan et al. 2020; HuggingFace albert-base-v2 (AlbertModel)',
    build: (i) => lang.albert(lang.ALBERT_BASE, seq(i)),
  },
  {
    name: 'albert-xxlarge',
    task: 'language',
    title: 'ALBERT-xxlarge',
    source: 'Lan et al. 2020; HuggingFace albert-xxlarge-v2 (AlbertModel)',
    aliases: ['albert'],
    build: (i) => lang.albert(lang.ALBERT_XXLARGE, seq(i)),
  },
  {
    name: 'mobilebert',
    task: 'language',
    title: 'MobileBERT',
    source: 'Sun et al. 2020; HuggingFace google/mobilebert-uncased (MobileBertModel)',
    build: (i) => lang.mobilebert(seq(i)),
  },
  // Recommendation
  {
    name: 'dlrm',
    task: 'recommendation',
    title: 'DLRM (Criteo Kaggle)',
    source: 'Naumov et al. 2019; facebookresearch/dlrm Criteo Kaggle configuration',
    build: (i) => rec.dlrm(i),
  },
  {
    name: 'ncf',
    task: 'recommendation',
    title: 'NCF / NeuMF (MovieLens-20M)',
    source: 'He et al. 2017; MLPerf NCF reference',
    aliases: ['neumf'],
    build: (i) => rec.ncf(i),
  },
  {
    name: 'din',
    task: 'recommendation',
    title: 'DIN',
    source: 'Zhou et al. 2018, Fig. 2',
    build: (i) => rec.din(i),
  },
  {
    name: 'wide-deep',
    task: 'recommendation',
    title: 'Wide & Deep',
    source: 'Cheng et al. 2016, section 4 (Google Play)',
    aliases: ['wide&deep', 'widedeep', 'wide_deep', 'wnd'],
    build: (i) => rec.wideDeep(i),
  },
];

const BY_NAME = new Map<string, ModelEntry>();
for (const m of ZOO) {
  for (const n of [m.name, ...(m.aliases ?? [])]) BY_NAME.set(n.toLowerCase(), m);
}

/** Looks a model up by name or alias; unknown names get a one-line error with the closest names. */
export function findModel(name: string, where = 'model'): ModelEntry {
  const m = BY_NAME.get(name.trim().toLowerCase());
  if (m) return m;
  const near = [...BY_NAME.keys()]
    .map((k) => ({ k, d: editDistance(k, name.toLowerCase()) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map((x) => x.k);
  throw new InputError(
    `${where}: unknown model ${show(name)} (did you mean ${near.join(', ')}? see 'm3e models')`,
  );
}

export interface ModelOptions {
  readonly resolution?: number;
  readonly tokens?: number;
  readonly batch?: number;
}

/** Builds a network at the given input; options that do not apply to its task are errors. */
export function buildNetwork(name: string, opts: ModelOptions = {}, where = 'model'): Network {
  const entry = findModel(name, where);
  const batch = opts.batch ?? DEFAULT_BATCH;
  checkPositiveInt(batch, `${where}: batch`);
  if (entry.task !== 'vision' && opts.resolution !== undefined) {
    throw new InputError(
      `${where}: resolution applies to vision models, not to ${entry.name} (${entry.task})`,
    );
  }
  if (entry.task !== 'language' && opts.tokens !== undefined) {
    throw new InputError(`${where}: tokens apply to language models, not to ${entry.name} (${entry.task})`);
  }
  if (entry.task === 'vision' && batch !== 1) {
    throw new InputError(
      `${where}: vision models are built per image (the cost model's convolutions have no batch dimension), ` +
        `got batch ${batch}; a request with batch B becomes B independent micro-batches`,
    );
  }
  let input: NetInput = { batch };
  if (entry.task === 'vision') {
    const r = opts.resolution ?? DEFAULT_RESOLUTION;
    checkPositiveInt(r, `${where}: resolution`);
    input = { resolution: r, batch };
  } else if (entry.task === 'language') {
    const t = opts.tokens ?? DEFAULT_TOKENS;
    checkPositiveInt(t, `${where}: tokens`);
    input = { tokens: t, batch };
  }
  let layers: NetLayer[];
  try {
    layers = entry.build(input).layers;
  } catch (e) {
    if (e instanceof RangeError) {
      throw new InputError(
        `${where}: ${entry.name} cannot take resolution ${input.resolution}: ${e.message}`,
      );
    }
    throw e;
  }
  return { model: entry.name, task: entry.task, input, layers };
}

function checkPositiveInt(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 1)
    throw new InputError(`${what} must be a positive integer, got ${show(v)}`);
}

/** One network layer as the cost model sees it, with the jobs it expands to. */
export interface LayerJobs {
  readonly layer: NetLayer;
  readonly jobs: readonly Job[];
}

/**
 * The jobs of a network, layer by layer (operators the cost model skips give no jobs).
 * Jobs are named `<label>/<layer>`, with `[i]` for the copies of an activation product.
 */
export function networkLayerJobs(net: Network, encoding: ConvEncoding, label = net.model): LayerJobs[] {
  const out: LayerJobs[] = [];
  for (const l of net.layers) {
    const shape = toJobShape(l, encoding);
    if (!shape) continue;
    const name = `${label}/${l.name}`;
    const layer = validateLayer(shape.layer, `${name} (${encoding} encoding)`);
    const jobs: Job[] = [];
    if (shape.copies === 1) jobs.push({ name, layer, model: net.model });
    else for (let c = 0; c < shape.copies; c++) jobs.push({ name: `${name}[${c}]`, layer, model: net.model });
    out.push({ layer: l, jobs });
  }
  return out;
}

export function networkJobs(net: Network, encoding: ConvEncoding, label = net.model): Job[] {
  return networkLayerJobs(net, encoding, label).flatMap((l) => l.jobs);
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}
