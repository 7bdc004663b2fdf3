/**
 * Files of the dispatching policy: the policy itself (what a mapper needs) and a training
 * run's checkpoints (what a resume needs). Both store named float32 arrays in one
 * little-endian binary file, indexed by a JSON file; every file is written atomically, the
 * binary before the index that points to it. The index carries the binary's SHA-256 and a
 * checksum of its own, so a damaged, truncated or swapped file is refused with one line.
 *
 *   DIR/policy.json, policy.bin        the network settings, the feature sizes it was
 *                                      trained on, training facts (steps, seconds, problems)
 *                                      and the weights: a trained model, as shipped in
 *                                      agents/pretrained/<name>/ and kept up to date in a run
 *   DIR/run.json                       a run's settings and seed
 *   DIR/checkpoint.json, -<step>.bin   weights, optimiser state, counters, random streams
 *   DIR/metrics.jsonl                  one line of training metrics per iteration
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../../src/core/errors.js';
import { sha256, verifyChecksum, withChecksum } from '../../src/io/checksum.js';
import { listFolder, readBinaryFile, readJsonFile, removeFile, writeFileAtomic } from '../../src/io/files.js';
import { type ArrayIndexEntry, type NamedArray, packArrays, unpackArrays } from '../arrays.js';
import { CONTEXT_FEATURES, CORE_FEATURES, JOB_FEATURES, PAIR_FEATURES } from './features.js';
import { DispatchModel, type DispatchNetSettings, PLANLESS_FEATURES, withPlanFeatures } from './model.js';

export const POLICY_FORMAT = 'm3e-dispatch-policy';
export const POLICY_FILE = 'policy.json';
const POLICY_BIN = 'policy.bin';
const CHECKPOINT_FILE = 'checkpoint.json';
const BIN_PATTERN = /^checkpoint-(\d+)\.bin$/;

/** The feature sizes a policy was trained with (a policy needs the same features). */
export const FEATURE_SIZES = {
  job: JOB_FEATURES,
  core: CORE_FEATURES,
  context: CONTEXT_FEATURES,
  pair: PAIR_FEATURES,
};

const IndexSchema = z.array(
  z.strictObject({ name: z.string(), shape: z.array(z.int().min(0)), offset: z.int().min(0) }),
);

const PolicyFileSchema = z.looseObject({
  format: z.literal(POLICY_FORMAT),
  version: z.literal(1),
  network: z.strictObject({
    dim: z.int(),
    heads: z.int(),
    layers: z.int(),
    ffn: z.int(),
    hidden: z.int(),
  }),
  features: z.strictObject({ job: z.int(), core: z.int(), context: z.int(), pair: z.int() }),
  /** Facts about the training (steps, seconds, problems, learner), for reports. */
  training: z.record(z.string(), z.unknown()),
  arrays: IndexSchema,
  /** SHA-256 of policy.bin (absent in files written before checksums). */
  binary: z.string().optional(),
});

/** What a policy file says about its training. */
export type TrainingFacts = Record<string, unknown>;

/** Writes the arrays to one float32 file; returns their index and the file's SHA-256. */
function writeArrays(
  path: string,
  arrays: readonly NamedArray[],
): { index: ArrayIndexEntry[]; binary: string } {
  const { bytes, index } = packArrays(arrays);
  writeFileAtomic(path, bytes);
  return { index, binary: sha256(bytes) };
}

/** The arrays of a float32 file, after checking its SHA-256 when the index records one. */
function readArrays(path: string, index: z.infer<typeof IndexSchema>, binary?: string): NamedArray[] {
  if (!existsSync(path)) throw new InputError(`${path} is missing`);
  const bytes = readBinaryFile(path, 'policy weights');
  if (binary !== undefined && sha256(bytes) !== binary)
    throw new InputError(
      `${path} is damaged or does not belong to its index (its SHA-256 does not match); restore it from a copy`,
    );
  return unpackArrays(bytes, index, path);
}

