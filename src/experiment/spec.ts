/**
 * The experiment spec: which problems, which mappers, what budget and which seeds. A spec is
 * JSON, validated here; `expandSpec` turns it into the concrete problem and mapper lists the
 * runner crosses into cells (problem x mapper x seed).
 *
 * A problem entry expands over its lists (a bandwidth sweep, several groups or platforms,
 * several synthetic seeds) into problems with stable ids such as `mix/g0/S2/bw16`; the ids
 * name result lines, table rows and chart files, so they must not change between runs.
 */
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { InputError, show } from '../core/errors.js';

/** Names and ids: letters, digits, `.`, `_`, `-` (they become file names and table headers). */
const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const slug = z.string().regex(SLUG, 'must be letters, digits, ".", "_" or "-" (a file-name-safe word)');

const positive = z.number().positive();
const seedNumber = z.number().int().nonnegative();
/** A value or a non-empty list of values (a sweep). */
const oneOrMany = <T extends z.ZodType>(t: T) => z.union([t, z.array(t).min(1)]);

const name = slug.optional();

const SynthProblemSchema = z.strictObject({
  name,
  synth: z.strictObject({
    jobs: z.number().int().min(1),
    cores: z.number().int().min(1),
    /** System bandwidth as a multiple of C x mean no-stall bandwidth (see core/synth.ts). */
    bwRatio: oneOrMany(positive),
    /** Seed of the synthetic table (not of the mappers). */
    seed: oneOrMany(seedNumber),
    heterogeneity: z.number().nonnegative().optional(),
  }),
});

const TableProblemSchema = z.strictObject({
  name,
  /** A job analysis table file (JSON, as written by `m3e table`), relative to the spec file. */
  table: z.string().min(1),
  /** System bandwidths (bytes/cycle) to sweep; the table's own when absent. */
  bw: oneOrMany(positive).optional(),
});

/** Fields shared by problems that need the cost model: a workload on a platform at some bandwidths. */
const onPlatform = {
  name,
  /** Preset name (S1..S6) or a platform file, relative to the spec file. */
  platform: oneOrMany(z.string().min(1)),
  /** Flexible cores: the analyzer picks the best array shape per job. */
  flexible: oneOrMany(z.boolean()).optional(),
  /** System bandwidths in bytes per cycle (GB/s at 1 GHz). */
  bw: oneOrMany(positive),
};

const TaskProblemSchema = z.strictObject({
  /** The paper's tasks (the authors' job groups): conv (vision), lang, recom, mix. */
  task: z.string().min(1),
  group: oneOrMany(z.number().int().nonnegative()),
  ...onPlatform,
});

const JobsProblemSchema = z.strictObject({
  /** A job list in the authors' CSV format, relative to the spec file. */
  jobs: z.string().min(1),
  ...onPlatform,
});

const ZooProblemSchema = z.strictObject({
  /** A model-zoo request (models and batch sizes), passed to the zoo as is. */
  zoo: z.record(z.string(), z.unknown()),
  ...onPlatform,
  name: slug,
});

const paramValue = z.union([z.number(), z.string(), z.boolean()]);
const params = z.record(z.string(), paramValue).optional();

const OptimizerMapperSchema = z.strictObject({
  name,
  /** A registered optimiser or heuristic (see `m3e optimizers`). */
  optimizer: z.string().min(1),
  params,
});

const AgentMapperSchema = z
  .strictObject({
    name,
    /** An RL agent kind (ppo, a2c). */
    agent: z.string().min(1),
    /** A trained agent's run folder (`m3e train --out`), relative to the spec file ... */
    run: z.string().min(1).optional(),
    /** ... or train one inside the experiment, per problem and seed, for this many steps. */
    trainSteps: z.number().int().positive().optional(),
    /** Agent settings over the M3E presets, as in `m3e train --param` (trainSteps only). */
    settings: z.record(z.string(), z.unknown()).optional(),
    /** Environment options of m3e/Sequential-v0, as in `m3e train --env-option` (trainSteps only). */
    env: z.record(z.string(), z.unknown()).optional(),
    /** Apply the M3E presets under `settings` (default true; trainSteps only). */
    preset: z.boolean().optional(),
    /**
     * Mappings the policy proposes per cell: 1 = the greedy rollout only; K > 1 = the greedy
     * rollout and K - 1 sampled ones, best kept. Default: the spec's budget (the fairness rule).
     */
    samples: z.number().int().positive().optional(),
  })
  .refine((m) => (m.run === undefined) !== (m.trainSteps === undefined), {
    message: 'an agent mapper needs exactly one of "run" (a trained agent) or "trainSteps" (train it here)',
  })
  .refine((m) => m.run === undefined || (m.settings ?? m.env ?? m.preset) === undefined, {
    message:
      '"settings", "env" and "preset" apply to agents trained here ("trainSteps"); a "run" keeps its own',
  });

