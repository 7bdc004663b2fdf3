import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadJobs } from '../../app/cli/problem.js';
import { sampleTask } from '../../models/tasks.js';
import { runCliArgs } from '../helpers/cli.js';

const run = (...argv: string[]) => runCliArgs(argv);

const dir = mkdtempSync(join(tmpdir(), 'm3e-cli-'));

describe('m3e models', () => {
  test('lists every model with layers, MACs and parameters', async () => {
    const r = await run('models', '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as { name: string; macs: number; params: number; computeLayers: number }[];
    const resnet = list.find((m) => m.name === 'resnet50')!;
    expect(resnet.params).toBe(25_557_032);
    expect(resnet.computeLayers).toBe(54);
    const text = await run('models', '--task', 'language');
    expect(text.out).toMatch(/bert-base\s+language\s+150\s+97\s+1\.71 G\s+109\.48 M/);
    expect(text.out).not.toMatch(/resnet50/);
  });

  test('show: layers with operator and job, as text and JSON', async () => {
    const r = await run('models', 'show', 'resnet50', '--json');
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out) as { layerList: { name: string; job: unknown }[] };
    expect(v.layerList.find((l) => l.name === 'layer3.2.conv2')?.job).toEqual({
      layer: { kind: 'conv', K: 256, C: 256, Y: 14, X: 14, R: 3, S: 3 },
      copies: 1,
    });
    const t = await run('models', 'show', 'mobilenet_v2', '--conv-encoding', 'exact');
    expect(t.out).toMatch(
      /features\.2\.conv\.1\.0\s+dwconv 96x112x112 -> 96x56x56 k3x3 s2 p1\s+[\d.]+ M\s+dwconv C=96 Y=58 X=58 R=3 S=3/,
    );
    const b = await run('models', 'show', 'bert-base', '--tokens', '128', '--json');
    expect(JSON.parse(b.out).input).toEqual({ tokens: 128, batch: 1 });
  });

  test('errors are one line, exit 2', async () => {
    const r = await run('models', 'show', 'resnet5');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^m3e: model: unknown model "resnet5" \(did you mean resnet50/);
    const t = await run('models', 'show', 'resnet50', '--tokens', '20');
    expect(t.err).toMatch(/tokens apply to language models/);
  });
});

describe('m3e workload', () => {
  test('--task mix --jobs 100 --seed 1 --out W.json writes the sampled group', async () => {
    const out = join(dir, 'mix.json');
    const r = await run('workload', '--task', 'mix', '--jobs', '100', '--seed', '1', '--out', out, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ groups: 1, jobs: 100, out });
    const again = loadJobs({ workload: out });
    expect(again.jobs).toEqual(sampleTask('mix', 100, 1));
  });

  test('--groups G writes G groups; --group K and --csv export one of them', async () => {
    const out = join(dir, 'vision.json');
    expect(
      (await run('workload', '--task', 'vision', '--jobs', '20', '--groups', '3', '--out', out)).code,
    ).toBe(0);
    const csv = join(dir, 'g2.csv');
    const r = await run('workload', '--workload', out, '--group', '2', '--csv', csv);
    expect(r.code).toBe(0);
    expect(readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(20);
    const all = await run('workload', '--workload', out, '--csv', csv);
    expect(all.code).toBe(2);
    expect(all.err).toMatch(/--csv writes one group but the workload has 3/);
  });

  test('--requests ... --group-size 100 writes dependency-free groups', async () => {
    const out = join(dir, 'queue.json');
    const r = await run(
      'workload',
      '--requests',
      'resnet50:4,bert-base:2,dlrm:1',
      '--group-size',
      '100',
      '--out',
      out,
      '--json',
    );
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.groups).toBe(97); // BERT-base's 97 cost-model layers are the longest chain
    expect(s.groupSizes.max).toBeLessThanOrEqual(100);
    const file = JSON.parse(readFileSync(out, 'utf8'));
    expect(file.format).toBe('m3e-workload/1');
    expect(file.groups[0].map((j: { name: string }) => j.name)).toContain('dlrm#0/bot_l.0');
    expect((await run('workload', '--requests', 'resnet50:2', '--tokens', '20')).err).toMatch(
      /--tokens given but --requests has no language model/,
    );
  });

  test("--workload reads the authors' CSV and converts it to a workload file", async () => {
    const out = join(dir, 'insts0.json');
    const r = await run(
      'workload',
      '--workload',
      'models/data/magma/conv/insts0.csv',
      '--out',
      out,
      '--json',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ jobs: 100, kinds: { conv: 89, dwconv: 11, gemm: 0, fc: 0 } });
  });

  test('source errors', async () => {
    expect((await run('workload', '--task', 'mix', '--requests', 'dlrm')).err).toMatch(
      /give exactly one source: .* \(got --task and --requests\)/,
    );
    expect((await run('workload', '--requests', 'dlrm', '--seed', '3')).err).toMatch(
      /--seed applies only to --task/,
    );
    expect((await run('workload', '--requests', 'dlrm', '--order', 'zigzag')).err).toMatch(
      /--order must be breadth-first or fill, got "zigzag"/,
    );
    expect((await run('workload', '--task', 'vision', '--jobs', 'many')).err).toMatch(
      /--jobs must be an integer, got "many"/,
    );
  });
});

describe('loadJobs: the job source of analyze and search', () => {
  test('--task NAME --jobs N --seed S samples; --jobs FILE reads a job list', () => {
    const t = loadJobs({ task: 'vision', jobs: '12', seed: 4 });
    expect(t.jobs).toEqual(sampleTask('vision', 12, 4));
    expect(t.source).toBe('task vision, 12 jobs, seed 4');
    expect(loadJobs({ task: 'lang' }).jobs).toHaveLength(100);
    const csv = join(dir, 'two.csv');
    writeFileSync(csv, '1,1,64,64,56,56,3,3,1\n1,1,20,768,768,1,1,1,3\n');
    const f = loadJobs({ jobs: csv });
    expect(f.jobs.map((j) => j.layer.kind)).toEqual(['conv', 'gemm']);
  });

  test('mistakes get precise messages', () => {
    expect(() => loadJobs({ jobs: '100' })).toThrow(/--jobs 100 is a number of jobs: it needs --task NAME/);
    expect(() => loadJobs({ task: 'mix', jobs: 'x.csv' })).toThrow(
      /--jobs with --task must be a number of jobs, got "x.csv"/,
    );
    expect(() => loadJobs({ task: 'mix', workload: 'w.json' })).toThrow(/give one job source/);
    expect(() => loadJobs({})).toThrow(/no jobs given/);
    expect(() => loadJobs({ workload: join(dir, 'missing.json') })).toThrow(/workload file not found/);
    expect(() => loadJobs({ task: 'mix', convEncoding: 'padded' })).toThrow(
      /--conv-encoding must be magma or exact, got "padded"/,
    );
  });
});
