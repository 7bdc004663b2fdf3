/**
 * File I/O at the edges, and the one place where a file-system failure becomes a message:
 * every read and write here turns an operating-system error (a folder where a file should be,
 * a file where a folder should be, no permission, a read-only or full disk ...) into a one-line
 * InputError naming the path and the reason, so the CLI prints it and exits 2 instead of
 * reporting a bug. Writes are atomic (temporary file, flush, rename) and a failed write removes
 * its temporary file.
 */
import {
  accessSync,
  closeSync,
  constants,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../core/errors.js';

/** Operating-system error codes in words (the rest are shown by their code). */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error',
  EBUSY: 'resource busy',
  ETXTBSY: 'file busy',
  EXDEV: 'cannot move across file systems',
};

/** The errno code of a Node file-system error, or null for anything else (a bug). */
export function errnoCode(e: unknown): string | null {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : null;
}

function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** The nearest existing ancestor of `path` (itself included), and what it is. */
function nearestExisting(path: string): { path: string; isDir: boolean } {
  let p = resolve(path);
  for (;;) {
    const s = statOrNull(p);
    if (s) return { path: p, isDir: s.isDirectory() };
    const up = dirname(p);
    if (up === p) return { path: p, isDir: true };
    p = up;
  }
}

/**
 * Why writing `path` failed, in words: a folder in the way, a file where a folder should be
 * (named), or the error code's meaning.
 */
function writeReason(code: string, path: string): string {
  if (statOrNull(path)?.isDirectory()) return REASONS.EISDIR!;
  if (code === 'ENOTDIR' || code === 'EEXIST' || code === 'ENOENT') {
    const near = nearestExisting(dirname(resolve(path)));
    if (!near.isDir) return `${near.path} is a file, not a folder`;
  }
  return REASONS[code] ?? code;
}

/**
 * The error to throw for a failed file-system call: a one-line InputError naming what was
 * being done, the path and the reason when it is an operating-system error; the error itself
 * otherwise (a bug keeps its stack).
 */
export function fileError(
  e: unknown,
  action: 'read' | 'write' | 'create' | 'list',
  path: string,
  what?: string,
): Error {
  const code = errnoCode(e);
  if (code === null) return e instanceof Error ? e : new Error(String(e));
  const target = what ? `${what} ${path}` : path;
  if (action === 'read' || action === 'list') {
    if (code === 'ENOENT' || code === 'ENOTDIR')
      return new InputError(`${what ?? 'file'} not found: ${path}`);
    if (code === 'EISDIR' && action === 'read')
      return new InputError(`${what ?? 'file'} is a folder, not a file: ${path}`);
    return new InputError(
      `cannot ${action === 'read' ? 'read' : 'list'} ${target}: ${REASONS[code] ?? code}`,
    );
  }
  const verb = action === 'create' ? 'create the folder' : 'write';
  return new InputError(`cannot ${verb} ${target}: ${writeReason(code, path)}`);
}

/** Runs `fn`, turning a file-system failure into the one-line error of `fileError`. */
function guarded<T>(
  action: 'read' | 'write' | 'create' | 'list',
  path: string,
  what: string | undefined,
  fn: () => T,
): T {
  try {
    return fn();
  } catch (e) {
    throw fileError(e, action, path, what);
  }
}

export function readTextFile(path: string, what = 'file'): string {
  return guarded('read', path, what, () => readFileSync(path, 'utf8'));
}

/** The bytes of a file (a fresh copy, not a view into Node's shared buffer pool). */
export function readBinaryFile(path: string, what = 'file'): Uint8Array {
  return guarded('read', path, what, () => Uint8Array.from(readFileSync(path)));
}

