/**
 * Problem sets for tuning: a JSON list whose entries are one of
 *   {"table": "path/to/table.json"}                   a job table file (relative paths are
 *                                                     resolved against the list's folder)
 *   {"synth": {"jobs", "cores", "bwRatio", "seed", "heterogeneity"?}}   a synthetic table
 *   {"task", "platform", "bw", "group" | "seed"}      a task group on a platform preset
 * Every table is loaded (and checked) before tuning starts.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { lowerBound } from '../core/bounds.js';
import { InputError, show } from '../core/errors.js';
import { synthTable } from '../core/synth.js';
import { type JobTable, tableFromJson } from '../core/table.js';
import { readJsonFile } from '../io/files.js';

export interface TuneProblem {
  readonly label: string;
  readonly table: JobTable;
  readonly lowerBound: number;
}

const TableEntry = z.strictObject({ table: z.string().min(1) });
const SynthEntry = z.strictObject({
  synth: z.strictObject({
    jobs: z.number().int().min(1),
    cores: z.number().int().min(1),
    bwRatio: z.number().positive(),
    seed: z.number().int(),
    heterogeneity: z.number().min(0).optional(),
  }),
});
const TaskEntry = z
  .strictObject({
    task: z.string().min(1),
    platform: z.string().min(1),
    bw: z.number().positive(),
    group: z.number().int().min(0).optional(),
    seed: z.number().int().optional(),
  })
  .refine((e) => (e.group === undefined) !== (e.seed === undefined), {
    message: 'give exactly one of "group" and "seed"',
  });
export type TaskProblemEntry = z.infer<typeof TaskEntry>;

const ENTRY_SHAPES =
  '{"table": path}, {"synth": {jobs, cores, bwRatio, seed}} or {"task", "platform", "bw", "group"|"seed"}';

function parseEntry<T>(schema: z.ZodType<T>, data: unknown, where: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.length ? `${issue.path.join('.')}: ` : '';
    throw new InputError(`${where}: ${at}${issue.message}`);
  }
  return parsed.data;
}

/**
 * Builds the job table of a {task, platform, bw, group|seed} entry. It needs the model zoo
 * and the analyzer, which live above src/tune, so the caller (the CLI) passes it in.
 */
export type TaskTableResolver = (entry: TaskProblemEntry, where: string) => JobTable;

const noTaskResolver: TaskTableResolver = (entry, where) => {
  throw new InputError(
    `${where}: task entries (${entry.task} on ${entry.platform}) need a task resolver; use {"table": ...} or {"synth": {...}} entries`,
  );
};

function taskLabel(e: TaskProblemEntry): string {
  return `${e.task}@${e.platform}/bw${e.bw}/${e.group !== undefined ? `group${e.group}` : `seed${e.seed}`}`;
}

/** Loads a problem list file; `what` names it in errors ("--problems"). */
export function loadProblemSet(
  path: string,
  what: string,
  taskTable: TaskTableResolver = noTaskResolver,
): TuneProblem[] {
  const data = readJsonFile(path, `${what} file`);
  if (!Array.isArray(data) || data.length === 0)
    throw new InputError(
      `${what} file ${path} must hold a non-empty JSON list of problems (${ENTRY_SHAPES})`,
    );
  const base = dirname(path);
  return data.map((entry, i) => {
    const where = `${what} file ${path}, entry ${i}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new InputError(`${where}: expected an object (${ENTRY_SHAPES}), got ${show(entry)}`);
    let label: string;
    let table: JobTable;
    if ('table' in entry) {
      const e = parseEntry(TableEntry, entry, where);
      const file = isAbsolute(e.table) ? e.table : resolve(base, e.table);
      const raw = readJsonFile(file, `job table (${where})`);
      try {
        table = tableFromJson(raw);
      } catch (err) {
        if (err instanceof InputError) throw new InputError(`${where} (${e.table}): ${err.message}`);
        throw err;
      }
      label = e.table;
    } else if ('synth' in entry) {
      const s = parseEntry(SynthEntry, entry, where).synth;
      table = synthTable(s);
      label = `synth(jobs=${s.jobs},cores=${s.cores},bwRatio=${s.bwRatio},seed=${s.seed}${s.heterogeneity !== undefined ? `,h=${s.heterogeneity}` : ''})`;
    } else if ('task' in entry) {
      const e = parseEntry(TaskEntry, entry, where);
      table = taskTable(e, where);
      label = taskLabel(e);
    } else {
      throw new InputError(`${where}: expected ${ENTRY_SHAPES}, got keys ${show(Object.keys(entry))}`);
    }
    return { label, table, lowerBound: lowerBound(table) };
  });
}
