/**
 * Mappers in an experiment: a registered optimiser or heuristic (by registry name, with
 * hyper-parameters), or an RL agent through the hook in ./agent-resolver.ts. Every mapper
 * gets the same budget of evaluated mappings and its seed.
 */
import type { Encoding } from '../core/encoding.js';
import { InputError, show } from '../core/errors.js';
import { resolveParams } from '../optim/params.js';
import { createOptimizer, getOptimizerSpec } from '../optim/registry.js';
import { makespanObjective, runSearch } from '../optim/search.js';
import { type AgentCellContext, checkAgentMapper, runAgentMapper } from './agent-resolver.js';
import type { ResolvedProblem } from './problems.js';
import type { MapperRef, OptimizerMapperRef } from './spec.js';

/** What a mapper returns for one cell. */
export interface MapperRun {
  readonly best: Encoding;
  /** Makespan of `best`. */
  readonly cost: number;
  readonly evaluations: number;
  /** [evaluations, best makespan so far] at every improvement and at the end. */
  readonly history: [number, number][];
  /** How an agent mapped (agent mappers only). */
  readonly agent?: AgentRunInfo;
}

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

/**
 * Checks an optimiser mapper's name and the settings it gives (defaults may depend on the
 * problem size, so only the given ones are checked here; the rest when the cell runs).
 */
function checkOptimizerMapper(ref: OptimizerMapperRef): void {
  let spec: ReturnType<typeof getOptimizerSpec>;
  try {
    spec = getOptimizerSpec(ref.optimizer);
  } catch (e) {
    throw new InputError(`mapper ${ref.id}: ${(e as Error).message}`);
  }
  const known = Object.keys(spec.params);
  for (const k of Object.keys(ref.params)) {
    if (!(k in spec.params)) {
      throw new InputError(
        `mapper ${ref.id}: ${spec.name} has no hyper-parameter ${show(k)} (known: ${known.length ? known.join(', ') : 'none'})`,
      );
    }
  }
  const given = Object.fromEntries(Object.keys(ref.params).map((k) => [k, spec.params[k]!]));
  // Sizes only matter for defaults, and every default is left out of `given`.
  resolveParams(`mapper ${ref.id} (${spec.name})`, given, ref.params, { numJobs: 1, numCores: 1 });
}

export function checkMapper(ref: MapperRef): void {
  if (ref.kind === 'optimizer') checkOptimizerMapper(ref);
  else checkAgentMapper(ref);
}

/** Runs one mapper on one problem (agents are asynchronous: they may train first). */
export async function runMapper(
  ref: MapperRef,
  problem: ResolvedProblem,
  seed: number,
  budget: number,
  context: AgentCellContext,
): Promise<MapperRun> {
  if (ref.kind === 'agent') return runAgentMapper(ref, problem, seed, budget, context);
  const optimizer = createOptimizer(ref.optimizer, problem.table, seed, ref.params);
  const r = runSearch(makespanObjective(problem.table), optimizer, { budget });
  return { best: r.best, cost: r.cost, evaluations: r.evaluations, history: r.history };
}
