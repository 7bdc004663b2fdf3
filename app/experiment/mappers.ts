/**
 * Mappers in an experiment: a registered optimiser or heuristic (by registry name, with
 * hyper-parameters), or an RL agent (./agent-mapper.ts). Every mapper gets the same budget
 * of evaluated mappings and its seed.
 */
import { policyTraining, registerPolicyMapper } from '../../agents/dispatch/mapper.js';
import type { Encoding } from '../../src/core/encoding.js';
import { InputError, show } from '../../src/core/errors.js';
import { resolveParams } from '../../src/optim/params.js';
import { createOptimizer, getOptimizerSpec } from '../../src/optim/registry.js';
import { makespanObjective, runSearchAsync } from '../../src/optim/search.js';
import {
  type AgentCellContext,
  type AgentRunInfo,
  checkAgentMapper,
  runAgentMapper,
} from './agent-mapper.js';
import type { ResolvedProblem } from './problems.js';
import type { MapperRef, OptimizerMapperRef } from './spec.js';

// The learned mapper `policy` runs like any registered optimiser (in workers too).
registerPolicyMapper();

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
  // Asynchronous, so an inline run (--workers 0) still sees a second Ctrl-C during a long cell.
  const r = await runSearchAsync(makespanObjective(problem.table), optimizer, { budget });
  const run = { best: r.best, cost: r.cost, evaluations: r.evaluations, history: r.history };
  if (getOptimizerSpec(ref.optimizer).family !== 'learned') return run;
  // A learned mapper trained once, offline: its training is reported apart from the budget,
  // as an agent mapper's that loads a run.
  const t = policyTraining(typeof ref.params.model === 'string' ? ref.params.model : '');
  return {
    ...run,
    agent: { backend: 'js', trainedSteps: t.steps, samples: r.evaluations },
  };
}
