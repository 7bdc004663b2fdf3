// The closed forms (the flexible search's fast path) against the engine on random layers,
// PE counts and cluster sizes, in both modes: wherever a closed form is defined it must give
// the engine's runtime, L2 and L1 exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closedForm } from '../../src/costmodel/closed-forms.js';
import { CostModel } from '../../src/costmodel/model.js';
import { type ComputeLayer, toConvDims } from '../../src/workload/layer.js';

const filter = fc.constantFrom(1, 1, 3, 3, 5, 7);
const layerArb: fc.Arbitrary<ComputeLayer> = fc.oneof(
  fc
    .record({
      K: fc.integer({ min: 1, max: 600 }),
      C: fc.integer({ min: 1, max: 3000 }),
      R: filter,
      S: filter,
      dy: fc.integer({ min: 0, max: 130 }),
      dx: fc.integer({ min: 0, max: 130 }),
    })
    .map(({ K, C, R, S, dy, dx }) => ({ kind: 'conv' as const, K, C, Y: R + dy, X: S + dx, R, S })),
  fc
    .record({
      C: fc.integer({ min: 1, max: 3000 }),
      R: filter,
      S: filter,
      dy: fc.integer({ min: 0, max: 60 }),
      dx: fc.integer({ min: 0, max: 60 }),
    })
    .map(({ C, R, S, dy, dx }) => ({ kind: 'dwconv' as const, C, Y: R + dy, X: S + dx, R, S })),
  fc
    .record({
      M: fc.integer({ min: 1, max: 64 }),
      N: fc.integer({ min: 1, max: 4096 }),
      K: fc.integer({ min: 1, max: 4096 }),
    })
    .map((g) => ({ kind: 'gemm' as const, ...g })),
  fc
    .record({ out: fc.integer({ min: 1, max: 4096 }), in: fc.integer({ min: 1, max: 4096 }) })
    .map((f) => ({ kind: 'fc' as const, ...f })),
);

describe('closed forms agree with the engine', () => {
  for (const compat of [false, true]) {
    it(`${compat ? 'MAESTRO-compatible' : 'default'} mode`, () => {
      const model = new CostModel({ maestroCompat: compat });
      let covered = 0;
      fc.assert(
        fc.property(
          layerArb,
          fc.constantFrom('dla', 'shi'),
          fc.constantFrom(64, 256, 1000, 2048, 4096, 8192),
          fc.constantFrom(1, 2, 3, 8, 16, 64, 100, 128, 512),
          (layer, style, pes, csWanted) => {
            const cs = Math.min(pes, csWanted);
            const dataflow = model.dataflowFor(layer, style);
            const dims = toConvDims(layer);
            const f = closedForm(dataflow, dims, pes, cs);
            if (!f) return;
            covered++;
            const e = model.engineResult(dataflow, dims, pes, cs);
            expect({ runtime: f.runtime, l2: f.l2, l1: f.l1 }).toEqual({
              runtime: e.runtime,
              l2: e.l2,
              l1: e.l1,
            });
          },
        ),
        { numRuns: 1500, seed: compat ? 7 : 11 },
      );
      // The forms cover the great majority of layers.
      expect(covered).toBeGreaterThan(1200);
    });
  }
});
