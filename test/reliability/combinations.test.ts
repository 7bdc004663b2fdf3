// What a user gets wrong besides single values: flag combinations that used to be ignored
// silently, --resume on nothing, specs that fail a check only one cell deep (generated
// mutations of a valid spec), progress for long work in batch logs, the backend line, and the
// promise behind the table limits: a table that passes them never makes the evaluator or the
// lower bound overflow.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../app/cli/io.js';
import { ProgressBar } from '../../app/cli/progress.js';
import { lowerBound } from '../../src/core/bounds.js';
import { Evaluator } from '../../src/core/evaluator.js';
import { Rng } from '../../src/core/rng.js';
import { synthTable } from '../../src/core/synth.js';
import { makeTable, TABLE_LIMITS, tableToJson } from '../../src/core/table.js';
import { tempDir } from '../helpers/cli.js';
import { caseFolders, cli, expectRefusal, listTree, RUNS, SEED, Tally } from './harness.js';

const tally = new Tally();
const root = tempDir('m3e-combo-');
const sandbox = caseFolders(root);

const fx = { table: '', workload: '', problems: '' };

beforeAll(async () => {
  fx.table = join(root, 'table.json');
  writeFileSync(
    fx.table,
    JSON.stringify(tableToJson(synthTable({ jobs: 8, cores: 2, bwRatio: 1, seed: 5 }))),
  );
  fx.workload = join(root, 'workload.json');
  expect(
    (await cli(['workload', '--task', 'mix', '--jobs', '4', '--groups', '2', '--out', fx.workload])).code,
  ).toBe(0);
  fx.problems = join(root, 'problems.json');
  writeFileSync(fx.problems, JSON.stringify([{ table: fx.table }]));
});

afterAll(() => {
  console.log(tally.summary('combinations'));
  expect(tally.stackTraces).toBe(0);
});

describe('combinations that used to be ignored or accepted silently are refused', () => {
  const cases: [string, (d: string) => string[], string][] = [
    ['--group without a workload file', () => ['analyze', '--group', '1'], '--group'],
    [
      '--group with --table',
      () => ['search', '--table', fx.table, '--group', '0', '--budget', '10'],
      '--group',
    ],
    [
      '--group with --task',
      () => ['analyze', '--task', 'mix', '--group', '0', '--platform', 'S2', '--bw', '1'],
      '--group',
    ],
    ['--group for workload --task', () => ['workload', '--task', 'mix', '--group', '1'], '--group'],
    [
      '--conv-encoding with a built-in group',
      () => ['analyze', '--jobs', 'magma:mix/0', '--platform', 'S2', '--conv-encoding', 'exact'],
      '--conv-encoding',
    ],
    [
      '--conv-encoding with --table',
      () => ['analyze', '--table', fx.table, '--conv-encoding', 'exact'],
      '--conv-encoding',
    ],
    [
      '--conv-encoding without a job source',
      () => ['analyze', '--conv-encoding', 'exact'],
      '--conv-encoding',
    ],
    ['an empty option value', () => ['search', '--table=', '--budget', '10'], '--table'],
    ['an empty --out', () => ['table', 'synth', '--out', ''], '--out'],
    [
      'compare --resume on a missing folder',
      (d) => ['compare', '--out', join(d, 'none'), '--resume'],
      '--resume',
    ],
    [
      'compare --resume with the default folder missing',
      (d) => ['compare', '--spec', join(d, 'x.json'), '--resume'],
      'not found',
    ],
    [
      'compare --resume and --report-only',
      (d) => ['compare', '--out', join(d, 'c'), '--resume', '--report-only'],
      '--resume',
    ],
    [
      'tune --resume on a missing folder',
      (d) => ['tune', '--problems', fx.problems, '--out', join(d, 'none'), '--resume'],
      '--resume',
    ],
    ['tune --resume without --out', () => ['tune', '--problems', fx.problems, '--resume'], '--resume'],
    [
      'tune: an optimiser budget above the limit',
      (d) => ['tune', '--problems', fx.problems, '--budget', '2000000000', '--out', join(d, 't')],
      '--budget',
    ],
    [
      'train --resume on a missing folder',
      (d) => ['train', '--resume', '--out', join(d, 'none'), '--backend', 'cpu'],
      '--resume',
    ],
    [
      'train --resume with setup options',
      (d) => ['train', '--resume', '--out', join(d, 'none'), '--agent', 'ppo'],
      '--resume',
    ],
    [
      'train --bw-ratio without --synth-groups',
      (d) => ['train', '--agent', 'a2c', '--steps', '8', '--bw-ratio', '1', '--out', join(d, 'r')],
      '--bw-ratio',
    ],
    [
      'table synth: jobs x cores above the cell limit',
      () => ['table', 'synth', '--jobs', '1000000', '--cores', '4096'],
      'cells',
    ],
    [
      'workload --csv of several groups',
      (d) => ['workload', '--task', 'mix', '--jobs', '3', '--groups', '2', '--csv', join(d, 'x.csv')],
      '--csv',
    ],
  ];
  for (const [name, argv, mention] of cases) {
    it(name, async () => {
      const dir = sandbox();
      const o = await cli(argv(dir));
      tally.add('combination', o);
      expectRefusal(o, [mention]);
      expect(listTree(dir)).toEqual([]);
    });
  }
});

