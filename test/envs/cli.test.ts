import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthTable } from '../../src/core/synth.js';
import { tableToJson } from '../../src/core/table.js';
import { runCliArgs as run } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'm3e-envs-'));
const tablePath = join(dir, 'table.json');
writeFileSync(
  tablePath,
  JSON.stringify(tableToJson(synthTable({ jobs: 10, cores: 3, bwRatio: 0.5, seed: 1 }))),
);

describe('m3e envs / env-check', () => {
  it('lists the environments with their spaces for the given table', async () => {
    const r = await run(['envs', '--table', tablePath, '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out);
    const seq = list.envs.find((e: { id: string }) => e.id === 'm3e/Sequential-v0');
    expect(seq.actionSpace).toEqual({ type: 'MultiDiscrete', nvec: [5, 3], start: [0, 0] });
    expect(seq.observationSpace).toMatchObject({ type: 'Box', shape: [2 * 3 + 5 * 7 + 1], low: 0, high: 1 });
    expect(seq.options.map((o: { name: string }) => o.name)).toEqual(['window', 'action', 'reward']);
    expect((await run(['envs'])).out).toMatch(/m3e\/Encoding-v0[\s\S]*Box\(0, 1, \(100, 2, 4\), float32\)/);
  });

  it('checks an environment and times random episodes, as JSON', async () => {
    const r = await run([
      'env-check',
      'm3e/Sequential-v0',
      '--table',
      tablePath,
      '--option',
      'window=2',
      '--option',
      'action=discrete',
      '--episodes',
      '4',
      '--seed',
      '3',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out);
    expect(Object.keys(o)).toEqual(
      expect.arrayContaining(['env', 'passed', 'checks', 'episodes', 'stepsPerSecond']),
    );
    expect(o).toMatchObject({ env: 'm3e/Sequential-v0', passed: true, episodes: 4, steps: 40 });
    expect(o.options).toMatchObject({ window: 2, action: 'discrete' });
    expect(o.checks.every((c: { passed: boolean }) => c.passed)).toBe(true);
    expect(o.stepsPerSecond).toBeGreaterThan(0);
    expect(o.meanReturn).toBeLessThan(-1); // makespan / LB >= 1
  });

  it('refuses unknown environments and bad options with one-line errors (exit 2)', async () => {
    const a = await run(['env-check', 'm3e/Nope-v0']);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/^m3e: unknown environment "m3e\/Nope-v0" \(registered: .*\)\n$/);
    const b = await run(['env-check', 'm3e/Sequential-v0', '--option', 'reward=sparse']);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/reward must be one of dense, terminal, paper, got "sparse"/);
    const c = await run(['env-check', 'm3e/Encoding-v0', '--option', 'window=3']);
    expect(c.err).toMatch(/unknown hyper-parameter "window" \(known: none\)/);
  });
});