const ProblemEntrySchema = z.unknown();
const MapperEntrySchema = z.union([z.string().min(1), z.record(z.string(), z.unknown())]);

export const ExperimentSpecSchema = z.strictObject({
  /** Where editors find the schema; ignored. */
  $schema: z.string().optional(),
  name: slug,
  description: z.string().optional(),
  problems: z.array(ProblemEntrySchema).min(1),
  /** Mapper entries: a registered optimiser's name, or an object (see the schemas above). */
  mappers: z.array(MapperEntrySchema).min(1),
  /** Evaluated mappings per cell, the same for every mapper (the fairness rule). */
  budget: z.number().int().min(1),
  /** Mapper seeds; every (problem, mapper) runs once per seed. */
  seeds: z.array(seedNumber).min(1),
  /** Mapper id the speed-ups are relative to (default: the first mapper). */
  baseline: z.string().optional(),
});

export type ExperimentSpec = z.infer<typeof ExperimentSpecSchema>;

// ---------------------------------------------------------------------------------------------
// Expanded forms: what the runner, the workers and the resolvers see.

/**
 * Every problem has a `setting`: its id without the workload words (table seed, task and
 * group), so reports can average a platform and bandwidth over the workloads run on it.
 */
export interface SynthProblemRef {
  readonly kind: 'synth';
  readonly id: string;
  readonly setting: string;
  readonly jobs: number;
  readonly cores: number;
  readonly bwRatio: number;
  readonly seed: number;
  readonly heterogeneity?: number;
}

export interface TableProblemRef {
  readonly kind: 'table';
  readonly id: string;
  readonly setting: string;
  /** Absolute path. */
  readonly path: string;
  /** System bandwidth override; the table's own when absent. */
  readonly bw?: number;
}

export type WorkloadRef =
  | { readonly task: string; readonly group: number }
  /** Absolute path of an authors'-format CSV job list. */
  | { readonly jobs: string }
  | { readonly zoo: Readonly<Record<string, unknown>> };

/** A problem that needs the cost model: one workload on one platform at one bandwidth. */
export interface WorkloadProblemRef {
  readonly kind: 'workload';
  readonly id: string;
  readonly setting: string;
  readonly workload: WorkloadRef;
  /** Preset name, or the absolute path of a platform file. */
  readonly platform: string;
  readonly flexible: boolean;
  readonly bw: number;
}

export type ProblemRef = SynthProblemRef | TableProblemRef | WorkloadProblemRef;

export type ParamSettings = Readonly<Record<string, number | string | boolean>>;

export interface OptimizerMapperRef {
  readonly kind: 'optimizer';
  readonly id: string;
  readonly optimizer: string;
  readonly params: ParamSettings;
}

export interface AgentMapperRef {
  readonly kind: 'agent';
  readonly id: string;
  readonly agent: string;
  /** Absolute path of a trained agent's run folder. */
  readonly run?: string;
  readonly trainSteps?: number;
  /** Agent settings given in the spec (over the presets when `preset`). */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Environment options given in the spec. */
  readonly env: Readonly<Record<string, unknown>>;
  readonly preset: boolean;
  /** Mappings proposed per cell (1 = greedy only); <= the budget. */
  readonly samples: number;
}

export type MapperRef = OptimizerMapperRef | AgentMapperRef;

export interface ExpandedSpec {
  readonly spec: ExperimentSpec;
  readonly problems: readonly ProblemRef[];
  readonly mappers: readonly MapperRef[];
  readonly baseline: string;
}

function list<T>(v: T | readonly T[]): readonly T[] {
  return Array.isArray(v) ? (v as readonly T[]) : [v as T];
}

