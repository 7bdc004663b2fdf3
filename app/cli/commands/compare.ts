import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError, show } from '../../../src/core/errors.js';
import { checkWritableFolder, readJsonFile, writeFileAtomic } from '../../../src/io/files.js';
import { loadRunResults, type ResultLine } from '../../../src/report/results.js';
import { type BoundRecord, boundTimeLimit, gapToBound, runBounds } from '../../experiment/bounds.js';
import { writeReport } from '../../experiment/report.js';
import {
  loadStoredSpec,
  parseShard,
  readStoredExperiment,
  runComplete,
  runExperiment,
  type Shard,
  sameSpec,
} from '../../experiment/runner.js';
import { BUILTIN_SPECS, expandSpec, type LoadedSpec, loadSpec } from '../../experiment/spec.js';
import { tuneMappers, tuningMarkdown } from '../../experiment/tune-mappers.js';
import { commandLine, Interrupted, type StopSignal, withInterrupts } from '../interrupt.js';
import { type CliIO, emit, PartialFailure } from '../io.js';
import { CLI_LIMITS } from '../limits.js';
import { parseIntOption } from '../options.js';
import { ProgressBar } from '../progress.js';
import { loadProblemSet } from '../tune-problems.js';

interface CompareOptions {
  spec?: string;
  out?: string;
  workers: number;
  shard?: Shard;
  resume?: boolean;
  reportOnly?: boolean;
  baseline?: string;
  charts: boolean;
  png: boolean;
  bounds: boolean;
  json?: boolean;
  tuneProblems?: string;
  tuneBudget?: number;
  tuneEvals?: number;
  tuneRepeats: number;
  tuneSampler: string;
  tunePrune: boolean;
}

function progressLine(line: ResultLine, done: number, total: number): string {
  const where = `[${done}/${total}] ${line.problem} ${line.mapper} seed ${line.seed}`;
  return line.status === 'ok'
    ? `${where}: ${line.ratio.toFixed(4)} x LB in ${line.seconds.toFixed(2)} s\n`
    : `${where}: FAILED: ${line.error}\n`;
}

/** Run folders go here by default: `runs/<spec name>`. */
const DEFAULT_RUNS_DIR = 'runs';

/** The spec and the run folder: given, or the run's own when resuming or reporting. */
function chooseSpec(opts: CompareOptions): { loaded: LoadedSpec; out: string } {
  const read = (p: string) => readJsonFile(p, 'experiment spec');
  if (opts.resume && opts.reportOnly) throw new InputError('give --resume or --report-only, not both');
  const named = loadSpec(opts.spec ?? 'quick', read);
  const out = opts.out ?? join(DEFAULT_RUNS_DIR, named.spec.name);
  if (!opts.resume && !opts.reportOnly) return { loaded: named, out };
  const stored = readStoredExperiment(out);
  if (!stored)
    throw new InputError(
      opts.reportOnly
        ? `${out} holds no run to report on (no experiment.json)`
        : `--resume: ${out} holds no run to resume (no experiment.json); start it without --resume`,
    );
  if (opts.spec && !sameSpec(named.spec, stored.spec))
    throw new InputError(
      `${out} was run with another spec (${stored.source}); ${opts.reportOnly ? 'report on' : 'resume'} it without --spec`,
    );
  return { loaded: loadStoredSpec(out), out };
}

/** `--baseline` must name a mapper of the spec: checked before any cell runs. */
function checkBaseline(loaded: LoadedSpec, baseline: string | undefined): void {
  if (baseline === undefined) return;
  const ids = loaded.mappers.map((m) => m.id);
  if (!ids.includes(baseline))
    throw new InputError(`--baseline ${show(baseline)} is not one of the mappers (${ids.join(', ')})`);
}

/** The command that resumes a stopped run (its own spec is in the folder). */
function resumeCommand(out: string, shard: Shard | undefined): string {
  return commandLine([
    'm3e',
    'compare',
    '--out',
    out,
    '--resume',
    ...(shard ? ['--shard', `${shard.index}/${shard.count}`] : []),
  ]);
}

