/**
 * Environments from their JSON description (the one stored in a run folder), so a run can
 * be resumed and its policy rolled out on other tables with the same options.
 */
import { InputError } from '../src/core/errors.js';
import { type JobTable, tableFromJson, tableToJson } from '../src/core/table.js';
import { type AnyEnv, fixedTable, make, type ProblemSource, SyncVectorEnv, synthSource } from './gym.js';
import type { EnvDescription, ProblemSpec } from './run-folder.js';
import { AgentVecEnv } from './vec-env.js';

/** A fixed-table problem description (the table embedded, `source` names its origin). */
export function tableProblem(table: JobTable, source: string): ProblemSpec {
  return { kind: 'table', source, table: tableToJson(table) };
}

/** The problem source a description stands for. */
export function problemSource(spec: ProblemSpec): ProblemSource {
  switch (spec.kind) {
    case 'table':
      return fixedTable(tableFromJson(spec.table));
    case 'synth-groups':
      return synthSource({
        jobs: spec.jobs,
        cores: spec.cores,
        bwRatio: spec.bwRatio,
        ...(spec.heterogeneity !== undefined ? { heterogeneity: spec.heterogeneity } : {}),
      });
  }
}

/** One environment of the description; with `table`, on that table instead of its problem. */
export function makeEnv(desc: EnvDescription, table?: JobTable): AnyEnv {
  const source = table ? fixedTable(table) : problemSource(desc.problem);
  if ('table' in desc.options || 'source' in desc.options)
    throw new InputError('environment options must not contain table or source (the problem is separate)');
  return make(desc.id, { ...desc.options, source });
}

/** `numEnvs` copies sharing one problem source, as the agents' vector env. */
export function makeAgentEnv(desc: EnvDescription, numEnvs: number, table?: JobTable): AgentVecEnv {
  const source = table ? fixedTable(table) : problemSource(desc.problem);
  const envs = Array.from({ length: numEnvs }, () => make(desc.id, { ...desc.options, source }));
  return new AgentVecEnv(new SyncVectorEnv(envs, { autoresetMode: 'same-step' }));
}
