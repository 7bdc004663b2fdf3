/**
 * The evaluation: decode an encoding into per-core queues, share the system bandwidth among
 * the running jobs, and simulate to the makespan (spec m3e.md section 4). Written once;
 * every optimiser, environment and report goes through it.
 *
 * Semantics (those of the MAGMA authors' evaluator, reproduced to 1e-9 on their cases):
 * - each core runs its jobs by ascending priority, ties by lower job index;
 * - with D = sum of the no-stall bandwidths W of the running jobs, every job gets W when
 *   D <= B, else W * B / D; a job allocated a <= W progresses at a / W of its no-stall speed;
 * - one job finishes per event step, the lowest core index first on ties (so simultaneous
 *   finishes give zero-length steps, as in the original);
 * - a job with W = 0 needs no bandwidth and runs at no-stall speed (the original never
 *   terminates there).
 *
 * The `Evaluator` owns preallocated typed buffers: `makespan()` allocates nothing.
 */
import type { Encoding } from './encoding.js';
import { validateEncoding } from './encoding.js';
import type { JobTable } from './table.js';

export interface TimelineSegment {
  readonly start: number;
  readonly duration: number;
  /** Job running on each core during the segment, -1 when idle. */
  readonly job: Int32Array;
  /** Bandwidth allocated to each core during the segment, bytes per cycle. */
  readonly allocated: Float64Array;
}

export interface EvaluationResult {
  readonly makespan: number;
  /** Time each core's queue empties; 0 for a core with no jobs. */
  readonly coreFinish: Float64Array;
  /** 1 - wasted bandwidth area / (B x makespan). */
  readonly bandwidthUtilization: number;
  /** sum(coreFinish) / (C x makespan). */
  readonly coreUtilization: number;
  readonly jobStart: Float64Array;
  readonly jobFinish: Float64Array;
  /** Present when requested: one segment per event step. */
  readonly timeline?: readonly TimelineSegment[];
}

export interface EvaluateOptions {
  /** Record the piecewise-constant timeline (allocates; for plots and reports). */
  readonly timeline?: boolean;
}

/** Queues of at most this length are sorted by insertion sort; longer ones by merge sort. */
const INSERTION_SORT_MAX = 24;
/** Priority buckets per job in the decoder's counting sort: a few collisions are cheaper than a long bucket scan. */
const BUCKETS_PER_JOB = 2;

