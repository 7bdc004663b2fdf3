/**
 * The RL agent kinds the CLI knows (ppo, a2c): their tunable hyper-parameter spaces and how
 * settings are built, for `m3e tune --agent` and for agent mappers in `m3e compare`. Free of
 * TensorFlow.js (agents/settings.ts only), so validating a spec does not load it.
 */

import { InputError, show } from '../src/core/errors.js';
import type { ParamSpace, ParamValues } from '../src/optim/params.js';
import {
  type AgentSettings,
  type Algo,
  a2cParamSpace,
  a2cSettingsFromParams,
  M3E_PRESETS,
  parseSettings,
  ppoParamSpace,
  ppoSettingsFromParams,
} from './settings.js';

export interface AgentKind {
  /** The tuner's search space. */
  readonly params: ParamSpace;
  /** Settings from resolved values of `params`. */
  readonly fromParams: (values: Readonly<Record<string, unknown>>) => AgentSettings;
}

export const AGENT_KINDS: Readonly<Record<Algo, AgentKind>> = {
  ppo: {
    params: ppoParamSpace,
    fromParams: (v) => ppoSettingsFromParams(v as ParamValues<typeof ppoParamSpace>),
  },
  a2c: {
    params: a2cParamSpace,
    fromParams: (v) => a2cSettingsFromParams(v as ParamValues<typeof a2cParamSpace>),
  },
};

/** `name` as an agent kind; `what` names the field in the message (`--agent`). */
export function agentKindOf(name: string, what: string): Algo {
  if (!(name in AGENT_KINDS))
    throw new InputError(`${what} must be one of ${Object.keys(AGENT_KINDS).join(', ')}, got ${show(name)}`);
  return name as Algo;
}

/**
 * Validated settings as `m3e train` builds them: the M3E presets (unless `preset` is false)
 * under the given settings; `what` prefixes the message of a bad setting.
 */
export function agentSettings(
  algo: Algo,
  given: Readonly<Record<string, unknown>>,
  preset: boolean,
  what: string,
): AgentSettings {
  try {
    return parseSettings(algo, { ...(preset ? M3E_PRESETS[algo] : {}), ...given });
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${what}: ${e.message}`);
    throw e;
  }
}
