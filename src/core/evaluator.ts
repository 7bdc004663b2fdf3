/**
 * The evaluation ({@link Evaluator}): decode an encoding into per-core queues, share the
 * system bandwidth among the running jobs, and simulate to the makespan. Written once;
 * every optimiser, environment and report goes through it.
 *
 * The simulation can also be driven one decision at a time ({@link Evaluator.beginDispatch},
 * {@link Evaluator.dispatch}): whenever a core is free it waits for the caller to give it a
 * job or close it, so an environment sees the schedule unfold under the same event loop. The
 * batch evaluation is the special case in which every queue is known in advance: both run
 * the same loop.
 */
import { type Encoding, encodingFromOrder, validateEncoding } from './encoding.js';
import { InputError, show } from './errors.js';
import type { JobTable } from './table.js';

/** One event step of an evaluation: a time span in which every core's job and allocation is constant. */
export interface TimelineSegment {
  readonly start: number;
  readonly duration: number;
  /** Job running on each core during the segment, -1 when idle. */
  readonly job: Int32Array;
  /** Bandwidth allocated to each core during the segment, bytes per cycle. */
  readonly allocated: Float64Array;
}

/** The full result of an evaluation ({@link Evaluator.evaluate}). */
export interface EvaluationResult {
  /** When the last job finishes, cycles. */
  readonly makespan: number;
  /** Time each core's queue empties; 0 for a core with no jobs. */
  readonly coreFinish: Float64Array;
  /** 1 - wasted bandwidth area / (B x makespan). */
  readonly bandwidthUtilization: number;
  /** sum(coreFinish) / (C x makespan). */
  readonly coreUtilization: number;
  /** When each job starts, cycles. */
  readonly jobStart: Float64Array;
  /** When each job finishes, cycles. */
  readonly jobFinish: Float64Array;
  /** Present when requested: one segment per event step. */
  readonly timeline?: readonly TimelineSegment[];
}

/** Options of {@link Evaluator.evaluate}. */
export interface EvaluateOptions {
  /** Record the piecewise-constant timeline (allocates; for plots and reports). */
  readonly timeline?: boolean;
}

/** Priority buckets per job in the decoder's counting sort (about one job per bucket). */
const BUCKETS_PER_JOB = 1;
/**
 * Insertion sort of a bucketed queue may move at most this many entries per job before the
 * queue is merge sorted instead: bucketing leaves few inversions for spread-out priorities,
 * but priorities crowded into a few buckets would make insertion sort quadratic.
 */
const INSERTION_MOVES_PER_JOB = 4;
/** Runs of this length are insertion sorted before the merge sort's passes. */
const MERGE_RUN = 16;

/**
 * The evaluator of one job table: the makespan of a mapping (an {@link Encoding}) under
 * bandwidth sharing. Its semantics are those of the MAGMA authors' evaluator, reproduced to
 * 1e-9 on their reference cases:
 *
 * - each core runs its jobs by ascending priority, ties by lower job index;
 * - with D the sum of the no-stall bandwidths W of the running jobs and B the system
 *   bandwidth, every job gets W when D <= B, else W x B / D; a job allocated a <= W
 *   progresses at a / W of its no-stall speed;
 * - one job finishes per event step, the lowest core index first on ties (so simultaneous
 *   finishes give zero-length steps, as in the original);
 * - a job with W = 0 needs no bandwidth and runs at no-stall speed (the original never
 *   terminates there).
 *
 * An evaluator owns preallocated buffers sized for its table: {@link Evaluator.makespan} allocates
 * nothing, so one evaluator per table serves a whole search. Not safe to share between
 * concurrent callers.
 */
