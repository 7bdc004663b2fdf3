import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lowerBound } from '../../src/core/bounds.js';
import { evaluate } from '../../src/core/evaluator.js';
import { tableFromJson } from '../../src/core/table.js';
import { readJsonFile } from '../../src/io/files.js';
import { runCli, tempDir } from '../helpers/cli.js';

describe('m3e table synth / search / evaluate', () => {
  const dir = tempDir();
  const tablePath = join(dir, 't.json');

  it('writes a deterministic synthetic table', async () => {
    const a = await runCli(
      'table',
      'synth',
      '--jobs',
      '20',
      '--cores',
      '3',
      '--bw-ratio',
      '0.5',
      '--seed',
      '4',
      '--out',
      tablePath,
      '--json',
    );
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout)).toMatchObject({ jobs: 20, cores: 3 });
    const b = await runCli(
      'table',
      'synth',
      '--jobs',
      '20',
      '--cores',
      '3',
      '--bw-ratio',
      '0.5',
      '--seed',
      '4',
    );
    expect(JSON.parse(b.stdout)).toEqual(readJsonFile(tablePath));
  });

  it('searches, writes the result, and the result re-evaluates to the same makespan', async () => {
    const out = join(dir, 'r.json');
    const r = await runCli(
      'search',
      '--table',
      tablePath,
      '--optimizer',
      'magma',
      '--budget',
      '600',
      '--seed',
      '2',
      '--out',
      out,
      '--json',
    );
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res).toMatchObject({ optimizer: 'magma', evaluations: 600 });
    for (const key of ['makespan', 'lowerBound', 'seconds', 'mapping', 'history'])
      expect(res).toHaveProperty(key);
    expect(readJsonFile(out)).toEqual(res);
    const table = tableFromJson(readJsonFile(tablePath));
    expect(res.lowerBound).toBeCloseTo(lowerBound(table), 9);
    const again = evaluate(table, {
      core: Int32Array.from(res.mapping.core),
      priority: Float64Array.from(res.mapping.priority),
    });
    expect(again.makespan).toBe(res.makespan);
    const ev = await runCli('evaluate', '--table', tablePath, '--mapping', out, '--json');
    expect(ev.code).toBe(0);
    const e = JSON.parse(ev.stdout);
    expect(e.makespan).toBe(res.makespan);
    expect(e.coreFinish).toHaveLength(3);
    for (const key of ['lowerBound', 'bandwidthUtilization', 'coreUtilization'])
      expect(e).toHaveProperty(key);
  });

  it('passes hyper-parameters through --param and validates them', async () => {
    const ok = await runCli(
      'search',
      '--table',
      tablePath,
      '--budget',
      '100',
      '--param',
      'mutationRate=0.1',
      '--json',
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).params).toEqual({ mutationRate: 0.1 });
    const bad = await runCli('search', '--table', tablePath, '--param', 'mutationRate=lots');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/mutationRate must be a number, got "lots"/);
  });

  it('lists optimizers with their hyper-parameters', async () => {
    const r = await runCli('optimizers', '--json');
    const list = JSON.parse(r.stdout);
    expect(list.map((o: { name: string }) => o.name)).toEqual(
      expect.arrayContaining(['magma', 'ga', 'random']),
    );
    expect(
      list.find((o: { name: string }) => o.name === 'magma').params.map((p: { name: string }) => p.name),
    ).toContain('mutationRate');
  });

  it.each([
    [['search', '--table', '/no/such/file.json'], /job table not found: \/no\/such\/file.json/],
    [['search', '--budget', '0'], /--budget must be >= 1, got 0/],
    [['search', '--optimizer', 'nope'], /unknown optimizer "nope"/],
    [['evaluate', '--mapping', '/no/such/m.json'], /mapping not found/],
    [['search', '--bogus'], /unknown option '--bogus'/],
  ])('bad input %j gives one line on stderr and exit 2', async (argv, msg) => {
    const r = await runCli(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('rejects malformed JSON and wrong shapes with one clear line', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"latency": [[1, 2]], ');
    const a = await runCli('search', '--table', bad);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/is not valid JSON/);
    writeFileSync(bad, JSON.stringify({ systemBandwidth: 1, latency: [[1, 2]], bandwidth: [[1, 'x']] }));
    const b = await runCli('search', '--table', bad);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/bandwidth/);
    const m = join(dir, 'm.json');
    writeFileSync(m, JSON.stringify({ core: [0, 1, 5], priority: [0, 0, 0] }));
    const c = await runCli('evaluate', '--table', tablePath, '--mapping', m);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/mapping.core has 3 entries, expected 20/);
  });
});
