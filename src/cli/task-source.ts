/**
 * Task groups for the gym and the agents: a new group of a model-zoo task (vision, language,
 * recommendation, mix) every episode, analysed on a platform at a bandwidth, so an agent can
 * be trained on many real groups and tested on held-out ones (the authors' groups). App
 * layer: it needs the zoo and the cost model, which envs/ and agents/ may not import; it
 * registers itself with the agents when imported.
 *
 * Cost: one cost model is shared by all the groups of a source, so a layer is costed once
 * per core configuration and later groups reuse the cached cells (the tasks' pools are a
 * few hundred distinct layers).
 */
import { registerTaskGroupsSource } from '../../agents/env-factory.js';
import type { ProblemSource } from '../../agents/gym.js';
import type { TaskGroupsSpec } from '../../agents/run-folder.js';
import { parseTaskName, sampleTask } from '../../models/tasks.js';
import { analyzeJobs, modelForPlatform } from '../analyzer/analyze.js';
import { loadPlatform } from '../platform/load.js';

export function taskGroupsSource(spec: TaskGroupsSpec): ProblemSource {
  const task = parseTaskName(spec.task, 'task');
  const platform = loadPlatform(spec.platform);
  const model = modelForPlatform(platform);
  const options = { systemBandwidth: spec.bw, flexible: spec.flexible ?? false, model };
  const draw = (seed: number) => analyzeJobs(sampleTask(task, spec.jobs, seed, 'magma'), platform, options);
  // Validates the whole description (and warms the cache) now, not at the first reset.
  const first = draw(0);
  return {
    numJobs: first.numJobs,
    numCores: first.numCores,
    describe: () => ({ ...spec }),
    next: (rng) => draw(rng.uint32()),
  };
}

registerTaskGroupsSource(taskGroupsSource);
