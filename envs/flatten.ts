/**
 * Flattening, as Gymnasium's `flatdim` / `flatten_space` / `flatten` / `unflatten`: any space
 * maps to a one-dimensional Box, so a plain MLP can read any observation.
 */
import { InputError, show } from '../src/core/errors.js';
import {
  Box,
  type BoxDtype,
  Dict,
  Discrete,
  MultiDiscrete,
  type Space,
  Tuple,
  typedArray,
} from './spaces.js';

/** A flattened value: float32 unless some part of the space is float64. */
export type FlatArray = Float32Array | Float64Array;

/**
 * The length of a flattened element of `space`:
 * - Discrete(n): n (a one-hot);
 * - MultiDiscrete(nvec): the sum of nvec (the entries' one-hots, concatenated);
 * - Box: its size (the values, row-major);
 * - Dict (sorted keys) and Tuple: the sum over the children.
 *
 * @throws `InputError` for a space of another type.
 */
export function flatdim(space: Space): number {
  if (space instanceof Discrete) return space.n;
  if (space instanceof MultiDiscrete) return space.nvec.reduce((a, b) => a + b, 0);
  if (space instanceof Box) return space.size;
  if (space instanceof Dict) return space.keys().reduce((a, k) => a + flatdim(space.spaces[k]!), 0);
  if (space instanceof Tuple) return space.spaces.reduce((a: number, s: Space) => a + flatdim(s), 0);
  throw new InputError(`cannot flatten a space of type ${space.constructor.name}`);
}

function flatDtype(space: Space): 'float32' | 'float64' {
  if (space instanceof Box) return space.dtype === 'float64' ? 'float64' : 'float32';
  const children =
    space instanceof Dict ? Object.values(space.spaces) : space instanceof Tuple ? space.spaces : [];
  return children.some((c: Space) => flatDtype(c) === 'float64') ? 'float64' : 'float32';
}

/**
 * The Box that {@link flatten}`(space, x)` lives in: {@link flatdim} entries, float64 when
 * some Box in the space is float64, else float32.
 */
export function flattenSpace(space: Space): Box<'float32' | 'float64'> {
  const n = flatdim(space);
  const low = new Float64Array(n);
  const high = new Float64Array(n);
  let o = 0;
  const walk = (s: Space): void => {
    if (s instanceof Discrete || s instanceof MultiDiscrete) {
      const len = flatdim(s);
      high.fill(1, o, o + len);
      o += len;
    } else if (s instanceof Box) {
      low.set(s.low, o);
      high.set(s.high, o);
      o += s.size;
    } else if (s instanceof Dict) for (const k of s.keys()) walk(s.spaces[k]!);
    else if (s instanceof Tuple) for (const c of s.spaces) walk(c);
  };
  walk(space);
  const dtype: BoxDtype = flatDtype(space);
  return new Box<'float32' | 'float64'>(low, high, { shape: [n], dtype });
}

/** Writes the flattening of `x` into `out` at `offset`; returns the offset after it. */
export function flattenInto(space: Space, x: unknown, out: FlatArray, offset = 0): number {
  const why = space.explain(x);
  if (why) throw new InputError(`flatten: ${why}`);
  return write(space, x, out, offset);
}

function write(space: Space, x: unknown, out: FlatArray, o: number): number {
  if (space instanceof Discrete) {
    out.fill(0, o, o + space.n);
    out[o + (x as number) - space.start] = 1;
    return o + space.n;
  }
  if (space instanceof MultiDiscrete) {
    const v = x as ArrayLike<number>;
    for (let i = 0; i < space.nvec.length; i++) {
      const n = space.nvec[i]!;
      out.fill(0, o, o + n);
      out[o + v[i]! - space.start[i]!] = 1;
      o += n;
    }
    return o;
  }
  if (space instanceof Box) {
    const v = x as ArrayLike<number>;
    for (let i = 0; i < space.size; i++) out[o + i] = v[i]!;
    return o + space.size;
  }
  if (space instanceof Dict) {
    for (const k of space.keys()) o = write(space.spaces[k]!, (x as Record<string, unknown>)[k], out, o);
    return o;
  }
  if (space instanceof Tuple) {
    space.spaces.forEach((s: Space, i: number) => {
      o = write(s, (x as unknown[])[i], out, o);
    });
    return o;
  }
  throw new InputError(`cannot flatten a space of type ${space.constructor.name}`);
}

/** The flat array of `x` (a fresh array of `flattenSpace(space)`'s dtype). */
export function flatten(space: Space, x: unknown): FlatArray {
  const out = typedArray(flatDtype(space), flatdim(space));
  flattenInto(space, x, out, 0);
  return out;
}

/** The element of `space` whose flattening is `flat` (one-hots must hold exactly one 1). */
export function unflatten(space: Space, flat: ArrayLike<number>): unknown {
  const n = flatdim(space);
  if (flat.length !== n)
    throw new InputError(`unflatten: expected ${n} values for ${space}, got ${flat.length}`);
  let o = 0;
  const oneHot = (len: number, what: string): number => {
    let hot = -1;
    for (let i = 0; i < len; i++) {
      const v = flat[o + i]!;
      if (v === 1 && hot < 0) hot = i;
      else if (v !== 0) throw new InputError(`unflatten: ${what} is not one-hot (entry ${i} is ${show(v)})`);
    }
    if (hot < 0) throw new InputError(`unflatten: ${what} is not one-hot (all zeros)`);
    o += len;
    return hot;
  };
  const read = (s: Space, path: string): unknown => {
    if (s instanceof Discrete) return s.start + oneHot(s.n, path);
    if (s instanceof MultiDiscrete)
      return Int32Array.from(s.nvec, (len, i) => s.start[i]! + oneHot(len, `${path}[${i}]`));
    if (s instanceof Box) {
      const out = typedArray(s.dtype, s.size);
      for (let i = 0; i < s.size; i++) out[i] = flat[o + i]!;
      o += s.size;
      return out;
    }
    if (s instanceof Dict)
      return Object.fromEntries(s.keys().map((k) => [k, read(s.spaces[k]!, `${path}.${k}`)]));
    if (s instanceof Tuple) return s.spaces.map((c: Space, i: number) => read(c, `${path}[${i}]`));
    throw new InputError(`cannot unflatten a space of type ${s.constructor.name}`);
  };
  return read(space, 'value');
}
