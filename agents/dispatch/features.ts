/**
 * What the dispatching policy sees, computed from m3e/Dispatch-v0 observations: fixed-size
 * feature vectors per job, per core, per decision and per (pending job, waiting core) pair,
 * whatever the number of jobs J and cores C, so one set of weights serves every group and
 * platform.
 *
 * Units: l = L / LB and w = W / B as in the observation (un-squashed: x = s / (1 - s)); the
 * bandwidth-bound least duration d = max(l, l w) (the job's bytes at the whole bandwidth).
 * Sizes enter as u = J / C: an average job holds about 1 / u of the lower bound, so l u is
 * near 1 whatever the group size. Magnitudes spanning decades enter as logarithms.
 *
 * Per job (once per episode): its fastest core's l and d, the spread of l over the cores,
 * its bandwidth needs, how many cores are near its best, and the group's sizes and
 * bandwidth. Per core (once per episode): how much slower than the jobs' best cores it is
 * on average, for how many jobs it is the best, its mean bandwidth need. Per decision: the
 * observation's global state, the waiting core's load, the pending work per open core, the
 * other cores' time left. Per pending job on the waiting core: how much slower it runs there
 * than on its best core, its size, bandwidth need and the contention it would meet now, its
 * earliest-finish gap (finish here against the earliest finish on any open core, given when
 * each core frees), whether this is its best core, and its finish against an estimate of
 * when the other open cores would have done all the work without this core (its lateness:
 * the log of its finish here over that time, the work over their joint speed). The
 * decision context also has the smallest gap and the smallest lateness over the pending
 * jobs (when even the best job would finish much earlier elsewhere, closing the core is the
 * move) and the share of pending jobs this core serves at least as well as any other.
 *
 * The plan (plan.ts: the best heuristic mapping of the table, per-core queues) enters as two
 * pair features, the plan's core for the job is the waiting core, and the job is the plan's
 * next pending job on it, and one context feature, the plan has no pending job left on the
 * waiting core (it would close it). Taking the plan's next job, or closing when none is
 * left, at every decision reproduces the plan's mapping.
 */

/**
 * Indices in the context of the smallest earliest-finish gap (pair feature 4) and the
 * smallest lateness (pair feature 6) over the pending jobs.
 */
export const CONTEXT_MIN_GAP = 14;
export const CONTEXT_MIN_LATE = 16;
/** Context index: the plan has no pending job on the waiting core. */
export const CONTEXT_PLAN_DONE = 18;
/** Pair indices: the plan maps the job to the waiting core; it is the plan's next job there. */
export const PAIR_PLAN_CORE = 10;
export const PAIR_PLAN_NEXT = 11;

import type { DispatchObservation } from '../gym.js';

export const JOB_FEATURES = 12;
export const CORE_FEATURES = 6;
export const CONTEXT_FEATURES = 19;
export const PAIR_FEATURES = 12;

/** Columns of the observation's per-core block (see DispatchEnv). */
const CORE_COLUMNS = 7;
const COL_OPEN = 1;
const COL_BUSY = 3;
const COL_TIME_LEFT = 4;
const COL_LOAD = 6;

/** A job within this factor of its fastest core's latency counts as near its best there. */
const NEAR_BEST = 1.05;
/** Smallest value taken under a logarithm (guards zero latencies and bandwidths). */
const TINY = 1e-12;

function unsquash(s: number): number {
  return s >= 1 ? Number.MAX_VALUE : s / (1 - s);
}

/** x / (1 + |x|): a bounded, monotone squash of a signed value. */
function softsign(x: number): number {
  return x / (1 + Math.abs(x));
}

