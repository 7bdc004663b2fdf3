/**
 * A study on disk: a JSON-lines file, one record per line, appended as things happen:
 *   {"kind":"study", ...}      first line: direction, seed, sampler, space, metadata
 *   {"kind":"enqueue", ...}    a fixed trial queued before sampling (e.g. the defaults)
 *   {"kind":"trial", ...}      a finished trial (complete or failed)
 * Each record is one write(2) of a whole line followed by fsync, so a killed process leaves
 * at most a torn last line, which loading drops (and truncates) before appending again. A
 * trial that was running when the process died has no record and simply runs again.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { checksummedLine, verifyChecksum } from '../io/checksum.js';
import { appendLineDurable, readTextFile, truncateFile } from '../io/files.js';
import type { Distribution, Distributions, Settings } from './space.js';

/** Whether a study minimises or maximises its objective. */
export type Direction = 'minimize' | 'maximize';
/** A finished trial either returned a finite value or failed. */
export type TrialState = 'complete' | 'failed';

/** A finished trial as the study records it (Optuna's `FrozenTrial`). */
export interface FrozenTrial {
  /** 0, 1, ... in the order the trials ran. */
  readonly number: number;
  readonly state: TrialState;
  /** Every suggested parameter and its value. */
  readonly params: Readonly<Settings>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  /** The objective's value (complete trials), else null. */
  readonly value: number | null;
  /** Why a failed trial failed, else null. */
  readonly error: string | null;
  /** Wall-clock seconds of the objective, and of the sampler proposing the trial. */
  readonly seconds: number;
  readonly samplerSeconds: number;
  /** What the objective recorded (`trial.setUserAttr`). */
  readonly userAttrs: Readonly<Record<string, unknown>>;
  /** What the sampler recorded (its phase, GP fit, acquisition value; `enqueued` index). */
  readonly systemAttrs: Readonly<Record<string, unknown>>;
}

/** What a study was created with: a resume must present the same. */
export interface StudyHeader {
  readonly direction: Direction;
  readonly seed: number;
  readonly sampler: { readonly name: string; readonly config: Readonly<Record<string, unknown>> };
  readonly space: Distributions | null;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface EnqueuedTrial {
  readonly index: number;
  readonly params: Readonly<Settings>;
}

export interface StoredStudy {
  readonly header: StudyHeader;
  readonly enqueued: readonly EnqueuedTrial[];
  readonly trials: readonly FrozenTrial[];
}

const FORMAT = 'm3e-study/1';

const value = z.union([z.number(), z.string(), z.boolean()]);
const distribution = z.union([
  z.object({ type: z.literal('float'), low: z.number(), high: z.number(), log: z.boolean().optional() }),
  z.object({ type: z.literal('int'), low: z.number(), high: z.number(), log: z.boolean().optional() }),
  z.object({ type: z.literal('categorical'), choices: z.array(value) }),
]);
const attrs = z.record(z.string(), z.unknown());
const StudyRecord = z.object({
  kind: z.literal('study'),
  format: z.literal(FORMAT),
  direction: z.enum(['minimize', 'maximize']),
  seed: z.number(),
  sampler: z.object({ name: z.string(), config: attrs }),
  space: z.record(z.string(), distribution).nullable(),
  metadata: attrs,
});
const EnqueueRecord = z.object({
  kind: z.literal('enqueue'),
  index: z.number().int(),
  params: z.record(z.string(), value),
});
const TrialRecord = z.object({
  kind: z.literal('trial'),
  number: z.number().int().nonnegative(),
  state: z.enum(['complete', 'failed']),
  params: z.record(z.string(), value),
  distributions: z.record(z.string(), distribution),
  value: z.number().nullable(),
  error: z.string().nullable(),
  seconds: z.number(),
  samplerSeconds: z.number(),
  userAttrs: attrs,
  systemAttrs: attrs,
});
const AnyRecord = z.discriminatedUnion('kind', [StudyRecord, EnqueueRecord, TrialRecord]);

export class JsonLinesStorage {
  constructor(readonly path: string) {}

  /** The stored study, or null if the file does not exist or is empty. */
  load(): StoredStudy | null {
    if (!existsSync(this.path)) return null;
    let text = readTextFile(this.path, 'study file');
    if (text.length && !text.endsWith('\n')) {
      // A torn last line (the process died mid-write): drop it so appends start clean.
      const keep = text.lastIndexOf('\n') + 1;
      text = text.slice(0, keep);
      truncateFile(this.path, Buffer.byteLength(text), 'study file');
    }
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    if (!lines.length) return null;
    let header: StudyHeader | null = null;
    const enqueued: EnqueuedTrial[] = [];
    const trials: FrozenTrial[] = [];
    lines.forEach((line, i) => {
      const where = `study file ${this.path} line ${i + 1}`;
      let data: unknown;
      try {
        data = JSON.parse(line);
      } catch (e) {
        throw new InputError(`${where} is not valid JSON: ${(e as Error).message}`);
      }
      const parsed = AnyRecord.safeParse(verifyChecksum(data, where).value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new InputError(`${where}: ${issue.path.join('.') || '(record)'}: ${issue.message}`);
      }
      const r = parsed.data;
      if ((r.kind === 'study') !== (i === 0))
        throw new InputError(`${where}: the study record must be the first line, and only there`);
      if (r.kind === 'study') {
        const { kind: _k, format: _f, ...h } = r;
        header = h;
      } else if (r.kind === 'enqueue') {
        enqueued.push({ index: r.index, params: r.params });
      } else {
        const { kind: _k, ...t } = r;
        if (t.number !== trials.length)
          throw new InputError(`${where}: trial ${t.number} out of order (expected ${trials.length})`);
        trials.push(t);
      }
    });
    return { header: header!, enqueued, trials };
  }

  writeHeader(h: StudyHeader): void {
    this.append({ kind: 'study', format: FORMAT, ...h });
  }

  appendEnqueued(e: EnqueuedTrial): void {
    this.append({ kind: 'enqueue', ...e });
  }

  appendTrial(t: FrozenTrial): void {
    this.append({ kind: 'trial', ...t });
  }

  private append(record: Record<string, unknown>): void {
    appendLineDurable(this.path, checksummedLine(record), 'study file');
  }
}