describe('a refused spec leaves nothing behind, and the corrected spec then runs', () => {
  const valid = () => ({
    name: 'mut',
    problems: [
      { synth: { jobs: 8, cores: 2, bwRatio: 1, seed: 1 } },
      { task: 'mix', group: 0, platform: 'S2', bw: 16 },
    ],
    mappers: ['random', { optimizer: 'ga', name: 'ga2', params: { population: 10 } }],
    budget: 20,
    seeds: [1, 2],
  });
  type Spec = ReturnType<typeof valid> & Record<string, unknown>;
  const mutations: [string, (s: Spec, d: string) => void][] = [
    ['a group out of range', (s) => (s.problems[1] = { task: 'mix', group: 10, platform: 'S2', bw: 16 })],
    ['an unknown task', (s) => (s.problems[1] = { task: 'nope', group: 0, platform: 'S2', bw: 16 })],
    ['an unknown platform', (s) => (s.problems[1] = { task: 'mix', group: 0, platform: 'S9', bw: 16 })],
    [
      'a bandwidth the evaluator would overflow',
      (s) => (s.problems[1] = { task: 'mix', group: 0, platform: 'S2', bw: 1e-300 }),
    ],
    [
      'a synthetic bandwidth ratio out of range',
      (s) => (s.problems[0] = { synth: { jobs: 8, cores: 2, bwRatio: 1e300, seed: 1 } }),
    ],
    [
      'a synthetic table above the size limit',
      (s) => (s.problems[0] = { synth: { jobs: 1_000_000, cores: 4096, bwRatio: 1, seed: 1 } }),
    ],
    ['a missing table file', (s, d) => (s.problems[0] = { table: join(d, 'none.json') } as never)],
    [
      'a table file with a value out of range',
      (s, d) => {
        const t = tableToJson(synthTable({ jobs: 4, cores: 2, bwRatio: 1, seed: 1 }));
        t.latency[2]![1] = 1e300;
        writeFileSync(join(d, 'bad.json'), JSON.stringify(t));
        s.problems[0] = { table: join(d, 'bad.json') } as never;
      },
    ],
    [
      'a workload group out of range',
      (s) => (s.problems[1] = { jobs: fx.workload, group: 5, platform: 'S2', bw: 16 } as never),
    ],
    ['an unknown optimiser', (s) => (s.mappers[0] = 'nope')],
    [
      'an unknown hyper-parameter',
      (s) => (s.mappers[1] = { optimizer: 'ga', name: 'ga2', params: { nope: 1 } } as never),
    ],
    [
      'a hyper-parameter out of range',
      (s) => (s.mappers[1] = { optimizer: 'ga', name: 'ga2', params: { population: -1 } }),
    ],
    ['an agent without a run or training', (s) => (s.mappers[1] = { agent: 'ppo' } as never)],
    [
      'an agent run that does not exist',
      (s, d) => (s.mappers[1] = { agent: 'ppo', run: join(d, 'none') } as never),
    ],
    ['a budget of 0', (s) => (s.budget = 0)],
    ['a budget above the limit', (s) => (s.budget = 2e9)],
    ['a negative seed', (s) => (s.seeds = [-1])],
    ['a seed twice', (s) => (s.seeds = [1, 1])],
    ['an unknown baseline', (s) => (s.baseline = 'nope')],
    ['an unknown field', (s) => (s.extra = 1)],
  ];

  it('generated mutations of a valid spec', async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray(mutations, { minLength: 1, maxLength: 2 }), async (chosen) => {
        const dir = sandbox();
        const spec = valid() as Spec;
        for (const [, mutate] of chosen) mutate(spec, dir);
        const path = join(dir, 'spec.json');
        writeFileSync(path, JSON.stringify(spec));
        const out = join(dir, 'run');
        const before = listTree(dir);
        const o = await cli(['compare', '--spec', path, '--out', out, '--workers', '0', '--no-charts']);
        tally.add('spec-mutation', o);
        expectRefusal(o, ['spec', 'problem', 'mapper', 'baseline', 'table', 'platform', 'bwRatio', 'group']);
        expect(listTree(dir), chosen.map((c) => c[0]).join(' + ')).toEqual(before);
        expect(existsSync(out)).toBe(false);
      }),
      { seed: SEED, numRuns: 16 * RUNS },
    );
    // The corrected spec runs into the same folder: nothing of the refused one is in the way.
    const dir = sandbox();
    const path = join(dir, 'spec.json');
    const spec = valid() as Spec;
    spec.seeds = [-1];
    writeFileSync(path, JSON.stringify(spec));
    const out = join(dir, 'run');
    expectRefusal(await cli(['compare', '--spec', path, '--out', out, '--workers', '0']));
    writeFileSync(path, JSON.stringify(valid()));
    const ok = await cli(['compare', '--spec', path, '--out', out, '--workers', '0', '--no-charts']);
    expect(ok.code, ok.stderr).toBe(0);
  });
});

