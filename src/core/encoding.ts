/** The encoding of a mapping ({@link Encoding}), and its JSON form. */
import { z } from 'zod';
import { InputError, show } from './errors.js';

/**
 * A mapping, the optimisers' search space: for J jobs, `core[j]` in {0, ..., C - 1} is the
 * core that runs job j, and `priority[j]` in [0, 1) orders the jobs on a core (ascending;
 * ties by job index).
 */
export interface Encoding {
  readonly core: Int32Array;
  readonly priority: Float64Array;
}

export const EncodingFileSchema = z.object({
  core: z.array(z.number()),
  priority: z.array(z.number()),
});
export type EncodingFile = z.infer<typeof EncodingFileSchema>;

export function makeEncoding(numJobs: number): Encoding {
  return { core: new Int32Array(numJobs), priority: new Float64Array(numJobs) };
}

export function copyEncoding(e: Encoding): Encoding {
  return { core: Int32Array.from(e.core), priority: Float64Array.from(e.priority) };
}

/**
 * Checks an encoding against a problem size; throws InputError naming the job and value.
 * Optimisers produce valid encodings by construction, so the evaluator's hot path does not
 * call this: it runs where encodings enter from outside (files, user code, environments).
 */
export function validateEncoding(
  e: { core: ArrayLike<number>; priority: ArrayLike<number> },
  numJobs: number,
  numCores: number,
): void {
  if (e.core.length !== numJobs)
    throw new InputError(`mapping.core has ${e.core.length} entries, expected ${numJobs} (one per job)`);
  if (e.priority.length !== numJobs) {
    throw new InputError(
      `mapping.priority has ${e.priority.length} entries, expected ${numJobs} (one per job)`,
    );
  }
  for (let j = 0; j < numJobs; j++) {
    const c = e.core[j]!;
    if (!Number.isInteger(c) || c < 0 || c >= numCores) {
      throw new InputError(
        `mapping.core[${j}] (job ${j}) must be an integer core id in [0, ${numCores - 1}], got ${show(c)}`,
      );
    }
    const p = e.priority[j]!;
    if (typeof p !== 'number' || !(p >= 0 && p < 1)) {
      throw new InputError(`mapping.priority[${j}] (job ${j}) must be in [0, 1), got ${show(p)}`);
    }
  }
}

export function encodingFromJson(data: unknown, numJobs: number, numCores: number): Encoding {
  const parsed = EncodingFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`mapping: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  validateEncoding(parsed.data, numJobs, numCores);
  return { core: Int32Array.from(parsed.data.core), priority: Float64Array.from(parsed.data.priority) };
}

export function encodingToJson(e: Encoding): EncodingFile {
  return { core: Array.from(e.core), priority: Array.from(e.priority) };
}

/**
 * The encoding that runs each core's jobs in the given order: `assignment[k]` = [job, core]
 * in order of assignment; priorities are spaced by order (k / J) so the decoder reproduces
 * it. Every job must be assigned exactly once (throws InputError naming the entry otherwise);
 * with `numCores`, cores are checked too.
 */
export function encodingFromOrder(
  numJobs: number,
  assignment: ArrayLike<readonly [number, number]>,
  numCores = Number.POSITIVE_INFINITY,
): Encoding {
  const n = assignment.length;
  if (n !== numJobs)
    throw new InputError(`assignment has ${n} entries, expected ${numJobs} (every job exactly once)`);
  const e = makeEncoding(numJobs);
  const seen = new Uint8Array(numJobs);
  for (let k = 0; k < n; k++) {
    const [job, core] = assignment[k]!;
    if (!Number.isInteger(job) || job < 0 || job >= numJobs)
      throw new InputError(
        `assignment[${k}]: job must be an integer in [0, ${numJobs - 1}], got ${show(job)}`,
      );
    if (seen[job]) throw new InputError(`assignment[${k}]: job ${job} is assigned twice`);
    if (!Number.isInteger(core) || core < 0 || core >= numCores) {
      const range = Number.isFinite(numCores) ? `in [0, ${numCores - 1}]` : '>= 0';
      throw new InputError(
        `assignment[${k}] (job ${job}): core must be an integer ${range}, got ${show(core)}`,
      );
    }
    seen[job] = 1;
    e.core[job] = core;
    e.priority[job] = k / n;
  }
  return e;
}
