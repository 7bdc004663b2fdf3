/**
 * Cluster levels of a dataflow for one layer and PE count (cost-model.md section 2.1): the
 * directive list is cut at every `Cluster(c)`, output-centric directives are rewritten into
 * input coordinates, missing directives are inherited or unrolled, and each level gets its
 * static tile sizes and the per-dimension mapping sizes the reuse analysis uses.
 *
 * Everything here is static for a (dataflow, layer, PEs, cluster size); the engine then
 * walks the iteration cases of each level.
 */
import { InputError } from '../core/errors.js';
import type { ConvDims } from '../workload/layer.js';
import type { ParsedDataflow, SizeExpr, SourcePos } from './dataflow-parser.js';
import { CLUSTER_SIZE_CONSTANT } from './dataflow-parser.js';
import { DIM, DIM_NAMES, type DimId, inputTensorDims, type LayerType, NUM_DIMS } from './dims.js';

/** A directive with its sizes resolved for one layer. */
export interface ResolvedDirective {
  readonly dim: DimId;
  readonly spatial: boolean;
  readonly size: number;
  readonly offset: number;
}

export interface Level {
  /** Number of sub-clusters (PEs at the innermost level). */
  readonly n: number;
  /** Sub-clusters active in a spatial edge fold (MAESTRO's static count). */
  readonly edgeClusters: number;
  readonly directives: readonly ResolvedDirective[];
  readonly dirDim: Int8Array;
  readonly dirSpatial: Uint8Array;
  readonly dirSize: Float64Array;
  readonly dirOfs: Float64Array;
  /** Index of the directive of each dimension, or -1. */
  readonly dimDir: Int8Array;
  readonly firstSpatial: number;
  /** A second SpatialMap in the same level (eye's inner level), or -1. */
  readonly secondSpatial: number;
  /** Static tile sizes of this level, by dimension id. */
  readonly dims: Float64Array;
  /** Mapping sizes by dimension id (including Y', X'): steady and edge, mapped and unique. */
  readonly mapped: Float64Array;
  readonly unique: Float64Array;
  readonly mappedEdge: Float64Array;
  readonly uniqueEdge: Float64Array;
}

export interface ClusterStructure {
  readonly type: LayerType;
  /** Outermost first. */
  readonly levels: readonly Level[];
  /** Full layer dimensions by id, Y' and X' included. */
  readonly topDims: Float64Array;
}

export interface LevelOptions {
  readonly pes: number;
  readonly clusterSize: number;
  /**
   * Reproduce MAESTRO's edge-tile quirk: a window larger than what is left of a dimension
   * (offset <= remaining < map size) gets tile `remaining - offset` instead of `remaining`.
   */
  readonly edgeTileQuirk: boolean;
}

/** The layer's size of every dimension; Y' and X' are the output rows and columns. */
export function layerDims(d: ConvDims): Float64Array {
  const dims = new Float64Array(NUM_DIMS);
  dims[DIM.K] = d.K;
  dims[DIM.C] = d.C;
  dims[DIM.Y] = d.Y;
  dims[DIM.X] = d.X;
  dims[DIM.R] = d.R;
  dims[DIM.S] = d.S;
  dims[DIM.YO] = d.Y - d.R + 1;
  dims[DIM.XO] = d.X - d.S + 1;
  return dims;
}

interface RawLevel {
  readonly maps: { dim: DimId; spatial: boolean; size: number; offset: number; pos: SourcePos }[];
  /** Size of the Cluster directive that closes this level (undefined for the last one). */
  readonly closingCluster?: number;
}

function resolver(df: ParsedDataflow, dims: Float64Array, clusterSize: number) {
  return (e: SizeExpr, what: string): number => {
    const at = `dataflow "${df.name}" line ${e.pos.line}, column ${e.pos.column}`;
    let v: number;
    if (e.kind === 'int') v = e.value;
    else if (e.kind === 'size') v = dims[e.dim]!;
    else if (e.name === CLUSTER_SIZE_CONSTANT) v = clusterSize;
    else {
      const c = df.constants.get(e.name);
      if (c === undefined) throw new InputError(`${at}: unknown constant "${e.name}" in ${what}`);
      v = c;
    }
    if (!Number.isInteger(v) || v < 1) {
      const src = e.kind === 'size' ? `Sz(${DIM_NAMES[e.dim]})` : e.kind === 'const' ? e.name : String(v);
      throw new InputError(`${at}: ${what} ${src} must be a positive integer for this layer, got ${v}`);
    }
    return v;
  };
}

