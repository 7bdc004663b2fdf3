/**
 * The exact mapper: solve the assignment relaxation (strengthened by the progress-clock rows)
 * with HiGHS, then search the order of every core's queue and neighbouring assignments with
 * the evaluator's feedback. Where bandwidth does not bind, the relaxation's optimum is the
 * makespan of its assignment in any order, so its first proposal is optimal and proven so;
 * where contention stretches jobs, the relaxed assignment is a starting point.
 *
 * Under the ask/tell contract it evaluates nothing itself; every mapping it proposes counts
 * against the budget, in this order:
 *  1. the relaxation's assignment in each candidate queue order (queue-order.ts);
 *  2. every registered heuristic's mapping (so it is never worse than any heuristic);
 *  3. a local search from the best mapping so far: relocate one job (to any position of any
 *     core's queue, its own included) or swap two jobs, accepting a neighbour that is no
 *     worse (sideways moves let it cross plateaus).
 * It is `done` once its best mapping meets the certified bound to the bound's precision
 * (`optimal` then); its recommendation carries the bound and that verdict.
 *
 * HiGHS runs on the first `ask` (blocking, at most `timeLimit` seconds, plus the local search
 * that gives it its first incumbent), not when the mapper is created. A solve that finishes
 * within the time limit is deterministic; one stopped by it depends on the machine's speed.
 * Bounds are cached per table object and settings, so several seeds on one table solve once.
 */
import {
  type BoundSolution,
  DEFAULT_MIP_REL_GAP,
  isProvenOptimal,
  solveBoundCached,
} from '../bound/certified.js';
import { candidateQueues, encodingFromQueues } from '../bound/queue-order.js';
import type { Encoding } from '../core/encoding.js';
import type { Rng } from '../core/rng.js';
import type { JobTable } from '../core/table.js';
import { requireTable } from './heuristics/fixed-mapping.js';
import { heuristicSpecs } from './heuristics/index.js';
import {
  assertCost,
  BestTracker,
  type Candidate,
  type Optimizer,
  type OptimizerSpec,
  type Recommendation,
} from './optimizer.js';
import type { ParamValues } from './params.js';

export const milpParams = {
  timeLimit: {
    type: 'float',
    low: 0.1,
    high: 3600,
    log: true,
    default: 10,
    description: 'seconds HiGHS may spend on the assignment relaxation (its dual bound certifies)',
  },
  mipRelGap: {
    type: 'float',
    low: 0,
    high: 0.01,
    default: DEFAULT_MIP_REL_GAP,
    description: 'HiGHS stops when its relative gap is at most this (optimal means within it)',
  },
  strengthen: {
    type: 'categorical',
    choices: [true, false],
    default: true,
    description: 'add the progress-clock rows (a tighter relaxation where bandwidth binds)',
  },
} as const;

export type MilpSettings = ParamValues<typeof milpParams>;

/** The bound of a table, solved once per table object and settings. */
function cachedBound(table: JobTable, settings: MilpSettings): BoundSolution {
  return solveBoundCached(table, {
    timeLimit: settings.timeLimit,
    mipRelGap: settings.mipRelGap,
    strengthen: settings.strengthen,
  });
}

interface Proposal extends Candidate {
  id: number;
}

export class MilpMapper implements Optimizer {
  readonly name = 'milp';
  private readonly J: number;
  private readonly C: number;
  private solution: BoundSolution | null = null;
  /** Mappings still to propose before the local search starts. */
  private initial: Encoding[] = [];
  private readonly best: BestTracker;
  /** The local search's current mapping, as per-core queues, and its cost. */
  private current: number[][] | null = null;
  private currentCost = Number.POSITIVE_INFINITY;
  /** Candidates handed out and not yet told, by id. */
  private readonly pending = new Map<number, Proposal>();
  private readonly free: Proposal[] = [];
  private nextId = 0;
  private proven = false;
  /** Core and queue position of every job in the current mapping. */
  private readonly coreOf: Int32Array;
  private readonly posOf: Int32Array;

  constructor(
    private readonly table: JobTable,
    private readonly rng: Rng,
    private readonly settings: MilpSettings,
  ) {
    this.J = table.numJobs;
    this.C = table.numCores;
    this.best = new BestTracker(this.J);
    this.coreOf = new Int32Array(this.J);
    this.posOf = new Int32Array(this.J);
  }

  get done(): boolean {
    return this.proven;
  }

  /** The certified bound (solving it if no candidate was asked yet). */
  bound(): BoundSolution {
    if (!this.solution) this.prepare();
    return this.solution!;
  }

