/**
 * The MAGMA authors' 100-job groups (models/data/magma/<task>/insts<k>.csv, MIT-licensed),
 * shipped with the package so a plain install can map real workloads. Referred to as
 * `magma:<task>/<k>`, e.g. `magma:mix/0`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError } from '../src/core/errors.js';
import { readTextFile } from '../src/io/files.js';
import type { Job } from '../src/workload/layer.js';
import { parseMagmaCsv } from '../src/workload/magma-csv.js';
import type { TaskName } from './tasks.js';

export const MAGMA_TASKS = ['conv', 'lang', 'recom', 'mix'] as const;
export type MagmaTask = (typeof MAGMA_TASKS)[number];
/** Groups per task in the authors' release. */
export const MAGMA_GROUPS = 10;

const REF = /^magma:([a-z]+)\/(\d+)$/;

export function isMagmaGroupRef(text: string): boolean {
  return REF.test(text.trim());
}

/** The data folder, from the TypeScript sources (models/) or the compiled ones (dist/models/). */
function dataDir(): string {
  for (const rel of ['./data/magma/', '../../models/data/magma/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  throw new Error('the built-in MAGMA job groups (models/data/magma) are missing from this installation');
}

export function magmaGroupPath(task: MagmaTask, group: number): string {
  return `${dataDir()}${task}/insts${group}.csv`;
}

/** The authors' folder name of a zoo task (`vision` -> `conv` ...). */
export function magmaTaskOf(task: TaskName): MagmaTask {
  const folder: Record<TaskName, MagmaTask> = {
    vision: 'conv',
    language: 'lang',
    recommendation: 'recom',
    mix: 'mix',
  };
  return folder[task];
}

/** Parses `magma:<task>/<k>` and reads that group; errors name the bad part. */
export function readMagmaGroup(ref: string): Job[] {
  const m = REF.exec(ref.trim());
  if (!m)
    throw new InputError(`a built-in group looks like magma:<task>/<k>, e.g. magma:mix/0; got "${ref}"`);
  const task = m[1] as MagmaTask;
  if (!MAGMA_TASKS.includes(task)) {
    throw new InputError(`${ref}: task must be one of ${MAGMA_TASKS.join(', ')}, got "${m[1]}"`);
  }
  const k = Number(m[2]);
  if (k >= MAGMA_GROUPS) throw new InputError(`${ref}: group must be in 0..${MAGMA_GROUPS - 1}, got ${k}`);
  const path = magmaGroupPath(task, k);
  return parseMagmaCsv(readTextFile(path, 'job list'), ref);
}
