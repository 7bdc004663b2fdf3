/** Gymnasium-style spaces: the sets actions and observations live in ({@link Space}). */
import { InputError, show } from '../src/core/errors.js';
import { Rng } from '../src/core/rng.js';

/** Seed of a space constructed without one (reproducible by default, unlike Gymnasium). */
export const DEFAULT_SPACE_SEED = 0;

/** The element type of a {@link Box}'s samples. */
export type BoxDtype = 'float32' | 'float64' | 'int32';
/** The typed array a {@link Box} of dtype `D` samples: Float32Array, Float64Array or Int32Array. */
export type TypedArrayOf<D extends BoxDtype> = D extends 'float32'
  ? Float32Array
  : D extends 'float64'
    ? Float64Array
    : Int32Array;

/**
 * A mask over the n values of one discrete dimension (Gymnasium's int8 masks): entry i is
 * non-zero when value `start + i` is allowed, 0 when it is forbidden.
 */
export type Mask = ArrayLike<number>;

/** A space's JSON description ({@link Space.toJSON}, {@link spaceFromJSON}). */
export type SpaceJSON =
  | { readonly type: 'Discrete'; readonly n: number; readonly start: number }
  | { readonly type: 'MultiDiscrete'; readonly nvec: number[]; readonly start: number[] }
  | {
      readonly type: 'Box';
      readonly shape: number[];
      readonly dtype: BoxDtype;
      /** One number when all bounds are equal; infinities as the strings "Infinity" / "-Infinity". */
      readonly low: JsonBound | JsonBound[];
      readonly high: JsonBound | JsonBound[];
    }
  | { readonly type: 'Dict'; readonly spaces: Record<string, SpaceJSON> }
  | { readonly type: 'Tuple'; readonly spaces: SpaceJSON[] };
/** A bound in a space's JSON: a number, or an infinity as a string (JSON has none). */
export type JsonBound = number | 'Infinity' | '-Infinity';

/**
 * A set that actions or observations live in, Gymnasium 1.x's `Space`: it samples random
 * elements from its own seeded generator, tells whether a value is an element, and
 * describes itself as JSON.
 *
 * Differences from Gymnasium, on purpose:
 * - no global randomness: a space constructed without a seed is seeded with 0
 *   ({@link DEFAULT_SPACE_SEED}); composites re-seed their children from their own seed, so
 *   sampling is reproducible by default;
 * - {@link Space.explain | explain} says *why* a value is not an element, naming the bad
 *   entry (`contains` is `explain(x) === null`); environments use it so a bad action fails
 *   with a message that points at the entry;
 * - sampling with a mask that allows nothing throws (Gymnasium silently returns `start`);
 * - array values are flat typed arrays (row-major for multi-dimensional {@link Box}es), and
 *   {@link MultiDiscrete} is one-dimensional.
 *
 * @typeParam T - the type of an element
 * @typeParam M - the type of a mask for {@link Space.sample | sample}
 */
export abstract class Space<T = unknown, M = unknown> {
  protected rng: Rng;

  /** @param seed - seed of the space's generator (default {@link DEFAULT_SPACE_SEED}). */
  constructor(seed: number = DEFAULT_SPACE_SEED) {
    this.rng = new Rng(seed);
  }

  /** Shape of a sample (`[]` for a scalar); null for composite spaces, as in Gymnasium. */
  abstract readonly shape: readonly number[] | null;

  /**
   * Re-seeds the space's generator: the samples that follow depend only on `seed`.
   *
   * @returns the seeds used: this space's, then (composites) its children's, depth first.
   */
  seed(seed: number): number[] {
    this.rng = new Rng(seed);
    return [seed];
  }

  /**
   * A random element, drawn from the space's generator. Each subclass documents its
   * distribution.
   *
   * @param mask - restricts the draw to the allowed values, uniformly among them (discrete
   *   spaces; see {@link Mask}); composites take a mask per child.
   * @throws `InputError` for a malformed mask, or one that allows no value.
   */
  abstract sample(mask?: M): T;

