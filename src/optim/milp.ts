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
import { Magma, magmaParams } from './magma.js';
import {
  assertCost,
  BestTracker,
  type Candidate,
  type Optimizer,
  type OptimizerSpec,
  type Recommendation,
} from './optimizer.js';
import { type ParamValues, resolveParams } from './params.js';

export const milpParams = {
  timeLimit: {
    type: 'float',
    low: 0.1,
    high: 3600,
    log: true,
    default: 10,
    description: 'seconds HiGHS may spend on the assignment relaxation (its dual bound certifies)',
  },
  kickAfter: {
    type: 'int',
    low: 0,
    high: 1_000_000,
    default: 500,
    tuneRange: [50, 5000],
    description:
      'local-search proposals without improvement before restarting from the best mapping a few random moves away (0: never)',
  },
  magmaShare: {
    type: 'float',
    low: 0,
    high: 1,
    default: 0.3,
    description:
      'share of the search proposals made by a MAGMA seeded with the relaxation mappings and the heuristics (the rest: the local search)',
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
  /** Local-search proposals told since the current mapping last improved. */
  private sinceImprovement = 0;
  /** Ids of pending kicks (accepted whatever their cost). */
  private readonly kicks = new Set<number>();
  /** The embedded MAGMA, and its candidates behind pending proposals. */
  private magma: Magma | null = null;
  private readonly fromMagma = new Map<number, Candidate>();
  /** Accumulated share of proposals owed to MAGMA. */
  private magmaCredit = 0;

  constructor(
    private readonly table: JobTable,
    private readonly rng: Rng,
    private readonly settings: MilpSettings,
  ) {
    this.J = table.numJobs;
    this.C = table.numCores;
    this.best = new BestTracker(this.J);
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
    const relaxed = [...this.initial];
    for (const spec of heuristicSpecs) add(spec.map(this.table));
    this.initial.reverse();
    if (this.settings.magmaShare > 0) {
      const settings = resolveParams('magma', magmaParams, { init: 'heuristic' }, this.table);
      this.magma = new Magma(this.table, this.rng.fork('magma'), settings, relaxed);
    }
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
    this.magmaCredit += this.settings.magmaShare;
    if (this.magma && this.magmaCredit >= 1) {
      this.magmaCredit -= 1;
      const c = this.askMagma();
      if (c) {
        p.core.set(c.core);
        p.priority.set(c.priority);
        this.fromMagma.set(p.id, c);
        return p;
      }
    }
    this.neighbour(p);
    return p;
  }

  /** MAGMA's next candidate, or null while its generation waits for pending tells. */
  private askMagma(): Candidate | null {
    try {
      return this.magma!.ask();
    } catch (e) {
      if (e instanceof Error && /pending/.test(e.message)) return null;
      throw e;
    }
  }

  /** Writes into `p` a random neighbour of the current mapping, or a kick from the best. */
  private neighbour(p: Proposal): void {
    if (this.sinceImprovement >= this.settings.kickAfter && this.settings.kickAfter > 0) {
      // Stuck: restart from the best mapping a few random moves away (iterated local search).
      const queues = queuesOf(this.best.recommend()!.encoding, this.C);
      const moves = KICK_MOVES_MIN + this.rng.int(KICK_MOVES_SPREAD);
      for (let m = 0; m < moves; m++) randomMove(queues, this.J, this.rng);
      writeQueues(queues, this.J, p);
      this.kicks.add(p.id);
      this.sinceImprovement = 0;
      return;
    }
    const moved = this.current!.map((q) => q.slice());
    randomMove(moved, this.J, this.rng);
    writeQueues(moved, this.J, p);
  }

  private setCurrent(e: Encoding, cost: number): void {
    this.current = queuesOf(e, this.C);
    this.currentCost = cost;
  }

  tell(candidate: Candidate, cost: number): void {
    assertCost(this.name, cost);
    const p = this.pending.get(candidate.id);
    if (!p || p !== candidate)
      throw new RangeError(`${this.name}.tell: candidate ${candidate.id} is not pending`);
    this.pending.delete(p.id);
    this.best.offer(p, cost);
    const c = this.fromMagma.get(p.id);
    if (c) {
      this.fromMagma.delete(p.id);
      this.magma!.tell(c, cost);
      // The local search continues from MAGMA's finds when they beat its own.
      if (this.current && cost < this.currentCost) this.setCurrent(p, cost);
    } else if (this.kicks.delete(p.id)) this.setCurrent(p, cost);
    else if (this.current) {
      this.sinceImprovement = cost < this.currentCost ? 0 : this.sinceImprovement + 1;
      if (cost <= this.currentCost) this.setCurrent(p, cost);
    }
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

/** A kick makes this many random moves, plus up to KICK_MOVES_SPREAD - 1 more. */
const KICK_MOVES_MIN = 2;
const KICK_MOVES_SPREAD = 4;

/** One random move on per-core queues: swap two jobs, or relocate one to any position of any core. */
function randomMove(queues: number[][], J: number, rng: Rng): void {
  const where = (job: number): [number, number] => {
    for (let c = 0; c < queues.length; c++) {
      const i = queues[c]!.indexOf(job);
      if (i >= 0) return [c, i];
    }
    throw new Error(`job ${job} is in no queue`);
  };
  const j = rng.int(J);
  const [a, i] = where(j);
  if (J > 1 && rng.float() < 0.5) {
    let k = rng.int(J - 1);
    if (k >= j) k++;
    const [b, m] = where(k);
    queues[a]![i] = k;
    queues[b]![m] = j;
  } else {
    queues[a]!.splice(i, 1);
    const b = rng.int(queues.length);
    queues[b]!.splice(rng.int(queues[b]!.length + 1), 0, j);
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
