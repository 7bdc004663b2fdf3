/** Batching for vector environments: Gymnasium's `batch_space` and `concatenate`. */
import { InputError } from '../src/core/errors.js';
import { Box, Dict, Discrete, MultiDiscrete, type Space, Tuple, typedArray } from './spaces.js';

/**
 * The space of n elements of `space` stacked along a new leading axis:
 * - Box(shape) -> Box([n, ...shape]), values n x size row-major;
 * - Discrete(n') -> MultiDiscrete(n x [n']) (an Int32Array of n values);
 * - MultiDiscrete(nvec) -> int32 Box([n, d]) with the same bounds per row;
 * - Dict / Tuple -> Dict / Tuple of the batched children.
 *
 * @throws `InputError` when n is not a positive integer or the space cannot be batched.
 */
export function batchSpace(space: Space, n: number): Space {
  if (!Number.isInteger(n) || n < 1) throw new InputError(`batch size must be a positive integer, got ${n}`);
  if (space instanceof Box) {
    const low = new Float64Array(n * space.size);
    const high = new Float64Array(n * space.size);
    for (let i = 0; i < n; i++) {
      low.set(space.low, i * space.size);
      high.set(space.high, i * space.size);
    }
    return new Box(low, high, { shape: [n, ...space.shape], dtype: space.dtype });
  }
  if (space instanceof Discrete)
    return new MultiDiscrete(new Array<number>(n).fill(space.n), {
      start: new Array<number>(n).fill(space.start),
    });
  if (space instanceof MultiDiscrete) {
    const d = space.nvec.length;
    const low = new Float64Array(n * d);
    const high = new Float64Array(n * d);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < d; k++) {
        low[i * d + k] = space.start[k]!;
        high[i * d + k] = space.start[k]! + space.nvec[k]! - 1;
      }
    return new Box(low, high, { shape: [n, d], dtype: 'int32' });
  }
  if (space instanceof Dict)
    return new Dict(Object.fromEntries(space.keys().map((k) => [k, batchSpace(space.spaces[k]!, n)])));
  if (space instanceof Tuple) return new Tuple(space.spaces.map((s: Space) => batchSpace(s, n)));
  throw new InputError(`cannot batch a space of type ${space.constructor.name}`);
}

/** Stacks `items` (elements of `space`) into one element of `batchSpace(space, items.length)`. */
export function concatenate(space: Space, items: readonly unknown[]): unknown {
  const n = items.length;
  if (space instanceof Box) {
    const out = typedArray(space.dtype, n * space.size);
    for (let i = 0; i < n; i++) out.set(items[i] as ArrayLike<number>, i * space.size);
    return out;
  }
  if (space instanceof Discrete) return new Int32Array(items as number[]);
  if (space instanceof MultiDiscrete) {
    const d = space.nvec.length;
    const out = new Int32Array(n * d);
    for (let i = 0; i < n; i++) out.set(items[i] as ArrayLike<number>, i * d);
    return out;
  }
  if (space instanceof Dict)
    return Object.fromEntries(
      space.keys().map((k) => [
        k,
        concatenate(
          space.spaces[k]!,
          items.map((x) => (x as Record<string, unknown>)[k]),
        ),
      ]),
    );
  if (space instanceof Tuple)
    return space.spaces.map((s: Space, j: number) =>
      concatenate(
        s,
        items.map((x) => (x as unknown[])[j]),
      ),
    );
  throw new InputError(`cannot batch a space of type ${space.constructor.name}`);
}
