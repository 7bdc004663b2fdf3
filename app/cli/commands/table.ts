import type { Command } from 'commander';
import { MAX_HETEROGENEITY, synthTable } from '../../../src/core/synth.js';
import { TABLE_LIMITS, tableToJson } from '../../../src/core/table.js';
import { checkWritableFile, writeJsonAtomic } from '../../../src/io/files.js';
import { type CliIO, emit } from '../io.js';
import { parseFloatOption, parseIntOption, parseSeedOption } from '../options.js';

interface SynthOptions {
  jobs: number;
  cores: number;
  bwRatio: number;
  seed: number;
  heterogeneity: number;
  out?: string;
  json?: boolean;
}

export function register(program: Command, io: CliIO): void {
  const table = program.command('table').description('make job analysis tables');
  table
    .command('synth')
    .description('a deterministic synthetic job table (lognormal jobs, heterogeneous cores)')
    .option('--jobs <J>', 'number of jobs', parseIntOption('--jobs', 1, TABLE_LIMITS.MAX_JOBS), 100)
    .option('--cores <C>', 'number of cores', parseIntOption('--cores', 1, TABLE_LIMITS.MAX_CORES), 4)
    .option(
      '--bw-ratio <R>',
      'system bandwidth = R x C x mean no-stall bandwidth',
      parseFloatOption('--bw-ratio', { positive: true }),
      1,
    )
    .option(
      '--heterogeneity <h>',
      'core speed spread, speeds in [1/(1+h), 1+h]',
      parseFloatOption('--heterogeneity', { min: 0, max: MAX_HETEROGENEITY }),
      0.5,
    )
    .option('--seed <s>', 'random seed', parseSeedOption(), 0)
    .option('--out <file>', 'write the table here (else print it)')
    .option('--json', 'print JSON on stdout (a summary when --out is given)')
    .action((o: SynthOptions) => {
      if (o.out !== undefined) checkWritableFile(o.out, '--out');
      const t = synthTable({
        jobs: o.jobs,
        cores: o.cores,
        bwRatio: o.bwRatio,
        seed: o.seed,
        heterogeneity: o.heterogeneity,
      });
      const data = tableToJson(t);
      if (!o.out) {
        io.stdout(`${JSON.stringify(data)}\n`);
        return;
      }
      writeJsonAtomic(o.out, data);
      const summary = { out: o.out, jobs: t.numJobs, cores: t.numCores, systemBandwidth: t.systemBandwidth };
      emit(
        io,
        Boolean(o.json),
        summary,
        () =>
          `wrote ${o.out}: ${t.numJobs} jobs x ${t.numCores} cores, B = ${t.systemBandwidth.toPrecision(6)} bytes/cycle`,
      );
    });
}
