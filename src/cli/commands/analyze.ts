/**
 * `m3e analyze`: job list x platform -> job analysis table (the in-process cost model fills
 * every cell), written as JSON with per-cell details (energy, MACs, cluster size, L2, L1,
 * utilisation).
 */
import type { Command } from 'commander';
import { tableToJson } from '../../core/table.js';
import { writeJsonAtomic } from '../../io/files.js';
import { type CliIO, emit } from '../io.js';
import { parseFloatOption } from '../options.js';
import { loadProblem } from '../problem.js';

interface AnalyzeCliOptions {
  jobs: string;
  platform: string;
  bw?: number;
  flexible?: boolean;
  maestroCompat?: boolean;
  out?: string;
  json?: boolean;
}

export function register(program: Command, io: CliIO): void {
  program
    .command('analyze')
    .description(
      'build the job analysis table of a job list on a platform (MAESTRO-compatible cost model, in-process)',
    )
    .requiredOption('--jobs <file>', "job list: the authors' CSV (insts*.csv) or JSON {jobs: [...]}")
    .requiredOption('--platform <name|file>', 'platform preset (see `m3e platforms`) or platform JSON file')
    .option(
      '--bw <bytes/cycle>',
      "system bandwidth (default: the platform file's systemBandwidth)",
      parseFloatOption('--bw', { positive: true }),
    )
    .option(
      '--flexible',
      'every core picks the cluster size with the lowest latency whose L2 fits its SG (2 MiB default)',
    )
    .option(
      '--maestro-compat',
      "reproduce MAESTRO's quirks on purpose (edge tiles, eye's second spatial map)",
    )
    .option('--out <file>', 'write the table here (JSON); without it the table is printed')
    .option('--json', 'print the summary as JSON')
    .action((opts: AnalyzeCliOptions) => {
      const t0 = performance.now();
      const { table, source } = loadProblem({
        jobs: opts.jobs,
        platform: opts.platform,
        ...(opts.bw !== undefined ? { bw: opts.bw } : {}),
        flexible: opts.flexible ?? false,
        maestroCompat: opts.maestroCompat ?? false,
      });
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
