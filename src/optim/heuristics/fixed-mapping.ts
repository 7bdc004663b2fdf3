/**
 * Heuristic mappers under the optimiser interface: a heuristic computes one mapping from the
 * job table, proposes it, and is `done` once it has been told its cost. Asking again
 * proposes the same mapping (a deterministic heuristic has one answer).
 */
import { copyEncoding, type Encoding } from '../../core/encoding.js';
import type { JobTable } from '../../core/table.js';
import {
  assertCost,
  BestTracker,
  type Candidate,
  type Optimizer,
  type OptimizerSpec,
  type ProblemSize,
  type Recommendation,
} from '../optimizer.js';

/** True when the problem size handed to `create` is the job table itself (it is one). */
export function isJobTable(size: ProblemSize): size is JobTable {
  const t = size as Partial<JobTable>;
  return t.latency instanceof Float64Array && t.bandwidth instanceof Float64Array && t.systemBandwidth! > 0;
}

/**
 * Heuristics read the job table itself. Callers pass the `JobTable` as the problem size (it
 * is one); a bare size is a programming error.
 */
export function requireTable(owner: string, size: ProblemSize): JobTable {
  if (!isJobTable(size)) {
    throw new Error(
      `${owner} is a heuristic mapper: create it with the job table, not only the problem size`,
    );
  }
  return size;
}

export class FixedMapping implements Optimizer {
  private readonly candidate: Candidate & { id: number };
  private readonly best: BestTracker;
  private toldOnce = false;

  constructor(
    readonly name: string,
    mapping: Encoding,
  ) {
    this.candidate = { id: -1, ...copyEncoding(mapping) };
    this.best = new BestTracker(mapping.core.length);
  }

  get done(): boolean {
    return this.toldOnce;
  }

  ask(): Candidate {
    this.candidate.id++;
    return this.candidate;
  }

  tell(candidate: Candidate, cost: number): void {
    assertCost(this.name, cost);
    if (candidate !== this.candidate)
      throw new RangeError(`${this.name}.tell: candidate ${candidate.id} was not asked from this optimizer`);
    this.best.offer(candidate, cost);
    this.toldOnce = true;
  }

  recommend(): Recommendation | null {
    return this.best.recommend();
  }
}

const noParams = {} as const;

/**
 * Registry entry of a heuristic, with its mapping function exposed so that searches can
 * start from heuristic mappings (MAGMA's and the GA's `init: 'heuristic'`).
 */
export interface HeuristicSpec extends OptimizerSpec<typeof noParams> {
  readonly family: 'heuristic';
  readonly map: (table: JobTable) => Encoding;
}

/** Registry entry of a heuristic that maps a table to one encoding. */
export function heuristicSpec(
  name: string,
  description: string,
  reference: string,
  map: (table: JobTable) => Encoding,
): HeuristicSpec {
  return {
    name,
    description,
    reference,
    family: 'heuristic',
    params: noParams,
    map,
    create: (size) => new FixedMapping(name, map(requireTable(name, size))),
  };
}
