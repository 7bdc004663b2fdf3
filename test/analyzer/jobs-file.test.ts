import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobsFromJson, readJobsFile } from '../../src/workload/jobs-file.js';

const err = (data: unknown) => {
  try {
    jobsFromJson(data, 'w.json');
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('jobs files', () => {
  it('reads the JSON format', () => {
    const jobs = jobsFromJson({
      name: 'demo',
      jobs: [
        { name: 'a', layer: { kind: 'conv', K: 8, C: 8, Y: 8, X: 8, R: 3, S: 3 }, model: 'net' },
        { name: 'b', layer: { kind: 'fc', out: 10, in: 20 } },
      ],
    });
    expect(jobs).toEqual([
      { name: 'a', layer: { kind: 'conv', K: 8, C: 8, Y: 8, X: 8, R: 3, S: 3 }, model: 'net' },
      { name: 'b', layer: { kind: 'fc', out: 10, in: 20 } },
    ]);
  });

  it('names the job and field of every error', () => {
    expect(err([])).toBe('w.json: expected an object {"jobs": [...]}, got []');
    expect(err({ job: [] })).toBe(
      'w.json: unknown field "job" (expected jobs, and optionally name, description)',
    );
    expect(err({ jobs: [] })).toBe('w.json: jobs is empty');
    expect(err({ jobs: [{ name: '', layer: {} }] })).toBe(
      'w.json: jobs[0].name must be a non-empty string, got ""',
    );
    expect(err({ jobs: [{ name: 'a', layer: { kind: 'conv', K: 8, C: 8, Y: 8, X: 8, R: 3, S: 0 } }] })).toBe(
      'w.json: jobs[0].layer: S must be a positive integer, got 0',
    );
    expect(err({ jobs: [{ name: 'a', layer: { kind: 'conv', K: 8, C: 8, Y: 2, X: 8, R: 3, S: 3 } }] })).toBe(
      'w.json: jobs[0].layer: filter rows R=3 exceed input rows Y=2',
    );
    expect(err({ jobs: [{ name: 'a', layer: { kind: 'pool' } }] })).toMatch(
      /^w.json: jobs\[0\].layer: kind must be one of conv, dwconv, gemm, fc, got "pool"/,
    );
    expect(err({ jobs: [{ name: 'a', layer: { kind: 'fc', out: 1, in: 1 }, modle: 'x' }] })).toBe(
      'w.json: jobs[0]: unknown field "modle" (expected name, layer, model)',
    );
    const dup = { name: 'a', layer: { kind: 'fc', out: 1, in: 1 } };
    expect(err({ jobs: [dup, dup] })).toBe('w.json: jobs[1].name "a" is used by an earlier job');
  });

  it("reads both formats from files, the authors' CSV included", () => {
    const dir = mkdtempSync(join(tmpdir(), 'm3e-jobs-'));
    const csv = join(dir, 'insts.csv');
    writeFileSync(csv, '1,1,64,64,56,56,3,3,1\n1,1,20,512,128,1,1,1,3\n');
    expect(readJobsFile(csv).map((j) => j.layer.kind)).toEqual(['conv', 'gemm']);
    const json = join(dir, 'w.json');
    writeFileSync(
      json,
      JSON.stringify({ jobs: [{ name: 'x', layer: { kind: 'dwconv', C: 8, Y: 8, X: 8, R: 3, S: 3 } }] }),
    );
    expect(readJobsFile(json)[0]!.name).toBe('x');
    writeFileSync(json, '{"jobs": [');
    expect(() => readJobsFile(json)).toThrow(/is not valid JSON/);
    writeFileSync(csv, '1,1,64,64,56,56,3,3,9\n');
    expect(() => readJobsFile(csv)).toThrow(
      /line 1: layer type T must be 0 \(FC\), 1 \(CONV\), 2 \(DSCONV\) or 3 \(GEMM\), got 9/,
    );
  });
});
