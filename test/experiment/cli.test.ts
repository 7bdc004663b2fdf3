// `m3e compare` and `m3e plot`, in-process (inline mode: tests never need a build).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import '../helpers/explode.js';

const SPEC = {
  name: 'cli-tiny',
  description: 'two tiny problems',
  problems: [{ name: 'p', synth: { jobs: 10, cores: 2, bwRatio: [0.5, 2], seed: 3 } }],
  mappers: ['magma', 'random'],
  budget: 120,
  seeds: [1, 2],
  baseline: 'random',
};

function specFile(dir: string, spec: unknown = SPEC): string {
  const path = join(dir, 'spec.json');
  writeFileSync(path, JSON.stringify(spec));
  return path;
}

describe('m3e compare', () => {
  it('runs a spec, prints the table and writes the report, CSVs and charts', async () => {
    const dir = tempDir();
    const out = join(dir, 'run');
    const r = await runCli('compare', '--spec', specFile(dir), '--out', out, '--workers', '0');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('| problem | magma | random |');
    expect(r.stdout).toMatch(/\| p\/r0\.5 \| .* \| .* \|/);
    expect(r.stdout).toContain('speed-up over random');
    expect(r.stderr).toMatch(/\[8\/8\] p\/r2 random seed 2: \d\.\d{4} x LB/);
    for (const f of [
      'experiment.json',
      'results.jsonl',
      'report.md',
      'summary.csv',
      'cells.csv',
      'bounds.json',
    ])
      expect(existsSync(join(out, f))).toBe(true);
    const charts = readdirSync(join(out, 'charts')).sort();
    const stats = [
      'aggregate-iqm',
      'anytime-evaluations',
      'anytime-seconds',
      'cd-diagram',
      'performance-profile',
      'probability-of-improvement',
    ].map((c) => `stats-${c}`);
    expect(charts).toEqual(
      [
        'bars',
        'bars-certified',
        'convergence-p_r0.5',
        'convergence-p_r2',
        'gantt-p_r0.5',
        'gantt-p_r2',
        ...stats,
      ]
        .flatMap((c) => [`${c}.png`, `${c}.svg`])
        .sort(),
    );
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('# Experiment cli-tiny');
    expect(report).toContain('2 problems x 2 mappers x 2 seeds = 8 cells (8 ok, 0 failed, 0 not run)');
    expect(report).toContain('![bars](charts/bars.png)');
    // Statistics: intervals, tests, anytime; with 2 seeds no mapper can be marked best.
    for (const h of [
      '## Statistics',
      '### Per problem: IQM with intervals',
      '### Pairs',
      '### Anytime performance',
    ])
      expect(report).toContain(h);
    expect(report).toContain('![critical-difference diagram](charts/stats-cd-diagram.png)');
    expect(report).toMatch(/with 2 seed\(s\) per mapper no per-problem difference can be significant/);
    expect(r.stdout).toMatch(/note: with 2 seed\(s\) per mapper/);
    expect(r.stdout).not.toContain('**');
    expect(report).toContain('![bars certified](charts/bars-certified.png)');
    // Every mapper's gap to the certified bound, and whether the problem is proven optimal.
    expect(report).toContain('## Gap to the certified bound');
    expect(report).toMatch(
      /\| p\/r2 \| [\d.]+ \| optimal \| \**[\d.]+ %\** \| \**[\d.]+ %\** \| (yes \(\w+\)|no) \|/,
    );
    expect(report).toContain('## Makespan / simple lower bound');
    // With a certified bound for every problem, the statistics score makespan / that bound.
    expect(report).toContain('Interquartile mean of makespan / certified bound over the seeds');
    expect(r.stdout).toContain('gap to the certified bound');
  });

  it('equal tuning budgets: tunes every optimiser mapper on training problems, then compares the tuned ones', async () => {
    const dir = tempDir();
    const out = join(dir, 'run');
    const train = join(dir, 'train.json');
    writeFileSync(train, JSON.stringify([{ synth: { jobs: 10, cores: 2, bwRatio: 1, seed: 11 } }]));
    const args = ['--spec', specFile(dir), '--out', out, '--workers', '0', '--no-charts'];
    const r = await runCli(
      'compare',
      ...args,
      '--tune-problems',
      train,
      '--tune-budget',
      '12',
      '--tune-evals',
      '40',
      '--tune-repeats',
      '1',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/tuned 1 mapper\(s\) with 12 runs each/);
    const tuning = readFileSync(join(out, 'tuning.md'), 'utf8');
    expect(tuning).toMatch(/\| magma \| \d+ \| \d+ \| 1[2-9] \|/);
    expect(tuning).toMatch(/\| random \| 0 \| 0 \| 0 \| — \| — \| nothing to tune: run as given \|/);
    const stored = JSON.parse(readFileSync(join(out, 'experiment.json'), 'utf8'));
    const magma = stored.spec.mappers[0];
    expect(magma).toMatchObject({ name: 'magma', optimizer: 'magma' });
    expect(Object.keys(magma.params)).toHaveLength(8);
    expect(stored.spec.mappers[1]).toBe('random');
    // A resume keeps the stored (tuned) settings and tunes nothing again.
    const again = await runCli('compare', '--out', out, '--workers', '0', '--resume', '--no-charts');
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(/tuned/);
    expect((await runCli('compare', ...args, '--tune-problems', train)).stderr).toMatch(
      /--tune-problems and --tune-budget go together/,
    );
  });

  it('computes each certified bound once: the run folder keeps it for reports', async () => {
    const dir = tempDir();
    const out = join(dir, 'run');
    const spec = specFile(dir);
    const first = await runCli(
      'compare',
      '--spec',
      spec,
      '--out',
      out,
      '--workers',
      '0',
      '--no-charts',
      '--json',
    );
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('certified bound 1/2: p/r0.5');
    const json = JSON.parse(first.stdout);
    const bound = json.certifiedBounds['p/r2'].bound;
    // The certified bound is below every mapping the run found, and its gap is reported.
    for (const row of json.rows.filter((r: { problem: string }) => r.problem === 'p/r2')) {
      expect(row.makespan).toBeGreaterThanOrEqual(bound);
      expect(row.gap).toBeCloseTo(row.makespan / bound - 1, 12);
    }
    const again = await runCli('compare', '--out', out, '--report-only', '--no-charts');
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('certified bound 1/2');
    const off = await runCli('compare', '--out', out, '--report-only', '--no-charts', '--no-bounds');
    const plain = readFileSync(join(out, 'report.md'), 'utf8');
    expect(plain).not.toContain('## Gap to the certified bound');
    expect(plain).toContain('Interquartile mean of makespan / simple lower bound over the seeds');
    expect(off.code).toBe(0);
  });

  it('refuses to overwrite, resumes, reports again with another baseline', async () => {
    const dir = tempDir();
    const out = join(dir, 'run');
    const spec = specFile(dir);
    expect(
      (await runCli('compare', '--spec', spec, '--out', out, '--workers', '0', '--no-charts')).code,
    ).toBe(0);
    const again = await runCli('compare', '--spec', spec, '--out', out, '--workers', '0');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds 8 results; pass --resume/);
    const resumed = await runCli('compare', '--out', out, '--workers', '0', '--resume', '--no-charts');
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('8 cells: 8 already done, 0 run now (0 failed)');
    const rep = await runCli(
      'compare',
      '--out',
      out,
      '--report-only',
      '--baseline',
      'magma',
      '--no-charts',
      '--json',
    );
    expect(rep.code).toBe(0);
    const json = JSON.parse(rep.stdout);
    expect(json.baseline).toBe('magma');
    expect(json.rows).toHaveLength(4);
    expect(json.geomeanSpeedup.magma).toBe(1);
    const other = await runCli('compare', '--out', out, '--report-only', '--spec', 'quick');
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/was run with another spec \(.*spec\.json\); report on it without --spec/);
    const bad = await runCli('compare', '--out', out, '--report-only', '--baseline', 'ga');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--baseline "ga" is not one of the mappers \(magma, random\)/);
  });

  it('writes the report when the last shard finishes', async () => {
    const dir = tempDir();
    const out = join(dir, 'run');
    const spec = specFile(dir);
    const a = await runCli(
      'compare',
      '--spec',
      spec,
      '--out',
      out,
      '--workers',
      '0',
      '--shard',
      '1/2',
      '--no-png',
    );
    expect(a.code).toBe(0);
    expect(a.stderr).toContain('shard 1/2: 4 cells');
    expect(a.stderr).toContain('the report is written when every shard is done');
    expect(existsSync(join(out, 'report.md'))).toBe(false);
    const b = await runCli(
      'compare',
      '--spec',
      spec,
      '--out',
      out,
      '--workers',
      '0',
      '--shard',
      '2/2',
      '--no-png',
    );
    expect(b.code).toBe(0);
    expect(b.stdout).toContain('| problem | magma | random |');
    expect(existsSync(join(out, 'report.md'))).toBe(true);
  });

  it('gives one-line errors for bad input', async () => {
    const dir = tempDir();
    const cases: [string[], RegExp][] = [
      [
        [
          '--spec',
          specFile(tempDir(), { ...SPEC, problems: [{ task: 'mix', group: 0, platform: 'S9', bw: 1 }] }),
          '--workers',
          '0',
        ],
        /S9: neither a preset/,
      ],
      [['--spec', 'nope'], /unknown built-in spec "nope"/],
      [['--spec', join(dir, 'missing.json')], /experiment spec not found/],
      [['--spec', specFile(dir, { ...SPEC, budget: -1 })], /budget: Too small/],
      [['--shard', '3/2'], /--shard must look like i\/N/],
      [['--workers', '-1'], /--workers must be >= 0/],
      [['--report-only'], /holds no run to report on/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli('compare', '--out', join(dir, `out-${Math.random()}`.replace('.', '')), ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    // Without --out the run folder is runs/<spec name>.
    const none = await runCli(
      'compare',
      '--spec',
      specFile(dir, { ...SPEC, name: 'zz-no-such-run' }),
      '--report-only',
    );
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/runs\/zz-no-such-run holds no run to report on/);
  });
});

