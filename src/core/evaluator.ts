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

export class Evaluator {
  readonly table: JobTable;
  private readonly J: number;
  private readonly C: number;
  // Decode buffers.
  private readonly order: Int32Array;
  private readonly scratch: Int32Array;
  private readonly queueStart: Int32Array;
  private readonly queueEnd: Int32Array;
  // Simulation buffers.
  private readonly next: Int32Array;
  private readonly running: Int32Array;
  private readonly remaining: Float64Array;
  private readonly demand: Float64Array;
  private readonly finish: Float64Array;
  private wasted = 0;
  private priority: Float64Array;

  constructor(table: JobTable) {
    this.table = table;
    const J = (this.J = table.numJobs);
    const C = (this.C = table.numCores);
    this.order = new Int32Array(J);
    this.scratch = new Int32Array(J);
    this.queueStart = new Int32Array(C);
    this.queueEnd = new Int32Array(C);
    this.next = new Int32Array(C);
    this.running = new Int32Array(C);
    this.remaining = new Float64Array(C);
    this.demand = new Float64Array(C);
    this.finish = new Float64Array(C);
    this.priority = new Float64Array(0);
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
    for (let c = 0; c < this.C; c++) out.push(Array.from(this.order.subarray(this.queueStart[c], this.queueEnd[c])));
    return out;
  }

  /** Fills `order` with job ids grouped by core, each group in ascending (priority, index). */
  private decode(core: Int32Array, priority: Float64Array): void {
    const { J, C, order, queueStart, queueEnd } = this;
    this.priority = priority;
    queueEnd.fill(0);
    for (let j = 0; j < J; j++) queueEnd[core[j]!]!++;
    let acc = 0;
    for (let c = 0; c < C; c++) {
      const n = queueEnd[c]!;
      queueStart[c] = acc;
      queueEnd[c] = acc; // used as the fill cursor below
      acc += n;
    }
    // Jobs enter their bucket in index order, so ties stay in index order (stable sorts).
    for (let j = 0; j < J; j++) order[queueEnd[core[j]!]!++] = j;
    for (let c = 0; c < C; c++) {
      const lo = queueStart[c]!;
      const hi = queueEnd[c]!;
      if (hi - lo <= INSERTION_SORT_MAX) this.insertionSort(lo, hi);
      else this.mergeSort(lo, hi);
    }
  }

  private insertionSort(lo: number, hi: number): void {
    const { order, priority } = this;
    for (let i = lo + 1; i < hi; i++) {
      const job = order[i]!;
      const p = priority[job]!;
      let k = i - 1;
      while (k >= lo && priority[order[k]!]! > p) {
        order[k + 1] = order[k]!;
        k--;
      }
      order[k + 1] = job;
    }
  }

  /** Stable bottom-up merge sort of order[lo, hi) by priority, runs seeded by insertion sort. */
  private mergeSort(lo: number, hi: number): void {
    const RUN = 16;
    for (let s = lo; s < hi; s += RUN) this.insertionSort(s, Math.min(s + RUN, hi));
    let src = this.order;
    let dst = this.scratch;
    const priority = this.priority;
    for (let width = RUN; width < hi - lo; width *= 2) {
      for (let s = lo; s < hi; s += 2 * width) {
        const mid = Math.min(s + width, hi);
        const end = Math.min(s + 2 * width, hi);
        let i = s;
        let k = mid;
        let o = s;
        while (i < mid && k < end) dst[o++] = priority[src[k]!]! < priority[src[i]!]! ? src[k++]! : src[i++]!;
        while (i < mid) dst[o++] = src[i++]!;
        while (k < end) dst[o++] = src[k++]!;
      }
      const t = src;
      src = dst;
      dst = t;
    }
    if (src !== this.order) this.order.set(src.subarray(lo, hi), lo);
  }

  /** Event simulation over the decoded queues; returns the makespan. */
  private simulate(
    jobStart: Float64Array | null,
    jobFinish: Float64Array | null,
    timeline: TimelineSegment[] | null,
  ): number {
    const { J, C, order, queueStart, queueEnd, next, running, remaining, demand, finish } = this;
    const { latency, bandwidth, systemBandwidth: B } = this.table;
    for (let c = 0; c < C; c++) {
      finish[c] = 0;
      if (queueStart[c]! < queueEnd[c]!) {
        const job = order[queueStart[c]!]!;
        running[c] = job;
        remaining[c] = latency[job * C + c]!;
        demand[c] = bandwidth[job * C + c]!;
        next[c] = queueStart[c]! + 1;
        if (jobStart) jobStart[job] = 0;
      } else {
        running[c] = -1;
        remaining[c] = 0;
        demand[c] = 0;
        next[c] = queueEnd[c]!;
      }
    }
    let t = 0;
    let wasted = 0;
    for (let done = 0; done < J; done++) {
      let D = 0;
      for (let c = 0; c < C; c++) D += demand[c]!;
      // Fraction of no-stall speed of every bandwidth-using job (proportional shares).
      const f = D > B ? B / D : 1;
      let dt = Number.POSITIVE_INFINITY;
      let first = -1;
      for (let c = 0; c < C; c++) {
        if (running[c]! < 0) continue;
        const d = demand[c]! > 0 ? remaining[c]! / f : remaining[c]!;
        if (d < dt) {
          dt = d;
          first = c;
        }
      }
      if (timeline) {
        const alloc = new Float64Array(C);
        for (let c = 0; c < C; c++) alloc[c] = demand[c]! * f;
        timeline.push({ start: t, duration: dt, job: Int32Array.from(running), allocated: alloc });
      }
      wasted += (D > B ? 0 : B - D) * dt;
      for (let c = 0; c < C; c++) {
        if (running[c]! < 0) continue;
        const r = remaining[c]! - (demand[c]! > 0 ? dt * f : dt);
        remaining[c] = r > 0 ? r : 0;
      }
      t += dt;
      const ended = running[first]!;
      if (jobFinish) jobFinish[ended] = t;
      finish[first] = t;
      if (next[first]! < queueEnd[first]!) {
        const job = order[next[first]!++]!;
        running[first] = job;
        remaining[first] = latency[job * C + first]!;
        demand[first] = bandwidth[job * C + first]!;
        if (jobStart) jobStart[job] = t;
      } else {
        running[first] = -1;
        remaining[first] = 0;
        demand[first] = 0;
      }
    }
    this.wasted = wasted;
    return t;
  }
}

/** One-off evaluation of an encoding from outside (validated). */
export function evaluate(table: JobTable, encoding: Encoding, options: EvaluateOptions = {}): EvaluationResult {
  return new Evaluator(table).evaluate(encoding, options);
}
