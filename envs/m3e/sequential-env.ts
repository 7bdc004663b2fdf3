/** `m3e/Sequential-v0` ({@link SequentialEnv}). */
import { type Encoding, encodingFromOrder } from '../../src/core/encoding.js';
import { InputError, show } from '../../src/core/errors.js';
import type { EvaluationResult } from '../../src/core/evaluator.js';
import type { Rng } from '../../src/core/rng.js';
import { type ParamValues, resolveParams } from '../../src/optim/params.js';
import { assertInSpace, type Info, type ResetResult, type StepResult } from '../core.js';
import { Box, Discrete, MultiDiscrete } from '../spaces.js';
import { type EvaluatedInfo, evaluatedInfo, M3eEnv } from './m3e-env.js';
import type { ProblemSource } from './problem-source.js';
import { squash } from './table-context.js';

/** The registered id of {@link SequentialEnv}. */
export const SEQUENTIAL_ID = 'm3e/Sequential-v0';

/** The authors' agent saw 5 pending jobs. */
const DEFAULT_WINDOW = 5;
/** Upper limit of the window option: far beyond any group (J <= a few thousand). */
const MAX_WINDOW = 65_536;

/** The options of {@link SequentialEnv} (`make` and the CLI's `--env-option` take them). */
export const sequentialParams = {
  window: {
    type: 'int',
    low: 1,
    high: MAX_WINDOW,
    default: DEFAULT_WINDOW,
    description: 'pending jobs shown to the agent (window slots); the authors used 5',
  },
  action: {
    type: 'categorical',
    choices: ['multi-discrete', 'discrete'],
    default: 'multi-discrete',
    description:
      'MultiDiscrete([window, cores]) = [slot, core], or Discrete(window x cores) = slot x cores + core',
  },
  reward: {
    type: 'categorical',
    choices: ['dense', 'terminal', 'paper'],
    default: 'dense',
    description:
      "dense: -estimate increase / LB per step, summing to -makespan / LB; terminal: -makespan / LB at the end; paper: the authors' -load / LB per step plus -makespan / LB",
  },
} as const;

/** Resolved options of {@link SequentialEnv}. */
export type SequentialOptions = ParamValues<typeof sequentialParams>;

/** [slot, core] (MultiDiscrete) or slot x C + core (Discrete). */
export type SequentialAction = number | ArrayLike<number>;

/** Allowed actions: Discrete -> one mask; MultiDiscrete -> [slot mask, core mask]. */
export type SequentialActionMask = Int8Array | [Int8Array, Int8Array];

/** The info of {@link SequentialEnv}'s resets and steps. */
export interface SequentialInfo extends Info, EvaluatedInfo {
  /**
   * The allowed actions, in the form `actionSpace.sample(mask)` takes: the occupied window
   * slots (every core allowed). After the last step it allows nothing.
   */
  readonly actionMask: SequentialActionMask;
  /** The bandwidth-aware makespan estimate of the committed jobs, cycles (0 after reset). */
  readonly makespanEstimate: number;
  /** The table's lower bound on the makespan, cycles (the unit of observations and rewards). */
  readonly lowerBound: number;
  /** Last step only (with the EvaluatedInfo fields): the evaluated mapping. */
  readonly encoding?: { readonly core: Int32Array; readonly priority: Float64Array };
}

