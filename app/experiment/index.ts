/**
 * Experiments (`m3e/experiment`): specs, the runner (inline or on worker threads, resumable,
 * sharded) and the reports of `m3e compare`.
 */
export type { ResultLine } from '../../src/report/results.js';
export { loadRunResults, readResults } from '../../src/report/results.js';
export { writeReport } from './report.js';
export type { RunOptions, RunSummary, Shard } from './runner.js';
export { loadStoredSpec, parseShard, planCells, runExperiment } from './runner.js';
export type { ExperimentSpec, LoadedSpec, MapperRef, PlannedProblem } from './spec.js';
export { BUILTIN_SPECS, expandSpec, loadSpec } from './spec.js';
