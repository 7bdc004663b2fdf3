import type { Command } from 'commander';
import { solveBound } from '../../../src/bound/certified.js';
import { lowerBound } from '../../../src/core/bounds.js';
import { encodingToJson } from '../../../src/core/encoding.js';
import { checkWritableFile, writeJsonAtomic } from '../../../src/io/files.js';
import { parseParamString } from '../../../src/optim/params.js';
import { createOptimizer, getOptimizerSpec } from '../../../src/optim/registry.js';
import { makespanObjective, runSearchAsync } from '../../../src/optim/search.js';
import { certifiedFields, certifiedLine } from '../certified.js';
import { Interrupted, withInterrupts } from '../interrupt.js';
import { type CliIO, emit } from '../io.js';
import { CLI_LIMITS } from '../limits.js';
import { collectKeyValue, parseIntOption } from '../options.js';
import { addProblemOptions, loadProblem, type ProblemOptions } from '../problem.js';
import { ProgressBar } from '../progress.js';
import { addTimeLimitOption } from './bound.js';

interface SearchOptions extends ProblemOptions {
  optimizer: string;
  budget: number;
  param: Record<string, string>;
  out?: string;
  json?: boolean;
  bound?: boolean;
  timeLimit: number;
}

/** Default budget: the authors' 100 generations x 105 evaluations. */
export const DEFAULT_BUDGET = 10_500;

export function register(program: Command, io: CliIO): void {
  const cmd = program
    .command('search')
    .description('search for a good mapping with an optimiser (default MAGMA)');
  addTimeLimitOption(addProblemOptions(cmd))
    .option('--bound', 'also the certified lower bound (HiGHS) and the gap to it')
    .option('--optimizer <name>', 'optimiser name (see `m3e optimizers`)', 'magma')
    .option(
      '--budget <n>',
      'number of evaluated mappings',
      parseIntOption('--budget', 1, CLI_LIMITS.MAX_BUDGET),
      DEFAULT_BUDGET,
    )
    .option('--param <key=value>', 'optimiser hyper-parameter (repeatable)', collectKeyValue('--param'), {})
    .option('--out <file>', 'write the result JSON here (the best so far when interrupted)')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: SearchOptions) => {
      const spec = getOptimizerSpec(opts.optimizer);
      const params = Object.fromEntries(
        Object.entries(opts.param).map(([k, v]) => [k, parseParamString(spec.name, spec.params, k, v)]),
      );
      if (opts.out !== undefined) checkWritableFile(opts.out, '--out');
      const { table, source } = loadProblem(opts);
      const seed = opts.seed ?? 0;
      const optimizer = createOptimizer(spec.name, table, seed, params);
      const lb = lowerBound(table);
      const bar = new ProgressBar(io, opts.budget, spec.name);
      const run = await withInterrupts(io, 'stopping the search', (interrupt) =>
        runSearchAsync(makespanObjective(table), optimizer, {
          budget: opts.budget,
          progressEvery: 500,
          onProgress: (n, best) => bar.update(n, `best ${(best / lb).toFixed(4)} x LB`),
          shouldStop: () => interrupt.received !== null,
        }).then((r) => ({ res: r, signal: interrupt.received })),
      );
      bar.done();
      const { res } = run;
      const stoppedBy = res.stopped ? run.signal : null;
      const rec = optimizer.recommend();
      const cert = opts.bound ? solveBound(table, { timeLimit: opts.timeLimit }) : null;
      const out = {
        optimizer: spec.name,
        problem: source,
        seed,
        params,
        makespan: res.cost,
        lowerBound: lb,
        ratio: res.cost / lb,
        ...(cert ? certifiedFields(res.cost, cert) : {}),
        // The exact mapper knows its own certified bound.
        ...(rec?.optimal !== undefined ? { optimizerBound: rec.bound, optimal: rec.optimal } : {}),
        evaluations: res.evaluations,
        seconds: res.seconds,
        mapping: encodingToJson(res.best),
        history: res.history,
        ...(stoppedBy ? { interrupted: stoppedBy, budget: opts.budget } : {}),
      };
      if (opts.out) writeJsonAtomic(opts.out, out);
      emit(io, Boolean(opts.json), out, () =>
        [
          `${spec.name} on ${source}: ${res.evaluations} evaluations in ${res.seconds.toFixed(2)} s`,
          `makespan     ${res.cost} cycles`,
          `lower bound  ${lb.toPrecision(8)} cycles  (simple; makespan / LB = ${(res.cost / lb).toFixed(4)})`,
          ...(cert ? [certifiedLine(res.cost, cert)] : []),
          ...(rec?.optimal !== undefined
            ? [
                `${spec.name}: its certified bound ${rec.bound!.toPrecision(8)} cycles${rec.optimal ? ', proven optimal' : ''}`,
              ]
            : []),
          ...(opts.out ? [`result       ${opts.out}`] : []),
        ].join('\n'),
      );
      if (stoppedBy) {
        throw new Interrupted(
          stoppedBy,
          `interrupted by ${stoppedBy} after ${res.evaluations} of ${opts.budget} evaluations: the best so far ` +
            `(${(res.cost / lb).toFixed(4)} x LB) ${opts.out ? `is in ${opts.out}` : 'is printed above'}; a search does not resume: run it again to search afresh`,
        );
      }
    });
}