/**
 * `m3e/Sequential-v0`: the mapping built one job per step, the view of the authors' RL agent.
 *
 * Pending jobs wait in job-index order; the agent sees the first k of them through a window
 * (k = `window`, 5 by default as the authors' agent). Each step picks (window slot, core): the
 * job in that slot is appended to the core's queue, the jobs behind it move up one slot and
 * the next pending job enters the last slot, so slot 0 always holds the oldest pending job
 * and the occupied slots are 0 .. min(k, pending) - 1. After J steps the assignment order
 * becomes an encoding (priority = order of assignment, {@link encodingFromOrder}) and the
 * evaluator scores it: the final `info.makespan` is exactly `evaluate(table, info.encoding)`.
 *
 * Action: `MultiDiscrete([k, C])` = [slot, core], or with `action: 'discrete'` a flat
 * `Discrete(k x C)` with index slot x C + core. `info.actionMask` marks the allowed actions
 * in the form `actionSpace.sample(mask)` takes (MultiDiscrete: [slot mask, core mask]); after
 * the last step it allows nothing.
 *
 * Observation: a float32 Box in [0, 1] of 2C + k(2C + 1) + 1 values, with s(x) = x / (1 + x)
 * ({@link squash}), LB the table's lower bound and B the system bandwidth:
 *
 * | index | value |
 * |---|---|
 * | [0, C) | s(load_c / LB): the committed no-stall latency of core c |
 * | [C, 2C) | s(finish_c / LB): core c's bandwidth-aware finish estimate (below) |
 * | slot i at 2C + i(2C + 1), +0 | 1 if the slot holds a job, else 0 (and the slot's other values are 0) |
 * | +1 .. +C | s(L[j][c] / LB) of the slot's job j on every core c |
 * | +C+1 .. +2C | s(W[j][c] / B) |
 * | last | progress: jobs assigned / J |
 *
 * Bandwidth-aware estimate: with dur_c = sum over core c's jobs of max(L, L W / B) (a job
 * cannot beat its latency nor move its bytes faster than B) and bytes = all committed L x W,
 *
 * ```text
 * finish_c = max(dur_c, load_c x max(1, bytes / (B x max_c load_c)))
 * estimate = max_c finish_c = max(max_c dur_c, bytes / B)
 * ```
 *
 * (the core's own bound, or its share of the time the system needs to move every byte): a
 * lower bound of the final makespan given the jobs committed so far, never decreasing.
 *
 * Rewards (`reward` option), LB-normalised so returns compare across tables:
 * - `terminal`: 0, then -makespan / LB at the last step;
 * - `dense` (default): -(estimate_t - estimate_{t-1}) / LB each step (<= 0), and at the last
 *   step -makespan / LB minus the rewards already given, so the return is exactly the
 *   terminal -makespan / LB (the last step carries the gap between estimate and makespan);
 * - `paper`: the authors' shaping: -load of the chosen core / LB each step, plus
 *   -makespan / LB at the end (its return is not the makespan ratio).
 *
 * Speed: per step O(C + k C) work writing the observation; the evaluator runs once per episode.
 *
 * Episode option: `table` (see {@link M3eEnv}).
 */
export class SequentialEnv extends M3eEnv<Float32Array, SequentialAction, SequentialInfo> {
  readonly actionSpace: MultiDiscrete | Discrete;
  readonly observationSpace: Box<'float32'>;
  readonly options: SequentialOptions;
  private readonly J: number;
  private readonly C: number;
  private readonly k: number;
  private readonly flat: boolean;
  private readonly obsSize: number;
  // Episode state.
  private readonly load: Float64Array;
  private readonly dur: Float64Array;
  private readonly window: Int32Array;
  private readonly orderJob: Int32Array;
  private readonly orderCore: Int32Array;
  private nextPending = 0;
  private t = 0;
  private totalBytes = 0;
  private maxLoad = 0;
  private maxDur = 0;
  private estimate = 0;
  private rewardSum = 0;
  private result: EvaluationResult | null = null;
  private finalEncoding: Encoding | null = null;

  /** @throws `InputError` for an unknown or out-of-range option. */
  constructor(source: ProblemSource, options: Partial<SequentialOptions> = {}) {
    super(source);
    this.options = resolveParams(SEQUENTIAL_ID, sequentialParams, options, source);
    this.J = source.numJobs;
    this.C = source.numCores;
    this.k = this.options.window;
    this.flat = this.options.action === 'discrete';
    const { J, C, k } = this;
    this.actionSpace = this.flat ? new Discrete(k * C) : new MultiDiscrete([k, C]);
    this.obsSize = 2 * C + k * (2 * C + 1) + 1;
    this.observationSpace = new Box(0, 1, { shape: [this.obsSize], dtype: 'float32' });
    this.load = new Float64Array(C);
    this.dur = new Float64Array(C);
    this.window = new Int32Array(k);
    this.orderJob = new Int32Array(J);
    this.orderCore = new Int32Array(J);
  }

