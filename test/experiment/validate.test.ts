// The frozen suite, `m3e bench`, `m3e validate` (passes on honest results, fails on tampered
// ones) and `m3e leaderboard` (ranks only validated submissions).
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCH_V1, experimentIds, parseSuiteId, verifySuite } from '../../app/experiment/suite.js';
import { withChecksum } from '../../src/io/checksum.js';
import { runCli, tempDir } from '../helpers/cli.js';

describe('bench-v1', () => {
  it('has 24 stable ids and every table still matches its checksum', () => {
    expect(BENCH_V1.problems).toHaveLength(24);
    expect(parseSuiteId('magma:mix/3@S2:16')).toEqual({ jobs: 'magma:mix/3', platform: 'S2', bw: 16 });
    expect(experimentIds(BENCH_V1).get('magma:mix/3@S2:16')).toBe('mix/g3/S2/bw16');
    expect(() => parseSuiteId('mix/3@S2')).toThrow(/magma:<task>\/<group>@<platform>:<bandwidth>/);
    // A failure here means the cost model, the analyzer or the job data changed: bench-v1's
    // results would no longer compare; freeze a bench-v2 instead of editing bench-v1.
    expect(verifySuite(BENCH_V1)).toEqual([]);
  });
});

/** A two-problem suite of bench-v1 problems, small enough to run inline in a test. */
function tinySuite(dir: string, sha?: string): string {
  const suite = {
    suite: 'tiny-v1',
    description: 'two bench-v1 problems',
    budget: 40,
    seeds: [1, 2],
    mappers: ['random', 'heft-heft'],
    baseline: 'random',
    problems: BENCH_V1.problems
      .filter((p) => p.id === 'magma:mix/3@S2:16' || p.id === 'magma:conv/3@S4:1')
      .map((p, i) => ({ ...p, sha256: i === 0 && sha ? sha : p.sha256 })),
  };
  const path = join(dir, sha ? 'bad-suite.json' : 'suite.json');
  writeFileSync(path, JSON.stringify(suite));
  return path;
}

/**
 * Rewrites result line `index` of a run's results file with `edit`, as a forger would: with a
 * fresh checksum (`naive`: the old one kept, which the reader refuses as damaged).
 */
function tamper(
  run: string,
  index: number,
  edit: (line: Record<string, unknown>) => void,
  naive = false,
): void {
  const file = join(run, 'results.jsonl');
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const data = JSON.parse(lines[index]!);
  edit(data);
  lines[index] = naive ? JSON.stringify(data) : JSON.stringify(withChecksum(data));
  writeFileSync(file, `${lines.join('\n')}\n`);
}

describe('committed results', () => {
  it('the committed bench-v1 run validates: every claimed mapping re-simulates', async () => {
    const r = await runCli('validate', 'bench/results/bench-v1', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ lines: 1440, checked: 1440, mismatches: [] });
  });
});

describe('best-known table', () => {
  it('the committed best-known mappings re-simulate, and every gap and optimality claim holds', async () => {
    const r = await runCli('validate', 'bench/results/best-known.json', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ checked: 88, mismatches: [] });
  });

  it('catches a better makespan, a flipped optimality claim and a bound above a mapping', async () => {
    const data = JSON.parse(readFileSync('bench/results/best-known.json', 'utf8'));
    const [a, b, c] = data.rows;
    a.best.makespan *= 0.99;
    b.optimal = !b.optimal;
    c.bound = c.best.makespan * 1.01;
    const file = join(tempDir(), 'forged.json');
    writeFileSync(file, JSON.stringify(data));
    const r = await runCli('validate', file, '--json');
    expect(r.code).toBe(3);
    const whats = JSON.parse(r.stdout).mismatches.map(
      (m: { problem: string; what: string }) => `${m.problem}: ${m.what}`,
    );
    expect(whats).toContainEqual(expect.stringMatching(new RegExp(`^${a.id}: makespan: claimed`)));
    expect(whats).toContainEqual(
      expect.stringMatching(new RegExp(`^${b.id}: optimal: claimed ${b.optimal}`)),
    );
    expect(whats).toContainEqual(
      expect.stringMatching(new RegExp(`^${c.id}: certified bound .* exceeds the makespan`)),
    );
  });
});