  private prepare(): void {
    const solution = cachedBound(this.table, this.settings);
    this.solution = solution;
    const seen = new Set<string>();
    const add = (e: Encoding) => {
      const key = `${e.core.join(',')}|${e.priority.join(',')}`;
      if (!seen.has(key)) {
        seen.add(key);
        this.initial.push(e);
      }
    };
    for (const queues of candidateQueues(this.table, solution.assignment))
      add(encodingFromQueues(this.J, queues));
    for (const spec of heuristicSpecs) add(spec.map(this.table));
    this.initial.reverse();
  }

  private proposal(): Proposal {
    const p = this.free.pop() ?? { id: -1, core: new Int32Array(this.J), priority: new Float64Array(this.J) };
    p.id = this.nextId++;
    this.pending.set(p.id, p);
    return p;
  }

  ask(): Candidate {
    if (!this.solution) this.prepare();
    const p = this.proposal();
    const first = this.initial.pop();
    if (first) {
      p.core.set(first.core);
      p.priority.set(first.priority);
      return p;
    }
    if (!this.current) {
      // Every initial mapping is asked; some may be untold yet: start from the best told.
      const rec = this.best.recommend();
      const from = rec
        ? rec.encoding
        : encodingFromQueues(this.J, candidateQueues(this.table, this.solution!.assignment)[0]!);
      this.setCurrent(from, rec ? rec.cost : Number.POSITIVE_INFINITY);
    }
    this.neighbour(p);
    return p;
  }

  /** Writes into `p` a random neighbour of the current mapping (relocation or swap). */
  private neighbour(p: Proposal): void {
    const { J, C, rng, coreOf, posOf } = this;
    const moved = this.current!.map((q) => q.slice());
    const j = rng.int(J);
    const a = coreOf[j]!;
    const i = posOf[j]!;
    if (J > 1 && rng.float() < 0.5) {
      let k = rng.int(J - 1);
      if (k >= j) k++;
      moved[a]![i] = k;
      moved[coreOf[k]!]![posOf[k]!] = j;
    } else {
      moved[a]!.splice(i, 1);
      const b = rng.int(C);
      moved[b]!.splice(rng.int(moved[b]!.length + 1), 0, j);
    }
    writeQueues(moved, J, p);
  }

  private setCurrent(e: Encoding, cost: number): void {
    this.current = queuesOf(e, this.C);
    this.currentCost = cost;
    this.current.forEach((q, c) => {
      q.forEach((job, k) => {
        this.coreOf[job] = c;
        this.posOf[job] = k;
      });
    });
  }

  tell(candidate: Candidate, cost: number): void {
    assertCost(this.name, cost);
    const p = this.pending.get(candidate.id);
    if (!p || p !== candidate)
      throw new RangeError(`${this.name}.tell: candidate ${candidate.id} is not pending`);
    this.pending.delete(p.id);
    this.best.offer(p, cost);
    if (this.current && cost <= this.currentCost) this.setCurrent(p, cost);
    this.free.push(p);
    const s = this.solution!;
    if (isProvenOptimal(this.best.cost, s.bound, s.precision)) this.proven = true;
  }

  recommend(): Recommendation | null {
    const rec = this.best.recommend();
    if (!rec || !this.solution) return rec;
    return {
      ...rec,
      bound: this.solution.bound,
      optimal: isProvenOptimal(rec.cost, this.solution.bound, this.solution.precision),
    };
  }
}

/** Per-core queues of an encoding: jobs by ascending (priority, index). */
function queuesOf(e: Encoding, C: number): number[][] {
  const queues: number[][] = Array.from({ length: C }, () => []);
  const order = Array.from({ length: e.core.length }, (_, j) => j).sort(
    (a, b) => e.priority[a]! - e.priority[b]! || a - b,
  );
  for (const j of order) queues[e.core[j]!]!.push(j);
  return queues;
}

function writeQueues(queues: readonly (readonly number[])[], J: number, out: Encoding): void {
  queues.forEach((q, c) => {
    q.forEach((job, k) => {
      out.core[job] = c;
      out.priority[job] = k / J;
    });
  });
}

export const milpSpec: OptimizerSpec<typeof milpParams> = {
  name: 'milp',
  description:
    'Exact mapper: the assignment relaxation solved by HiGHS (certified bound), then queue orders and a local search; optimal when it meets the bound.',
  reference:
    'Assignment relaxation with progress-clock rows (docs/bounds.md), HiGHS via the npm package highs; local search seeded with its solution and the heuristics',
  family: 'exact',
  params: milpParams,
  create: (size, rng, params) => new MilpMapper(requireTable('milp', size), rng, params),
};
