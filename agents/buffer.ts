/**
 * Rollout storage on typed arrays: numSteps x numEnvs transitions, index t * numEnvs + e.
 * Filled by the rollout collector, turned into advantages and returns by `computeGae`,
 * read by the updates in (shuffled) minibatches via `gather`.
 */

export class RolloutBuffer {
  readonly numSteps: number;
  readonly numEnvs: number;
  readonly obsSize: number;
  /** Action components per transition. */
  readonly actionDims: number;
  /** Mask entries per transition (0 when the environment has no action masks). */
  readonly maskSize: number;
  readonly size: number;

  readonly obs: Float32Array;
  readonly actions: Int32Array;
  readonly masks: Uint8Array;
  readonly logProbs: Float32Array;
  readonly values: Float32Array;
  /** Reward of the transition, plus gamma x V(final observation) when it was truncated. */
  readonly rewards: Float32Array;
  /** 1 when the episode ended with this transition (terminated or truncated). */
  readonly ends: Uint8Array;
  readonly advantages: Float32Array;
  readonly returns: Float32Array;

  constructor(numSteps: number, numEnvs: number, obsSize: number, actionDims: number, maskSize: number) {
    this.numSteps = numSteps;
    this.numEnvs = numEnvs;
    this.obsSize = obsSize;
    this.actionDims = actionDims;
    this.maskSize = maskSize;
    const n = numSteps * numEnvs;
    this.size = n;
    this.obs = new Float32Array(n * obsSize);
    this.actions = new Int32Array(n * actionDims);
    this.masks = new Uint8Array(n * maskSize);
    this.logProbs = new Float32Array(n);
    this.values = new Float32Array(n);
    this.rewards = new Float32Array(n);
    this.ends = new Uint8Array(n);
    this.advantages = new Float32Array(n);
    this.returns = new Float32Array(n);
  }

  /**
   * Generalised advantage estimation (Schulman et al. 2016), as CleanRL's ppo.py:
   *   delta_t = r_t + gamma V(s_{t+1}) (1 - end_t) - V(s_t)
   *   A_t = delta_t + gamma lambda (1 - end_t) A_{t+1},   R_t = A_t + V(s_t).
   * `lastValues` [numEnvs] = V of the observations after the last step. lambda = 1 gives
   * the n-step returns of A2C.
   */
  computeGae(lastValues: Float32Array, gamma: number, lambda: number): void {
    const { numSteps: T, numEnvs: N, values, rewards, ends, advantages, returns } = this;
    for (let e = 0; e < N; e++) {
      let next = 0;
      for (let t = T - 1; t >= 0; t--) {
        const i = t * N + e;
        const nonTerminal = 1 - ends[i]!;
        const nextValue = t === T - 1 ? lastValues[e]! : values[i + N]!;
        const delta = rewards[i]! + gamma * nextValue * nonTerminal - values[i]!;
        next = delta + gamma * lambda * nonTerminal * next;
        advantages[i] = next;
        returns[i] = next + values[i]!;
      }
    }
  }

  /** Copies the transitions `idx[from, to)` into a minibatch (reusing its arrays). */
  gather(idx: Int32Array, from: number, to: number, mb: Minibatch): void {
    const { obsSize: O, actionDims: K, maskSize: M } = this;
    const n = to - from;
    mb.resize(n);
    for (let r = 0; r < n; r++) {
      const i = idx[from + r]!;
      mb.obs.set(this.obs.subarray(i * O, i * O + O), r * O);
      for (let k = 0; k < K; k++) mb.actions[r * K + k] = this.actions[i * K + k]!;
      for (let m = 0; m < M; m++) mb.masks[r * M + m] = this.masks[i * M + m]!;
      mb.logProbs[r] = this.logProbs[i]!;
      mb.values[r] = this.values[i]!;
      mb.advantages[r] = this.advantages[i]!;
      mb.returns[r] = this.returns[i]!;
    }
  }
}

/** A minibatch in update-ready form (float masks, int32 actions); views of its capacity. */
export class Minibatch {
  size = 0;
  obs: Float32Array;
  actions: Int32Array;
  masks: Float32Array;
  logProbs: Float32Array;
  values: Float32Array;
  advantages: Float32Array;
  returns: Float32Array;
  private readonly storage: {
    obs: Float32Array;
    actions: Int32Array;
    masks: Float32Array;
    logProbs: Float32Array;
    values: Float32Array;
    advantages: Float32Array;
    returns: Float32Array;
  };

  constructor(
    capacity: number,
    private readonly obsSize: number,
    private readonly actionDims: number,
    private readonly maskSize: number,
  ) {
    this.storage = {
      obs: new Float32Array(capacity * obsSize),
      actions: new Int32Array(capacity * actionDims),
      masks: new Float32Array(capacity * maskSize),
      logProbs: new Float32Array(capacity),
      values: new Float32Array(capacity),
      advantages: new Float32Array(capacity),
      returns: new Float32Array(capacity),
    };
    ({
      obs: this.obs,
      actions: this.actions,
      masks: this.masks,
      logProbs: this.logProbs,
      values: this.values,
      advantages: this.advantages,
      returns: this.returns,
    } = this.storage);
  }

  resize(n: number): void {
    const s = this.storage;
    if (n * this.obsSize > s.obs.length) throw new RangeError(`minibatch of ${n} exceeds its capacity`);
    this.size = n;
    this.obs = s.obs.subarray(0, n * this.obsSize);
    this.actions = s.actions.subarray(0, n * this.actionDims);
    this.masks = s.masks.subarray(0, n * this.maskSize);
    this.logProbs = s.logProbs.subarray(0, n);
    this.values = s.values.subarray(0, n);
    this.advantages = s.advantages.subarray(0, n);
    this.returns = s.returns.subarray(0, n);
  }

  /** Normalises the advantages to mean 0, std 1 (unbiased std + 1e-8, as CleanRL). */
  normalizeAdvantages(): void {
    const a = this.advantages;
    const n = a.length;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += a[i]!;
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (a[i]! - mean) ** 2;
    // torch.std is the unbiased estimate; a single sample has std NaN there, 0 here.
    const std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
    for (let i = 0; i < n; i++) a[i] = (a[i]! - mean) / (std + ADV_EPS);
  }
}

/** CleanRL's epsilon in the advantage normalisation. */
const ADV_EPS = 1e-8;

/** Explained variance of `values` as predictors of `returns` (1 perfect, <= 0 useless). */
export function explainedVariance(values: Float32Array, returns: Float32Array): number {
  const n = returns.length;
  let my = 0;
  for (let i = 0; i < n; i++) my += returns[i]!;
  my /= n;
  let vy = 0;
  let md = 0;
  for (let i = 0; i < n; i++) md += returns[i]! - values[i]!;
  md /= n;
  let vd = 0;
  for (let i = 0; i < n; i++) {
    vy += (returns[i]! - my) ** 2;
    vd += (returns[i]! - values[i]! - md) ** 2;
  }
  return vy === 0 ? Number.NaN : 1 - vd / vy;
}