export function readJsonFile(path: string, what = 'JSON file'): unknown {
  const text = readTextFile(path, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${what} ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** The entries of a folder (empty when it does not exist). */
export function listFolder(path: string, what = 'folder'): string[] {
  if (!statOrNull(path)) return [];
  return guarded('list', path, what, () => readdirSync(path));
}

/** Creates a folder and its parents (nothing when it exists). */
export function ensureFolder(path: string, what?: string): void {
  guarded('create', path, what, () => mkdirSync(path, { recursive: true }));
}

/** Cuts a file to `bytes` bytes (a torn last line of a log). */
export function truncateFile(path: string, bytes: number, what?: string): void {
  guarded('write', path, what, () => truncateSync(path, bytes));
}

/** Removes a file if it is there. */
export function removeFile(path: string, what?: string): void {
  guarded('write', path, what, () => rmSync(path, { force: true }));
}

/** The temporary name an atomic write of `path` goes through (`*.tmp-<pid>-<n>`). */
let tmpCounter = 0;
function temporaryName(path: string): string {
  return `${path}.tmp-${process.pid}-${Date.now()}-${tmpCounter++}`;
}

/** True for the temporary files of atomic writes (tests look for leftovers). */
export function isTemporaryFile(name: string): boolean {
  return /\.tmp-\d+-\d+(-\d+)?$/.test(name);
}

/**
 * Writes via a temporary file and rename, so a reader never sees a half-written file; the
 * temporary file is flushed to disk first, so a crash cannot leave an empty file behind
 * the rename. On failure the temporary file is removed and the error names the path.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, what?: string): void {
  makeParent(path, what);
  const tmp = temporaryName(path);
  try {
    writeDurably(tmp, 'w', data);
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Nothing more can be done about a temporary file that cannot be removed.
    }
    throw fileError(e, 'write', path, what);
  }
}

/**
 * Appends `line` (which ends with a newline) in one write and flushes it to disk: JSON-lines
 * logs that a resume reads back (results, tuning studies) lose nothing that was reported.
 */
export function appendLineDurable(path: string, line: string, what?: string): void {
  makeParent(path, what);
  guarded('write', path, what, () => writeDurably(path, 'a', line));
}

/** Writes a file in place (not atomically): for logs that are only ever appended to. */
export function writeFileInPlace(path: string, data: string | Uint8Array, what?: string): void {
  guarded('write', path, what, () => writeFileSync(path, data));
}

/** Appends bytes without flushing (logs whose loss costs nothing, e.g. TensorBoard events). */
export function appendFile(path: string, data: string | Uint8Array, what?: string): void {
  guarded('write', path, what, () => writeFileSync(path, data, { flag: 'a' }));
}

/** Creates the folder of a file about to be written (errors name the file). */
function makeParent(path: string, what: string | undefined): void {
  guarded('write', path, what, () => mkdirSync(dirname(path) || '.', { recursive: true }));
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

export function writeJsonAtomic(path: string, value: unknown, what?: string): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, what);
}

// ---------------------------------------------------------------------------------------------
// Checks before long work: an output that cannot be written must fail before the work, not
// after it.

/** Throws unless the nearest existing folder above `path` is a folder this process may write. */
function checkCreatable(path: string, label: string): void {
  const near = nearestExisting(dirname(resolve(path)));
  if (!near.isDir)
    throw new InputError(`cannot write ${label} ${path}: ${near.path} is a file, not a folder`);
  try {
    accessSync(near.path, constants.W_OK);
  } catch (e) {
    const code = errnoCode(e);
    if (code === null) throw e;
    throw new InputError(`cannot write ${label} ${path}: ${REASONS[code] ?? code} (${near.path})`);
  }
}

/**
 * Checks that `path` can be written as a file: it is not a folder, and its folder exists (or
 * can be created) and is writable. `label` names it in the message (`--out`).
 */
export function checkWritableFile(path: string, label = 'file'): void {
  const s = statOrNull(path);
  if (s?.isDirectory()) throw new InputError(`cannot write ${label} ${path}: it is a folder, not a file`);
  checkCreatable(path, label);
}

/** Checks that `path` is, or can be created as, a writable folder. */
export function checkWritableFolder(path: string, label = 'folder'): void {
  const s = statOrNull(path);
  if (s && !s.isDirectory()) throw new InputError(`cannot use ${label} ${path}: it is a file, not a folder`);
  if (s) {
    try {
      accessSync(path, constants.W_OK);
    } catch (e) {
      const code = errnoCode(e);
      if (code === null) throw e;
      throw new InputError(`cannot write in ${label} ${path}: ${REASONS[code] ?? code}`);
    }
    return;
  }
  // A folder to create: like a file in its parent.
  checkCreatable(path, label);
}
