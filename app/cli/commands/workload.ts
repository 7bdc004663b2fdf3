/**
 * `m3e workload`: build a workload and write it as a workload JSON file (--out) or as the
 * authors' CSV (--csv). Sources: a sampled task group (--task, --jobs, --seed, --groups),
 * a request queue cut into dependency-free groups (--requests, --group-size, --order), or
 * an existing file (--workload: workload JSON or the authors' CSV, to convert or inspect).
 */
import type { Command } from 'commander';
import type { ConvEncoding } from '../../../models/convert.js';
import {
  GROUP_ORDERS,
  type GroupOrder,
  groupChains,
  parseRequestList,
  type RequestSpec,
  requestChains,
} from '../../../models/grouping.js';
import { MAX_TASK_JOBS, parseTaskName, sampleTask } from '../../../models/tasks.js';
import { readWorkloadFile, selectGroup, workloadToJson } from '../../../models/workload-file.js';
import { findModel } from '../../../models/zoo.js';
import { InputError } from '../../../src/core/errors.js';
import { checkWritableFile, writeFileAtomic, writeJsonAtomic } from '../../../src/io/files.js';
import { type Job, LAYER_LIMITS, layerMacs } from '../../../src/workload/layer.js';
import { formatMagmaCsv } from '../../../src/workload/magma-csv.js';
import { type CliIO, emit } from '../io.js';
import { parseIntOption, parseSeedOption } from '../options.js';
import { DEFAULT_TASK_JOBS, DEFAULT_TASK_SEED, parseConvEncoding } from '../problem.js';
import { si } from './models.js';

interface WorkloadOptions {
  task?: string;
  jobs?: number;
  seed?: number;
  groups?: number;
  requests?: string;
  groupSize?: number;
  order?: string;
  tokens?: number;
  resolution?: number;
  workload?: string;
  group?: number;
  convEncoding?: string;
  out?: string;
  csv?: string;
  json?: boolean;
}

/** Most groups --groups may ask for (the paper used 10 per task). */
const MAX_TASK_GROUPS = 10_000;

interface Built {
  readonly groups: Job[][];
  readonly source: Record<string, unknown>;
  readonly description: string;
}

function build(opts: WorkloadOptions, encoding: ConvEncoding): Built {
  const given = (['task', 'requests', 'workload'] as const).filter((k) => opts[k] !== undefined);
  if (given.length !== 1) {
    throw new InputError(
      `give exactly one source: --task NAME, --requests LIST or --workload FILE${given.length > 1 ? ` (got --${given.join(' and --')})` : ''}`,
    );
  }
  const onlyWith = (flag: string, value: unknown, source: string) => {
    if (value !== undefined) throw new InputError(`${flag} applies only to ${source}`);
  };
  if (opts.task === undefined) {
    onlyWith('--jobs', opts.jobs, '--task');
    onlyWith('--seed', opts.seed, '--task');
    onlyWith('--groups', opts.groups, '--task');
  }
  if (opts.requests === undefined) {
    onlyWith('--group-size', opts.groupSize, '--requests');
    onlyWith('--order', opts.order, '--requests');
    onlyWith('--tokens', opts.tokens, '--requests');
    onlyWith('--resolution', opts.resolution, '--requests');
  }
  if (opts.workload === undefined) onlyWith('--group', opts.group, '--workload');
  if (opts.task !== undefined) {
    const task = parseTaskName(opts.task, '--task');
    const n = opts.jobs ?? DEFAULT_TASK_JOBS;
    const seed = opts.seed ?? DEFAULT_TASK_SEED;
    const count = opts.groups ?? 1;
    const groups = Array.from({ length: count }, (_, k) => sampleTask(task, n, seed, encoding, k));
    return {
      groups,
      source: { task, jobs: n, seed, groups: count, convEncoding: encoding },
      description: `${count === 1 ? 'a' : count} ${task} group${count === 1 ? '' : 's'} of ${n} jobs, seed ${seed}`,
    };
  }
  if (opts.requests !== undefined) {
    const requests = applyDefaults(parseRequestList(opts.requests), opts);
    if (opts.order !== undefined && !(GROUP_ORDERS as readonly string[]).includes(opts.order)) {
      throw new InputError(`--order must be ${GROUP_ORDERS.join(' or ')}, got "${opts.order}"`);
    }
    const order = (opts.order ?? 'breadth-first') as GroupOrder;
    const chains = requestChains(requests, encoding, '--requests');
    const groups = groupChains(chains, {
      ...(opts.groupSize !== undefined ? { groupSize: opts.groupSize } : {}),
      order,
    });
    return {
      groups,
      source: { requests, groupSize: opts.groupSize ?? null, order, convEncoding: encoding },
      description: `request queue ${opts.requests} cut into ${groups.length} dependency-free groups (${order})`,
    };
  }
  const file = opts.workload!;
  const w = readWorkloadFile(file);
  const groups = opts.group === undefined ? w.groups.map((g) => [...g]) : [selectGroup(w, opts.group, file)];
  return {
    groups,
    source: { file, ...(opts.group !== undefined ? { group: opts.group } : {}) },
    description: w.description ?? file,
  };
}

