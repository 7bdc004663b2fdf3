import { describe, expect, it } from 'vitest';
import { ResetNeededError } from '../../envs/core.js';
import { synthSource } from '../../envs/m3e/problem-source.js';
import { make, makeVec } from '../../envs/registry.js';
import { SyncVectorEnv } from '../../envs/vector.js';
import { synthTable } from '../../src/core/synth.js';

const source = synthSource({ jobs: 3, cores: 2, bwRatio: [0.5, 2] });
const single = () => make('m3e/Sequential-v0', { source, window: 2 });

describe('SyncVectorEnv', () => {
  it('seeds env i with seed + i (or its own seed), and 0, 1, ... on a first unseeded reset', () => {
    const vec = new SyncVectorEnv([single, single, single]);
    expect(String(vec.observationSpace)).toBe(
      `Box(0, 1, (3, ${single().observationSpace.shape![0]}), float32)`,
    );
    const r = vec.reset({ seed: 10 });
    const size = single().observationSpace.shape![0]!;
    for (let i = 0; i < 3; i++)
      expect(Array.from(r.observations.slice(i * size, (i + 1) * size))).toEqual(
        Array.from(single().reset({ seed: 10 + i }).observation),
      );
    expect(vec.observationSpace.contains(r.observations)).toBe(true);
    const own = vec.reset({ seed: [7, undefined, 3] });
    expect(Array.from(own.observations.slice(0, size))).toEqual(
      Array.from(single().reset({ seed: 7 }).observation),
    );
    const fresh = new SyncVectorEnv([single, single]).reset();
    expect(Array.from(fresh.observations.slice(size))).toEqual(
      Array.from(single().reset({ seed: 1 }).observation),
    );
    expect(() => vec.reset({ seed: [1, 2] })).toThrow(/3 seeds/);
  });

  it('autoresets on the next step (Gymnasium 1.x default), exactly as n single envs would', () => {
    const vec = new SyncVectorEnv([single, single]);
    const twins = [single(), single()];
    let { infos } = vec.reset({ seed: 4 });
    for (const [i, e] of twins.entries()) e.reset({ seed: 4 + i });
    const ended = [false, false];
    for (let t = 0; t < 9; t++) {
      const actions = vec.sampleActions(infos);
      const r = vec.step(actions);
      for (let i = 0; i < twins.length; i++) {
        const e = twins[i]!;
        if (ended[i]) {
          // Reset instead of step: reset observation, reward 0, no flags, the action ignored.
          const rr = e.reset();
          expect(Array.from(r.observations.slice(i * 15, i * 15 + 15))).toEqual(Array.from(rr.observation));
          expect([r.rewards[i], r.terminations[i], r.truncations[i]]).toEqual([0, 0, 0]);
          ended[i] = false;
          continue;
        }
        const s = e.step(actions[i] as Int32Array);
        expect(Array.from(r.observations.slice(i * 15, i * 15 + 15))).toEqual(Array.from(s.observation));
        expect(r.rewards[i]).toBe(s.reward);
        expect(r.terminations[i]).toBe(s.terminated ? 1 : 0);
        ended[i] = s.terminated;
      }
      infos = r.infos;
    }
  });

  it('in same-step mode, resets within the ending step and keeps the final observation and info', () => {
    const vec = new SyncVectorEnv([single], { autoresetMode: 'same-step' });
    const twin = single();
    let { infos } = vec.reset({ seed: 2 });
    twin.reset({ seed: 2 });
    for (let t = 0; t < 3; t++) {
      const actions = vec.sampleActions(infos);
      const r = vec.step(actions);
      const s = twin.step(actions[0] as Int32Array);
      infos = r.infos;
      if (t < 2) continue;
      expect(r.terminations[0]).toBe(1);
      expect(r.rewards[0]).toBe(s.reward);
      const info = r.infos[0] as Record<string, unknown>;
      expect(Array.from(info.finalObservation as Float32Array)).toEqual(Array.from(s.observation));
      expect((info.finalInfo as Record<string, unknown>).makespan).toBe(s.info.makespan);
      expect(Array.from(r.observations)).toEqual(Array.from(twin.reset().observation));
    }
  });

  it('refuses misuse with clear errors', () => {
    const vec = makeVec('m3e/Sequential-v0', 2, {
      table: synthTable({ jobs: 4, cores: 2, bwRatio: 1, seed: 1 }),
    });
    expect(() => vec.step([[0, 0] as never, [0, 0] as never])).toThrow(ResetNeededError);
    vec.reset();
    expect(() => vec.step([[0, 0] as never])).toThrow(/array of 2 actions/);
    expect(() => vec.step([[0, 0] as never, [0, 9] as never])).toThrow(
      /action\[1\] must be an integer in \[0, 1\], got 9/,
    );
    expect(() => new SyncVectorEnv([single, () => make('m3e/Sequential-v0', { source, window: 3 })])).toThrow(
      /env 1 has spaces/,
    );
    expect(() => new SyncVectorEnv([])).toThrow(/at least one env/);
    expect(vec.render()).toMatch(/--- env 1 ---/);
  });
});