  /** Index ranges (start inclusive, end exclusive) of the observation's parts. */
  observationLayout(): {
    coreLoad: [number, number];
    coreFinish: [number, number];
    slots: {
      start: number;
      stride: number;
      count: number;
      occupied: 0;
      latency: [number, number];
      bandwidth: [number, number];
    };
    progress: number;
  } {
    const { C, k } = this;
    return {
      coreLoad: [0, C],
      coreFinish: [C, 2 * C],
      slots: {
        start: 2 * C,
        stride: 2 * C + 1,
        count: k,
        occupied: 0,
        latency: [1, 1 + C],
        bandwidth: [1 + C, 1 + 2 * C],
      },
      progress: this.obsSize - 1,
    };
  }

  protected resetEpisode(
    rng: Rng,
    options: Readonly<Record<string, unknown>>,
  ): ResetResult<Float32Array, SequentialInfo> {
    const ctx = this.nextContext(rng, options);
    this.load.fill(0);
    this.dur.fill(0);
    const shown = Math.min(this.k, this.J);
    for (let s = 0; s < this.k; s++) this.window[s] = s < shown ? s : -1;
    this.nextPending = shown;
    this.t = 0;
    this.totalBytes = 0;
    this.maxLoad = 0;
    this.maxDur = 0;
    this.estimate = 0;
    this.rewardSum = 0;
    this.result = null;
    this.finalEncoding = null;
    return {
      observation: this.observe(),
      info: { actionMask: this.mask(), makespanEstimate: 0, lowerBound: ctx.lowerBound },
    };
  }

  protected stepEpisode(action: SequentialAction): StepResult<Float32Array, SequentialInfo> {
    const { C, J } = this;
    assertInSpace(this.actionSpace, action, 'action');
    let slot: number;
    let core: number;
    if (this.flat) {
      slot = Math.floor((action as number) / C);
      core = (action as number) - slot * C;
    } else {
      slot = (action as ArrayLike<number>)[0]!;
      core = (action as ArrayLike<number>)[1]!;
    }
    const job = this.window[slot]!;
    if (job < 0) {
      const pending = J - this.t;
      throw new InputError(
        `action ${show(action)} picks window slot ${slot}, which is empty: ${pending} job(s) pending, so only slots 0..${Math.min(this.k, pending) - 1} hold jobs (see info.actionMask)`,
      );
    }
    const ctx = this.ctx;
    const i = job * C + core;
    this.load[core]! += ctx.table.latency[i]!;
    this.dur[core]! += ctx.duration[i]!;
    this.totalBytes += ctx.bytes[i]!;
    if (this.load[core]! > this.maxLoad) this.maxLoad = this.load[core]!;
    if (this.dur[core]! > this.maxDur) this.maxDur = this.dur[core]!;
    this.orderJob[this.t] = job;
    this.orderCore[this.t] = core;
    this.t++;
    const w = this.window;
    for (let s = slot; s < this.k - 1; s++) w[s] = w[s + 1]!;
    w[this.k - 1] = this.nextPending < J ? this.nextPending++ : -1;

    const lb = ctx.lowerBound;
    const estimate = Math.max(this.maxDur, this.totalBytes / ctx.table.systemBandwidth);
    const last = this.t === J;
    const makespan = last ? this.finish() : 0;
    let reward: number;
    switch (this.options.reward) {
      case 'terminal':
        reward = last ? -makespan / lb : 0;
        break;
      case 'dense':
        reward = last ? -makespan / lb - this.rewardSum : -(estimate - this.estimate) / lb;
        break;
      case 'paper':
        reward = -this.load[core]! / lb - (last ? makespan / lb : 0);
        break;
    }
    this.rewardSum += reward;
    this.estimate = estimate;
    const info: SequentialInfo = last
      ? {
          actionMask: this.mask(),
          makespanEstimate: estimate,
          lowerBound: lb,
          ...evaluatedInfo(this.result!, lb),
          encoding: this.finalEncoding!,
        }
      : { actionMask: this.mask(), makespanEstimate: estimate, lowerBound: lb };
    return { observation: this.observe(), reward, terminated: last, truncated: false, info };
  }

