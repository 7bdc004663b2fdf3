/**
 * `m3e/Dispatch-v0`: the mapping built as the schedule unfolds, the view of a list scheduler.
 *
 * Whenever a core is free (in time order, the lowest core index first among cores free at
 * the same time) the agent picks a pending job for it, or closes it (the core takes no more
 * jobs; the last open core cannot close while jobs wait). Between two decisions the core
 * evaluator's own event loop runs (`Evaluator.dispatch`), with its exact bandwidth sharing,
 * so the agent sees contention as it happens. Once every job is dispatched the cores close
 * by themselves and the episode ends; each core's jobs in dispatch order are then an
 * encoding, and `info.makespan` is exactly `evaluate(table, info.encoding).makespan` (the
 * same loop ran). An episode has between J and J + C - 1 steps.
 *
 * Sizes: the spaces are for at most `maxJobs` jobs and `maxCores` cores (by default the
 * problem source's sizes; a source with `variableSize` draws smaller tables too). A table
 * with J <= maxJobs jobs and C <= maxCores cores fills the first J rows and C columns; the
 * rest is zero padding, and `size` says which part is real. One agent can so play any group.
 *
 * Action: `Discrete(maxJobs + 1)`: a = j dispatches job j to the waiting core, a = maxJobs
 * closes it. `info.actionMask` (Int8Array of maxJobs + 1) allows the pending jobs, and the
 * close action while another core is open.
 *
 * Observation: a Dict (s(x) = x / (1 + x), LB the table's lower bound, B the system bandwidth):
 *   jobs     float32 [maxJobs, 2, maxCores] in [0, 1]: per job, s(L[j][c] / LB) on every
 *            core, then s(W[j][c] / B). The same array for a whole episode (it never
 *            changes), so it costs nothing per step and may be kept.
 *   pending  int32 [maxJobs] in {0, 1}: the job waits for a core.
 *   cores    float32 [maxCores, 7] in [0, 1], per core: exists, open (may take jobs),
 *            waiting (the core this decision is for), busy (runs a job), s(time left / LB)
 *            of its job at the current bandwidth shares, s(its demand W / B), s(load / LB)
 *            where load is the summed no-stall latency of the jobs dispatched to it.
 *   global   float32 [6] in [0, 1]: s(t / LB) (simulated time), s(bytes in flight / (B LB))
 *            (bytes the running jobs still move), s(D / B) (their summed demand), s(B / mean W)
 *            (the bandwidth against the table's mean demand), jobs dispatched / J, open cores / C.
 *   size     int32 [2]: [J, C] of the current table.
 *
 * Rewards, LB-normalised so returns compare across tables:
 * - `dense` (default): -(time to the next decision) / LB, and at the last step -(makespan -
 *   its time) / LB: the return is exactly -makespan / LB;
 * - `log`: -(ln max(t', LB) - ln max(t, LB)) from a decision at time t to the next at t' (the
 *   makespan after the last step): the return is exactly -ln(makespan / LB), so summing
 *   returns over tables optimises the geometric mean of the ratios, and a bad schedule
 *   (100 x LB) does not drown the others;
 * - `terminal`: 0, then -makespan / LB at the last step.
 *
 * Speed: a step runs the event loop to the next decision (O(C) per event) and writes
 * O(maxJobs + maxCores) values; the per-table work (features, lower bound) runs once per table.
 */
import { InputError, show } from '../../src/core/errors.js';
import type { EvaluationResult } from '../../src/core/evaluator.js';
import type { Rng } from '../../src/core/rng.js';
import type { JobTable } from '../../src/core/table.js';
import { type ParamValues, type ProblemSize, resolveParams } from '../../src/optim/params.js';
import { assertInSpace, type Info, type ResetResult, type StepResult } from '../core.js';
import { Box, Dict, Discrete } from '../spaces.js';
import { type EvaluatedInfo, evaluatedInfo, M3eEnv } from './m3e-env.js';
import type { ProblemSource } from './problem-source.js';
import { squash, type TableContext } from './table-context.js';

export const DISPATCH_ID = 'm3e/Dispatch-v0';

/** Upper limit of maxJobs / maxCores: far beyond any group, but keeps the spaces finite. */
const MAX_SIZE = 65_536;

