// Attacks every command and every option class with generated bad values, as a user would
// type them: each must be refused with exit 2 and one line on stderr naming the option (or
// the field), with no stack trace and nothing written. The inventory is checked against the
// program itself, so a new option without an attack fails here.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../app/cli/main.js';
import { TASK_NAMES } from '../../models/tasks.js';
import { listOptimizers } from '../../src/optim/registry.js';
import { MAX_BUDGET } from '../../src/optim/search.js';
import { listPresets } from '../../src/platform/presets.js';
import { tempDir } from '../helpers/cli.js';
import { caseFolders, cli, expectRefusal, listTree, RUNS, SEED, Tally, tinyTrainArgs } from './harness.js';

const tally = new Tally();
const root = tempDir('m3e-attack-');
const sandbox = caseFolders(root);

// ---------------------------------------------------------------------------------------------
// Valid fixtures the attacks need around the bad value (a search result, a trained run).

const fixtures = { result: '', mapping: '', run: '', problems: '', workload: '', table: '' };

beforeAll(async () => {
  const dir = join(root, 'fixtures');
  mkdirSync(dir, { recursive: true });
  fixtures.table = join(dir, 'table.json');
  const t = await cli([
    'table',
    'synth',
    '--jobs',
    '6',
    '--cores',
    '2',
    '--seed',
    '3',
    '--out',
    fixtures.table,
  ]);
  expect(t.code).toBe(0);
  fixtures.result = join(dir, 'result.json');
  const s = await cli(['search', '--table', fixtures.table, '--budget', '20', '--out', fixtures.result]);
  expect(s.code).toBe(0);
  fixtures.mapping = fixtures.result;
  fixtures.problems = join(dir, 'problems.json');
  writeFileSync(fixtures.problems, JSON.stringify([{ synth: { jobs: 6, cores: 2, bwRatio: 1, seed: 1 } }]));
  fixtures.workload = join(dir, 'workload.json');
  const w = await cli([
    'workload',
    '--task',
    'mix',
    '--jobs',
    '4',
    '--groups',
    '2',
    '--out',
    fixtures.workload,
  ]);
  expect(w.code).toBe(0);
  fixtures.run = join(dir, 'run');
  const r = await cli(tinyTrainArgs(fixtures.table, fixtures.run));
  expect(r.code, r.stderr).toBe(0);
});

afterAll(() => {
  console.log(tally.summary('bad-values'));
  expect(tally.stackTraces).toBe(0);
});

// ---------------------------------------------------------------------------------------------
// Bad values by class. Each generator yields only values the documented rule refuses.

const junk = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ maxLength: 6, unit: 'binary' }),
  fc.constantFrom(
    '',
    ' ',
    'NaN',
    'Infinity',
    '-Infinity',
    '1e400',
    'abc',
    '12abc',
    '١٢',
    'a\nb',
    '\t',
    '--',
    '-',
  ),
);

function isNumberText(s: string): boolean {
  return s.trim() !== '' && Number.isFinite(Number(s));
}

function badInt(min: number, max: number): fc.Arbitrary<string> {
  const ok = (s: string) => {
    const v = Number(s);
    return s.trim() !== '' && Number.isSafeInteger(v) && v >= min && v <= max;
  };
  return fc
    .oneof(
      junk,
      fc.double({ noDefaultInfinity: false }).map(String),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 }).map(String),
      fc.constantFrom('1.5', '-0.5', '1e300', '9007199254740993', String(max + 1), String(min - 1)),
    )
    .filter((s) => !ok(s));
}

function badFloat(o: { positive?: boolean; min?: number; max?: number }): fc.Arbitrary<string> {
  const ok = (s: string) => {
    if (!isNumberText(s)) return false;
    const v = Number(s);
    return (
      !(o.positive && !(v > 0)) && !(o.min !== undefined && v < o.min) && !(o.max !== undefined && v > o.max)
    );
  };
  return fc
    .oneof(
      junk,
      fc.double({ noDefaultInfinity: false }).map(String),
      fc.constantFrom('-1', '0', '1e400', '-1e-300'),
    )
    .filter((s) => !ok(s));
}

