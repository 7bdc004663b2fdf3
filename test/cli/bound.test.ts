// `m3e bound`, and `--bound` on evaluate and search, in-process.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMagmaGroup } from '../../models/magma-groups.js';
import { analyzeJobs } from '../../src/analyzer/analyze.js';
import { lowerBound } from '../../src/core/bounds.js';
import { presetPlatform } from '../../src/platform/presets.js';
import { runCli, tempDir } from '../helpers/cli.js';

describe('m3e bound', () => {
  // The authors' Recommendation group 0 on S5 at 1 B/cycle: bandwidth binds hard.
  const recomS5 = [
    'bound',
    '--jobs',
    'magma:recom/0',
    '--platform',
    'S5',
    '--bw',
    '1',
    '--time-limit',
    '20',
    '--json',
  ];

  it('prints the JSON fields for a built-in group, the bound above the simple one', async () => {
    const r = await runCli(...recomS5);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const k of [
      'bound',
      'simpleBound',
      'status',
      'mipGap',
      'seconds',
      'precision',
      'makespan',
      'optimal',
    ])
      expect(out).toHaveProperty(k);
    const table = analyzeJobs(readMagmaGroup('magma:recom/0'), presetPlatform('S5'), {
      systemBandwidth: 1,
      flexible: false,
      maestroCompat: false,
    });
    expect(out.simpleBound).toBe(lowerBound(table));
    // The progress-clock rows lift this contended table far above the simple bound (5.59x).
    expect(out.bound / out.simpleBound).toBeGreaterThan(5.5);
    expect(out.bound).toBeLessThanOrEqual(out.makespan);
    expect(['optimal', 'time-limit']).toContain(out.status);
  });

  it('--plain gives the relaxation alone: a lower bound there', async () => {
    const strong = JSON.parse((await runCli(...recomS5)).stdout);
    const plain = JSON.parse((await runCli(...recomS5, '--plain')).stdout);
    expect(plain.strengthened).toBe(false);
    expect(plain.bound).toBeLessThan(strong.bound);
  });

  it('rejects a bad time limit with the flag and the value', async () => {
    const r = await runCli('bound', '--time-limit', '-1');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--time-limit must be > 0, got -1');
  });

  it('search and evaluate --bound report the gap to it', async () => {
    const dir = tempDir();
    const res = join(dir, 'res.json');
    const problem = ['--task', 'mix', '--jobs', '20', '--platform', 'S2', '--bw', '4'];
    const s = await runCli(
      'search',
      ...problem,
      '--budget',
      '500',
      '--out',
      res,
      '--bound',
      '--time-limit',
      '10',
      '--json',
    );
    expect(s.code).toBe(0);
    const found = JSON.parse(s.stdout);
    expect(found.gap).toBeCloseTo(found.makespan / found.certifiedBound - 1, 12);
    expect(found.certifiedBound).toBeLessThanOrEqual(found.makespan);
    const e = await runCli('evaluate', ...problem, '--mapping', res, '--bound', '--time-limit', '10');
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(
      /certified bound +[\d.]+ cycles +\((optimal|time-limit) in [\d.]+ s; gap [\d.]+ %/,
    );
    expect(e.stdout).toContain('(simple; makespan / LB');
  });
});
