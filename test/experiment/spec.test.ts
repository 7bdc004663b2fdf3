import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkMapper } from '../../app/experiment/mappers.js';
import { planCells } from '../../app/experiment/runner.js';
import { BUILTIN_SPECS, expandSpec, loadSpec, PAPER_PLATFORMS } from '../../app/experiment/spec.js';
import { InputError } from '../../src/core/errors.js';
import { readJsonFile } from '../../src/io/files.js';

const base = { name: 'x', mappers: ['magma'], budget: 10, seeds: [1] };

function expand(extra: Record<string, unknown>) {
  return expandSpec({ ...base, ...extra }, '/specs');
}

function errorOf(data: unknown): string {
  try {
    expandSpec(data, '/specs', 'spec s.json');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('built-in specs', () => {
  it("quick: the authors' Mix and Vision groups on S2 at 1 and 16 B/cycle, 6 mappers x 3 seeds at the paper budget", () => {
    const x = loadSpec('quick', () => ({}));
    expect(x.problems.map((p) => p.id)).toEqual([
      'mix/g0/S2/bw1',
      'mix/g0/S2/bw16',
      'conv/g0/S2/bw1',
      'conv/g0/S2/bw16',
    ]);
    expect(x.mappers.map((m) => m.id)).toEqual(['magma', 'ga', 'cmaes', 'random', 'heft-heft', 'herald']);
    expect(x.spec.budget).toBe(10_500);
    expect(planCells(x)).toHaveLength(72);
    expect(x.baseline).toBe('random');
  });

  it("paper: the four tasks on S1..S6 across the paper's bandwidth sweeps", () => {
    const x = expandSpec(BUILTIN_SPECS.paper, '/');
    // 2 platforms x 5 bandwidths + 4 platforms x 3 bandwidths, per task.
    expect(x.problems).toHaveLength(4 * (2 * 5 + 4 * 3));
    expect(x.problems[0]).toEqual({
      id: 'conv/g0/S1/bw1',
      setting: 'S1/bw1',
      ref: { task: 'conv', group: 0, platform: 'S1', bw: 1 },
    });
    const ids = new Set(x.problems.map((p) => p.id));
    expect(ids.has('mix/g0/S2/bw16')).toBe(true);
    expect(ids.has('lang/g0/S6/bw256')).toBe(true);
    expect(ids.has('recom/g0/S3/bw2')).toBe(false);
    expect(PAPER_PLATFORMS.map((p) => p.platform)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6']);
    expect(x.spec.seeds).toEqual([1, 2, 3]);
  });
});

describe('the agents built-in', () => {
  it('trains PPO and A2C per cell on the quick problems, against the evolutionary and heuristic mappers', () => {
    const x = expandSpec(BUILTIN_SPECS.agents, '/');
    expect(x.problems.map((p) => p.id)).toEqual(
      expandSpec(BUILTIN_SPECS.quick, '/').problems.map((p) => p.id),
    );
    const agents = x.mappers.filter((m) => m.kind === 'agent');
    expect(agents.map((m) => [m.id, m.agent, m.trainSteps, m.samples])).toEqual([
      ['ppo-200k', 'ppo', 200_000, 10_500],
      ['a2c-200k', 'a2c', 200_000, 10_500],
    ]);
    expect(x.baseline).toBe('magma');
  });
});

describe('the spec files in the repository', () => {
  it('every bench/specs/*.json expands and its mappers pass the up-front checks', () => {
    const files = readdirSync('bench/specs').filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const f of files) {
      const x = loadSpec(`bench/specs/${f}`, (p) => readJsonFile(p, 'spec'));
      for (const m of x.mappers) expect(() => checkMapper(m), `${f}: ${m.id}`).not.toThrow();
    }
  });

  it('paper-seeded: the paper problems with MAGMA and MAGMA seeded by the heuristics', () => {
    const x = loadSpec('bench/specs/paper-seeded.json', (p) => readJsonFile(p, 'spec'));
    expect(x.problems.map((p) => p.id)).toEqual(
      expandSpec(BUILTIN_SPECS.paper, '/').problems.map((p) => p.id),
    );
    expect(x.mappers.find((m) => m.id === 'magma-heur')).toMatchObject({
      optimizer: 'magma',
      params: { init: 'heuristic' },
    });
  });

  it("bench/specs/paper-synth.json: the paper's sweep shape on synthetic tables", () => {
    const x = loadSpec('bench/specs/paper-synth.json', (p) => readJsonFile(p, 'spec'));
    expect(x.problems).toHaveLength(4 * (2 * 5 + 4 * 3));
    expect(x.problems[0]!.id).toBe('S1-like/t1/r0.0625');
    expect(x.problems.at(-1)!.id).toBe('S6-like/t4/r16');
    expect(planCells(x)).toHaveLength(88 * 3 * 3);
  });
});

describe('expandSpec', () => {
  it('sweeps synthetic tables over bandwidth ratios and table seeds', () => {
    const x = expand({ problems: [{ synth: { jobs: 10, cores: 2, bwRatio: [0.5, 2], seed: [3, 4] } }] });
    expect(x.problems.map((p) => p.id)).toEqual([
      'synth-j10-c2/t3/r0.5',
      'synth-j10-c2/t3/r2',
      'synth-j10-c2/t4/r0.5',
      'synth-j10-c2/t4/r2',
    ]);
    expect(x.problems.map((p) => p.setting)).toEqual([
      'synth-j10-c2/r0.5',
      'synth-j10-c2/r2',
      'synth-j10-c2/r0.5',
      'synth-j10-c2/r2',
    ]);
    const one = expand({
      problems: [{ synth: { jobs: 10, cores: 2, bwRatio: 1, seed: 7, heterogeneity: 0 } }],
    });
    expect(one.problems).toEqual([
      {
        id: 'synth-j10-c2-h0-t7/r1',
        setting: 'synth-j10-c2-h0/r1',
        ref: { synth: { jobs: 10, cores: 2, bwRatio: 1, seed: 7, heterogeneity: 0 } },
      },
    ]);
  });

  it('resolves table paths against the spec folder and sweeps their bandwidth', () => {
    const x = expand({
      problems: [
        { table: 'tables/big.json', bw: [4, 8] },
        { table: '/abs/t.json', name: 'T' },
      ],
    });
    expect(x.problems).toEqual([
      { id: 'big/bw4', setting: 'big/bw4', ref: { table: '/specs/tables/big.json', bw: 4 } },
      { id: 'big/bw8', setting: 'big/bw8', ref: { table: '/specs/tables/big.json', bw: 8 } },
      { id: 'T', setting: 'T', ref: { table: '/abs/t.json', name: 'T' } },
    ]);
  });

  it('crosses tasks x groups x platforms x flexibility x bandwidths; platform files by name', () => {
    const x = expand({
      problems: [
        { task: 'mix', group: [0, 1], platform: ['S2', 'plat/my.json'], flexible: [false, true], bw: 16 },
      ],
    });
    expect(x.problems.map((p) => p.id)).toEqual([
      'mix/g0/S2/bw16',
      'mix/g0/S2-flex/bw16',
      'mix/g0/my/bw16',
      'mix/g0/my-flex/bw16',
      'mix/g1/S2/bw16',
      'mix/g1/S2-flex/bw16',
      'mix/g1/my/bw16',
      'mix/g1/my-flex/bw16',
    ]);
    expect(x.problems[2]).toMatchObject({
      ref: { platform: '/specs/plat/my.json', flexible: false },
      setting: 'my/bw16',
    });
    expect(x.problems[5]!.setting).toBe('S2-flex/bw16');
    const jobs = expand({ problems: [{ jobs: 'g.csv', platform: 'S1', bw: [1, 2] }] });
    expect(jobs.problems[1]).toMatchObject({ id: 'g/S1/bw2', ref: { jobs: '/specs/g.csv' } });
    const zoo = expand({ problems: [{ zoo: { models: ['resnet50'] }, name: 'r50', platform: 'S3', bw: 1 }] });
    expect(zoo.problems[0]).toMatchObject({ id: 'r50/S3/bw1', ref: { zoo: { models: ['resnet50'] } } });
  });

  it('reads mappers as names or objects, with settings and agents', () => {
    const x = expand({
      problems: [{ synth: { jobs: 5, cores: 2, bwRatio: 1, seed: 1 } }],
      mappers: [
        'magma',
        { optimizer: 'magma', name: 'magma-hot', params: { mutationRate: 0.2 } },
        { agent: 'ppo', run: 'runs/ppo1' },
        { agent: 'a2c', trainSteps: 1000, name: 'a2c-fresh' },
      ],
      baseline: 'magma-hot',
    });
    expect(x.mappers).toEqual([
      { kind: 'optimizer', id: 'magma', optimizer: 'magma', params: {} },
      { kind: 'optimizer', id: 'magma-hot', optimizer: 'magma', params: { mutationRate: 0.2 } },
      {
        kind: 'agent',
        id: 'ppo',
        agent: 'ppo',
        run: '/specs/runs/ppo1',
        settings: {},
        env: {},
        preset: true,
        samples: 10,
      },
      {
        kind: 'agent',
        id: 'a2c-fresh',
        agent: 'a2c',
        trainSteps: 1000,
        settings: {},
        env: {},
        preset: true,
        samples: 10,
      },
    ]);
    expect(x.baseline).toBe('magma-hot');
  });

  it('names the field and the value in its errors', () => {
    const synth = { synth: { jobs: 5, cores: 2, bwRatio: 1, seed: 1 } };
    expect(errorOf({ ...base, problems: [] })).toMatch(/^spec s\.json: problems: Too small/);
    expect(errorOf({ ...base, problems: [synth], budget: 0 })).toMatch(/budget: Too small/);
    expect(errorOf({ ...base, problems: [{ synth: { jobs: 5, cores: 2, bwRatio: -1, seed: 1 } }] })).toMatch(
      /problems\[0\]\.synth\.bwRatio/,
    );
    expect(errorOf({ ...base, problems: [{ platform: 'S1', bw: 1 }] })).toMatch(
      /problems\[0\] needs exactly one of "synth", "table", "task", "jobs", "zoo", got none/,
    );
    expect(errorOf({ ...base, problems: [{ task: 'mix', jobs: 'a.csv', platform: 'S1', bw: 1 }] })).toMatch(
      /got task and jobs/,
    );
    expect(errorOf({ ...base, problems: [{ task: 'mix', platform: 'S1', bw: 1 }] })).toMatch(
      /problems\[0\]\.group/,
    );
    expect(errorOf({ ...base, problems: [{ ...synth, colour: 'red' }] })).toMatch(/problems\[0\].*colour/);
    expect(errorOf({ ...base, problems: [synth, synth] })).toMatch(
      /expanded problems 0 and 1 are both named "synth-j5-c2-t1\/r1"/,
    );
    expect(errorOf({ ...base, problems: [synth], mappers: ['magma', 'magma'] })).toMatch(
      /mappers 0 and 1 are both named "magma"/,
    );
    expect(errorOf({ ...base, problems: [synth], baseline: 'ga' })).toMatch(
      /baseline "ga" is not one of the mappers \(magma\)/,
    );
    expect(errorOf({ ...base, problems: [synth], mappers: [{ agent: 'ppo' }] })).toMatch(
      /mappers\[0\]: an agent mapper needs exactly one of "run"/,
    );
    expect(
      errorOf({ ...base, problems: [synth], mappers: [{ agent: 'ppo', run: 'r', samples: 11 }] }),
    ).toMatch(/mappers\[0\]\.samples: 11 mappings exceed the budget of 10/);
    expect(
      errorOf({ ...base, problems: [synth], mappers: [{ agent: 'ppo', run: 'r', settings: { gamma: 1 } }] }),
    ).toMatch(/mappers\[0\]: "settings", "env" and "preset" apply to agents trained here/);
    expect(errorOf({ ...base, problems: [synth], name: 'has space' })).toMatch(/name: must be letters/);
    expect(errorOf({ ...base, problems: [synth], seeds: [1, 1] })).toMatch(/seeds 0 and 1/);
    expect(errorOf({ ...base, problems: [{ zoo: {}, platform: 'S1', bw: 1 }] })).toMatch(
      /problems\[0\]\.name/,
    );
  });

  it('refuses an unknown built-in with the list of known ones', () => {
    expect(() => loadSpec('quik', () => ({}))).toThrow(
      /unknown built-in spec "quik" \(built-in: quick, paper/,
    );
  });
});
