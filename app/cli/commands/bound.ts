/**
 * `m3e bound`: the certified lower bound of a problem (every problem source), with the
 * relaxation's own mapping evaluated. `--json` prints {bound, simpleBound, status, mipGap,
 * seconds, ...}.
 */
import type { Command } from 'commander';
import { certifiedBound } from '../../../src/bound/certified.js';
import { encodingToJson } from '../../../src/core/encoding.js';
import { checkWritableFile, writeJsonAtomic } from '../../../src/io/files.js';
import { type CliIO, emit } from '../io.js';
import { parseFloatOption } from '../options.js';
import { addProblemOptions, loadProblem, type ProblemOptions } from '../problem.js';

interface BoundOptions extends ProblemOptions {
  timeLimit: number;
  mipGap: number;
  plain?: boolean;
  out?: string;
  json?: boolean;
}

/** Seconds HiGHS may spend when --time-limit is not given. */
export const DEFAULT_TIME_LIMIT = 60;

/** The bound flags `evaluate` and `search` share with `bound`. */
export function addTimeLimitOption(cmd: Command): Command {
  return cmd.option(
    '--time-limit <s>',
    `seconds HiGHS may spend on the certified bound (default ${DEFAULT_TIME_LIMIT})`,
    parseFloatOption('--time-limit', { positive: true, max: 86_400 }),
    DEFAULT_TIME_LIMIT,
  );
}

export function register(program: Command, io: CliIO): void {
  const cmd = program
    .command('bound')
    .description(
      'certified lower bound on the makespan of every mapping (assignment relaxation solved by HiGHS)',
    );
  addTimeLimitOption(addProblemOptions(cmd))
    .option(
      '--mip-gap <g>',
      'HiGHS stops when its relative gap is at most this',
      parseFloatOption('--mip-gap', { min: 0, max: 0.01 }),
      1e-4,
    )
    .option('--plain', 'the assignment relaxation alone, without the progress-clock rows')
    .option('--out <file>', "write the result and the relaxation's mapping (JSON) here")
    .option('--json', 'print JSON on stdout')
    .action((opts: BoundOptions) => {
      if (opts.out !== undefined) checkWritableFile(opts.out, '--out');
      const { table, source } = loadProblem(opts);
      const r = certifiedBound(table, {
        timeLimit: opts.timeLimit,
        mipRelGap: opts.mipGap,
        strengthen: !opts.plain,
      });
      const out = {
        problem: source,
        bound: r.bound,
        simpleBound: r.simpleBound,
        status: r.status,
        mipGap: r.mipGap,
        seconds: r.seconds,
        precision: r.precision,
        strengthened: r.strengthened,
        solver: r.solver,
        makespan: r.makespan,
        gap: r.makespan / r.bound - 1,
        optimal: r.optimal,
        mapping: encodingToJson(r.mapping),
      };
      if (opts.out) writeJsonAtomic(opts.out, out);
      const { mapping: _mapping, ...summary } = out;
      emit(io, Boolean(opts.json), summary, () =>
        [
          `${source}`,
          `certified bound   ${r.bound.toPrecision(10)} cycles  (${r.status}, HiGHS gap ${r.mipGap.toExponential(1)}, ${r.seconds.toFixed(1)} s; precision ${r.precision.toExponential(1)})`,
          `simple bound      ${r.simpleBound.toPrecision(10)} cycles  (certified / simple = ${(r.bound / r.simpleBound).toFixed(4)})`,
          `its mapping       ${r.makespan.toPrecision(10)} cycles  (gap ${(100 * out.gap).toFixed(3)} %${r.optimal ? ', proven optimal' : ''})`,
          ...(opts.out ? [`result            ${opts.out}`] : []),
        ].join('\n'),
      );
    });
}
