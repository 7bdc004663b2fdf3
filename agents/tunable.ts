/**
 * Tuning RL agents (`m3e tune --agent ppo|a2c`): the agent's declared hyper-parameter space,
 * and a run that trains the agent on a problem for the budget (environment steps) and scores
 * its greedy policy (makespan / lower bound). App layer: src/tune may not import agents/.
 */

import { type ParamSpace, resolveParams } from '../src/optim/params.js';
import { type MapperTunableOptions, scoredTunable } from '../src/tune/mapper-objective.js';
import type { Tunable } from '../src/tune/tunable.js';
import { AGENT_KINDS, agentKindOf } from './kinds.js';
import { trainAndScore } from './score.js';

/** The agent's name and hyper-parameter space, shaped like an optimiser spec for the CLI. */
export function agentSpec(name: string): { name: string; params: ParamSpace } {
  const a = agentKindOf(name, '--agent');
  return { name: a, params: AGENT_KINDS[a].params };
}

/** `o.budget` is the number of environment steps of training per run. */
export function agentTunable(name: string, o: MapperTunableOptions): Tunable {
  const a = agentKindOf(name, '--agent');
  const { params, fromParams } = AGENT_KINDS[a];
  return scoredTunable({
    ...o,
    name: a,
    params,
    run: (values, problem, seed) =>
      trainAndScore(
        fromParams(resolveParams(a, params, values, problem.table)),
        problem.table,
        o.budget,
        seed,
      ),
  });
}
