// A user script against the gym's entry, as a user writes it: it must type-check
// (tsc runs over the tests) and run.
import { describe, expect, it } from 'vitest';
import { FlattenObservation, make, makeVec, NormalizeObservation, synthSource } from '../../envs/index.js';

describe('a user script against the package entry', () => {
  it('runs an episode with typed actions, masks and infos', () => {
    const env = make('m3e/Sequential-v0', {
      source: synthSource({ jobs: 30, cores: 4, bwRatio: [0.25, 4] }),
    });
    let { info } = env.reset({ seed: 42 });
    let ret = 0;
    for (;;) {
      const step = env.step(env.actionSpace.sample(info.actionMask));
      ret += step.reward;
      info = step.info;
      if (step.terminated || step.truncated) break;
    }
    expect(ret).toBeCloseTo(-info.ratio!, 12);
    expect(info.encoding!.core).toHaveLength(30);
  });

  it('composes wrappers and a vector env', () => {
    const env = new NormalizeObservation(
      new FlattenObservation(
        make('m3e/Encoding-v0', { source: synthSource({ jobs: 8, cores: 2, bwRatio: 1 }) }),
      ),
    );
    const obs: Float32Array = env.reset({ seed: 1 }).observation;
    expect(obs).toHaveLength(8 * 2 * 2);
    const vec = makeVec('m3e/Sequential-v0', 4, { source: synthSource({ jobs: 8, cores: 2, bwRatio: 1 }) });
    let { infos } = vec.reset({ seed: 0 });
    let finished = 0;
    for (let t = 0; t < 40; t++) {
      const r = vec.step(vec.sampleActions(infos));
      const batch: Float32Array = r.observations;
      expect(batch).toHaveLength(4 * vec.singleObservationSpace.shape![0]!);
      finished += r.terminations.reduce((a, b) => a + b, 0);
      infos = r.infos;
    }
    expect(finished).toBe(16); // 8-step episodes plus one autoreset step: 40 / 9 -> 4 each
  });
});
