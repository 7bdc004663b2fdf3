/**
 * Tuning RL agents (`m3e tune --agent ppo|a2c`): the agent's declared hyper-parameter space,
 * and a run that trains the agent on a problem for the budget (environment steps) and scores
 * its greedy policy (makespan / lower bound). App layer: src/tune may not import agents/.
 */
import { trainAndScore } from '../../agents/score.js';
import {
  type AgentSettings,
  a2cParamSpace,
  a2cSettingsFromParams,
  ppoParamSpace,
  ppoSettingsFromParams,
} from '../../agents/settings.js';
import { InputError, show } from '../core/errors.js';
import { type ParamSpace, type ParamValues, resolveParams } from '../optim/params.js';
import { type MapperTunableOptions, scoredTunable } from '../tune/mapper-objective.js';
import type { Tunable } from '../tune/tunable.js';

interface AgentEntry {
  readonly params: ParamSpace;
  /** Settings from resolved hyper-parameter values of `params`. */
  readonly settings: (values: Readonly<Record<string, unknown>>) => AgentSettings;
}

const AGENTS: Record<'ppo' | 'a2c', AgentEntry> = {
  ppo: {
    params: ppoParamSpace,
    settings: (v) => ppoSettingsFromParams(v as ParamValues<typeof ppoParamSpace>),
  },
  a2c: {
    params: a2cParamSpace,
    settings: (v) => a2cSettingsFromParams(v as ParamValues<typeof a2cParamSpace>),
  },
};
type AgentName = keyof typeof AGENTS;

function agentOf(name: string): AgentName {
  if (!(name in AGENTS))
    throw new InputError(`--agent must be one of ${Object.keys(AGENTS).join(', ')}, got ${show(name)}`);
  return name as AgentName;
}

/** The agent's name and hyper-parameter space, shaped like an optimiser spec for the CLI. */
export function agentSpec(name: string): { name: string; params: ParamSpace } {
  const a = agentOf(name);
  return { name: a, params: AGENTS[a].params };
}

/** `o.budget` is the number of environment steps of training per run. */
export function agentTunable(name: string, o: MapperTunableOptions): Tunable {
  const a = agentOf(name);
  const { params, settings } = AGENTS[a];
  return scoredTunable({
    ...o,
    name: a,
    params,
    run: (values, problem, seed) =>
      trainAndScore(settings(resolveParams(a, params, values, problem.table)), problem.table, o.budget, seed),
  });
}