/** The first issue of a failed parse as one line: `where: message`. */
function zodMessage(where: string, error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  const at = `${where}${path}`.replace(/^\./, '');
  return `${at || '(top level)'}: ${issue.message}`;
}

function parseWith<T extends z.ZodType>(schema: T, value: unknown, where: string, what: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new InputError(`${what}: ${zodMessage(where, r.error)}`);
  return r.data;
}

/** The file-ish last word of a path, for ids: `runs/t/big-table.json` -> `big-table`. */
function baseName(path: string): string {
  const last = path.split(/[\\/]/).pop() ?? path;
  const stem = last.replace(/\.[^.]*$/, '');
  return stem.replace(/[^A-Za-z0-9._-]+/g, '_') || 'file';
}

/** Presets are bare words (S1..S6); anything with a slash or an extension is a file. */
function isPlatformFile(platform: string): boolean {
  return /[\\/]/.test(platform) || /\.[A-Za-z]+$/.test(platform);
}

function num(x: number): string {
  return String(x);
}

const PROBLEM_KEYS = ['synth', 'table', 'task', 'jobs', 'zoo'] as const;

function expandProblem(entry: unknown, index: number, specDir: string, what: string): ProblemRef[] {
  const where = `problems[${index}]`;
  if (!entry || typeof entry !== 'object' || Array.isArray(entry))
    throw new InputError(`${what}: ${where} must be an object, got ${show(entry)}`);
  const present = PROBLEM_KEYS.filter((k) => k in entry);
  if (present.length !== 1) {
    throw new InputError(
      `${what}: ${where} needs exactly one of ${PROBLEM_KEYS.map((k) => `"${k}"`).join(', ')}, got ${present.length ? present.join(' and ') : 'none'}`,
    );
  }
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(specDir, p));
  switch (present[0]) {
    case 'synth': {
      const e = parseWith(SynthProblemSchema, entry, where, what);
      const s = e.synth;
      // The table seed is part of the id only when it is swept (or no name says which table).
      const many = Array.isArray(s.seed);
      const h = s.heterogeneity === undefined ? '' : `-h${num(s.heterogeneity)}`;
      const stem = e.name ?? `synth-j${s.jobs}-c${s.cores}${h}`;
      const tableWord = (seed: number) => (many ? `/t${seed}` : e.name ? '' : `-t${seed}`);
      return list(s.seed).flatMap((seed) =>
        list(s.bwRatio).map(
          (bwRatio): SynthProblemRef => ({
            kind: 'synth',
            id: `${stem}${tableWord(seed)}/r${num(bwRatio)}`,
            setting: `${stem}/r${num(bwRatio)}`,
            jobs: s.jobs,
            cores: s.cores,
            bwRatio,
            seed,
            ...(s.heterogeneity === undefined ? {} : { heterogeneity: s.heterogeneity }),
          }),
        ),
      );
    }
    case 'table': {
      const e = parseWith(TableProblemSchema, entry, where, what);
      const stem = e.name ?? baseName(e.table);
      const path = abs(e.table);
      if (e.bw === undefined) return [{ kind: 'table', id: stem, setting: stem, path }];
      return list(e.bw).map(
        (bw): TableProblemRef => ({
          kind: 'table',
          id: `${stem}/bw${num(bw)}`,
          setting: `${stem}/bw${num(bw)}`,
          path,
          bw,
        }),
      );
    }
    case 'task': {
      const e = parseWith(TaskProblemSchema, entry, where, what);
      return list(e.group).flatMap((group) =>
        onPlatformRefs(e, `${e.name ?? e.task}/g${group}`, { task: e.task, group }, abs),
      );
    }
    case 'jobs': {
      const e = parseWith(JobsProblemSchema, entry, where, what);
      return onPlatformRefs(e, e.name ?? baseName(e.jobs), { jobs: abs(e.jobs) }, abs);
    }
    default: {
      const e = parseWith(ZooProblemSchema, entry, where, what);
      return onPlatformRefs(e, e.name, { zoo: e.zoo }, abs);
    }
  }
}

