/**
 * RL agents as mappers in `m3e compare` (the resolver behind src/experiment/agent-resolver.ts):
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
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fixedTable, make, SEQUENTIAL_ID } from '../../agents/gym.js';
import type { ActorCritic } from '../../agents/networks.js';
import { type EnvDescription, RunFolder } from '../../agents/run-folder.js';
import type { AgentSettings, Algo } from '../../agents/settings.js';
import { InputError } from '../core/errors.js';
import { synthTable } from '../core/synth.js';
import type { AgentCellContext, AgentResolver } from '../experiment/agent-resolver.js';
import type { MapperRun } from '../experiment/mappers.js';
import type { ResolvedProblem } from '../experiment/problems.js';
import type { AgentMapperRef } from '../experiment/spec.js';
import { agentKindOf, agentSettings } from './agent-kinds.js';
// Runs trained on task groups rebuild their environment through the registered task source.
import './task-source.js';

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

interface Checked {
  readonly algo: Algo;
  /** trainSteps mappers: the settings to train with. */
  readonly settings?: AgentSettings;
}

function checked(ref: AgentMapperRef): Checked {
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
    if (!existsSync(join(ref.run, 'checkpoint.json')))
      throw new InputError(`${what}: ${ref.run} has no checkpoint yet (train it first)`);
    return { algo };
  }
  const settings = agentSettings(algo, ref.settings, ref.preset, `${what}: settings`);
  // Building one env on a tiny table validates the options with the env's own messages.
  try {
    make(SEQUENTIAL_ID, {
      ...ref.env,
      source: fixedTable(synthTable({ jobs: 2, cores: 2, bwRatio: 1, seed: 0 })),
    }).close();
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${what}: env: ${e.message}`);
    throw e;
  }
  return { algo, settings };
}

/** Where a trainSteps agent of this cell keeps its run folder (null: train in memory). */
function trainingDir(ref: AgentMapperRef, seed: number, context: AgentCellContext): string | null {
  if (context.workDir === undefined) return null;
  return join(context.workDir, 'agents', ref.id, ...context.problemId.split('/'), `seed-${seed}`);
}

async function run(
  ref: AgentMapperRef,
  problem: ResolvedProblem,
  seed: number,
  budget: number,
  context: AgentCellContext,
): Promise<MapperRun> {
  const c = checked(ref);
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
    const res = await agents.trainRun({
      algo: c.algo,
      settings: c.settings,
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

export const agentResolver: AgentResolver = {
  check: (ref) => {
    checked(ref);
  },
  run,
};
