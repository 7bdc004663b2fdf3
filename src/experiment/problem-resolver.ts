/**
 * The hook where problems that need the cost model (a task group, an authors' job list or a
 * zoo request, on a platform preset or file, at a bandwidth) become job tables. Until the
 * cost model, the platforms and the analyzer are merged, these problems are refused up front
 * with a clear message; wiring them is one edit, here: build the table for `ref` and return
 * it with its metadata (see `WorkloadResolution`).
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

function needsCostModel(ref: WorkloadProblemRef): InputError {
  return new InputError(
    `problem ${ref.id} needs the cost model (task, job-list and zoo problems on a platform are ` +
      'analysed by src/costmodel, which this build does not have yet); use "synth" or "table" problems',
  );
}

/** Cheap up-front validation (known task, platform, files present), run before any cell. */
export function checkWorkloadProblem(ref: WorkloadProblemRef): void {
  throw needsCostModel(ref);
}

/** Builds the problem's job table at `ref.bw` (called once per problem per process). */
export function resolveWorkloadProblem(ref: WorkloadProblemRef): WorkloadResolution {
  throw needsCostModel(ref);
}