function onPlatformRefs(
  e: { platform: string | string[]; flexible?: boolean | boolean[]; bw: number | number[] },
  stem: string,
  workload: WorkloadRef,
  abs: (p: string) => string,
): WorkloadProblemRef[] {
  const out: WorkloadProblemRef[] = [];
  for (const platform of list(e.platform)) {
    const file = isPlatformFile(platform);
    for (const flexible of list(e.flexible ?? false)) {
      for (const bw of list(e.bw)) {
        const plat = `${file ? baseName(platform) : platform}${flexible ? '-flex' : ''}`;
        out.push({
          kind: 'workload',
          id: `${stem}/${plat}/bw${num(bw)}`,
          setting: `${plat}/bw${num(bw)}`,
          workload,
          platform: file ? abs(platform) : platform,
          flexible,
          bw,
        });
      }
    }
  }
  return out;
}

function expandMapper(
  entry: unknown,
  index: number,
  specDir: string,
  budget: number,
  what: string,
): MapperRef {
  const where = `mappers[${index}]`;
  if (typeof entry === 'string') return { kind: 'optimizer', id: entry, optimizer: entry, params: {} };
  if (entry && typeof entry === 'object' && 'agent' in entry) {
    const e = parseWith(AgentMapperSchema, entry, where, what);
    if (e.samples !== undefined && e.samples > budget) {
      throw new InputError(
        `${what}: ${where}.samples: ${e.samples} mappings exceed the budget of ${budget} evaluated mappings per cell`,
      );
    }
    return {
      kind: 'agent',
      id: e.name ?? e.agent,
      agent: e.agent,
      ...(e.run === undefined ? {} : { run: isAbsolute(e.run) ? e.run : resolve(specDir, e.run) }),
      ...(e.trainSteps === undefined ? {} : { trainSteps: e.trainSteps }),
      settings: e.settings ?? {},
      env: e.env ?? {},
      preset: e.preset ?? true,
      samples: e.samples ?? budget,
    };
  }
  const e = parseWith(OptimizerMapperSchema, entry, where, what);
  return { kind: 'optimizer', id: e.name ?? e.optimizer, optimizer: e.optimizer, params: e.params ?? {} };
}

function checkUnique(ids: readonly string[], what: string, kind: string, hint: string): void {
  const seen = new Map<string, number>();
  ids.forEach((id, i) => {
    const first = seen.get(id);
    if (first !== undefined)
      throw new InputError(`${what}: ${kind} ${first} and ${i} are both named ${show(id)}; ${hint}`);
    seen.set(id, i);
  });
}

/**
 * Validates a spec (already JSON-parsed) and expands it. `specDir` anchors relative paths;
 * `what` names the spec in messages (`spec runs/x.json`).
 */
export function expandSpec(data: unknown, specDir: string, what = 'spec'): ExpandedSpec {
  const spec = parseWith(ExperimentSpecSchema, data, '', what);
  const problems = spec.problems.flatMap((p, i) => expandProblem(p, i, specDir, what));
  const mappers = spec.mappers.map((m, i) => expandMapper(m, i, specDir, spec.budget, what));
  checkUnique(
    problems.map((p) => p.id),
    what,
    'expanded problems',
    'give the problem entries distinct "name"s',
  );
  checkUnique(
    mappers.map((m) => m.id),
    what,
    'mappers',
    'give them distinct "name"s',
  );
  checkUnique(spec.seeds.map(String), what, 'seeds', 'list each seed once');
  const baseline = spec.baseline ?? mappers[0]!.id;
  if (!mappers.some((m) => m.id === baseline)) {
    throw new InputError(
      `${what}: baseline ${show(baseline)} is not one of the mappers (${mappers.map((m) => m.id).join(', ')})`,
    );
  }
  return { spec, problems, mappers, baseline };
}

// ---------------------------------------------------------------------------------------------
// Built-in specs.

/** The authors' GA budget: 100 generations of 105 evaluations (population + elites). */
export const PAPER_BUDGET = 10_500;

/** The paper's four tasks (the authors' job groups in models/data/magma/). */
export const PAPER_TASKS = ['conv', 'lang', 'recom', 'mix'] as const;

/** The paper's platforms and their bandwidth sweeps (spec m3e.md section 1). */
export const PAPER_PLATFORMS: readonly { platform: string; bw: number[] }[] = [
  { platform: 'S1', bw: [1, 2, 4, 8, 16] },
  { platform: 'S2', bw: [1, 2, 4, 8, 16] },
  { platform: 'S3', bw: [1, 16, 256] },
  { platform: 'S4', bw: [1, 16, 256] },
  { platform: 'S5', bw: [1, 16, 256] },
  { platform: 'S6', bw: [1, 16, 256] },
];

