/** The environment registry: Gymnasium's `register`, `make` and `make_vec`. */
import { InputError, show } from '../src/core/errors.js';
import { DEFAULT_SYNTH, synthTable } from '../src/core/synth.js';
import type { JobTable } from '../src/core/table.js';
import { type ParamSpace, type ParamValues, resolveParams } from '../src/optim/params.js';
import type { AnyEnv, Env, Info } from './core.js';
import {
  DISPATCH_ID,
  type DispatchAction,
  DispatchEnv,
  type DispatchInfo,
  type DispatchObservation,
  dispatchParams,
} from './m3e/dispatch-env.js';
import {
  ENCODING_ID,
  type EncodingAction,
  EncodingEnv,
  type EncodingInfo,
  encodingParams,
} from './m3e/encoding-env.js';
import { fixedTable, type ProblemSource } from './m3e/problem-source.js';
import {
  SEQUENTIAL_ID,
  type SequentialAction,
  SequentialEnv,
  type SequentialInfo,
  sequentialParams,
} from './m3e/sequential-env.js';
import { type AutoresetMode, SyncVectorEnv } from './vector.js';
import { TimeLimit } from './wrappers/time-limit.js';

/** A registered environment: what {@link register} takes and {@link listEnvs} lists. */
export interface EnvSpec<S extends ParamSpace = ParamSpace> {
  /** `namespace/Name-vN`. */
  readonly id: string;
  readonly description: string;
  /** The options `make` accepts besides the problem, with types, ranges and defaults. */
  readonly params: S;
  /** Default time limit (none for the M3E envs: their episodes end by themselves). */
  readonly maxEpisodeSteps?: number;
  /** Builds the environment on a problem source with validated options. */
  create(source: ProblemSource, params: ParamValues<S>): AnyEnv;
}

/** The options of {@link make}: the problem, a time limit, and the environment's own options. */
export interface MakeOptions {
  /** One fixed table for every episode. */
  readonly table?: JobTable;
  /** Where each episode's table comes from (exclusive with `table`). */
  readonly source?: ProblemSource;
  /** Wrap in a TimeLimit of this many steps. */
  readonly maxEpisodeSteps?: number;
  /** The environment's own options (see its `params`). */
  readonly [option: string]: unknown;
}

const ID_PATTERN = /^(?:[A-Za-z0-9_.-]+\/)?[A-Za-z0-9_.-]+-v\d+$/;

const specs = new Map<string, EnvSpec>();

/**
 * Adds an environment to the registry, so {@link make} builds it by id.
 *
 * @throws `InputError` for an id that is not `namespace/Name-vN`, or one already registered.
 */
export function register<S extends ParamSpace>(spec: EnvSpec<S>): void {
  if (!ID_PATTERN.test(spec.id))
    throw new InputError(`environment id ${show(spec.id)} must look like namespace/Name-v0`);
  if (specs.has(spec.id)) throw new InputError(`environment ${spec.id} is already registered`);
  specs.set(spec.id, spec as unknown as EnvSpec);
}

/** The registered environments, in registration order. */
export function listEnvs(): readonly EnvSpec[] {
  return [...specs.values()];
}

/**
 * The registered environment `id`.
 *
 * @throws `InputError` naming the registered ids when there is none.
 */
export function getEnvSpec(id: string): EnvSpec {
  const spec = specs.get(id);
  if (!spec)
    throw new InputError(`unknown environment ${show(id)} (registered: ${[...specs.keys()].join(', ')})`);
  return spec;
}

/** The default problem: a fixed synthetic 100-job, 4-core table at medium bandwidth. */
export const DEFAULT_PROBLEM = DEFAULT_SYNTH;

/** The problem `make` uses for `options` (table, source or the default). */
export function problemOf(options: MakeOptions): ProblemSource {
  if (options.table && options.source) throw new InputError('give either table or source, not both');
  if (options.source) return options.source;
  return fixedTable(options.table ?? synthTable(DEFAULT_PROBLEM));
}

/** The environments' types by id, so `make` of a known id is typed. */
export interface RegisteredEnvs {
  [SEQUENTIAL_ID]: Env<Float32Array, SequentialAction, SequentialInfo>;
  [ENCODING_ID]: Env<Float32Array, EncodingAction, EncodingInfo>;
  [DISPATCH_ID]: Env<DispatchObservation, DispatchAction, DispatchInfo>;
}

