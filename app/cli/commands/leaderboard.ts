/**
 * `m3e leaderboard RUN...`: validates every submitted suite run and writes a markdown
 * leaderboard from the ones that pass (the others are listed as rejected, and the exit code
 * is then 3).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../../src/core/errors.js';
import { loadRunResults } from '../../../src/report/results.js';
import { storedBounds } from '../../experiment/bounds.js';
import { buildLeaderboard, type Submission } from '../../experiment/leaderboard.js';
import { readBenchRun, suiteChecksum } from '../../experiment/suite-run.js';
import { type CliIO, emit, PartialFailure } from '../io.js';
import { loadSuite } from './bench.js';
import { validatePath } from './validate.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('leaderboard')
    .description('validate suite runs (m3e bench) and write a markdown leaderboard of the valid ones')
    .argument('<runs...>', 'run folders of m3e bench')
    .option('--suite <name|file>', 'the suite the runs must be of', 'bench-v1')
    .option('--out <file>', 'write the leaderboard here (default: print it)')
    .option('--json', 'print the ranking as JSON')
    .action((runs: string[], opts: { suite: string; out?: string; json?: boolean }) => {
      const suite = loadSuite(opts.suite);
      for (const dir of runs) if (!existsSync(dir)) throw new InputError(`<runs> ${dir} does not exist`);
      const submissions: Submission[] = runs.map((dir) => {
        const name = basename(resolve(dir));
        try {
          const run = readBenchRun(dir);
          if (!run) return { name, run: null, spec: null, results: new Map(), validation: null };
          const v = validatePath(dir);
          return {
            name,
            run,
            spec: v.spec,
            results: loadRunResults(dir),
            validation: v.report,
            bounds: storedBounds(dir),
          };
        } catch (e) {
          return {
            name,
            run: null,
            spec: null,
            results: new Map(),
            validation: null,
            problem: (e as Error).message,
          };
        }
      });
      const board = buildLeaderboard(suite.suite, suiteChecksum(suite), submissions);
      if (opts.out) writeFileSync(opts.out, board.markdown);
      emit(
        io,
        Boolean(opts.json),
        {
          suite: board.suite,
          normalisedBy: board.normalisedBy,
          rows: board.rows.map((r) => ({
            submission: r.submission,
            mapper: r.mapper,
            iqm: r.iqm,
            significantWins: r.significantWins,
          })),
          rejected: board.rejected,
          incomplete: board.incomplete,
        },
        () =>
          opts.out
            ? `leaderboard: ${opts.out} (${board.rows.length} ranked, ${board.rejected.length} rejected)`
            : board.markdown,
      );
      if (board.rejected.length)
        throw new PartialFailure(
          `${board.rejected.length} submission(s) rejected: ${board.rejected.map((r) => r.submission).join(', ')}`,
        );
    });
}
