/**
 * `m3e analyze`: job list x platform -> job analysis table (the in-process cost model fills
 * every cell), written as JSON with per-cell details (energy, MACs, cluster size, L2, L1,
 * utilisation).
 */
import type { Command } from 'commander';
import { tableToJson } from '../../../src/core/table.js';
import { checkWritableFile, writeJsonAtomic } from '../../../src/io/files.js';
import { type CliIO, emit } from '../io.js';
import { addProblemOptions, loadProblem, type ProblemOptions } from '../problem.js';

interface AnalyzeCliOptions extends ProblemOptions {
  out?: string;
  json?: boolean;
}

export function register(program: Command, io: CliIO): void {
  const cmd = program
    .command('analyze')
    .description(
      'build the job analysis table of a job list on a platform (MAESTRO-compatible cost model, in-process)',
    );
  addProblemOptions(cmd)
    .option('--out <file>', 'write the table here (JSON); without it the table is printed')
    .option('--json', 'print the summary as JSON')
    .action((opts: AnalyzeCliOptions) => {
      if (opts.out !== undefined) checkWritableFile(opts.out, '--out');
      const t0 = performance.now();
      const { table, source } = loadProblem(opts);
      const ms = performance.now() - t0;
      const json = tableToJson(table);
      if (!opts.out) {
        io.stdout(`${JSON.stringify(json)}\n`);
        return;
      }
      writeJsonAtomic(opts.out, json);
      const J = table.numJobs;
      const C = table.numCores;
      const perCore = table.cores.map((core, c) => {
        let latency = 0;
        let util = 0;
        for (let j = 0; j < J; j++) {
          latency += table.latency[j * C + c]!;
          util += table.details.utilization?.[j * C + c] ?? 0;
        }
        return {
          name: core.name,
          style: core.style,
          pes: core.pes,
          totalLatency: latency,
          meanUtilization: util / J,
        };
      });
      const summary = { source, jobs: J, cores: C, cells: J * C, ms, out: opts.out, perCore };
      emit(io, opts.json ?? false, summary, () =>
        [
          `analysed ${J} jobs x ${C} cores (${J * C} cells) in ${ms.toFixed(1)} ms: ${source}`,
          ...perCore.map(
            (p) =>
              `  ${p.name.padEnd(14)} ${String(p.style).padEnd(4)} ${String(p.pes).padStart(6)} PEs  total latency ${p.totalLatency.toExponential(3)} cycles  mean utilisation ${(100 * p.meanUtilization).toFixed(2)}%`,
          ),
          `wrote ${opts.out}`,
        ].join('\n'),
      );
    });
}
