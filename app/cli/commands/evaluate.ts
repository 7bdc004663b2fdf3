import type { Command } from 'commander';
import { solveBound } from '../../../src/bound/certified.js';
import { lowerBound } from '../../../src/core/bounds.js';
import { encodingFromJson } from '../../../src/core/encoding.js';
import { Evaluator } from '../../../src/core/evaluator.js';
import { readJsonFile } from '../../../src/io/files.js';
import { certifiedFields, certifiedLine } from '../certified.js';
import { type CliIO, emit } from '../io.js';
import { addProblemOptions, loadProblem, type ProblemOptions } from '../problem.js';
import { addTimeLimitOption } from './bound.js';

interface EvaluateOptions extends ProblemOptions {
  mapping: string;
  json?: boolean;
  timeline?: boolean;
  bound?: boolean;
  timeLimit: number;
}

export function register(program: Command, io: CliIO): void {
  const cmd = program
    .command('evaluate')
    .description('evaluate one mapping (encoding) on a job table: makespan, lower bound, utilisations');
  addTimeLimitOption(addProblemOptions(cmd))
    .option('--bound', 'also the certified lower bound (HiGHS) and the gap to it')
    .requiredOption(
      '--mapping <file>',
      'mapping JSON {"core": [...], "priority": [...]} (a search result file works too)',
    )
    .option('--timeline', 'include the per-interval timeline (jobs and allocated bandwidth per core)')
    .option('--json', 'print JSON on stdout')
    .action((opts: EvaluateOptions) => {
      const { table } = loadProblem(opts);
      const raw = readJsonFile(opts.mapping, 'mapping');
      // A search result holds its mapping under "mapping".
      const data =
        raw && typeof raw === 'object' && 'mapping' in raw ? (raw as { mapping: unknown }).mapping : raw;
      const enc = encodingFromJson(data, table.numJobs, table.numCores);
      const r = new Evaluator(table).evaluate(enc, { timeline: Boolean(opts.timeline) });
      const lb = lowerBound(table);
      const cert = opts.bound ? solveBound(table, { timeLimit: opts.timeLimit }) : null;
      const out = {
        makespan: r.makespan,
        lowerBound: lb,
        ratio: r.makespan / lb,
        ...(cert ? certifiedFields(r.makespan, cert) : {}),
        coreFinish: Array.from(r.coreFinish),
        bandwidthUtilization: r.bandwidthUtilization,
        coreUtilization: r.coreUtilization,
        ...(r.timeline
          ? {
              timeline: r.timeline.map((s) => ({
                start: s.start,
                duration: s.duration,
                job: Array.from(s.job),
                allocated: Array.from(s.allocated),
              })),
            }
          : {}),
      };
      emit(io, Boolean(opts.json), out, () =>
        [
          `makespan           ${fmt(r.makespan)} cycles`,
          `lower bound        ${fmt(lb)} cycles  (simple; makespan / LB = ${(r.makespan / lb).toFixed(4)})`,
          ...(cert ? [certifiedLine(r.makespan, cert)] : []),
          `bandwidth util.    ${(100 * r.bandwidthUtilization).toFixed(2)} %`,
          `core util.         ${(100 * r.coreUtilization).toFixed(2)} %`,
          `core finish        ${Array.from(r.coreFinish, fmt).join('  ')}`,
        ].join('\n'),
      );
    });
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(8);
}
