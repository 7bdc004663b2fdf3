/**
 * The DNN model zoo (`m3e/models`): networks as their papers define them, the paper's task
 * groups, request queues cut into groups, workload files, the MAGMA authors' job groups,
 * and the one problem description every command, spec and run folder uses.
 *
 * @module m3e/models
 */
export { CONV_ENCODINGS, type ConvEncoding } from './convert.js';
export {
  type Chain,
  GROUP_ORDERS,
  type GroupingOptions,
  type GroupOrder,
  groupChains,
  type RequestSpec,
  requestChains,
} from './grouping.js';
export {
  isMagmaGroupRef,
  MAGMA_GROUPS,
  MAGMA_TASKS,
  type MagmaTask,
  readMagmaGroup,
} from './magma-groups.js';
export {
  CnnBuilder,
  type Conv2dOp,
  type ConvOptions,
  type LinearOp,
  type MatMulOp,
  type NetInput,
  type NetLayer,
  type NetOp,
  type Network,
  type OtherOp,
  SeqBuilder,
  type Task,
} from './net.js';
export {
  checkProblem,
  DEFAULT_TASK_JOBS,
  isWorkloadProblem,
  type JobCategories,
  type JobSourceRef,
  type JobsProblem,
  type PlatformField,
  PROBLEM_KINDS,
  type ProblemKind,
  type ProblemRef,
  parseProblemRef,
  problemJobs,
  problemKindOf,
  type ResolvedTable,
  type ResolveOptions,
  resolveProblem,
  type SynthProblem,
  type TableProblem,
  type TaskProblem,
  type WorkloadProblem,
  type ZooProblem,
} from './problem.js';
export { MAX_TASK_JOBS, parseTaskName, sampleTask, TASK_NAMES, type TaskName, taskPool } from './tasks.js';
export {
  parseWorkload,
  readWorkloadFile,
  selectGroup,
  type Workload,
  workloadToJson,
} from './workload-file.js';
export { buildNetwork, findModel, type ModelEntry, type ModelOptions, networkJobs, ZOO } from './zoo.js';
