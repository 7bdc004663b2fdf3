/**
 * Acting with the dispatching policy on a batch of tables: K rollouts of each table, all the
 * environments stepped together (the vector environment), the policy in JavaScript (model.ts)
 * with one encoder pass per table shared by its K rollouts. Greedy rollouts take the most
 * likely action; sampled ones draw from the masked softmax with the project Rng.
 *
 * When recording (for training), every decision's inputs are kept per table in the layout
 * the tfjs forward pass takes (network.ts `TableSteps`), with its action, log-probability,
 * value and reward; each rollout's steps are contiguous and in order, for the advantages.
 */
import type { Rng } from '../../src/core/rng.js';
import type { JobTable } from '../../src/core/table.js';
import type { DispatchEnv, DispatchInfo, DispatchObservation } from '../gym.js';
import { QueueReplay } from './expert.js';
import {
  CONTEXT_FEATURES,
  DecisionScratch,
  decisionFeatures,
  EpisodeFeatures,
  PAIR_FEATURES,
} from './features.js';
import { DecisionBuffers, type DispatchModel, type EncodedEpisode, PendingPool } from './model.js';
import type { TableSteps } from './network.js';
import { heuristicPlan } from './plan.js';

/** The recorded decisions of the K rollouts of one table. */
export interface TableRecord extends TableSteps {
  readonly table: JobTable;
  /** Rollouts of the table. */
  readonly K: number;
  /** [S] log-probability of the action under the acting policy. */
  readonly logProb: Float32Array;
  /** [S] value estimate (0 when values were not asked). */
  readonly value: Float32Array;
  /** [S] reward. */
  readonly reward: Float32Array;
  /** [S] 1 where the action is the policy's most likely one (a replayed action may not be). */
  readonly agree: Int32Array;
  /** [K + 1] first step of each rollout (rollout k is steps [start[k], start[k + 1])). */
  readonly start: Int32Array;
  /** [K] each rollout's makespan / lower bound. */
  readonly ratio: Float64Array;
  /** [K] each rollout's makespan, cycles. */
  readonly makespan: Float64Array;
  /** [K] each rollout's mapping. */
  readonly encodings: { core: Int32Array; priority: Float64Array }[];
}

export interface ActOptions {
  /** Most likely actions instead of samples (rollout-wise: a per-rollout flag when an array). */
  readonly greedy: boolean | readonly boolean[];
  /** Record the decisions for training. */
  readonly record: boolean;
  /**
   * Sampled rollouts draw from softmax(logits / temperature) (default 1, the policy itself;
   * greedy and replayed rollouts are not affected). Recorded log-probabilities are the
   * tempered distribution's, so keep it 1 when training.
   */
  readonly temperature?: number;
  /** Compute the value head at every decision (recorded). */
  readonly values: boolean;
  /** When given, milliseconds spent in the environments and in the policy are added here. */
  readonly timing?: { env: number; policy: number };
  /**
   * Storage reused from batch to batch (a batch's records are views into it, valid until the
   * next batch that uses it); without it every record allocates its own arrays.
   */
  readonly buffers?: RecordBuffers;
  /**
   * Rollout `rollout` of table i replays `queues[i]` (each core's jobs in run order, e.g. an
   * expert's mapping) instead of acting: a waiting core takes the next job of its queue, or
   * closes once it is empty. Its decisions are recorded like any other, with their
   * log-probability under the policy.
   */
  readonly replay?: { readonly rollout: number; readonly queues: readonly (readonly Int32Array[])[] };
}

/**
 * Reusable record storage, one slot per table of a batch, grown as needed: recording a
 * batch then allocates (and the garbage collector reclaims) nothing in the steady state.
 * Rows a batch does not write keep stale values; every reader masks them out.
 */
export class RecordBuffers {
  private readonly slots: Map<string, Float32Array | Int32Array>[] = [];

  /** A view of `length` entries of the slot's array `name`. */
  take<T extends Float32Array | Int32Array>(
    slot: number,
    name: string,
    make: (n: number) => T,
    length: number,
  ): T {
    while (this.slots.length <= slot) this.slots.push(new Map());
    const m = this.slots[slot]!;
    let a = m.get(name) as T | undefined;
    if (!a || a.length < length) {
      a = make(Math.ceil(length * 1.25));
      m.set(name, a);
    }
    return a.subarray(0, length) as T;
  }
}

/** Result of one batch: per table, its record (decisions only when recording). */
export interface ActResult {
  readonly tables: TableRecord[];
  /** Environment steps taken. */
  readonly steps: number;
  /** Mean entropy of the policy over the decisions (nats). */
  readonly entropy: number;
}

interface EnvSlot {
  readonly env: DispatchEnv;
  obs: DispatchObservation;
  info: DispatchInfo;
  done: boolean;
  table: number;
  rollout: number;
  /** Next step index in the table's record (rollout segment), or count when not recording. */
  cursor: number;
  greedy: boolean;
  pool: PendingPool | null;
  replay: QueueReplay | null;
}