/** Per-core observation columns. */
export const CORE_FEATURES = ['exists', 'open', 'waiting', 'busy', 'timeLeft', 'demand', 'load'] as const;
/** Global observation entries. */
export const GLOBAL_FEATURES = [
  'time',
  'bytesInFlight',
  'demand',
  'bandwidth',
  'progress',
  'openCores',
] as const;

export const dispatchParams = {
  reward: {
    type: 'categorical',
    choices: ['dense', 'log', 'terminal'],
    default: 'dense',
    description:
      "dense: -(time to the next decision) / LB per step, summing to -makespan / LB; log: -(ln max(t', LB) - ln max(t, LB)) per step, summing to -ln(makespan / LB); terminal: -makespan / LB at the end",
  },
  maxJobs: {
    type: 'int',
    low: 1,
    high: MAX_SIZE,
    default: (size: ProblemSize) => size.numJobs,
    description: 'jobs the spaces hold (tables may have fewer); default the problem source s',
  },
  maxCores: {
    type: 'int',
    low: 1,
    high: MAX_SIZE,
    default: (size: ProblemSize) => size.numCores,
    description: 'cores the spaces hold (tables may have fewer); default the problem source s',
  },
} as const;

export type DispatchOptions = ParamValues<typeof dispatchParams>;

export interface DispatchObservation {
  readonly jobs: Float32Array;
  readonly pending: Int32Array;
  readonly cores: Float32Array;
  readonly global: Float32Array;
  readonly size: Int32Array;
}

/** A job index to dispatch to the waiting core, or maxJobs to close it. */
export type DispatchAction = number;

export interface DispatchInfo extends Info, EvaluatedInfo {
  readonly actionMask: Int8Array;
  readonly lowerBound: number;
  /** The core this decision is for (-1 after the last step). */
  readonly core: number;
  /** Simulated time of the decision, cycles (the makespan after the last step). */
  readonly time: number;
  /** Last step only (with the EvaluatedInfo fields): the evaluated mapping. */
  readonly encoding?: { readonly core: Int32Array; readonly priority: Float64Array };
}

/** The observation space of m3e/Dispatch-v0 (see the class comment). */
export type DispatchObservationSpace = Dict<{
  cores: Box<'float32'>;
  global: Box<'float32'>;
  jobs: Box<'float32'>;
  pending: Box<'int32'>;
  size: Box<'int32'>;
}>;

export class DispatchEnv extends M3eEnv<DispatchObservation, DispatchAction, DispatchInfo> {
  readonly actionSpace: Discrete;
  readonly observationSpace: DispatchObservationSpace;
  readonly options: DispatchOptions;
  private readonly maxJ: number;
  private readonly maxC: number;
  // Per table (rebuilt when the table changes).
  private featuresOf: TableContext | null = null;
  private jobs: Float32Array;
  private meanDemandRatio = 0;
  // Episode state.
  private J = 0;
  private C = 0;
  private core = -1;
  private time = 0;
  private steps = 0;
  private openCores = 0;
  private rewardSum = 0;
  private readonly load: Float64Array;
  private readonly runJob: Int32Array;
  private readonly remaining: Float64Array;
  private readonly demand: Float64Array;
  private result: EvaluationResult | null = null;

  constructor(source: ProblemSource, options: Partial<DispatchOptions> = {}) {
    super(source);
    this.options = resolveParams(DISPATCH_ID, dispatchParams, options, source);
    this.maxJ = this.options.maxJobs;
    this.maxC = this.options.maxCores;
    if (source.numJobs > this.maxJ || source.numCores > this.maxC)
      throw new InputError(
        `${DISPATCH_ID}: the problem has up to ${source.numJobs} jobs x ${source.numCores} cores, more than maxJobs ${this.maxJ} x maxCores ${this.maxC}`,
      );
    const { maxJ, maxC } = this;
    this.actionSpace = new Discrete(maxJ + 1);
    this.observationSpace = new Dict({
      jobs: new Box(0, 1, { shape: [maxJ, 2, maxC], dtype: 'float32' }),
      pending: new Box(0, 1, { shape: [maxJ], dtype: 'int32' }),
      cores: new Box(0, 1, { shape: [maxC, CORE_FEATURES.length], dtype: 'float32' }),
      global: new Box(0, 1, { shape: [GLOBAL_FEATURES.length], dtype: 'float32' }),
      size: new Box([1, 1], [maxJ, maxC], { dtype: 'int32' }),
    });
    this.jobs = new Float32Array(maxJ * 2 * maxC);
    this.load = new Float64Array(maxC);
    this.runJob = new Int32Array(maxC);
    this.remaining = new Float64Array(maxC);
    this.demand = new Float64Array(maxC);
  }

