// The analyzer's CLI: `m3e analyze`, `m3e platforms`, and the --jobs/--platform/--bw problem
// options that search and evaluate share (loadProblem).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProblem } from '../../app/cli/problem.js';
import { tableFromJson } from '../../src/core/table.js';
import { runCliArgs } from '../helpers/cli.js';

const MIX = fileURLToPath(new URL('../../models/data/magma/mix/insts0.csv', import.meta.url));

const cli = (...argv: string[]) => runCliArgs(argv);

describe('m3e analyze / platforms', () => {
  it('lists the presets', async () => {
    const r = await cli('platforms', '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as { name: string; totalPes: number }[];
    expect(list.find((p) => p.name === 'S6')!.totalPes).toBe(98304);
    const text = await cli('platforms');
    expect(text.out).toMatch(/S2 {7}3 x dla2048 \+ 1 x shi2048/);
  });

  it("analyses the authors' Mix group on S6 and writes a table", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'm3e-analyze-'));
    const out = join(dir, 'T.json');
    const r = await cli('analyze', '--jobs', MIX, '--platform', 'S6', '--bw', '16', '--out', out, '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect([summary.jobs, summary.cores, summary.cells]).toEqual([100, 16, 1600]);
    const table = tableFromJson(JSON.parse(readFileSync(out, 'utf8')));
    expect([table.numJobs, table.numCores, table.systemBandwidth]).toEqual([100, 16, 16]);
    expect(Object.keys(table.details)).toContain('energy');
    // Same core configuration -> same column.
    expect(table.latency[0]).toBe(table.latency[1]);
    const flex = await cli(
      'analyze',
      '--jobs',
      MIX,
      '--platform',
      'S6',
      '--bw',
      '16',
      '--flexible',
      '--out',
      out,
    );
    expect(flex.code).toBe(0);
    expect(flex.out).toMatch(
      /analysed 100 jobs x 16 cores \(1600 cells\) in [\d.]+ ms: .* on S6 at 16 B\/cycle, flexible/,
    );
    const ft = tableFromJson(JSON.parse(readFileSync(out, 'utf8')));
    for (let i = 0; i < 1600; i++) expect(ft.latency[i]).toBeLessThanOrEqual(table.latency[i]!);
  });

  it('prints the table without --out and reports bad input on one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'm3e-analyze-'));
    const jobs = join(dir, 'w.json');
    writeFileSync(jobs, JSON.stringify({ jobs: [{ name: 'fc', kind: 'fc', out: 10, in: 20 }] }));
    const ok = await cli('analyze', '--jobs', jobs, '--platform', 'S1', '--bw', '4');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).latency).toHaveLength(1);
    const noBw = await cli('analyze', '--jobs', jobs, '--platform', 'S1');
    expect([noBw.code, noBw.err]).toEqual([2, 'm3e: platform S1 sets no systemBandwidth: pass --bw\n']);
    const badBw = await cli('analyze', '--jobs', jobs, '--platform', 'S1', '--bw', '0');
    expect([badBw.code, badBw.err]).toEqual([2, 'm3e: --bw must be > 0, got 0\n']);
    const badPlatform = await cli('analyze', '--jobs', jobs, '--platform', 'S9', '--bw', '4');
    expect(badPlatform.code).toBe(2);
    expect(badPlatform.err).toMatch(/^m3e: --platform S9: neither a preset/);
    writeFileSync(
      jobs,
      JSON.stringify({ jobs: [{ name: 'c', kind: 'conv', K: 1, C: 1, Y: 2, X: 2, R: 3, S: 3 }] }),
    );
    const bad = await cli('analyze', '--jobs', jobs, '--platform', 'S1', '--bw', '4');
    expect([bad.code, bad.err]).toEqual([
      2,
      `m3e: ${jobs}: jobs[0]: filter rows R=3 exceed input rows Y=2\n`,
    ]);
  });
});