function sampleMasked(
  logits: Float32Array,
  mask: Int8Array,
  n: number,
  rng: Rng | null,
  forced = -1,
): { action: number; logProb: number; entropy: number; likeliest: number } {
  let max = Number.NEGATIVE_INFINITY;
  let arg = -1;
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    if (logits[i]! > max) {
      max = logits[i]!;
      arg = i;
    }
  }
  if (arg < 0) throw new Error('the action mask allows nothing');
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    const e = Math.exp(logits[i]! - max);
    sum += e;
    weighted += e * (logits[i]! - max);
  }
  let pick = arg;
  if (forced >= 0) {
    if (forced >= n || !mask[forced]) throw new Error(`replayed action ${forced} is not allowed here`);
    pick = forced;
  } else if (rng) {
    let u = rng.float() * sum;
    for (let i = 0; i < n; i++) {
      if (!mask[i]) continue;
      pick = i;
      u -= Math.exp(logits[i]! - max);
      if (u < 0) break;
    }
  }
  // H = log Z - E[x - max] with Z = sum exp(x - max).
  return {
    action: pick,
    likeliest: arg,
    logProb: logits[pick]! - max - Math.log(sum),
    entropy: Math.log(sum) - weighted / sum,
  };
}

/**
 * Runs K rollouts of every table on `envs` (at least tables x K environments whose spaces
 * hold the tables), stepping them together until all have ended.
 */
export function act(
  model: DispatchModel,
  envs: readonly DispatchEnv[],
  tables: readonly JobTable[],
  K: number,
  rng: Rng,
  options: ActOptions,
): ActResult {
  const N = tables.length * K;
  const temperature = options.temperature ?? 1;
  if (!(temperature > 0 && Number.isFinite(temperature)))
    throw new RangeError(`act: temperature must be a positive number, got ${temperature}`);
  if (envs.length < N) throw new Error(`act: ${N} rollouts need ${N} environments, got ${envs.length}`);
  const maxJ = envs[0]!.capacity.maxJobs;
  const maxC = envs[0]!.capacity.maxCores;
  const slots: EnvSlot[] = [];
  const records: TableRecord[] = [];
  const encoded: EncodedEpisode[] = [];
  const features: EpisodeFeatures[] = [];
  for (let i = 0; i < tables.length; i++) {
    const table = tables[i]!;
    for (let k = 0; k < K; k++) {
      const env = envs[i * K + k]!;
      const r = env.reset({ seed: rng.int(2 ** 31 - 1), options: { table } });
      const greedy = Array.isArray(options.greedy) ? options.greedy[k]! : (options.greedy as boolean);
      const queues = options.replay && options.replay.rollout === k ? options.replay.queues[i] : undefined;
      slots.push({
        env,
        obs: r.observation,
        info: r.info,
        done: false,
        table: i,
        rollout: k,
        cursor: 0,
        greedy,
        pool: null,
        replay: queues ? new QueueReplay(queues) : null,
      });
    }
    const ep = new EpisodeFeatures(slots[i * K]!.obs, heuristicPlan(table));
    features.push(ep);
    encoded.push(model.encode(ep));
    records.push(newRecord(table, ep, K, options.record, i, options.buffers));
  }
  for (const s of slots) {
    s.cursor = options.record ? s.rollout * capacityPerRollout(features[s.table]!) : 0;
    s.pool = new PendingPool(encoded[s.table]!, model.settings.dim);
  }
  const buf = new DecisionBuffers(model.settings, maxJ + 1);
  const scratch = new DecisionScratch(maxC);
  const context = new Float32Array(CONTEXT_FEATURES);
  const pairScratch = new Float32Array(maxJ * PAIR_FEATURES);
  const logits = new Float32Array(maxJ + 1);
  const mask = new Int8Array(maxJ + 1);
  let steps = 0;
  let entropySum = 0;
  let remaining = N;
  const counts = new Int32Array(N);
  while (remaining > 0) {
    for (let e = 0; e < N; e++) {
      const s = slots[e]!;
      if (s.done) continue;
      const ep = features[s.table]!;
      const enc = encoded[s.table]!;
      const rec = records[s.table]!;
      const J = ep.J;
      const core = s.info.core;
      const t0 = options.timing ? performance.now() : 0;
      const pair = options.record
        ? rec.pair.subarray(s.cursor * J * PAIR_FEATURES, (s.cursor + 1) * J * PAIR_FEATURES)
        : pairScratch;
      decisionFeatures(ep, s.obs, core, scratch, context, pair);
      model.decide(enc, core, context, pair, s.obs.pending, s.pool!, buf, logits);
      const am = s.info.actionMask;
      for (let j = 0; j < J; j++) mask[j] = am[j]!;
      mask[J] = am[maxJ]!;
      if (temperature !== 1 && !s.greedy && !s.replay)
        for (let j = 0; j <= J; j++) logits[j] = logits[j]! / temperature;
      let forced = -1;
      if (s.replay) {
        const job = s.replay.next(core);
        forced = job < 0 ? J : job;
      }
      const { action, logProb, entropy, likeliest } = sampleMasked(
        logits,
        mask,
        J + 1,
        s.greedy ? null : rng,
        forced,
      );
      entropySum += entropy;
      const value = options.values ? model.value(enc, context, buf) : 0;
      if (options.record) {
        const c = s.cursor;
        rec.context.set(context, c * CONTEXT_FEATURES);
        rec.core[c] = core;
        for (let j = 0; j <= J; j++) rec.mask[c * (J + 1) + j] = mask[j]!;
        rec.action[c] = action;
        rec.logProb[c] = logProb;
        rec.value[c] = value;
        rec.agree[c] = action === likeliest ? 1 : 0;
      }
      const t1 = options.timing ? performance.now() : 0;
      const r = s.env.step(action === J ? maxJ : action);
      if (options.timing) {
        const t2 = performance.now();
        options.timing.policy += t1 - t0;
        options.timing.env += t2 - t1;
      }
      if (action < J) s.pool!.remove(enc, action);
      steps++;
      counts[e]!++;
      if (options.record) rec.reward[s.cursor] = r.reward;
      s.cursor++;
      s.obs = r.observation;
      s.info = r.info;
      if (r.terminated || r.truncated) {
        s.done = true;
        remaining--;
        rec.makespan[s.rollout] = r.info.makespan!;
        rec.ratio[s.rollout] = r.info.ratio!;
        rec.encodings[s.rollout] = r.info.encoding!;
        rec.start[s.rollout + 1] = counts[e]!;
      }
    }
  }
  for (const rec of records) finishRecord(rec, options.record);
  return { tables: records, steps, entropy: steps ? entropySum / steps : 0 };
}