  /**
   * Why `x` is not an element, or null when it is.
   *
   * @param path - how to name `x` in the message (default `'value'`); entries are named
   *   below it (`action[3]`, `action.core[7]`).
   * @returns one line naming the first bad entry, what it must be and what it is.
   */
  abstract explain(x: unknown, path?: string): string | null;

  /** True when `x` is an element of the space (`explain(x) === null`). */
  contains(x: unknown): x is T {
    return this.explain(x) === null;
  }

  /** True when `other` is the same set (same type, bounds and shape); generators are ignored. */
  abstract equals(other: Space): boolean;
  /** The JSON description; {@link spaceFromJSON} turns it back into an equal space. */
  abstract toJSON(): SpaceJSON;
  /** Gymnasium's notation, such as `MultiDiscrete([5 4])` or `Box(0, 1, (33,), float32)`. */
  abstract toString(): string;

  /** An equal space with its own generator (seeded `seed`). */
  clone(seed: number = DEFAULT_SPACE_SEED): Space<T, M> {
    const s = spaceFromJSON(this.toJSON()) as Space<T, M>;
    s.seed(seed);
    return s;
  }
}

/** The element type of a space type. */
export type SampleOf<S> = S extends Space<infer T, infer _M> ? T : never;
/** The mask type of a space type. */
export type MaskOf<S> = S extends Space<infer _T, infer M> ? M : never;

// ---------------------------------------------------------------------------------------

function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  return (
    Array.isArray(x) ||
    (ArrayBuffer.isView(x) && !(x instanceof DataView)) ||
    (typeof x === 'object' && x !== null && typeof (x as { length?: unknown }).length === 'number')
  );
}

function checkMask(mask: unknown, n: number, what: string): Mask {
  if (!isArrayLike(mask) || mask.length !== n)
    throw new InputError(`${what} must be an array of ${n} 0/1 entries, got ${show(mask)}`);
  return mask as Mask;
}

/** Uniform index among the allowed entries of `mask`. */
function sampleMasked(rng: Rng, mask: Mask, what: string): number {
  let allowed = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) allowed++;
  if (allowed === 0) throw new InputError(`${what} allows no value (all entries are 0)`);
  let r = rng.int(allowed);
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] && r-- === 0) return i;
  }
  throw new Error('unreachable: masked sampling ran past the mask');
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1)
    throw new InputError(`${name} must be a positive integer, got ${show(v)}`);
  return v;
}

/** A finite integer in the 32-bit signed range (the dtype of discrete samples). */
function int32(name: string, v: number): number {
  if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31)
    throw new InputError(`${name} must be a 32-bit integer, got ${show(v)}`);
  return v;
}

// ---------------------------------------------------------------------------------------

/**
 * The integers {start, ..., start + n - 1} (Gymnasium's `Discrete`). Samples are numbers,
 * uniform over the set (or over the values a mask allows).
 */
export class Discrete extends Space<number, Mask> {
  readonly n: number;
  readonly start: number;
  readonly shape: readonly number[] = [];

  /**
   * @param n - number of values, a positive integer.
   * @param options - `start`, the smallest value (default 0); `seed` of the generator.
   * @throws `InputError` when n is not a positive integer or a value leaves the 32-bit range.
   */
  constructor(n: number, options: { start?: number; seed?: number } = {}) {
    super(options.seed);
    this.n = positiveInt('Discrete n', n);
    this.start = int32('Discrete start', options.start ?? 0);
    int32('Discrete start + n - 1', this.start + n - 1);
  }

  /** Mask: n entries, 0 = forbidden (index i stands for the value start + i). */
  sample(mask?: Mask): number {
    if (mask === undefined) return this.start + this.rng.int(this.n);
    return this.start + sampleMasked(this.rng, checkMask(mask, this.n, 'Discrete mask'), 'Discrete mask');
  }

  explain(x: unknown, path = 'value'): string | null {
    if (typeof x !== 'number' || !Number.isInteger(x))
      return `${path} must be an integer in ${this.range()}, got ${show(x)}`;
    if (x < this.start || x >= this.start + this.n) return `${path} must be in ${this.range()}, got ${x}`;
    return null;
  }

  private range(): string {
    return `[${this.start}, ${this.start + this.n - 1}]`;
  }