export class Evaluator {
  /** The table it evaluates mappings on. */
  readonly table: JobTable;
  private readonly J: number;
  private readonly C: number;
  // Decode buffers.
  private readonly order: Int32Array;
  private readonly keys: Float64Array;
  private readonly scratch: Int32Array;
  private readonly scratchKeys: Float64Array;
  private readonly queueStart: Int32Array;
  private readonly queueEnd: Int32Array;
  private readonly bucketsPerCore: number;
  private readonly bucketBound: Int32Array;
  private readonly bucketOf: Int32Array;
  // Simulation buffers.
  private readonly next: Int32Array;
  private readonly running: Int32Array;
  /**
   * Per core c, interleaved: [2c] end of its job on the progress clock (W > 0; +inf
   * otherwise), [2c + 1] its demand W (0 when idle). The per-event pass reads both, and one
   * array instead of two halves the typed-array checks V8 repeats on every iteration.
   */
  private readonly endVDemand: Float64Array;
  /** End of each core's job on the wall clock (W = 0), +inf otherwise. */
  private readonly endT: Float64Array;
  private readonly finish: Float64Array;
  private wasted = 0;
  // State of the event loop between two calls of `run` (a dispatching simulation pauses).
  private simT = 0;
  private simV = 0;
  private simZeroRunning = 0;
  private simCore = 0;
  private simDone = 0;
  /**
   * Per core, 1 while a dispatching simulation may still give it jobs: its empty queue then
   * pauses the loop instead of idling the core. All 0 in a batch evaluation.
   */
  private readonly open: Uint8Array;
  // Dispatching: jobs given so far (in `order`), open cores, per-job flags and times.
  private dispatched = 0;
  private openCores = 0;
  private waiting = -1;
  /** A dispatching simulation runs or has ended, and no batch evaluation came since. */
  private dispatching = false;
  private dispatchedJob: Uint8Array | null = null;
  private dispatchCore: Int32Array | null = null;
  private dispatchStart: Float64Array | null = null;
  private dispatchFinish: Float64Array | null = null;

  constructor(table: JobTable) {
    this.table = table;
    const J = table.numJobs;
    const C = table.numCores;
    this.J = J;
    this.C = C;
    this.order = new Int32Array(J);
    this.keys = new Float64Array(J);
    this.scratch = new Int32Array(J);
    this.scratchKeys = new Float64Array(J);
    this.queueStart = new Int32Array(C);
    this.queueEnd = new Int32Array(C);
    this.bucketsPerCore = Math.max(1, Math.ceil((BUCKETS_PER_JOB * J) / C));
    this.bucketBound = new Int32Array(C * this.bucketsPerCore + 1);
    this.bucketOf = new Int32Array(J);
    this.next = new Int32Array(C);
    this.running = new Int32Array(C);
    this.endVDemand = new Float64Array(2 * C);
    this.endT = new Float64Array(C);
    this.finish = new Float64Array(C);
    this.open = new Uint8Array(C);
  }

  /**
   * Makespan of a valid encoding (cores in range, priorities in [0, 1)); no checks, no
   * allocation. Use `evaluate()` for encodings from outside.
   */
  makespan(core: Int32Array, priority: Float64Array): number {
    this.endDispatch();
    this.decode(core, priority);
    return this.simulate(null, null, null);
  }

  /** Full result of an encoding, validated first (throws InputError on a bad encoding). */
  evaluate(encoding: Encoding, options: EvaluateOptions = {}): EvaluationResult {
    validateEncoding(encoding, this.J, this.C);
    this.endDispatch();
    this.decode(encoding.core, encoding.priority);
    const jobStart = new Float64Array(this.J);
    const jobFinish = new Float64Array(this.J);
    const timeline: TimelineSegment[] | null = options.timeline ? [] : null;
    const makespan = this.simulate(jobStart, jobFinish, timeline);
    return this.result(makespan, jobStart, jobFinish, timeline);
  }

  private result(
    makespan: number,
    jobStart: Float64Array,
    jobFinish: Float64Array,
    timeline: TimelineSegment[] | null = null,
  ): EvaluationResult {
    const B = this.table.systemBandwidth;
    let sumFinish = 0;
    for (let c = 0; c < this.C; c++) sumFinish += this.finish[c]!;
    return {
      makespan,
      coreFinish: Float64Array.from(this.finish),
      bandwidthUtilization: 1 - this.wasted / (B * makespan),
      coreUtilization: sumFinish / (this.C * makespan),
      jobStart,
      jobFinish,
      ...(timeline ? { timeline } : {}),
    };
  }

  /**
   * Starts a dispatching simulation: every core open with an empty queue. Returns the core
   * that waits for a job first (core 0, at time 0); give it one with `dispatch`.
   */
  beginDispatch(): number {
    const { J, C } = this;
    this.queueStart.fill(0);
    this.queueEnd.fill(0);
    this.startSimulation();
    this.open.fill(1);
    this.openCores = C;
    this.dispatched = 0;
    if (!this.dispatchedJob) {
      this.dispatchedJob = new Uint8Array(J);
      this.dispatchCore = new Int32Array(J);
      this.dispatchStart = new Float64Array(J);
      this.dispatchFinish = new Float64Array(J);
    }
    this.dispatchedJob.fill(0);
    this.dispatching = true;
    this.waiting = this.run(this.dispatchStart, this.dispatchFinish, null);
    return this.waiting;
  }