  protected override acceptsSmallerTables(): boolean {
    return true;
  }

  protected override checkTable(table: JobTable): void {
    if (table.numJobs > this.maxJ || table.numCores > this.maxC)
      throw new InputError(
        `${this.label}: table is ${table.numJobs} jobs x ${table.numCores} cores, more than the spaces' maxJobs ${this.maxJ} x maxCores ${this.maxC}`,
      );
  }

  /** The maximum sizes the spaces hold. */
  get capacity(): { readonly maxJobs: number; readonly maxCores: number } {
    return { maxJobs: this.maxJ, maxCores: this.maxC };
  }

  protected resetEpisode(
    rng: Rng,
    options: Readonly<Record<string, unknown>>,
  ): ResetResult<DispatchObservation, DispatchInfo> {
    const ctx = this.nextContext(rng, options);
    const { numJobs: J, numCores: C } = ctx.table;
    if (this.featuresOf !== ctx) this.prepareTable(ctx);
    this.J = J;
    this.C = C;
    this.load.fill(0);
    this.time = 0;
    this.steps = 0;
    this.openCores = C;
    this.rewardSum = 0;
    this.result = null;
    this.core = ctx.evaluator.beginDispatch();
    return { observation: this.observe(), info: this.decisionInfo() };
  }

  /** The table's job features, padded (a new array per table: observations may keep the old one). */
  private prepareTable(ctx: TableContext): void {
    const { maxJ, maxC } = this;
    const { numJobs: J, numCores: C, bandwidth, systemBandwidth: B } = ctx.table;
    const jobs = new Float32Array(maxJ * 2 * maxC);
    const f = ctx.jobFeatures;
    let sumW = 0;
    for (let j = 0; j < J; j++) {
      for (let c = 0; c < C; c++) {
        jobs[j * 2 * maxC + c] = f[j * 2 * C + c]!;
        jobs[j * 2 * maxC + maxC + c] = f[j * 2 * C + C + c]!;
        sumW += bandwidth[j * C + c]!;
      }
    }
    const meanW = sumW / (J * C);
    this.meanDemandRatio = meanW > 0 ? B / meanW : Number.POSITIVE_INFINITY;
    this.jobs = jobs;
    this.featuresOf = ctx;
  }

  protected stepEpisode(action: DispatchAction): StepResult<DispatchObservation, DispatchInfo> {
    assertInSpace(this.actionSpace, action, 'action');
    const close = action === this.maxJ;
    const ev = this.ctx.evaluator;
    if (close) {
      if (this.openCores === 1)
        throw new InputError(
          `action ${action} closes core ${this.core}, the last open core, while ${this.J - ev.dispatchedCount} job(s) wait (see info.actionMask)`,
        );
    } else if (action >= this.J || ev.isDispatched(action)) {
      throw new InputError(
        `action ${show(action)} picks job ${action}, which is ${action >= this.J ? `not in this ${this.J}-job table` : 'already dispatched'} (see info.actionMask)`,
      );
    }
    const c = this.core;
    const table = this.ctx.table;
    if (close) this.openCores--;
    else this.load[c]! += table.latency[action * table.numCores + c]!;
    this.core = ev.dispatch(close ? -1 : action);
    this.steps++;
    const lb = this.ctx.lowerBound;
    const last = this.core < 0;
    const before = this.time;
    this.time = ev.time;
    let reward: number;
    if (this.options.reward === 'terminal') reward = last ? -this.time / lb : 0;
    else if (this.options.reward === 'log')
      reward = last
        ? -Math.log(this.time / lb) - this.rewardSum
        : -(Math.log(Math.max(this.time, lb)) - Math.log(Math.max(before, lb)));
    else reward = last ? -this.time / lb - this.rewardSum : -(this.time - before) / lb;
    this.rewardSum += reward;
    let info: DispatchInfo;
    if (last) {
      this.openCores = 0;
      this.result = ev.dispatchResult();
      info = {
        ...this.decisionInfo(),
        ...evaluatedInfo(this.result, lb),
        encoding: ev.dispatchEncoding(),
      };
    } else info = this.decisionInfo();
    return { observation: this.observe(), reward, terminated: last, truncated: false, info };
  }

