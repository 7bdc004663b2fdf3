/**
 * The learned mapper `policy` under the optimiser interface: a trained dispatching policy
 * (by default the model shipped in agents/pretrained/) maps the table on m3e/Dispatch-v0.
 * Its first candidate is the greedy rollout (the policy's own best guess, one forward pass
 * per decision); every later one is a sampled rollout, so a budget of 1 is the greedy
 * mapping and a budget of K the best of the greedy and K - 1 sampled mappings. Sampled
 * rollouts run in batches that share the table's encoding, at `temperature` (2 by default:
 * the shipped policy follows its plan, so its samples need the extra spread).
 *
 * Training is not part of the budget: the policy was trained beforehand, once, on the model
 * zoo (agents/dispatch/trainer.ts). `model=DIR` uses another policy folder (a training run
 * or a shipped model). The policy runs in plain JavaScript: no tfjs.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { copyEncoding, type Encoding } from '../../src/core/encoding.js';
import { InputError } from '../../src/core/errors.js';
import type { Rng } from '../../src/core/rng.js';
import type { JobTable } from '../../src/core/table.js';
import { requireTable } from '../../src/optim/heuristics/fixed-mapping.js';
import {
  assertCost,
  BestTracker,
  type Candidate,
  type Optimizer,
  type OptimizerSpec,
  type Recommendation,
} from '../../src/optim/optimizer.js';
import type { ParamValues } from '../../src/optim/params.js';
import { getOptimizerSpec, listOptimizers, registerOptimizer } from '../../src/optim/registry.js';
import { DispatchEnv, fixedTable } from '../gym.js';
import type { DispatchModel } from './model.js';
import { act } from './rollout.js';
import { type LoadedDispatchPolicy, loadDispatchPolicy } from './store.js';

export const POLICY_MAPPER = 'policy';

/** The shipped model's folder name under agents/pretrained/. */
export const PRETRAINED = 'dispatch-v3';

/** Sampled rollouts run together (one encoder pass, one vector of environments). */
const SAMPLE_BATCH = 32;

export const policyParams = {
  model: {
    type: 'text',
    default: '',
    description:
      'folder of a dispatching policy (policy.json + policy.bin: a training run or a shipped model); empty: the pretrained model shipped with m3e',
  },
  temperature: {
    type: 'float',
    low: 0.1,
    high: 10,
    log: true,
    default: 2,
    description:
      'sampled mappings draw from softmax(logits / temperature); the shipped policy follows its plan, and 2 gave the best best-of-100 on the validation and hold-out tables',
  },
} as const;

/** The shipped pretrained model's folder (from the sources or the compiled package). */
export function pretrainedDir(name = PRETRAINED): string {
  for (const rel of [`../pretrained/${name}/`, `../../../agents/pretrained/${name}/`]) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  throw new InputError(`the pretrained dispatching policy ${name} is missing from this installation`);
}

const loaded = new Map<string, LoadedDispatchPolicy>();

function load(dir: string): LoadedDispatchPolicy {
  const path = dir === '' ? pretrainedDir() : dir;
  let policy = loaded.get(path);
  if (!policy) {
    policy = loadDispatchPolicy(path);
    loaded.set(path, policy);
  }
  return policy;
}

/** The policy of a folder (empty: the shipped model), loaded once per process. */
export function policyModel(dir: string): DispatchModel {
  return load(dir).model;
}

/** How the policy of a folder (empty: the shipped model) was trained: steps, episodes, seconds. */
export function policyTraining(dir: string): { steps: number; episodes?: number; seconds?: number } {
  const t = load(dir).training;
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
  const episodes = num(t.episodes);
  const seconds = num(t.seconds);
  return {
    steps: num(t.steps) ?? 0,
    ...(episodes !== undefined ? { episodes } : {}),
    ...(seconds !== undefined ? { seconds } : {}),
  };
}

export class PolicyMapper implements Optimizer {
  readonly name = POLICY_MAPPER;
  private readonly best: BestTracker;
  private readonly queue: Encoding[] = [];
  private envs: DispatchEnv[] = [];
  private asked = 0;

  constructor(
    private readonly table: JobTable,
    private readonly model: DispatchModel,
    private readonly rng: Rng,
    private readonly temperature = 1,
  ) {
    this.best = new BestTracker(table.numJobs);
  }

  ask(): Candidate {
    if (this.queue.length === 0) this.refill();
    const e = this.queue.shift()!;
    return { id: this.asked++, core: e.core, priority: e.priority };
  }

  private refill(): void {
    const greedy = this.asked === 0;
    const n = greedy ? 1 : SAMPLE_BATCH;
    while (this.envs.length < n) this.envs.push(new DispatchEnv(fixedTable(this.table)));
    const res = act(this.model, this.envs, [this.table], n, this.rng, {
      greedy,
      record: false,
      values: false,
      temperature: this.temperature,
    });
    for (const e of res.tables[0]!.encodings) this.queue.push(copyEncoding(e));
  }

  tell(candidate: Candidate, cost: number): void {
    assertCost(this.name, cost);
    this.best.offer(candidate, cost);
  }

  recommend(): Recommendation | null {
    return this.best.recommend();
  }
}

export const policySpec: OptimizerSpec<typeof policyParams> = {
  name: POLICY_MAPPER,
  description:
    'learned dispatcher (attention policy trained by RL on the model zoo): the greedy mapping first, then sampled ones',
  reference:
    'attention model and decoding after Kool et al. (ICLR 2019) and POMO (Kwon et al., NeurIPS 2020); the shipped model trained with REINFORCE and a shared baseline on m3e/Dispatch-v0',
  family: 'learned',
  params: policyParams,
  create: (size, rng, params: ParamValues<typeof policyParams>) =>
    new PolicyMapper(requireTable(POLICY_MAPPER, size), policyModel(params.model), rng, params.temperature),
};

/** Registers `policy` in the optimiser registry (once; later calls do nothing). */
export function registerPolicyMapper(): void {
  if (listOptimizers().some((s) => s.name === POLICY_MAPPER)) {
    if (getOptimizerSpec(POLICY_MAPPER) !== (policySpec as unknown))
      throw new Error(`another optimiser is registered as ${POLICY_MAPPER}`);
    return;
  }
  registerOptimizer(policySpec);
}