  /**
   * Gives the waiting core `job`, or closes it with -1 (it takes no more jobs; the last open
   * core cannot close while jobs wait). Runs the simulation until the next core waits
   * (returned: cores free at the same time wait lowest index first) or every job has ended
   * (-1). Once every job is given, the cores close by themselves as their queues empty.
   */
  dispatch(job: number): number {
    const c = this.waiting;
    if (c < 0) throw new InputError('dispatch: no core is waiting (call beginDispatch first)');
    if (job === -1) {
      if (this.openCores === 1)
        throw new InputError(
          `dispatch: core ${c} is the last open core and ${this.J - this.dispatched} job(s) wait; it cannot close`,
        );
      this.open[c] = 0;
      this.openCores--;
    } else {
      if (!Number.isInteger(job) || job < 0 || job >= this.J)
        throw new InputError(
          `dispatch: job must be -1 or an integer in [0, ${this.J - 1}], got ${show(job)}`,
        );
      if (this.dispatchedJob![job]) throw new InputError(`dispatch: job ${job} was already dispatched`);
      const n = this.dispatched++;
      this.dispatchedJob![job] = 1;
      this.dispatchCore![job] = c;
      this.order[n] = job;
      this.next[c] = n;
      this.queueEnd[c] = n + 1;
      if (this.dispatched === this.J) {
        this.open.fill(0);
        this.openCores = 0;
      }
    }
    this.waiting = this.run(this.dispatchStart, this.dispatchFinish, null);
    return this.waiting;
  }

  /** The core waiting in a dispatching simulation, or -1 (not started, or every job ended). */
  get waitingCore(): number {
    return this.waiting;
  }

  /** Simulated time of a dispatching simulation (its makespan once every job has ended). */
  get time(): number {
    return this.simT;
  }

  /** Jobs dispatched so far. */
  get dispatchedCount(): number {
    return this.dispatched;
  }

  /** Whether core c may still receive jobs in the dispatching simulation. */
  isOpen(c: number): boolean {
    return this.open[c] === 1;
  }

  /** Whether `job` has been dispatched. */
  isDispatched(job: number): boolean {
    return this.dispatchedJob !== null && this.dispatchedJob[job] === 1;
  }

  /**
   * The cores now, in a dispatching simulation: per core its running job (-1 when idle or
   * waiting), the work it has left (no-stall cycles: at full bandwidth, the cycles to its
   * end) and its bandwidth demand W (0 when idle).
   */
  readCores(job: Int32Array, remaining: Float64Array, demand: Float64Array): void {
    const { C, running, endVDemand: ed, endT } = this;
    const t = this.simT;
    const v = this.simV;
    for (let c = 0; c < C; c++) {
      const j = c === this.waiting ? -1 : running[c]!;
      job[c] = j;
      if (j < 0) {
        remaining[c] = 0;
        demand[c] = 0;
      } else {
        const w = ed[2 * c + 1]!;
        demand[c] = w;
        remaining[c] = w > 0 ? ed[2 * c]! - v : endT[c]! - t;
      }
    }
  }

  /** The mapping a finished dispatching simulation ran: each core's jobs in dispatch order. */
  dispatchEncoding(): Encoding {
    this.assertDispatchEnded();
    const assignment: [number, number][] = [];
    for (let n = 0; n < this.J; n++) {
      const job = this.order[n]!;
      assignment.push([job, this.dispatchCore![job]!]);
    }
    return encodingFromOrder(this.J, assignment, this.C);
  }

  /**
   * The full result of a finished dispatching simulation: equal, field for field, to
   * `evaluate(dispatchEncoding())` (the same loop ran on the same queues).
   */
  dispatchResult(): EvaluationResult {
    this.assertDispatchEnded();
    return this.result(
      this.simT,
      Float64Array.from(this.dispatchStart!),
      Float64Array.from(this.dispatchFinish!),
    );
  }

  private assertDispatchEnded(): void {
    if (!this.dispatching || this.waiting >= 0)
      throw new InputError('no dispatching simulation has ended (a batch evaluation since also ends it)');
  }

