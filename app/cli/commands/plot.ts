import type { Command } from 'commander';
import { z } from 'zod';
import { encodingFromJson } from '../../../src/core/encoding.js';
import { InputError } from '../../../src/core/errors.js';
import { Evaluator } from '../../../src/core/evaluator.js';
import { checkWritableFile, readJsonFile, writeFileAtomic } from '../../../src/io/files.js';
import { convergenceChart } from '../../../src/report/charts/convergence.js';
import { ganttChart } from '../../../src/report/charts/gantt.js';
import { formatCycles } from '../../../src/report/charts/svg.js';
import { fontStatus, svgToPng } from '../../../src/report/png.js';
import { defaultJobLabels } from '../../experiment/problems.js';
import { type CliIO, emit } from '../io.js';
import { addProblemOptions, loadProblem, type ProblemOptions } from '../problem.js';

interface PlotOptions extends ProblemOptions {
  result: string;
  out?: string;
  png: boolean;
  json?: boolean;
}

/** The parts of a `m3e search --out` result that the charts need. */
const SearchResultSchema = z.looseObject({
  optimizer: z.string(),
  seed: z.number().optional(),
  makespan: z.number(),
  lowerBound: z.number(),
  evaluations: z.number().int().positive(),
  history: z.array(z.tuple([z.number(), z.number()])),
  mapping: z.unknown(),
});

/** Relative tolerance between the result's makespan and the re-evaluation of its mapping. */
const REEVAL_TOLERANCE = 1e-9;

export function register(program: Command, io: CliIO): void {
  const cmd = program
    .command('plot')
    .description(
      'chart one search result: convergence, and the Gantt chart of its mapping with bandwidth per core',
    );
  addProblemOptions(cmd)
    .requiredOption('--result <file>', 'a search result (m3e search --out R.json)')
    .option(
      '--out <prefix>',
      'write <prefix>-convergence.svg and <prefix>-gantt.svg (default: the result path without .json)',
    )
    .option('--no-png', 'SVG only')
    .option('--json', 'print the written files as JSON')
    .action((opts: PlotOptions) => {
      const prefix = opts.out ?? opts.result.replace(/\.json$/i, '');
      const charts = ['convergence', 'gantt'];
      for (const name of charts)
        for (const ext of opts.png ? ['svg', 'png'] : ['svg'])
          checkWritableFile(`${prefix}-${name}.${ext}`, opts.out === undefined ? 'chart' : '--out');
      const parsed = SearchResultSchema.safeParse(readJsonFile(opts.result, 'search result'));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new InputError(
          `search result ${opts.result}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`,
        );
      }
      const r = parsed.data;
      const { table, source } = loadProblem(opts);
      const enc = encodingFromJson(r.mapping, table.numJobs, table.numCores);
      const ev = new Evaluator(table).evaluate(enc, { timeline: true });
      if (Math.abs(ev.makespan - r.makespan) > REEVAL_TOLERANCE * r.makespan) {
        throw new InputError(
          `the mapping in ${opts.result} evaluates to ${ev.makespan} on ${source}, but the result says ${r.makespan}: ` +
            'give the table the search ran on (--table)',
        );
      }
      const files: string[] = [];
      const write = (name: string, svg: string) => {
        writeFileAtomic(`${prefix}-${name}.svg`, svg);
        files.push(`${prefix}-${name}.svg`);
        if (opts.png) {
          writeFileAtomic(`${prefix}-${name}.png`, svgToPng(svg));
          files.push(`${prefix}-${name}.png`);
        }
      };
      const seed = r.seed === undefined ? '' : `, seed ${r.seed}`;
      write(
        'convergence',
        convergenceChart({
          title: `${r.optimizer}${seed} on ${source}`,
          series: [{ name: r.optimizer, runs: [r.history as [number, number][]] }],
          normalizer: r.lowerBound,
          budget: r.evaluations,
        }),
      );
      write(
        'gantt',
        ganttChart({
          title: `${r.optimizer}${seed}: makespan ${formatCycles(r.makespan)} cycles = ${(r.makespan / r.lowerBound).toFixed(4)} x LB, BW util. ${(100 * ev.bandwidthUtilization).toFixed(1)} %`,
          table,
          encoding: enc,
          result: ev,
          labels: defaultJobLabels(table),
        }),
      );
      if (opts.png) {
        const w = fontStatus().warning;
        if (w) io.stderr(`m3e: warning: ${w}\n`);
      }
      emit(io, Boolean(opts.json), { files }, () => files.join('\n'));
    });
}
