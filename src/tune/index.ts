/**
 * Hyper-parameter tuning (`m3e/tune`), in Optuna's shape: a study asks its sampler for
 * trials, runs the objective and stores every trial as a JSON line (resumable); samplers
 * are Gaussian-process Bayesian optimisation, TPE, Halton and random search; pruners (median,
 * successive halving) stop hopeless trials; a Tunable scores a mapper's hyper-parameters over
 * a set of problems.
 */

export { type Importance, parameterImportance } from './importance.js';
export { mapperTunable, runSeed, scoredTunable } from './mapper-objective.js';
export { type TuneProblem, tuneProblem } from './problems.js';
export {
  type MedianPrunerOptions,
  medianPruner,
  type Pruner,
  type SuccessiveHalvingOptions,
  successiveHalvingPruner,
  TrialPruned,
} from './pruners.js';
export { buildReport, gainInterval, renderMarkdown, type TuneReport, tuneCharts } from './report.js';
export { GP_DEFAULTS, type GpSamplerOptions, gpSampler } from './samplers/gp-bo.js';
export { haltonSampler } from './samplers/halton.js';
export { randomSampler } from './samplers/random.js';
export type { Sampler } from './samplers/sampler.js';
export { TPE_DEFAULTS, type TpeOptions, tpeSampler } from './samplers/tpe.js';
export {
  type CategoricalDistribution,
  type Distribution,
  type Distributions,
  type FloatDistribution,
  type IntDistribution,
  SearchSpace,
  type Settings,
} from './space.js';
export type { Direction, FrozenTrial, TrialState } from './storage.js';
export { createStudy, type ObjectiveFunction, Study, type StudyOptions, Trial } from './study.js';
export {
  type RangeOverrides,
  type ScoreMonitor,
  type Tunable,
  type TuneScore,
  tuningSpace,
} from './tunable.js';
export { confirmBest, tunableObjective } from './tunable-objective.js';