/** The per-episode (per table) part: the table's normalised values and the static features. */
export class EpisodeFeatures {
  readonly J: number;
  readonly C: number;
  /** l[j * C + c] = L / LB. */
  readonly l: Float64Array;
  /** w[j * C + c] = W / B. */
  readonly w: Float64Array;
  /** d = max(l, l w). */
  readonly d: Float64Array;
  readonly lMin: Float64Array;
  readonly dMin: Float64Array;
  /** Per job, its fewest bytes over the cores, min l w (in units of B x LB). */
  readonly bytesMin: Float64Array;
  readonly bestCore: Int32Array;
  /** [J x JOB_FEATURES] */
  readonly jobs: Float32Array;
  /** [C x CORE_FEATURES] */
  readonly cores: Float32Array;
  /** Per core, its typical speed: 1 / the geometric mean over jobs of l / (the job's best l). */
  readonly speed: Float64Array;
  /** The plan's core of each job, and each core's jobs in the plan's run order. */
  readonly planCore: Int32Array;
  readonly planQueues: readonly Int32Array[];

  /** `plan`: the table's plan (plan.ts `heuristicPlan`), the same table as the observation's. */
  constructor(
    obs: DispatchObservation,
    plan: { readonly core: Int32Array; readonly queues: readonly Int32Array[] },
  ) {
    const J = obs.size[0]!;
    const C = obs.size[1]!;
    this.J = J;
    this.C = C;
    if (plan.core.length !== J || plan.queues.length !== C)
      throw new Error(
        `plan of ${plan.core.length} jobs on ${plan.queues.length} cores for a ${J} x ${C} table`,
      );
    this.planCore = plan.core;
    this.planQueues = plan.queues;
    const maxC = obs.jobs.length / (2 * obs.pending.length);
    const l = new Float64Array(J * C);
    const w = new Float64Array(J * C);
    const d = new Float64Array(J * C);
    const lMin = new Float64Array(J);
    const dMin = new Float64Array(J);
    const bestCore = new Int32Array(J);
    const bytesMin = new Float64Array(J);
    for (let j = 0; j < J; j++) {
      const row = j * 2 * maxC;
      let lm = Number.POSITIVE_INFINITY;
      let dm = Number.POSITIVE_INFINITY;
      let bm = Number.POSITIVE_INFINITY;
      let best = 0;
      for (let c = 0; c < C; c++) {
        const i = j * C + c;
        const lj = Math.max(TINY, unsquash(obs.jobs[row + c]!));
        const wj = unsquash(obs.jobs[row + maxC + c]!);
        l[i] = lj;
        w[i] = wj;
        d[i] = Math.max(lj, lj * wj);
        if (lj < lm) {
          lm = lj;
          best = c;
        }
        if (d[i]! < dm) dm = d[i]!;
        if (lj * wj < bm) bm = lj * wj;
      }
      lMin[j] = lm;
      dMin[j] = dm;
      bytesMin[j] = bm;
      bestCore[j] = best;
    }
    this.l = l;
    this.w = w;
    this.d = d;
    this.lMin = lMin;
    this.dMin = dMin;
    this.bestCore = bestCore;
    this.bytesMin = bytesMin;
    const u = J / C;
    const bwRatio = unsquash(obs.global[3]!);
    const jobs = new Float32Array(J * JOB_FEATURES);
    for (let j = 0; j < J; j++) {
      let sumL = 0;
      let maxL = 0;
      let wMin = Number.POSITIVE_INFINITY;
      let wMax = 0;
      let near = 0;
      for (let c = 0; c < C; c++) {
        const i = j * C + c;
        sumL += l[i]!;
        if (l[i]! > maxL) maxL = l[i]!;
        if (w[i]! < wMin) wMin = w[i]!;
        if (w[i]! > wMax) wMax = w[i]!;
        if (l[i]! <= NEAR_BEST * lMin[j]!) near++;
      }
      const o = j * JOB_FEATURES;
      jobs[o] = Math.log(lMin[j]! * u);
      jobs[o + 1] = Math.log(sumL / C / lMin[j]!);
      jobs[o + 2] = Math.log(maxL / lMin[j]!);
      jobs[o + 3] = Math.log(dMin[j]! * u);
      jobs[o + 4] = Math.log(dMin[j]! / lMin[j]!);
      jobs[o + 5] = Math.log1p(w[j * C + bestCore[j]!]!);
      jobs[o + 6] = Math.log1p(wMin);
      jobs[o + 7] = Math.log1p(wMax);
      jobs[o + 8] = near / C;
      jobs[o + 9] = Math.log(C) / 2;
      jobs[o + 10] = Math.log(u) / 2;
      jobs[o + 11] = Math.log1p(Math.min(bwRatio, 1e6));
    }
    this.jobs = jobs;
    const cores = new Float32Array(C * CORE_FEATURES);
    const speed = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      let slow = 0;
      let maxSlow = 0;
      let best = 0;
      let bw = 0;
      let dSlow = 0;
      for (let j = 0; j < J; j++) {
        const i = j * C + c;
        const s = Math.log(l[i]! / lMin[j]!);
        slow += s;
        if (s > maxSlow) maxSlow = s;
        if (l[i]! <= NEAR_BEST * lMin[j]!) best++;
        bw += Math.log1p(w[i]!);
        dSlow += Math.log(d[i]! / dMin[j]!);
      }
      const o = c * CORE_FEATURES;
      cores[o] = slow / J;
      cores[o + 1] = best / J;
      cores[o + 2] = bw / J;
      cores[o + 3] = dSlow / J;
      cores[o + 4] = maxSlow / 4;
      cores[o + 5] = Math.log(C) / 2;
      speed[c] = Math.exp(-slow / J);
    }
    this.cores = cores;
    this.speed = speed;
  }
}