  equals(o: Space): boolean {
    return o instanceof Discrete && o.n === this.n && o.start === this.start;
  }

  toJSON(): SpaceJSON {
    return { type: 'Discrete', n: this.n, start: this.start };
  }

  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}

/**
 * A vector of discrete values: entry i in {start[i], ..., start[i] + nvec[i] - 1}
 * (Gymnasium's one-dimensional `MultiDiscrete`). Samples are Int32Arrays, each entry drawn
 * independently and uniformly. A mask is an array of one optional {@link Mask} per entry (as
 * Gymnasium's tuple of masks); a null or missing one leaves that entry unrestricted.
 */
export class MultiDiscrete extends Space<Int32Array, readonly (Mask | null | undefined)[]> {
  readonly nvec: Int32Array;
  readonly start: Int32Array;
  readonly shape: readonly number[];

  /**
   * @param nvec - number of values of each entry (positive integers, at least one entry).
   * @param options - `start`, the smallest value of each entry (default zeros); `seed`.
   * @throws `InputError` for an empty or non-positive nvec, or a start of another length.
   */
  constructor(nvec: ArrayLike<number>, options: { start?: ArrayLike<number>; seed?: number } = {}) {
    super(options.seed);
    if (nvec.length < 1) throw new InputError('MultiDiscrete nvec must have at least one entry');
    this.nvec = Int32Array.from(nvec, (n, i) => positiveInt(`MultiDiscrete nvec[${i}]`, n));
    const start = options.start ?? new Int32Array(nvec.length);
    if (start.length !== nvec.length)
      throw new InputError(`MultiDiscrete start has ${start.length} entries, nvec has ${nvec.length}`);
    this.start = Int32Array.from(start, (s, i) => int32(`MultiDiscrete start[${i}]`, s));
    for (let i = 0; i < this.nvec.length; i++)
      int32(`MultiDiscrete start[${i}] + nvec[${i}] - 1`, this.start[i]! + this.nvec[i]! - 1);
    this.shape = [this.nvec.length];
  }

  sample(mask?: readonly (Mask | null | undefined)[]): Int32Array {
    return this.sampleInto(new Int32Array(this.nvec.length), mask);
  }

  /** `sample` into a caller-owned buffer (no allocation; for hot loops). */
  sampleInto(out: Int32Array, mask?: readonly (Mask | null | undefined)[]): Int32Array {
    const d = this.nvec.length;
    if (mask !== undefined && (!Array.isArray(mask) || mask.length !== d))
      throw new InputError(`MultiDiscrete mask must be an array of ${d} masks (or nulls), got ${show(mask)}`);
    for (let i = 0; i < d; i++) {
      const m = mask?.[i];
      const n = this.nvec[i]!;
      out[i] =
        this.start[i]! +
        (m == null
          ? this.rng.int(n)
          : sampleMasked(this.rng, checkMask(m, n, `MultiDiscrete mask[${i}]`), `MultiDiscrete mask[${i}]`));
    }
    return out;
  }

  explain(x: unknown, path = 'value'): string | null {
    const d = this.nvec.length;
    if (!isArrayLike(x) || typeof x === 'string')
      return `${path} must be an array of ${d} integers (${this}), got ${show(x)}`;
    if (x.length !== d) return `${path} must have ${d} entries (${this}), got ${x.length}`;
    for (let i = 0; i < d; i++) {
      const v = x[i];
      const lo = this.start[i]!;
      const hi = lo + this.nvec[i]! - 1;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
        return `${path}[${i}] must be an integer in [${lo}, ${hi}], got ${show(v)}`;
    }
    return null;
  }

  equals(o: Space): boolean {
    return o instanceof MultiDiscrete && sameArray(o.nvec, this.nvec) && sameArray(o.start, this.start);
  }

  toJSON(): SpaceJSON {
    return { type: 'MultiDiscrete', nvec: Array.from(this.nvec), start: Array.from(this.start) };
  }

  toString(): string {
    const nv = `[${Array.from(this.nvec).join(' ')}]`;
    return this.start.some((s) => s !== 0)
      ? `MultiDiscrete(${nv}, start=[${Array.from(this.start).join(' ')}])`
      : `MultiDiscrete(${nv})`;
  }
}

