/**
 * The library (`m3e`): job tables, encodings, the evaluator, lower bounds (simple and
 * certified), the optimisers (the exact mapper included) and
 * heuristics with their search loop, platforms and the job analyzer, layer types, result
 * files and charts. The gym, the agents, the model zoo, tuning, the cost model and the
 * experiment runner have their own entries: `m3e/gym`, `m3e/agents`, `m3e/models`,
 * `m3e/tune`, `m3e/costmodel` and `m3e/experiment`.
 *
 * @module m3e
 */
export { type AnalyzeOptions, analyzeJobs, DETAIL_KEYS, modelForPlatform } from './analyzer/analyze.js';
export {
  type BoundSolution,
  type CertifiedBound,
  type CertifiedBoundOptions,
  certifiedBound,
  isProvenOptimal,
  solveBound,
  solveBoundCached,
} from './bound/certified.js';
export { lowerBound } from './core/bounds.js';
export type { Encoding } from './core/encoding.js';
export {
  copyEncoding,
  encodingFromJson,
  encodingFromOrder,
  encodingToJson,
  makeEncoding,
  validateEncoding,
} from './core/encoding.js';
export { InputError } from './core/errors.js';
export type { EvaluateOptions, EvaluationResult, TimelineSegment } from './core/evaluator.js';
export { Evaluator, evaluate } from './core/evaluator.js';
export { Rng, type RngState } from './core/rng.js';
export type { SynthOptions } from './core/synth.js';
export { DEFAULT_SYNTH, synthTable } from './core/synth.js';
export type { CoreInfo, JobInfo, JobTable, JobTableInput } from './core/table.js';
export { makeTable, selectJobs, tableFromJson, tableToJson, withSystemBandwidth } from './core/table.js';
export type { Population } from './optim/generational.js';
export { Magma, type MagmaSettings, magmaParams } from './optim/magma.js';
export { MilpMapper, type MilpSettings, milpParams } from './optim/milp.js';
export type { Candidate, Optimizer, OptimizerSpec, ProblemSize, Recommendation } from './optim/optimizer.js';
export type {
  CategoricalParam,
  FloatParam,
  IntParam,
  NumericParam,
  ParamDefault,
  ParamSpace,
  ParamSpec,
  ParamValueOf,
  ParamValues,
  TextParam,
  TuneRange,
} from './optim/params.js';
export { resolveParams } from './optim/params.js';
export { createOptimizer, getOptimizerSpec, listOptimizers, registerOptimizer } from './optim/registry.js';
export type { Objective, SearchOptions, SearchResult } from './optim/search.js';
export { makespanObjective, runSearch } from './optim/search.js';
export { type GaSettings, gaParams, StandardGa } from './optim/standard-ga.js';
export { loadPlatform } from './platform/load.js';
export {
  type CoreSpec,
  DEFAULT_CLUSTER_SIZE,
  type Platform,
  platformFromJson,
  validatePlatform,
} from './platform/platform.js';
export {
  isPresetName,
  listPresets,
  PRESET_BANDWIDTHS,
  type PresetInfo,
  presetPlatform,
} from './platform/presets.js';
// Statistics of comparisons: intervals, rank tests, anytime performance.
export {
  type AnytimeRun,
  anytimeEcdf,
  type CostUnit,
  convergenceArea,
  DEFAULT_EPSILONS,
  type Ecdf,
  ecdfArea,
  type History,
} from './report/anytime.js';
export {
  type BootstrapOptions,
  type Interval,
  iqm,
  iqmInterval,
  median,
  medianInterval,
  type ProfilePoint,
  performanceProfile,
  probabilityOfImprovement,
  probabilityOfImprovementInterval,
  type Strata,
} from './report/bootstrap.js';
export { type BarsInput, type BarValue, barsChart } from './report/charts/bars.js';
export { type CdDiagramInput, cdDiagram } from './report/charts/cd-diagram.js';
export {
  type ConvergenceInput,
  type ConvergenceSeries,
  convergenceChart,
} from './report/charts/convergence.js';
export { type GanttInput, ganttChart } from './report/charts/gantt.js';
export {
  type BestMark,
  bestMapper,
  type CellStats,
  type ComparisonStats,
  comparisonStats,
  type PairStats,
  type RankStats,
  type ScoreTable,
  type StatsOptions,
} from './report/comparison-stats.js';
export { svgToPng } from './report/png.js';
export {
  type CellId,
  cellKey,
  type FailedLine,
  loadRunResults,
  type OkLine,
  type ReadResults,
  type ResultLine,
  readResults,
} from './report/results.js';
export {
  type FriedmanResult,
  friedman,
  holm,
  mannWhitneyU,
  nemenyiCriticalDifference,
  type RankSumResult,
  type SignedRankResult,
  type TestMethod,
  wilcoxonSignedRank,
} from './report/significance.js';
export {
  type RunRecord,
  type StatsChart,
  type StatsReport,
  type StatsReportInput,
  statsReport,
} from './report/stats-report.js';
export type {
  ComputeLayer,
  ConvDims,
  ConvLayer,
  DepthwiseConvLayer,
  FcLayer,
  GemmLayer,
  Job,
  Layer,
  LayerKind,
  OtherLayer,
} from './workload/layer.js';
export { describeLayer, layerMacs, validateLayer } from './workload/layer.js';
export { formatMagmaCsv, parseMagmaCsv } from './workload/magma-csv.js';
