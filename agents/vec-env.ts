/**
 * The batch of environments an agent trains on, seen as flat typed arrays: observations
 * [numEnvs x obsSize], action masks [numEnvs x sum(nvec)], rewards and end flags per env.
 * It drives the gym's SyncVectorEnv in "same-step" autoreset mode: when an episode ends the
 * env is reset within the step, `obs` holds the next episode's first observation and
 * `finalObs` the ended episode's last one (to bootstrap truncated episodes). Episode return
 * and length are tracked here (as Gymnasium's RecordEpisodeStatistics).
 *
 * Action masks, as in MaskablePPO, come from each env's `info.actionMask` (the gym's
 * convention): flat, or one mask per MultiDiscrete component (null = all allowed). An env
 * that reports no mask allows everything.
 */
import { ActionLayout } from './distributions.js';
import { type AnyEnv, Box, Discrete, type Info, MultiDiscrete, type Space, SyncVectorEnv } from './gym.js';

export interface EpisodeRecord {
  /** Index of the env in the batch. */
  readonly env: number;
  /** Sum of the episode's rewards. */
  readonly return: number;
  readonly length: number;
  readonly terminated: boolean;
  /** The info of the episode's last step (environment-specific results such as a makespan). */
  readonly info: Info;
}

/** The action components of a discrete action space (Discrete = one component). */
export function actionLayoutOf(space: Space): ActionLayout {
  if (space instanceof Discrete) return new ActionLayout([space.n]);
  if (space instanceof MultiDiscrete) return new ActionLayout(Array.from(space.nvec));
  throw new Error(`the agents need a Discrete or MultiDiscrete action space, got ${space}`);
}