// ---------------------------------------------------------------------------------------

const roundTo: Record<BoxDtype, (v: number) => number> = {
  float32: Math.fround,
  float64: (v) => v,
  int32: (v) => v,
};

export function typedArray<D extends BoxDtype>(dtype: D, n: number): TypedArrayOf<D> {
  if (dtype === 'float32') return new Float32Array(n) as TypedArrayOf<D>;
  if (dtype === 'float64') return new Float64Array(n) as TypedArrayOf<D>;
  return new Int32Array(n) as TypedArrayOf<D>;
}

/** Options of a {@link Box}. */
export interface BoxOptions<D extends BoxDtype> {
  /** Required when both bounds are numbers; otherwise defaults to [bounds length]. */
  readonly shape?: readonly number[];
  readonly dtype?: D;
  readonly seed?: number;
}

/**
 * A (possibly unbounded) box in R^shape: low <= x <= high element-wise, bounds included
 * (Gymnasium's `Box`). Elements are flat typed arrays of the dtype ({@link TypedArrayOf}),
 * row-major for several dimensions. Bounds are stored rounded to the dtype.
 *
 * Sampling, as Gymnasium: uniform where an entry is bounded on both sides, shifted
 * exponential where it is bounded on one side, standard normal where it is unbounded;
 * int32 entries uniform on {low, ..., high}. Masks are not supported.
 */
export class Box<D extends BoxDtype = 'float32'> extends Space<TypedArrayOf<D>, never> {
  readonly shape: readonly number[];
  readonly dtype: D;
  readonly size: number;
  readonly low: Float64Array;
  readonly high: Float64Array;

  /**
   * @param low - the lower bound of every entry (a number), or one per entry (row-major);
   *   `-Infinity` for unbounded.
   * @param high - the upper bound, likewise.
   * @param options - `shape` (required when both bounds are numbers), `dtype` (default
   *   float32), `seed`.
   * @throws `InputError` for a missing or bad shape, bounds of the wrong length, NaN, low
   *   above high, or int32 bounds outside the 32-bit range.
   */
  constructor(
    low: number | ArrayLike<number>,
    high: number | ArrayLike<number>,
    options: BoxOptions<D> = {} as BoxOptions<D>,
  ) {
    super(options.seed);
    this.dtype = (options.dtype ?? 'float32') as D;
    if (!(this.dtype in roundTo))
      throw new InputError(`Box dtype must be float32, float64 or int32, got ${show(this.dtype)}`);
    const arrayLen =
      typeof low !== 'number' ? low.length : typeof high !== 'number' ? high.length : undefined;
    const shape = options.shape ?? (arrayLen !== undefined ? [arrayLen] : undefined);
    if (!shape) throw new InputError('Box needs a shape when low and high are both numbers');
    shape.forEach((n, i) => {
      if (!Number.isInteger(n) || n < 0)
        throw new InputError(`Box shape[${i}] must be an integer >= 0, got ${show(n)}`);
    });
    this.shape = [...shape];
    this.size = shape.reduce((a, b) => a * b, 1);
    const round = roundTo[this.dtype];
    const bound = (b: number | ArrayLike<number>, name: string): Float64Array => {
      if (typeof b !== 'number' && b.length !== this.size)
        throw new InputError(`Box ${name} has ${b.length} entries, shape [${this.shape}] has ${this.size}`);
      return Float64Array.from({ length: this.size }, (_, i) => {
        const v = typeof b === 'number' ? b : b[i]!;
        if (typeof v !== 'number' || Number.isNaN(v))
          throw new InputError(`Box ${name}[${i}] is not a number: ${show(v)}`);
        return round(v);
      });
    };
    this.low = bound(low, 'low');
    this.high = bound(high, 'high');
    for (let i = 0; i < this.size; i++) {
      const lo = this.low[i]!;
      const hi = this.high[i]!;
      if (lo > hi) throw new InputError(`Box low[${i}] = ${lo} is above high[${i}] = ${hi}`);
      if (lo === Number.POSITIVE_INFINITY || hi === Number.NEGATIVE_INFINITY)
        throw new InputError(`Box bounds [${lo}, ${hi}] at ${i} contain no number`);
      if (this.dtype === 'int32') {
        int32(`Box low[${i}] (int32)`, lo);
        int32(`Box high[${i}] (int32)`, hi);
      }
    }
  }

