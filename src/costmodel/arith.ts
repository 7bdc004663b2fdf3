/** Small numeric helpers shared by the cost model. */

/** A fresh array of `n` zeros (plain arrays: cheaper to allocate than typed ones at these sizes). */
export function zeros(n: number): number[] {
  return new Array<number>(n).fill(0);
}

/** C++ integer division (truncates toward zero), as MAESTRO computes. */
export function idiv(a: number, b: number): number {
  return Math.trunc(a / b);
}
