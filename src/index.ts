/**
 * The framework core, as a library: tables, encodings, the evaluator, the optimisers and
 * the search loop. (The package's main entry also re-exports the gym; see envs/index.ts.)
 */
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
export { writeReport } from './experiment/report.js';
export type { ResultLine } from './experiment/results.js';
export { loadRunResults, readResults } from './experiment/results.js';
export type { RunOptions, RunSummary, Shard } from './experiment/runner.js';
export { loadStoredSpec, parseShard, planCells, runExperiment } from './experiment/runner.js';
export type { ExperimentSpec, LoadedSpec, MapperRef, ProblemRef } from './experiment/spec.js';
export { BUILTIN_SPECS, expandSpec, loadSpec } from './experiment/spec.js';
export { Magma, magmaParams } from './optim/magma.js';
export type { Candidate, Optimizer, OptimizerSpec, ProblemSize, Recommendation } from './optim/optimizer.js';
export type { ParamSpace, ParamSpec, ParamValues } from './optim/params.js';
export { resolveParams } from './optim/params.js';
export { createOptimizer, getOptimizerSpec, listOptimizers, registerOptimizer } from './optim/registry.js';
export type { Objective, SearchOptions, SearchResult } from './optim/search.js';
export { makespanObjective, runSearch } from './optim/search.js';
export { StandardGa } from './optim/standard-ga.js';
export { barsChart } from './report/charts/bars.js';
export { convergenceChart } from './report/charts/convergence.js';
export { ganttChart } from './report/charts/gantt.js';
export { svgToPng } from './report/png.js';
export type { ComputeLayer, Job, Layer } from './workload/layer.js';