const MAX_SEED = Number.MAX_SAFE_INTEGER;
const badSeed = badInt(0, MAX_SEED);

/** Strings that name nothing in `valid` (compared as the parser compares them). */
function badName(
  valid: readonly string[],
  normalise: (s: string) => string = (s) => s,
): fc.Arbitrary<string> {
  const set = new Set(valid.map(normalise));
  return fc
    .oneof(junk, fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,10}$/))
    .filter((s) => !set.has(normalise(s)) && !s.includes('/') && !/\.[A-Za-z]+$/.test(s));
}

/** `key=value` flags: no `=`, an empty key, or a key the target does not know. */
function badKeyValue(known: readonly string[], badValues: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    junk.filter((s) => !s.includes('=') || s.indexOf('=') === 0),
    fc
      .stringMatching(/^[a-z][a-zA-Z]{2,8}$/)
      .filter((k) => !known.includes(k))
      .map((k) => `${k}=1`),
    ...(badValues.length ? [fc.constantFrom(...badValues)] : []),
  );
}

const taskNames = [...TASK_NAMES, 'conv', 'lang', 'recom', 'vision', 'language', 'recommendation'];
const optimizerNames = listOptimizers().map((s) => s.name);
const presetNames = listPresets().map((p) => p.name);

// ---------------------------------------------------------------------------------------------
// The inventory: command, option, class, the valid context it needs, and its bad values.

interface Attack {
  readonly cls: string;
  /** Command words, e.g. ['table', 'synth']. */
  readonly cmd: readonly string[];
  /** The option attacked (`<arg>` for a positional argument). */
  readonly flag: string;
  readonly values: fc.Arbitrary<string>;
  /** Valid options around the bad value; `dir` is the case's sandbox. */
  readonly base?: (dir: string) => string[];
  /** Words the refusal may name instead of the flag (the field it sets). */
  readonly mentions?: readonly string[];
  readonly runs?: number;
}

/** The problem options every problem-taking command shares. */
function problemAttacks(cmd: readonly string[], base: (dir: string) => string[]): Attack[] {
  return [
    { cls: 'float', cmd, flag: '--bw', values: badFloat({ positive: true, min: 1e-60, max: 1e60 }), base },
    { cls: 'seed', cmd, flag: '--seed', values: badSeed, base },
    {
      cls: 'int',
      cmd,
      flag: '--group',
      values: badInt(0, MAX_SEED),
      base: (d) => [...base(d), '--workload', fixtures.workload, '--platform', 'S2', '--bw', '16'],
    },
    {
      cls: 'enum',
      cmd,
      flag: '--task',
      values: badName(taskNames, (s) => s.trim().toLowerCase()),
      base: (d) => [...base(d), '--platform', 'S2', '--bw', '16'],
    },
    {
      cls: 'enum',
      cmd,
      flag: '--platform',
      values: badName(presetNames),
      base: (d) => [...base(d), '--jobs', 'magma:mix/0', '--bw', '16'],
    },
    {
      cls: 'enum',
      cmd,
      flag: '--conv-encoding',
      values: badName(['magma', 'exact']),
      base: (d) => [...base(d), '--task', 'mix', '--jobs', '4', '--platform', 'S2', '--bw', '16'],
    },
    {
      cls: 'job-source',
      cmd,
      flag: '--jobs',
      values: fc.oneof(
        fc.constantFrom('magma:mix/10', 'magma:mix/-1', 'magma:nope/0', '12', ' 3 '),
        fc.stringMatching(/^[a-z]{1,8}\.(csv|json)$/),
      ),
      base: (d) => [...base(d), '--platform', 'S2', '--bw', '16'],
      mentions: ['--jobs', 'not found', 'group', 'magma', '--task'],
    },
  ];
}