  /** A batch evaluation reuses the buffers: a dispatching simulation cannot go on after it. */
  private endDispatch(): void {
    this.dispatching = false;
    this.waiting = -1;
  }

  /**
   * The job queue of each core, in run order (allocates; for reports).
   *
   * @throws `InputError` on an invalid encoding.
   */
  queues(encoding: Encoding): number[][] {
    validateEncoding(encoding, this.J, this.C);
    this.endDispatch();
    this.decode(encoding.core, encoding.priority);
    const out: number[][] = [];
    for (let c = 0; c < this.C; c++)
      out.push(Array.from(this.order.subarray(this.queueStart[c], this.queueEnd[c])));
    return out;
  }

  /**
   * Fills `order` with job ids grouped by core, each group in ascending (priority, index).
   *
   * A stable counting sort on (core, priority bucket), with about one job per bucket on
   * average, leaves only inversions inside buckets: one insertion pass per queue fixes them,
   * O(J) for the usual spread-out priorities instead of the O(J^2 / C) of sorting each queue
   * by insertion, and without the per-bucket scan of sorting bucket by bucket. Crowded
   * priorities fall back to a merge sort. Any stable sort gives the same order: ascending
   * (priority, index) is unique. Priorities are copied next to the ids (`keys`) so the sorts
   * compare without an indirection.
   */
  private decode(core: Int32Array, priority: Float64Array): void {
    const { J, C, order, keys, queueStart, queueEnd, bucketOf } = this;
    const M = this.bucketsPerCore;
    const bound = this.bucketBound;
    bound.fill(0);
    for (let j = 0; j < J; j++) {
      const q = (priority[j]! * M) | 0;
      const b = core[j]! * M + (q < M ? q : M - 1);
      bucketOf[j] = b;
      bound[b + 1]!++;
    }
    const nb = C * M;
    for (let b = 1; b <= nb; b++) bound[b]! += bound[b - 1]!;
    for (let c = 0; c < C; c++) {
      queueStart[c] = bound[c * M]!;
      queueEnd[c] = bound[(c + 1) * M]!;
    }
    // Jobs enter their bucket in index order, so ties stay in index order (stable sorts).
    for (let j = 0; j < J; j++) {
      const k = bound[bucketOf[j]!]!++;
      order[k] = j;
      keys[k] = priority[j]!;
    }
    // Buckets are in priority order within a core, so each queue only has inversions
    // inside its buckets: one insertion sort over the whole queue fixes them.
    for (let c = 0; c < C; c++) {
      const lo = queueStart[c]!;
      const hi = queueEnd[c]!;
      if (hi - lo > 1 && !insertionSortBounded(order, keys, lo, hi, INSERTION_MOVES_PER_JOB * (hi - lo)))
        this.mergeSort(lo, hi);
    }
  }

  /** Stable bottom-up merge sort of order[lo, hi) by key, runs seeded by insertion sort. */
  private mergeSort(lo: number, hi: number): void {
    const RUN = MERGE_RUN;
    for (let s = lo; s < hi; s += RUN) insertionSort(this.order, this.keys, s, Math.min(s + RUN, hi));
    let src = this.order;
    let srcKey = this.keys;
    let dst = this.scratch;
    let dstKey = this.scratchKeys;
    for (let width = RUN; width < hi - lo; width *= 2) {
      for (let s = lo; s < hi; s += 2 * width) {
        const mid = Math.min(s + width, hi);
        const end = Math.min(s + 2 * width, hi);
        let i = s;
        let k = mid;
        let o = s;
        while (i < mid && k < end) {
          if (srcKey[k]! < srcKey[i]!) {
            dstKey[o] = srcKey[k]!;
            dst[o++] = src[k++]!;
          } else {
            dstKey[o] = srcKey[i]!;
            dst[o++] = src[i++]!;
          }
        }
        while (i < mid) {
          dstKey[o] = srcKey[i]!;
          dst[o++] = src[i++]!;
        }
        while (k < end) {
          dstKey[o] = srcKey[k]!;
          dst[o++] = src[k++]!;
        }
      }
      [src, dst] = [dst, src];
      [srcKey, dstKey] = [dstKey, srcKey];
    }
    if (src !== this.order) {
      this.order.set(src.subarray(lo, hi), lo);
      this.keys.set(srcKey.subarray(lo, hi), lo);
    }
  }

