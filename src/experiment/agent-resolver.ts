/**
 * The hook where RL agents become mappers: a trained agent loaded from its run folder, or
 * one trained inside the experiment for `trainSteps` steps. Until the agents are merged,
 * agent mappers are refused up front with a clear message; wiring them is one edit, here.
 *
 * Fairness: an agent gets the same budget of evaluated mappings as every other mapper (e.g.
 * sample `budget` episodes from its policy and keep the best); training steps are reported
 * apart. Workers import this module too.
 */
import { InputError } from '../core/errors.js';
import type { MapperRun } from './mappers.js';
import type { ResolvedProblem } from './problems.js';
import type { AgentMapperRef } from './spec.js';

function notAvailable(ref: AgentMapperRef): InputError {
  return new InputError(
    `mapper ${ref.id}: agent mappers (${ref.agent}) are not wired into m3e compare yet; train with ` +
      '`m3e train` and map with `m3e rollout`, or use registered optimisers or heuristics (see `m3e optimizers`)',
  );
}

/** Cheap up-front validation (known agent kind, run folder present, parameters valid). */
export function checkAgentMapper(ref: AgentMapperRef): void {
  throw notAvailable(ref);
}

/** Maps `problem` with the agent under `budget` evaluated mappings, seeded by `seed`. */
export function runAgentMapper(
  ref: AgentMapperRef,
  _problem: ResolvedProblem,
  _seed: number,
  _budget: number,
): MapperRun {
  throw notAvailable(ref);
}
