/** `m3e/Encoding-v0` ({@link EncodingEnv}). */
import type { Encoding } from '../../src/core/encoding.js';
import type { EvaluationResult } from '../../src/core/evaluator.js';
import type { Rng } from '../../src/core/rng.js';
import { type ParamValues, resolveParams } from '../../src/optim/params.js';
import { assertInSpace, type Info, type ResetResult, type StepResult } from '../core.js';
import { Box, Dict, MultiDiscrete } from '../spaces.js';
import { type EvaluatedInfo, evaluatedInfo, M3eEnv } from './m3e-env.js';
import type { ProblemSource } from './problem-source.js';

/** The registered id of {@link EncodingEnv}. */
export const ENCODING_ID = 'm3e/Encoding-v0';

/** The largest double below 1: priorities live in [0, 1). */
export const PRIORITY_MAX = 1 - 2 ** -53;

/** The options of {@link EncodingEnv}: none. */
export const encodingParams = {} as const;
/** Resolved options of {@link EncodingEnv}. */
export type EncodingOptions = ParamValues<typeof encodingParams>;

/** An action of {@link EncodingEnv}: a whole {@link Encoding}, as arrays of numbers. */
export interface EncodingAction {
  /** The core of each job, in {0, ..., C - 1}. */
  readonly core: ArrayLike<number>;
  /** The priority of each job, in [0, 1). */
  readonly priority: ArrayLike<number>;
}

/** The info of {@link EncodingEnv}: the lower bound, and after the step the evaluation. */
export interface EncodingInfo extends Info, EvaluatedInfo {
  /** The table's lower bound on the makespan, cycles. */
  readonly lowerBound: number;
}

/** The action space of {@link EncodingEnv}: a core and a priority per job. */
export type EncodingActionSpace = Dict<{ core: MultiDiscrete; priority: Box<'float64'> }>;

/**
 * `m3e/Encoding-v0`: the black-box view, a one-step episode. The action is a whole
 * {@link Encoding} (a core and a priority per job); the evaluator scores it and the episode
 * ends (`terminated`).
 *
 * Action: `Dict({core: MultiDiscrete(J x [C]), priority: Box([0, 1), (J,), float64)})`; the
 * priority box is closed at {@link PRIORITY_MAX}, the largest double below 1, so a priority
 * of 1 is rejected, not clipped. Reward: -makespan / LB. Info: `lowerBound`, and after the
 * step the {@link EvaluatedInfo} fields.
 *
 * Observation (the same after reset and after the step, so a contextual policy can condition
 * on the group when the source draws new ones): a float32 Box in [0, 1] of shape [J, 2, C],
 * row-major: for job j, s(L[j][c] / LB) for every core c, then s(W[j][c] / B), with
 * s = {@link squash}, LB the table's lower bound and B the system bandwidth.
 *
 * Episode option: `table` (see {@link M3eEnv}).
 */
export class EncodingEnv extends M3eEnv<Float32Array, EncodingAction, EncodingInfo> {
  readonly actionSpace: EncodingActionSpace;
  readonly observationSpace: Box<'float32'>;
  private readonly J: number;
  private readonly C: number;
  private result: EvaluationResult | null = null;
  private encoding: Encoding | null = null;

  constructor(source: ProblemSource, options: Partial<EncodingOptions> = {}) {
    super(source);
    resolveParams(ENCODING_ID, encodingParams, options, source);
    this.J = source.numJobs;
    this.C = source.numCores;
    this.actionSpace = new Dict({
      core: new MultiDiscrete(new Array<number>(this.J).fill(this.C)),
      priority: new Box(0, PRIORITY_MAX, { shape: [this.J], dtype: 'float64' }),
    });
    this.observationSpace = new Box(0, 1, { shape: [this.J, 2, this.C], dtype: 'float32' });
  }

  protected resetEpisode(
    rng: Rng,
    options: Readonly<Record<string, unknown>>,
  ): ResetResult<Float32Array, EncodingInfo> {
    const ctx = this.nextContext(rng, options);
    this.result = null;
    this.encoding = null;
    return { observation: ctx.jobFeatures.slice(), info: { lowerBound: ctx.lowerBound } };
  }

  protected stepEpisode(action: EncodingAction): StepResult<Float32Array, EncodingInfo> {
    assertInSpace(this.actionSpace, action, 'action');
    const ctx = this.ctx;
    this.encoding = { core: new Int32Array(action.core), priority: new Float64Array(action.priority) };
    const r = ctx.evaluator.evaluate(this.encoding);
    this.result = r;
    const lb = ctx.lowerBound;
    return {
      observation: ctx.jobFeatures.slice(),
      reward: -r.makespan / lb,
      terminated: true,
      truncated: false,
      info: { lowerBound: lb, ...evaluatedInfo(r, lb) },
    };
  }

  render(): string {
    const table = this.table;
    if (!table) return `${this.label}: not reset yet`;
    const lb = this.ctx.lowerBound;
    const head = `${this.label}  ${this.J} jobs x ${this.C} cores  LB ${lb.toPrecision(6)} cycles`;
    if (!this.result || !this.encoding) return `${head}\nwaiting for an encoding (one step)`;
    const queues = this.ctx.evaluator.queues(this.encoding);
    const r = this.result;
    return [
      `${head}  makespan ${r.makespan.toPrecision(8)} = ${(r.makespan / lb).toFixed(4)} x LB`,
      'core  finish/LB  queue (in run order)',
      ...queues.map(
        (q, c) =>
          `${String(c).padStart(4)}  ${(r.coreFinish[c]! / lb).toFixed(4).padStart(9)}  ${q.join(' ')}`,
      ),
    ].join('\n');
  }
}
