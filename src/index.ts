/**
 * The library (`m3e`): job tables, encodings, the evaluator, lower bounds, the optimisers and
 * heuristics with their search loop, platforms and the job analyzer, layer types, result
 * files and charts. The gym, the agents, the model zoo, tuning, the cost model and the
 * experiment runner have their own entries: `m3e/gym`, `m3e/agents`, `m3e/models`,
 * `m3e/tune`, `m3e/costmodel` and `m3e/experiment`.
 */
export { type AnalyzeOptions, analyzeJobs, DETAIL_KEYS, modelForPlatform } from './analyzer/analyze.js';
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
export { Rng } from './core/rng.js';
export type { SynthOptions } from './core/synth.js';
export { DEFAULT_SYNTH, synthTable } from './core/synth.js';
export type { JobTable } from './core/table.js';
export { makeTable, selectJobs, tableFromJson, tableToJson, withSystemBandwidth } from './core/table.js';
// Experiments (issue 9): specs, the runner, reports and charts.
export { Magma, magmaParams } from './optim/magma.js';
export type { Candidate, Optimizer, OptimizerSpec, ProblemSize, Recommendation } from './optim/optimizer.js';
export type { ParamSpace, ParamSpec, ParamValues } from './optim/params.js';
export { resolveParams } from './optim/params.js';
export { createOptimizer, getOptimizerSpec, listOptimizers, registerOptimizer } from './optim/registry.js';
export type { Objective, SearchOptions, SearchResult } from './optim/search.js';
export { makespanObjective, runSearch } from './optim/search.js';
export { StandardGa } from './optim/standard-ga.js';
export { loadPlatform } from './platform/load.js';
export {
  type CoreSpec,
  DEFAULT_CLUSTER_SIZE,
  type Platform,
  platformFromJson,
  validatePlatform,
} from './platform/platform.js';
export { isPresetName, listPresets, PRESET_BANDWIDTHS, presetPlatform } from './platform/presets.js';
// Statistics of comparisons: intervals, rank tests, anytime performance.
export type { AnytimeRun, Ecdf } from './report/anytime.js';
export { anytimeEcdf, convergenceArea, DEFAULT_EPSILONS, ecdfArea } from './report/anytime.js';
export type { Interval } from './report/bootstrap.js';
export {
  iqm,
  iqmInterval,
  median,
  medianInterval,
  performanceProfile,
  probabilityOfImprovement,
  probabilityOfImprovementInterval,
} from './report/bootstrap.js';
export { barsChart } from './report/charts/bars.js';
export { cdDiagram } from './report/charts/cd-diagram.js';
export { convergenceChart } from './report/charts/convergence.js';
export { ganttChart } from './report/charts/gantt.js';
export type { ComparisonStats, ScoreTable } from './report/comparison-stats.js';
export { bestMapper, comparisonStats } from './report/comparison-stats.js';
export { svgToPng } from './report/png.js';
export {
  cellKey,
  type FailedLine,
  loadRunResults,
  type OkLine,
  type ResultLine,
  readResults,
} from './report/results.js';
export {
  friedman,
  holm,
  mannWhitneyU,
  nemenyiCriticalDifference,
  wilcoxonSignedRank,
} from './report/significance.js';
export type { RunRecord, StatsReport, StatsReportInput } from './report/stats-report.js';
export { statsReport } from './report/stats-report.js';
export type { ComputeLayer, Job, Layer, LayerKind } from './workload/layer.js';
export { describeLayer, layerMacs, validateLayer } from './workload/layer.js';
export { formatMagmaCsv, parseMagmaCsv } from './workload/magma-csv.js';