function attacks(): Attack[] {
  const searchBase = () => ['--table', fixtures.table, '--budget', '10'];
  const list: Attack[] = [
    // search
    ...problemAttacks(['search'], () => ['--budget', '10']),
    { cls: 'int', cmd: ['search'], flag: '--budget', values: badInt(1, 1e9), base: searchBase },
    {
      cls: 'enum',
      cmd: ['search'],
      flag: '--optimizer',
      values: badName(optimizerNames),
      base: searchBase,
      mentions: ['optimizer'],
    },
    {
      cls: 'key=value',
      cmd: ['search'],
      flag: '--param',
      values: badKeyValue(
        ['population', 'eliteRatio'],
        ['population=abc', 'population=-3', 'mutationRate=2', 'eliteRatio='],
      ),
      base: searchBase,
      mentions: ['--param', 'magma', 'population', 'mutationRate', 'eliteRatio'],
    },
    {
      cls: 'float',
      cmd: ['search'],
      flag: '--time-limit',
      values: badFloat({ positive: true, max: 86_400 }),
      base: () => [...searchBase(), '--bound'],
    },
    // bound: the problem options, its time limit and gap
    ...problemAttacks(['bound'], () => ['--time-limit', '1']),
    {
      cls: 'float',
      cmd: ['bound'],
      flag: '--time-limit',
      values: badFloat({ positive: true, max: 86_400 }),
      base: () => ['--table', fixtures.table],
    },
    {
      cls: 'float',
      cmd: ['bound'],
      flag: '--mip-gap',
      values: badFloat({ min: 0, max: 0.01 }),
      base: () => ['--table', fixtures.table, '--time-limit', '1'],
    },
    // evaluate, plot, analyze, envs, env-check: problem options with their required context
    ...problemAttacks(['evaluate'], () => ['--mapping', fixtures.mapping]),
    {
      cls: 'float',
      cmd: ['evaluate'],
      flag: '--time-limit',
      values: badFloat({ positive: true, max: 86_400 }),
      base: () => ['--table', fixtures.table, '--mapping', fixtures.mapping, '--bound'],
    },
    ...problemAttacks(['plot'], (d) => ['--result', fixtures.result, '--no-png', '--out', join(d, 'p')]),
    ...problemAttacks(['analyze'], () => []),
    ...problemAttacks(['envs'], () => []),
    ...problemAttacks(['env-check', 'm3e/Sequential-v0'], () => ['--episodes', '1']),
    ...problemAttacks(['rollout'], () => ['--run', fixtures.run, '--backend', 'cpu']),
    ...problemAttacks(['train'], (d) => [
      '--agent',
      'a2c',
      '--steps',
      '16',
      '--backend',
      'cpu',
      '--out',
      join(d, 'r'),
    ]),
    {
      cls: 'int',
      cmd: ['env-check', 'm3e/Sequential-v0'],
      flag: '--episodes',
      values: badInt(1, 1e7),
      base: () => ['--table', fixtures.table],
    },
    {
      cls: 'enum',
      cmd: ['env-check'],
      flag: '<arg>',
      values: badName(['m3e/Sequential-v0', 'm3e/Encoding-v0', 'CartPole-v1', 'Bandit-v0']),
      base: () => ['--table', fixtures.table],
      mentions: ['<id>', 'environment', 'env', 'unknown'],
    },
    {
      cls: 'key=value',
      cmd: ['env-check', 'm3e/Sequential-v0'],
      flag: '--option',
      values: badKeyValue(
        ['window', 'reward', 'action'],
        ['window=-1', 'window=abc', 'reward=nope', 'action=both'],
      ),
      base: () => ['--table', fixtures.table, '--episodes', '1'],
      mentions: ['--option', 'window', 'reward', 'action', 'option'],
    },
    // table synth
    { cls: 'int', cmd: ['table', 'synth'], flag: '--jobs', values: badInt(1, 1e6) },
    { cls: 'int', cmd: ['table', 'synth'], flag: '--cores', values: badInt(1, 4096) },
    { cls: 'float', cmd: ['table', 'synth'], flag: '--bw-ratio', values: badFloat({ positive: true }) },
    {
      cls: 'float',
      cmd: ['table', 'synth'],
      flag: '--heterogeneity',
      values: badFloat({ min: 0, max: 1e3 }),
    },
    { cls: 'seed', cmd: ['table', 'synth'], flag: '--seed', values: badSeed },
    // models
    {
      cls: 'enum',
      cmd: ['models'],
      flag: '--task',
      values: badName([...taskNames, 'mix'], (s) => s.trim().toLowerCase()),
    },
    {
      cls: 'enum',
      cmd: ['models', 'show'],
      flag: '<arg>',
      values: badName(['resnet50']),
      mentions: ['<name>', 'model', 'unknown'],
    },
    ...(['--resolution', '--tokens', '--batch'] as const).map(
      (flag): Attack => ({
        cls: 'int',
        cmd: ['models', 'show', 'resnet50'],
        flag,
        values: badInt(1, 2 ** 24),
      }),
    ),
    {
      cls: 'enum',
      cmd: ['models', 'show', 'resnet50'],
      flag: '--conv-encoding',
      values: badName(['magma', 'exact']),
    },
    // workload
    ...(
      [
        ['--jobs', badInt(1, 1e6)],
        ['--seed', badSeed],
        ['--groups', badInt(1, 1e4)],
      ] as const
    ).map(
      ([flag, values]): Attack => ({
        cls: flag === '--seed' ? 'seed' : 'int',
        cmd: ['workload'],
        flag,
        values,
        base: () => ['--task', 'mix'],
      }),
    ),
    {
      cls: 'enum',
      cmd: ['workload'],
      flag: '--task',
      values: badName(taskNames, (s) => s.trim().toLowerCase()),
    },
    ...(
      [
        ['--group-size', badInt(1, 1e6)],
        ['--tokens', badInt(1, 2 ** 24)],
        ['--resolution', badInt(1, 2 ** 24)],
      ] as const
    ).map(
      ([flag, values]): Attack => ({
        cls: 'int',
        cmd: ['workload'],
        flag,
        values,
        base: () => ['--requests', 'resnet50:1,bert-base:1'],
      }),
    ),
    {
      cls: 'enum',
      cmd: ['workload'],
      flag: '--order',
      values: badName(['breadth-first', 'depth-first']),
      base: () => ['--requests', 'resnet50:1'],
    },
    {
      cls: 'request-list',
      cmd: ['workload'],
      flag: '--requests',
      values: fc.oneof(
        fc.constantFrom(
          '',
          ',',
          'resnet50:0',
          'resnet50:-1',
          'resnet50@0',
          'nosuchmodel:1',
          'resnet50:1:2',
          'resnet50:x',
        ),
        fc.stringMatching(/^[a-z]{3,8}:[0-9]$/),
      ),
      mentions: ['--requests', 'request', 'model'],
    },
    {
      cls: 'int',
      cmd: ['workload'],
      flag: '--group',
      values: badInt(0, 1),
      base: () => ['--workload', fixtures.workload],
    },
    {
      cls: 'enum',
      cmd: ['workload'],
      flag: '--conv-encoding',
      values: badName(['magma', 'exact']),
      base: () => ['--task', 'mix'],
    },
    // tune
    ...(
      [
        ['--trials', badInt(1, 1e5)],
        ['--budget', badInt(1, 1e9)],
        ['--repeats', badInt(1, 1e4)],
        ['--holdout-repeats', badInt(1, 1e4)],
        ['--startup', badInt(1, 1e5)],
        ['--min-resource', badInt(1, 1e5)],
        ['--reduction-factor', badInt(2, 100)],
        ['--prune-warmup', badInt(0, 1e5)],
        ['--confirm', badInt(0, 1e5)],
      ] as const
    ).map(
      ([flag, values]): Attack => ({
        cls: 'int',
        cmd: ['tune'],
        flag,
        values,
        base: (d) => [
          '--problems',
          fixtures.problems,
          '--trials',
          '1',
          '--budget',
          '10',
          '--out',
          join(d, 't'),
        ],
      }),
    ),
    ...(
      [
        ['--seed', badSeed, 'seed'],
        ['--beta', badFloat({ min: 0 }), 'float'],
        ['--optimizer', badName(optimizerNames), 'enum'],
        ['--agent', badName(['ppo', 'a2c']), 'enum'],
        ['--sampler', badName(['gp', 'tpe', 'random', 'halton']), 'enum'],
        ['--pruner', badName(['none', 'median', 'asha']), 'enum'],
        ['--acquisition', badName(['ei', 'ucb']), 'enum'],
        [
          '--range',
          badKeyValue(
            ['population', 'mutationRate'],
            ['population=5', 'population=10:abc', 'population=:', 'mutationRate=1:x'],
          ),
          'key=value',
        ],
        [
          '--fix',
          badKeyValue(['population', 'mutationRate'], ['population=abc', 'mutationRate=-1']),
          'key=value',
        ],
      ] as const
    ).map(
      ([flag, values, cls]): Attack => ({
        cls,
        cmd: ['tune'],
        flag,
        values,
        base: (d) => [
          '--problems',
          fixtures.problems,
          '--trials',
          '1',
          '--budget',
          '10',
          '--out',
          join(d, 't'),
        ],
        mentions: [flag, 'optimizer', 'agent', 'population', 'mutationRate', 'hyper-parameter', 'parameter'],
      }),
    ),
    // train
    ...(
      [
        ['--steps', badInt(1, 1e10), 'int'],
        ['--agent', badName(['ppo', 'a2c']), 'enum'],
        ['--backend', badName(['auto', 'node', 'wasm', 'cpu']), 'enum'],
        ['--env', badName(['m3e/Sequential-v0', 'm3e/Encoding-v0']), 'enum'],
        [
          '--param',
          badKeyValue(
            ['learningRate', 'numEnvs'],
            ['learningRate=-1', 'numEnvs=0', 'numEnvs=abc', 'network.hidden=abc'],
          ),
          'key=value',
        ],
        ['--env-option', badKeyValue(['window', 'reward'], ['window=-1', 'reward=nope']), 'key=value'],
        [
          '--synth-groups',
          fc.constantFrom('', '1', '0,2', '2,0', 'a,b', '1,2,3', '1.5,2', '-1,2'),
          'jobs,cores',
        ],
      ] as const
    ).map(
      ([flag, values, cls]): Attack => ({
        cls,
        cmd: ['train'],
        flag,
        values,
        base: (d) => [
          ...(flag === '--agent' ? [] : ['--agent', 'a2c']),
          ...(flag === '--steps' ? [] : ['--steps', '16']),
          ...(flag === '--backend' ? [] : ['--backend', 'cpu']),
          ...(flag === '--synth-groups' ? [] : ['--table', fixtures.table]),
          '--out',
          join(d, 'r'),
        ],
        mentions: [
          flag,
          'agent',
          'backend',
          'environment',
          'env',
          'learningRate',
          'numEnvs',
          'network',
          'window',
          'reward',
          'option',
          'setting',
        ],
      }),
    ),
    {
      cls: 'range',
      cmd: ['train'],
      flag: '--bw-ratio',
      values: fc.constantFrom('', '0', '-1', 'a', '1,2,3', '1,x', 'Infinity', '1e400'),
      base: (d) => [
        '--agent',
        'a2c',
        '--steps',
        '16',
        '--backend',
        'cpu',
        '--synth-groups',
        '6,2',
        '--out',
        join(d, 'r'),
      ],
    },
    // rollout
    {
      cls: 'int',
      cmd: ['rollout'],
      flag: '--samples',
      values: badInt(1, 1e7),
      base: () => ['--run', fixtures.run, '--backend', 'cpu'],
    },
    {
      cls: 'enum',
      cmd: ['rollout'],
      flag: '--backend',
      values: badName(['auto', 'node', 'wasm', 'cpu']),
      base: () => ['--run', fixtures.run],
    },
    // cost
    {
      cls: 'layer',
      cmd: ['cost'],
      flag: '--layer',
      values: fc.oneof(
        fc.constantFrom(
          'conv K=2 K=3 C=3 Y=4 X=4 R=1 S=1',
          'conv K=2 Z=9 C=3 Y=4 X=4 R=1 S=1',
          'conv K=2 C=3 Y=4 X=4 R=1',
          'conv K=1e300 C=1 Y=4 X=4 R=1 S=1',
          'conv K=16777217 C=1 Y=4 X=4 R=1 S=1',
          'gemm M=16777216 N=16777216 K=16777216',
          'conv K=2 C=3 Y=2 X=2 R=3 S=3',
          'fc out=0 in=3',
          'fc out=1.5 in=3',
          'pool K=1',
          '',
          'conv K',
        ),
        fc.stringMatching(/^(conv|gemm|fc|dwconv) [A-Za-z]{1,3}=-?[0-9]{1,3}$/),
      ),
      mentions: ['--layer', 'layer'],
    },
    {
      cls: 'enum',
      cmd: ['cost'],
      flag: '--style',
      values: badName(['dla', 'shi', 'eye']),
      base: () => ['--layer', 'fc out=10 in=20'],
      mentions: ['--style', 'dataflow', 'style'],
    },
    ...(['--pes', '--cluster-size'] as const).map(
      (flag): Attack => ({
        cls: 'int',
        cmd: ['cost'],
        flag,
        values: badInt(1, 2 ** 24),
        base: () => ['--layer', 'fc out=10 in=20'],
      }),
    ),
    // compare
    {
      cls: 'int',
      cmd: ['compare'],
      flag: '--workers',
      values: badInt(0, 1024),
      base: (d) => ['--out', join(d, 'c')],
    },
    {
      cls: 'shard',
      cmd: ['compare'],
      flag: '--shard',
      values: fc.oneof(
        fc.constantFrom('', '0/1', '2/1', '1/0', '1', '/', 'a/b', '1/2/3', '-1/2', '1.5/2'),
        fc
          .tuple(fc.integer({ min: 2, max: 50 }), fc.integer({ min: 1, max: 49 }))
          .filter(([i, n]) => i > n)
          .map(([i, n]) => `${i}/${n}`),
      ),
      base: (d) => ['--out', join(d, 'c')],
    },
    {
      cls: 'enum',
      cmd: ['compare'],
      flag: '--spec',
      values: badName(['quick', 'paper', 'agents']),
      base: (d) => ['--out', join(d, 'c')],
      mentions: ['spec'],
    },
    {
      cls: 'enum',
      cmd: ['compare'],
      flag: '--baseline',
      values: badName(['magma', 'ga', 'cmaes', 'random', 'heft-heft', 'herald']),
      base: (d) => ['--out', join(d, 'c')],
    },
    // compare with equal tuning budgets
    ...(
      [
        ['--tune-budget', badInt(1, 1e5)],
        ['--tune-evals', badInt(1, MAX_BUDGET)],
        ['--tune-repeats', badInt(1, 1e4)],
      ] as const
    ).map(
      ([flag, values]): Attack => ({
        cls: 'int',
        cmd: ['compare'],
        flag,
        values,
        base: (d) => ['--out', join(d, 'c'), '--tune-problems', fixtures.problems, '--tune-budget', '10'],
      }),
    ),
    {
      cls: 'enum',
      cmd: ['compare'],
      flag: '--tune-sampler',
      values: badName(['tpe', 'gp', 'random']),
      base: (d) => ['--out', join(d, 'c'), '--tune-problems', fixtures.problems, '--tune-budget', '10'],
    },
    {
      cls: 'job-source',
      cmd: ['compare'],
      flag: '--tune-problems',
      values: fc.stringMatching(/^[a-z]{1,8}\.json$/),
      base: (d) => ['--out', join(d, 'c'), '--tune-budget', '10'],
    },
    // bench, validate, leaderboard
    {
      cls: 'enum',
      cmd: ['bench'],
      flag: '--suite',
      values: badName(['bench-v1']),
      base: (d) => ['--out', join(d, 'b')],
    },
    {
      cls: 'enum',
      cmd: ['bench'],
      flag: '--mappers',
      values: badName(optimizerNames),
      base: (d) => ['--out', join(d, 'b')],
      mentions: ['--mappers', 'optimizer'],
    },
    {
      cls: 'int',
      cmd: ['bench'],
      flag: '--workers',
      values: badInt(0, 1024),
      base: (d) => ['--out', join(d, 'b')],
    },
    {
      cls: 'enum',
      cmd: ['validate'],
      flag: '--spec',
      values: badName(['quick', 'paper', 'agents']),
      base: (d) => [d],
      mentions: ['--spec', 'spec'],
    },
    {
      cls: 'enum',
      cmd: ['validate'],
      flag: '<arg>',
      values: fc.stringMatching(/^[a-z]{1,8}$/).filter((p) => !existsSync(p)),
      mentions: ['<path>'],
    },
    {
      cls: 'enum',
      cmd: ['leaderboard'],
      flag: '--suite',
      values: badName(['bench-v1']),
      base: (d) => [d],
    },
    {
      cls: 'enum',
      cmd: ['leaderboard'],
      flag: '<arg>',
      values: fc.stringMatching(/^[a-z]{1,8}$/).filter((p) => !existsSync(p)),
      mentions: ['<runs>'],
    },
  ];
  return list;
}

