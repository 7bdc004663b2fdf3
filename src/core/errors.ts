/**
 * An error caused by the user's input (a file, a flag, a config), as opposed to a bug.
 * The CLI prints its message as one line and exits with code 2; everything else is a bug
 * and keeps its stack trace.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** Throws an InputError with `message` unless `cond` holds. */
export function check(cond: unknown, message: string | (() => string)): asserts cond {
  if (!cond) throw new InputError(typeof message === 'string' ? message : message());
}

/** Short printable form of a bad value for error messages. */
export function show(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    const s = JSON.stringify(value);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  } catch {
    return String(value);
  }
}
