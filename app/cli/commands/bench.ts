/**
 * `m3e bench`: runs a frozen benchmark suite (bench-v1 by default) as one experiment: checks
 * every problem's table against the suite's checksums, runs every (problem, mapper, seed) cell
 * at the suite's budget and seeds, computes every problem's certified bound (bounds.json, as
 * `m3e compare` does), writes the comparison report, and records the m3e version, hardware,
 * wall time and evaluations in bench.json for `m3e leaderboard`.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError, show } from '../../../src/core/errors.js';
import { readJsonFile } from '../../../src/io/files.js';
import { listOptimizers } from '../../../src/optim/registry.js';
import { loadRunResults } from '../../../src/report/results.js';
import { type BoundRecord, boundTimeLimit, runBounds } from '../../experiment/bounds.js';
import { writeReport } from '../../experiment/report.js';
import { runComplete, runExperiment } from '../../experiment/runner.js';
import { expandSpec } from '../../experiment/spec.js';
import { BUILTIN_SUITES, parseSuite, type Suite, suiteSpec, verifySuite } from '../../experiment/suite.js';
import { writeBenchRun } from '../../experiment/suite-run.js';
import { type CliIO, emit, PartialFailure } from '../io.js';
import { CLI_LIMITS } from '../limits.js';
import { parseIntOption } from '../options.js';

interface BenchOptions {
  suite: string;
  mappers?: string;
  out?: string;
  workers: number;
  resume?: boolean;
  bounds: boolean;
  png: boolean;
  json?: boolean;
}

export function loadSuite(nameOrPath: string): Suite {
  const builtin = BUILTIN_SUITES[nameOrPath];
  if (builtin) return builtin;
  if (!/\.json$/i.test(nameOrPath))
    throw new InputError(
      `--suite: unknown suite ${show(nameOrPath)} (built-in: ${Object.keys(BUILTIN_SUITES).join(', ')}; or a suite .json file)`,
    );
  return parseSuite(readJsonFile(nameOrPath, '--suite file'), `--suite file ${nameOrPath}`);
}

export function register(program: Command, io: CliIO): void {
  program
    .command('bench')
    .description(
      'run a frozen benchmark suite (checksummed problems, fixed budget and seeds) and record version, hardware, wall time and evaluations',
    )
    .option(
      '--suite <name|file>',
      `built-in suite (${Object.keys(BUILTIN_SUITES).join(', ')}) or a suite .json file`,
      'bench-v1',
    )
    .option('--mappers <list>', "comma-separated mappers (default: the suite's)")
    .option('--out <dir>', 'run folder (default: runs/<suite>)')
    .option(
      '--workers <n>',
      'worker threads (0 runs inline)',
      parseIntOption('--workers', 0, CLI_LIMITS.MAX_WORKERS),
      availableParallelism(),
    )
    .option('--resume', 'continue the run in --out')
    .option('--no-bounds', 'no certified bounds (the report keeps the simple bound only)')
    .option('--no-png', 'SVG charts only')
    .option('--json', 'print the run record as JSON')
    .action(async (opts: BenchOptions) => {
      const suite = loadSuite(opts.suite);
      const mappers = opts.mappers?.split(',').map((m) => m.trim());
      if (mappers && (mappers.length === 0 || mappers.some((m) => m === '')))
        throw new InputError(
          `--mappers must be a comma-separated list of mapper names, got ${show(opts.mappers)}`,
        );
      for (const m of mappers ?? []) {
        if (!listOptimizers().some((s) => s.name === m))
          throw new InputError(`--mappers: unknown optimizer ${show(m)} (see m3e optimizers)`);
      }
      const bad = verifySuite(suite);
      if (bad.length)
        throw new InputError(
          `${suite.suite}: ${bad.length} problem table(s) no longer match the suite's checksums (the cost model, analyzer or job data changed), e.g. ${bad[0]!.id}: expected ${bad[0]!.expected.slice(0, 16)}..., got ${bad[0]!.actual.slice(0, 16)}...; results would not compare with the suite's`,
        );
      const spec = suiteSpec(suite, mappers);
      const cwd = process.cwd();
      const loaded = {
        ...expandSpec(spec, cwd, `suite ${suite.suite}`),
        source: `suite ${suite.suite}`,
        specDir: cwd,
      };
      const out = opts.out ?? join('runs', suite.suite);
      const t0 = performance.now();
      const run = await runExperiment(loaded, {
        outDir: out,
        workers: opts.workers,
        resume: Boolean(opts.resume),
        onCell: (line, p) => {
          if (p.done % 50 === 0 || p.done === p.total || line.status === 'failed')
            io.stderr(
              `[${p.done}/${p.total}] ${line.problem} ${line.mapper} seed ${line.seed}${line.status === 'failed' ? `: FAILED: ${line.error}` : ''}\n`,
            );
        },
      });
      const seconds = (performance.now() - t0) / 1000;
      const results = loadRunResults(out);
      if (!runComplete(loaded, results))
        throw new PartialFailure(`${out}: the suite run is incomplete; --resume continues it`);
      const record = writeBenchRun(out, suite, results, { workers: opts.workers, seconds, cells: run.cells });
      const bounds = opts.bounds
        ? runBounds(out, loaded, (problem, i, total) =>
            io.stderr(
              `certified bound ${i + 1}/${total}: ${problem} (at most ${boundTimeLimit(loaded)} s)\n`,
            ),
          )
        : new Map<string, BoundRecord>();
      const report = writeReport(out, loaded, results, { bounds, charts: true, png: opts.png });
      for (const w of report.warnings) io.stderr(`m3e: warning: ${w}\n`);
      emit(io, Boolean(opts.json), record, () =>
        [
          report.summary,
          '',
          `${suite.suite}: ${record.okCells}/${record.cells} cells ok, ${record.evaluations.toLocaleString('en-US')} evaluations, ` +
            `${(record.wallSeconds / 60).toFixed(1)} min wall with ${record.workers} workers (m3e ${record.m3e}, ${record.hardware.cpu}, ${record.hardware.cores} cores)`,
          `report: ${join(out, 'report.md')}; run record: ${join(out, 'bench.json')}; check it with: m3e validate ${out}`,
        ].join('\n'),
      );
      if (run.failed)
        throw new PartialFailure(`${run.failed} of ${run.ran} cells failed; --resume retries them`);
    });
}
