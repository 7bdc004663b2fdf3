/**
 * File I/O at the edges: reading JSON/text with one-line errors, atomic writes.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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

/**
 * Writes via a temporary file and rename, so a reader never sees a half-written file; the
 * temporary file is flushed to disk first, so a crash cannot leave an empty file behind
 * the rename.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path) || '.', { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  writeDurably(tmp, 'w', data);
  renameSync(tmp, path);
}

/**
 * Appends `line` (which ends with a newline) in one write and flushes it to disk: JSON-lines
 * logs that a resume reads back (results, tuning studies) lose nothing that was reported.
 */
export function appendLineDurable(path: string, line: string): void {
  mkdirSync(dirname(path) || '.', { recursive: true });
  writeDurably(path, 'a', line);
}

function writeDurably(path: string, flag: 'w' | 'a', data: string | Uint8Array): void {
  const fd = openSync(path, flag);
  try {
    // On a file descriptor writeFileSync writes at the current position (the end for 'a') and
    // loops until every byte is written.
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