function parse<T>(schema: z.ZodType<T>, data: unknown, path: string): T {
  const r = schema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new InputError(`${path}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return r.data;
}

/** Saves a policy (weights and network settings) to DIR/policy.json + policy.bin. */
export function savePolicy(
  dir: string,
  network: DispatchNetSettings,
  weights: readonly NamedArray[],
  training: TrainingFacts,
): void {
  const { index: arrays, binary } = writeArrays(join(dir, POLICY_BIN), weights);
  const json = withChecksum({
    format: POLICY_FORMAT,
    version: 1,
    network,
    features: FEATURE_SIZES,
    training,
    arrays,
    binary,
  });
  writeFileAtomic(join(dir, POLICY_FILE), `${JSON.stringify(json, null, 1)}\n`);
}

export interface LoadedDispatchPolicy {
  readonly model: DispatchModel;
  readonly training: TrainingFacts;
  readonly dir: string;
}

/** Loads the policy of a folder (a shipped model or a training run). */
export function loadDispatchPolicy(dir: string): LoadedDispatchPolicy {
  const path = join(dir, POLICY_FILE);
  if (!existsSync(path))
    throw new InputError(`${dir} holds no dispatching policy (${POLICY_FILE} not found; train one first)`);
  const f = parse(PolicyFileSchema, verifyChecksum(readJsonFile(path, 'policy file'), path).value, path);
  const keys = Object.keys(FEATURE_SIZES) as (keyof typeof FEATURE_SIZES)[];
  // A policy from before the plan features runs unchanged, with zero weights on them.
  const planless = keys.every((k) => f.features[k] === PLANLESS_FEATURES[k]);
  for (const k of keys)
    if (!planless && f.features[k] !== FEATURE_SIZES[k])
      throw new InputError(
        `${path}: the policy was trained on ${f.features[k]} ${k} features, this version computes ${FEATURE_SIZES[k]}`,
      );
  const saved = readArrays(join(dir, POLICY_BIN), f.arrays, f.binary);
  const weights = planless ? withPlanFeatures(saved, f.network) : saved;
  return { model: new DispatchModel(f.network, weights), training: f.training, dir };
}

export function hasPolicy(dir: string): boolean {
  return existsSync(join(dir, POLICY_FILE));
}

/** A training checkpoint: everything besides the settings needed to go on. */
export interface DispatchCheckpoint {
  readonly step: number;
  readonly iteration: number;
  readonly episodes: number;
  readonly elapsedSeconds: number;
  /** Random streams' states, by name. */
  readonly rng: Record<string, { s: [number, number, number, number]; spare: number | null }>;
  readonly weights: NamedArray[];
  readonly optimizer: { readonly steps: number; readonly arrays: NamedArray[] };
  /** The moving average of the weights (runs with `averageDecay`). */
  readonly average?: NamedArray[];
  /** Best validation figure so far (the run's exported policy has it), when validated. */
  readonly bestValidation?: number;
}

const CheckpointSchema = z.strictObject({
  step: z.int().min(0),
  iteration: z.int().min(0),
  episodes: z.int().min(0),
  elapsedSeconds: z.number().min(0),
  rng: z.record(
    z.string(),
    z.strictObject({
      s: z.tuple([z.number(), z.number(), z.number(), z.number()]),
      spare: z.number().nullable(),
    }),
  ),
  optimizerSteps: z.int().min(0),
  bestValidation: z.number().optional(),
  file: z.string(),
  binary: z.string().optional(),
  weights: IndexSchema,
  optimizer: IndexSchema,
  average: IndexSchema.optional(),
});

export function saveCheckpoint(dir: string, c: DispatchCheckpoint): void {
  const file = `checkpoint-${c.step}.bin`;
  const average = c.average ?? [];
  const { index, binary } = writeArrays(join(dir, file), [...c.weights, ...c.optimizer.arrays, ...average]);
  const nOpt = c.weights.length + c.optimizer.arrays.length;
  const json = withChecksum({
    step: c.step,
    iteration: c.iteration,
    episodes: c.episodes,
    elapsedSeconds: c.elapsedSeconds,
    rng: c.rng,
    optimizerSteps: c.optimizer.steps,
    ...(c.bestValidation !== undefined && Number.isFinite(c.bestValidation)
      ? { bestValidation: c.bestValidation }
      : {}),
    file,
    binary,
    weights: index.slice(0, c.weights.length),
    optimizer: index.slice(c.weights.length, nOpt),
    ...(average.length ? { average: index.slice(nOpt) } : {}),
  });
  writeFileAtomic(join(dir, CHECKPOINT_FILE), `${JSON.stringify(json)}\n`);
  for (const f of listFolder(dir, 'run folder'))
    if (BIN_PATTERN.test(f) && f !== file) removeFile(join(dir, f), 'old checkpoint');
}

export function loadCheckpoint(dir: string): DispatchCheckpoint | null {
  const path = join(dir, CHECKPOINT_FILE);
  if (!existsSync(path)) return null;
  const c = parse(CheckpointSchema, verifyChecksum(readJsonFile(path, 'checkpoint'), path).value, path);
  const bin = join(dir, c.file);
  return {
    step: c.step,
    iteration: c.iteration,
    episodes: c.episodes,
    elapsedSeconds: c.elapsedSeconds,
    rng: c.rng,
    weights: readArrays(bin, c.weights, c.binary),
    optimizer: { steps: c.optimizerSteps, arrays: readArrays(bin, c.optimizer, c.binary) },
    ...(c.average ? { average: readArrays(bin, c.average, c.binary) } : {}),
    ...(c.bestValidation !== undefined ? { bestValidation: c.bestValidation } : {}),
  };
}