  /** True when every entry is bounded on both sides. */
  isBounded(): boolean {
    for (let i = 0; i < this.size; i++)
      if (!Number.isFinite(this.low[i]!) || !Number.isFinite(this.high[i]!)) return false;
    return true;
  }

  /** Masks are not supported for boxes (as in Gymnasium); passing one throws. */
  sample(mask?: never): TypedArrayOf<D> {
    if (mask !== undefined) throw new InputError('Box.sample does not take a mask');
    const out = typedArray(this.dtype, this.size);
    const rng = this.rng;
    const round = roundTo[this.dtype];
    for (let i = 0; i < this.size; i++) {
      const lo = this.low[i]!;
      const hi = this.high[i]!;
      let v: number;
      if (this.dtype === 'int32') v = lo + rng.int(hi - lo + 1);
      else if (Number.isFinite(lo) && Number.isFinite(hi)) {
        v = lo + (hi - lo) * rng.float();
        // Rounding may land one ulp past `hi`; the box is closed, so `hi` itself is fine.
        if (v > hi) v = hi;
      } else if (Number.isFinite(lo)) v = lo - Math.log1p(-rng.float());
      else if (Number.isFinite(hi)) v = hi + Math.log1p(-rng.float());
      else v = rng.normal();
      out[i] = round(v);
    }
    return out;
  }

  explain(x: unknown, path = 'value'): string | null {
    if (!isArrayLike(x) || typeof x === 'string')
      return `${path} must be an array of ${this.size} numbers (${this}), got ${show(x)}`;
    if (x.length !== this.size) return `${path} must have ${this.size} entries (${this}), got ${x.length}`;
    const isInt = this.dtype === 'int32';
    for (let i = 0; i < this.size; i++) {
      const v = x[i];
      const lo = this.low[i]!;
      const hi = this.high[i]!;
      if (typeof v !== 'number' || !(v >= lo && v <= hi) || (isInt && !Number.isInteger(v)))
        return `${path}[${i}] must be ${isInt ? 'an integer' : 'a number'} in [${lo}, ${hi}], got ${show(v)}`;
    }
    return null;
  }

  equals(o: Space): boolean {
    return (
      o instanceof Box &&
      o.dtype === this.dtype &&
      sameArray(o.shape, this.shape) &&
      sameArray(o.low, this.low) &&
      sameArray(o.high, this.high)
    );
  }

  toJSON(): SpaceJSON {
    return {
      type: 'Box',
      shape: [...this.shape],
      dtype: this.dtype,
      low: compactBounds(this.low),
      high: compactBounds(this.high),
    };
  }

  toString(): string {
    const b = (a: Float64Array) => {
      const c = compactBounds(a);
      return Array.isArray(c) ? `[${c.join(' ')}]` : String(c);
    };
    const shape = this.shape.length === 1 ? `(${this.shape[0]},)` : `(${this.shape.join(', ')})`;
    return `Box(${b(this.low)}, ${b(this.high)}, ${shape}, ${this.dtype})`;
  }
}

function toJsonBound(v: number): JsonBound {
  return v === Number.POSITIVE_INFINITY ? 'Infinity' : v === Number.NEGATIVE_INFINITY ? '-Infinity' : v;
}

function compactBounds(a: Float64Array): JsonBound | JsonBound[] {
  if (a.length > 0 && a.every((v) => v === a[0])) return toJsonBound(a[0]!);
  return Array.from(a, toJsonBound);
}

