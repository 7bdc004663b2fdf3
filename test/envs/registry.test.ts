import { describe, expect, it } from 'vitest';
import * as gym from '../../envs/index.js';
import { fixedTable, synthSource, tablePool } from '../../envs/m3e/problem-source.js';
import { getEnvSpec, listEnvs, make, register } from '../../envs/registry.js';
import { TimeLimit } from '../../envs/wrappers/time-limit.js';
import { InputError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { synthTable } from '../../src/core/synth.js';

const table = synthTable({ jobs: 6, cores: 2, bwRatio: 1, seed: 3 });

describe('registry', () => {
  it('lists the M3E environments and makes them with validated options', () => {
    expect(listEnvs().map((s) => s.id)).toEqual(
      expect.arrayContaining(['m3e/Sequential-v0', 'm3e/Encoding-v0', 'm3e/Dispatch-v0']),
    );
    const env = make('m3e/Sequential-v0', { table, window: 3, action: 'discrete', reward: 'terminal' });
    expect(String(env.actionSpace)).toBe('Discrete(6)');
    expect(env.spec).toEqual({
      id: 'm3e/Sequential-v0',
      options: {
        window: 3,
        action: 'discrete',
        reward: 'terminal',
        problem: { kind: 'fixed', jobs: 6, cores: 2 },
      },
    });
    expect(() => make('m3e/Sequential-v1')).toThrow(
      /unknown environment "m3e\/Sequential-v1" \(registered: .*m3e\/Sequential-v0/,
    );
    expect(() => make('m3e/Sequential-v0', { table, windows: 3 })).toThrow(
      /unknown hyper-parameter "windows"/,
    );
    expect(() => make('m3e/Sequential-v0', { table, action: 'flat' })).toThrow(/action must be one of/);
    expect(() => make('m3e/Encoding-v0', { table, source: fixedTable(table) })).toThrow(
      /either table or source/,
    );
  });

  it('defaults to a synthetic 100-job, 4-core table and wraps a time limit on request', () => {
    const env = make('m3e/Encoding-v0');
    expect(env.observationSpace.shape).toEqual([100, 2, 4]);
    const limited = make('m3e/Sequential-v0', { table, maxEpisodeSteps: 2 });
    expect(limited).toBeInstanceOf(TimeLimit);
    expect(limited.spec?.maxEpisodeSteps).toBe(2);
    expect(limited.unwrapped).toBeInstanceOf(gym.SequentialEnv);
  });

  it('registers new environments by id, refusing duplicates and malformed ids', () => {
    register({
      id: 'test/Tiny-v0',
      description: 'the sequential env with a one-slot window',
      params: {},
      create: (source) => new gym.SequentialEnv(source, { window: 1 }),
    });
    expect(String(make('test/Tiny-v0', { table }).actionSpace)).toBe('MultiDiscrete([1 2])');
    expect(getEnvSpec('test/Tiny-v0').description).toMatch(/one-slot/);
    const spec = { id: 'test/Tiny-v0', description: '', params: {}, create: () => make('m3e/Encoding-v0') };
    expect(() => register(spec)).toThrow(/already registered/);
    expect(() => register({ ...spec, id: 'Tiny' })).toThrow(/namespace\/Name-v0/);
  });

  it('exports the gym from its package entry (import { make } from "m3e/gym")', () => {
    const env = gym.make('m3e/Sequential-v0', {
      table: synthTable({ jobs: 4, cores: 2, bwRatio: 1, seed: 1 }),
    });
    expect(gym.checkEnv(env).passed).toBe(true);
    for (const name of [
      'Box',
      'Discrete',
      'MultiDiscrete',
      'Dict',
      'Tuple',
      'SyncVectorEnv',
      'TimeLimit',
      'NormalizeObservation',
      'EncodingEnv',
      'synthSource',
      'makeVec',
      'flatten',
      'problemSource',
    ])
      expect(gym, name).toHaveProperty(name);
  });
});

describe('problem sources', () => {
  it('fixedTable returns its table', () => {
    const s = fixedTable(table);
    expect(s.next(new Rng(1))).toBe(table);
    expect([s.numJobs, s.numCores]).toEqual([6, 2]);
  });

  it('synthSource draws a new table per draw, deterministic in the generator, bandwidth in range', () => {
    const s = synthSource({ jobs: 20, cores: 4, bwRatio: [0.25, 4], heterogeneity: [0, 1] });
    const a = s.next(new Rng(5));
    const b = s.next(new Rng(5));
    expect(Array.from(b.latency)).toEqual(Array.from(a.latency));
    expect(b.systemBandwidth).toBe(a.systemBandwidth);
    const rng = new Rng(6);
    for (let i = 0; i < 30; i++) {
      const t = s.next(rng);
      const meanW = t.bandwidth.reduce((x, y) => x + y, 0) / t.bandwidth.length;
      const ratio = t.systemBandwidth / (t.numCores * meanW);
      expect(ratio).toBeGreaterThanOrEqual(0.25 * (1 - 1e-12));
      expect(ratio).toBeLessThanOrEqual(4 * (1 + 1e-12));
    }
    expect(() => synthSource({ jobs: 20, cores: 4, bwRatio: [4, 1] })).toThrow(/bwRatio must be/);
    expect(() => synthSource({ jobs: 0, cores: 4, bwRatio: 1 })).toThrow(InputError);
  });

  it('tablePool draws only from its tables, all of one size', () => {
    const tables = [1, 2, 3].map((seed) => synthTable({ jobs: 6, cores: 2, bwRatio: 1, seed }));
    const s = tablePool(tables);
    const rng = new Rng(0);
    const seen = new Set(Array.from({ length: 60 }, () => tables.indexOf(s.next(rng))));
    expect(seen).toEqual(new Set([0, 1, 2]));
    expect(() => tablePool([table, synthTable({ jobs: 7, cores: 2, bwRatio: 1, seed: 1 })])).toThrow(
      /table 1 is 7 jobs x 2 cores/,
    );
    // An env on a pool: train groups drawn at reset; a held-out group via reset options.
    const env = make('m3e/Sequential-v0', { source: s });
    env.reset({ seed: 1 });
    expect(tables).toContain((env.unwrapped as InstanceType<typeof gym.SequentialEnv>).table);
  });
});
