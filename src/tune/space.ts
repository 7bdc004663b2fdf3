/**
 * Search spaces for the tuner: named distributions (float, log-float, int, log-int,
 * categorical), validated, and their two numeric views.
 *
 * - The **design** view has one coordinate per parameter in [0, 1): what random and
 *   low-discrepancy samplers draw. Floats map linearly (or in log) onto [low, high]; integers
 *   map onto [low - 0.5, high + 0.5] (log: of those) and round, so each integer gets an equal
 *   share (equal log-share); a categorical takes choice floor(u * k).
 * - The **feature** view is what the Gaussian process sees: floats and integers one
 *   coordinate each in [0, 1] (log where declared), a categorical one coordinate per choice
 *   (one-hot). Integers and categoricals are handled honestly (Garrido-Merchan & Hernandez-
 *   Lobato 2020): every feature vector the GP is trained on or asked about is first `snap`ped
 *   to a reachable point (integers rounded, one-hot at the argmax), so the model is never
 *   queried between lattice points and the acquisition is piecewise constant there; the
 *   acquisition optimiser moves those coordinates by discrete steps (`neighbours`).
 */
import { InputError, show } from '../core/errors.js';

export type ParamValue = number | string | boolean;
export type Settings = Record<string, ParamValue>;

export interface FloatDistribution {
  readonly type: 'float';
  readonly low: number;
  readonly high: number;
  readonly log?: boolean;
}
export interface IntDistribution {
  readonly type: 'int';
  readonly low: number;
  readonly high: number;
  readonly log?: boolean;
}
export interface CategoricalDistribution {
  readonly type: 'categorical';
  readonly choices: readonly ParamValue[];
}
/** A `ParamSpec` of src/optim/params.ts is a Distribution (plus default and description). */
export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;
export type Distributions = Readonly<Record<string, Distribution>>;

/** Steps, in the unit feature range, that the discrete local search tries for an integer
 * besides its lattice neighbours: a coarse and a medium jump, so wide ranges are crossed. */
const INT_JUMPS = [0.25, 1 / 16] as const;

/** Checks one distribution; the message names the parameter and the bad field. */
export function validateDistribution(name: string, d: Distribution): void {
  const where = `parameter ${show(name)}`;
  if (d.type === 'categorical') {
    if (!Array.isArray(d.choices) || d.choices.length === 0)
      throw new InputError(`${where}: choices must be a non-empty list`);
    for (const c of d.choices) {
      const ok =
        typeof c === 'string' || typeof c === 'boolean' || (typeof c === 'number' && Number.isFinite(c));
      if (!ok) throw new InputError(`${where}: choice ${show(c)} is not a string, boolean or finite number`);
    }
    if (new Set(d.choices).size !== d.choices.length)
      throw new InputError(`${where}: choices ${show(d.choices)} repeat a value`);
    return;
  }
  if (d.type !== 'float' && d.type !== 'int')
    throw new InputError(`${where}: unknown type ${show((d as { type: unknown }).type)}`);
  if (!Number.isFinite(d.low) || !Number.isFinite(d.high))
    throw new InputError(
      `${where}: low and high must be finite numbers, got ${show(d.low)}, ${show(d.high)}`,
    );
  if (d.low > d.high) throw new InputError(`${where}: low ${d.low} > high ${d.high}`);
  if (d.type === 'int' && (!Number.isInteger(d.low) || !Number.isInteger(d.high)))
    throw new InputError(`${where}: int bounds must be integers, got [${d.low}, ${d.high}]`);
  if (d.log && !(d.low > 0)) throw new InputError(`${where}: a log scale needs low > 0, got ${d.low}`);
}

/** The distribution alone (no default, description or tune range): what storage records. */
export function plainDistribution(d: Distribution): Distribution {
  return d.type === 'categorical'
    ? { type: 'categorical', choices: [...d.choices] }
    : { type: d.type, low: d.low, high: d.high, log: Boolean(d.log) };
}

export function sameDistribution(a: Distribution, b: Distribution): boolean {
  if (a.type === 'categorical' || b.type === 'categorical') {
    if (a.type !== 'categorical' || b.type !== 'categorical') return false;
    return a.choices.length === b.choices.length && a.choices.every((c, i) => c === b.choices[i]);
  }
  return a.type === b.type && a.low === b.low && a.high === b.high && Boolean(a.log) === Boolean(b.log);
}

/** Is `v` a value `d` can produce? */
export function containsValue(d: Distribution, v: unknown): v is ParamValue {
  if (d.type === 'categorical') return d.choices.includes(v as ParamValue);
  if (typeof v !== 'number' || !Number.isFinite(v) || v < d.low || v > d.high) return false;
  return d.type === 'float' || Number.isInteger(v);
}

interface Block {
  readonly name: string;
  readonly dist: Distribution;
  /** First feature coordinate and number of coordinates (1, or k for a categorical). */
  readonly offset: number;
  readonly width: number;
  /** Transformed range ends for floats and integers (log or identity). */
  readonly lo: number;
  readonly hi: number;
}

function transform(d: FloatDistribution | IntDistribution, v: number): number {
  return d.log ? Math.log(v) : v;
}
function untransform(d: FloatDistribution | IntDistribution, t: number): number {
  return d.log ? Math.exp(t) : t;
}

export class SearchSpace {
  readonly names: readonly string[];
  readonly distributions: Distributions;
  /** One coordinate per parameter. */
  readonly designDims: number;
  /** One per float/int, one per categorical choice. */
  readonly featureDims: number;
  /** 1 where a feature coordinate is continuous (a float), 0 where it is discrete. */
  readonly continuous: Uint8Array;
  private readonly blocks: readonly Block[];

