/**
 * A training run on disk, everything needed to resume it or to use its policy:
 *
 *   runs/NAME/
 *     run.json                  algo, settings, environment (id, options, problem
 *                               description), seed,
 *                               total steps; written once (total steps updated on resume)
 *     checkpoint.json           step, iteration, episodes, random-stream states, and the
 *                               index of the arrays in the binary file below
 *     checkpoint-<step>.bin     network weights and optimiser state, float32 little-endian
 *     metrics.jsonl             one JSON line of training metrics per iteration
 *     events.out.tfevents.*     the same metrics for TensorBoard
 *
 * Crash safety: every file is written to a temporary name and renamed; a checkpoint's
 * binary file is written before the checkpoint.json that points to it, and older binaries
 * are deleted only after, so the folder always holds one complete checkpoint. On resume,
 * metric lines past the checkpoint are dropped (they belong to the lost iterations).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseProblemRef } from '../models/problem.js';
import { InputError, show } from '../src/core/errors.js';
import { sha256, verifyChecksum, withChecksum } from '../src/io/checksum.js';
import {
  appendFile,
  ensureFolder,
  listFolder,
  readBinaryFile,
  readJsonFile,
  readTextFile,
  removeFile,
  writeFileAtomic,
} from '../src/io/files.js';
import { type NamedArray, packArrays, unpackArrays } from './arrays.js';
import { type AgentSettings, parseSettings } from './settings.js';
import { TensorBoardWriter } from './tensorboard.js';
import type { Checkpoint } from './trainer.js';

export const RUN_FORMAT_VERSION = 2;
const RUN_FILE = 'run.json';
const CHECKPOINT_FILE = 'checkpoint.json';
const METRICS_FILE = 'metrics.jsonl';
const BIN_PATTERN = /^checkpoint-(\d+)\.bin$/;

/**
 * The environment of a run: its id, its own options, and the problem as a description
 * (models/problem.ts); with `newGroups`, a new group is drawn every episode.
 */
export const EnvDescriptionSchema = z.strictObject({
  id: z.string(),
  /** The environment's own options (make's options besides the problem). */
  options: z.record(z.string(), z.unknown()),
  problem: z.unknown().transform((value, ctx) => {
    try {
      return parseProblemRef(value, 'problem');
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
      return z.NEVER;
    }
  }),
  newGroups: z.boolean().optional(),
});
export type EnvDescription = z.infer<typeof EnvDescriptionSchema>;

const RunManifestSchema = z.strictObject({
  version: z.literal(RUN_FORMAT_VERSION),
  algo: z.enum(['ppo', 'a2c']),
  settings: z.record(z.string(), z.unknown()),
  env: EnvDescriptionSchema,
  seed: z.int().min(0),
  totalSteps: z.int().min(1),
  createdAt: z.string(),
});

/**
 * Runs of format 1 described their problem as {kind: 'table' | 'synth-groups' |
 * 'task-groups', ...}; the same problems as descriptions.
 */
function upgradeV1(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object') return raw;
  const r = raw as { version?: unknown; env?: { problem?: Record<string, unknown> } };
  const p = r.env?.problem;
  if (r.version !== 1 || !p || typeof p !== 'object') return raw;
  const { kind, ...rest } = p;
  let problem: unknown = p;
  let newGroups = false;
  if (kind === 'table') problem = { table: rest.table, name: rest.source };
  else if (kind === 'synth-groups') {
    const { jobs, cores, bwRatio, heterogeneity } = rest;
    problem = {
      synth: { jobs, cores, bwRatio, seed: 0, ...(heterogeneity === undefined ? {} : { heterogeneity }) },
    };
    newGroups = true;
  } else if (kind === 'task-groups') {
    problem = { ...rest, seed: 0 };
    newGroups = true;
  }
  return {
    ...r,
    version: RUN_FORMAT_VERSION,
    env: { ...r.env, problem, ...(newGroups ? { newGroups } : {}) },
  };
}

export interface RunManifest {
  readonly version: typeof RUN_FORMAT_VERSION;
  readonly settings: AgentSettings;
  readonly env: EnvDescription;
  readonly seed: number;
  readonly totalSteps: number;
  readonly createdAt: string;
}

const RngStateSchema = z.strictObject({
  s: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  spare: z.number().nullable(),
});

