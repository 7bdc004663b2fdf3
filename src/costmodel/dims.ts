/**
 * Dimensions and tensors of the cost model. Dimensions are small
 * integer ids so the engine's hot loops index typed arrays instead of string maps.
 */

/** Dimension ids. `YO`/`XO` are the output rows/columns `Y'`/`X'`. */
export const DIM = { K: 0, C: 1, Y: 2, X: 3, R: 4, S: 5, YO: 6, XO: 7 } as const;
export type DimId = (typeof DIM)[keyof typeof DIM];
export const NUM_DIMS = 8;

/** Names as written in dataflow text, indexed by id. */
export const DIM_NAMES: readonly string[] = ['K', 'C', 'Y', 'X', 'R', 'S', "Y'", "X'"];

export function dimId(name: string): DimId | undefined {
  const i = DIM_NAMES.indexOf(name);
  return i < 0 ? undefined : (i as DimId);
}

/** MAESTRO's two layer types on this path: GEMM and FC are written as CONV (layer.ts). */
export type LayerType = 'CONV' | 'DSCONV';

export interface TensorSpec {
  /** Coupled dimensions, in MAESTRO's order. */
  readonly input: readonly DimId[];
  readonly weight: readonly DimId[];
  readonly output: readonly DimId[];
}

/** Outputs are indexed with the input-coordinate Y and X. */
export const TENSORS: Record<LayerType, TensorSpec> = {
  CONV: { input: [DIM.C, DIM.Y, DIM.X], weight: [DIM.K, DIM.C, DIM.R, DIM.S], output: [DIM.K, DIM.Y, DIM.X] },
  DSCONV: { input: [DIM.C, DIM.Y, DIM.X], weight: [DIM.C, DIM.R, DIM.S], output: [DIM.C, DIM.Y, DIM.X] },
};

/**
 * The dimensions of the input tensors, sorted by name as MAESTRO sorts them: the order in
 * which dimensions without any directive are appended as full temporal maps.
 */
export function inputTensorDims(type: LayerType): DimId[] {
  const t = TENSORS[type];
  const ids = [...new Set([...t.input, ...t.weight])];
  return ids.sort((a, b) => (DIM_NAMES[a]! < DIM_NAMES[b]! ? -1 : 1));
}

/** Bit mask of a list of dimensions. */
export function dimMask(dims: readonly DimId[]): number {
  let m = 0;
  for (const d of dims) m |= 1 << d;
  return m;
}
