/**
 * Using a trained policy: load it from a run folder, and map a group with it, greedily
 * (one forward pass per job) or as the best of K sampled rollouts (batched: K envs step
 * together, one forward pass per step for all K).
 */
import type { Encoding } from '../src/core/encoding.js';
import { InputError } from '../src/core/errors.js';
import { Rng } from '../src/core/rng.js';
import type { JobTable } from '../src/core/table.js';
import { type ActionLayout, sampleActions } from './distributions.js';
import { makeAgentEnv } from './env-factory.js';
import { ActorCritic } from './networks.js';
import { type EnvDescription, RunFolder } from './run-folder.js';
import type { AgentSettings } from './settings.js';
import { MAX_ENV_SEED } from './trainer.js';
import type { AgentVecEnv } from './vec-env.js';

export interface LoadedPolicy {
  readonly net: ActorCritic;
  readonly settings: AgentSettings;
  readonly env: EnvDescription;
  /** Environment steps the policy was trained for. */
  readonly step: number;
  readonly run: string;
}

/** The policy of a run's latest checkpoint (the tfjs backend must be selected first). */
export function loadPolicy(dir: string): LoadedPolicy {
  const run = RunFolder.open(dir);
  const ckpt = run.loadCheckpoint();
  if (!ckpt) throw new InputError(`run ${dir} has no checkpoint yet (train it first)`);
  const { settings, env } = run.manifest;
  // The network's shape follows from the environment: build one env to read its spaces.
  const probe = makeAgentEnv(env, 1);
  const net = new ActorCritic(
    { obsSize: probe.obsSize, logitsSize: probe.layout.total },
    settings.network,
    new Rng(0),
  );
  probe.close();
  net.setWeights(ckpt.weights);
  return { net, settings, env, step: ckpt.step, run: dir };
}

export interface RolloutResult {
  /** Best (lowest) makespan found, and its mapping. */
  readonly makespan: number;
  readonly lowerBound: number;
  readonly encoding: Encoding;
  /** Episodes run. */
  readonly episodes: number;
  /** [episodes so far, best makespan so far] at every improvement. */
  readonly history: [number, number][];
  /** Makespan of every episode, in order. */
  readonly makespans: number[];
}

interface FinalInfo {
  makespan?: unknown;
  lowerBound?: unknown;
  encoding?: { core: Int32Array; priority: Float64Array };
}

/** Envs stepped together in a rollout: one forward pass serves them all; bounds memory for large K. */
const MAX_PARALLEL_ROLLOUTS = 64;

/**
 * Runs `episodes` episodes of the policy on `table` (up to 64 envs in parallel), greedy or
 * sampled with `seed`; returns the best mapping. The environment must report `makespan`,
 * `lowerBound` and `encoding` in its final info (the M3E Sequential env does).
 */
export function rollout(
  net: ActorCritic,
  env: EnvDescription,
  table: JobTable,
  options: { episodes: number; greedy: boolean; seed: number },
): RolloutResult {
  const { episodes, greedy } = options;
  if (!Number.isInteger(episodes) || episodes < 1)
    throw new InputError(`the number of rollouts must be a positive integer, got ${episodes}`);
  const rng = new Rng(options.seed);
  const infos: FinalInfo[] = [];
  while (infos.length < episodes) {
    const vec = makeAgentEnv(env, Math.min(MAX_PARALLEL_ROLLOUTS, episodes - infos.length), table);
    if (vec.obsSize !== net.shape.obsSize || vec.layout.total !== net.shape.logitsSize) {
      throw new InputError(
        `the policy was trained for observations of ${net.shape.obsSize} values and ${net.shape.logitsSize} action logits; on this table the environment has ${vec.obsSize} and ${vec.layout.total} (another number of cores?)`,
      );
    }
    vec.reset(rng.int(MAX_ENV_SEED));
    infos.push(...runEpisodes(vec, net, vec.layout, rng, greedy));
    vec.close();
  }
  const makespans = infos.map((info) => {
    if (typeof info.makespan !== 'number' || !info.encoding || typeof info.lowerBound !== 'number')
      throw new Error(`environment ${env.id} reports no makespan, lowerBound or encoding in its final info`);
    return info.makespan;
  });
  let best = 0;
  const history: [number, number][] = [[1, makespans[0]!]];
  for (let i = 1; i < episodes; i++) {
    if (makespans[i]! < makespans[best]!) {
      best = i;
      history.push([i + 1, makespans[i]!]);
    }
  }
  if (history[history.length - 1]![0] !== episodes) history.push([episodes, makespans[best]!]);
  const info = infos[best]!;
  return {
    makespan: makespans[best]!,
    lowerBound: info.lowerBound as number,
    encoding: {
      core: Int32Array.from(info.encoding!.core),
      priority: Float64Array.from(info.encoding!.priority),
    },
    episodes,
    history,
    makespans,
  };
}

/**
 * The policy's best of `samples` mappings: its greedy rollout first (its own best guess),
 * then `samples - 1` sampled rollouts seeded by `seed`. Counted like an optimiser's budget:
 * every episode is one evaluated mapping; the history's x is mappings so far.
 */
export function bestOfPolicy(
  net: ActorCritic,
  env: EnvDescription,
  table: JobTable,
  options: { samples: number; seed: number },
): RolloutResult {
  const { samples, seed } = options;
  if (!Number.isInteger(samples) || samples < 1)
    throw new InputError(`the number of mappings must be a positive integer, got ${samples}`);
  const greedy = rollout(net, env, table, { episodes: 1, greedy: true, seed });
  if (samples === 1) return greedy;
  const sampled = rollout(net, env, table, { episodes: samples - 1, greedy: false, seed });
  const makespans = [greedy.makespan, ...sampled.makespans];
  const history: [number, number][] = [[1, greedy.makespan]];
  for (const [n, m] of sampled.history) if (m < history[history.length - 1]![1]) history.push([n + 1, m]);
  const best = sampled.makespan < greedy.makespan ? sampled : greedy;
  if (history[history.length - 1]![0] !== samples) history.push([samples, best.makespan]);
  return { ...best, episodes: samples, history, makespans };
}

/** Steps every env until each has finished one episode; returns their final infos in env order. */
function runEpisodes(
  vec: AgentVecEnv,
  net: ActorCritic,
  layout: ActionLayout,
  rng: Rng,
  greedy: boolean,
): FinalInfo[] {
  const N = vec.numEnvs;
  const finals: (FinalInfo | null)[] = Array.from({ length: N }, () => null);
  const actions = new Int32Array(N * layout.dims);
  const logProbs = new Float32Array(N);
  let remaining = N;
  while (remaining > 0) {
    const logits = net.predictLogits(vec.obs, N);
    sampleActions(layout, logits, vec.masked ? vec.masks : null, N, rng, greedy, actions, logProbs);
    for (const ep of vec.step(actions)) {
      if (finals[ep.env] === null) {
        finals[ep.env] = ep.info as FinalInfo;
        remaining--;
      }
    }
  }
  return finals as FinalInfo[];
}
