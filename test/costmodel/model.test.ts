import { describe, expect, it } from 'vitest';
import { CostModel } from '../../src/costmodel/model.js';
import type { ComputeLayer } from '../../src/workload/layer.js';

const res4: ComputeLayer = { kind: 'conv', K: 256, C: 256, Y: 14, X: 14, R: 3, S: 3 };
const core = (dataflow: string, pes = 2048, clusterSize = 64) => ({ dataflow, pes, clusterSize });

describe('cost model: hand-computed cases', () => {
  it('dla on a tiny layer: K over clusters, C over the PEs of a cluster', () => {
    // K=2 over N = 4/2 = 2 clusters (one filter each); C=3 in ceil(3/2) = 2 tiles of 2
    // channels (the partial tile costs a full step); Y' x X' = 2 x 2 output positions.
    // Each of the 1 x 2 x 2 x 2 = 8 steps costs R*S = 4 MAC cycles + 1 cycle for the inner
    // level's all-Init case; + 1 for the top level's all-Init case: 8 x 5 + 1 = 41.
    // L2 = 2 x (input 2 ch x 2 x 2 + weights 2 filters x 2 ch x 2 x 2 + 2 outputs) = 52.
    // L1 = 2 x (input 2x2 + weight 2x2 + output window 2x2) = 24.
    const m = new CostModel();
    const c = m.analyze({ kind: 'conv', K: 2, C: 3, Y: 3, X: 3, R: 2, S: 2 }, core('dla', 4, 2));
    expect([c.runtime, c.l2Bytes, c.l1Bytes]).toEqual([41, 52, 24]);
    expect(c.macs).toBe(2 * 3 * 2 * 2 * 4);
    expect(c.bandwidth).toBeCloseTo(52 / 2 / 40, 12);
    expect(c.utilization).toBeCloseTo(96 / (4 * 41), 12);
  });

  it("reproduces the spec's quick checks (MAESTRO outputs)", () => {
    const compat = new CostModel({ maestroCompat: true });
    const m = new CostModel();
    const dla = m.analyze(res4, core('dla'));
    expect([dla.runtime, dla.l2Bytes]).toEqual([46081, 38080]);
    expect(dla.bandwidth).toBeCloseTo(0.4132, 4);
    expect(m.analyze(res4, core('shi')).runtime).toBe(1_835_009);
    expect(compat.analyze(res4, core('eye')).runtime).toBe(2_621_441);
    const gemm: ComputeLayer = { kind: 'gemm', M: 20, N: 512, K: 128 };
    const g = m.analyze(gemm, core('dla'));
    expect([g.runtime, g.l2Bytes]).toEqual([1281, 4288]);
    for (const pes of [2048, 4096, 8192]) {
      const s = m.analyze(gemm, core('shi', pes));
      expect([s.runtime, s.l2Bytes]).toEqual([131073, 82]);
    }
    const dw: ComputeLayer = { kind: 'dwconv', C: 384, Y: 14, X: 14, R: 3, S: 3 };
    for (const df of ['dla', 'shi', 'eye']) {
      for (const pes of [2048, 4096, 8192]) {
        const d = m.analyze(dw, core(df, pes));
        expect(d.runtime).toBe(82945);
        expect(d.dataflow).toBe('dpt');
      }
    }
  });

  it('counts true MACs where MAESTRO undercounts, and keeps utilisation at most 1', () => {
    const m = new CostModel();
    const compat = new CostModel({ maestroCompat: true });
    // A layer with a 1-row output on shi: MAESTRO reports negative MACs here.
    const layer: ComputeLayer = { kind: 'conv', K: 64, C: 64, Y: 3, X: 3, R: 3, S: 3 };
    const c = compat.analyze(layer, core('shi', 256));
    expect(c.maestroMacs).toBeLessThan(0);
    expect(c.macs).toBe(64 * 64 * 9);
    expect(c.quirks).toContain('edge-tile');
    const d = m.analyze(layer, core('shi', 256));
    expect(d.maestroMacs).toBe(64 * 64 * 9);
    // eye: MAESTRO treats the second SpatialMap as free parallelism (utilisation above 1).
    const conv1: ComputeLayer = { kind: 'conv', K: 64, C: 3, Y: 224, X: 224, R: 7, S: 7 };
    expect(compat.analyze(conv1, core('eye', 256)).utilization).toBeGreaterThan(1);
    const fixed = m.analyze(conv1, core('eye', 256));
    expect(fixed.utilization).toBeLessThanOrEqual(1);
    expect(fixed.quirks).toEqual(['second-spatial-map']);
  });

  it('corrects the negative L2 of MAESTRO and refuses it in compatible mode', () => {
    const layer: ComputeLayer = { kind: 'conv', K: 512, C: 32, Y: 7, X: 28, R: 7, S: 7 };
    expect(() => new CostModel({ maestroCompat: true }).analyze(layer, core('shi', 256))).toThrow(
      /negative L2 size \(-166 bytes\).*default mode corrects this/,
    );
    const c = new CostModel().analyze(layer, core('shi', 256));
    expect(c.l2Bytes).toBeGreaterThan(0);
    const wide: ComputeLayer = { kind: 'conv', K: 8, C: 8, Y: 16, X: 65, R: 3, S: 3 }; // 64 <= X < 63 + S
    expect(new CostModel().analyze(wide, core('shi', 256)).l2Bytes).toBeGreaterThan(0);
  });

  it('rejects bad input with clear errors instead of numbers', () => {
    const m = new CostModel();
    expect(() => m.analyze({ kind: 'conv', K: 8, C: 8, Y: 2, X: 3, R: 3, S: 3 }, core('dla'))).toThrow(
      /filter rows R=3 exceed input rows Y=2/,
    );
    expect(() => m.analyze({ kind: 'conv', K: 8.5, C: 8, Y: 8, X: 8, R: 3, S: 3 }, core('dla'))).toThrow(
      /K must be a positive integer, got 8.5/,
    );
    expect(() => m.analyze(res4, core('tpu'))).toThrow(
      /unknown dataflow style "tpu"; known: dla, shi, eye, dpt/,
    );
    expect(() => m.analyze(res4, core('dla', 0))).toThrow(/PE count must be a positive integer, got 0/);
    expect(() => m.analyze(res4, core('dla', 32, 64))).toThrow(
      /Cluster sizes multiply to 64, more than the core's 32 PEs/,
    );
    expect(() => m.registerDataflow('bad', 'SpatialMap(1,1) K')).toThrow(/line 1, column 18/);
    expect(() => m.registerDataflow('dla', 'SpatialMap(1,1) K;')).toThrow(/built in/);
  });

  it('runs user dataflows, including output-centric and multi-level ones', () => {
    const m = new CostModel();
    // Output-stationary over K only: one level, each PE owns one filter.
    m.registerDataflow(
      'kos',
      'SpatialMap(1,1) K; TemporalMap(1,1) C; TemporalMap(Sz(R),1) Y; TemporalMap(Sz(S),1) X;',
    );
    const layer: ComputeLayer = { kind: 'conv', K: 16, C: 4, Y: 6, X: 6, R: 3, S: 3 };
    const c = m.analyze(layer, core('kos', 16, 1));
    // 16 filters on 16 PEs, one fold: C x Y' x X' = 4 x 4 x 4 steps of R*S = 9 MACs, + 1.
    expect(c.runtime).toBe(4 * 16 * 9 + 1);
    expect(c.utilization).toBeCloseTo(c.macs / (16 * c.runtime), 12);
    // The built-in shi written by hand with a constant instead of ClusterSz agrees with shi.
    m.registerDataflow(
      'shi8',
      `Constant W 8;
       TemporalMap(1,1) K; SpatialMap(Sz(R),Sz(R)) Y'; TemporalMap(W,W) X'; TemporalMap(1,1) C;
       TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;
       Cluster(W, P);
       TemporalMap(1,1) C; TemporalMap(1,1) Y'; SpatialMap(1,1) X'; TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;`,
    );
    const a = m.analyze(res4, core('shi8', 256, 8));
    const b = m.analyze(res4, core('shi', 256, 8));
    expect([a.runtime, a.l2Bytes, a.l1Bytes, a.energy]).toEqual([b.runtime, b.l2Bytes, b.l1Bytes, b.energy]);
  });
});

describe('cost model: huge layers', () => {
  it("wraps MAESTRO's 32-bit occurrence counts only in compatible mode", () => {
    // dla on 256 PEs (4 clusters): a case occurs 1023 x 63 x 221 x 221 > 2^31 times.
    const layer: ComputeLayer = { kind: 'conv', K: 4096, C: 4096, Y: 224, X: 224, R: 3, S: 3 };
    const exact = new CostModel().analyze(layer, core('dla', 256));
    expect(exact.runtime).toBe(1024 * 64 * 222 * 222 * 10 + 1);
    expect(exact.quirks).toEqual(['occurrence-overflow']);
    const wrapped = new CostModel({ maestroCompat: true }).engineResult(
      'dla',
      { type: 'CONV', ...layer },
      256,
      64,
    );
    expect(wrapped.runtime).not.toBe(exact.runtime);
  });
});