describe('m3e plot', () => {
  it('charts a search result: convergence and Gantt, SVG and PNG', async () => {
    const dir = tempDir();
    const table = join(dir, 't.json');
    const result = join(dir, 'r.json');
    expect(
      (await runCli('table', 'synth', '--jobs', '15', '--cores', '3', '--seed', '2', '--out', table)).code,
    ).toBe(0);
    expect(
      (await runCli('search', '--table', table, '--budget', '200', '--seed', '1', '--out', result)).code,
    ).toBe(0);
    const r = await runCli('plot', '--result', result, '--table', table, '--json');
    expect(r.code).toBe(0);
    const files = JSON.parse(r.stdout).files as string[];
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'r-convergence.svg',
      'r-convergence.png',
      'r-gantt.svg',
      'r-gantt.png',
    ]);
    const gantt = readFileSync(join(dir, 'r-gantt.svg'), 'utf8');
    expect(gantt.match(/<rect class="job"/g)).toHaveLength(15);
  });

  it('refuses a result that does not belong to the table', async () => {
    const dir = tempDir();
    const result = join(dir, 'r.json');
    await runCli('search', '--budget', '100', '--out', result);
    const other = join(dir, 'other.json');
    await runCli('table', 'synth', '--jobs', '100', '--cores', '4', '--seed', '9', '--out', other);
    const r = await runCli('plot', '--result', result, '--table', other, '--no-png');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/evaluates to .* but the result says .*: give the table the search ran on/);
    // With the default problem, the one the search ran on, it works.
    expect((await runCli('plot', '--result', result, '--no-png', '--out', join(dir, 'x'))).code).toBe(0);
    expect(existsSync(join(dir, 'x-gantt.svg'))).toBe(true);
  });
});