/** Scratch space for `decisionFeatures` (per core values), reused across decisions. */
export class DecisionScratch {
  readonly free: Float64Array;
  readonly open: Uint8Array;
  constructor(maxCores: number) {
    this.free = new Float64Array(maxCores);
    this.open = new Uint8Array(maxCores);
  }
}

/**
 * The features of one decision: `context` [CONTEXT_FEATURES] and, for every job, `pair`
 * [J x PAIR_FEATURES] (rows of jobs that are not pending are left as they are: the policy
 * masks them). `core` is the waiting core (info.core). Returns the number of pending jobs.
 */
export function decisionFeatures(
  ep: EpisodeFeatures,
  obs: DispatchObservation,
  core: number,
  scratch: DecisionScratch,
  context: Float32Array,
  pair: Float32Array,
): number {
  const { J, C, l, w, d, lMin, dMin, bestCore } = ep;
  const g = obs.global;
  const cores = obs.cores;
  const pending = obs.pending;
  const { free, open } = scratch;
  const t = unsquash(g[0]!);
  const D = unsquash(g[2]!);
  let openCount = 0;
  let idleOthers = 0;
  let busyCount = 0;
  let busyLeftSum = 0;
  let busyLeftMax = 0;
  let inFlight = 0;
  let maxLeft = 0;
  for (let k = 0; k < C; k++) {
    const o = k * CORE_COLUMNS;
    const isOpen = cores[o + COL_OPEN]! > 0;
    const busy = cores[o + COL_BUSY]! > 0;
    const left = busy ? unsquash(cores[o + COL_TIME_LEFT]!) : 0;
    open[k] = isOpen ? 1 : 0;
    free[k] = left;
    if (busy) {
      busyCount++;
      busyLeftSum += cores[o + COL_TIME_LEFT]!;
      if (cores[o + COL_TIME_LEFT]! > busyLeftMax) busyLeftMax = cores[o + COL_TIME_LEFT]!;
      if (left > maxLeft) maxLeft = left;
      if (isOpen) inFlight += left;
    }
    if (isOpen) {
      openCount++;
      if (!busy && k !== core) idleOthers++;
    }
  }
  let remaining = 0;
  let remainingBytes = 0;
  let bestHere = 0;
  let count = 0;
  for (let j = 0; j < J; j++) {
    if (!pending[j]) continue;
    count++;
    remaining += dMin[j]!;
    remainingBytes += ep.bytesMin[j]!;
    if (bestCore[j] === core) bestHere++;
  }
  // When the other open cores would have done all the pending and running work without
  // this core: their joint speed, each at its typical speed on these jobs (1 / the geometric
  // mean of l over the job's best l), so that a slow core counts for little.
  let capacity = 0;
  let othersLeft = 0;
  let othersMax = 0;
  for (let k = 0; k < C; k++) {
    if (!open[k] || k === core) continue;
    capacity += ep.speed[k]!;
    othersLeft += free[k]!;
    if (free[k]! > othersMax) othersMax = free[k]!;
  }
  const othersEnd =
    capacity > 0
      ? t + Math.max((remaining + othersLeft) / capacity, othersMax, TINY)
      : Number.POSITIVE_INFINITY;
  // Bandwidth pressure: the time to move the pending jobs' fewest bytes (plus those in
  // flight) at the whole bandwidth, against their work spread over the open cores; above 1/2
  // the bandwidth, not the cores, bounds the rest of the schedule.
  const bytesTime = remainingBytes + unsquash(g[1]!);
  const workTime = (remaining + inFlight) / Math.max(1, openCount);
  const pressure = bytesTime / (bytesTime + workTime + TINY);
  for (let k = 0; k < 6; k++) context[k] = g[k]!;
  context[6] = cores[core * CORE_COLUMNS + COL_LOAD]!;
  context[7] = remaining / Math.max(1, openCount) / (1 + remaining / Math.max(1, openCount));
  const left = Math.max(workTime, maxLeft, bytesTime);
  context[8] = left / (1 + left);
  context[9] = idleOthers / C;
  context[10] = busyCount ? busyLeftSum / busyCount : 0;
  context[11] = busyLeftMax;
  context[12] = count ? bestHere / count : 0;
  context[13] = Math.log(C) / 2;
  let planNext = -1;
  for (const j of ep.planQueues[core]!)
    if (pending[j]) {
      planNext = j;
      break;
    }
  const u = J / C;
  let minGap = 1;
  let minLate = Number.POSITIVE_INFINITY;
  let noWorse = 0;
  for (let j = 0; j < J; j++) {
    if (!pending[j]) continue;
    const base = j * C;
    const i = base + core;
    // Earliest finish on any open core, each freeing after its current job.
    let eft = Number.POSITIVE_INFINITY;
    for (let k = 0; k < C; k++) {
      if (!open[k]) continue;
      const f = free[k]! + d[base + k]!;
      if (f < eft) eft = f;
    }
    const here = d[i]!;
    const o = j * PAIR_FEATURES;
    pair[o] = Math.log(l[i]! / lMin[j]!);
    pair[o + 1] = Math.log(l[i]! * u);
    pair[o + 2] = Math.log1p(w[i]!);
    pair[o + 3] = Math.log(Math.max(1, D + w[i]!));
    const gap = softsign((here - eft) / lMin[j]!);
    pair[o + 4] = gap;
    if (gap < minGap) minGap = gap;
    if (gap <= 0) noWorse++;
    pair[o + 5] = bestCore[j] === core ? 1 : 0;
    const late = Math.log(Math.max(1e-3, (t + here) / othersEnd));
    pair[o + 6] = late;
    if (late < minLate) minLate = late;
    pair[o + 7] = Math.log(here / l[i]!);
    // Bytes moved here beyond the job's fewest, alone and weighted by the bandwidth pressure.
    const extra = Math.log(Math.max(TINY, l[i]! * w[i]!) / Math.max(TINY, ep.bytesMin[j]!));
    pair[o + 8] = extra;
    pair[o + 9] = extra * pressure;
    pair[o + PAIR_PLAN_CORE] = ep.planCore[j] === core ? 1 : 0;
    pair[o + PAIR_PLAN_NEXT] = j === planNext ? 1 : 0;
  }
  context[CONTEXT_MIN_GAP] = minGap;
  context[15] = count ? noWorse / count : 0;
  context[CONTEXT_MIN_LATE] = count ? minLate : 0;
  context[17] = pressure;
  context[CONTEXT_PLAN_DONE] = planNext < 0 ? 1 : 0;
  return count;
}
