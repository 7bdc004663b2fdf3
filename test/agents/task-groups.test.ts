// Task groups: a new model-zoo group every episode (envs/m3e/problem-source.ts), through the
// agents' problem descriptions and `m3e train --new-groups` / `m3e rollout`.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envProblemSource } from '../../agents/env-factory.js';
import { EnvDescriptionSchema } from '../../agents/run-folder.js';
import { taskGroupsSource } from '../../envs/m3e/problem-source.js';
import type { TaskProblem } from '../../models/problem.js';
import { sampleTask } from '../../models/tasks.js';
import { analyzeJobs } from '../../src/analyzer/analyze.js';
import { Rng } from '../../src/core/rng.js';
import { loadPlatform } from '../../src/platform/load.js';
import { runCliArgs } from '../helpers/cli.js';

const SPEC: TaskProblem = { task: 'mix', seed: 0, jobs: 12, platform: 'S2', bw: 16 };

describe('task groups', () => {
  it('draws a new analysed group of the task at every reset, reproducibly', () => {
    const source = taskGroupsSource(SPEC);
    expect([source.numJobs, source.numCores]).toEqual([12, 4]);
    const a = new Rng(5);
    const b = new Rng(5);
    const t1 = source.next(a);
    const t2 = source.next(a);
    expect(source.next(b).latency).toEqual(t1.latency);
    expect(t2.latency).not.toEqual(t1.latency);
    expect(t1.systemBandwidth).toBe(16);
    // The shared cost-model cache changes nothing: the group analysed on its own is identical.
    const seed = new Rng(5).uint32();
    const direct = analyzeJobs(sampleTask('mix', 12, seed, 'magma'), loadPlatform('S2'), {
      systemBandwidth: 16,
    });
    expect(Array.from(t1.latency)).toEqual(Array.from(direct.latency));
    expect(Array.from(t1.bandwidth)).toEqual(Array.from(direct.bandwidth));
  });

  it('is a problem description of run folders, drawn again every episode', () => {
    const desc = { id: 'm3e/Sequential-v0', options: {}, problem: SPEC, newGroups: true };
    expect(EnvDescriptionSchema.parse(desc)).toEqual(desc);
    const source = envProblemSource(desc);
    expect(source.numJobs).toBe(12);
    expect(() => taskGroupsSource({ ...SPEC, task: 'speech' })).toThrow(/task/);
    expect(() => taskGroupsSource({ ...SPEC, platform: 'S9' })).toThrow(/S9/);
  });

  it('m3e train --new-groups trains on new groups; m3e rollout maps a given group with the policy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'm3e-task-groups-'));
    const run = join(dir, 'run');
    const small = ['--param', 'network.hidden=[8]', '--param', 'numSteps=8', '--param', 'numMinibatches=2'];
    const common = ['--backend', 'cpu', ...small];
    const t = await runCliArgs([
      'train',
      '--agent',
      'ppo',
      '--task',
      'mix',
      '--jobs',
      '12',
      '--platform',
      'S2',
      '--bw',
      '16',
      '--new-groups',
      '--steps',
      '64',
      '--out',
      run,
      ...common,
      '--json',
    ]);
    expect(t.code, t.err).toBe(0);
    const manifest = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8'));
    expect(manifest.env.problem).toEqual(SPEC);
    const none = await runCliArgs(['rollout', '--run', run, '--backend', 'cpu']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/trained on a new group every episode: give the group to map/);
    const r = await runCliArgs([
      'rollout',
      '--run',
      run,
      '--jobs',
      'magma:mix/0',
      '--platform',
      'S2',
      '--bw',
      '16',
      '--backend',
      'cpu',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.problem).toBe('magma:mix/0 on S2 at 16 B/cycle');
    expect(out.ratio).toBeGreaterThanOrEqual(1);
    expect(out.mapping.core).toHaveLength(100);
  });

  it('refuses --new-groups without a task and a platform, or with another job source', async () => {
    const cases: [string[], RegExp][] = [
      [['--new-groups', '--task', 'mix'], /--new-groups draws groups of a --task on a --platform: give both/],
      [
        ['--new-groups', '--task', 'mix', '--platform', 'S2', '--workload', 'w.json'],
        /--new-groups takes --task, --platform, --bw, --jobs N and --flexible only/,
      ],
      [
        ['--new-groups', '--task', 'mix', '--platform', 'S2', '--jobs', 'magma:mix/0'],
        /must be a number of jobs/,
      ],
    ];
    for (const [argv, message] of cases) {
      const r = await runCliArgs(['train', '--agent', 'ppo', '--steps', '8', '--backend', 'cpu', ...argv]);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
    }
  });
});