export class Evaluator {
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
  /** End of each core's job on the progress clock (W > 0), +inf otherwise. */
  private readonly endV: Float64Array;
  /** End of each core's job on the wall clock (W = 0), +inf otherwise. */
  private readonly endT: Float64Array;
  private readonly demand: Float64Array;
  private readonly finish: Float64Array;
  private wasted = 0;

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
    this.endV = new Float64Array(C);
    this.endT = new Float64Array(C);
    this.demand = new Float64Array(C);
    this.finish = new Float64Array(C);
  }

  /**
   * Makespan of a valid encoding (cores in range, priorities in [0, 1)); no checks, no
   * allocation. Use `evaluate()` for encodings from outside.
   */
  makespan(core: Int32Array, priority: Float64Array): number {
    this.decode(core, priority);
    return this.simulate(null, null, null);
  }

  /** Full result of an encoding, validated first (throws InputError on a bad encoding). */
  evaluate(encoding: Encoding, options: EvaluateOptions = {}): EvaluationResult {
    validateEncoding(encoding, this.J, this.C);
    this.decode(encoding.core, encoding.priority);
    const jobStart = new Float64Array(this.J);
    const jobFinish = new Float64Array(this.J);
    const timeline: TimelineSegment[] | null = options.timeline ? [] : null;
    const makespan = this.simulate(jobStart, jobFinish, timeline);
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

  /** Per-core job queues of the last decoded encoding (allocates; for reports). */
  queues(encoding: Encoding): number[][] {
    validateEncoding(encoding, this.J, this.C);
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
   * average, leaves only tiny buckets to sort: O(J) for the usual spread-out priorities
   * instead of the O(J^2 / C) of sorting each queue by insertion. Priorities are copied next
   * to the ids (`keys`) so the sorts compare without an indirection.
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
    // Now bound[b] is the end of bucket b (and the start of bucket b + 1).
    let lo = 0;
    for (let b = 0; b < nb; b++) {
      const hi = bound[b]!;
      if (hi - lo > 1) {
        if (hi - lo <= INSERTION_SORT_MAX) insertionSort(order, keys, lo, hi);
        else this.mergeSort(lo, hi);
      }
      lo = hi;
    }
  }

  /** Stable bottom-up merge sort of order[lo, hi) by key, runs seeded by insertion sort. */
  private mergeSort(lo: number, hi: number): void {
    const RUN = 16;
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

  /**
   * Event simulation over the decoded queues; returns the makespan.
   *
   * Every bandwidth-using job progresses at the same fraction f of its no-stall speed, so
   * each such core holds the end of its job on one shared "progress clock" (no-stall cycles
   * of progress, re-based to the last event); jobs with W = 0 end on the wall clock t. One
   * pass over the cores per event re-bases, sums the demand and finds the next finisher,
   * with a single division.
   */
  private simulate(
    jobStart: Float64Array | null,
    jobFinish: Float64Array | null,
    timeline: TimelineSegment[] | null,
  ): number {
    const { J, C, queueStart, next, running, demand, finish, endV, endT } = this;
    const B = this.table.systemBandwidth;
    const INF = Number.POSITIVE_INFINITY;
    let t = 0;
    let v = 0;
    for (let c = 0; c < C; c++) {
      finish[c] = 0;
      next[c] = queueStart[c]!;
      this.startNext(c, t, v, jobStart);
    }
    let wasted = 0;
    for (let done = 0; done < J; done++) {
      // One pass: total demand, and the earliest end on each clock (idle cores hold +inf
      // on both clocks and zero demand, so no branch on their state).
      let D = 0;
      let mV = INF;
      let cV = -1;
      let mT = INF;
      let cT = -1;
      for (let c = 0; c < C; c++) {
        D += demand[c]!;
        // Re-base the progress clock to the last event, so ends stay small numbers and
        // keep their precision however long the schedule (inf stays inf).
        const ev = endV[c]! - v;
        endV[c] = ev;
        if (ev < mV) {
          mV = ev;
          cV = c;
        }
        const et = endT[c]!;
        if (et < mT) {
          mT = et;
          cT = c;
        }
      }
      // Fraction of no-stall speed of every bandwidth-using job (proportional shares).
      const f = D > B ? B / D : 1;
      const dtV = cV >= 0 ? (mV > 0 ? mV / f : 0) : INF;
      const dtT = cT >= 0 ? (mT > t ? mT - t : 0) : INF;
      // Lowest core index first on equal finish times, as the original.
      const onV = dtV < dtT || (dtV === dtT && cV < cT);
      const first = onV ? cV : cT;
      const dt = onV ? dtV : dtT;
      if (timeline) {
        const alloc = new Float64Array(C);
        for (let c = 0; c < C; c++) alloc[c] = demand[c]! * f;
        timeline.push({ start: t, duration: dt, job: Int32Array.from(running), allocated: alloc });
      }
      if (D < B) wasted += (B - D) * dt;
      t += dt;
      // Progress of bandwidth-using jobs since the previous event (the clock was re-based).
      v = onV ? mV : dt * f;
      if (jobFinish) jobFinish[running[first]!] = t;
      finish[first] = t;
      this.startNext(first, t, v, jobStart);
    }
    this.wasted = wasted;
    return t;
  }

  /** Starts the next queued job on core c at wall time t / progress clock v, or idles it. */
  private startNext(c: number, t: number, v: number, jobStart: Float64Array | null): void {
    const C = this.C;
    if (this.next[c]! < this.queueEnd[c]!) {
      const job = this.order[this.next[c]!++]!;
      const w = this.table.bandwidth[job * C + c]!;
      const L = this.table.latency[job * C + c]!;
      this.running[c] = job;
      this.demand[c] = w;
      this.endV[c] = w > 0 ? v + L : Number.POSITIVE_INFINITY;
      this.endT[c] = w > 0 ? Number.POSITIVE_INFINITY : t + L;
      if (jobStart) jobStart[job] = t;
    } else {
      this.running[c] = -1;
      this.demand[c] = 0;
      this.endV[c] = Number.POSITIVE_INFINITY;
      this.endT[c] = Number.POSITIVE_INFINITY;
    }
  }
}

function insertionSort(order: Int32Array, keys: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const job = order[i]!;
    const p = keys[i]!;
    let k = i - 1;
    while (k >= lo && keys[k]! > p) {
      order[k + 1] = order[k]!;
      keys[k + 1] = keys[k]!;
      k--;
    }
    order[k + 1] = job;
    keys[k + 1] = p;
  }
}

/** One-off evaluation of an encoding from outside (validated). */
export function evaluate(
  table: JobTable,
  encoding: Encoding,
  options: EvaluateOptions = {},
): EvaluationResult {
  return new Evaluator(table).evaluate(encoding, options);
}
