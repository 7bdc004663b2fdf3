/**
 * Hyper-parameter tuning (`m3e/tune`), in Optuna's shape: a study asks its sampler for
 * trials, runs the objective and stores every trial as a JSON line (resumable); samplers
 * are Gaussian-process Bayesian optimisation, Halton and random search; a Tunable scores a
 * mapper's hyper-parameters over a set of problems.
 *
 * @module m3e/tune
 */
export type { Acquisition } from './acquisition.js';
export {
  type MapperTunableOptions,
  mapperTunable,
  runSeed,
  type ScoredTunableOptions,
  scoredTunable,
} from './mapper-objective.js';
export { type TuneProblem, tuneProblem } from './problems.js';
export {
  buildReport,
  type Comparison,
  type ProblemComparison,
  type ReportInput,
  renderMarkdown,
  type TuneReport,
} from './report.js';
export { GP_DEFAULTS, type GpSamplerOptions, gpSampler } from './samplers/gp-bo.js';
export { type HaltonOptions, haltonSampler } from './samplers/halton.js';
export { randomSampler } from './samplers/random.js';
export type { Observation, Proposal, SampleContext, Sampler } from './samplers/sampler.js';
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
  type Tunable,
  type TuneScore,
  tuningSpace,
} from './tunable.js';