function sameArray(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------------------

/** The sub-spaces of a {@link Dict} by name. */
export type SpaceRecord = Readonly<Record<string, Space>>;
/** A sample of a {@link Dict}: one sample per key. */
export type DictSample<S extends SpaceRecord> = { [K in keyof S]: SampleOf<S[K]> };
/** A mask for a {@link Dict}: an optional mask per key. */
export type DictMask<S extends SpaceRecord> = { readonly [K in keyof S]?: MaskOf<S[K]> };

/** Children re-seeded from the composite's generator: distinct, reproducible streams. */
function seedChildren(seed: number, children: readonly Space[]): number[] {
  const r = new Rng(seed);
  const seeds = [seed];
  for (const c of children) seeds.push(...c.seed(r.uint32()));
  return seeds;
}

/**
 * Named sub-spaces (Gymnasium's `Dict`); elements are plain objects with exactly those keys.
 * Keys are sorted (as Gymnasium does), which fixes the order of {@link flatten}. A mask is an
 * object of optional masks by key.
 */
export class Dict<S extends SpaceRecord = SpaceRecord> extends Space<DictSample<S>, DictMask<S>> {
  readonly spaces: S;
  readonly shape = null;

  constructor(spaces: S, options: { seed?: number } = {}) {
    super(options.seed);
    const keys = Object.keys(spaces).sort();
    if (keys.length === 0) throw new InputError('Dict space needs at least one sub-space');
    for (const k of keys)
      if (!(spaces[k] instanceof Space)) throw new InputError(`Dict sub-space ${show(k)} is not a space`);
    this.spaces = Object.fromEntries(keys.map((k) => [k, spaces[k]!])) as unknown as S;
    this.seed(options.seed ?? DEFAULT_SPACE_SEED);
  }

  override seed(seed: number): number[] {
    this.rng = new Rng(seed);
    return seedChildren(seed, Object.values(this.spaces));
  }

  keys(): string[] {
    return Object.keys(this.spaces);
  }

  sample(mask?: DictMask<S>): DictSample<S> {
    const out: Record<string, unknown> = {};
    for (const k of this.keys())
      out[k] = this.spaces[k]!.sample((mask as Record<string, unknown> | undefined)?.[k]);
    return out as DictSample<S>;
  }

  explain(x: unknown, path = 'value'): string | null {
    if (typeof x !== 'object' || x === null || isArrayLike(x))
      return `${path} must be an object with keys ${this.keys().join(', ')}, got ${show(x)}`;
    for (const k of this.keys()) {
      if (!(k in x)) return `${path}.${k} is missing`;
      const why = this.spaces[k]!.explain((x as Record<string, unknown>)[k], `${path}.${k}`);
      if (why) return why;
    }
    for (const k of Object.keys(x))
      if (!(k in this.spaces))
        return `${path} has an unknown key ${show(k)} (keys: ${this.keys().join(', ')})`;
    return null;
  }

  equals(o: Space): boolean {
    if (!(o instanceof Dict)) return false;
    const a = this.keys();
    const b = o.keys();
    return a.length === b.length && a.every((k, i) => k === b[i] && this.spaces[k]!.equals(o.spaces[k]!));
  }

  toJSON(): SpaceJSON {
    return {
      type: 'Dict',
      spaces: Object.fromEntries(this.keys().map((k) => [k, this.spaces[k]!.toJSON()])),
    };
  }

  toString(): string {
    return `Dict(${this.keys()
      .map((k) => `'${k}': ${this.spaces[k]}`)
      .join(', ')})`;
  }
}

/** A sample of a {@link Tuple}: one sample per sub-space. */
export type TupleSample<S extends readonly Space[]> = { -readonly [K in keyof S]: SampleOf<S[K]> };
/** A mask for a {@link Tuple}: an optional mask per sub-space. */
export type TupleMask<S extends readonly Space[]> = { readonly [K in keyof S]?: MaskOf<S[K]> | null };

/**
 * An ordered list of sub-spaces (Gymnasium's `Tuple`); elements are arrays with one element
 * per sub-space. A mask is an array of optional masks, one per sub-space.
 */
export class Tuple<S extends readonly Space[] = readonly Space[]> extends Space<
  TupleSample<S>,
  TupleMask<S>
> {
  readonly spaces: S;
  readonly shape = null;

  constructor(spaces: S, options: { seed?: number } = {}) {
    super(options.seed);
    if (spaces.length === 0) throw new InputError('Tuple space needs at least one sub-space');
    spaces.forEach((s, i) => {
      if (!(s instanceof Space)) throw new InputError(`Tuple sub-space ${i} is not a space`);
    });
    if (new Set(spaces).size !== spaces.length)
      throw new InputError('Tuple sub-spaces must be distinct objects (use space.clone() for copies)');
    this.spaces = [...spaces] as unknown as S;
    this.seed(options.seed ?? DEFAULT_SPACE_SEED);
  }

  override seed(seed: number): number[] {
    this.rng = new Rng(seed);
    return seedChildren(seed, this.spaces);
  }

  sample(mask?: TupleMask<S>): TupleSample<S> {
    if (mask !== undefined && (!Array.isArray(mask) || mask.length !== this.spaces.length))
      throw new InputError(`Tuple mask must be an array of ${this.spaces.length} masks, got ${show(mask)}`);
    return this.spaces.map((s, i) =>
      s.sample((mask as unknown[] | undefined)?.[i] ?? undefined),
    ) as TupleSample<S>;
  }

  explain(x: unknown, path = 'value'): string | null {
    if (!Array.isArray(x))
      return `${path} must be an array of ${this.spaces.length} elements, got ${show(x)}`;
    if (x.length !== this.spaces.length)
      return `${path} must have ${this.spaces.length} elements, got ${x.length}`;
    for (let i = 0; i < x.length; i++) {
      const why = this.spaces[i]!.explain(x[i], `${path}[${i}]`);
      if (why) return why;
    }
    return null;
  }

  equals(o: Space): boolean {
    return (
      o instanceof Tuple &&
      o.spaces.length === this.spaces.length &&
      this.spaces.every((s, i) => s.equals(o.spaces[i]!))
    );
  }

  toJSON(): SpaceJSON {
    return { type: 'Tuple', spaces: this.spaces.map((s) => s.toJSON()) };
  }

  toString(): string {
    return `Tuple(${this.spaces.join(', ')})`;
  }
}

// ---------------------------------------------------------------------------------------

function fromJsonBound(v: unknown, what: string): number {
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof v !== 'number')
    throw new InputError(`${what} must be a number or "Infinity"/"-Infinity", got ${show(v)}`);
  return v;
}

