/**
 * Result lines: one JSON object per finished cell, appended to a JSON-lines file as soon as
 * the cell ends, so a killed run loses at most the cells in flight. Reading tolerates a
 * truncated last line (the kill came mid-write): it is dropped, the file is cut back to its
 * last complete line, and that cell runs again.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { checksummedLine, verifyChecksum } from '../io/checksum.js';
import { appendLineDurable, listFolder, readTextFile, truncateFile } from '../io/files.js';

/** Format version of a result line. */
export const RESULT_VERSION = 1;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

const CellIdSchema = {
  v: z.literal(RESULT_VERSION),
  problem: z.string(),
  mapper: z.string(),
  seed: z.number().int().nonnegative(),
};

export const OkLineSchema = z.strictObject({
  ...CellIdSchema,
  status: z.literal('ok'),
  numJobs: z.number().int().positive(),
  numCores: z.number().int().positive(),
  systemBandwidth: finite,
  makespan: finite,
  lowerBound: finite,
  /** makespan / lowerBound (>= 1). */
  ratio: finite,
  /** Jobs per cycle. */
  throughput: finite,
  /** Multiply-accumulates per cycle, when the table knows the MACs. */
  macsPerCycle: finite.optional(),
  bandwidthUtilization: finite,
  coreUtilization: finite,
  evaluations: z.number().int().nonnegative(),
  seconds: finite,
  history: z.array(z.tuple([z.number().int(), finite])),
  mapping: z.strictObject({ core: z.array(z.number().int()), priority: z.array(finite) }),
  /** Agent mappers: backend, training (reported apart from the budget), mappings proposed. */
  agent: z
    .strictObject({
      backend: z.string(),
      trainedSteps: z.number().int().nonnegative(),
      trainEpisodes: z.number().int().nonnegative().optional(),
      trainSeconds: finite.optional(),
      samples: z.number().int().positive(),
    })
    .optional(),
});

export const FailedLineSchema = z.strictObject({
  ...CellIdSchema,
  status: z.literal('failed'),
  error: z.string(),
  seconds: finite,
});

export const ResultLineSchema = z.discriminatedUnion('status', [OkLineSchema, FailedLineSchema]);

export type OkLine = z.infer<typeof OkLineSchema>;
export type FailedLine = z.infer<typeof FailedLineSchema>;
export type ResultLine = z.infer<typeof ResultLineSchema>;

export interface CellId {
  readonly problem: string;
  readonly mapper: string;
  readonly seed: number;
}

/** A cell's key (ids cannot hold tabs: they are slugs joined by "/"). */
export function cellKey(c: CellId): string {
  return `${c.problem}\t${c.mapper}\t${c.seed}`;
}

/**
 * Appends one whole line (a single write, flushed to disk before the next cell is reported),
 * with its checksum: a damaged line is refused when read back.
 */
export function appendResult(path: string, line: ResultLine): void {
  appendLineDurable(path, checksummedLine(line), 'results file');
}

export interface ReadResults {
  readonly lines: ResultLine[];
  /** True when an incomplete last line was found (and, with `repair`, cut off). */
  readonly truncated: boolean;
}

/**
 * Reads a results file. A last line without its newline is an interrupted write: ignored,
 * and with `repair` cut from the file so new lines append cleanly. A bad line anywhere else
 * means the file was damaged or edited: an error naming the line.
 */
export function readResults(path: string, options: { repair?: boolean } = {}): ReadResults {
  if (!existsSync(path)) return { lines: [], truncated: false };
  const text = readTextFile(path, 'results file');
  const end = text.lastIndexOf('\n') + 1;
  const truncated = end < text.length;
  if (truncated && options.repair) truncateFile(path, Buffer.byteLength(text.slice(0, end)), 'results file');
  const rows = text.slice(0, end).split('\n');
  rows.pop(); // after the final newline
  const lines: ResultLine[] = [];
  rows.forEach((row, i) => {
    if (row.trim() === '') return;
    let data: unknown;
    try {
      data = JSON.parse(row);
    } catch (e) {
      throw new InputError(`${path}:${i + 1}: not a JSON line (${(e as Error).message})`);
    }
    const r = ResultLineSchema.safeParse(verifyChecksum(data, `${path}:${i + 1}: the result line`).value);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new InputError(`${path}:${i + 1}: bad result line: ${issue.path.join('.')}: ${issue.message}`);
    }
    lines.push(r.data);
  });
  return { lines, truncated };
}

/** Results file names: `results.jsonl`, or one per shard so shards never share a file. */
export function resultsFileName(shard?: { index: number; count: number }): string {
  return shard && shard.count > 1 ? `results.shard-${shard.index}-of-${shard.count}.jsonl` : 'results.jsonl';
}

const RESULTS_FILE = /^results(\.shard-\d+-of-\d+)?\.jsonl$/;

export function listResultFiles(dir: string): string[] {
  return listFolder(dir, 'run folder')
    .filter((f) => RESULTS_FILE.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Every cell's line from every results file of a run folder: an ok line wins over a failed
 * one (a resumed run retries failures), and a later line over an earlier one.
 */
export function loadRunResults(dir: string): Map<string, ResultLine> {
  const out = new Map<string, ResultLine>();
  for (const file of listResultFiles(dir)) {
    for (const line of readResults(file).lines) {
      const key = cellKey(line);
      const prev = out.get(key);
      if (prev && prev.status === 'ok' && line.status === 'failed') continue;
      out.set(key, line);
    }
  }
  return out;
}
