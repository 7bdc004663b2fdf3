import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseTaskName, sampleTask, TASK_POOLS, taskPool } from '../../models/tasks.js';
import { parseWorkload, readWorkloadFile, selectGroup, workloadToJson } from '../../models/workload-file.js';
import { formatMagmaCsv, parseMagmaCsv } from '../../src/workload/magma-csv.js';

describe('task groups', () => {
  test('same seed, same group; another seed, another group; group k of a seed is its own stream', () => {
    const a = sampleTask('mix', 100, 1);
    expect(sampleTask('mix', 100, 1)).toEqual(a);
    expect(sampleTask('mix', 100, 2).map((j) => j.name)).not.toEqual(a.map((j) => j.name));
    expect(sampleTask('mix', 100, 1, 'magma', 1).map((j) => j.name)).not.toEqual(a.map((j) => j.name));
    expect(a).toHaveLength(100);
    expect(new Set(a.map((j) => j.name)).size).toBe(100);
  });

  test("pools hold the layer kinds of the authors' groups", () => {
    const kinds = (t: 'vision' | 'language' | 'recommendation') =>
      new Set(taskPool(t).map((j) => j.layer.kind));
    expect(kinds('vision')).toEqual(new Set(['conv', 'dwconv']));
    expect(kinds('language')).toEqual(new Set(['gemm', 'fc']));
    // At batch 1 every MLP layer is FC; DIN's activation unit runs on its 50 past behaviours.
    expect(kinds('recommendation')).toEqual(new Set(['fc', 'gemm']));
    expect(
      taskPool('recommendation')
        .filter((j) => j.layer.kind === 'gemm')
        .map((j) => j.name),
    ).toEqual(['din/attention.fc1', 'din/attention.fc2']);
    expect(taskPool('mix')).toHaveLength(
      taskPool('vision').length + taskPool('language').length + taskPool('recommendation').length,
    );
    // Every pool model contributes.
    for (const [task, models] of Object.entries(TASK_POOLS)) {
      const seen = new Set(taskPool(task as 'vision').map((j) => j.model));
      expect([...seen].sort(), task).toEqual(models.map((m) => m.model).sort());
    }
  });

  test('language jobs are 20-token GEMMs, pooler FCs at batch 1', () => {
    const lang = taskPool('language');
    for (const j of lang) {
      if (j.layer.kind === 'gemm') expect(j.layer.M).toBe(20);
      else expect(j.name).toMatch(/pooler/);
    }
  });

  test('a 100-job Mix group builds (all jobs valid cost-model layers, drawn from every task over seeds)', () => {
    const models = new Set<string>();
    for (let seed = 0; seed < 5; seed++) for (const j of sampleTask('mix', 100, seed)) models.add(j.model!);
    const tasksSeen = new Set(
      [...models].map(
        (m) => (Object.entries(TASK_POOLS).find(([, ms]) => ms.some((x) => x.model === m)) ?? ['?'])[0],
      ),
    );
    expect(tasksSeen).toEqual(new Set(['vision', 'language', 'recommendation']));
  });

  test('task names and bad arguments', () => {
    expect(parseTaskName('conv')).toBe('vision');
    expect(parseTaskName('Recom')).toBe('recommendation');
    expect(() => parseTaskName('speech', '--task')).toThrow(
      /--task must be one of vision, language, recommendation, mix, got "speech"/,
    );
    expect(() => sampleTask('vision', 0, 1)).toThrow(
      /number of jobs must be an integer in \[1, 1000000\], got 0/,
    );
  });
});