/** Options that take no value, or whose attacks live in the file-fault and interrupt suites. */
const ELSEWHERE = new Set([
  '--json',
  '--flexible',
  '--maestro-compat',
  '--timeline',
  '--resume',
  '--report-only',
  '--no-charts',
  '--no-png',
  '--no-bounds',
  '--bound',
  '--plain',
  '--no-default-trial',
  '--no-tune-prune',
  '--multivariate',
  '--new-groups',
  '--no-preset',
  '--verbose',
  // files (read and write): test/reliability/file-faults.test.ts
  '--table',
  '--workload',
  '--mapping',
  '--result',
  '--out',
  '--csv',
  '--problems',
  '--holdout',
  '--dataflow-file',
  '--run',
]);

describe('every option of every command refuses bad values in one line', () => {
  const list = attacks();

  it('covers every option of every command (the inventory follows the program)', () => {
    const program = buildProgram({ stdout: () => {}, stderr: () => {}, isTTY: false });
    const missing: string[] = [];
    const walk = (c: Command, words: string[]) => {
      for (const sub of c.commands) {
        const path = [...words, sub.name()];
        const attacked = list.filter((a) => a.cmd.slice(0, path.length).join(' ') === path.join(' '));
        for (const o of sub.options) {
          const flag = o.long!;
          if (ELSEWHERE.has(flag)) continue;
          if (!attacked.some((a) => a.flag === flag)) missing.push(`${path.join(' ')} ${flag}`);
        }
        if (sub.registeredArguments.length && !attacked.some((a) => a.flag === '<arg>'))
          missing.push(`${path.join(' ')} <${sub.registeredArguments[0]!.name()}>`);
        walk(sub, path);
      }
    };
    walk(program, []);
    expect(missing).toEqual([]);
  });

  list.forEach((a, k) => {
    it(`${a.cmd.join(' ')} ${a.flag} (${a.cls})`, async () => {
      await fc.assert(
        fc.asyncProperty(a.values, async (value) => {
          const dir = sandbox();
          const argv =
            a.flag === '<arg>'
              ? [...a.cmd, ...(a.base?.(dir) ?? []), '--', value]
              : [...a.cmd, ...(a.base?.(dir) ?? []), `${a.flag}=${value}`];
          const o = await cli(argv);
          tally.add(a.cls, o);
          expectRefusal(o, [a.flag, ...(a.mentions ?? [])]);
          // A refused run leaves nothing behind.
          expect(listTree(dir), `m3e ${JSON.stringify(argv)} left files`).toEqual([]);
        }),
        { seed: SEED + k, numRuns: (a.runs ?? 8) * RUNS },
      );
    });
  });
});