function isList(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

export class AgentVecEnv {
  readonly vec: SyncVectorEnv;
  readonly numEnvs: number;
  readonly obsSize: number;
  readonly layout: ActionLayout;
  /** True once some env has reported an action mask. */
  masked = false;

  /** Current observation of every env (the next episode's first one after an end). */
  readonly obs: Float32Array;
  /** Current action masks, 1 = allowed. */
  readonly masks: Uint8Array;
  /** Results of the last step. */
  readonly rewards: Float32Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  /** Last observation of the episodes that ended at the last step (other rows are stale). */
  readonly finalObs: Float32Array;

  private readonly actSpace: Discrete | MultiDiscrete;
  private readonly episodeReturn: Float64Array;
  private readonly episodeLength: Int32Array;
  private readonly actions: unknown[];

  /** Over a vector env in same-step mode, or over single envs (vectorised here). */
  constructor(envs: SyncVectorEnv | readonly AnyEnv[]) {
    const vec =
      envs instanceof SyncVectorEnv ? envs : new SyncVectorEnv([...envs], { autoresetMode: 'same-step' });
    if (vec.autoresetMode !== 'same-step')
      throw new Error(
        `the agents need a vector env with autoresetMode 'same-step', got '${vec.autoresetMode}'`,
      );
    this.vec = vec;
    this.numEnvs = vec.numEnvs;
    const obsSpace = vec.singleObservationSpace;
    if (!(obsSpace instanceof Box) || obsSpace.dtype === 'int32')
      throw new Error(
        `the agents need a float Box observation space (wrap others in FlattenObservation), got ${obsSpace}`,
      );
    this.obsSize = obsSpace.size;
    const act = vec.singleActionSpace;
    this.layout = actionLayoutOf(act);
    this.actSpace = act as Discrete | MultiDiscrete;
    const N = this.numEnvs;
    this.obs = new Float32Array(N * this.obsSize);
    this.finalObs = new Float32Array(N * this.obsSize);
    this.masks = new Uint8Array(N * this.layout.total).fill(1);
    this.rewards = new Float32Array(N);
    this.terminated = new Uint8Array(N);
    this.truncated = new Uint8Array(N);
    this.episodeReturn = new Float64Array(N);
    this.episodeLength = new Int32Array(N);
    this.actions = Array.from({ length: N }, () =>
      act instanceof MultiDiscrete ? new Int32Array(this.layout.dims) : 0,
    );
  }

  /** The single envs (for their `spec`, `render` ...). */
  get envs(): readonly AnyEnv[] {
    return this.vec.envs;
  }

  /** Resets every env, env i with seed `seed + i` (Gymnasium's vector-env seeding). */
  reset(seed: number, options?: Readonly<Record<string, unknown>>): void {
    const r = this.vec.reset({ seed, ...(options ? { options } : {}) });
    this.obs.set(r.observations as Float32Array);
    r.infos.forEach((info, i) => {
      this.readMask(i, info);
    });
    this.episodeReturn.fill(0);
    this.episodeLength.fill(0);
  }

  /** Steps every env with its row of `actions` [numEnvs x dims]; returns the episodes that ended. */
  step(actions: Int32Array): EpisodeRecord[] {
    const K = this.layout.dims;
    const O = this.obsSize;
    const space = this.actSpace;
    for (let i = 0; i < this.numEnvs; i++) {
      if (space instanceof Discrete) this.actions[i] = space.start + actions[i]!;
      else {
        const a = this.actions[i] as Int32Array;
        for (let k = 0; k < K; k++) a[k] = space.start[k]! + actions[i * K + k]!;
      }
    }
    const r = this.vec.step(this.actions);
    this.obs.set(r.observations as Float32Array);
    const done: EpisodeRecord[] = [];
    for (let i = 0; i < this.numEnvs; i++) {
      const info = r.infos[i]!;
      this.rewards[i] = r.rewards[i]!;
      this.terminated[i] = r.terminations[i]!;
      this.truncated[i] = r.truncations[i]!;
      this.episodeReturn[i]! += r.rewards[i]!;
      this.episodeLength[i]!++;
      if (r.terminations[i] || r.truncations[i]) {
        const final = info.finalObservation as ArrayLike<number>;
        for (let k = 0; k < O; k++) this.finalObs[i * O + k] = final[k]!;
        done.push({
          env: i,
          return: this.episodeReturn[i]!,
          length: this.episodeLength[i]!,
          terminated: r.terminations[i] === 1,
          info: (info.finalInfo as Info | undefined) ?? {},
        });
        this.episodeReturn[i] = 0;
        this.episodeLength[i] = 0;
      }
      this.readMask(i, info);
    }
    return done;
  }

  close(): void {
    this.vec.close();
  }

  private readMask(i: number, info: Info): void {
    const raw = info.actionMask;
    const { total, nvec, offsets } = this.layout;
    const row = this.masks.subarray(i * total, (i + 1) * total);
    if (raw === undefined || raw === null) {
      row.fill(1);
      return;
    }
    this.masked = true;
    if (!isList(raw)) throw new Error(`env ${i}: info.actionMask must be an array, got ${typeof raw}`);
    // Per-component masks (the form MultiDiscrete.sample takes) start with an array or null.
    const perComponent = raw.length > 0 && typeof raw[0] !== 'number';
    if (!perComponent) {
      if (raw.length !== total)
        throw new Error(`env ${i}: info.actionMask has ${raw.length} entries, expected ${total}`);
      for (let k = 0; k < total; k++) row[k] = raw[k] ? 1 : 0;
      return;
    }
    if (raw.length !== nvec.length)
      throw new Error(`env ${i}: info.actionMask has ${raw.length} component masks, expected ${nvec.length}`);
    for (let c = 0; c < nvec.length; c++) {
      const m = raw[c];
      const n = nvec[c]!;
      const o = offsets[c]!;
      if (m === null || m === undefined) row.fill(1, o, o + n);
      else if (isList(m) && m.length === n) for (let k = 0; k < n; k++) row[o + k] = m[k] ? 1 : 0;
      else throw new Error(`env ${i}: info.actionMask[${c}] must have ${n} entries`);
    }
  }
}
