/**
 * The certified lower bound of every problem of a run (src/bound/certified.ts), computed once
 * per problem and kept in the run folder (`bounds.json`), so a resume or `--report-only`
 * reuses it. The reports set every makespan against it: the gap of each mapper, the problems
 * proven optimal, and the charts of makespan / certified bound.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isProvenOptimal, solveBound } from '../../src/bound/certified.js';
import { readJsonFile, writeJsonAtomic } from '../../src/io/files.js';
import { resolveProblemCached } from './problems.js';
import type { ExpandedSpec } from './spec.js';

/** Seconds HiGHS may spend on each problem's bound when the spec does not say. */
export const DEFAULT_BOUND_TIME_LIMIT = 10;

const BOUNDS_FILE = 'bounds.json';
const BOUNDS_VERSION = 1;

export interface BoundRecord {
  /** Certified lower bound on every mapping's makespan (cycles). */
  readonly bound: number;
  /** The simple bound, for reference. */
  readonly simpleBound: number;
  readonly status: 'optimal' | 'time-limit';
  readonly mipGap: number;
  /** Relative precision of the certificate (a makespan within it of the bound is optimal). */
  readonly precision: number;
  readonly seconds: number;
  readonly timeLimit: number;
  readonly solver: string;
}

interface BoundsFile {
  readonly version: number;
  readonly bounds: Record<string, BoundRecord>;
}

/** The spec's time limit per bound; 0 means no certified bounds. */
export function boundTimeLimit(x: ExpandedSpec): number {
  return x.spec.boundTimeLimit ?? DEFAULT_BOUND_TIME_LIMIT;
}

function readBoundsFile(dir: string): Record<string, BoundRecord> {
  const path = join(dir, BOUNDS_FILE);
  if (!existsSync(path)) return {};
  const data = readJsonFile(path, 'certified bounds') as Partial<BoundsFile>;
  return data.version === BOUNDS_VERSION && data.bounds ? { ...data.bounds } : {};
}

/** The certified bounds a run folder holds (empty when it has none). */
export function storedBounds(dir: string): Map<string, BoundRecord> {
  return new Map(Object.entries(readBoundsFile(dir)));
}

/**
 * The certified bound of every problem of the spec, from the run folder's cache or solved now
 * (and cached); empty when the spec turns bounds off. `onSolve` is called before each solve.
 */
export function runBounds(
  dir: string,
  x: ExpandedSpec,
  onSolve?: (problem: string, index: number, total: number) => void,
): Map<string, BoundRecord> {
  const timeLimit = boundTimeLimit(x);
  const out = new Map<string, BoundRecord>();
  if (timeLimit <= 0) return out;
  const cached = readBoundsFile(dir);
  x.problems.forEach((ref, i) => {
    const hit = cached[ref.id];
    if (hit && hit.timeLimit === timeLimit) {
      out.set(ref.id, hit);
      return;
    }
    onSolve?.(ref.id, i, x.problems.length);
    const s = solveBound(resolveProblemCached(ref).table, { timeLimit });
    const record: BoundRecord = {
      bound: s.bound,
      simpleBound: s.simpleBound,
      status: s.status,
      mipGap: s.mipGap,
      precision: s.precision,
      seconds: s.seconds,
      timeLimit,
      solver: s.solver,
    };
    out.set(ref.id, record);
    cached[ref.id] = record;
    writeJsonAtomic(join(dir, BOUNDS_FILE), { version: BOUNDS_VERSION, bounds: cached } satisfies BoundsFile);
  });
  return out;
}

/** A makespan's gap to the certified bound (0.01 = 1 % above it). */
export function gapToBound(makespan: number, b: BoundRecord): number {
  return makespan / b.bound - 1;
}

/** Whether a makespan is proven optimal by the bound. */
export function provenOptimal(makespan: number, b: BoundRecord): boolean {
  return isProvenOptimal(makespan, b.bound, b.precision);
}
