import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeJobs, DETAIL_KEYS } from '../../src/analyzer/analyze.js';
import { candidateClusterSizes, chooseClusterSize } from '../../src/analyzer/flexible.js';
import { CostModel } from '../../src/costmodel/model.js';
import { DEFAULT_SG_BYTES, platformFromJson } from '../../src/platform/platform.js';
import { presetPlatform } from '../../src/platform/presets.js';
import type { Job } from '../../src/workload/layer.js';
import { parseMagmaCsv } from '../../src/workload/magma-csv.js';

const jobs: Job[] = [
  { name: 'conv', layer: { kind: 'conv', K: 256, C: 256, Y: 14, X: 14, R: 3, S: 3 }, model: 'resnet50' },
  { name: 'gemm', layer: { kind: 'gemm', M: 20, N: 512, K: 128 } },
  { name: 'dw', layer: { kind: 'dwconv', C: 384, Y: 14, X: 14, R: 3, S: 3 } },
  { name: 'fc', layer: { kind: 'fc', out: 1000, in: 2048 } },
];

describe('job analyzer', () => {
  it('fills every cell from the cost model, with details', () => {
    const platform = presetPlatform('S2');
    const t = analyzeJobs(jobs, platform, { systemBandwidth: 8 });
    expect([t.numJobs, t.numCores, t.systemBandwidth]).toEqual([4, 4, 8]);
    expect(Object.keys(t.details).sort()).toEqual([...DETAIL_KEYS].sort());
    const model = new CostModel();
    for (let j = 0; j < 4; j++) {
      for (let c = 0; c < 4; c++) {
        const core = platform.cores[c]!;
        const cost = model.analyze(jobs[j]!.layer, { dataflow: core.style, pes: core.pes, clusterSize: 64 });
        const i = j * 4 + c;
        expect([t.latency[i], t.bandwidth[i]]).toEqual([cost.runtime, cost.bandwidth]);
        expect([
          t.details.energy![i],
          t.details.macs![i],
          t.details.l2![i],
          t.details.l1![i],
          t.details.clusterSize![i],
        ]).toEqual([cost.energy, cost.macs, cost.l2Bytes, cost.l1Bytes, 64]);
      }
    }
    expect(t.latency[0]).toBe(46081); // res4_3x3 on dla 2048 (MAESTRO)
    expect(t.cores.map((c) => c.style)).toEqual(['dla', 'dla', 'dla', 'shi']);
    expect(t.jobs[0]).toEqual({
      name: 'conv',
      layer: 'conv K=256 C=256 Y=14 X=14 R=3 S=3',
      model: 'resnet50',
    });
  });

  it("reproduces MAESTRO's numbers for the authors' job list", () => {
    const list = parseMagmaCsv(
      readFileSync(new URL('../../models/data/magma/conv/insts0.csv', import.meta.url), 'utf8'),
      'conv/insts0.csv',
    );
    const t = analyzeJobs(list, presetPlatform('S2'), { systemBandwidth: 16 });
    // First rows of test/fixtures/maestro/jobs-conv.csv: job 0 on dla 2048 and shi 2048.
    expect(t.latency[0]).toBe(184321);
    expect(t.bandwidth[0]).toBeCloseTo(0.1032986111111111, 15);
    expect(t.latency[3]).toBe(7340033);
  });

  it('flexible cores pick the fastest cluster size whose L2 fits (checked by brute force on the engine)', () => {
    const platform = presetPlatform('S5');
    const t = analyzeJobs(jobs, platform, { systemBandwidth: 16, flexible: true });
    const model = new CostModel();
    for (let j = 0; j < jobs.length; j++) {
      for (let c = 0; c < platform.cores.length; c++) {
        const core = { ...platform.cores[c]!, flexible: true };
        let best = Number.POSITIVE_INFINITY;
        for (const cs of candidateClusterSizes(jobs[j]!.layer, core, true)) {
          const cost = model.analyze(jobs[j]!.layer, {
            dataflow: core.style,
            pes: core.pes,
            clusterSize: cs,
          });
          if (cost.l2Bytes <= DEFAULT_SG_BYTES) best = Math.min(best, cost.runtime);
        }
        const i = j * platform.cores.length + c;
        expect(t.latency[i], `job ${j} core ${c}`).toBe(best);
        const chosen = model.analyze(jobs[j]!.layer, {
          dataflow: core.style,
          pes: core.pes,
          clusterSize: t.details.clusterSize![i]!,
        });
        expect(chosen.runtime).toBe(best);
        expect(t.latency[i]).toBeLessThanOrEqual(
          analyzeJobs([jobs[j]!], platform, { systemBandwidth: 16 }).latency[c]!,
        );
      }
    }
    expect(t.cores.every((c) => c.flexible === true)).toBe(true);
  });

  it('candidates follow the authors: divisors of C for dla, 2..X-S+1 for shi, none for eye', () => {
    const dla = { name: 'd', style: 'dla', pes: 256, clusterSize: 64, flexible: true };
    expect(candidateClusterSizes({ kind: 'conv', K: 8, C: 12, Y: 9, X: 9, R: 3, S: 3 }, dla, true)).toEqual([
      1, 2, 3, 4, 6, 12, 64,
    ]);
    // GEMM (M, N, K) is CONV with C = K.
    expect(candidateClusterSizes({ kind: 'gemm', M: 20, N: 7, K: 6 }, dla, true)).toEqual([1, 2, 3, 6, 64]);
    const shi = { ...dla, style: 'shi' };
    expect(candidateClusterSizes({ kind: 'conv', K: 8, C: 12, Y: 9, X: 9, R: 3, S: 3 }, shi, true)).toEqual([
      2, 3, 4, 5, 6, 7, 64,
    ]);
    expect(candidateClusterSizes({ kind: 'fc', out: 8, in: 12 }, shi, true)).toEqual([64]);
    expect(
      candidateClusterSizes(
        { kind: 'conv', K: 8, C: 12, Y: 9, X: 9, R: 3, S: 3 },
        { ...dla, style: 'eye' },
        true,
      ),
    ).toEqual([64]);
  });

  it('refuses cells that do not fit the scratchpads', () => {
    const p = platformFromJson({ cores: [{ style: 'dla', pes: 2048, sgBytes: 1000 }] }, 'small.json', [
      'dla',
      'shi',
      'eye',
    ]);
    expect(() => analyzeJobs(jobs, p, { systemBandwidth: 8 })).toThrow(
      /job 0 \(conv: conv K=256 C=256 Y=14 X=14 R=3 S=3\) on core 0 \(c0-dla2048\): needs 38080 bytes of L2, more than the core's sgBytes 1000/,
    );
    expect(() => analyzeJobs(jobs, p, { systemBandwidth: 8, flexible: true })).toThrow(
      /no cluster size fits the global scratchpad of 1000 bytes \(smallest L2 need \d+ bytes\)/,
    );
    const sl = platformFromJson({ cores: [{ style: 'dla', pes: 2048, slBytes: 10 }] }, 'sl.json', [
      'dla',
      'shi',
      'eye',
    ]);
    expect(() => analyzeJobs(jobs, sl, { systemBandwidth: 8 })).toThrow(
      /needs 54 bytes of L1, more than the core's slBytes 10/,
    );
  });

  it('needs a system bandwidth and known styles', () => {
    const p = platformFromJson({ cores: [{ style: 'dla', pes: 64 }] }, 'p.json', ['dla', 'shi', 'eye']);
    expect(() => analyzeJobs(jobs, p)).toThrow(/platform p.json sets no systemBandwidth: pass one \(--bw\)/);
    expect(analyzeJobs(jobs, { ...p, systemBandwidth: 4 }).systemBandwidth).toBe(4);
    expect(() => analyzeJobs([], p, { systemBandwidth: 4 })).toThrow(/no jobs/);
  });

  it('uses dataflows defined by the platform, also for flexible cores', () => {
    const p = platformFromJson(
      {
        cores: [{ style: 'kos', pes: 64, clusterSize: 4, flexible: true }],
        dataflows: {
          kos: 'SpatialMap(1,1) K; TemporalMap(1,1) C; Cluster(ClusterSz, P); SpatialMap(1,1) C;',
        },
        systemBandwidth: 2,
      },
      'custom.json',
      ['dla', 'shi', 'eye'],
    );
    const t = analyzeJobs(jobs.slice(0, 2), p);
    expect(t.latency.every((v) => v > 1)).toBe(true);
    // Every divisor of 64 was a candidate; the choice is the fastest.
    const model = new CostModel();
    model.registerDataflow('kos', p.dataflows.kos!);
    const choice = chooseClusterSize(model, jobs[0]!.layer, p.cores[0]!, DEFAULT_SG_BYTES, true);
    expect(choice.tried).toBe(7);
    expect(t.latency[0]).toBe(choice.cost.runtime);
  });
});

