/**
 * Environments from their JSON description (the one stored in a run folder), so a run can
 * be resumed and its policy rolled out on other tables with the same options.
 */
import type { ProblemRef } from '../models/problem.js';
import { InputError } from '../src/core/errors.js';
import { type JobTable, tableToJson } from '../src/core/table.js';
import { type AnyEnv, fixedTable, make, type ProblemSource, problemSource, SyncVectorEnv } from './gym.js';
import type { EnvDescription } from './run-folder.js';
import { AgentVecEnv } from './vec-env.js';

/** A fixed-table problem description (the table embedded, `name` says where it came from). */
export function tableProblem(table: JobTable, name: string): ProblemRef {
  return { table: tableToJson(table), name };
}

/** The problem source of a description (a fixed table, or a new group every episode). */
export function envProblemSource(desc: EnvDescription): ProblemSource {
  return problemSource(desc.problem, { newGroups: desc.newGroups ?? false });
}

function sourceFor(desc: EnvDescription, table?: JobTable): ProblemSource {
  if ('table' in desc.options || 'source' in desc.options)
    throw new InputError('environment options must not contain table or source (the problem is separate)');
  return table ? fixedTable(table) : envProblemSource(desc);
}

/** One environment of the description; with `table`, on that table instead of its problem. */
export function makeEnv(desc: EnvDescription, table?: JobTable): AnyEnv {
  return make(desc.id, { ...desc.options, source: sourceFor(desc, table) });
}

/** `numEnvs` copies sharing one problem source, as the agents' vector env. */
export function makeAgentEnv(desc: EnvDescription, numEnvs: number, table?: JobTable): AgentVecEnv {
  const source = sourceFor(desc, table);
  const envs = Array.from({ length: numEnvs }, () => make(desc.id, { ...desc.options, source }));
  return new AgentVecEnv(new SyncVectorEnv(envs, { autoresetMode: 'same-step' }));
}
