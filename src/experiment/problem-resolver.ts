/**
 * The hook where problems that need the cost model (a task group, an authors' job list or a
 * zoo request, on a platform preset or file, at a bandwidth) become job tables. Until the
 * resolving needs the model zoo, which src may not import, the app layer registers the
 * resolver (`registerWorkloadResolver`); without one these problems are refused up front.
 *
 * Workers import this module too, so whatever is wired here works in the worker pool.
 */
import { InputError } from '../core/errors.js';
import type { JobTable } from '../core/table.js';
import type { WorkloadProblemRef } from './spec.js';

export interface WorkloadResolution {
  readonly table: JobTable;
  /** Human-readable description for reports (`mix group 0 on S2 at 16 B/cycle`). */
  readonly source: string;
  /**
   * Per-job chart category and what it is (e.g. the job's network, or its layer kind from
   * `table.jobs[j]`); the default labelling (model, layer kind, bandwidth demand) is used
   * when absent.
   */
  readonly labels?: { readonly kind: string; readonly values: readonly string[] };
}

/** How workload problems become tables: registered by the app layer (it needs the zoo). */
export interface WorkloadResolver {
  check(ref: WorkloadProblemRef): void;
  resolve(ref: WorkloadProblemRef): WorkloadResolution;
}

let registered: WorkloadResolver | null = null;

/**
 * Plugs in the resolver. The CLI registers one (src/cli/experiment-plugins.ts) in the main
 * thread, and workers import the same plugin module before running cells.
 */
export function registerWorkloadResolver(resolver: WorkloadResolver): void {
  registered = resolver;
}

function needsCostModel(ref: WorkloadProblemRef): InputError {
  return new InputError(
    `problem ${ref.id} needs a workload resolver (the cost model and the model zoo); the m3e CLI registers one, a library user imports 'm3e/dist/src/cli/experiment-plugins.js' or passes "synth"/"table" problems`,
  );
}

/** Cheap up-front validation (known task, platform, files present), run before any cell. */
export function checkWorkloadProblem(ref: WorkloadProblemRef): void {
  if (!registered) throw needsCostModel(ref);
  registered.check(ref);
}

/** Builds the problem's job table at `ref.bw` (called once per problem per process). */
export function resolveWorkloadProblem(ref: WorkloadProblemRef): WorkloadResolution {
  if (!registered) throw needsCostModel(ref);
  return registered.resolve(ref);
}