describe('m3e cost', () => {
  it('costs one layer on one core, with the quirks it corrects', async () => {
    const r = await cli('cost', '--layer', 'conv K=256 C=256 Y=14 X=14 R=3 S=3', '--json');
    expect(r.code).toBe(0);
    const c = JSON.parse(r.out);
    expect([c.runtime, c.l2Bytes, c.l1Bytes, c.dataflow]).toEqual([46081, 38080, 54, 'dla']);
    const eye = await cli(
      'cost',
      '--layer',
      'conv K=64 C=3 Y=224 X=224 R=7 S=7',
      '--style',
      'eye',
      '--pes',
      '256',
    );
    expect(eye.out).toMatch(/quirks {7}second-spatial-map \(corrected\)/);
    const compat = await cli(
      'cost',
      '--layer',
      'conv K=64 C=3 Y=224 X=224 R=7 S=7',
      '--style',
      'eye',
      '--pes',
      '256',
      '--maestro-compat',
    );
    expect(compat.out).toMatch(/runtime {6}307201 cycles/);
  });

  it('runs a dataflow file and rejects bad layers and dataflows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'm3e-cost-'));
    const file = join(dir, 'kos.m');
    writeFileSync(file, 'SpatialMap(1,1) K;\nTemporalMap(1,1) C;\n');
    const r = await cli(
      'cost',
      '--layer',
      'conv K=16 C=4 Y=6 X=6 R=3 S=3',
      '--style',
      'kos',
      '--dataflow-file',
      file,
      '--pes',
      '16',
      '--json',
    );
    expect(JSON.parse(r.out).runtime).toBe(4 * 16 * 9 + 1);
    writeFileSync(file, 'SpatialMap(1,1) K;\nTemporalMap(1 1) C;\n');
    const bad = await cli(
      'cost',
      '--layer',
      'conv K=16 C=4 Y=6 X=6 R=3 S=3',
      '--style',
      'kos',
      '--dataflow-file',
      file,
    );
    expect([bad.code, bad.err]).toEqual([
      2,
      'm3e: dataflow "kos" line 2, column 15: expected "," between map size and offset, got "1"\n',
    ]);
    const layer = await cli('cost', '--layer', 'conv K=16 C=4 Y=6 X=6 R=3');
    expect([layer.code, layer.err]).toEqual([
      2,
      'm3e: --layer: S must be a positive integer, got undefined\n',
    ]);
    const pes = await cli('cost', '--layer', 'fc out=10 in=20', '--pes', '0');
    expect([pes.code, pes.err]).toEqual([2, 'm3e: --pes must be >= 1, got 0\n']);
    const big = await cli('cost', '--layer', 'fc out=10 in=20', '--pes', '32');
    expect([big.code, big.err]).toEqual([
      2,
      'm3e: dataflow "dla": its Cluster sizes multiply to 64, more than the core\'s 32 PEs\n',
    ]);
  });
});

describe('problem options shared by search and evaluate', () => {
  it('builds the table on the fly from --jobs/--platform/--bw', () => {
    const p = loadProblem({ jobs: MIX, platform: 'S2', bw: 2 });
    expect([p.table.numJobs, p.table.numCores, p.table.systemBandwidth]).toEqual([100, 4, 2]);
    expect(p.source).toBe(`${MIX} on S2 at 2 B/cycle`);
    const f = loadProblem({ jobs: MIX, platform: 'S2', bw: 2, flexible: true, maestroCompat: true });
    expect(f.source).toMatch(/flexible, MAESTRO-compatible$/);
  });

  it('rejects incomplete or conflicting sources', () => {
    expect(() => loadProblem({ jobs: MIX })).toThrow(/a job source needs --platform/);
    expect(() => loadProblem({ platform: 'S2' })).toThrow(/no jobs given/);
    expect(() => loadProblem({ table: 't.json', jobs: MIX })).toThrow(
      /--table cannot be combined with --jobs/,
    );
    // Nothing given: the authors' Mix group 0 on S2 at 16 bytes/cycle.
    const d = loadProblem({});
    expect([d.table.numJobs, d.table.numCores, d.table.systemBandwidth]).toEqual([100, 4, 16]);
    expect(d.source).toBe('magma:mix/0 on S2 at 16 B/cycle');
  });
});