describe('m3e bench, validate and leaderboard', () => {
  it('runs a suite, validates it, rejects tampered copies, and ranks only the valid run', async () => {
    const dir = tempDir();
    const suite = tinySuite(dir);
    const run = join(dir, 'good');
    const r = await runCli('bench', '--suite', suite, '--out', run, '--workers', '0', '--no-png');
    expect(r.code).toBe(0);
    const record = JSON.parse(readFileSync(join(run, 'bench.json'), 'utf8'));
    expect(record).toMatchObject({ suite: 'tiny-v1', cells: 8, okCells: 8, workers: 0 });
    expect(record.m3e).toMatch(/^\d+\.\d+\.\d+/);
    expect(record.hardware.cores).toBeGreaterThan(0);
    expect(record.wallSeconds).toBeGreaterThan(0);
    // Random search spends the budget, the heuristic one mapping: 2 problems x 2 seeds each.
    expect(record.evaluations).toBe(4 * 40 + 4 * 1);
    expect(record.ids['mix/g3/S2/bw16']).toBe('magma:mix/3@S2:16');
    expect(existsSync(join(run, 'report.md'))).toBe(true);

    // Every problem got its certified bound, and no mapping lies below it.
    const boundsFile = JSON.parse(readFileSync(join(run, 'bounds.json'), 'utf8'));
    expect(Object.keys(boundsFile.bounds).sort()).toEqual(['conv/g3/S4/bw1', 'mix/g3/S2/bw16']);
    const ok = await runCli('validate', run);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('8 re-simulated, 0 failed cells (nothing claimed); every claim holds');
    // A results file alone, with the run's spec found beside it.
    expect((await runCli('validate', join(run, 'results.jsonl'))).code).toBe(0);

    // An edited line whose checksum was not redone is refused as damaged before any check.
    const edited = join(dir, 'edited');
    cpSync(run, edited, { recursive: true });
    tamper(
      edited,
      2,
      (l) => {
        l.makespan = (l.makespan as number) * 0.98;
      },
      true,
    );
    const damaged = await runCli('validate', edited);
    expect(damaged.code).toBe(2);
    expect(damaged.stderr).toMatch(/is damaged or was edited/);

    // A better makespan than the mapping gives, checksum redone: the re-simulation catches it.
    const fake = join(dir, 'fake');
    cpSync(run, fake, { recursive: true });
    tamper(fake, 2, (l) => {
      l.makespan = (l.makespan as number) * 0.98;
    });
    const bad = await runCli('validate', fake, '--json');
    expect(bad.code).toBe(3);
    const report = JSON.parse(bad.stdout);
    const n = report.mismatches.length;
    expect(report.mismatches[0].what).toMatch(/^makespan: claimed .*, re-simulated /);
    // The forged makespan may also fall below the problem's certified bound, which says so.
    for (const m of report.mismatches.slice(1))
      expect(m.what).toMatch(/certified bound .* exceeds the makespan/);
    expect(n).toBeLessThanOrEqual(2);
    expect(bad.stderr).toMatch(new RegExp(`${n} claim\\(s\\) in .* do not hold`));

    // A lower bound above the makespan, and a cell the suite does not have.
    const bound = join(dir, 'bound');
    cpSync(run, bound, { recursive: true });
    tamper(bound, 1, (l) => {
      l.lowerBound = (l.makespan as number) * 1.5;
      l.ratio = 1 / 1.5;
    });
    tamper(bound, 0, (l) => {
      l.seed = 99;
    });
    const b = JSON.parse((await runCli('validate', bound, '--json')).stdout);
    const whats = b.mismatches.map((m: { what: string }) => m.what).join('\n');
    expect(whats).toMatch(/lower bound .* exceeds the makespan/);
    expect(whats).toMatch(/not part of the spec/);

    // A certified bound raised above a mapping of the run.
    const raised = join(dir, 'raised');
    cpSync(run, raised, { recursive: true });
    const line = JSON.parse(readFileSync(join(run, 'results.jsonl'), 'utf8').split('\n')[0]!);
    const forged = structuredClone(boundsFile);
    forged.bounds[line.problem].bound = line.makespan * 1.01;
    writeFileSync(join(raised, 'bounds.json'), JSON.stringify(forged));
    const rb = JSON.parse((await runCli('validate', raised, '--json')).stdout);
    expect(rb.mismatches.map((m: { what: string }) => m.what).join('\n')).toMatch(
      /certified bound .* of bounds\.json exceeds the makespan/,
    );

    const board = join(dir, 'board.md');
    const lb = await runCli('leaderboard', run, fake, '--suite', suite, '--out', board);
    expect(lb.code).toBe(3);
    const md = readFileSync(board, 'utf8');
    expect(md).toContain('# Leaderboard: tiny-v1');
    expect(md).toMatch(/\| 1 \| heft-heft \| good \|/);
    expect(md).toMatch(/\| 2 \| random \| good \|/);
    expect(md).not.toMatch(/\| fake \|/);
    expect(md).toMatch(/- fake: [12] claim\(s\) do not re-simulate, e\.g\. .*makespan: claimed/);

    // Ranked by makespan / certified bound: heft-heft maps each problem the same way on both
    // seeds, so its IQM over the four cells is the mean of its two problems' ratios.
    expect(md).toContain('| IQM makespan / certified bound |');
    const heft = readFileSync(join(run, 'results.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"mapper":"heft-heft"') && l.includes('"seed":1'))
      .map((l) => JSON.parse(l) as { problem: string; makespan: number });
    const expected =
      heft.reduce((a, l) => a + l.makespan / boundsFile.bounds[l.problem].bound, 0) / heft.length;
    const ranked = JSON.parse((await runCli('leaderboard', run, '--suite', suite, '--json')).stdout);
    expect(ranked.normalisedBy).toBe('certified bound');
    const row = ranked.rows.find((r: { mapper: string }) => r.mapper === 'heft-heft');
    expect(row.iqm.estimate).toBeCloseTo(expected, 10);
    // A submission without certified bounds puts the whole board on the simple bound.
    const unbounded = join(dir, 'unbounded');
    cpSync(run, unbounded, { recursive: true });
    rmSync(join(unbounded, 'bounds.json'));
    const both = JSON.parse((await runCli('leaderboard', run, unbounded, '--suite', suite, '--json')).stdout);
    expect(both.normalisedBy).toBe('simple bound');
    expect(both.rows).toHaveLength(4);
  });

  it('refuses to run a suite whose tables no longer match their checksums', async () => {
    const dir = tempDir();
    const r = await runCli(
      'bench',
      '--suite',
      tinySuite(dir, 'f'.repeat(64)),
      '--out',
      join(dir, 'x'),
      '--workers',
      '0',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /1 problem table\(s\) no longer match the suite's checksums .* magma:mix\/3@S2:16/,
    );
  });
});
