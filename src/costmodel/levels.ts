/**
 * Cluster levels of a dataflow for one layer and PE count: the
 * directive list is cut at every `Cluster(c)`, output-centric directives are rewritten into
 * input coordinates, missing directives are inherited or unrolled, and each level gets its
 * static tile sizes and the per-dimension mapping sizes the reuse analysis uses.
 *
 * Everything here is static for a (dataflow, layer, PEs, cluster size); the engine then
 * walks the iteration cases of each level.
 */
import { InputError } from '../core/errors.js';
import type { ConvDims } from '../workload/layer.js';
import { idiv, zeros } from './arith.js';
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
  readonly dirDim: number[];
  readonly dirSpatial: number[];
  readonly dirSize: number[];
  readonly dirOfs: number[];
  /** Index of the directive of each dimension, or -1. */
  readonly dimDir: number[];
  readonly firstSpatial: number;
  /** A second SpatialMap in the same level (eye's inner level), or -1. */
  readonly secondSpatial: number;
  /** Static tile sizes of this level, by dimension id. */
  readonly dims: number[];
  /** Mapping sizes by dimension id (including Y', X'): steady and edge, mapped and unique. */
  readonly mapped: number[];
  readonly unique: number[];
  readonly mappedEdge: number[];
  readonly uniqueEdge: number[];
  /** Some directive has offset <= dimension < map size (where MAESTRO's edge-tile quirk bites). */
  readonly edgeTileQuirk: boolean;
}