  /** Scores the complete assignment order with the core evaluator; returns the makespan. */
  private finish(): number {
    const assignment: [number, number][] = [];
    for (let s = 0; s < this.t; s++) assignment.push([this.orderJob[s]!, this.orderCore[s]!]);
    this.finalEncoding = encodingFromOrder(this.J, assignment, this.C);
    this.result = this.ctx.evaluator.evaluate(this.finalEncoding);
    return this.result.makespan;
  }

  private observe(): Float32Array {
    const { C, k } = this;
    const ctx = this.ctx;
    const obs = new Float32Array(this.obsSize);
    const invLB = 1 / ctx.lowerBound;
    const stretch =
      this.maxLoad > 0 ? Math.max(1, this.totalBytes / (ctx.table.systemBandwidth * this.maxLoad)) : 1;
    for (let c = 0; c < C; c++) {
      const load = this.load[c]!;
      obs[c] = squash(load * invLB);
      obs[C + c] = squash(Math.max(this.dur[c]!, load * stretch) * invLB);
    }
    const feats = ctx.jobFeatures;
    const stride = 2 * C + 1;
    let o = 2 * C;
    for (let s = 0; s < k; s++, o += stride) {
      const job = this.window[s]!;
      if (job < 0) continue;
      obs[o] = 1;
      const base = job * 2 * C;
      for (let f = 0; f < 2 * C; f++) obs[o + 1 + f] = feats[base + f]!;
    }
    obs[o] = this.t / this.J;
    return obs;
  }

  private mask(): SequentialActionMask {
    const { C, k } = this;
    const occupied = Math.min(k, this.J - this.t);
    if (this.flat) {
      const m = new Int8Array(k * C);
      m.fill(1, 0, occupied * C);
      return m;
    }
    const slots = new Int8Array(k);
    slots.fill(1, 0, occupied);
    return [slots, new Int8Array(C).fill(1)];
  }

  render(): string {
    const table = this.table;
    if (!table) return `${this.label}: not reset yet`;
    const { C, J } = this;
    const lb = this.ctx.lowerBound;
    const queues: number[][] = Array.from({ length: C }, () => []);
    for (let s = 0; s < this.t; s++) queues[this.orderCore[s]!]!.push(this.orderJob[s]!);
    const stretch =
      this.maxLoad > 0 ? Math.max(1, this.totalBytes / (table.systemBandwidth * this.maxLoad)) : 1;
    const lines = [
      `${this.label}  step ${this.t}/${J}  estimate ${(this.estimate / lb).toFixed(4)} x LB  (LB ${lb.toPrecision(6)} cycles)`,
      'core  load/LB  finish/LB  queue (in order)',
      ...queues.map(
        (q, c) =>
          `${String(c).padStart(4)}  ${(this.load[c]! / lb).toFixed(4).padStart(7)}  ${(Math.max(this.dur[c]!, this.load[c]! * stretch) / lb).toFixed(4).padStart(9)}  ${q.join(' ')}`,
      ),
      `window  ${Array.from(this.window, (j, s) => `[${s}] ${j < 0 ? '-' : `job ${j}`}`).join('  ')}`,
    ];
    if (this.result)
      lines.push(
        `done: makespan ${this.result.makespan.toPrecision(8)} cycles = ${(this.result.makespan / lb).toFixed(4)} x LB`,
      );
    return lines.join('\n');
  }
}
