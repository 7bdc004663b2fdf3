// Sanity properties of the corrected (default) model on random layers: positive sizes, a
// runtime no shorter than the MACs spread over every PE (utilisation <= 1), and the same
// numbers for a layer however it is written (GEMM vs the equivalent CONV).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CostModel } from '../../src/costmodel/model.js';
import type { ComputeLayer } from '../../src/workload/layer.js';

const filter = fc.constantFrom(1, 2, 3, 5, 7);
const conv = fc
  .record({
    K: fc.integer({ min: 1, max: 300 }),
    C: fc.integer({ min: 1, max: 300 }),
    R: filter,
    S: filter,
    dy: fc.integer({ min: 0, max: 80 }),
    dx: fc.integer({ min: 0, max: 80 }),
  })
  .map(({ K, C, R, S, dy, dx }): ComputeLayer => ({ kind: 'conv', K, C, Y: R + dy, X: S + dx, R, S }));
const dw = fc
  .record({
    C: fc.integer({ min: 1, max: 600 }),
    R: filter,
    S: filter,
    dy: fc.integer({ min: 0, max: 40 }),
    dx: fc.integer({ min: 0, max: 40 }),
  })
  .map(({ C, R, S, dy, dx }): ComputeLayer => ({ kind: 'dwconv', C, Y: R + dy, X: S + dx, R, S }));

// A three-level dataflow (NVDLA-like with an explicit PE-row level) to exercise deep nesting.
const THREE_LEVELS = `
  TemporalMap(16,16) C; TemporalMap(16,16) K; TemporalMap(Sz(R),1) Y; SpatialMap(Sz(S),1) X;
  TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;
  Cluster(16, P);
  SpatialMap(1,1) K; TemporalMap(16,16) C;
  Cluster(4, P);
  SpatialMap(1,1) C;`;

describe('model properties (default mode)', () => {
  const model = new CostModel();
  model.registerDataflow('three', THREE_LEVELS);
  it('sizes are positive and utilisation is at most 1, for every style', () => {
    fc.assert(
      fc.property(
        fc.oneof(conv, conv, dw),
        fc.constantFrom('dla', 'shi', 'eye', 'three'),
        fc.constantFrom(64, 128, 256, 1024, 2048),
        fc.constantFrom(1, 4, 16, 64),
        (layer, style, pes, cs) => {
          const c = model.analyze(layer, { dataflow: style, pes, clusterSize: Math.min(cs, pes) });
          expect(c.runtime).toBeGreaterThan(1);
          expect(c.l2Bytes).toBeGreaterThan(0);
          expect(c.l1Bytes).toBeGreaterThan(0);
          expect(c.energy).toBeGreaterThan(0);
          expect(c.bandwidth).toBeGreaterThanOrEqual(0);
          expect(c.utilization).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 600, seed: 3 },
    );
  });

  it('a GEMM costs the same as the CONV it is converted to', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.constantFrom('dla', 'shi', 'eye'),
        (M, N, K, style) => {
          const core = { dataflow: style, pes: 2048, clusterSize: 64 };
          const g = model.analyze({ kind: 'gemm', M, N, K }, core);
          const c = model.analyze({ kind: 'conv', K: N, C: K, Y: M, X: 1, R: 1, S: 1 }, core);
          expect([g.runtime, g.l2Bytes, g.energy, g.macs]).toEqual([c.runtime, c.l2Bytes, c.energy, c.macs]);
        },
      ),
      { numRuns: 100, seed: 5 },
    );
  });
});