function splitLevels(df: ParsedDataflow, dims: Float64Array, clusterSize: number): RawLevel[] {
  const resolve = resolver(df, dims, clusterSize);
  const levels: RawLevel[] = [];
  let cur: RawLevel['maps'] = [];
  for (const d of df.directives) {
    if (d.kind === 'cluster') {
      levels.push({ maps: cur, closingCluster: resolve(d.size, 'cluster size') });
      cur = [];
    } else {
      cur.push({
        dim: d.dim,
        spatial: d.spatial,
        size: resolve(d.size, 'map size'),
        offset: resolve(d.offset, 'offset'),
        pos: d.pos,
      });
    }
  }
  levels.push({ maps: cur });
  return levels;
}

/** C++ integer division (truncates toward zero), as MAESTRO computes. */
export function idiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

/**
 * Builds the cluster levels. Throws InputError for dataflows MAESTRO cannot analyse: a level
 * without SpatialMap, more than two SpatialMaps in a level, a dimension mapped twice in a
 * level, Cluster sizes whose product exceeds the PE count.
 */
export function buildLevels(df: ParsedDataflow, conv: ConvDims, opts: LevelOptions): ClusterStructure {
  const type: LayerType = conv.type;
  const top = layerDims(conv);
  const where = `dataflow "${df.name}"`;
  const raw = splitLevels(df, top, opts.clusterSize);
  let product = 1;
  for (const l of raw) if (l.closingCluster !== undefined) product *= l.closingCluster;
  if (product > opts.pes) {
    throw new InputError(
      `${where}: its Cluster sizes multiply to ${product}, more than the core's ${opts.pes} PEs`,
    );
  }
  const varList = inputTensorDims(type);
  const levels: Level[] = [];
  let dims = new Float64Array(top);
  let prev: ResolvedDirective[] | undefined;
  let lastClusterSize = 0;
  for (let li = 0; li < raw.length; li++) {
    const rl = raw[li]!;
    const levelName = raw.length > 1 ? ` cluster level ${li + 1} of ${raw.length}` : '';
    // 1. Output-centric Y'/X' -> input-centric Y/X (map size + filter map size - 1).
    const seen = new Map<DimId, SourcePos>();
    for (const m of rl.maps) {
      const dup = seen.get(m.dim);
      if (dup) {
        throw new InputError(
          `${where} line ${m.pos.line}, column ${m.pos.column}: ${DIM_NAMES[m.dim]} is mapped twice in one cluster level (first at line ${dup.line})`,
        );
      }
      seen.set(m.dim, m.pos);
    }
    const pairs: [DimId, DimId, DimId][] = [
      [DIM.YO, DIM.Y, DIM.R],
      [DIM.XO, DIM.X, DIM.S],
    ];
    let cur: ResolvedDirective[] = rl.maps.map((m) => ({
      dim: m.dim,
      spatial: m.spatial,
      size: m.size,
      offset: m.offset,
    }));
    for (const [out, inp, filt] of pairs) {
      const oi = cur.findIndex((d) => d.dim === out);
      if (oi < 0) continue;
      if (seen.has(inp)) {
        const p = seen.get(out)!;
        throw new InputError(
          `${where} line ${p.line}, column ${p.column}: ${DIM_NAMES[out]} and ${DIM_NAMES[inp]} are both mapped in one cluster level`,
        );
      }
      // The filter's map size in this level; if the level has none, the one it inherits.
      const own = cur.find((d) => d.dim === filt);
      const inherited = prev?.find((d) => d.dim === filt);
      const filterMap = own ? own.size : inherited ? inherited.size : dims[filt]!;
      const d = cur[oi]!;
      cur[oi] = { dim: inp, spatial: d.spatial, size: d.size + filterMap - 1, offset: d.offset };
    }
    // 2. Inherit directives of the level above (as temporal maps, placed in front).
    if (prev) {
      for (const up of prev) {
        if (!cur.some((d) => d.dim === up.dim))
          cur = [{ dim: up.dim, spatial: false, size: up.size, offset: up.offset }, ...cur];
      }
    }
    // 3. Dimensions with no directive at all are fully unrolled temporal maps.
    for (const v of varList) {
      if (!cur.some((d) => d.dim === v))
        cur.push({ dim: v, spatial: false, size: dims[v]!, offset: dims[v]! });
    }
    for (const d of cur) {
      if (d.dim === DIM.K && type === 'DSCONV') {
        throw new InputError(`${where}: maps K, but depth-wise layers have no K dimension`);
      }
    }
    const spatialIdx = cur.flatMap((d, i) => (d.spatial ? [i] : []));
    if (spatialIdx.length === 0)
      throw new InputError(`${where}:${levelName} has no SpatialMap (every cluster level needs one)`);
    if (spatialIdx.length > 2)
      throw new InputError(`${where}:${levelName} has ${spatialIdx.length} SpatialMaps (at most 2)`);
    // Sub-clusters: the top level gets floor(P / product of cluster sizes); below, the
    // size of the Cluster directive above.
    const n = li === 0 ? Math.floor(opts.pes / product) : lastClusterSize;
    levels.push(makeLevel(cur, dims, n, spatialIdx[0]!, spatialIdx[1] ?? -1, opts.edgeTileQuirk));
    if (rl.closingCluster !== undefined) lastClusterSize = rl.closingCluster;
    // 4. The level below works on one tile: min(map size, dimension size).
    const lower = new Float64Array(NUM_DIMS);
    for (const v of varList) {
      const d = cur.find((x) => x.dim === v)!;
      lower[v] = Math.min(d.size, dims[v]!);
    }
    dims = lower;
    prev = cur;
  }
  return { type, levels, topDims: top };
}

