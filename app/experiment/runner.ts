/**
 * The experiment runner: crosses problems x mappers x seeds into cells, runs each cell once
 * (inline or on a worker pool), and appends one result line per finished cell to the run
 * folder. A killed run resumes where it stopped; `--shard i/N` runs one slice of the cells,
 * so a sweep can be spread over many machines writing into one (shared) run folder.
 *
 * Run folder: `experiment.json` (the spec, so a resume or a report needs nothing else),
 * `results.jsonl` or `results.shard-i-of-N.jsonl` (one per shard, so shards never share a
 * file), then the reports.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, show } from '../../src/core/errors.js';
import { verifyChecksum, withChecksum } from '../../src/io/checksum.js';
import { ensureFolder, readJsonFile, writeJsonAtomic } from '../../src/io/files.js';
import {
  appendResult,
  cellKey,
  loadRunResults,
  RESULT_VERSION,
  type ResultLine,
  readResults,
  resultsFileName,
} from '../../src/report/results.js';
import { type CellTask, runCell } from './cell.js';
import { checkMapper } from './mappers.js';
import { runPool } from './pool.js';
import { checkProblem, resolveProblemCached } from './problems.js';
import { type ExpandedSpec, type ExperimentSpec, expandSpec, type LoadedSpec } from './spec.js';

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

/** Parses `i/N` with 1 <= i <= N. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!m || count < 1 || index < 1 || index > count)
    throw new InputError(`--shard must look like i/N with 1 <= i <= N (e.g. 2/8), got ${show(text)}`);
  return { index, count };
}

/**
 * Every cell of a spec in canonical order: problem, then mapper, then seed. `workDir` is the
 * run folder where cells may keep files (agents trained in a cell).
 */
export function planCells(x: ExpandedSpec, workDir?: string): CellTask[] {
  const out: CellTask[] = [];
  const where = workDir === undefined ? {} : { workDir };
  for (const problem of x.problems)
    for (const mapper of x.mappers)
      for (const seed of x.spec.seeds) out.push({ problem, mapper, seed, budget: x.spec.budget, ...where });
  return out;
}

/**
 * The cells of one shard: every N-th cell from the i-th, so each shard gets a similar mix
 * of problem sizes and mappers (contiguous blocks would give one shard all the big problems).
 */
export function shardCells<T>(cells: readonly T[], shard: Shard): T[] {
  return cells.filter((_, k) => k % shard.count === shard.index - 1);
}

export function taskKey(t: CellTask): string {
  return cellKey({ problem: t.problem.id, mapper: t.mapper.id, seed: t.seed });
}

// ---------------------------------------------------------------------------------------------
// The run folder.

const EXPERIMENT_FILE = 'experiment.json';
const EXPERIMENT_VERSION = 1;

export interface StoredExperiment {
  readonly version: number;
  /** `quick`, `paper`, or the spec file as given. */
  readonly source: string;
  /** Where relative paths in the spec were resolved. */
  readonly specDir: string;
  readonly spec: ExperimentSpec;
}

export function readStoredExperiment(dir: string): StoredExperiment | null {
  const path = join(dir, EXPERIMENT_FILE);
  if (!existsSync(path)) return null;
  const data = verifyChecksum(readJsonFile(path, 'run description'), `run description ${path}`)
    .value as Partial<StoredExperiment>;
  if (data.version !== EXPERIMENT_VERSION || typeof data.specDir !== 'string' || !data.spec) {
    throw new InputError(`${path} is not an m3e run description (version ${EXPERIMENT_VERSION})`);
  }
  return data as StoredExperiment;
}

/** The spec a run folder was started with. */
export function loadStoredSpec(dir: string): LoadedSpec {
  const stored = readStoredExperiment(dir);
  if (!stored) throw new InputError(`${dir} holds no run (no ${EXPERIMENT_FILE}); start one with --spec`);
  return {
    ...expandSpec(stored.spec, stored.specDir, `spec of ${dir}`),
    source: stored.source,
    specDir: stored.specDir,
  };
}

/** JSON with object keys sorted, so two equal specs compare equal as text. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as object)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

/** True when two specs are the same experiment (key order aside). */
export function sameSpec(a: ExperimentSpec, b: ExperimentSpec): boolean {
  return canonical(a) === canonical(b);
}

/** Refuses a run folder started with another spec, or holding results when not resuming (reads only). */
function checkRunDir(dir: string, loaded: LoadedSpec, resultsPath: string, resume: boolean): void {
  const stored = readStoredExperiment(dir);
  if (stored && !sameSpec(stored.spec, loaded.spec)) {
    throw new InputError(
      `${dir} was started with another spec (${stored.source}); resume it without --spec, or choose another --out`,
    );
  }
  const existing = readResults(resultsPath).lines.length;
  if (existing > 0 && !resume) {
    throw new InputError(
      `${dir} already holds ${existing} results; pass --resume to continue the run, or choose another --out`,
    );
  }
}

