/**
 * The experiment spec: which problems, which mappers, what budget and which seeds. A spec is
 * JSON, validated here; `expandSpec` turns it into the concrete problem and mapper lists the
 * runner crosses into cells (problem x mapper x seed).
 *
 * A problem entry is a problem description (models/problem.ts) in which the fields listed in
 * SWEEPS may be lists: it expands over them (a bandwidth sweep, several groups or platforms,
 * several synthetic seeds) into problems with stable ids such as `mix/g0/S2/bw16`; the ids
 * name result lines, table rows and chart files, so they must not change between runs.
 */
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { MAX_TOTAL_STEPS } from '../../agents/settings.js';
import {
  isPlatformFile,
  type ProblemKind,
  type ProblemRef,
  parseProblemRef,
  problemKindOf,
} from '../../models/problem.js';
import { InputError, show } from '../../src/core/errors.js';
import { MAX_BUDGET } from '../../src/optim/search.js';

/** Names and ids: letters, digits, `.`, `_`, `-` (they become file names and table headers). */
const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const slug = z.string().regex(SLUG, 'must be letters, digits, ".", "_" or "-" (a file-name-safe word)');

const seedNumber = z.number().int().nonnegative();

const name = slug.optional();

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
    trainSteps: z.number().int().positive().max(MAX_TOTAL_STEPS).optional(),
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
  budget: z.number().int().min(1).max(MAX_BUDGET),
  /** Mapper seeds; every (problem, mapper) runs once per seed. */
  seeds: z.array(seedNumber).min(1),
  /** Mapper id the speed-ups are relative to (default: the first mapper). */
  baseline: z.string().optional(),
  /**
   * Seconds HiGHS may spend on each problem's certified lower bound (default 10); 0: no
   * certified bounds (the reports then use only the simple bound).
   */
  boundTimeLimit: z.number().min(0).max(3600).optional(),
});

export type ExperimentSpec = z.infer<typeof ExperimentSpecSchema>;

// ---------------------------------------------------------------------------------------------
// Expanded forms: what the runner, the workers and the resolvers see.

/**
 * One problem of an expanded spec: a stable id (`mix/g0/S2/bw16`), its `setting` (the id
 * without the workload words: table seed, task and group, so reports can average a platform
 * and bandwidth over the workloads run on it) and its description, with absolute paths.
 */
export interface PlannedProblem {
  readonly id: string;
  readonly setting: string;
  readonly ref: ProblemRef;
}

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
  readonly problems: readonly PlannedProblem[];
  readonly mappers: readonly MapperRef[];
  readonly baseline: string;
}

/** A zod issue path as a field reference: `.synth.bwRatio`, `[2]`. */
function renderPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
}

