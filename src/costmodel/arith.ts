/** Small numeric helpers shared by the cost model. */

/**
 * A fresh array of `n` zeros. Plain arrays: at these sizes (at most a few dozen) they are
 * cheaper to allocate than typed arrays, and array literals cheapest of all.
 */
export function zeros(n: number): number[] {
  switch (n) {
    case 3:
      return [0, 0, 0];
    case 8:
      return [0, 0, 0, 0, 0, 0, 0, 0];
    default: {
      const a: number[] = [];
      for (let i = 0; i < n; i++) a.push(0);
      return a;
    }
  }
}

/** C++ integer division (truncates toward zero), as MAESTRO computes. */
export function idiv(a: number, b: number): number {
  return Math.trunc(a / b);
}
