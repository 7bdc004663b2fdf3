/**
 * RL agents on TensorFlow.js (`m3e/agents`): PPO and A2C with masked categorical /
 * multi-categorical policies, trained on the gym's environments; and the dispatching
 * policy (an attention model for m3e/Dispatch-v0, one set of weights for any group and
 * platform), its training, and the learned mapper `policy` built on it.
 *
 * @module m3e/agents
 */
export { A2cLearner } from './a2c.js';
export {
  activeBackend,
  BACKEND_CHOICES,
  type BackendChoice,
  type BackendInfo,
  type BackendName,
  describeBackend,
  parseBackendChoice,
  selectBackend,
} from './backend.js';
export { explainedVariance, Minibatch, RolloutBuffer } from './buffer.js';
export {
  CONTEXT_FEATURES,
  CORE_FEATURES as DISPATCH_CORE_FEATURES,
  DecisionScratch,
  decisionFeatures,
  EpisodeFeatures,
  JOB_FEATURES,
  PAIR_FEATURES,
} from './dispatch/features.js';
export { DispatchLearner, type Targets, targets } from './dispatch/learn.js';
export {
  POLICY_MAPPER,
  PRETRAINED,
  policyModel,
  policyParams,
  policySpec,
  pretrainedDir,
  registerPolicyMapper,
} from './dispatch/mapper.js';
export {
  DEFAULT_NET,
  DecisionBuffers,
  DispatchModel,
  type DispatchNetSettings,
  type EncodedEpisode,
  initialWeights,
  PendingPool,
} from './dispatch/model.js';
export { DispatchNetwork, type StepOutputs, type TableSteps } from './dispatch/network.js';
export { bestHeuristic, type HeuristicPlan, heuristicPlan } from './dispatch/plan.js';
export {
  type ActOptions,
  type ActResult,
  act,
  RecordBuffers,
  stepsOf,
  type TableRecord,
} from './dispatch/rollout.js';
export {
  DISPATCH_ALGOS,
  type DispatchAlgo,
  type DispatchSettings,
  parseDispatchSettings,
} from './dispatch/settings.js';
export {
  type DispatchCheckpoint,
  FEATURE_SIZES,
  hasPolicy,
  type LoadedDispatchPolicy,
  loadCheckpoint,
  loadDispatchPolicy,
  POLICY_FORMAT,
  saveCheckpoint,
  savePolicy,
  type TrainingFacts,
} from './dispatch/store.js';
export {
  bestHeuristicMakespan,
  type DispatchRunOptions,
  DispatchTrainer,
  type IterationReport,
  trainDispatchRun,
  type ValidationReport,
} from './dispatch/trainer.js';
export { ActionLayout, logProbAndEntropy, MASKED_LOGIT, sampleActions } from './distributions.js';
export { envProblemSource, makeAgentEnv, makeEnv, tableProblem } from './env-factory.js';
export { AGENT_KINDS, type AgentKind, agentKindOf, agentSettings } from './kinds.js';
export type { Learner, UpdateStats } from './learner.js';
export { ActorCritic, type NamedArray, type NetworkShape, orthogonalMatrix } from './networks.js';
export { Adam, clipByGlobalNorm, RmsProp, type TfOptimizer } from './optimizers.js';
export { bestOfPolicy, type LoadedPolicy, loadPolicy, type RolloutResult, rollout } from './policy.js';
export { PpoLearner } from './ppo.js';
export { RolloutCollector } from './rollout.js';
export {
  type EnvDescription,
  type LoadedCheckpoint,
  RUN_FORMAT_VERSION,
  RunFolder,
  type RunManifest,
} from './run-folder.js';
export { type ScoreOptions, trainAndScore } from './score.js';
export {
  type A2cSettings,
  type AgentSettings,
  ALGOS,
  type Algo,
  a2cParamSpace,
  a2cSettingsFromParams,
  M3E_PRESETS,
  MAX_TOTAL_STEPS,
  type NetworkSettings,
  type PpoSettings,
  parseA2cSettings,
  parsePpoSettings,
  parseSettings,
  ppoParamSpace,
  ppoSettingsFromParams,
} from './settings.js';
export { crc32c, type DecodedEvent, readEvents, TensorBoardWriter } from './tensorboard.js';
export { metricsRecord, type TrainRunOptions, type TrainRunResult, trainRun } from './train.js';
export { type Checkpoint, type EpisodeSummary, type IterationMetrics, Trainer } from './trainer.js';
export { agentSpec, agentTunable } from './tunable.js';
export { AgentVecEnv, actionLayoutOf, type EpisodeRecord } from './vec-env.js';