/** --tokens and --resolution fill in requests of the matching task that do not set them. */
function applyDefaults(requests: RequestSpec[], opts: WorkloadOptions): RequestSpec[] {
  const tasks = requests.map((r) => findModel(r.model, `--requests ${r.model}`).task);
  if (opts.tokens !== undefined && !tasks.includes('language')) {
    throw new InputError('--tokens given but --requests has no language model');
  }
  if (opts.resolution !== undefined && !tasks.includes('vision')) {
    throw new InputError('--resolution given but --requests has no vision model');
  }
  return requests.map((r, i) => ({
    ...r,
    ...(tasks[i] === 'language' && opts.tokens !== undefined ? { tokens: opts.tokens } : {}),
    ...(tasks[i] === 'vision' && opts.resolution !== undefined ? { resolution: opts.resolution } : {}),
  }));
}

function summarize(groups: readonly (readonly Job[])[]) {
  const kinds: Record<string, number> = { conv: 0, dwconv: 0, gemm: 0, fc: 0 };
  const models = new Set<string>();
  let macs = 0;
  let jobs = 0;
  for (const g of groups) {
    for (const j of g) {
      kinds[j.layer.kind] = (kinds[j.layer.kind] ?? 0) + 1;
      if (j.model !== undefined) models.add(j.model);
      macs += layerMacs(j.layer);
      jobs++;
    }
  }
  const sizes = groups.map((g) => g.length);
  return {
    groups: groups.length,
    jobs,
    groupSizes: { min: Math.min(...sizes), max: Math.max(...sizes), mean: jobs / groups.length },
    kinds,
    models: [...models].sort(),
    costModelMacs: macs,
  };
}

export function register(program: Command, io: CliIO): void {
  program
    .command('workload')
    .description('build a workload (task group, request queue, or a file) and write it as JSON or CSV')
    .option('--task <name>', 'sample groups from the zoo: vision, language, recommendation or mix')
    .option(
      '--jobs <n>',
      `jobs per sampled group (default ${DEFAULT_TASK_JOBS})`,
      parseIntOption('--jobs', 1, MAX_TASK_JOBS),
    )
    .option('--seed <s>', `seed for --task (default ${DEFAULT_TASK_SEED})`, parseSeedOption())
    .option(
      '--groups <g>',
      'number of sampled groups (default 1)',
      parseIntOption('--groups', 1, MAX_TASK_GROUPS),
    )
    .option(
      '--requests <list>',
      'request queue model[:count][@batch],... e.g. "resnet50:4,bert-base:2,dlrm:1"',
    )
    .option(
      '--group-size <n>',
      'most jobs per group for --requests (default: all ready jobs)',
      parseIntOption('--group-size', 1, MAX_TASK_JOBS),
    )
    .option('--order <o>', `group order for --requests: ${GROUP_ORDERS.join(' or ')} (default breadth-first)`)
    .option(
      '--tokens <n>',
      'tokens per sequence for the language models of --requests',
      parseIntOption('--tokens', 1, LAYER_LIMITS.MAX_DIM),
    )
    .option(
      '--resolution <n>',
      'image side for the vision models of --requests',
      parseIntOption('--resolution', 1, LAYER_LIMITS.MAX_DIM),
    )
    .option('--workload <file>', "read a workload JSON file or the authors' CSV job list")
    .option('--group <k>', 'keep only group K of --workload', parseIntOption('--group', 0))
    .option('--conv-encoding <e>', "convolution shapes for the cost model: magma (the authors') or exact")
    .option('--out <file>', 'write the workload JSON here')
    .option('--csv <file>', "write the jobs in the authors' CSV format here (one group)")
    .option('--json', 'print the summary as JSON')
    .action((opts: WorkloadOptions) => {
      const encoding = parseConvEncoding(opts.convEncoding);
      if (opts.out !== undefined) checkWritableFile(opts.out, '--out');
      if (opts.csv !== undefined) checkWritableFile(opts.csv, '--csv');
      const built = build(opts, encoding);
      if (opts.csv !== undefined && built.groups.length !== 1) {
        throw new InputError(
          `--csv writes one group but the workload has ${built.groups.length}: ` +
            `write it with --out and export one with --workload FILE --group K --csv OUT`,
        );
      }
      if (opts.out !== undefined) {
        writeJsonAtomic(
          opts.out,
          workloadToJson(built.groups, { description: built.description, source: built.source }),
        );
      }
      if (opts.csv !== undefined) writeFileAtomic(opts.csv, formatMagmaCsv(built.groups[0]!));
      const summary = {
        description: built.description,
        ...summarize(built.groups),
        ...(opts.out !== undefined ? { out: opts.out } : {}),
        ...(opts.csv !== undefined ? { csv: opts.csv } : {}),
      };
      emit(io, opts.json ?? false, summary, () => {
        const k = summary.kinds;
        const lines = [
          summary.description,
          `${summary.groups} group(s), ${summary.jobs} jobs (per group ${summary.groupSizes.min}..${summary.groupSizes.max}); ` +
            `conv ${k.conv}, dwconv ${k.dwconv}, gemm ${k.gemm}, fc ${k.fc}; ${si(summary.costModelMacs)}MACs as the cost model counts them`,
        ];
        if (opts.out !== undefined) lines.push(`wrote ${opts.out}`);
        if (opts.csv !== undefined) lines.push(`wrote ${opts.csv}`);
        return lines.join('\n');
      });
    });
}