describe('progress for long work when stderr is not a terminal', () => {
  function capture(isTTY: boolean): { io: CliIO; lines: string[] } {
    const lines: string[] = [];
    return { io: { stdout: () => {}, stderr: (t) => lines.push(t), isTTY }, lines };
  }

  it('one line at most every 5 s, none for work shorter than that', () => {
    let now = 0;
    const { io, lines } = capture(false);
    const bar = new ProgressBar(io, 1000, 'search', { now: () => now });
    // Updates every 100 ms for 23 s.
    for (let k = 1; k <= 230; k++) {
      now = 100 * k;
      bar.update(k * 4, 'best 1.2 x LB');
    }
    bar.done();
    expect(lines.length).toBe(4);
    expect(lines.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    expect(lines[0]).toBe('search: 200/1000 (20.0%) after 5 s, best 1.2 x LB\n');
    const short = capture(false);
    const quick = new ProgressBar(short.io, 10, 'x', { now: () => 0 });
    for (let k = 1; k <= 10; k++) quick.update(k);
    quick.done();
    expect(short.lines).toEqual([]);
  });

  it('a terminal gets the redrawn bar, not log lines', () => {
    let now = 0;
    const { io, lines } = capture(true);
    const bar = new ProgressBar(io, 10, 'x', { now: () => now });
    for (let k = 1; k <= 10; k++) {
      now = 200 * k;
      bar.update(k);
    }
    expect(lines.every((l) => l.startsWith('\r'))).toBe(true);
  });
});

describe('the native backend is optional: one short line, the import error only with --verbose', () => {
  it('train with the automatic backend', async () => {
    const dir = sandbox();
    const args = [
      'train',
      '--agent',
      'a2c',
      '--table',
      fx.table,
      '--steps',
      '16',
      '--param',
      'numEnvs=2',
      '--param',
      'numSteps=8',
    ];
    const quiet = await cli([...args, '--out', join(dir, 'a')]);
    expect(quiet.code, quiet.stderr).toBe(0);
    const backendLines = quiet.stderr.split('\n').filter((l) => l.includes('backend'));
    expect(backendLines).toHaveLength(1);
    expect(backendLines[0]).toMatch(/^m3e train: backend (node|wasm|cpu)$/);
    expect(quiet.stderr).not.toContain('Cannot find');
    const verbose = await cli([...args, '--out', join(dir, 'b'), '--verbose']);
    expect(verbose.code).toBe(0);
    if (!verbose.stderr.includes('backend node'))
      expect(verbose.stderr).toMatch(/backend \w+ \(skipped node: /);
  });
});

describe('a table within the limits never overflows the evaluator or the lower bound', () => {
  const { VALUE_MIN, VALUE_MAX, MAX_LATENCY_SPREAD } = TABLE_LIMITS;
  /** Magnitudes at the ends of the allowed range, and between. */
  const extreme = fc.constantFrom(VALUE_MIN, VALUE_MAX, 1, 1e-30, 1e30, 3.7e45, 2.2e-52);
  it('makespan, bound, ratio and utilisations stay finite, the bound below the makespan', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 5 }),
        // Latencies: a base and factors up to the largest spread the limits allow.
        fc.constantFrom(VALUE_MIN, 1e-30, 1, 1e30, VALUE_MAX / MAX_LATENCY_SPREAD),
        fc.array(fc.double({ min: 0, max: Math.log10(MAX_LATENCY_SPREAD) - 1e-9, noNaN: true }), {
          minLength: 60,
          maxLength: 60,
        }),
        fc.array(fc.oneof(extreme, fc.constant(0)), { minLength: 60, maxLength: 60 }),
        extreme,
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (J, C, base, exps, ws, B, seed) => {
          const table = makeTable({
            systemBandwidth: B,
            latency: Array.from({ length: J }, (_, j) =>
              Array.from({ length: C }, (_, c) => Math.min(VALUE_MAX, base * 10 ** exps[(j * C + c) % 60]!)),
            ),
            bandwidth: Array.from({ length: J }, (_, j) =>
              Array.from({ length: C }, (_, c) => ws[(j * C + c) % 60]!),
            ),
          });
          const rng = new Rng(seed);
          const core = Int32Array.from({ length: J }, () => rng.int(C));
          const priority = Float64Array.from({ length: J }, () => rng.float());
          const r = new Evaluator(table).evaluate({ core, priority });
          const lb = lowerBound(table);
          for (const v of [r.makespan, lb, r.makespan / lb, r.bandwidthUtilization, r.coreUtilization])
            expect(Number.isFinite(v)).toBe(true);
          // The bound holds up to the rounding the spread limit allows.
          expect(r.makespan / lb).toBeGreaterThanOrEqual(1 - 1e-3);
        },
      ),
      { seed: SEED, numRuns: 400 },
    );
  });
});