export function register(program: Command, io: CliIO): void {
  program
    .command('compare')
    .description(
      'run a comparison of mappers (every problem x mapper x seed once, in parallel, resumably) and write its report',
    )
    .option(
      '--spec <name|file>',
      `built-in spec (${Object.keys(BUILTIN_SPECS).join(', ')}) or a spec .json file (default: quick, or the run's own when resuming)`,
    )
    .option(
      '--out <dir>',
      `run folder for results, reports and charts (default: ${DEFAULT_RUNS_DIR}/<spec name>)`,
    )
    .option(
      '--workers <n>',
      'worker threads (0 runs inline)',
      parseIntOption('--workers', 0, CLI_LIMITS.MAX_WORKERS),
      availableParallelism(),
    )
    .option(
      '--shard <i/N>',
      'run only the i-th of N slices of the cells (for spreading a sweep over machines)',
      parseShard,
    )
    .option('--resume', 'continue the run in --out: skip finished cells, retry failed ones')
    .option('--report-only', 'run nothing; write the reports from the results in --out')
    .option('--baseline <mapper>', "mapper the speed-ups are relative to (default: the spec's)")
    .option('--no-charts', 'no charts')
    .option('--no-png', 'SVG charts only')
    .option(
      '--no-bounds',
      "no certified bounds: the report sets makespans against the simple bound only (the spec's boundTimeLimit: 0 does the same)",
    )
    .option('--json', 'print a JSON summary on stdout')
    .option(
      '--tune-problems <file>',
      'first tune every optimiser mapper on these training problems with the same budget (--tune-budget), then compare the tuned mappers',
    )
    .option(
      '--tune-budget <runs>',
      'runs per mapper for tuning (one run: one search on one training problem)',
      parseIntOption('--tune-budget', 1, CLI_LIMITS.MAX_TRIALS),
    )
    .option(
      '--tune-evals <n>',
      "evaluations per tuning run (default: the spec's budget)",
      parseIntOption('--tune-evals', 1, CLI_LIMITS.MAX_BUDGET),
    )
    .option(
      '--tune-repeats <n>',
      'seeds per training problem in a tuning score',
      parseIntOption('--tune-repeats', 1, CLI_LIMITS.MAX_REPEATS),
      2,
    )
    .option('--tune-sampler <name>', 'tpe, gp or random', 'tpe')
    .option('--no-tune-prune', 'tune without successive-halving pruning')
    .action(async (opts: CompareOptions) => {
      const chosen = chooseSpec(opts);
      const { out } = chosen;
      let { loaded } = chosen;
      checkBaseline(loaded, opts.baseline);
      if (!opts.reportOnly) checkWritableFolder(out, '--out');
      if ((opts.tuneProblems === undefined) !== (opts.tuneBudget === undefined))
        throw new InputError('--tune-problems and --tune-budget go together');
      if (!['tpe', 'gp', 'random'].includes(opts.tuneSampler))
        throw new InputError(`--tune-sampler must be tpe, gp or random, got "${opts.tuneSampler}"`);
      // Tune before the first run only: a resumed or reported run keeps the settings it stored.
      if (opts.tuneProblems && opts.tuneBudget && !opts.reportOnly && !readStoredExperiment(out)) {
        const problems = loadProblemSet(opts.tuneProblems, '--tune-problems');
        const tuneOptions = {
          problems,
          budgetRuns: opts.tuneBudget,
          evals: opts.tuneEvals ?? loaded.spec.budget,
          repeats: opts.tuneRepeats,
          sampler: opts.tuneSampler as 'tpe' | 'gp' | 'random',
          prune: opts.tunePrune,
          dir: join(out, 'tuning'),
        };
        let runs = 0;
        const t = await tuneMappers(loaded.spec, loaded.specDir, {
          ...tuneOptions,
          onRun: (m) => {
            if (++runs % 100 === 0) io.stderr(`tuning: ${runs} runs (${m})\n`);
          },
        });
        writeFileAtomic(join(out, 'tuning.md'), tuningMarkdown(t.tuned, tuneOptions, tuneOptions.evals));
        io.stderr(
          `tuned ${t.tuned.filter((m) => m.params).length} mapper(s) with ${opts.tuneBudget} runs each: ${join(out, 'tuning.md')}\n`,
        );
        loaded = {
          ...expandSpec(t.spec, loaded.specDir, `tuned spec ${loaded.source}`),
          source: `${loaded.source}, tuned on ${opts.tuneProblems}`,
          specDir: loaded.specDir,
        };
      }
      let run: Awaited<ReturnType<typeof runExperiment>> | null = null;
      if (!opts.reportOnly) {
        const progress: { bar?: ProgressBar } = {};
        let stoppedBy: StopSignal | null = null;
        try {
          run = await withInterrupts(io, 'stopping; finished cells are saved', async (interrupt) => {
            const r = await runExperiment(loaded, {
              outDir: out,
              workers: opts.workers,
              resume: Boolean(opts.resume),
              signal: interrupt.signal,
              ...(opts.shard ? { shard: opts.shard } : {}),
              onCell: (line, p) => {
                if (io.isTTY) {
                  // Failures print above the bar; successes only move it.
                  if (line.status === 'failed') io.stderr(`\r\x1b[K${progressLine(line, p.done, p.total)}`);
                  progress.bar ??= new ProgressBar(io, p.total, loaded.spec.name);
                  progress.bar.update(p.done, `${line.problem} ${line.mapper}`);
                } else io.stderr(progressLine(line, p.done, p.total));
              },
            });
            stoppedBy = r.stopped ? interrupt.received : null;
            return r;
          });
        } finally {
          progress.bar?.done();
        }
        const shardText = opts.shard ? `shard ${opts.shard.index}/${opts.shard.count}: ` : '';
        io.stderr(
          `${shardText}${run.cells} cells: ${run.skipped} already done, ${run.ran} run now (${run.failed} failed)${run.stopped ? ', stopped early' : ''}\n`,
        );
        if (run.stopped) {
          const saved = run.skipped + run.ran;
          throw new Interrupted(
            stoppedBy ?? 'SIGINT',
            `interrupted by ${stoppedBy ?? 'a signal'}: ${saved} of ${run.cells} cells are saved in ${out}; resume with: ${resumeCommand(out, opts.shard)}`,
          );
        }
      }
      const results = loadRunResults(out);
      if (!opts.reportOnly && !runComplete(loaded, results)) {
        io.stderr(
          `${results.size} cells of the experiment have results so far; the report is written when every shard is done ` +
            `(or now with: m3e compare --out ${out} --report-only)\n`,
        );
        if (opts.json) emit(io, true, { run, complete: false }, () => '');
        failIfCellsFailed(run);
        return;
      }
      // The certified bound of every problem, once per run folder (bounds.json).
      const bounds = opts.bounds
        ? runBounds(out, loaded, (problem, i, total) =>
            io.stderr(
              `certified bound ${i + 1}/${total}: ${problem} (at most ${boundTimeLimit(loaded)} s)\n`,
            ),
          )
        : new Map<string, BoundRecord>();
      const report = writeReport(out, loaded, results, {
        bounds,
        charts: opts.charts,
        png: opts.png,
        ...(opts.baseline ? { baseline: opts.baseline } : {}),
      });
      for (const w of report.warnings) io.stderr(`m3e: warning: ${w}\n`);
      const cmp = report.comparison;
      emit(
        io,
        Boolean(opts.json),
        {
          run,
          complete: true,
          baseline: cmp.baseline,
          report: join(out, 'report.md'),
          rows: cmp.entries.flat().map((e) => ({
            problem: e.problem,
            mapper: e.mapper,
            ok: e.runs.length,
            failed: e.failures.length,
            ratio: e.figures ? { mean: e.figures.ratio.mean, sd: e.figures.ratio.sd } : null,
            makespan: e.figures ? e.figures.makespan.mean : null,
            speedup: e.speedup,
            best: e.best,
            ...(bounds.has(e.problem) && e.figures
              ? { gap: gapToBound(e.figures.makespan.mean, bounds.get(e.problem)!) }
              : {}),
          })),
          certifiedBounds: Object.fromEntries(bounds),
          geomeanRatio: Object.fromEntries(cmp.mappers.map((m, i) => [m, cmp.geomeanRatio[i]])),
          geomeanSpeedup: Object.fromEntries(cmp.mappers.map((m, i) => [m, cmp.geomeanSpeedup[i]])),
          files: report.files.map((f) => join(out, f)),
        },
        () =>
          `${report.summary}\n\nreport: ${join(out, 'report.md')} (tables, charts in ${join(out, 'charts')})`,
      );
      failIfCellsFailed(run);
    });
}

/** Cells that failed in this run make the exit code non-zero (after the report is written). */
function failIfCellsFailed(run: { failed: number; ran: number } | null): void {
  if (run && run.failed > 0)
    throw new PartialFailure(
      `${run.failed} of ${run.ran} cells failed (errors in the results and the report); --resume retries them`,
    );
}