function makeLevel(
  dirs: ResolvedDirective[],
  dims: Float64Array,
  n: number,
  firstSpatial: number,
  secondSpatial: number,
  edgeTileQuirk: boolean,
): Level {
  const k = dirs.length;
  const dirDim = new Int8Array(k);
  const dirSpatial = new Uint8Array(k);
  const dirSize = new Float64Array(k);
  const dirOfs = new Float64Array(k);
  const dimDir = new Int8Array(NUM_DIMS).fill(-1);
  dirs.forEach((d, i) => {
    dirDim[i] = d.dim;
    dirSpatial[i] = d.spatial ? 1 : 0;
    dirSize[i] = d.size;
    dirOfs[i] = d.offset;
    dimDir[d.dim] = i;
  });
  const mapped = new Float64Array(NUM_DIMS);
  const unique = new Float64Array(NUM_DIMS);
  const mappedEdge = new Float64Array(NUM_DIMS);
  const uniqueEdge = new Float64Array(NUM_DIMS);
  for (const d of dirs) {
    const D = dims[d.dim]!;
    const M = d.size;
    const O = d.offset;
    const steady = Math.max(idiv(D - M, O), 0);
    const hasEdge = steady * O + M < D || M > D;
    mapped[d.dim] = M;
    unique[d.dim] = Math.min(M, O);
    if (!d.spatial && D <= M) unique[d.dim] = 0;
    let edgeMap = D - (steady + 1) * O;
    if (edgeMap < 0 || (!edgeTileQuirk && M > D)) edgeMap = D;
    mappedEdge[d.dim] = hasEdge ? edgeMap : M;
    uniqueEdge[d.dim] = Math.max(O - (M - edgeMap), 0);
  }
  // Output rows/columns (Y', X') from the input-coordinate Y/X and the filter's R/S.
  for (const [inp, filt, out] of [
    [DIM.Y, DIM.R, DIM.YO],
    [DIM.X, DIM.S, DIM.XO],
  ] as const) {
    const i = dimDir[inp]!;
    if (i < 0) continue;
    mapped[out] = mapped[inp]! - mapped[filt]! + 1;
    unique[out] = Math.min(dirOfs[i]!, dirSize[i]!);
    mappedEdge[out] = mappedEdge[inp]! - mappedEdge[filt]! + 1;
    uniqueEdge[out] = Math.min(dirOfs[i]!, mappedEdge[out]!);
  }
  const edgeClusters = spatialEdgeClusters(
    dims[dirDim[firstSpatial]!]!,
    dirSize[firstSpatial]!,
    dirOfs[firstSpatial]!,
    n,
  );
  return {
    n,
    edgeClusters,
    directives: dirs,
    dirDim,
    dirSpatial,
    dirSize,
    dirOfs,
    dimDir,
    firstSpatial,
    secondSpatial,
    dims,
    mapped,
    unique,
    mappedEdge,
    uniqueEdge,
  };
}

/** Sub-clusters active in a spatial edge fold (MAESTRO's ClusterUnit, static dims). */
function spatialEdgeClusters(D: number, M: number, O: number, n: number): number {
  const full = O * (n - 1) + M;
  let ne: number;
  if (D > full) {
    const steady = idiv(idiv(D - M, O) + 1, n) - 1;
    const rem = D - (steady + 1) * O * n;
    ne = rem < M ? 1 : idiv(rem - M, O) + 1;
  } else if (D > M) {
    ne = idiv(D - M, O) + 1;
    if (O * (ne - 1) + M < D) ne++;
  } else {
    ne = 1;
  }
  return ne;
}
