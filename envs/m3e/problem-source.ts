/** Where an M3E environment's job tables come from ({@link ProblemSource}). */
import {
  DEFAULT_TASK_JOBS,
  type ProblemRef,
  problemPlatform,
  type ResolveOptions,
  resolveProblem,
  type TaskProblem,
} from '../../models/problem.js';
import { parseTaskName, sampleTask } from '../../models/tasks.js';
import { analyzeJobs, modelForPlatform } from '../../src/analyzer/analyze.js';
import { InputError, show } from '../../src/core/errors.js';
import type { Rng } from '../../src/core/rng.js';
import { synthTable } from '../../src/core/synth.js';
import type { JobTable } from '../../src/core/table.js';

/**
 * Where an M3E environment's job table comes from at each reset: one fixed table
 * ({@link fixedTable}), or a new group drawn with the environment's seeded generator
 * ({@link synthSource}, {@link tablePool}, {@link taskGroupsSource}), so an agent can be
 * trained on many groups and tested on held-out ones. {@link problemSource} builds one from a
 * problem description; any object with these members works too.
 *
 * A source fixes the numbers of jobs and cores: the environments' spaces depend on them, and
 * a space never changes during an environment's life. Every table `next` returns has them,
 * except from a source marked `variableSize`, whose tables have at most that many jobs and
 * cores; only environments whose spaces pad smaller tables (m3e/Dispatch-v0) accept it.
 */
export interface ProblemSource {
  /** Jobs of every table the source gives (the most jobs of a table when `variableSize`). */
  readonly numJobs: number;
  /** Cores of every table the source gives (the most cores of a table when `variableSize`). */
  readonly numCores: number;
  /** Tables may be smaller than numJobs x numCores. */
  readonly variableSize?: boolean;
  /** A JSON description, for reports and `env.spec`. */
  describe(): Record<string, unknown>;
  /**
   * The table of the next episode. All randomness comes from `rng` (the environment's
   * generator), so the same reset seed gives the same table.
   */
  next(rng: Rng): JobTable;
}

/** The same table at every reset. */
export function fixedTable(table: JobTable): ProblemSource {
  return {
    numJobs: table.numJobs,
    numCores: table.numCores,
    describe: () => ({ kind: 'fixed', jobs: table.numJobs, cores: table.numCores }),
    next: () => table,
  };
}

/** A number, or a range [low, high] drawn from at every reset. */
export type Range = number | readonly [number, number];

/** Options of {@link synthSource}. */
export interface SynthSourceOptions {
  readonly jobs: number;
  readonly cores: number;
  /** System bandwidth ratio (see synthTable); a range is drawn log-uniformly. */
  readonly bwRatio: Range;
  /** Core heterogeneity (see synthTable); a range is drawn uniformly. Default 0.5. */
  readonly heterogeneity?: Range;
}

function checkRange(name: string, r: Range, positive: boolean): readonly [number, number] {
  const [lo, hi] = typeof r === 'number' ? [r, r] : r;
  const ok = (v: number) => Number.isFinite(v) && (positive ? v > 0 : v >= 0);
  if (!ok(lo) || !ok(hi) || lo > hi)
    throw new InputError(
      `${name} must be a number or a range [low, high] with ${positive ? '0 <' : '0 <='} low <= high, got ${show(r)}`,
    );
  return [lo, hi];
}

/**
 * A new synthetic table ({@link synthTable}) at every reset: its seed, bandwidth ratio
 * (log-uniformly in a range) and heterogeneity (uniformly) drawn from the environment's
 * generator.
 *
 * @throws `InputError` for bad sizes or ranges.
 */
export function synthSource(o: SynthSourceOptions): ProblemSource {
  const bw = checkRange('bwRatio', o.bwRatio, true);
  const het = checkRange('heterogeneity', o.heterogeneity ?? 0.5, false);
  // Validates jobs and cores now rather than at the first reset.
  synthTable({ jobs: o.jobs, cores: o.cores, bwRatio: bw[0], seed: 0, heterogeneity: het[0] });
  return {
    numJobs: o.jobs,
    numCores: o.cores,
    describe: () => ({ kind: 'synth', jobs: o.jobs, cores: o.cores, bwRatio: bw, heterogeneity: het }),
    next: (rng) => {
      const seed = rng.uint32();
      const bwRatio = bw[0] === bw[1] ? bw[0] : Math.exp(rng.uniform(Math.log(bw[0]), Math.log(bw[1])));
      const heterogeneity = het[0] === het[1] ? het[0] : rng.uniform(het[0], het[1]);
      return synthTable({ jobs: o.jobs, cores: o.cores, bwRatio, seed, heterogeneity });
    },
  };
}

