// The runner in inline mode (workers: 0): cells, results, resume, shards, failures.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cellWorkerScript,
  parseShard,
  planCells,
  runComplete,
  runExperiment,
} from '../../app/experiment/runner.js';
import { expandSpec, type LoadedSpec } from '../../app/experiment/spec.js';
import { lowerBound } from '../../src/core/bounds.js';
import { InputError } from '../../src/core/errors.js';
import { synthTable } from '../../src/core/synth.js';
import { tableToJson } from '../../src/core/table.js';
import { createOptimizer } from '../../src/optim/registry.js';
import { makespanObjective, runSearch } from '../../src/optim/search.js';
import {
  loadRunResults,
  type OkLine,
  type ResultLine,
  readResults,
  resultsFileName,
} from '../../src/report/results.js';
import { compareResults } from '../../src/report/stats.js';
import { speedupMarkdown, summaryMarkdown } from '../../src/report/table.js';
import { tempDir } from '../helpers/cli.js';
import '../helpers/explode.js';

const TINY = {
  name: 'tiny',
  problems: [{ name: 's', synth: { jobs: 12, cores: 3, bwRatio: [0.5, 2], seed: 5 } }],
  mappers: ['magma', 'random'],
  budget: 150,
  seeds: [1, 2],
};

function load(data: unknown = TINY): LoadedSpec {
  return { ...expandSpec(data, '/'), source: 'test', specDir: '/' };
}