describe('flexible search in MAESTRO-compatible mode', () => {
  it('skips candidates MAESTRO cannot cost and reports when none is left', () => {
    const shi = { name: 's', style: 'shi', pes: 256, clusterSize: 64, flexible: true };
    const compat = new CostModel({ maestroCompat: true });
    // 64 <= X < 63 + S: the core's own cluster size gives MAESTRO a negative L2.
    const layer = { kind: 'conv' as const, K: 8, C: 8, Y: 16, X: 64, R: 3, S: 3 };
    expect(() => compat.analyze(layer, { dataflow: 'shi', pes: 256, clusterSize: 64 })).toThrow(
      /negative L2/,
    );
    const choice = chooseClusterSize(compat, layer, shi, DEFAULT_SG_BYTES, true);
    expect(choice.clusterSize).not.toBe(64);
    expect(choice.cost.l2Bytes).toBeGreaterThan(0);
    // X' = 1 leaves only the core's own size, which MAESTRO cannot cost: the error surfaces.
    const narrow = { kind: 'conv' as const, K: 8, C: 8, Y: 16, X: 64, R: 3, S: 64 };
    expect(candidateClusterSizes(narrow, shi, true)).toEqual([64]);
    expect(() => chooseClusterSize(compat, narrow, shi, DEFAULT_SG_BYTES, true)).toThrow(
      /^cluster size 64: MAESTRO's model gives a negative L2/,
    );
  });
});
