/**
 * The hook where RL agents become mappers: a trained agent loaded from its run folder, or
 * one trained inside the experiment for `trainSteps` steps. The agents live in agents/,
 * which src may not import, so the app layer registers the resolver
 * (src/cli/experiment-plugins.ts, imported by `m3e compare` and by every worker); without
 * one, agent mappers are refused up front.
 *
 * Fairness: an agent proposes at most the cell's budget of mappings (greedy, then sampled
 * rollouts of its policy), each one evaluated like any optimiser's; its training steps and
 * seconds are reported apart.
 */
import { InputError } from '../core/errors.js';
import type { MapperRun } from './mappers.js';
import type { ResolvedProblem } from './problems.js';
import type { AgentMapperRef } from './spec.js';

/** Where a cell may keep files: the run folder of the experiment, when there is one. */
export interface AgentCellContext {
  /** Run folder of the experiment (agents trained in a cell keep their run folders under it). */
  readonly workDir?: string;
  readonly problemId: string;
}

export interface AgentResolver {
  /** Cheap up-front validation (known agent kind, run folder present, settings valid). */
  check(ref: AgentMapperRef): void;
  /** Maps `problem` with the agent under `budget` evaluated mappings, seeded by `seed`. */
  run(
    ref: AgentMapperRef,
    problem: ResolvedProblem,
    seed: number,
    budget: number,
    context: AgentCellContext,
  ): Promise<MapperRun>;
}

let registered: AgentResolver | null = null;

/** Plugs in the resolver (the CLI's experiment plugin module does, in every thread). */
export function registerAgentResolver(resolver: AgentResolver): void {
  registered = resolver;
}

function needsAgents(ref: AgentMapperRef): InputError {
  return new InputError(
    `mapper ${ref.id}: agent mappers need the agents (TensorFlow.js); the m3e CLI registers them, a library user imports 'm3e/dist/src/cli/experiment-plugins.js'`,
  );
}

export function checkAgentMapper(ref: AgentMapperRef): void {
  if (!registered) throw needsAgents(ref);
  registered.check(ref);
}

export function runAgentMapper(
  ref: AgentMapperRef,
  problem: ResolvedProblem,
  seed: number,
  budget: number,
  context: AgentCellContext,
): Promise<MapperRun> {
  if (!registered) throw needsAgents(ref);
  return registered.run(ref, problem, seed, budget, context);
}