/**
 * A new environment of a registered id (Gymnasium's `make`):
 *
 * ```ts
 * make('m3e/Sequential-v0', { table, window: 5, reward: 'dense' })
 * ```
 *
 * Every registered environment is an M3E environment: `make` takes the problem as `table`
 * (one fixed JobTable) or `source` (a {@link ProblemSource} drawing a table at each reset;
 * default: a fixed synthetic 100-job, 4-core table, {@link DEFAULT_PROBLEM}) and the
 * environment's declared options ({@link EnvSpec.params}), validated. `maxEpisodeSteps` wraps
 * the environment in a {@link TimeLimit}. The result's `spec` records the id, the options and
 * the problem source.
 *
 * @throws `InputError` for an unknown id, both `table` and `source`, or an unknown or
 *   out-of-range option (the message names it).
 */
export function make<K extends keyof RegisteredEnvs>(id: K, options?: MakeOptions): RegisteredEnvs[K];
export function make(id: string, options?: MakeOptions): AnyEnv;
export function make(id: string, options: MakeOptions = {}): AnyEnv {
  const spec = getEnvSpec(id);
  const { table: _t, source: _s, maxEpisodeSteps, ...rest } = options;
  const source = problemOf(options);
  const params = resolveParams(id, spec.params, rest, source);
  let env: AnyEnv = spec.create(source, params);
  const limit = maxEpisodeSteps ?? spec.maxEpisodeSteps;
  if (limit !== undefined) env = new TimeLimit(env, limit);
  env.spec = {
    id,
    options: { ...params, problem: source.describe() },
    ...(limit !== undefined ? { maxEpisodeSteps: limit } : {}),
  };
  return env;
}

/**
 * `numEnvs` copies of {@link make}`(id, options)` in a {@link SyncVectorEnv} (Gymnasium's
 * `make_vec`, sync mode). The copies share the problem (table or source); each has its own
 * generator.
 *
 * @throws `InputError` when numEnvs is not a positive integer, or as {@link make}.
 */
export function makeVec<K extends keyof RegisteredEnvs>(
  id: K,
  numEnvs: number,
  options?: MakeOptions,
  vectorOptions?: { autoresetMode?: AutoresetMode },
): SyncVectorEnv<ObsOf<RegisteredEnvs[K]>, ActionOf<RegisteredEnvs[K]>, InfoOf<RegisteredEnvs[K]>>;
export function makeVec(
  id: string,
  numEnvs: number,
  options?: MakeOptions,
  vectorOptions?: { autoresetMode?: AutoresetMode },
): SyncVectorEnv<unknown, unknown, Info, unknown>;
export function makeVec(
  id: string,
  numEnvs: number,
  options: MakeOptions = {},
  vectorOptions: { autoresetMode?: AutoresetMode } = {},
): SyncVectorEnv<unknown, unknown, Info, unknown> {
  if (!Number.isInteger(numEnvs) || numEnvs < 1)
    throw new InputError(`numEnvs must be a positive integer, got ${show(numEnvs)}`);
  // One problem for all copies (the default synthetic table is built once).
  const shared: MakeOptions = { ...options, table: undefined, source: problemOf(options) };
  return new SyncVectorEnv(
    Array.from({ length: numEnvs }, () => () => make(id, shared)),
    vectorOptions,
  );
}

/** The observation type of an environment type. */
export type ObsOf<E> = E extends Env<infer O, infer _A, infer _I> ? O : never;
/** The action type of an environment type. */
export type ActionOf<E> = E extends Env<unknown, infer A, infer _I> ? A : never;
/** The info type of an environment type. */
export type InfoOf<E> = E extends Env<unknown, infer _A, infer I> ? I : never;

/** Every combination of an environment's categorical options (the others at their defaults). */
export function optionCombinations(spec: EnvSpec): Record<string, string | number | boolean>[] {
  let combos: Record<string, string | number | boolean>[] = [{}];
  for (const [name, p] of Object.entries(spec.params)) {
    if (p.type !== 'categorical') continue;
    combos = combos.flatMap((c) => p.choices.map((v) => ({ ...c, [name]: v })));
  }
  return combos;
}

register({
  id: SEQUENTIAL_ID,
  description:
    'One job per step: pick (window slot, core) among the first k pending jobs; the assignment order is scored by the evaluator at the end.',
  params: sequentialParams,
  create: (source, params) => new SequentialEnv(source, params),
});

register({
  id: ENCODING_ID,
  description:
    'One step: the action is a whole encoding (cores and priorities); reward -makespan / lower bound.',
  params: encodingParams,
  create: (source, params) => new EncodingEnv(source, params),
});

register({
  id: DISPATCH_ID,
  description:
    'Event-driven: whenever a core is free, pick a pending job for it or close it; the simulation runs between decisions (any job and core count up to maxJobs x maxCores).',
  params: dispatchParams,
  create: (source, params) => new DispatchEnv(source, params),
});
