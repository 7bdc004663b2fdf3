// `m3e train` and `m3e rollout`, run in-process on the CPU backend.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lowerBound } from '../../src/core/bounds.js';
import { encodingFromJson } from '../../src/core/encoding.js';
import { evaluate } from '../../src/core/evaluator.js';
import { makeTable, tableToJson } from '../../src/core/table.js';
import { runCliArgs } from '../helpers/cli.js';
import { TINY_TABLE } from './helpers.js';

const cli = (...argv: string[]) => runCliArgs(argv);

describe('m3e train / rollout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'm3e-cli-'));
  const tablePath = join(dir, 'tiny.json');
  writeFileSync(tablePath, JSON.stringify(tableToJson(TINY_TABLE)));
  const run = join(dir, 'runs', 'a');
  const small = [
    '--param',
    'network.hidden=[8]',
    '--param',
    'numSteps=8',
    '--param',
    'numMinibatches=2',
    '--backend',
    'cpu',
  ];

  it("trains on any problem source, by default the authors' Mix group 0 on S2 at 16 B/cycle", async () => {
    const given = await cli(
      'train',
      '--agent',
      'ppo',
      '--jobs',
      'magma:conv/0',
      '--platform',
      'S2',
      '--bw',
      '1',
      '--steps',
      '16',
      ...small,
      '--json',
    );
    expect(given.code, given.err).toBe(0);
    expect(JSON.parse(given.out).problem).toBe('magma:conv/0 on S2 at 1 B/cycle');
    const dflt = await cli('train', '--agent', 'ppo', '--steps', '16', ...small, '--json');
    expect(dflt.code, dflt.err).toBe(0);
    expect(JSON.parse(dflt.out).problem).toBe('magma:mix/0 on S2 at 16 B/cycle');
  });

  it('trains into a run folder, logs the backend, scores the greedy policy', async () => {
    const r = await cli(
      'train',
      '--agent',
      'ppo',
      '--table',
      tablePath,
      '--steps',
      '64',
      '--seed',
      '3',
      '--out',
      run,
      ...small,
      '--json',
    );
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/backend cpu/);
    const s = JSON.parse(r.out);
    expect(s).toMatchObject({
      agent: 'ppo',
      env: 'm3e/Sequential-v0',
      steps: 64,
      episodes: 16,
      backend: 'cpu',
      out: run,
    });
    // The M3E preset, under the --param overrides.
    const settings = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')).settings;
    expect(settings).toMatchObject({
      learningRate: 3e-3,
      gamma: 1,
      numEnvs: 8,
      numSteps: 8,
      network: { hidden: [8] },
    });
    const enc = encodingFromJson(s.greedy.mapping, 4, 2);
    expect(evaluate(TINY_TABLE, enc).makespan).toBeCloseTo(s.greedy.makespan, 6);
    expect(s.greedy.ratio).toBeCloseTo(s.greedy.makespan / lowerBound(TINY_TABLE), 9);
  });

  it('refuses to overwrite a run and resumes it with --resume', async () => {
    const again = await cli(
      'train',
      '--agent',
      'ppo',
      '--table',
      tablePath,
      '--steps',
      '64',
      '--out',
      run,
      ...small,
    );
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already holds a run; pass --resume/);
    const mixed = await cli('train', '--resume', '--agent', 'a2c', '--out', run, '--backend', 'cpu');
    expect(mixed.code).toBe(2);
    expect(mixed.err).toMatch(/drop --agent/);
    const r = await cli('train', '--resume', '--out', run, '--steps', '128', '--backend', 'cpu', '--json');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/resuming .* at step 64/);
    expect(JSON.parse(r.out).steps).toBe(128);
  });

  it('maps a group greedily or as the best of K samples, printing the search JSON', async () => {
    const g = await cli('rollout', '--run', run, '--backend', 'cpu', '--json');
    expect(g.code).toBe(0);
    const greedy = JSON.parse(g.out);
    expect(greedy).toMatchObject({
      optimizer: 'ppo-policy',
      evaluations: 1,
      params: { mode: 'greedy', trainedSteps: 128 },
    });
    for (const k of ['problem', 'seed', 'makespan', 'lowerBound', 'ratio', 'seconds', 'mapping', 'history'])
      expect(greedy).toHaveProperty(k);
    const s = await cli(
      'rollout',
      '--run',
      run,
      '--table',
      tablePath,
      '--samples',
      '6',
      '--seed',
      '2',
      '--backend',
      'cpu',
      '--json',
    );
    const best = JSON.parse(s.out);
    expect(best.evaluations).toBe(6);
    expect(best.params.mode).toBe('best-of-greedy-and-samples');
    // The greedy rollout is the first of the K and the best never gets worse than it.
    const g2 = JSON.parse(
      (await cli('rollout', '--run', run, '--table', tablePath, '--backend', 'cpu', '--json')).out,
    );
    expect(best.history[0]).toEqual([1, g2.makespan]);
    expect(best.makespan).toBeLessThanOrEqual(g2.makespan);
    expect(best.history[best.history.length - 1]).toEqual([6, best.makespan]);
    expect(evaluate(TINY_TABLE, encodingFromJson(best.mapping, 4, 2)).makespan).toBeCloseTo(best.makespan, 6);
  });

  it('trains on random groups and maps a given group with that policy', async () => {
    const gen = join(dir, 'runs', 'gen');
    const r = await cli(
      'train',
      '--agent',
      'a2c',
      '--synth-groups',
      '6,2',
      '--bw-ratio',
      '0.5,2',
      '--steps',
      '48',
      '--out',
      gen,
      ...small.slice(0, 4),
      '--no-preset',
      '--backend',
      'cpu',
      '--json',
    );
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.problem).toEqual({ synth: { jobs: 6, cores: 2, bwRatio: [0.5, 2], seed: 0 } });
    // --no-preset: the library (SB3) defaults.
    const settings = JSON.parse(readFileSync(join(gen, 'run.json'), 'utf8')).settings;
    expect(settings).toMatchObject({ learningRate: 7e-4, numEnvs: 4 });
    expect(s).not.toHaveProperty('greedy');
    const none = await cli('rollout', '--run', gen, '--backend', 'cpu');
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/trained on a new group every episode: give the group to map \(--table, --jobs/);
    // Sequential-v0's observation depends on the cores, not the jobs: a 4-job group maps too.
    const g = await cli('rollout', '--run', gen, '--table', tablePath, '--backend', 'cpu', '--json');
    expect(g.code).toBe(0);
    expect(JSON.parse(g.out).optimizer).toBe('a2c-policy');
  });

  it('rejects bad input with one-line messages', async () => {
    const cases: [string[], RegExp][] = [
      [['train', '--agent', 'dqn', '--steps', '8'], /--agent must be one of ppo, a2c, got "dqn"/],
      [['train', '--agent', 'ppo'], /--steps is required/],
      [
        ['train', '--agent', 'ppo', '--steps', '8', '--param', 'learningRate=-2', '--backend', 'cpu'],
        /learningRate.*got -2/,
      ],
      [['train', '--agent', 'ppo', '--steps', '8', '--backend', 'gpu'], /--backend must be one of/],
      [['train', '--agent', 'a2c', '--steps', '8', '--env-option', 'window=0', '--backend', 'cpu'], /window/],
      [
        ['train', '--agent', 'a2c', '--steps', '8', '--synth-groups', '10', '--backend', 'cpu'],
        /--synth-groups must be jobs,cores/,
      ],
      [
        ['train', '--agent', 'a2c', '--steps', '8', '--bw-ratio', '2', '--backend', 'cpu'],
        /--bw-ratio applies to --synth-groups only/,
      ],
      [['rollout', '--run', join(dir, 'nothing'), '--backend', 'cpu'], /no run in/],
      [
        [
          'train',
          '--agent',
          'a2c',
          '--steps',
          '8',
          '--synth-groups',
          '10,2',
          '--task',
          'mix',
          '--backend',
          'cpu',
        ],
        /--synth-groups draws its own groups: drop --table, --jobs/,
      ],
      [
        [
          'train',
          '--agent',
          'a2c',
          '--steps',
          '8',
          '--synth-groups',
          '10,2',
          '--bw',
          '4',
          '--backend',
          'cpu',
        ],
        /--synth-groups sets the bandwidth with --bw-ratio, not --bw/,
      ],
      [
        ['train', '--resume', '--out', run, '--steps', '8', '--platform', 'S2', '--backend', 'cpu'],
        /--resume continues the run as it was set up; drop the problem options/,
      ],
      [
        ['train', '--agent', 'a2c', '--steps', '8', '--jobs', 'magma:mix/0', '--backend', 'cpu'],
        /needs --platform/,
      ],
    ];
    for (const [argv, msg] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(msg);
      expect(
        r.err
          .trim()
          .split('\n')
          .filter((l) => l.startsWith('m3e: ')),
      ).toHaveLength(1);
    }
    // A table with another number of cores does not fit the policy's observations.
    const three = join(dir, 'three.json');
    writeFileSync(
      three,
      JSON.stringify(
        tableToJson(makeTable({ systemBandwidth: 1, latency: [[1, 2, 3]], bandwidth: [[1, 1, 1]] })),
      ),
    );
    const r = await cli('rollout', '--run', run, '--table', three, '--backend', 'cpu');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/another number of cores/);
  });
});
