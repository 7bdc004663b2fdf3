/**
 * File I/O at the edges: reading JSON/text with one-line errors, atomic writes.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../core/errors.js';

export function readTextFile(path: string, what = 'file'): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${what} not found: ${path}`);
    if (code === 'EISDIR') throw new InputError(`${what} is a directory, not a file: ${path}`);
    throw new InputError(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

export function readJsonFile(path: string, what = 'JSON file'): unknown {
  const text = readTextFile(path, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${what} ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Writes via a temporary file and rename, so a reader never sees a half-written file. */
export function writeFileAtomic(path: string, data: string): void {
  mkdirSync(dirname(path) || '.', { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