/**
 * `quick`: the default of `m3e compare`, a few minutes on two cores: the authors' Mix and
 * Vision groups on the small heterogeneous platform S2 at scarce and plentiful bandwidth,
 * MAGMA against the standard GA, CMA-ES, random search and the two best heuristics.
 */
const QUICK: ExperimentSpec = {
  name: 'quick',
  description:
    "MAGMA against a standard GA, CMA-ES, random search and heuristics on the authors' Mix and " +
    'Vision groups on S2 at 1 and 16 B/cycle; 10,500 evaluations, 3 seeds.',
  problems: [
    { task: 'mix', group: 0, platform: 'S2', bw: [1, 16] },
    { task: 'conv', group: 0, platform: 'S2', bw: [1, 16] },
  ],
  mappers: ['magma', 'ga', 'cmaes', 'random', 'heft-heft', 'herald'],
  budget: PAPER_BUDGET,
  seeds: [1, 2, 3],
  baseline: 'random',
};

/** `paper`: the paper's four tasks on S1..S6 across their bandwidth sweeps. */
const PAPER: ExperimentSpec = {
  name: 'paper',
  description:
    "The paper's comparison: the four tasks (group 0) on S1..S6 across their bandwidth sweeps, " +
    'MAGMA against the baselines at 10,500 evaluations, 3 seeds.',
  problems: PAPER_TASKS.flatMap((task) =>
    PAPER_PLATFORMS.map(({ platform, bw }) => ({ task, group: 0, platform, bw })),
  ),
  mappers: ['magma', 'ga', 'random', 'heft-heft', 'herald'],
  budget: PAPER_BUDGET,
  seeds: [1, 2, 3],
  baseline: 'random',
};

/** Environment steps each agent of the `agents` spec trains per cell. */
const AGENTS_TRAIN_STEPS = 200_000;

/**
 * `agents`: learned against evolutionary and list-scheduling mappers on the `quick`
 * problems. PPO and A2C train on each cell's problem (M3E presets) and then propose the
 * budget of mappings; about 20 minutes on two cores (the training dominates).
 */
const AGENTS: ExperimentSpec = {
  name: 'agents',
  description:
    "PPO and A2C trained per cell for 200k steps against MAGMA, the GA, CMA-ES and heuristics on the authors' " +
    'Mix and Vision groups on S2 at 1 and 16 B/cycle; 10,500 evaluated mappings, 3 seeds.',
  problems: QUICK.problems,
  mappers: [
    'magma',
    'ga',
    'cmaes',
    'heft-heft',
    'herald',
    { agent: 'ppo', name: 'ppo-200k', trainSteps: AGENTS_TRAIN_STEPS },
    { agent: 'a2c', name: 'a2c-200k', trainSteps: AGENTS_TRAIN_STEPS },
  ],
  budget: PAPER_BUDGET,
  seeds: [1, 2, 3],
  baseline: 'magma',
};

export const BUILTIN_SPECS: Readonly<Record<string, ExperimentSpec>> = {
  quick: QUICK,
  paper: PAPER,
  agents: AGENTS,
};

export interface LoadedSpec extends ExpandedSpec {
  /** `quick`, `paper`, or the spec file's path. */
  readonly source: string;
  /** Relative paths in the spec are relative to this directory. */
  readonly specDir: string;
}

/** A built-in spec by name, or a spec file. */
export function loadSpec(
  nameOrPath: string,
  readJson: (path: string) => unknown,
  cwd = process.cwd(),
): LoadedSpec {
  const builtin = BUILTIN_SPECS[nameOrPath];
  if (builtin) return { ...expandSpec(builtin, cwd, `spec ${nameOrPath}`), source: nameOrPath, specDir: cwd };
  if (!/\.json$/i.test(nameOrPath) && !/[\\/]/.test(nameOrPath)) {
    throw new InputError(
      `unknown built-in spec ${show(nameOrPath)} (built-in: ${Object.keys(BUILTIN_SPECS).join(', ')}; or give a spec .json file)`,
    );
  }
  const path = resolve(cwd, nameOrPath);
  const specDir = resolve(path, '..');
  return { ...expandSpec(readJson(path), specDir, `spec ${nameOrPath}`), source: nameOrPath, specDir };
}
