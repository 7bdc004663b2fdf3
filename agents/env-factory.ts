/**
 * Environments from their JSON description (the one stored in a run folder), so a run can
 * be resumed and its policy rolled out on other tables with the same options.
 */
import { InputError } from '../src/core/errors.js';
import { type JobTable, tableFromJson, tableToJson } from '../src/core/table.js';
import { type AnyEnv, fixedTable, make, type ProblemSource, SyncVectorEnv, synthSource } from './gym.js';
import type { EnvDescription, ProblemSpec, TaskGroupsSpec } from './run-folder.js';
import { AgentVecEnv } from './vec-env.js';

/** A fixed-table problem description (the table embedded, `source` names its origin). */
export function tableProblem(table: JobTable, source: string): ProblemSpec {
  return { kind: 'table', source, table: tableToJson(table) };
}

/**
 * Task groups need the model zoo and the cost model, which agents/ may not import: the app
 * layer registers their source (src/cli/task-source.ts, imported by the CLI commands that
 * train or load agents).
 */
export type TaskGroupsFactory = (spec: TaskGroupsSpec) => ProblemSource;
let taskGroups: TaskGroupsFactory | null = null;

export function registerTaskGroupsSource(factory: TaskGroupsFactory): void {
  taskGroups = factory;
}

/** The problem source a description stands for. */
export function problemSource(spec: ProblemSpec): ProblemSource {
  switch (spec.kind) {
    case 'task-groups':
      if (!taskGroups)
        throw new InputError(
          "task groups need the model zoo and the cost model: the m3e CLI registers them; a library user imports 'm3e/dist/src/cli/task-source.js'",
        );
      return taskGroups(spec);
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
