/**
 * Hyper-parameter tuning (`m3e/tune`), in Optuna's shape: a study asks its sampler for
 * trials, runs the objective and stores every trial as a JSON line (resumable); samplers
 * are Gaussian-process Bayesian optimisation, TPE, Halton and random search; pruners (median,
 * successive halving) stop hopeless trials; a Tunable scores a mapper's hyper-parameters over
 * a set of problems.
 *
 * @module m3e/tune
 */
export type { Acquisition } from './acquisition.js';
export { type Importance, parameterImportance } from './importance.js';
export {
  type MapperTunableOptions,
  mapperTunable,
  runSeed,
  type ScoredTunableOptions,
  scoredTunable,
} from './mapper-objective.js';
export { type TuneProblem, tuneProblem } from './problems.js';
export {
  type MedianPrunerOptions,
  medianPruner,
  type PruneContext,
  type Pruner,
  type SuccessiveHalvingOptions,
  successiveHalvingPruner,
  TrialPruned,
} from './pruners.js';
export {
  buildReport,
  type Comparison,
  gainInterval,
  type ProblemComparison,
  type ReportInput,
  renderMarkdown,
  type TuneReport,
  tuneCharts,
} from './report.js';
export { GP_DEFAULTS, type GpSamplerOptions, gpSampler } from './samplers/gp-bo.js';
export { type HaltonOptions, haltonSampler } from './samplers/halton.js';
export { randomSampler } from './samplers/random.js';
export type { Observation, Proposal, SampleContext, Sampler } from './samplers/sampler.js';
export { TPE_DEFAULTS, type TpeOptions, tpeSampler } from './samplers/tpe.js';
export {
  type CategoricalDistribution,
  type Distribution,
  type Distributions,
  type FloatDistribution,
  type IntDistribution,
  type ParamValue,
  SearchSpace,
  type Settings,
} from './space.js';
export type { Direction, FrozenTrial, StudyHeader, TrialState } from './storage.js';
export {
  createStudy,
  type ObjectiveFunction,
  type OptimizeOptions,
  Study,
  type StudyOptions,
  Trial,
} from './study.js';
export {
  type OnRun,
  type ProblemScore,
  type RangeOverrides,
  type ScoreMonitor,
  type Tunable,
  type TuneScore,
  tuningSpace,
} from './tunable.js';
export {
  type Confirmed,
  type ConfirmResult,
  confirmBest,
  type RunCounter,
  type TunableObjectiveOptions,
  tunableObjective,
} from './tunable-objective.js';