  constructor(distributions: Distributions) {
    const names = Object.keys(distributions);
    const blocks: Block[] = [];
    let offset = 0;
    for (const name of names) {
      const d = distributions[name]!;
      validateDistribution(name, d);
      if (d.type === 'categorical') {
        blocks.push({ name, dist: d, offset, width: d.choices.length, lo: 0, hi: 0 });
        offset += d.choices.length;
      } else {
        const lo = transform(d, d.type === 'int' ? d.low - 0.5 : d.low);
        const hi = transform(d, d.type === 'int' ? d.high + 0.5 : d.high);
        blocks.push({ name, dist: d, offset, width: 1, lo, hi });
        offset += 1;
      }
    }
    this.names = names;
    this.distributions = Object.fromEntries(names.map((n) => [n, plainDistribution(distributions[n]!)]));
    this.blocks = blocks;
    this.designDims = names.length;
    this.featureDims = offset;
    this.continuous = new Uint8Array(offset);
    for (const b of blocks) if (b.dist.type === 'float') this.continuous[b.offset] = 1;
  }

  /** Settings from a design point u in [0, 1)^designDims. */
  fromDesign(u: ArrayLike<number>): Settings {
    if (u.length !== this.designDims)
      throw new RangeError(`design point has ${u.length} coordinates, space has ${this.designDims}`);
    const out: Settings = {};
    this.blocks.forEach((b, i) => {
      out[b.name] = this.valueAt(b, clampUnit(u[i]!));
    });
    return out;
  }

  /** Feature vector of complete settings (every name of the space present and valid). */
  toFeatures(
    settings: Readonly<Record<string, unknown>>,
    out = new Float64Array(this.featureDims),
  ): Float64Array {
    for (const b of this.blocks) {
      const v = settings[b.name];
      if (!containsValue(b.dist, v))
        throw new InputError(`parameter ${show(b.name)}: ${show(v)} is outside its distribution`);
      const d = b.dist;
      if (d.type === 'categorical') {
        for (let k = 0; k < b.width; k++) out[b.offset + k] = d.choices[k] === v ? 1 : 0;
      } else {
        out[b.offset] = b.hi > b.lo ? (transform(d, v as number) - b.lo) / (b.hi - b.lo) : 0.5;
      }
    }
    return out;
  }

  /** Settings of a feature vector (integers rounded, categoricals by argmax). */
  fromFeatures(z: ArrayLike<number>): Settings {
    const out: Settings = {};
    for (const b of this.blocks) {
      const d = b.dist;
      if (d.type === 'categorical') out[b.name] = d.choices[argmax(z, b.offset, b.width)]!;
      else out[b.name] = this.valueAt(b, clampUnit(z[b.offset]!));
    }
    return out;
  }

  /** Projects a feature vector in place onto the reachable points (see the module comment). */
  snap(z: Float64Array): void {
    for (const b of this.blocks) {
      const d = b.dist;
      if (d.type === 'categorical') {
        const k = argmax(z, b.offset, b.width);
        for (let i = 0; i < b.width; i++) z[b.offset + i] = i === k ? 1 : 0;
      } else if (d.type === 'int') {
        const v = this.valueAt(b, clampUnit(z[b.offset]!)) as number;
        z[b.offset] = b.hi > b.lo ? (transform(d, v) - b.lo) / (b.hi - b.lo) : 0.5;
      } else {
        z[b.offset] = clampUnit(z[b.offset]!);
      }
    }
  }

  /**
   * Discrete moves from a snapped point: each integer one lattice step down and up and a
   * few larger jumps, each categorical to every other choice. Continuous coordinates stay.
   */
  neighbours(z: Float64Array): Float64Array[] {
    const out: Float64Array[] = [];
    const push = (f: (w: Float64Array) => void) => {
      const w = Float64Array.from(z);
      f(w);
      this.snap(w);
      if (!sameVector(w, z) && !out.some((o) => sameVector(o, w))) out.push(w);
    };
    for (const b of this.blocks) {
      const d = b.dist;
      if (d.type === 'categorical') {
        for (let k = 0; k < b.width; k++) {
          if (z[b.offset + k] === 1) continue;
          push((w) => {
            for (let i = 0; i < b.width; i++) w[b.offset + i] = i === k ? 1 : 0;
          });
        }
      } else if (d.type === 'int') {
        const v = this.valueAt(b, z[b.offset]!) as number;
        for (const step of [-1, 1]) {
          if (v + step < d.low || v + step > d.high) continue;
          push((w) => {
            w[b.offset] = (transform(d, v + step) - b.lo) / (b.hi - b.lo);
          });
        }
        for (const jump of INT_JUMPS) {
          for (const sign of [-1, 1]) {
            push((w) => {
              w[b.offset] = clampUnit(z[b.offset]! + sign * jump);
            });
          }
        }
      }
    }
    return out;
  }

  private valueAt(b: Block, u: number): ParamValue {
    const d = b.dist;
    if (d.type === 'categorical')
      return d.choices[Math.min(d.choices.length - 1, Math.floor(u * d.choices.length))]!;
    const x = untransform(d, b.lo + u * (b.hi - b.lo));
    if (d.type === 'int') return Math.min(d.high, Math.max(d.low, Math.round(x)));
    // exp(log(x)) may land an ulp outside the range.
    return Math.min(d.high, Math.max(d.low, x));
  }
}

function clampUnit(u: number): number {
  if (!(u >= 0)) return 0; // also NaN
  return Math.min(u, 1);
}

function argmax(z: ArrayLike<number>, offset: number, width: number): number {
  let best = 0;
  for (let k = 1; k < width; k++) if (z[offset + k]! > z[offset + best]!) best = k;
  return best;
}

export function sameVector(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
