/** Uniform random search over the design view (log-uniform where declared). */
import type { Sampler } from './sampler.js';

export function randomSampler(): Sampler {
  return {
    name: 'random',
    config: {},
    sample(space, _history, ctx) {
      const u = Float64Array.from({ length: space.designDims }, () => ctx.rng.float());
      return { params: space.fromDesign(u), attrs: { phase: 'random' } };
    },
  };
}