/** Creates the run folder and its experiment.json (once every check has passed). */
function prepareRunDir(dir: string, loaded: LoadedSpec): void {
  ensureFolder(dir, 'run folder');
  if (!readStoredExperiment(dir)) {
    const record: StoredExperiment = {
      version: EXPERIMENT_VERSION,
      source: loaded.source,
      specDir: loaded.specDir,
      spec: loaded.spec,
    };
    writeJsonAtomic(join(dir, EXPERIMENT_FILE), withChecksum(record), 'run description');
  }
}

/**
 * Validates every problem and mapper of `tasks` completely (each problem is built, so a bad
 * group, file or value fails here, not hours into a sweep). Writes nothing.
 */
export function checkTasks(tasks: readonly CellTask[]): void {
  const seenProblems = new Set<string>();
  const seenMappers = new Set<string>();
  for (const t of tasks) {
    if (!seenProblems.has(t.problem.id)) {
      seenProblems.add(t.problem.id);
      checkProblem(t.problem);
      try {
        resolveProblemCached(t.problem);
      } catch (e) {
        // Name the problem when the message does not (a value found while building its table).
        const where = `problem ${t.problem.id}`;
        if (e instanceof InputError && !e.message.includes(where))
          throw new InputError(`${where}: ${e.message}`);
        throw e;
      }
    }
    if (!seenMappers.has(t.mapper.id)) {
      seenMappers.add(t.mapper.id);
      checkMapper(t.mapper);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Running.

/** The compiled worker entry next to this module (absent when running from TypeScript sources). */
export function cellWorkerScript(): URL | null {
  const url = new URL('./worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : null;
}

export interface RunOptions {
  readonly outDir: string;
  /** Worker threads; 0 runs the cells inline in this thread. */
  readonly workers: number;
  readonly shard?: Shard;
  /** Continue a run: skip cells that already have an ok line (failed cells run again). */
  readonly resume: boolean;
  /** Stops the run: no new cell starts; cells in flight are dropped (a resume reruns them). */
  readonly signal?: AbortSignal;
  /** Called after each finished cell, once its line is written. */
  readonly onCell?: (line: ResultLine, progress: { done: number; total: number }) => void;
}

export interface RunSummary {
  /** Cells of this shard (all cells without sharding). */
  readonly cells: number;
  /** Already done before this run. */
  readonly skipped: number;
  /** Run now, ok or failed. */
  readonly ran: number;
  readonly failed: number;
  /** True when stopped by the signal before every cell ran. */
  readonly stopped: boolean;
  readonly resultsFile: string;
}

export async function runExperiment(loaded: LoadedSpec, options: RunOptions): Promise<RunSummary> {
  const { outDir, signal } = options;
  if (!Number.isInteger(options.workers) || options.workers < 0)
    throw new InputError(`workers must be an integer >= 0, got ${show(options.workers)}`);
  const resultsPath = join(outDir, resultsFileName(options.shard));
  checkRunDir(outDir, loaded, resultsPath, options.resume);

  const all = planCells(loaded, resolve(outDir));
  const mine = options.shard ? shardCells(all, options.shard) : all;
  const done = loadRunResults(outDir);
  const todo = mine.filter((t) => done.get(taskKey(t))?.status !== 'ok');

  // Validate every problem and mapper still to run before the first cell starts, and before
  // anything is written: a refused run leaves no folder behind.
  checkTasks(todo);
  prepareRunDir(outDir, loaded);
  // Cut off a line a kill interrupted, so new lines append cleanly.
  readResults(resultsPath, { repair: true });

  let ran = 0;
  let failed = 0;
  const record = (line: ResultLine) => {
    appendResult(resultsPath, line);
    ran++;
    if (line.status === 'failed') failed++;
    options.onCell?.(line, { done: ran, total: todo.length });
  };

  if (options.workers === 0 || todo.length === 0) {
    for (const task of todo) {
      if (signal?.aborted) break;
      record(await runCell(task));
      // Let signals and timers in between cells (most cells run synchronously).
      await new Promise((r) => setImmediate(r));
    }
  } else {
    const script = cellWorkerScript();
    if (!script) {
      throw new InputError(
        'the worker pool needs the compiled package (dist/app/experiment/worker.js): run `npm run build`, or use --workers 0 to run inline',
      );
    }
    await runPool<CellTask, ResultLine>(
      script,
      todo,
      (index, outcome) => {
        const t = todo[index]!;
        record(
          outcome.ok
            ? outcome.value
            : {
                v: RESULT_VERSION,
                problem: t.problem.id,
                mapper: t.mapper.id,
                seed: t.seed,
                status: 'failed',
                error: outcome.error,
                seconds: 0,
              },
        );
      },
      { size: options.workers, ...(signal ? { signal } : {}) },
    );
  }
  return {
    cells: mine.length,
    skipped: mine.length - todo.length,
    ran,
    failed,
    stopped: ran < todo.length,
    resultsFile: resultsPath,
  };
}

/** True when every cell of the spec has a line (ok or failed) in the run folder. */
export function runComplete(loaded: ExpandedSpec, results: ReadonlyMap<string, ResultLine>): boolean {
  return planCells(loaded).every((t) => results.has(taskKey(t)));
}
