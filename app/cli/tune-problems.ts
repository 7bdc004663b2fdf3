/**
 * Problem sets for tuning: a JSON list of problem descriptions (models/problem.ts), relative
 * paths resolved against the list's folder. Every table is built (and checked) before tuning
 * starts.
 */
import { dirname } from 'node:path';
import { type ProblemRef, parseProblemRef, resolveProblem } from '../../models/problem.js';
import { InputError } from '../../src/core/errors.js';
import { readJsonFile } from '../../src/io/files.js';
import { type TuneProblem, tuneProblem } from '../../src/tune/problems.js';

/**
 * A problem's label in reports; it also seeds the problem's runs (common random numbers),
 * so it must stay the same for the same problem.
 */
function label(ref: ProblemRef): string {
  if ('table' in ref) return typeof ref.table === 'string' ? ref.table : (ref.name ?? 'inline table');
  if ('synth' in ref) {
    const s = ref.synth;
    return `synth(jobs=${s.jobs},cores=${s.cores},bwRatio=${s.bwRatio},seed=${s.seed}${s.heterogeneity !== undefined ? `,h=${s.heterogeneity}` : ''})`;
  }
  const where = `${ref.platform}/bw${ref.bw ?? 'default'}`;
  if ('task' in ref)
    return `${ref.task}@${where}/${ref.group !== undefined ? `group${ref.group}` : `seed${ref.seed}`}`;
  if ('jobs' in ref) return `${ref.jobs}${ref.group === undefined ? '' : `#${ref.group}`}@${where}`;
  return `${ref.name ?? 'zoo'}@${where}`;
}

/** Loads a problem list file; `what` names it in errors ("--problems"). */
export function loadProblemSet(path: string, what: string): TuneProblem[] {
  const data = readJsonFile(path, `${what} file`);
  if (!Array.isArray(data) || data.length === 0)
    throw new InputError(`${what} file ${path} must hold a non-empty JSON list of problem descriptions`);
  const baseDir = dirname(path);
  return data.map((entry, i) => {
    const where = `${what} file ${path}, entry ${i}`;
    const ref = parseProblemRef(entry, where);
    return tuneProblem(label(ref), resolveProblem(ref, { baseDir, where }).table);
  });
}