describe('workload file', () => {
  const conv = { kind: 'conv', K: 64, C: 64, Y: 56, X: 56, R: 3, S: 3 };

  test('a job list, named or not', () => {
    const w = parseWorkload({ jobs: [conv, { kind: 'fc', out: 10, in: 20, name: 'head', model: 'toy' }] });
    expect(w.groups).toHaveLength(1);
    expect(w.groups[0]![0]).toEqual({ name: 'job0', layer: conv });
    expect(w.groups[0]![1]).toEqual({ name: 'head', model: 'toy', layer: { kind: 'fc', out: 10, in: 20 } });
  });

  test('requests with grouping, and a sampled task', () => {
    const w = parseWorkload({
      requests: [{ model: 'resnet18', count: 2 }, { model: 'ncf' }],
      grouping: { groupSize: 2, order: 'fill' },
    });
    expect(w.groups[0]!.map((j) => j.name)).toEqual(['resnet18#0/conv1', 'resnet18#1/conv1']);
    expect(w.groups.every((g) => g.length <= 2)).toBe(true);
    const s = parseWorkload({ sample: { task: 'vision', jobs: 10, seed: 3 } });
    expect(s.groups[0]).toEqual(sampleTask('vision', 10, 3));
    const exact = parseWorkload({ sample: { task: 'vision', jobs: 10, seed: 3 }, convEncoding: 'exact' });
    expect(exact.groups[0]).toEqual(sampleTask('vision', 10, 3, 'exact'));
  });

  test('precise messages: the file, the field, the bad value', () => {
    const bad = (v: unknown) => () => parseWorkload(v, 'W.json');
    expect(bad({ jobs: [{ ...conv, K: 0 }] })).toThrow(/^W.json: jobs\[0\].K: /);
    expect(bad({ jobs: [{ ...conv, Q: 1 }] })).toThrow(/^W.json: jobs\[0\]: .*"Q"/);
    expect(bad({ jobs: [{ ...conv, kind: 'pool' }] })).toThrow(/^W.json: jobs\[0\].kind: /);
    expect(bad({ jobs: [{ ...conv, R: 60 }] })).toThrow(
      /W.json: jobs\[0\]: filter rows R=60 exceed input rows Y=56/,
    );
    expect(bad({ jobs: [conv], sample: { task: 'mix', jobs: 1, seed: 1 } })).toThrow(
      /give exactly one of "jobs", "groups", "requests" or "sample", got jobs and sample/,
    );
    expect(bad({})).toThrow(/got none/);
    expect(bad({ jobs: [conv], grouping: { groupSize: 4 } })).toThrow(
      /"grouping" applies only to "requests"/,
    );
    expect(bad({ requests: [{ model: 'resnet50', tokens: 20 }] })).toThrow(
      /W.json: requests\[0\]: tokens apply to language models, not to resnet50/,
    );
    expect(bad({ requests: [{ model: 'resnet50' }], grouping: { order: 'random' } })).toThrow(
      /grouping.order: /,
    );
    expect(bad({ sample: { task: 'speech', jobs: 1, seed: 1 } })).toThrow(
      /W.json: sample.task must be one of/,
    );
    expect(bad({ format: 'other/2', jobs: [conv] })).toThrow(/^W.json: format: /);
  });

  test('round trip: workloadToJson then parseWorkload gives the same groups', () => {
    const groups = [sampleTask('mix', 30, 7), sampleTask('mix', 20, 8)];
    const back = parseWorkload(JSON.parse(JSON.stringify(workloadToJson(groups, { description: 'two' }))));
    expect(back.groups).toEqual(groups);
    expect(back.description).toBe('two');
    const one = workloadToJson([groups[0]!]);
    expect(one).toHaveProperty('jobs');
    expect(one).not.toHaveProperty('groups');
  });

  test("the authors' CSV: read, export, read again unchanged; selectGroup rules", () => {
    const path = 'models/data/magma/mix/insts0.csv';
    const text = readFileSync(path, 'utf8');
    const w = readWorkloadFile(path);
    expect(w.groups[0]).toHaveLength(100);
    const dir = mkdtempSync(join(tmpdir(), 'm3e-wl-'));
    const out = join(dir, 'again.csv');
    writeFileSync(out, formatMagmaCsv(w.groups[0]!));
    expect(parseMagmaCsv(readFileSync(out, 'utf8')).map((j) => j.layer)).toEqual(
      parseMagmaCsv(text).map((j) => j.layer),
    );
    expect(readFileSync(out, 'utf8').trim().split('\n')).toEqual(text.trim().split(/\r?\n/));
    const two = { groups: [w.groups[0]!, w.groups[0]!.slice(0, 3)] };
    expect(() => selectGroup(two, undefined, 'W.json')).toThrow(
      /W.json has 2 groups: choose one with --group K \(0..1\)/,
    );
    expect(selectGroup(two, 1, 'W.json')).toHaveLength(3);
    expect(() => selectGroup(two, 2, 'W.json')).toThrow(/--group must be in 0..1/);
  });
});