/**
 * The space a {@link Space.toJSON} description stands for (seeded {@link DEFAULT_SPACE_SEED}).
 *
 * @param path - how to name the description in messages.
 * @throws `InputError` naming the bad field of a malformed description.
 */
export function spaceFromJSON(json: unknown, path = 'space'): Space {
  if (typeof json !== 'object' || json === null)
    throw new InputError(`${path} must be an object, got ${show(json)}`);
  const j = json as Record<string, unknown>;
  const arr = (v: unknown, what: string): unknown[] => {
    if (!Array.isArray(v)) throw new InputError(`${path}.${what} must be an array, got ${show(v)}`);
    return v;
  };
  switch (j.type) {
    case 'Discrete':
      return new Discrete(j.n as number, { start: (j.start as number | undefined) ?? 0 });
    case 'MultiDiscrete':
      return new MultiDiscrete(arr(j.nvec, 'nvec') as number[], {
        ...(j.start !== undefined ? { start: arr(j.start, 'start') as number[] } : {}),
      });
    case 'Box': {
      const b = (v: unknown, what: string) =>
        Array.isArray(v)
          ? v.map((x, i) => fromJsonBound(x, `${path}.${what}[${i}]`))
          : fromJsonBound(v, `${path}.${what}`);
      return new Box(b(j.low, 'low'), b(j.high, 'high'), {
        shape: arr(j.shape, 'shape') as number[],
        dtype: j.dtype as BoxDtype,
      });
    }
    case 'Dict': {
      const s = j.spaces;
      if (typeof s !== 'object' || s === null || Array.isArray(s))
        throw new InputError(`${path}.spaces must be an object`);
      return new Dict(
        Object.fromEntries(Object.entries(s).map(([k, v]) => [k, spaceFromJSON(v, `${path}.spaces.${k}`)])),
      );
    }
    case 'Tuple':
      return new Tuple(arr(j.spaces, 'spaces').map((v, i) => spaceFromJSON(v, `${path}.spaces[${i}]`)));
    default:
      throw new InputError(
        `${path}.type must be Discrete, MultiDiscrete, Box, Dict or Tuple, got ${show(j.type)}`,
      );
  }
}
