import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { synthTable } from '../../src/core/synth.js';
import { tableToJson } from '../../src/core/table.js';
import { runCliArgs as run } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'm3e-tune-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Small problems and budgets: the point is the plumbing, not the tuning.
mkdirSync(join(dir, 'tables'));
writeFileSync(
  join(dir, 'tables', 't1.json'),
  JSON.stringify(tableToJson(synthTable({ jobs: 12, cores: 3, bwRatio: 1, seed: 5 }))),
);
const train = join(dir, 'train.json');
writeFileSync(
  train,
  JSON.stringify([{ table: 'tables/t1.json' }, { synth: { jobs: 12, cores: 3, bwRatio: 0.5, seed: 6 } }]),
);
const holdout = join(dir, 'holdout.json');
writeFileSync(holdout, JSON.stringify([{ synth: { jobs: 12, cores: 3, bwRatio: 1, seed: 7 } }]));
const base = [
  'tune',
  '--problems',
  train,
  '--holdout',
  holdout,
  '--budget',
  '60',
  '--repeats',
  '1',
  '--seed',
  '3',
];
const gpFast = ['--startup', '3'];

describe('m3e tune', () => {
  it('tunes, writes the study and reports tuned vs default on train and held-out problems', async () => {
    const out = join(dir, 'run');
    const r = await run([...base, ...gpFast, '--trials', '6', '--out', out, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out);
    expect(Object.keys(rep.best).sort()).toEqual([
      'crossoverAccelRate',
      'crossoverGenRate',
      'crossoverRgRate',
      'eliteRatio',
      'init',
      'mutationRate',
      'parentRatio',
      'population',
    ]);
    for (const k of ['train', 'holdout'] as const) {
      expect(rep[k].tuned).toBeGreaterThanOrEqual(1);
      expect(rep[k].default).toBeGreaterThanOrEqual(1);
    }
    // The defaults ran first (trial 0) with the training seeds: their score is the baseline,
    // so the best trial can only match or beat it on the training problems.
    expect(rep.train.tuned).toBeLessThanOrEqual(rep.train.default);
    expect(rep.trials).toMatchObject({ total: 6, failed: 0 });
    expect(rep.problems.train.map((p: { label: string }) => p.label)).toEqual([
      'tables/t1.json',
      'synth(jobs=12,cores=3,bwRatio=0.5,seed=6)',
    ]);
    const lines = readFileSync(join(out, 'trials.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const trials = lines.filter((l) => l.kind === 'trial');
    expect(trials).toHaveLength(6);
    expect(trials[0].value).toBeCloseTo(rep.train.default, 12);
    expect(existsSync(join(out, 'report.md'))).toBe(true);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/\| held-out problems \|/);
  });

  it('a killed and resumed run ends where an uninterrupted one does', async () => {
    const whole = await run([...base, ...gpFast, '--trials', '7', '--out', join(dir, 'whole'), '--json']);
    const cut = join(dir, 'cut');
    expect((await run([...base, ...gpFast, '--trials', '4', '--out', cut])).code).toBe(0);
    const again = await run([...base, ...gpFast, '--trials', '4', '--out', cut]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already holds a study; resume it/);
    const resumed = await run([...base, ...gpFast, '--trials', '7', '--out', cut, '--resume', '--json']);
    expect(resumed.code).toBe(0);
    const a = JSON.parse(whole.out);
    const b = JSON.parse(resumed.out);
    expect(b.best).toEqual(a.best);
    expect(b.train).toEqual(a.train);
    expect(b.holdout).toEqual(a.holdout);
    // Resuming with another budget would mix two experiments: refused.
    const other = await run([
      ...base.map((v) => (v === '60' ? '70' : v)),
      ...gpFast,
      '--trials',
      '8',
      '--out',
      cut,
      '--resume',
    ]);
    expect(other.code).toBe(2);
    expect(other.err).toMatch(/created with budget 60, not 70/);
  });

  it('fixes and narrows hyper-parameters; other samplers work too', async () => {
    const r = await run([
      ...base,
      '--sampler',
      'random',
      '--trials',
      '3',
      '--fix',
      'population=20',
      '--range',
      'mutationRate=0.01:0.1',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out);
    expect(rep.best.population).toBe(20);
    expect(rep.best.mutationRate).toBeGreaterThanOrEqual(0.01);
    expect(rep.best.mutationRate).toBeLessThanOrEqual(0.1);
    expect(rep.searched).not.toContain('population');
    expect(rep.holdout).not.toBeNull();
  });

  it.each([
    [['--agent', 'dqn'], /--agent must be one of ppo, a2c, got "dqn"/],
    [['--agent', 'ppo', '--optimizer', 'magma'], /either --optimizer or --agent/],
    [['--optimizer', 'nope'], /unknown optimizer "nope"/],
    [['--fix', 'colour=3'], /unknown hyper-parameter "colour"/],
    [['--range', 'mutationRate=0:0.9'], /range 0:0.9 of mutationRate leaves its valid range \[0, 0.5\]/],
    [['--range', 'population=10'], /--range population must look like population=low:high/],
    [['--resume'], /--resume needs --out/],
    [['--sampler', 'tpe'], /--sampler must be gp, random or halton/],
  ])('rejects %j with a one-line error', async (extra, message) => {
    const r = await run([...base, '--trials', '2', ...extra]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it('names the bad entry of a problems file', async () => {
    const bad = join(dir, 'bad.json');
    const cases: [unknown, RegExp][] = [
      [[], /non-empty JSON list/],
      [[{ synth: { jobs: 0, cores: 2, bwRatio: 1, seed: 1 } }], /entry 0: synth.jobs/],
      [[{ table: 'missing.json' }], /not found: .*missing.json/],
      [
        [{ synth: { jobs: 5, cores: 2, bwRatio: 1, seed: 1 } }, { tabel: 'x' }],
        /entry 1 needs exactly one of "synth", "table", "task", "jobs", "zoo", got none/,
      ],
      [[{ task: 'visio', platform: 'S1', bw: 16, group: 0 }], /entry 0: task must be one of vision/],
      [[{ task: 'vision', platform: 'S9', bw: 16, group: 0 }], /--platform S9/],
      [[{ task: 'vision', platform: 'S1', bw: 16 }], /exactly one of "group" and "seed"/],
    ];
    for (const [content, message] of cases) {
      // (A good task entry is tuned in 'tunes on task entries' below.)
      writeFileSync(bad, JSON.stringify(content));
      const r = await run(['tune', '--problems', bad, '--trials', '1', '--budget', '10']);
      expect(r.code, JSON.stringify(content)).toBe(2);
      expect(r.err).toMatch(message);
    }
  });

  it('tunes on task entries: an authors group and a zoo sample, analysed on a preset', async () => {
    const problems = join(dir, 'tasks.json');
    writeFileSync(
      problems,
      JSON.stringify([
        { task: 'mix', platform: 'S1', bw: 16, group: 0 },
        { task: 'language', platform: 'S2', bw: 4, seed: 3 },
      ]),
    );
    const r = await run([
      'tune',
      '--problems',
      problems,
      '--trials',
      '2',
      '--budget',
      '50',
      '--json',
      '--out',
      join(dir, 'tt'),
    ]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).train.tuned).toBeGreaterThanOrEqual(1);
  });

  it('tunes an RL agent: budget in environment steps, the same report', async () => {
    const problems = join(dir, 'agent-problems.json');
    writeFileSync(problems, JSON.stringify([{ synth: { jobs: 6, cores: 2, bwRatio: 1, seed: 1 } }]));
    const r = await run([
      'tune',
      '--agent',
      'a2c',
      '--problems',
      problems,
      '--trials',
      '2',
      '--budget',
      '64',
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    const rep = JSON.parse(r.out);
    expect(rep.train.tuned).toBeGreaterThanOrEqual(1);
    expect(rep.train.default).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
