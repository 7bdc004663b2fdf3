/**
 * The one place the agents touch the gym (envs/): everything they need from it is
 * re-exported here, so the gym's layout can change without touching the agents.
 */
export type { AnyEnv, Info } from '../envs/core.js';
export {
  DISPATCH_ID,
  DispatchEnv,
  type DispatchInfo,
  type DispatchObservation,
} from '../envs/m3e/dispatch-env.js';
export { fixedTable, type ProblemSource, problemSource, synthSource } from '../envs/m3e/problem-source.js';
export { SEQUENTIAL_ID } from '../envs/m3e/sequential-env.js';
export { ZooProblems, type ZooSourceOptions, zooSource } from '../envs/m3e/zoo-source.js';
export { make } from '../envs/registry.js';
export { Box, Discrete, MultiDiscrete, type Space } from '../envs/spaces.js';
export { SyncVectorEnv } from '../envs/vector.js';
export { TimeLimit } from '../envs/wrappers/time-limit.js';
