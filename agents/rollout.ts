/**
 * Collects a rollout: numSteps steps of every env under the current policy into the
 * buffer, then its advantages and returns (steps 2 and 3 of the call-order map in ppo.ts).
 * Shared by PPO and A2C.
 *
 * A truncated episode (time limit, not a terminal state) is bootstrapped as in
 * Stable-Baselines3: its last reward gets + gamma x V(final observation), so cutting an
 * episode short does not teach the critic that the state was terminal.
 */
import type { Rng } from '../src/core/rng.js';
import type { RolloutBuffer } from './buffer.js';
import { sampleActions } from './distributions.js';
import type { ActorCritic } from './networks.js';
import type { AgentVecEnv, EpisodeRecord } from './vec-env.js';

export class RolloutCollector {
  private readonly truncatedObs: Float32Array;

  constructor(
    private readonly env: AgentVecEnv,
    private readonly net: ActorCritic,
    private readonly buffer: RolloutBuffer,
    /** Action sampling stream. */
    private rng: Rng,
  ) {
    if (buffer.numEnvs !== env.numEnvs || buffer.obsSize !== env.obsSize)
      throw new Error('rollout buffer does not match the environments');
    this.truncatedObs = new Float32Array(env.numEnvs * env.obsSize);
  }

  /** Replaces the action sampling stream (when a run is restored). */
  setRng(rng: Rng): void {
    this.rng = rng;
  }

  /**
   * Fills the buffer (the envs must have been reset); computes GAE with `gamma`, `lambda`.
   * Returns the episodes that ended during the rollout.
   */
  collect(gamma: number, lambda: number): EpisodeRecord[] {
    const { env, net, buffer } = this;
    const N = env.numEnvs;
    const O = env.obsSize;
    const K = env.layout.dims;
    const M = buffer.maskSize;
    if (env.masked && M === 0) throw new Error('the env reports action masks but the buffer stores none');
    const episodes: EpisodeRecord[] = [];
    for (let t = 0; t < buffer.numSteps; t++) {
      const base = t * N;
      buffer.obs.set(env.obs, base * O);
      if (M > 0) buffer.masks.set(env.masks, base * M);
      // 2a.
      const { logits, values } = net.predict(env.obs, N);
      buffer.values.set(values, base);
      // 2b.
      const actions = buffer.actions.subarray(base * K, (base + N) * K);
      sampleActions(
        env.layout,
        logits,
        env.masked ? env.masks : null,
        N,
        this.rng,
        false,
        actions,
        buffer.logProbs.subarray(base, base + N),
      );
      // 2c.
      for (const ep of env.step(actions)) episodes.push(ep);
      let truncated = 0;
      for (let e = 0; e < N; e++) {
        buffer.rewards[base + e] = env.rewards[e]!;
        const end = env.terminated[e]! | env.truncated[e]!;
        buffer.ends[base + e] = end;
        if (env.truncated[e] && !env.terminated[e]) {
          this.truncatedObs.set(env.finalObs.subarray(e * O, e * O + O), truncated * O);
          truncated++;
        }
      }
      if (truncated > 0) {
        const v = net.predictValues(this.truncatedObs.subarray(0, truncated * O), truncated);
        let k = 0;
        for (let e = 0; e < N; e++) {
          if (env.truncated[e] && !env.terminated[e]) buffer.rewards[base + e]! += gamma * v[k++]!;
        }
      }
    }
    // 3.
    buffer.computeGae(net.predictValues(env.obs, N), gamma, lambda);
    return episodes;
  }
}
