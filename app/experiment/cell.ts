/**
 * One cell of an experiment: one mapper with one seed on one problem, under the budget.
 * Runs the same in the main thread and in a worker (a cell depends on nothing but its task),
 * so the pool gives exactly the results of an inline run, timings aside. A failing cell
 * returns a `failed` line with its error instead of throwing: one bad cell never stops a sweep.
 */
import { Evaluator } from '../../src/core/evaluator.js';
import { RESULT_VERSION, type ResultLine } from '../../src/report/results.js';
import { runMapper } from './mappers.js';
import { resolveProblemCached } from './problems.js';
import type { MapperRef, PlannedProblem } from './spec.js';

export interface CellTask {
  readonly problem: PlannedProblem;
  readonly mapper: MapperRef;
  readonly seed: number;
  readonly budget: number;
  /** The experiment's run folder, where cells may keep files (agents trained in the cell). */
  readonly workDir?: string;
}

/** Relative tolerance between a mapper's reported cost and the re-evaluation of its mapping. */
const COST_TOLERANCE = 1e-9;

export async function runCell(task: CellTask): Promise<ResultLine> {
  const id = {
    v: RESULT_VERSION,
    problem: task.problem.id,
    mapper: task.mapper.id,
    seed: task.seed,
  } as const;
  const t0 = performance.now();
  try {
    const problem = resolveProblemCached(task.problem);
    const start = performance.now();
    const run = await runMapper(task.mapper, problem, task.seed, task.budget, {
      problemId: task.problem.id,
      ...(task.workDir === undefined ? {} : { workDir: task.workDir }),
    });
    const seconds = (performance.now() - start) / 1000;
    const { table, lowerBound } = problem;
    // Re-evaluate the mapping the mapper hands back: the reported figures come from the
    // evaluator, never from the mapper's word.
    const ev = new Evaluator(table).evaluate(run.best);
    if (Math.abs(ev.makespan - run.cost) > COST_TOLERANCE * ev.makespan) {
      throw new Error(
        `${task.mapper.id} reported makespan ${run.cost}, but its mapping evaluates to ${ev.makespan}`,
      );
    }
    return {
      ...id,
      status: 'ok',
      numJobs: table.numJobs,
      numCores: table.numCores,
      systemBandwidth: table.systemBandwidth,
      makespan: ev.makespan,
      lowerBound,
      ratio: ev.makespan / lowerBound,
      throughput: table.numJobs / ev.makespan,
      ...(problem.totalMacs === undefined ? {} : { macsPerCycle: problem.totalMacs / ev.makespan }),
      bandwidthUtilization: ev.bandwidthUtilization,
      coreUtilization: ev.coreUtilization,
      evaluations: run.evaluations,
      seconds,
      history: run.history,
      mapping: { core: Array.from(run.best.core), priority: Array.from(run.best.priority) },
      ...(run.agent ? { agent: run.agent } : {}),
    };
  } catch (e) {
    return {
      ...id,
      status: 'failed',
      error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
      seconds: (performance.now() - t0) / 1000,
    };
  }
}
