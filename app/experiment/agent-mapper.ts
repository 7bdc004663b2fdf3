/**
 * RL agents as mappers in `m3e compare`:
 *
 * - `{"agent": "ppo", "run": "runs/ppo"}` maps with the policy of a trained run folder;
 * - `{"agent": "ppo", "trainSteps": N}` trains a fresh agent on the cell's problem with the
 *   cell's seed first (M3E presets, then the spec's `settings` and `env` options, as
 *   `m3e train`), keeping its run folder under the experiment's
 *   (`agents/<mapper>/<problem id>/seed-<s>/`), so a killed run resumes the training from its
 *   last checkpoint and the trained agents can be rolled out again later.
 *
 * Either way the policy proposes `samples` mappings (greedy first, then sampled rollouts;
 * default the cell's budget) and the best is kept; each proposal counts as one evaluated
 * mapping. TensorFlow.js is loaded on the first agent cell only, so specs without agents
 * never pay for it.
 */
import { join } from 'node:path';
import { fixedTable, make, SEQUENTIAL_ID } from '../../agents/gym.js';
import { agentKindOf, agentSettings } from '../../agents/kinds.js';
import type { ActorCritic } from '../../agents/networks.js';
import { type EnvDescription, RunFolder } from '../../agents/run-folder.js';
import type { Encoding } from '../../src/core/encoding.js';
import { InputError } from '../../src/core/errors.js';
import { synthTable } from '../../src/core/synth.js';
import type { ResolvedProblem } from './problems.js';
import type { AgentMapperRef } from './spec.js';

/** What an agent mapper reports besides its mapping: reported apart from the budget. */
export interface AgentRunInfo {
  /** The tfjs backend that ran the policy (node, wasm or cpu). */
  readonly backend: string;
  /** Steps the policy was trained for (its run's, or this cell's training). */
  readonly trainedSteps: number;
  /** Training in this cell (trainSteps mappers): episodes and seconds; absent for a loaded run. */
  readonly trainEpisodes?: number;
  readonly trainSeconds?: number;
  /** Mappings proposed: 1 greedy, then sampled ones. */
  readonly samples: number;
}

/** An agent's mapping of a cell, as any mapper's, with how the agent got it. */
export interface AgentMapperRun {
  readonly best: Encoding;
  readonly cost: number;
  readonly evaluations: number;
  readonly history: [number, number][];
  readonly agent: AgentRunInfo;
}

/** Where a cell may keep files: the run folder of the experiment, when there is one. */
export interface AgentCellContext {
  /** Run folder of the experiment (agents trained in a cell keep their run folders under it). */
  readonly workDir?: string;
  readonly problemId: string;
}

type Agents = typeof import('../../agents/index.js');

/** TensorFlow.js and its backend, once per thread (main thread or worker). */
let loaded: Promise<{ agents: Agents; backend: string }> | null = null;
function loadAgents(): Promise<{ agents: Agents; backend: string }> {
  loaded ??= import('../../agents/index.js').then(async (agents) => ({
    agents,
    backend: (await agents.selectBackend('auto')).name,
  }));
  return loaded;
}

/**
 * Up-front validation, before any cell runs: the agent kind, the run folder (manifest, kind,
 * checkpoint), or the training settings and environment options (one env on a tiny table
 * validates them with the env's own messages). Cells do not repeat it.
 */
export function checkAgentMapper(ref: AgentMapperRef): void {
  const what = `mapper ${ref.id}`;
  const algo = agentKindOf(ref.agent, `${what}: agent`);
  if (ref.run !== undefined) {
    if (!RunFolder.exists(ref.run))
      throw new InputError(`${what}: no trained agent in ${ref.run} (run.json not found)`);
    const run = RunFolder.open(ref.run);
    if (run.manifest.settings.algo !== algo) {
      throw new InputError(
        `${what}: ${ref.run} holds a ${run.manifest.settings.algo} agent, but the mapper says ${algo}`,
      );
    }
    // Loading checks the checkpoint's checksums: a damaged one fails here, not in every cell.
    if (!run.loadCheckpoint())
      throw new InputError(`${what}: ${ref.run} has no checkpoint yet (train it first)`);
    return;
  }
  agentSettings(algo, ref.settings, ref.preset, `${what}: settings`);
  try {
    make(SEQUENTIAL_ID, {
      ...ref.env,
      source: fixedTable(synthTable({ jobs: 2, cores: 2, bwRatio: 1, seed: 0 })),
    }).close();
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${what}: env: ${e.message}`);
    throw e;
  }
}

/** Where a trainSteps agent of this cell keeps its run folder (null: train in memory). */
function trainingDir(ref: AgentMapperRef, seed: number, context: AgentCellContext): string | null {
  if (context.workDir === undefined) return null;
  return join(context.workDir, 'agents', ref.id, ...context.problemId.split('/'), `seed-${seed}`);
}

/** Maps `problem` with the agent under `budget` evaluated mappings, seeded by `seed`. */
export async function runAgentMapper(
  ref: AgentMapperRef,
  problem: ResolvedProblem,
  seed: number,
  budget: number,
  context: AgentCellContext,
): Promise<AgentMapperRun> {
  const samples = Math.min(ref.samples, budget);
  const { agents, backend } = await loadAgents();
  let policy: { net: ActorCritic; env: EnvDescription; step: number; dispose: () => void };
  let training: { trainEpisodes: number; trainSeconds: number } | null = null;
  if (ref.run !== undefined) {
    const p = agents.loadPolicy(ref.run);
    policy = { net: p.net, env: p.env, step: p.step, dispose: () => p.net.dispose() };
  } else {
    const out = trainingDir(ref, seed, context);
    const env = {
      id: SEQUENTIAL_ID,
      options: { ...ref.env },
      problem: agents.tableProblem(problem.table, problem.source),
    };
    const algo = agentKindOf(ref.agent, `mapper ${ref.id}: agent`);
    const res = await agents.trainRun({
      algo,
      settings: agentSettings(algo, ref.settings, ref.preset, `mapper ${ref.id}: settings`),
      env,
      totalSteps: ref.trainSteps!,
      seed,
      backend: 'auto',
      ...(out === null ? {} : { out, resume: RunFolder.exists(out) }),
    });
    const t = res.trainer;
    policy = { net: t.learner.net, env: res.env, step: t.step, dispose: () => t.dispose() };
    training = { trainEpisodes: t.episodes, trainSeconds: res.elapsedSeconds };
  }
  try {
    const r = agents.bestOfPolicy(policy.net, policy.env, problem.table, { samples, seed });
    return {
      best: r.encoding,
      cost: r.makespan,
      evaluations: r.episodes,
      history: r.history,
      agent: { backend, trainedSteps: policy.step, samples: r.episodes, ...(training ?? {}) },
    };
  } finally {
    policy.dispose();
  }
}