  /** Event simulation over the decoded queues (every core closed); returns the makespan. */
  private simulate(
    jobStart: Float64Array | null,
    jobFinish: Float64Array | null,
    timeline: TimelineSegment[] | null,
  ): number {
    this.startSimulation();
    this.run(jobStart, jobFinish, timeline);
    return this.simT;
  }

  /** Idle cores, clocks at 0, every core closed; the queues are those set in `next`/`queueEnd`. */
  private startSimulation(): void {
    const { C, next, queueStart, running, endVDemand: ed, finish, endT, open } = this;
    const INF = Number.POSITIVE_INFINITY;
    for (let c = 0; c < C; c++) {
      finish[c] = 0;
      next[c] = queueStart[c]!;
      running[c] = -1;
      ed[2 * c] = INF;
      ed[2 * c + 1] = 0;
      endT[c] = INF;
      open[c] = 0;
    }
    this.simT = 0;
    this.simV = 0;
    this.simZeroRunning = 0;
    this.wasted = 0;
    // Core `c` starts its next job (or idles) at the start of the loop body; all cores
    // start theirs at t = 0 first.
    this.simCore = 0;
    this.simDone = -C;
  }

  /**
   * The event loop, from the state left by `startSimulation` or by its last pause. It runs
   * until every job has ended (returns -1), or until an open core has an empty queue
   * (returns that core, which waits for `dispatch`).
   *
   * Every bandwidth-using job progresses at the same fraction f of its no-stall speed, so
   * each such core holds the end of its job on one shared "progress clock" (no-stall cycles
   * of progress, re-based to the last event); jobs with W = 0 end on the wall clock t. One
   * pass over the cores per event re-bases, sums the demand and finds the next finisher,
   * with a single division, and none when the demand fits in B (f = 1 and x / 1 === x).
   * The wall-clock ends are scanned only while some W = 0 job runs (usually never).
   *
   * Every floating-point operation, and its order, is that of the first version of this
   * loop (test/core/fixtures/evaluator-before.ts): results are bit-identical to it.
   */
  private run(
    jobStart: Float64Array | null,
    jobFinish: Float64Array | null,
    timeline: TimelineSegment[] | null,
  ): number {
    const { J, C, order, queueEnd, next, running, endVDemand: ed, finish, endT, open } = this;
    const { latency, bandwidth, systemBandwidth: B } = this.table;
    const INF = Number.POSITIVE_INFINITY;
    const C2 = 2 * C;
    let t = this.simT;
    let v = this.simV;
    // Running jobs with W = 0 (ending on the wall clock): their scan is skipped while none runs.
    let zeroRunning = this.simZeroRunning;
    let wasted = this.wasted;
    let c = this.simCore;
    let done = this.simDone;
    for (;;) {
      const k = next[c]!;
      if (k < queueEnd[c]!) {
        next[c] = k + 1;
        const job = order[k]!;
        const w = bandwidth[job * C + c]!;
        const L = latency[job * C + c]!;
        running[c] = job;
        ed[2 * c + 1] = w;
        if (jobStart) jobStart[job] = t;
        if (w > 0) {
          ed[2 * c] = v + L;
          endT[c] = INF;
        } else {
          ed[2 * c] = INF;
          endT[c] = t + L;
          zeroRunning++;
        }
      } else {
        if (open[c] === 1) {
          // A dispatching simulation: the core waits for its next job (or to be closed).
          this.saveLoop(t, v, zeroRunning, wasted, c, done);
          return c;
        }
        // The queue is empty: the core's last job ended now (finish stays 0 when none).
        if (done >= 0) finish[c] = t;
        running[c] = -1;
        ed[2 * c] = INF;
        ed[2 * c + 1] = 0;
        endT[c] = INF;
      }
      if (++done < 0) {
        c = done + C;
        continue;
      }
      if (done >= J) break;
      // One pass: total demand (summed in core order: the order fixes the rounding), and the
      // earliest end on the progress clock (idle cores hold +inf and zero demand). Ends are
      // re-based to the last event, so they stay small numbers and keep their precision
      // however long the schedule (inf stays inf). Two cores per iteration halve the loop's
      // fixed costs (V8 repeats its typed-array and interrupt checks every iteration); the
      // additions and comparisons stay in core order, so sums and ties are unchanged.
      let D = 0;
      let mV = INF;
      let iV = -1;
      let i = 0;
      for (; i + 2 < C2; i += 4) {
        D += ed[i + 1]!;
        const ev = ed[i]! - v;
        ed[i] = ev;
        D += ed[i + 3]!;
        const ev2 = ed[i + 2]! - v;
        ed[i + 2] = ev2;
        if (ev < mV) {
          mV = ev;
          iV = i;
        }
        if (ev2 < mV) {
          mV = ev2;
          iV = i + 2;
        }
      }
      if (i < C2) {
        D += ed[i + 1]!;
        const ev = ed[i]! - v;
        ed[i] = ev;
        if (ev < mV) {
          mV = ev;
          iV = i;
        }
      }
      const cV = iV >> 1;
      let mT = INF;
      let cT = -1;
      if (zeroRunning > 0) {
        for (let k = 0; k < C; k++) {
          const et = endT[k]!;
          if (et < mT) {
            mT = et;
            cT = k;
          }
        }
      }
      // Fraction of no-stall speed of every bandwidth-using job (proportional shares); no
      // division when the demand fits (f = 1, and x / 1 === x).
      let f = 1;
      let dtV = INF;
      if (D > B) {
        f = B / D;
        if (cV >= 0) dtV = mV > 0 ? mV / f : 0;
        // biome-ignore lint/complexity/useMathMinMax: the same form as the branch above (and as the frozen reference), 0 for NaN/-0 alike
      } else if (cV >= 0) dtV = mV > 0 ? mV : 0;
      const dtT = cT >= 0 ? (mT > t ? mT - t : 0) : INF;
      // Lowest core index first on equal finish times, as the original.
      const onV = dtV < dtT || (dtV === dtT && cV < cT);
      c = onV ? cV : cT;
      const dt = onV ? dtV : dtT;
      if (timeline) {
        const alloc = new Float64Array(C);
        for (let k = 0; k < C; k++) alloc[k] = ed[2 * k + 1]! * f;
        timeline.push({ start: t, duration: dt, job: Int32Array.from(running), allocated: alloc });
      }
      if (D < B) wasted += (B - D) * dt;
      t += dt;
      // Progress of bandwidth-using jobs since the previous event (the clock was re-based).
      v = onV ? mV : dt * f;
      if (jobFinish) jobFinish[running[c]!] = t;
      if (!onV) zeroRunning--;
    }
    this.saveLoop(t, v, zeroRunning, wasted, c, done);
    return -1;
  }