/**
 * One of a list of tables (e.g. training groups), drawn uniformly at every reset. To score
 * held-out groups one by one, pass each to `reset({options: {table}})` instead.
 */
export function tablePool(tables: readonly JobTable[]): ProblemSource {
  if (tables.length === 0) throw new InputError('tablePool needs at least one table');
  const { numJobs, numCores } = tables[0]!;
  tables.forEach((t, i) => {
    if (t.numJobs !== numJobs || t.numCores !== numCores)
      throw new InputError(
        `tablePool: table ${i} is ${t.numJobs} jobs x ${t.numCores} cores, table 0 is ${numJobs} x ${numCores} (all must match)`,
      );
  });
  return {
    numJobs,
    numCores,
    describe: () => ({ kind: 'pool', tables: tables.length, jobs: numJobs, cores: numCores }),
    next: (rng) => tables[rng.int(tables.length)]!,
  };
}

/**
 * Checks a table drawn from a source (or passed to reset) against the sizes the spaces assume.
 *
 * @throws `InputError` naming both sizes when they differ.
 */
export function checkTableSize(env: string, table: JobTable, source: ProblemSource): void {
  if (table.numJobs !== source.numJobs || table.numCores !== source.numCores)
    throw new InputError(
      `${env}: table is ${table.numJobs} jobs x ${table.numCores} cores, but the environment's spaces are for ${source.numJobs} x ${source.numCores}`,
    );
}

/**
 * A new group of a model-zoo task (vision, language, recommendation, mix) every episode,
 * analysed on the description's platform at its bandwidth, so an agent can be trained on
 * many real groups and tested on held-out ones (the authors' groups). The description's own
 * seed is the group the source is validated with; each episode draws a fresh one.
 *
 * Cost: one cost model is shared by all the groups of a source, so a layer is costed once
 * per core configuration and later groups reuse the cached cells (the tasks' pools are a
 * few hundred distinct layers).
 */
export function taskGroupsSource(ref: TaskProblem, o: ResolveOptions = {}): ProblemSource {
  if (ref.group !== undefined)
    throw new InputError(
      `new groups are drawn from the model zoo: give the task a "seed" (a zoo sample), not the authors' "group" ${ref.group}`,
    );
  const task = parseTaskName(ref.task, 'task');
  const platform = problemPlatform(ref, o);
  const model = modelForPlatform(platform, { maestroCompat: ref.maestroCompat ?? false });
  const bw = ref.bw ?? platform.systemBandwidth;
  if (bw === undefined) throw new InputError(`platform ${platform.name} sets no systemBandwidth: pass --bw`);
  const options = { systemBandwidth: bw, flexible: ref.flexible ?? false, model };
  const jobs = ref.jobs ?? DEFAULT_TASK_JOBS;
  const encoding = ref.convEncoding ?? 'magma';
  const draw = (seed: number) => analyzeJobs(sampleTask(task, jobs, seed, encoding), platform, options);
  // Validates the whole description (and warms the cache) now, not at the first reset.
  const first = draw(ref.seed ?? 0);
  return {
    numJobs: first.numJobs,
    numCores: first.numCores,
    describe: () => ({ kind: 'task-groups', ...ref }),
    next: (rng) => draw(rng.uint32()),
  };
}

/** Options of {@link problemSource}. */
export interface SourceOptions extends ResolveOptions {
  /**
   * Draw a new group every episode instead of mapping the description's one table: a zoo
   * sample gets a fresh seed, a synthetic table a fresh seed (and its ranges drawn).
   */
  readonly newGroups?: boolean;
}

/**
 * The problem source of a problem description ({@link ProblemRef}): its one table, or with
 * `newGroups` a new group every episode (a zoo task sample: {@link taskGroupsSource}; a
 * synthetic table: {@link synthSource}).
 *
 * @throws `InputError` for a bad description, or `newGroups` with a description that cannot
 *   be drawn again (a table file, a job list).
 */
export function problemSource(ref: ProblemRef, o: SourceOptions = {}): ProblemSource {
  if (!o.newGroups) return fixedTable(resolveProblem(ref, o).table);
  if ('synth' in ref)
    return synthSource({
      jobs: ref.synth.jobs,
      cores: ref.synth.cores,
      bwRatio: ref.synth.bwRatio,
      ...(ref.synth.heterogeneity === undefined ? {} : { heterogeneity: ref.synth.heterogeneity }),
    });
  if ('task' in ref) return taskGroupsSource(ref, o);
  throw new InputError(
    'a new group every episode needs a problem that can be drawn again: a task sample ({"task", "seed", ...}) or a synthetic table ({"synth": ...})',
  );
}
