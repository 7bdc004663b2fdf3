/**
 * The experiment runner's resolvers that need the model zoo, the analyzer and the agents:
 * src/experiment may not import them, so this app-layer module registers them when
 * imported (TensorFlow.js itself loads only when an agent cell runs). `m3e compare` imports it, and passes its URL to the worker pool so every worker
 * imports it too.
 */
import { existsSync } from 'node:fs';
import { magmaTaskOf, readMagmaGroup } from '../../models/magma-groups.js';
import { parseTaskName } from '../../models/tasks.js';
import { parseWorkload, readWorkloadFile, selectGroup } from '../../models/workload-file.js';
import { analyzeJobs } from '../analyzer/analyze.js';
import { InputError } from '../core/errors.js';
import { registerAgentResolver } from '../experiment/agent-resolver.js';
import { registerWorkloadResolver, type WorkloadResolution } from '../experiment/problem-resolver.js';
import type { WorkloadProblemRef } from '../experiment/spec.js';
import { loadPlatform } from '../platform/load.js';
import type { Job } from '../workload/layer.js';
import { agentResolver } from './agent-mapper.js';

/** This module's URL, for the worker pool's `plugins`. */
export const EXPERIMENT_PLUGINS_URL = import.meta.url;

function jobsOf(ref: WorkloadProblemRef): { jobs: Job[]; source: string } {
  const w = ref.workload;
  if ('task' in w) {
    const task = parseTaskName(w.task, `problem ${ref.id}: task`);
    const name = `magma:${magmaTaskOf(task)}/${w.group}`;
    return { jobs: readMagmaGroup(name), source: `${w.task} group ${w.group}` };
  }
  if ('jobs' in w) return { jobs: selectGroup(readWorkloadFile(w.jobs), undefined, w.jobs), source: w.jobs };
  const where = `problem ${ref.id}: zoo`;
  return { jobs: selectGroup(parseWorkload(w.zoo, where), undefined, where), source: 'zoo request' };
}

function check(ref: WorkloadProblemRef): void {
  const w = ref.workload;
  if ('task' in w) parseTaskName(w.task, `problem ${ref.id}: task`);
  if ('jobs' in w && !existsSync(w.jobs))
    throw new InputError(`problem ${ref.id}: job list not found: ${w.jobs}`);
  loadPlatform(ref.platform);
}

function resolve(ref: WorkloadProblemRef): WorkloadResolution {
  const { jobs, source } = jobsOf(ref);
  const platform = loadPlatform(ref.platform);
  const table = analyzeJobs(jobs, platform, {
    systemBandwidth: ref.bw,
    flexible: ref.flexible,
    maestroCompat: false,
  });
  const models = jobs.map((j) => j.model);
  const labels = models.every((m) => m !== undefined)
    ? { kind: 'network', values: models as string[] }
    : { kind: 'layer type', values: jobs.map((j) => j.layer.kind) };
  return {
    table,
    source: `${source} on ${platform.name}${ref.flexible ? ' (flexible)' : ''} at ${ref.bw} B/cycle`,
    labels,
  };
}

registerWorkloadResolver({ check, resolve });
registerAgentResolver(agentResolver);