const ArrayIndexSchema = z.strictObject({
  group: z.enum(['weights', 'optimizer']),
  name: z.string(),
  shape: z.array(z.int().min(0)),
  /** Offset in float32 values. */
  offset: z.int().min(0),
});

const CheckpointFileSchema = z.strictObject({
  step: z.int().min(0),
  iteration: z.int().min(0),
  episodes: z.int().min(0),
  seed: z.int().min(0),
  rng: z.strictObject({ actions: RngStateSchema, minibatches: RngStateSchema, envs: RngStateSchema }),
  optimizer: z.strictObject({ kind: z.string(), steps: z.int().min(0) }),
  /** Wall-clock seconds of training so far (all sessions). */
  elapsedSeconds: z.number().min(0),
  file: z.string().regex(BIN_PATTERN),
  /** Size and checksum of the binary file (absent in checkpoints written before checksums). */
  fileBytes: z.int().min(0).optional(),
  fileChecksum: z.string().optional(),
  arrays: z.array(ArrayIndexSchema),
});

function parseOrThrow<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const r = schema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new InputError(`${what}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return r.data;
}

export interface LoadedCheckpoint extends Checkpoint {
  readonly elapsedSeconds: number;
}

export class RunFolder {
  readonly dir: string;
  manifest: RunManifest;
  private tensorboard: TensorBoardWriter | null = null;

  private constructor(dir: string, manifest: RunManifest) {
    this.dir = dir;
    this.manifest = manifest;
  }

  /** True when `dir` holds a run. */
  static exists(dir: string): boolean {
    return existsSync(join(dir, RUN_FILE));
  }

  /** Starts a new run in `dir` (which must not hold one). */
  static create(dir: string, manifest: Omit<RunManifest, 'version' | 'createdAt'>): RunFolder {
    if (RunFolder.exists(dir))
      throw new InputError(
        `${dir} already holds a run; pass --resume to continue it, or choose another --out`,
      );
    ensureFolder(dir, 'run folder');
    const full: RunManifest = {
      version: RUN_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      ...manifest,
    };
    const run = new RunFolder(dir, full);
    run.writeManifest();
    return run;
  }

  /** Opens an existing run (validating run.json). */
  static open(dir: string): RunFolder {
    if (!RunFolder.exists(dir)) throw new InputError(`no run in ${dir} (${RUN_FILE} not found)`);
    const path = join(dir, RUN_FILE);
    const raw = parseOrThrow(
      RunManifestSchema,
      upgradeV1(verifyChecksum(readJsonFile(path, 'run file'), `run file ${path}`).value),
      path,
    );
    const settings = parseSettings(raw.algo, raw.settings);
    return new RunFolder(dir, { ...raw, version: RUN_FORMAT_VERSION, settings });
  }

  setTotalSteps(totalSteps: number): void {
    this.manifest = { ...this.manifest, totalSteps };
    this.writeManifest();
  }

  private writeManifest(): void {
    const m = this.manifest;
    writeFileAtomic(
      join(this.dir, RUN_FILE),
      `${JSON.stringify(withChecksum({ ...m, algo: m.settings.algo }), null, 2)}\n`,
      'run file',
    );
  }

  /** Saves a checkpoint (binary first, then the index, then old binaries go). */
  saveCheckpoint(c: Checkpoint, elapsedSeconds: number): void {
    const packed = packArrays([...c.weights, ...c.optimizer.arrays]);
    const bytes = packed.bytes;
    const index = packed.index.map((a, i) => ({
      group: i < c.weights.length ? ('weights' as const) : ('optimizer' as const),
      ...a,
      shape: [...a.shape],
    }));
    const file = `checkpoint-${c.step}.bin`;
    writeFileAtomic(join(this.dir, file), bytes, 'checkpoint');
    const json: z.infer<typeof CheckpointFileSchema> = {
      step: c.step,
      iteration: c.iteration,
      episodes: c.episodes,
      seed: c.seed,
      rng: {
        actions: { s: [...c.rng.actions.s], spare: c.rng.actions.spare },
        minibatches: { s: [...c.rng.minibatches.s], spare: c.rng.minibatches.spare },
        envs: { s: [...c.rng.envs.s], spare: c.rng.envs.spare },
      },
      optimizer: { kind: c.optimizer.kind, steps: c.optimizer.steps },
      elapsedSeconds,
      file,
      fileBytes: bytes.byteLength,
      fileChecksum: sha256(bytes),
      arrays: index,
    };
    writeFileAtomic(join(this.dir, CHECKPOINT_FILE), `${JSON.stringify(withChecksum(json))}\n`, 'checkpoint');
    for (const f of listFolder(this.dir, 'run folder')) {
      if (BIN_PATTERN.test(f) && f !== file) removeFile(join(this.dir, f), 'old checkpoint');
    }
  }

  /** The saved checkpoint, or null when the run has none yet. */
  loadCheckpoint(): LoadedCheckpoint | null {
    const path = join(this.dir, CHECKPOINT_FILE);
    if (!existsSync(path)) return null;
    const c = parseOrThrow(
      CheckpointFileSchema,
      verifyChecksum(readJsonFile(path, 'checkpoint'), `checkpoint ${path}`).value,
      path,
    );
    const binPath = join(this.dir, c.file);
    if (!existsSync(binPath)) throw new InputError(`checkpoint ${path} points to a missing file ${c.file}`);
    const buf = readBinaryFile(binPath, 'checkpoint weights');
    if (c.fileBytes !== undefined && buf.byteLength !== c.fileBytes)
      throw new InputError(
        `checkpoint weights ${binPath} hold ${buf.byteLength} bytes, not the ${c.fileBytes} written (truncated or damaged)`,
      );
    if (c.fileChecksum !== undefined && sha256(buf) !== c.fileChecksum)
      throw new InputError(
        `checkpoint weights ${binPath} are damaged (their checksum does not match the checkpoint's); restore them from a copy`,
      );
    const pick = (group: 'weights' | 'optimizer'): NamedArray[] =>
      unpackArrays(
        buf,
        c.arrays.filter((a) => a.group === group),
        binPath,
      );
    return {
      step: c.step,
      iteration: c.iteration,
      episodes: c.episodes,
      seed: c.seed,
      rng: {
        actions: { s: c.rng.actions.s, spare: c.rng.actions.spare },
        minibatches: { s: c.rng.minibatches.s, spare: c.rng.minibatches.spare },
        envs: { s: c.rng.envs.s, spare: c.rng.envs.spare },
      },
      weights: pick('weights'),
      optimizer: { kind: c.optimizer.kind, steps: c.optimizer.steps, arrays: pick('optimizer') },
      elapsedSeconds: c.elapsedSeconds,
    };
  }

  /** Appends one metrics record (a JSON line, and scalars to TensorBoard). */
  appendMetrics(record: Readonly<Record<string, number>>): void {
    const line = `${JSON.stringify(record)}\n`;
    appendFile(join(this.dir, METRICS_FILE), line, 'metrics file');
    if (!this.tensorboard) this.tensorboard = new TensorBoardWriter(this.dir);
    const step = record.step ?? 0;
    for (const [tag, value] of Object.entries(record)) {
      if (tag === 'step' || tag === 'iteration' || !Number.isFinite(value)) continue;
      this.tensorboard.scalar(tag, value, step);
    }
    this.tensorboard.flush();
  }

  /** Marks a resume at `step` in the TensorBoard log (TensorBoard drops the lost iterations). */
  markResume(step: number): void {
    if (!this.tensorboard) this.tensorboard = new TensorBoardWriter(this.dir);
    this.tensorboard.sessionStart(step);
    this.tensorboard.flush();
  }

  /** The metrics records so far (in order). */
  readMetrics(): Record<string, number>[] {
    const path = join(this.dir, METRICS_FILE);
    if (!existsSync(path)) return [];
    return readTextFile(path, 'metrics file')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l, i) => {
        try {
          return JSON.parse(l) as Record<string, number>;
        } catch {
          throw new InputError(`${path}: line ${i + 1} is not JSON: ${show(l)}`);
        }
      });
  }

  /** Drops metric lines after `step` (iterations lost since the last checkpoint). */
  truncateMetrics(step: number): void {
    const keep = this.readMetrics().filter((r) => (r.step ?? 0) <= step);
    writeFileAtomic(join(this.dir, METRICS_FILE), keep.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }

  close(): void {
    this.tensorboard?.close();
    this.tensorboard = null;
  }
}
