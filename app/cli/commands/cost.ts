/**
 * `m3e cost`: one layer on one core through the cost model, with every figure the analyzer
 * puts in a table cell (and the MAESTRO quirks that arise for it).
 *
 *   m3e cost --layer "conv K=256 C=256 Y=14 X=14 R=3 S=3" --style dla --pes 2048
 */
import type { Command } from 'commander';
import { InputError } from '../../../src/core/errors.js';
import { CostModel } from '../../../src/costmodel/model.js';
import { readTextFile } from '../../../src/io/files.js';
import { DEFAULT_CLUSTER_SIZE, PLATFORM_LIMITS } from '../../../src/platform/platform.js';
import { type ComputeLayer, DIMS, validateLayer } from '../../../src/workload/layer.js';
import { type CliIO, emit } from '../io.js';
import { parseIntOption } from '../options.js';

/**
 * Parses `kind D=v ...` (the form tables print, e.g. `gemm M=20 N=512 K=128`). Each of the
 * kind's dimensions exactly once: a repeated or unknown one is an error, not ignored.
 */
export function parseLayerSpec(spec: string): ComputeLayer {
  const [kind, ...fields] = spec.trim().split(/\s+/);
  const dims: readonly string[] | undefined = Object.hasOwn(DIMS, kind ?? '')
    ? DIMS[kind as ComputeLayer['kind']]
    : undefined;
  const layer: Record<string, unknown> = { kind };
  for (const f of fields) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(f);
    if (!m) throw new InputError(`--layer: expected D=value, got "${f}" in "${spec}"`);
    const [, dim, text] = m as unknown as [string, string, string];
    if (dims && !dims.includes(dim))
      throw new InputError(`--layer: ${kind} has no dimension ${dim} (its dimensions: ${dims.join(', ')})`);
    if (dim in layer) throw new InputError(`--layer: ${dim} is given twice in "${spec}"`);
    layer[dim] = text === '' ? text : Number(text);
  }
  return validateLayer(layer, '--layer');
}

interface CostCliOptions {
  layer: string;
  style: string;
  pes: number;
  clusterSize: number;
  dataflowFile?: string;
  maestroCompat?: boolean;
  json?: boolean;
}

export function register(program: Command, io: CliIO): void {
  program
    .command('cost')
    .description('cost one layer on one core (runtime, bandwidth, buffers, MACs, utilisation, energy)')
    .requiredOption(
      '--layer <spec>',
      'layer, e.g. "conv K=64 C=64 Y=56 X=56 R=3 S=3", "gemm M=20 N=512 K=128", "fc out=1000 in=2048"',
    )
    .option('--style <name>', 'dataflow style: dla, shi, eye (or the name given to --dataflow-file)', 'dla')
    .option('--pes <n>', 'PE count', parseIntOption('--pes', 1, PLATFORM_LIMITS.MAX_PES), 2048)
    .option(
      '--cluster-size <n>',
      'cluster size (ClusterSz)',
      parseIntOption('--cluster-size', 1, PLATFORM_LIMITS.MAX_PES),
      DEFAULT_CLUSTER_SIZE,
    )
    .option('--dataflow-file <file>', 'a dataflow in MAESTRO notation, registered under --style')
    .option('--maestro-compat', "reproduce MAESTRO's quirks on purpose")
    .option('--json', 'print JSON')
    .action((opts: CostCliOptions) => {
      const model = new CostModel({ maestroCompat: opts.maestroCompat ?? false });
      if (opts.dataflowFile)
        model.registerDataflow(opts.style, readTextFile(opts.dataflowFile, 'dataflow file'));
      const layer = parseLayerSpec(opts.layer);
      const c = model.analyze(layer, { dataflow: opts.style, pes: opts.pes, clusterSize: opts.clusterSize });
      emit(
        io,
        opts.json ?? false,
        { layer, style: opts.style, pes: opts.pes, clusterSize: opts.clusterSize, ...c },
        () =>
          [
            `${opts.layer} on ${opts.style} with ${opts.pes} PEs (cluster size ${opts.clusterSize}, dataflow ${c.dataflow})`,
            `  runtime      ${c.runtime} cycles`,
            `  bandwidth    ${c.bandwidth.toPrecision(6)} bytes/cycle (no-stall)`,
            `  L2 / L1      ${c.l2Bytes} / ${c.l1Bytes} bytes`,
            `  MACs         ${c.macs} (MAESTRO counts ${c.maestroMacs})`,
            `  utilisation  ${(100 * c.utilization).toFixed(3)}%`,
            `  energy       ${c.energy.toPrecision(6)} nJ (MAESTRO activity count)`,
            ...(c.quirks.length
              ? [
                  `  quirks       ${c.quirks.join(', ')} (${model.maestroCompat ? 'reproduced' : 'corrected'})`,
                ]
              : []),
          ].join('\n'),
      );
    });
}