/** Most steps one rollout of a table can take (J dispatches and C - 1 closes). */
function capacityPerRollout(ep: EpisodeFeatures): number {
  return ep.J + ep.C - 1;
}

function newRecord(
  table: JobTable,
  ep: EpisodeFeatures,
  K: number,
  record: boolean,
  slot: number,
  buffers: RecordBuffers | undefined,
): TableRecord {
  const J = ep.J;
  const cap = record ? K * capacityPerRollout(ep) : 0;
  const f32 = (name: string, n: number) =>
    buffers ? buffers.take(slot, name, (m) => new Float32Array(m), n) : new Float32Array(n);
  const i32 = (name: string, n: number) =>
    buffers ? buffers.take(slot, name, (m) => new Int32Array(m), n) : new Int32Array(n);
  return {
    table,
    K,
    J,
    C: ep.C,
    jobs: ep.jobs,
    cores: ep.cores,
    S: 0,
    context: f32('context', cap * CONTEXT_FEATURES),
    core: i32('core', cap),
    mask: f32('mask', cap * (J + 1)),
    pair: f32('pair', cap * J * PAIR_FEATURES),
    action: i32('action', cap),
    logProb: f32('logProb', cap),
    value: f32('value', cap),
    reward: f32('reward', cap),
    agree: i32('agree', cap),
    start: new Int32Array(K + 1),
    ratio: new Float64Array(K),
    makespan: new Float64Array(K),
    encodings: new Array(K),
  };
}

/**
 * Turns per-rollout step counts (in start[1..K]) into offsets and moves each rollout's
 * segment down so the steps are contiguous; sets S.
 */
function finishRecord(rec: TableRecord, record: boolean): void {
  const start = rec.start;
  const counts = Array.from(start.subarray(1));
  start[0] = 0;
  for (let k = 0; k < rec.K; k++) start[k + 1] = start[k]! + counts[k]!;
  const S = start[rec.K]!;
  (rec as { S: number }).S = S;
  if (!record) return;
  const cap = rec.core.length / rec.K;
  const J = rec.J;
  for (let k = 1; k < rec.K; k++) {
    const from = k * cap;
    const to = start[k]!;
    const n = counts[k]!;
    if (from === to) continue;
    rec.context.copyWithin(to * CONTEXT_FEATURES, from * CONTEXT_FEATURES, (from + n) * CONTEXT_FEATURES);
    rec.core.copyWithin(to, from, from + n);
    rec.mask.copyWithin(to * (J + 1), from * (J + 1), (from + n) * (J + 1));
    rec.pair.copyWithin(to * J * PAIR_FEATURES, from * J * PAIR_FEATURES, (from + n) * J * PAIR_FEATURES);
    rec.action.copyWithin(to, from, from + n);
    rec.logProb.copyWithin(to, from, from + n);
    rec.value.copyWithin(to, from, from + n);
    rec.reward.copyWithin(to, from, from + n);
    rec.agree.copyWithin(to, from, from + n);
  }
}

/** The record's arrays cut to its S steps (views), as the tfjs forward pass takes them. */
export function stepsOf(rec: TableRecord): TableSteps {
  const { S, J } = rec;
  return {
    J,
    C: rec.C,
    jobs: rec.jobs,
    cores: rec.cores,
    S,
    context: rec.context.subarray(0, S * CONTEXT_FEATURES),
    core: rec.core.subarray(0, S),
    mask: rec.mask.subarray(0, S * (J + 1)),
    pair: rec.pair.subarray(0, S * J * PAIR_FEATURES),
    action: rec.action.subarray(0, S),
  };
}