/** The first issue of a failed parse as one line: `where: message`. */
function zodMessage(where: string, error: z.ZodError): string {
  const issue = error.issues[0]!;
  const at = `${where}${renderPath(issue.path)}`.replace(/^\./, '');
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

/**
 * Fields a spec entry may give as a list (a sweep), outermost first: the entry expands into
 * every combination, in this order, so ids and cell order stay stable.
 */
const SWEEPS: Record<ProblemKind, readonly (readonly string[])[]> = {
  synth: [
    ['synth', 'seed'],
    ['synth', 'bwRatio'],
  ],
  table: [['bw']],
  task: [['group'], ['seed'], ['platform'], ['flexible'], ['bw']],
  jobs: [['platform'], ['flexible'], ['bw']],
  zoo: [['platform'], ['flexible'], ['bw']],
};

function getAt(o: unknown, path: readonly string[]): unknown {
  let v = o;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function setAt(o: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) return { ...o, [head]: value };
  return { ...o, [head]: setAt(o[head] as Record<string, unknown>, rest, value) };
}

/** Every combination of the swept fields, in SWEEPS order (the last field varies fastest). */
function sweep(
  entry: Record<string, unknown>,
  fields: readonly (readonly string[])[],
  at: string,
): Record<string, unknown>[] {
  let out = [entry];
  for (const path of fields) {
    const v = getAt(entry, path);
    if (!Array.isArray(v)) continue;
    if (v.length === 0) throw new InputError(`${at}.${path.join('.')}: an empty list sweeps nothing`);
    out = out.flatMap((e) => v.map((x) => setAt(e, path, x)));
  }
  return out;
}

function num(x: number): string {
  return String(x);
}

/** The id words of a problem on a platform: `S2-flex/bw16` (`my/bw16` for a platform file). */
function platformWords(r: { platform: string; flexible?: boolean; bw?: number }): string {
  const plat = `${isPlatformFile(r.platform) ? baseName(r.platform) : r.platform}${r.flexible ? '-flex' : ''}`;
  return r.bw === undefined ? plat : `${plat}/bw${num(r.bw)}`;
}

function expandProblem(entry: unknown, index: number, specDir: string, what: string): PlannedProblem[] {
  const where = `problems[${index}]`;
  const kind = problemKindOf(entry, `${what}: ${where}`);
  const raw = entry as Record<string, unknown>;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(specDir, p));
  const parse = (e: Record<string, unknown>) =>
    parseProblemRef(e, `${what}: ${where}`, (path) => `${what}: ${where}${renderPath(path)}`);
  if (raw.name !== undefined && (typeof raw.name !== 'string' || !SLUG.test(raw.name)))
    throw new InputError(
      `${what}: ${where}.name: must be letters, digits, ".", "_" or "-" (a file-name-safe word)`,
    );
  if (kind === 'zoo' && raw.name === undefined)
    throw new InputError(`${what}: ${where}.name: a zoo problem needs a "name" (its id)`);
  const refs = sweep(raw, SWEEPS[kind], `${what}: ${where}`).map(parse);
  // Table seeds are part of a synthetic id only when swept (or when no name says which table).
  const manySeeds = kind === 'synth' && Array.isArray(getAt(raw, ['synth', 'seed']));
  return refs.map((ref): PlannedProblem => {
    if ('synth' in ref) {
      const s = ref.synth;
      const h = s.heterogeneity === undefined ? '' : `-h${num(s.heterogeneity as number)}`;
      const stem = ref.name ?? `synth-j${s.jobs}-c${s.cores}${h}`;
      const tableWord = manySeeds ? `/t${s.seed}` : ref.name ? '' : `-t${s.seed}`;
      const r = `r${num(s.bwRatio as number)}`;
      return { id: `${stem}${tableWord}/${r}`, setting: `${stem}/${r}`, ref };
    }
    if ('table' in ref) {
      const file = typeof ref.table === 'string';
      const stem = ref.name ?? (file ? baseName(ref.table as string) : 'table');
      const id = ref.bw === undefined ? stem : `${stem}/bw${num(ref.bw)}`;
      return { id, setting: id, ref: file ? { ...ref, table: abs(ref.table as string) } : ref };
    }
    const onPlatform = isPlatformFile(ref.platform) ? { ...ref, platform: abs(ref.platform) } : ref;
    const words = platformWords(ref);
    if ('task' in ref) {
      const which =
        ref.group !== undefined
          ? `g${ref.group}`
          : `s${ref.seed}${ref.jobs === undefined ? '' : `-j${ref.jobs}`}`;
      return { id: `${ref.name ?? ref.task}/${which}/${words}`, setting: words, ref: onPlatform };
    }
    if ('jobs' in ref) {
      const magma = /^magma:([a-z]+)\/(\d+)$/.exec(ref.jobs.trim());
      const stem = ref.name ?? (magma ? `${magma[1]}/g${magma[2]}` : baseName(ref.jobs));
      const jobs = magma ? ref.jobs : abs(ref.jobs);
      return { id: `${stem}/${words}`, setting: words, ref: { ...onPlatform, jobs } };
    }
    return { id: `${ref.name}/${words}`, setting: words, ref: onPlatform };
  });
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

/** The MAGMA paper's platforms and their bandwidth sweeps. */
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
  // Keeps the whole comparison, bounds included, within a minute on two cores.
  boundTimeLimit: 5,
};

/**
 * Seeds of the paper-scale specs: with 3, no rank test can mark a mapper significantly best
 * (the smallest rank-sum p of 3 runs against 3 is 0.1); 10 give the tests power.
 */
export const PAPER_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** `paper`: the paper's four tasks on S1..S6 across their bandwidth sweeps. */
const PAPER: ExperimentSpec = {
  name: 'paper',
  description:
    "The paper's comparison: the four tasks (group 0) on S1..S6 across their bandwidth sweeps, " +
    'MAGMA against the baselines at 10,500 evaluations, 10 seeds (enough for the rank tests to mark a best).',
  problems: PAPER_TASKS.flatMap((task) =>
    PAPER_PLATFORMS.map(({ platform, bw }) => ({ task, group: 0, platform, bw })),
  ),
  mappers: ['magma', 'ga', 'random', 'heft-heft', 'herald'],
  budget: PAPER_BUDGET,
  seeds: PAPER_SEEDS,
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
