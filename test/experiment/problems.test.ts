import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCell } from '../../app/experiment/cell.js';
import { defaultJobLabels, resolveProblem } from '../../app/experiment/problems.js';
import { makeTable } from '../../src/core/table.js';
import { tempDir } from '../helpers/cli.js';

const matrix = (rows: number[][]) => rows;

describe('defaultJobLabels', () => {
  const base = {
    systemBandwidth: 4,
    latency: matrix([
      [1, 1],
      [1, 1],
      [1, 1],
    ]),
    // Mean W per job: 0.5, 2, 5 against a fair share B / C = 2.
    bandwidth: matrix([
      [0.5, 0.5],
      [1, 3],
      [5, 5],
    ]),
  };

  it('classes jobs by bandwidth demand when the table knows nothing else', () => {
    const l = defaultJobLabels(makeTable(base));
    expect(l.kind).toBe('bandwidth demand');
    expect(l.values).toEqual(['light (W < B/2C)', 'medium', 'heavy (W > 2B/C)']);
    expect(l.order).toEqual(['light (W < B/2C)', 'medium', 'heavy (W > 2B/C)']);
  });

  it('uses the network, else the layer kind', () => {
    const jobs = [
      { name: 'a', model: 'resnet', kind: 'conv' },
      { name: 'b', model: 'bert', kind: 'gemm' },
      { name: 'c', model: 'resnet', layer: { kind: 'dwconv' } },
    ];
    expect(defaultJobLabels(makeTable({ ...base, jobs }))).toEqual({
      kind: 'model',
      values: ['resnet', 'bert', 'resnet'],
    });
    const noModel = jobs.map(({ model: _m, ...j }) => j);
    expect(defaultJobLabels(makeTable({ ...base, jobs: noModel }))).toEqual({
      kind: 'layer type',
      values: ['conv', 'gemm', 'dwconv'],
    });
  });

  it('falls back from networks to layer kinds when there are more networks than colours', () => {
    const J = 14;
    const t = makeTable({
      systemBandwidth: 1,
      latency: Array.from({ length: J }, () => [1]),
      bandwidth: Array.from({ length: J }, () => [1]),
      jobs: Array.from({ length: J }, (_, j) => ({
        name: `j${j}`,
        model: `net${j}`,
        kind: j % 2 ? 'fc' : 'conv',
      })),
    });
    expect(defaultJobLabels(t).kind).toBe('layer type');
  });
});

describe('resolveProblem', () => {
  it('reads a table file, overrides its bandwidth, and sums its MACs for throughput', async () => {
    const dir = tempDir();
    const path = join(dir, 't.json');
    writeFileSync(
      path,
      JSON.stringify({
        systemBandwidth: 4,
        latency: [
          [10, 20],
          [30, 40],
        ],
        bandwidth: [
          [1, 1],
          [1, 1],
        ],
        details: {
          macs: [
            [100, 100],
            [250, 250],
          ],
        },
      }),
    );
    const p = resolveProblem({ id: 't', setting: 't', ref: { table: path, bw: 8 } });
    expect(p.table.systemBandwidth).toBe(8);
    expect(p.totalMacs).toBe(350);
    expect(p.source).toBe(`${path} at B=8`);
    const line = await runCell({
      problem: { id: 't', setting: 't', ref: { table: path } },
      mapper: { kind: 'optimizer', id: 'random', optimizer: 'random', params: {} },
      seed: 1,
      budget: 20,
    });
    expect(line.status).toBe('ok');
    if (line.status === 'ok') expect(line.macsPerCycle).toBeCloseTo(350 / line.makespan, 12);
  });

  it('builds synthetic problems with their lower bound and a description', () => {
    const p = resolveProblem({
      id: 's',
      setting: 's',
      ref: { synth: { jobs: 6, cores: 2, bwRatio: 1, seed: 1 } },
    });
    expect(p.table.numJobs).toBe(6);
    expect(p.lowerBound).toBeGreaterThan(0);
    expect(p.source).toBe('synth(jobs=6, cores=2, bwRatio=1, seed=1)');
    expect(p.totalMacs).toBeUndefined();
  });
});