describe('m3e compare with failing cells', () => {
  it('records them, writes the report, and exits with 3 so scripts notice', async () => {
    const dir = tempDir();
    const out = join(dir, 'run');
    const spec = specFile(dir, { ...SPEC, mappers: ['random', 'test-explode'] });
    const r = await runCli('compare', '--spec', spec, '--out', out, '--workers', '0', '--no-charts');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      'm3e: 4 of 8 cells failed (errors in the results and the report); --resume retries them',
    );
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('(4 ok, 4 failed, 0 not run)');
    expect(report).toContain('test-explode / seed 1: Error: exploded on purpose');
    // A resume retries only the failed cells (and they fail again).
    const again = await runCli('compare', '--out', out, '--resume', '--workers', '0', '--no-charts');
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('8 cells: 4 already done, 4 run now (4 failed)');
  });
});

describe('m3e compare on the authors groups (cost model through the CLI plugins)', () => {
  it('analyses a task group on a preset and compares on it', async () => {
    const dir = tempDir();
    const spec = { ...SPEC, problems: [{ task: 'mix', group: 0, platform: 'S2', bw: 16 }], seeds: [1] };
    const out = join(dir, 'run');
    const r = await runCli('compare', '--spec', specFile(dir, spec), '--out', out, '--workers', '0');
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    for (const l of lines) {
      expect(l.status).toBe('ok');
      expect(l.ratio).toBeGreaterThanOrEqual(1);
    }
  });
});