function withoutSeconds(lines: Iterable<ResultLine>): Record<string, unknown>[] {
  return [...lines]
    .map(({ seconds: _s, ...rest }) => rest)
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function tables(dir: string, x: LoadedSpec): string {
  const cmp = compareResults(loadRunResults(dir), {
    problems: x.problems.map((p) => p.id),
    mappers: x.mappers.map((m) => m.id),
    seeds: x.spec.seeds,
    baseline: x.baseline,
  });
  return `${summaryMarkdown(cmp)}\n${speedupMarkdown(cmp)}`;
}

describe('runExperiment (inline)', () => {
  it('runs every cell once; each line is what `m3e search` gives for that seed', async () => {
    const dir = tempDir();
    const x = load();
    const seen: string[] = [];
    const s = await runExperiment(x, {
      outDir: dir,
      workers: 0,
      resume: false,
      onCell: (l) => seen.push(l.problem),
    });
    expect(s).toMatchObject({ cells: 8, skipped: 0, ran: 8, failed: 0, stopped: false });
    expect(seen).toHaveLength(8);
    const lines = readResults(join(dir, 'results.jsonl')).lines as OkLine[];
    expect(lines).toHaveLength(8);
    for (const line of lines) {
      expect(line.status).toBe('ok');
      const table = synthTable({ jobs: 12, cores: 3, bwRatio: line.problem === 's/r0.5' ? 0.5 : 2, seed: 5 });
      const direct = runSearch(makespanObjective(table), createOptimizer(line.mapper, table, line.seed), {
        budget: 150,
      });
      expect(line.makespan).toBe(direct.cost);
      expect(line.history).toEqual(direct.history);
      expect(line.mapping.core).toEqual(Array.from(direct.best.core));
      expect(line.lowerBound).toBe(lowerBound(table));
      expect(line.ratio).toBeCloseTo(direct.cost / lowerBound(table), 12);
      expect(line.throughput).toBeCloseTo(12 / direct.cost, 15);
      expect(line.evaluations).toBe(150);
      expect(line.bandwidthUtilization).toBeGreaterThan(0);
      expect(line.bandwidthUtilization).toBeLessThanOrEqual(1);
    }
    expect(runComplete(x, loadRunResults(dir))).toBe(true);
  });

  it('a run stopped after k cells and resumed gives the same results and tables as one uninterrupted run', async () => {
    const x = load();
    const full = tempDir();
    await runExperiment(x, { outDir: full, workers: 0, resume: false });

    const dir = tempDir();
    const controller = new AbortController();
    const first = await runExperiment(x, {
      outDir: dir,
      workers: 0,
      resume: false,
      signal: controller.signal,
      onCell: (_l, p) => {
        if (p.done === 3) controller.abort();
      },
    });
    expect(first).toMatchObject({ ran: 3, stopped: true });
    expect(runComplete(x, loadRunResults(dir))).toBe(false);
    // Simulate a kill in the middle of writing the fourth line.
    appendFileSync(join(dir, 'results.jsonl'), '{"v":1,"problem":"s/r2","mapper":"mag');
    expect(readResults(join(dir, 'results.jsonl')).truncated).toBe(true);

    const second = await runExperiment(x, { outDir: dir, workers: 0, resume: true });
    expect(second).toMatchObject({ cells: 8, skipped: 3, ran: 5, stopped: false });
    const after = readResults(join(dir, 'results.jsonl'));
    expect(after.truncated).toBe(false);
    expect(after.lines).toHaveLength(8);
    expect(withoutSeconds(loadRunResults(dir).values())).toEqual(
      withoutSeconds(loadRunResults(full).values()),
    );
    expect(tables(dir, x)).toBe(tables(full, x));

    // Resuming a finished run runs nothing.
    expect(await runExperiment(x, { outDir: dir, workers: 0, resume: true })).toMatchObject({
      ran: 0,
      skipped: 8,
    });
  });

  it('records a failing cell with its error, runs the rest, and retries failures on resume', async () => {
    const dir = tempDir();
    const x = load({ ...TINY, mappers: ['random', 'test-explode'] });
    const s = await runExperiment(x, { outDir: dir, workers: 0, resume: false });
    expect(s).toMatchObject({ ran: 8, failed: 4 });
    const lines = readResults(join(dir, 'results.jsonl')).lines;
    const failed = lines.filter((l) => l.status === 'failed');
    expect(failed.map((l) => l.mapper)).toEqual([
      'test-explode',
      'test-explode',
      'test-explode',
      'test-explode',
    ]);
    expect(failed[0]).toMatchObject({ error: 'Error: exploded on purpose' });
    expect(lines.filter((l) => l.status === 'ok')).toHaveLength(4);
    const again = await runExperiment(x, { outDir: dir, workers: 0, resume: true });
    expect(again).toMatchObject({ skipped: 4, ran: 4, failed: 4 });
  });

  it('shards split the cells; together they complete the run', async () => {
    const dir = tempDir();
    const x = load();
    const a = await runExperiment(x, { outDir: dir, workers: 0, resume: false, shard: parseShard('1/3') });
    expect(runComplete(x, loadRunResults(dir))).toBe(false);
    const b = await runExperiment(x, { outDir: dir, workers: 0, resume: false, shard: parseShard('2/3') });
    const c = await runExperiment(x, { outDir: dir, workers: 0, resume: false, shard: parseShard('3/3') });
    expect([a.cells, b.cells, c.cells]).toEqual([3, 3, 2]);
    expect(a.resultsFile.endsWith(resultsFileName({ index: 1, count: 3 }))).toBe(true);
    const all = loadRunResults(dir);
    expect(all.size).toBe(8);
    expect(runComplete(x, all)).toBe(true);
    const full = tempDir();
    await runExperiment(x, { outDir: full, workers: 0, resume: false });
    expect(withoutSeconds(all.values())).toEqual(withoutSeconds(loadRunResults(full).values()));
  });

  it('says how to get the worker pool when running from TypeScript sources', async () => {
    // Tests run the sources; the pool's worker is compiled JavaScript (dist/).
    expect(cellWorkerScript()).toBeNull();
    await expect(runExperiment(load(), { outDir: tempDir(), workers: 2, resume: false })).rejects.toThrow(
      /the worker pool needs the compiled package .* run `npm run build`, or use --workers 0/,
    );
  });

  it('parses shards strictly', () => {
    expect(parseShard(' 2 / 8 ')).toEqual({ index: 2, count: 8 });
    for (const bad of ['0/4', '5/4', '1', 'a/b', '1/0', '-1/2'])
      expect(() => parseShard(bad)).toThrow(/--shard must look like i\/N/);
  });

  it('checks problems and mappers before running anything', async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...TINY, problems: [{ task: 'mix', group: 0, platform: 'S9', bw: 16 }] }, /S9: neither a preset/],
      [
        { ...TINY, mappers: [{ agent: 'ppo', run: 'runs/x' }] },
        /mapper ppo: no trained agent in \/runs\/x \(run\.json not found\)/,
      ],
      [{ ...TINY, mappers: ['magmaa'] }, /mapper magmaa: unknown optimizer "magmaa" \(known: magma/],
      [
        { ...TINY, mappers: [{ optimizer: 'magma', params: { mutationRate: 3 } }] },
        /mapper magma \(magma\): mutationRate must be in \[0, 0.5\], got 3/,
      ],
      [
        { ...TINY, mappers: [{ optimizer: 'magma', params: { rate: 0.1 } }] },
        /magma has no hyper-parameter "rate"/,
      ],
      [{ ...TINY, problems: [{ table: 'nope.json' }] }, /problem nope: table file not found: \/nope\.json/],
    ];
    for (const [spec, message] of cases) {
      const dir = tempDir();
      await expect(runExperiment(load(spec), { outDir: dir, workers: 0, resume: false })).rejects.toThrow(
        message,
      );
      expect(readResults(join(dir, 'results.jsonl')).lines).toHaveLength(0);
    }
  });

  it('reads table files, with a bandwidth sweep', async () => {
    const dir = tempDir();
    const t = synthTable({ jobs: 8, cores: 2, bwRatio: 1, seed: 3 });
    writeFileSync(join(dir, 't.json'), JSON.stringify(tableToJson(t)));
    const x = {
      ...expandSpec({ ...TINY, problems: [{ table: 't.json', bw: [1, 100] }] }, dir),
      source: 's',
      specDir: dir,
    };
    await runExperiment(x, { outDir: join(dir, 'run'), workers: 0, resume: false });
    const lines = [...loadRunResults(join(dir, 'run')).values()] as OkLine[];
    expect(lines.map((l) => l.systemBandwidth).sort((a, b) => a - b)).toEqual([
      1, 1, 1, 1, 100, 100, 100, 100,
    ]);
    // Plentiful bandwidth can only help.
    const best = (bw: number) =>
      Math.min(...lines.filter((l) => l.systemBandwidth === bw).map((l) => l.makespan));
    expect(best(100)).toBeLessThanOrEqual(best(1));
  });

  it('guards the run folder: no silent overwrite, no resume with another spec', async () => {
    const dir = tempDir();
    const x = load();
    await runExperiment(x, { outDir: dir, workers: 0, resume: false, shard: parseShard('1/4') });
    await expect(
      runExperiment(x, { outDir: dir, workers: 0, resume: false, shard: parseShard('1/4') }),
    ).rejects.toThrow(/already holds 2 results; pass --resume/);
    await expect(
      runExperiment(load({ ...TINY, budget: 151 }), { outDir: dir, workers: 0, resume: true }),
    ).rejects.toThrow(/was started with another spec \(test\)/);
  });

  it('refuses a damaged results file, naming the line', async () => {
    const dir = tempDir();
    const x = load();
    await runExperiment(x, { outDir: dir, workers: 0, resume: false, shard: parseShard('1/4') });
    const path = join(dir, resultsFileName({ index: 1, count: 4 }));
    writeFileSync(path, `{"broken": true}\n${readFileSync(path, 'utf8')}`);
    expect(() => readResults(path)).toThrow(InputError);
    expect(() => readResults(path)).toThrow(/:1: bad result line/);
  });

  it('plans cells problem-major, then mapper, then seed', () => {
    const cells = planCells(load()).map((c) => `${c.problem.id} ${c.mapper.id} ${c.seed}`);
    expect(cells.slice(0, 4)).toEqual([
      's/r0.5 magma 1',
      's/r0.5 magma 2',
      's/r0.5 random 1',
      's/r0.5 random 2',
    ]);
  });
});
