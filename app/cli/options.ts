/** Parsers for CLI option values: each names the flag and the bad value. */
import { InputError } from '../../src/core/errors.js';

export function parseIntOption(flag: string, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY) {
  return (value: string): number => {
    const v = Number(value);
    if (value.trim() === '' || !Number.isInteger(v))
      throw new InputError(`${flag} must be an integer, got "${value}"`);
    // Beyond 2^53 doubles skip integers: 1e300 "is an integer" but no count or seed.
    if (!Number.isSafeInteger(v))
      throw new InputError(
        `${flag} must be an integer of at most ${Number.MAX_SAFE_INTEGER} in size, got "${value}"`,
      );
    if (v < min) throw new InputError(`${flag} must be >= ${min}, got ${v}`);
    if (v > max) throw new InputError(`${flag} must be <= ${max}, got ${v}`);
    return v;
  };
}

/** Every seed option: an integer in [0, 2^53 - 1] (negative seeds nowhere). */
export function parseSeedOption(flag = '--seed') {
  return parseIntOption(flag, 0, Number.MAX_SAFE_INTEGER);
}

export function parseFloatOption(
  flag: string,
  opts: { positive?: boolean; min?: number; max?: number } = {},
) {
  return (value: string): number => {
    const v = Number(value);
    if (value.trim() === '' || !Number.isFinite(v))
      throw new InputError(`${flag} must be a finite number, got "${value}"`);
    if (opts.positive && !(v > 0)) throw new InputError(`${flag} must be > 0, got ${v}`);
    if (opts.min !== undefined && v < opts.min)
      throw new InputError(`${flag} must be >= ${opts.min}, got ${v}`);
    if (opts.max !== undefined && v > opts.max)
      throw new InputError(`${flag} must be <= ${opts.max}, got ${v}`);
    return v;
  };
}

/** Collects a repeated `flag key=value` option into a record (`--param`, `--option` ...). */
export function collectKeyValue(flag: string) {
  return (value: string, previous: Record<string, string> = {}): Record<string, string> => {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new InputError(`${flag} must look like key=value, got "${value}"`);
    return { ...previous, [value.slice(0, eq).trim()]: value.slice(eq + 1).trim() };
  };
}
