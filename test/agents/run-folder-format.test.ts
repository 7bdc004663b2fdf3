// Run folders written before problems had one description (format 1) open as the same
// problems: a fixed table, a new synthetic group every episode, a new zoo group every episode.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUN_FORMAT_VERSION, RunFolder } from '../../agents/run-folder.js';
import { synthTable } from '../../src/core/synth.js';
import { tableToJson } from '../../src/core/table.js';
import { tempDir } from '../helpers/cli.js';

function v1Run(problem: Record<string, unknown>): string {
  const dir = join(tempDir(), 'run');
  mkdirSync(dir);
  const manifest = {
    version: 1,
    algo: 'ppo',
    settings: { algo: 'ppo' },
    env: { id: 'm3e/Sequential-v0', options: { window: 3 }, problem },
    seed: 2,
    totalSteps: 64,
    createdAt: '2026-11-26T00:00:00.000Z',
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(manifest));
  return dir;
}

describe('run folders of format 1', () => {
  it('open with their problem as a description', () => {
    const table = tableToJson(synthTable({ jobs: 3, cores: 2, bwRatio: 1, seed: 1 }));
    const fixed = RunFolder.open(v1Run({ kind: 'table', source: 'my group', table })).manifest;
    expect(RUN_FORMAT_VERSION).toBe(2);
    expect(fixed.env).toEqual({
      id: 'm3e/Sequential-v0',
      options: { window: 3 },
      problem: { table, name: 'my group' },
    });
    const synth = RunFolder.open(
      v1Run({ kind: 'synth-groups', jobs: 6, cores: 2, bwRatio: [0.5, 2], heterogeneity: 0.3 }),
    ).manifest;
    expect(synth.env.problem).toEqual({
      synth: { jobs: 6, cores: 2, bwRatio: [0.5, 2], seed: 0, heterogeneity: 0.3 },
    });
    expect(synth.env.newGroups).toBe(true);
    const task = RunFolder.open(
      v1Run({ kind: 'task-groups', task: 'mix', jobs: 12, platform: 'S2', bw: 16 }),
    ).manifest;
    expect(task.env.problem).toEqual({ task: 'mix', jobs: 12, platform: 'S2', bw: 16, seed: 0 });
    expect(task.env.newGroups).toBe(true);
  });

  it('refuses a problem that is no description, naming it', () => {
    expect(() => RunFolder.open(v1Run({ kind: 'mystery' }))).toThrow(
      /env\.problem: problem needs exactly one of/,
    );
  });
});
