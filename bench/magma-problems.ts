/**
 * The authors' 100-job groups analysed on a preset platform at a system bandwidth, for the
 * bound and best-known benches: `conv/g0/S2/bw16` names task conv, group 0, S2, 16 B/cycle.
 * The analysis is done once per (task, group, platform); bandwidths reuse it.
 */
import { MAGMA_TASKS, type MagmaTask, readMagmaGroup } from '../models/magma-groups.js';
import { analyzeJobs } from '../src/analyzer/analyze.js';
import { InputError } from '../src/core/errors.js';
import { type JobTable, withSystemBandwidth } from '../src/core/table.js';
import { PRESET_BANDWIDTHS, presetPlatform } from '../src/platform/presets.js';

export interface MagmaProblem {
  readonly id: string;
  readonly task: MagmaTask;
  readonly group: number;
  readonly platform: string;
  readonly bw: number;
}

const analysed = new Map<string, JobTable>();

export function problemTable(p: MagmaProblem): JobTable {
  const key = `${p.task}/${p.group}/${p.platform}`;
  let base = analysed.get(key);
  if (!base) {
    base = analyzeJobs(readMagmaGroup(`magma:${p.task}/${p.group}`), presetPlatform(p.platform), {
      systemBandwidth: 1,
      flexible: false,
      maestroCompat: false,
    });
    analysed.set(key, base);
  }
  return withSystemBandwidth(base, p.bw);
}

export function problem(task: MagmaTask, group: number, platform: string, bw: number): MagmaProblem {
  return { id: `${task}/g${group}/${platform}/bw${bw}`, task, group, platform, bw };
}

/** Every combination; `bandwidths` undefined: each platform's paper sweep. */
export function problemGrid(
  tasks: readonly string[],
  groups: readonly number[],
  platforms: readonly string[],
  bandwidths?: readonly number[],
): MagmaProblem[] {
  const out: MagmaProblem[] = [];
  for (const task of tasks) {
    if (!MAGMA_TASKS.includes(task as MagmaTask))
      throw new InputError(`task must be one of ${MAGMA_TASKS.join(', ')}, got "${task}"`);
    for (const group of groups)
      for (const platform of platforms) {
        const bws = bandwidths ?? PRESET_BANDWIDTHS[platform];
        if (!bws) throw new InputError(`platform must be a preset S1..S6, got "${platform}"`);
        for (const bw of bws) out.push(problem(task as MagmaTask, group, platform, bw));
      }
  }
  return out;
}

/** The paper sweep: the four tasks' group 0 on S1..S6 at their bandwidths (88 problems). */
export function paperSweep(): MagmaProblem[] {
  return problemGrid(MAGMA_TASKS, [0], ['S1', 'S2', 'S3', 'S4', 'S5', 'S6']);
}

/** "1,2,4" or "0-9" to numbers. */
export function parseNumbers(text: string): number[] {
  return text.split(',').flatMap((part) => {
    const m = /^(\d+)-(\d+)$/.exec(part.trim());
    if (m) return Array.from({ length: Number(m[2]) - Number(m[1]) + 1 }, (_, k) => Number(m[1]) + k);
    const v = Number(part);
    if (part.trim() === '' || !Number.isFinite(v)) throw new InputError(`not a number: "${part}"`);
    return [v];
  });
}
