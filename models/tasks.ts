/**
 * The paper's task groups: N jobs drawn at random (seeded, with replacement) from the layers
 * of a task's model pool, as the MAGMA authors built theirs. Their Vision groups hold only
 * convolutions of the torchvision models listed below (a study of their shapes:
 * docs/models.md); their Language and Recommendation groups hold dense layers (GEMM and FC)
 * only. Each pool is the union of those layers over its models, each layer equally likely;
 * Mix draws from the union of the three pools.
 */
import { InputError, show } from '../src/core/errors.js';
import { Rng } from '../src/core/rng.js';
import type { Job } from '../src/workload/layer.js';
import type { ConvEncoding } from './convert.js';
import type { Task } from './net.js';
import { buildNetwork, type ModelOptions, networkLayerJobs } from './zoo.js';

export type TaskName = Task | 'mix';
export const TASK_NAMES: readonly TaskName[] = ['vision', 'language', 'recommendation', 'mix'];

/** The authors' folder names (models/data/magma/<name>) are accepted too. */
const TASK_ALIASES: Record<string, TaskName> = {
  vision: 'vision',
  conv: 'vision',
  language: 'language',
  lang: 'language',
  recommendation: 'recommendation',
  recom: 'recommendation',
  mix: 'mix',
};

export function parseTaskName(name: string, where = 'task'): TaskName {
  const t = TASK_ALIASES[name.trim().toLowerCase()];
  if (!t) throw new InputError(`${where} must be one of ${TASK_NAMES.join(', ')}, got ${show(name)}`);
  return t;
}

export interface PoolModel {
  readonly model: string;
  readonly options?: ModelOptions;
}

/**
 * The models each task samples from: the torchvision classification examples the authors'
 * Vision shapes come from (ResNet-50 and ResNet-18 included), and the language and
 * recommendation models of the paper, at 224 x 224, 20 tokens and batch 1.
 */
export const TASK_POOLS: Record<Task, readonly PoolModel[]> = {
  vision: [
    'resnet18',
    'resnet50',
    'alexnet',
    'vgg16',
    'squeezenet1_0',
    'densenet161',
    'googlenet',
    'shufflenet_v2_x1_0',
    'mobilenet_v2',
    'resnext50_32x4d',
    'wide_resnet50_2',
    'mnasnet1_0',
  ].map((model) => ({ model })),
  language: [
    'bert-base',
    'bert-large',
    'gpt2',
    't5-small',
    'xlm',
    'ctrl',
    'albert-xxlarge',
    'mobilebert',
  ].map((model) => ({ model })),
  recommendation: ['dlrm', 'ncf', 'din', 'wide-deep'].map((model) => ({ model })),
};

/** Which layers of a task's models enter its pool. */
const POOL_OP: Record<Task, 'conv2d' | 'linear'> = {
  vision: 'conv2d',
  language: 'linear',
  recommendation: 'linear',
};

const poolCache = new Map<string, readonly Job[]>();

/** Every layer a task's groups are drawn from, in a fixed order (model by model). */
export function taskPool(task: TaskName, encoding: ConvEncoding = 'magma'): readonly Job[] {
  const key = `${task}:${encoding}`;
  const hit = poolCache.get(key);
  if (hit) return hit;
  let pool: Job[];
  if (task === 'mix') {
    pool = (['vision', 'language', 'recommendation'] as const).flatMap((t) => taskPool(t, encoding));
  } else {
    pool = [];
    for (const pm of TASK_POOLS[task]) {
      const net = buildNetwork(pm.model, pm.options);
      for (const lj of networkLayerJobs(net, encoding)) {
        if (lj.layer.op.kind === POOL_OP[task]) pool.push(...lj.jobs);
      }
    }
  }
  poolCache.set(key, pool);
  return pool;
}

/** Upper bound on a sampled group, against typos such as --jobs 1000000000. */
export const MAX_TASK_JOBS = 1_000_000;

/**
 * A group of `jobs` layers drawn uniformly with replacement from the task's pool. The same
 * (task, jobs, seed, encoding, stream) always gives the same group. A layer drawn twice gets `#2`.
 */
export function sampleTask(
  task: TaskName,
  jobs: number,
  seed: number,
  encoding: ConvEncoding = 'magma',
  /** Several groups from one seed: group k > 0 draws from its own sub-stream. */
  stream = 0,
): Job[] {
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > MAX_TASK_JOBS) {
    throw new InputError(`number of jobs must be an integer in [1, ${MAX_TASK_JOBS}], got ${show(jobs)}`);
  }
  if (!Number.isFinite(seed)) throw new InputError(`seed must be a finite number, got ${show(seed)}`);
  const pool = taskPool(task, encoding);
  // A named sub-stream, so the same --seed can also drive an optimiser without correlation.
  const rng = new Rng(seed).fork(stream === 0 ? `task:${task}` : `task:${task}:${stream}`);
  const seen = new Map<string, number>();
  const out: Job[] = [];
  for (let i = 0; i < jobs; i++) {
    const job = pool[rng.int(pool.length)]!;
    const n = (seen.get(job.name) ?? 0) + 1;
    seen.set(job.name, n);
    out.push(n === 1 ? job : { ...job, name: `${job.name}#${n}` });
  }
  return out;
}