  private decisionInfo(): DispatchInfo {
    return {
      actionMask: this.mask(),
      lowerBound: this.ctx.lowerBound,
      core: this.core,
      time: this.time,
    };
  }

  private mask(): Int8Array {
    const m = new Int8Array(this.maxJ + 1);
    if (this.core < 0) return m;
    const ev = this.ctx.evaluator;
    for (let j = 0; j < this.J; j++) if (!ev.isDispatched(j)) m[j] = 1;
    if (this.openCores > 1) m[this.maxJ] = 1;
    return m;
  }

  private observe(): DispatchObservation {
    const { maxJ, maxC, J, C } = this;
    const ctx = this.ctx;
    const ev = ctx.evaluator;
    const table = ctx.table;
    const B = table.systemBandwidth;
    const invLB = 1 / ctx.lowerBound;
    const pending = new Int32Array(maxJ);
    for (let j = 0; j < J; j++) if (!ev.isDispatched(j)) pending[j] = 1;
    ev.readCores(this.runJob, this.remaining, this.demand);
    let D = 0;
    let bytes = 0;
    for (let c = 0; c < C; c++) {
      D += this.demand[c]!;
      bytes += this.remaining[c]! * this.demand[c]!;
    }
    // Every bandwidth-using job runs at the same fraction of its no-stall speed.
    const speed = D > B ? B / D : 1;
    const K = CORE_FEATURES.length;
    const cores = new Float32Array(maxC * K);
    for (let c = 0; c < C; c++) {
      const o = c * K;
      const busy = this.runJob[c]! >= 0;
      const w = this.demand[c]!;
      cores[o] = 1;
      cores[o + 1] = this.core >= 0 && ev.isOpen(c) ? 1 : 0;
      cores[o + 2] = c === this.core ? 1 : 0;
      cores[o + 3] = busy ? 1 : 0;
      cores[o + 4] = busy ? squash((w > 0 ? this.remaining[c]! / speed : this.remaining[c]!) * invLB) : 0;
      cores[o + 5] = squash(w / B);
      cores[o + 6] = squash(this.load[c]! * invLB);
    }
    const global = new Float32Array(GLOBAL_FEATURES.length);
    global[0] = squash(this.time * invLB);
    global[1] = squash((bytes / B) * invLB);
    global[2] = squash(D / B);
    global[3] = Number.isFinite(this.meanDemandRatio) ? squash(this.meanDemandRatio) : 1;
    global[4] = ev.dispatchedCount / J;
    global[5] = this.openCores / C;
    return { jobs: this.jobs, pending, cores, global, size: Int32Array.of(J, C) };
  }

  render(): string {
    const table = this.table;
    if (!table) return `${this.label}: not reset yet`;
    const ev = this.ctx.evaluator;
    const lb = this.ctx.lowerBound;
    ev.readCores(this.runJob, this.remaining, this.demand);
    const lines = [
      `${this.label}  step ${this.steps}  t ${(this.time / lb).toFixed(4)} x LB  (LB ${lb.toPrecision(6)} cycles)  dispatched ${ev.dispatchedCount}/${this.J}`,
      'core  state    job   load/LB  demand/B',
    ];
    for (let c = 0; c < this.C; c++) {
      const state =
        c === this.core ? 'waiting' : this.runJob[c]! >= 0 ? 'busy' : ev.isOpen(c) ? 'idle' : 'closed';
      lines.push(
        `${String(c).padStart(4)}  ${state.padEnd(7)}  ${String(this.runJob[c]! >= 0 ? this.runJob[c] : '-').padStart(4)}  ${(this.load[c]! / lb).toFixed(4).padStart(7)}  ${(this.demand[c]! / table.systemBandwidth).toFixed(3).padStart(8)}`,
      );
    }
    if (this.result)
      lines.push(
        `done: makespan ${this.result.makespan.toPrecision(8)} cycles = ${(this.result.makespan / lb).toFixed(4)} x LB`,
      );
    return lines.join('\n');
  }
}
