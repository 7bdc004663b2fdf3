/**
 * Job lists for the analyzer: the authors' CSV (magma-csv.ts) or this project's JSON
 *
 *   {"jobs": [{"name": "resnet50/conv1", "layer": {"kind": "conv", "K": 64, ...}, "model"?: "resnet50"}]}
 *
 * validated with messages naming the job and field. The format is chosen by content: a file
 * whose first non-blank character is `{` is JSON, anything else the authors' CSV.
 */
import { InputError, show } from '../core/errors.js';
import { readTextFile } from '../io/files.js';
import { type Job, validateLayer } from './layer.js';
import { parseMagmaCsv } from './magma-csv.js';

const JOB_KEYS = new Set(['name', 'layer', 'model']);
const TOP_KEYS = new Set(['jobs', 'name', 'description']);

/** Parses the JSON job list (already JSON-parsed); `source` names it in messages. */
export function jobsFromJson(data: unknown, source = 'jobs file'): Job[] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InputError(`${source}: expected an object {"jobs": [...]}, got ${show(data)}`);
  }
  for (const k of Object.keys(data)) {
    if (!TOP_KEYS.has(k))
      throw new InputError(
        `${source}: unknown field "${k}" (expected jobs, and optionally name, description)`,
      );
  }
  const list = (data as { jobs?: unknown }).jobs;
  if (!Array.isArray(list)) throw new InputError(`${source}: jobs must be an array, got ${show(list)}`);
  if (list.length === 0) throw new InputError(`${source}: jobs is empty`);
  const names = new Set<string>();
  return list.map((entry, i) => {
    const where = `${source}: jobs[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new InputError(`${where} must be an object {"name", "layer", "model"?}, got ${show(entry)}`);
    }
    for (const k of Object.keys(entry)) {
      if (!JOB_KEYS.has(k))
        throw new InputError(`${where}: unknown field "${k}" (expected name, layer, model)`);
    }
    const e = entry as { name?: unknown; layer?: unknown; model?: unknown };
    if (typeof e.name !== 'string' || e.name.trim() === '')
      throw new InputError(`${where}.name must be a non-empty string, got ${show(e.name)}`);
    if (names.has(e.name)) throw new InputError(`${where}.name ${show(e.name)} is used by an earlier job`);
    names.add(e.name);
    if (e.model !== undefined && typeof e.model !== 'string')
      throw new InputError(`${where}.model must be a string, got ${show(e.model)}`);
    const layer = validateLayer(e.layer, `${where}.layer`);
    return { name: e.name, layer, ...(e.model !== undefined ? { model: e.model as string } : {}) };
  });
}

/** Reads a job list in either format. */
export function readJobsFile(path: string): Job[] {
  const text = readTextFile(path, 'jobs file');
  if (text.trimStart().startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new InputError(`jobs file ${path} is not valid JSON: ${(e as Error).message}`);
    }
    return jobsFromJson(data, path);
  }
  return parseMagmaCsv(text, path);
}
