/**
 * The m3e gym (`m3e/gym`): Gymnasium-style spaces, environments, wrappers, a vector env, the
 * checker and the M3E environments.
 *
 * @module m3e/gym
 */
export { batchSpace, concatenate } from './batch.js';
export {
  type Check,
  type CheckOptions,
  type CheckReport,
  checkEnv,
  deepEqual,
  type RandomEpisodes,
  runRandomEpisodes,
} from './checker.js';
export { BANDIT_ID, type BanditInfo, type BanditOptions, ContextualBanditEnv } from './classic/bandit.js';
export { CARTPOLE_ID, CARTPOLE_MAX_STEPS, CartPoleEnv } from './classic/cartpole.js';
export {
  type AnyEnv,
  assertInSpace,
  BaseEnv,
  checkResetOptions,
  checkSeed,
  DEFAULT_ENV_SEED,
  type Env,
  type EnvMetadata,
  type EnvSpecRef,
  type Info,
  ResetNeededError,
  type ResetOptions,
  type ResetResult,
  type StepResult,
} from './core.js';
export { type FlatArray, flatdim, flatten, flattenInto, flattenSpace, unflatten } from './flatten.js';
export {
  CORE_FEATURES,
  DISPATCH_ID,
  type DispatchAction,
  DispatchEnv,
  type DispatchInfo,
  type DispatchObservation,
  type DispatchObservationSpace,
  type DispatchOptions,
  dispatchParams,
  GLOBAL_FEATURES,
} from './m3e/dispatch-env.js';
export {
  ENCODING_ID,
  type EncodingAction,
  type EncodingActionSpace,
  EncodingEnv,
  type EncodingInfo,
  type EncodingOptions,
  encodingParams,
  PRIORITY_MAX,
} from './m3e/encoding-env.js';
export { type EvaluatedInfo, M3eEnv } from './m3e/m3e-env.js';
export {
  fixedTable,
  type ProblemSource,
  problemSource,
  type Range,
  type SourceOptions,
  type SynthSourceOptions,
  synthSource,
  tablePool,
  taskGroupsSource,
} from './m3e/problem-source.js';
export {
  SEQUENTIAL_ID,
  type SequentialAction,
  type SequentialActionMask,
  SequentialEnv,
  type SequentialInfo,
  type SequentialOptions,
  sequentialParams,
} from './m3e/sequential-env.js';
export { squash, TableContext } from './m3e/table-context.js';
export {
  randomPlatform,
  ZOO_DEFAULTS,
  ZOO_STYLES,
  ZooProblems,
  type ZooSourceOptions,
  zooSource,
} from './m3e/zoo-source.js';
export {
  type ActionOf,
  DEFAULT_PROBLEM,
  type EnvSpec,
  getEnvSpec,
  type InfoOf,
  listEnvs,
  type MakeOptions,
  make,
  makeVec,
  type ObsOf,
  optionCombinations,
  type RegisteredEnvs,
  register,
} from './registry.js';
export {
  Box,
  type BoxDtype,
  type BoxOptions,
  DEFAULT_SPACE_SEED,
  Dict,
  type DictMask,
  type DictSample,
  Discrete,
  type JsonBound,
  type Mask,
  type MaskOf,
  MultiDiscrete,
  type SampleOf,
  Space,
  type SpaceJSON,
  type SpaceRecord,
  spaceFromJSON,
  Tuple,
  type TupleMask,
  type TupleSample,
  type TypedArrayOf,
} from './spaces.js';
export {
  type AutoresetMode,
  type Batched,
  type SameStepInfo,
  SyncVectorEnv,
  type VectorResetOptions,
  type VectorResetResult,
  type VectorStepResult,
} from './vector.js';
export { ActionMasker } from './wrappers/action-masker.js';
export {
  type EpisodeStatistics,
  RecordEpisodeStatistics,
  type WithEpisode,
} from './wrappers/episode-statistics.js';
export { FlattenObservation } from './wrappers/flatten-observation.js';
export { NormalizeObservation } from './wrappers/normalize-observation.js';
export { NormalizeReward } from './wrappers/normalize-reward.js';
export { RunningMeanStd, type RunningMeanStdState } from './wrappers/running-mean-std.js';
export { TimeLimit } from './wrappers/time-limit.js';
export { Wrapper } from './wrappers/wrapper.js';
