/**
 * `m3e models`: the model zoo. Without a sub-command, lists every network with its layer
 * count, MACs and parameters at its standard input; `m3e models show NAME` lists its layers.
 */
import type { Command } from 'commander';
import { toJobShape } from '../../../models/convert.js';
import { layerParams, type NetOp, type Network, networkStats, opMacs } from '../../../models/net.js';
import { parseTaskName } from '../../../models/tasks.js';
import { buildNetwork, findModel, type ModelOptions, ZOO } from '../../../models/zoo.js';
import { InputError } from '../../../src/core/errors.js';
import { describeLayer, LAYER_LIMITS } from '../../../src/workload/layer.js';
import { type CliIO, emit } from '../io.js';
import { parseIntOption } from '../options.js';
import { parseConvEncoding } from '../problem.js';

/** 4089184256 -> "4.09 G". */
export function si(v: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [scale, u] of units) if (Math.abs(v) >= scale) return `${(v / scale).toFixed(2)} ${u}`;
  return String(v);
}

function describeOp(op: NetOp): string {
  switch (op.kind) {
    case 'conv2d': {
      const kind =
        op.groups === 1
          ? 'conv'
          : op.groups === op.inC && op.outC === op.inC
            ? 'dwconv'
            : `conv/g${op.groups}`;
      return `${kind} ${op.inC}x${op.inH}x${op.inW} -> ${op.outC}x${op.outH}x${op.outW} k${op.kH}x${op.kW} s${op.stride} p${op.pad}`;
    }
    case 'linear':
      return `linear ${op.in} -> ${op.out} x${op.rows} rows`;
    case 'matmul':
      return `matmul (${op.M}x${op.K})(${op.K}x${op.N}) x${op.count}`;
    case 'other':
      return op.op;
  }
}

/** Text table; columns listed in `right` are right-aligned (numbers). */
function table(rows: string[][], right: readonly number[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (right.includes(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

interface ShowOptions {
  json?: boolean;
  resolution?: number;
  tokens?: number;
  batch?: number;
  convEncoding?: string;
}

function showModel(io: CliIO, name: string, opts: ShowOptions): void {
  const modelOpts: ModelOptions = {
    ...(opts.resolution !== undefined ? { resolution: opts.resolution } : {}),
    ...(opts.tokens !== undefined ? { tokens: opts.tokens } : {}),
    ...(opts.batch !== undefined ? { batch: opts.batch } : {}),
  };
  const encoding = parseConvEncoding(opts.convEncoding);
  const entry = findModel(name);
  const net: Network = buildNetwork(entry.name, modelOpts);
  const stats = networkStats(net);
  const layers = net.layers.map((l) => {
    const shape = toJobShape(l, encoding);
    return { l, shape };
  });
  const value = {
    model: net.model,
    task: net.task,
    title: entry.title,
    source: entry.source,
    input: net.input,
    convEncoding: encoding,
    ...stats,
    layerList: layers.map(({ l, shape }) => ({
      name: l.name,
      op: l.op,
      macs: opMacs(l.op),
      params: layerParams(l),
      ...(l.shared ? { shared: true } : {}),
      job: shape ? { layer: shape.layer, copies: shape.copies } : null,
    })),
  };
  emit(io, opts.json ?? false, value, () => {
    const head = [
      `${entry.title} (${net.model}, ${net.task}): ${entry.source}`,
      `input: ${JSON.stringify(net.input)}; ${stats.layers} layers, ${stats.computeLayers} for the cost model; ` +
        `${si(stats.macs)}MACs, ${si(stats.params)} parameters; shapes in the ${encoding} encoding`,
    ];
    const rows = [['layer', 'operator', 'MACs', 'job']];
    for (const { l, shape } of layers) {
      const job = shape ? `${describeLayer(shape.layer)}${shape.copies > 1 ? ` x${shape.copies}` : ''}` : '-';
      rows.push([l.name + (l.shared ? ' (shared)' : ''), describeOp(l.op), si(opMacs(l.op)), job]);
    }
    return `${head.join('\n')}\n${table(rows, [2])}`;
  });
}

export function register(program: Command, io: CliIO): void {
  const models = program
    .command('models')
    .description(
      'list the model zoo (layers, MACs, parameters at the standard input); "models show NAME" for layers',
    )
    .option('--task <name>', 'only this task: vision, language or recommendation')
    .option('--json', 'print JSON')
    .action((opts: { task?: string; json?: boolean }) => {
      let task: string | undefined;
      if (opts.task !== undefined) {
        task = parseTaskName(opts.task, '--task');
        if (task === 'mix')
          throw new InputError('--task mix is not a model family: omit --task to list every model');
      }
      const list = ZOO.filter((m) => task === undefined || m.task === task).map((m) => {
        const net = buildNetwork(m.name);
        return {
          name: m.name,
          task: m.task,
          title: m.title,
          input: net.input,
          ...networkStats(net),
          source: m.source,
        };
      });
      emit(io, opts.json ?? false, list, () =>
        table(
          [
            ['model', 'task', 'layers', 'cost-model layers', 'MACs', 'params'],
            ...list.map((m) => [
              m.name,
              m.task,
              String(m.layers),
              String(m.computeLayers),
              si(m.macs),
              si(m.params),
            ]),
          ],
          [2, 3, 4, 5],
        ),
      );
    });
  models
    .command('show <name>')
    .description("one model's layers: operator, MACs and the job the cost model sees")
    .option(
      '--resolution <n>',
      'image side (vision)',
      parseIntOption('--resolution', 1, LAYER_LIMITS.MAX_DIM),
    )
    .option(
      '--tokens <n>',
      'tokens per sequence (language)',
      parseIntOption('--tokens', 1, LAYER_LIMITS.MAX_DIM),
    )
    .option(
      '--batch <n>',
      'samples (language, recommendation)',
      parseIntOption('--batch', 1, LAYER_LIMITS.MAX_DIM),
    )
    .option('--conv-encoding <e>', 'convolution shapes for the cost model: magma or exact')
    .option('--json', 'print JSON')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .action((name: string, _opts: ShowOptions, cmd: Command) =>
      showModel(io, name, cmd.optsWithGlobals<ShowOptions>()),
    );
}