  /** The loop's state where it stops (a paused dispatch resumes from it). */
  private saveLoop(t: number, v: number, zeroRunning: number, wasted: number, c: number, done: number): void {
    this.simT = t;
    this.simV = v;
    this.simZeroRunning = zeroRunning;
    this.wasted = wasted;
    this.simCore = c;
    this.simDone = done;
  }
}

/** Stable insertion sort of order[lo, hi) by key. */
function insertionSort(order: Int32Array, keys: Float64Array, lo: number, hi: number): void {
  insertionSortBounded(order, keys, lo, hi, Number.POSITIVE_INFINITY);
}

/**
 * Stable insertion sort of order[lo, hi) by key that gives up after `maxMoves` moves; returns
 * whether it finished. A partial run leaves equal keys in their original relative order, so
 * a stable sort can take over from where it stopped.
 */
function insertionSortBounded(
  order: Int32Array,
  keys: Float64Array,
  lo: number,
  hi: number,
  maxMoves: number,
): boolean {
  let moves = 0;
  for (let i = lo + 1; i < hi; i++) {
    const p = keys[i]!;
    if (!(keys[i - 1]! > p)) continue;
    const job = order[i]!;
    let k = i - 1;
    while (k >= lo && keys[k]! > p) {
      order[k + 1] = order[k]!;
      keys[k + 1] = keys[k]!;
      k--;
    }
    order[k + 1] = job;
    keys[k + 1] = p;
    moves += i - 1 - k;
    if (moves > maxMoves) return false;
  }
  return true;
}

/**
 * One-off evaluation of an encoding from outside: `new Evaluator(table).evaluate(encoding)`.
 *
 * @throws `InputError` naming the job on an invalid encoding.
 */
export function evaluate(
  table: JobTable,
  encoding: Encoding,
  options: EvaluateOptions = {},
): EvaluationResult {
  return new Evaluator(table).evaluate(encoding, options);
}
