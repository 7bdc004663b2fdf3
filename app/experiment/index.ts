/**
 * Experiments (`m3e/experiment`): specs, the runner (inline or on worker threads, resumable,
 * sharded), the certified bound of every problem, and the reports of `m3e compare`.
 *
 * @module m3e/experiment
 */
export type { ResultLine } from '../../src/report/results.js';
export { loadRunResults, readResults } from '../../src/report/results.js';
export type { Comparison, ComparisonPlan, Entry, Stat } from '../../src/report/stats.js';
export {
  type BoundRecord,
  boundTimeLimit,
  DEFAULT_BOUND_TIME_LIMIT,
  gapToBound,
  provenOptimal,
  runBounds,
} from './bounds.js';
export type { CellTask } from './cell.js';
export { type ReportOptions, type ReportOutput, writeReport } from './report.js';
export type { RunOptions, RunSummary, Shard } from './runner.js';
export { loadStoredSpec, parseShard, planCells, runExperiment } from './runner.js';
export type {
  AgentMapperRef,
  ExpandedSpec,
  ExperimentSpec,
  LoadedSpec,
  MapperRef,
  OptimizerMapperRef,
  ParamSettings,
  PlannedProblem,
} from './spec.js';
export { BUILTIN_SPECS, expandSpec, loadSpec } from './spec.js';