export interface ClusterStructure {
  readonly type: LayerType;
  /** Outermost first. */
  readonly levels: readonly Level[];
  /** Full layer dimensions by id, Y' and X' included. */
  readonly topDims: number[];
  /** Some level has offset <= dimension < map size (where MAESTRO's edge-tile quirk bites). */
  readonly edgeTileQuirk: boolean;
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
export function layerDims(d: ConvDims): number[] {
  const dims = zeros(NUM_DIMS);
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

type Source =
  | { readonly kind: 'expr'; readonly expr: SizeExpr }
  | { readonly kind: 'inherit'; readonly from: number }
  | { readonly kind: 'unroll' };

/** How to compute one directive of a level for a given layer. */
interface DirectiveRecipe {
  readonly dim: DimId;
  readonly spatial: boolean;
  readonly size: Source;
  readonly offset: Source;
  /**
   * Output-centric Y'/X' rewritten to Y/X: add the filter's map size - 1, from this level's
   * R/S directive (index `own`), else the inherited one (`inherited`, index one level up),
   * else the full filter size.
   */
  readonly filter?: { readonly dim: DimId; readonly own: number; readonly inherited: number };
}

interface LevelRecipe {
  readonly directives: readonly DirectiveRecipe[];
  readonly firstSpatial: number;
  readonly secondSpatial: number;
  /** The Cluster directive closing this level (absent for the innermost level). */
  readonly closingCluster?: SizeExpr;
}

/** A dataflow checked and compiled for one layer type; instantiated per layer by `buildLevels`. */
export interface CompiledDataflow {
  readonly name: string;
  readonly type: LayerType;
  readonly levels: readonly LevelRecipe[];
  readonly constants: ReadonlyMap<string, number>;
}

const VAR_LISTS: Record<LayerType, readonly DimId[]> = {
  CONV: inputTensorDims('CONV'),
  DSCONV: inputTensorDims('DSCONV'),
};

const OUTPUT_CENTRIC: readonly (readonly [DimId, DimId, DimId])[] = [
  [DIM.YO, DIM.Y, DIM.R],
  [DIM.XO, DIM.X, DIM.S],
];

/**
 * Checks a dataflow's structure for a layer type and compiles it into per-level recipes.
 * Throws InputError for dataflows MAESTRO cannot analyse: a level without SpatialMap, more
 * than two in a level, a dimension mapped twice in a level, Y and Y' (or X and X') in one
 * level, K in a depth-wise layer, an unknown constant.
 */
export function compileDataflow(df: ParsedDataflow, type: LayerType): CompiledDataflow {
  const where = `dataflow "${df.name}"`;
  const at = (p: SourcePos) => `${where} line ${p.line}, column ${p.column}`;
  const checkExpr = (e: SizeExpr) => {
    if (e.kind === 'const' && e.name !== CLUSTER_SIZE_CONSTANT && !df.constants.has(e.name)) {
      throw new InputError(`${at(e.pos)}: unknown constant "${e.name}"`);
    }
    if (e.kind === 'size' && type === 'DSCONV' && e.dim === DIM.K) {
      throw new InputError(`${at(e.pos)}: Sz(K) is undefined for depth-wise layers`);
    }
  };
  const raw: {
    maps: Extract<ParsedDataflow['directives'][number], { kind: 'map' }>[];
    cluster?: SizeExpr;
  }[] = [];
  let cur: (typeof raw)[number]['maps'] = [];
  for (const d of df.directives) {
    if (d.kind === 'cluster') {
      checkExpr(d.size);
      raw.push({ maps: cur, cluster: d.size });
      cur = [];
    } else {
      checkExpr(d.size);
      checkExpr(d.offset);
      if (d.dim === DIM.K && type === 'DSCONV') {
        throw new InputError(`${at(d.pos)}: maps K, but depth-wise layers have no K dimension`);
      }
      cur.push(d);
    }
  }
  raw.push({ maps: cur });
  const varList = VAR_LISTS[type];
  const levels: LevelRecipe[] = [];
  let upper: DirectiveRecipe[] | undefined;
  for (let li = 0; li < raw.length; li++) {
    const rl = raw[li]!;
    const levelName = raw.length > 1 ? ` cluster level ${li + 1} of ${raw.length}` : '';
    const own: DirectiveRecipe[] = [];
    for (const m of rl.maps) {
      const dup = rl.maps.find((x) => x.dim === m.dim);
      if (dup !== m) {
        throw new InputError(
          `${at(m.pos)}: ${DIM_NAMES[m.dim]} is mapped twice in one cluster level (first at line ${dup!.pos.line})`,
        );
      }
      own.push({
        dim: m.dim,
        spatial: m.spatial,
        size: { kind: 'expr', expr: m.size },
        offset: { kind: 'expr', expr: m.offset },
      });
    }
    for (const [out, inp, filt] of OUTPUT_CENTRIC) {
      const oi = own.findIndex((d) => d.dim === out);
      if (oi < 0) continue;
      if (own.some((d) => d.dim === inp)) {
        throw new InputError(
          `${at(rl.maps[oi]!.pos)}: ${DIM_NAMES[out]} and ${DIM_NAMES[inp]} are both mapped in one cluster level`,
        );
      }
      const d = own[oi]!;
      own[oi] = {
        ...d,
        dim: inp,
        filter: {
          dim: filt,
          own: own.findIndex((x) => x.dim === filt),
          inherited: upper ? upper.findIndex((x) => x.dim === filt) : -1,
        },
      };
    }
    // Missing directives of the level above are inherited as temporal maps, each put in front.
    const front: DirectiveRecipe[] = [];
    if (upper) {
      upper.forEach((up, ui) => {
        if (!own.some((d) => d.dim === up.dim)) {
          front.unshift({
            dim: up.dim,
            spatial: false,
            size: { kind: 'inherit', from: ui },
            offset: { kind: 'inherit', from: ui },
          });
        }
      });
    }
    const list = [...front, ...own];
    const shift = front.length;
    // Indices into `own` moved by the inherited directives in front.
    const final = list.map((d) =>
      d.filter && d.filter.own >= 0 ? { ...d, filter: { ...d.filter, own: d.filter.own + shift } } : d,
    );
    // Dimensions with no directive at all are fully unrolled temporal maps.
    for (const v of varList) {
      if (!final.some((d) => d.dim === v))
        final.push({ dim: v, spatial: false, size: { kind: 'unroll' }, offset: { kind: 'unroll' } });
    }
    const spatialIdx = final.flatMap((d, i) => (d.spatial ? [i] : []));
    if (spatialIdx.length === 0)
      throw new InputError(`${where}:${levelName} has no SpatialMap (every cluster level needs one)`);
    if (spatialIdx.length > 2)
      throw new InputError(`${where}:${levelName} has ${spatialIdx.length} SpatialMaps (at most 2)`);
    levels.push({
      directives: final,
      firstSpatial: spatialIdx[0]!,
      secondSpatial: spatialIdx[1] ?? -1,
      ...(rl.cluster ? { closingCluster: rl.cluster } : {}),
    });
    upper = final;
  }
  return { name: df.name, type, levels, constants: df.constants };
}

function evalExpr(
  e: SizeExpr,
  dims: number[],
  clusterSize: number,
  constants: ReadonlyMap<string, number>,
): number {
  if (e.kind === 'int') return e.value;
  if (e.kind === 'size') return dims[e.dim]!;
  return e.name === CLUSTER_SIZE_CONSTANT ? clusterSize : constants.get(e.name)!;
}

/** Instantiates the cluster levels of a compiled dataflow for one layer and core. */
export function buildLevels(cdf: CompiledDataflow, conv: ConvDims, opts: LevelOptions): ClusterStructure {
  if (conv.type !== cdf.type)
    throw new Error(`internal: dataflow compiled for ${cdf.type}, layer is ${conv.type}`);
  const top = layerDims(conv);
  let product = 1;
  for (const l of cdf.levels)
    if (l.closingCluster) product *= evalExpr(l.closingCluster, top, opts.clusterSize, cdf.constants);
  if (product > opts.pes) {
    throw new InputError(
      `dataflow "${cdf.name}": its Cluster sizes multiply to ${product}, more than the core's ${opts.pes} PEs`,
    );
  }
  const varList = VAR_LISTS[cdf.type];
  const levels: Level[] = [];
  let dims = top;
  let upper: ResolvedDirective[] | undefined;
  let lastClusterSize = 0;
  let edgeQuirk = false;
  for (let li = 0; li < cdf.levels.length; li++) {
    const lr = cdf.levels[li]!;
    const k = lr.directives.length;
    const sizes = zeros(k);
    const offsets = zeros(k);
    const value = (src: Source, own: number[], dim: DimId): number => {
      if (src.kind === 'expr') return evalExpr(src.expr, top, opts.clusterSize, cdf.constants);
      if (src.kind === 'inherit') return own === sizes ? upper![src.from]!.size : upper![src.from]!.offset;
      return dims[dim]!;
    };
    for (let i = 0; i < k; i++) {
      const d = lr.directives[i]!;
      sizes[i] = value(d.size, sizes, d.dim);
      offsets[i] = value(d.offset, offsets, d.dim);
    }
    const resolved: ResolvedDirective[] = new Array(k);
    for (let i = 0; i < k; i++) {
      const d = lr.directives[i]!;
      let size = sizes[i]!;
      if (d.filter) {
        const f = d.filter;
        // The own filter directive is never output-centric, so sizes[] holds its map size.
        const filterMap =
          f.own >= 0 ? sizes[f.own]! : f.inherited >= 0 ? upper![f.inherited]!.size : dims[f.dim]!;
        size += filterMap - 1;
      }
      resolved[i] = { dim: d.dim, spatial: d.spatial, size, offset: offsets[i]! };
    }
    // Sub-clusters: the top level gets floor(P / product of cluster sizes); below, the
    // size of the Cluster directive above.
    const n = li === 0 ? Math.floor(opts.pes / product) : lastClusterSize;
    const level = makeLevel(resolved, dims, n, lr.firstSpatial, lr.secondSpatial, opts.edgeTileQuirk);
    edgeQuirk ||= level.edgeTileQuirk;
    levels.push(level);
    if (lr.closingCluster)
      lastClusterSize = evalExpr(lr.closingCluster, top, opts.clusterSize, cdf.constants);
    // The level below works on one tile: min(map size, dimension size).
    const lower = zeros(NUM_DIMS);
    for (const v of varList) {
      const i = level.dimDir[v]!;
      lower[v] = Math.min(resolved[i]!.size, dims[v]!);
    }
    dims = lower;
    upper = resolved;
  }
  return { type: cdf.type, levels, topDims: top, edgeTileQuirk: edgeQuirk };
}

function makeLevel(
  dirs: ResolvedDirective[],
  dims: number[],
  n: number,
  firstSpatial: number,
  secondSpatial: number,
  edgeTileQuirk: boolean,
): Level {
  const k = dirs.length;
  const dirDim = zeros(k);
  const dirSpatial = zeros(k);
  const dirSize = zeros(k);
  const dirOfs = zeros(k);
  const dimDir = zeros(NUM_DIMS).fill(-1);
  dirs.forEach((d, i) => {
    dirDim[i] = d.dim;
    dirSpatial[i] = d.spatial ? 1 : 0;
    dirSize[i] = d.size;
    dirOfs[i] = d.offset;
    dimDir[d.dim] = i;
  });
  const mapped = zeros(NUM_DIMS);
  const unique = zeros(NUM_DIMS);
  const mappedEdge = zeros(NUM_DIMS);
  const uniqueEdge = zeros(NUM_DIMS);
  let quirk = false;
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
    if (M > D && edgeMap >= 0) quirk = true;
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
    edgeTileQuirk: quirk,
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
