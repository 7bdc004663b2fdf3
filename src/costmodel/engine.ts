/**
 * The data-centric analysis engine: for each cluster level, every
 * iteration case (a combination of Init / Steady / Edge states of the level's directives) is
 * costed once and weighted by how often it occurs; upper levels take the runtime of their
 * sub-cluster analyses as compute delay. This follows MAESTRO's case analysis and reuse
 * rules closely enough to reproduce its runtime, buffer sizes and access counts exactly,
 * quirks included (docs/cost-model.md lists the ones corrected by default).
 *
 * Hot path: per-case work loops over the level's few directives on small preallocated arrays
 * (scratch buffers shared by all analyses); the analysis of a sub-cluster depends only on its
 * tile sizes and is memoised.
 */
import { InputError } from '../core/errors.js';
import { idiv, zeros } from './arith.js';
import { DIM, type DimId, dimMask, NUM_DIMS, TENSORS } from './dims.js';
import type { ClusterStructure, Level } from './levels.js';

/** Network-on-chip and memory parameters (MAESTRO's flags). */
export interface HardwareParams {
  /** Elements per cycle per NoC level; M3E passes 81,920,000 (never a bottleneck). */
  readonly nocBandwidth: number;
  readonly nocHops: number;
  readonly nocHopLatency: number;
  /** Off-chip bandwidth for the top level's buffer fill term (elements per cycle). */
  readonly offchipBandwidth: number;
  readonly simdLanes: number;
}

/** The hardware flags M3E's job analyzer passes to MAESTRO. */
export const MAGMA_HARDWARE: HardwareParams = {
  nocBandwidth: 81_920_000,
  nocHops: 1,
  nocHopLatency: 1,
  offchipBandwidth: 81_920_000,
  simdLanes: 1,
};

export interface EngineOptions {
  readonly hardware: HardwareParams;
  /**
   * Reproduce MAESTRO's treatment of a second SpatialMap in one level (eye's inner level) as
   * free parallelism. Otherwise each sub-cluster processes the second map's positions of a
   * fold one after another.
   */
  readonly freeSecondSpatialMap: boolean;
  /**
   * Multiply a case's per-directive occurrence counts in 32-bit integers, wrapping on
   * overflow as MAESTRO's `int` does (only huge layers on few PEs get there).
   */
  readonly int32Occurrences: boolean;
}

const INPUT = 0;
const WEIGHT = 1;
const OUTPUT = 2;

const POS_INIT = 0;
const POS_STEADY = 1;
const POS_EDGE = 2;

/** Raw results of the top level, in MAESTRO's terms (elements = bytes). */
export interface EngineResult {
  /** Runtime in cycles (the no-stall latency). */
  readonly runtime: number;
  /** L2 (global buffer) size: double-buffered first-step traffic of the three tensors. */
  readonly l2: number;
  /** L1 (PE-local) size: double-buffered innermost tiles of the three tensors. */
  readonly l1: number;
  /** MACs as MAESTRO counts them (over- or under-counts at some edges). */
  readonly maestroMacs: number;
  /** Top-level access counts by tensor [input, weight, output]. */
  readonly l2Read: readonly number[];
  readonly l2Write: readonly number[];
  readonly l1Read: readonly number[];
  readonly l1Write: readonly number[];
  readonly numLevels: number;
  /** Where MAESTRO's quirks arise for this layer (corrected unless in compat mode). */
  readonly quirks: {
    readonly edgeTile: boolean;
    readonly secondSpatialMap: boolean;
    readonly occurrenceOverflow: boolean;
  };
}

interface TensorInfo {
  readonly dims: readonly DimId[];
  readonly mask: number;
}

/** The case being costed: each directive's state (reused buffers). */
class CaseState {
  readonly pos: number[];
  readonly isEdge: number[];
  readonly hasEE: number[];
  readonly unrolled: number[];
  constructor(k: number) {
    this.pos = zeros(k);
    this.isEdge = zeros(k);
    this.hasEE = zeros(k);
    this.unrolled = zeros(k);
  }
}

const MAX_STATES = 3;

interface LevelScratch {
  readonly cases: CaseState;
  readonly states: LevelStates;
  readonly odometer: number[];
  readonly sub: number[];
}
const SCRATCH: LevelScratch[] = [];

/** Iteration states of each directive for given tile sizes (MAESTRO's IterationAnalysis); buffers reused per level. */
class LevelStates {
  readonly count: number[];
  readonly pos: number[];
  readonly occ: number[];
  readonly unrolled: number[];
  readonly initEdge: number[];
  readonly hasEE: number[];
  /** Steady occurrences of each directive (0 if none), for folding a second SpatialMap. */
  readonly steadyCount: number[];
  constructor(k: number) {
    this.count = zeros(k);
    this.pos = zeros(k * MAX_STATES);
    this.occ = zeros(k * MAX_STATES);
    this.unrolled = zeros(k * MAX_STATES);
    this.initEdge = zeros(k * MAX_STATES);
    this.hasEE = zeros(k * MAX_STATES);
    this.steadyCount = zeros(k);
  }

  private push(
    i: number,
    pos: number,
    occ: number,
    unrolled: boolean,
    initEdge: boolean,
    hasEE: boolean,
  ): void {
    const j = i * MAX_STATES + this.count[i]!++;
    this.pos[j] = pos;
    this.occ[j] = occ;
    this.unrolled[j] = unrolled ? 1 : 0;
    this.initEdge[j] = initEdge ? 1 : 0;
    this.hasEE[j] = hasEE ? 1 : 0;
  }

  fill(level: Level, dims: number[]): void {
    const k = level.dirDim.length;
    const n = level.n;
    this.count.fill(0);
    this.steadyCount.fill(0);
    for (let i = 0; i < k; i++) {
      const D = dims[level.dirDim[i]!]!;
      const M = level.dirSize[i]!;
      const O = level.dirOfs[i]!;
      if (!level.dirSpatial[i]) {
        const initEdge = D < M;
        this.push(i, POS_INIT, 1, D <= M, initEdge, false);
        const steady = idiv(D - M, O);
        if (M < D && steady > 0) {
          this.push(i, POS_STEADY, steady, false, false, false);
          this.steadyCount[i] = steady;
        }
        if (!initEdge && steady * O + M < D) this.push(i, POS_EDGE, 1, false, false, false);
      } else {
        const coverage = M + O * (n - 1);
        const initUnroll = D <= coverage;
        const initEdge = D < coverage;
        this.push(i, POS_INIT, 1, initUnroll, initEdge, initEdge);
        const steady = idiv(idiv(D - M, O) + 1, n) - 1;
        const hasEdgeState =
          !initUnroll && (steady + 1) * (O * n) + coverage > D && steady * (O * n) + coverage !== D;
        if (coverage < D && steady > 0) {
          this.push(i, POS_STEADY, steady, false, false, false);
          this.steadyCount[i] = steady;
        }
        const remaining = D - (steady + 1) * O * n;
        const active = remaining < M ? 1 : idiv(remaining - M, O) + 1;
        const edgeEdge = (active - 1) * O + M < remaining;
        if (!initEdge && hasEdgeState) this.push(i, POS_EDGE, 1, false, false, edgeEdge);
      }
    }
  }
}

export class Engine {
  private readonly levels: readonly Level[];
  private readonly tensors: readonly TensorInfo[];
  private readonly hw: HardwareParams;
  private readonly freeSecondSpatial: boolean;
  /** Memoised sub-cluster runtimes per level: tile sizes (NUM_DIMS each) and runtimes. */
  private readonly memoDims: number[][][];
  private readonly memoRuntime: number[][];

  private secondSpatialQuirk = false;
  private overflowQuirk = false;
  private readonly int32Occurrences: boolean;

  constructor(
    private readonly structure: ClusterStructure,
    opts: EngineOptions,
  ) {
    this.levels = structure.levels;
    const t = TENSORS[structure.type];
    this.tensors = [t.input, t.weight, t.output].map((dims) => ({ dims, mask: dimMask(dims) }));
    this.hw = opts.hardware;
    this.freeSecondSpatial = opts.freeSecondSpatialMap;
    this.int32Occurrences = opts.int32Occurrences;
    // Scratch buffers per level, shared by all engines (analyses never interleave).
    while (SCRATCH.length < this.levels.length) {
      SCRATCH.push({
        cases: new CaseState(NUM_DIMS),
        states: new LevelStates(NUM_DIMS),
        odometer: zeros(NUM_DIMS),
        sub: zeros(NUM_DIMS),
      });
    }
    this.memoDims = this.levels.map(() => []);
    this.memoRuntime = this.levels.map(() => []);
  }

  /** Analyses the whole layer. */
  run(): EngineResult {
    const acc = new TopAccumulator();
    const runtime = this.analyzeLevel(0, this.structure.topDims, acc);
    // L1: the innermost level's mapped tile of each tensor, double-buffered.
    const inner = this.levels[this.levels.length - 1]!;
    let l1 = 0;
    for (const t of this.tensors) {
      let v = 1;
      for (const d of t.dims) if (inner.dimDir[d]! >= 0) v *= inner.mapped[d]!;
      l1 += 2 * v;
    }
    return {
      runtime,
      l2: acc.l2Size[INPUT]! + acc.l2Size[WEIGHT]! + acc.l2Size[OUTPUT]!,
      l1,
      maestroMacs: acc.macs,
      l2Read: Array.from(acc.l2Read),
      l2Write: Array.from(acc.l2Write),
      l1Read: Array.from(acc.l1Read),
      l1Write: Array.from(acc.l1Write),
      numLevels: this.levels.length,
      quirks: {
        edgeTile: this.structure.edgeTileQuirk,
        secondSpatialMap: this.secondSpatialQuirk,
        occurrenceOverflow: this.overflowQuirk,
      },
    };
  }

  private nocDelay(amount: number): number {
    const sends = Math.ceil(amount / this.hw.nocBandwidth);
    return this.hw.nocHops * this.hw.nocHopLatency + sends - 1;
  }

  /** Runtime of a sub-cluster with tile `dims` at level `li` (memoised; only the top level accumulates). */
  private subRuntime(li: number, dims: number[]): number {
    const seen = this.memoDims[li]!;
    for (let e = 0; e < seen.length; e++) {
      const m = seen[e]!;
      let same = true;
      for (let d = 0; d < NUM_DIMS; d++) {
        if (m[d] !== dims[d]) {
          same = false;
          break;
        }
      }
      if (same) return this.memoRuntime[li]![e]!;
    }
    const copy = Array.from(dims);
    const r = this.analyzeLevel(li, copy.slice(), undefined);
    seen.push(copy);
    this.memoRuntime[li]!.push(r);
    return r;
  }

  private analyzeLevel(li: number, dims: number[], acc: TopAccumulator | undefined): number {
    const L = this.levels[li]!;
    const k = L.dirDim.length;
    const scratch = SCRATCH[li]!;
    const st = scratch.states;
    st.fill(L, dims);
    const cs = scratch.cases;
    // Cases: every combination of the directives' states, the all-Init case first (it sets
    // the buffer sizes); the others only add up, so their order does not matter.
    const odo = scratch.odometer;
    let total = 1;
    for (let i = 0; i < k; i++) {
      total *= st.count[i]!;
      odo[i] = 0;
    }
    const innermost = li === this.levels.length - 1;
    const out = this.tensors[OUTPUT]!;
    let runtime = 0;
    const sub = scratch.sub;
    for (let c = 0; c < total; c++) {
      if (c > 0) {
        for (let i = k - 1; i >= 0; i--) {
          if (++odo[i]! < st.count[i]!) break;
          odo[i] = 0;
        }
      }
      let occ = 1;
      let occ32 = 1;
      let allInit = true;
      for (let i = 0; i < k; i++) {
        const j = i * MAX_STATES + odo[i]!;
        const pos = st.pos[j]!;
        cs.pos[i] = pos;
        cs.isEdge[i] = pos === POS_EDGE || st.initEdge[j] ? 1 : 0;
        cs.hasEE[i] = st.hasEE[j]!;
        cs.unrolled[i] = st.unrolled[j]!;
        occ *= st.occ[j]!;
        occ32 = Math.imul(occ32, st.occ[j]!);
        if (pos !== POS_INIT) allInit = false;
      }
      if (occ32 !== occ) {
        this.overflowQuirk = true;
        if (this.int32Occurrences) occ = occ32;
      }
      if (acc && c === 0) {
        // Buffer sizes: double-buffered traffic of the first (all-Init) step.
        for (let t = INPUT; t <= WEIGHT; t++) {
          acc.l2Size[t] = acc.l2Size[t]! + 2 * this.spatialIngress(L, cs, this.tensors[t]!);
          let size = 1;
          for (const d of this.tensors[t]!.dims) size *= dims[d]!;
          acc.l2Write[t] = size;
        }
        acc.l2Size[OUTPUT] = 2 * this.spatialEgress(L, cs, out);
      }
      const egress = this.spatialEgress(L, cs, out);
      const psums = this.outputSpatialMappingSize(L, cs, out, true);
      if (acc) {
        acc.l2Write[OUTPUT] = acc.l2Write[OUTPUT]! + occ * egress;
        acc.l1Write[OUTPUT] = acc.l1Write[OUTPUT]! + occ * psums;
        acc.l1Read[OUTPUT] = acc.l1Read[OUTPUT]! + occ * psums;
      }
      const criticalPsums = this.criticalPathPartialSums(L, cs, out);
      let ingress = 0;
      for (let t = INPUT; t <= WEIGHT; t++) {
        const v = this.spatialIngress(L, cs, this.tensors[t]!);
        ingress += v;
        if (acc) {
          acc.l2Read[t] = acc.l2Read[t]! + occ * v;
          // MAESTRO's L1 write counter of input tensors mirrors the L2 read counter.
          acc.l1Write[t] = acc.l2Read[t]!;
          acc.l1Read[t] = acc.l1Read[t]! + occ * psums;
        }
      }
      let compute: number;
      if (!innermost) {
        const sp = L.firstSpatial;
        compute = 0;
        if (cs.isEdge[sp]) {
          if (cs.hasEE[sp]) {
            this.subClusterDims(L, cs, true, sub);
            compute = this.subRuntime(li + 1, sub);
            if (L.edgeClusters - 1 > 0) {
              this.subClusterDims(L, cs, false, sub);
              compute = Math.max(compute, this.subRuntime(li + 1, sub));
            }
          } else {
            this.subClusterDims(L, cs, false, sub);
            compute = this.subRuntime(li + 1, sub);
          }
        } else {
          this.subClusterDims(L, cs, false, sub);
          compute = this.subRuntime(li + 1, sub);
        }
      } else {
        compute = Math.ceil(criticalPsums / this.hw.simdLanes);
      }
      if (L.secondSpatial >= 0) {
        const positions = this.secondSpatialPositions(L, st, dims, cs.pos[L.secondSpatial]!);
        if (positions > 1) {
          this.secondSpatialQuirk = true;
          if (!this.freeSecondSpatial) compute *= positions;
        }
      }
      const ingressDelay = this.nocDelay(ingress);
      const egressDelay = this.nocDelay(egress);
      let delay = allInit ? compute + ingressDelay : Math.max(egressDelay, compute, ingressDelay);
      if (acc) {
        // Off-chip fill of the double-buffered L2 (integer division, as MAESTRO).
        const bw = this.hw.offchipBandwidth;
        const inDelay = Math.floor(Math.floor((acc.l2Size[INPUT]! + acc.l2Size[WEIGHT]!) / bw) / 2);
        const outDelay = Math.floor(Math.floor(acc.l2Size[OUTPUT]! / bw) / 2);
        delay = Math.max(inDelay, delay, outDelay);
        acc.macs += occ * psums;
      }
      runtime += occ * delay;
    }
    return runtime;
  }

  /** Positions of a level's second SpatialMap in the current fold, processed one after another. */
  private secondSpatialPositions(L: Level, st: LevelStates, dims: number[], pos: number): number {
    const i = L.secondSpatial;
    const D = dims[L.dirDim[i]!]!;
    const M = L.dirSize[i]!;
    const O = L.dirOfs[i]!;
    const positions = D <= M ? 1 : Math.ceil((D - M) / O) + 1;
    if (pos === POS_INIT) return Math.min(L.n, positions);
    if (pos === POS_STEADY) return L.n;
    return Math.max(1, positions - L.n * (1 + st.steadyCount[i]!));
  }

  /** Tile sizes handed to a sub-cluster in this case (MAESTRO's ConstructSubClusterDimension). */
  private subClusterDims(L: Level, cs: CaseState, edgeEdge: boolean, out: number[]): void {
    out.fill(0);
    const ne = L.edgeClusters;
    for (let i = 0; i < L.dirDim.length; i++) {
      const d = L.dirDim[i]!;
      let v: number;
      if (!L.dirSpatial[i]) {
        v = cs.isEdge[i] ? L.mappedEdge[d]! : L.mapped[d]!;
      } else {
        const pos = cs.pos[i]!;
        const edgeTile = ne === 1 || edgeEdge;
        if (pos === POS_INIT) v = cs.isEdge[i] && edgeTile ? L.mappedEdge[d]! : L.mapped[d]!;
        else if (pos === POS_STEADY) v = L.mapped[d]!;
        else v = edgeTile ? L.mappedEdge[d]! : L.mapped[d]!;
      }
      out[d] = v;
    }
    if (L.dimDir[DIM.Y]! >= 0) out[DIM.YO] = out[DIM.Y]! - out[DIM.R]! + 1;
    if (L.dimDir[DIM.X]! >= 0) out[DIM.XO] = out[DIM.X]! - out[DIM.S]! + 1;
  }

  /** The spatially mapped directive among a tensor's dimensions (last one wins) and whether any is at an edge. */
  private spIdx = -1;
  private spEdge = false;

  /** Sets spIdx/spEdge: the spatially mapped directive among a tensor's dimensions (last wins), and whether any is at an edge. */
  private spatialOf(L: Level, cs: CaseState, t: TensorInfo): void {
    let idx = -1;
    let edge = false;
    for (const d of t.dims) {
      const i = L.dimDir[d]!;
      if (i < 0) throw new InputError(`internal: no directive for dimension ${d}`);
      if (L.dirSpatial[i]) {
        idx = i;
        if (cs.isEdge[i]) edge = true;
      }
    }
    this.spIdx = idx;
    this.spEdge = edge;
  }

  private mappedVolume(L: Level, cs: CaseState, t: TensorInfo, first: boolean, ee: boolean): number {
    let ret = 1;
    const ne = L.edgeClusters;
    for (let i = 0; i < L.dirDim.length; i++) {
      const d = L.dirDim[i]!;
      if (!(t.mask & (1 << d))) continue;
      if (!L.dirSpatial[i]) {
        ret *= cs.isEdge[i] ? L.mappedEdge[d]! : L.mapped[d]!;
      } else if (cs.isEdge[i]) {
        if (ne === 1 && (first || ee)) ret *= L.mappedEdge[d]!;
        else if (ne > 1) ret *= ee ? L.mappedEdge[d]! : L.mapped[d]!;
      } else {
        ret *= L.mapped[d]!;
      }
    }
    return ret;
  }

  /** Elements of an input tensor one sub-cluster must receive in this case (temporal reuse applied). */
  private peIngress(L: Level, cs: CaseState, t: TensorInfo, first: boolean, ee: boolean): number {
    const k = L.dirDim.length;
    let changing = -1;
    for (let i = 0; i < k; i++) if (cs.pos[i] !== POS_INIT) changing = i;
    if (changing < 0) return this.mappedVolume(L, cs, t, first, ee);
    let inited = false;
    for (let i = changing + 1; i < k; i++) {
      if (cs.pos[i] === POS_INIT && t.mask & (1 << L.dirDim[i]!) && !cs.unrolled[i]) {
        inited = true;
        break;
      }
    }
    let ret = 1;
    let tensorChanging = false;
    for (let i = 0; i < k; i++) {
      const d = L.dirDim[i]!;
      if (!(t.mask & (1 << d))) continue;
      const isChanging = i === changing;
      if (isChanging) tensorChanging = true;
      const pos = cs.pos[i]!;
      if (!L.dirSpatial[i]) {
        if (pos === POS_INIT) ret *= cs.isEdge[i] ? L.mappedEdge[d]! : L.mapped[d]!;
        else if (isChanging && !inited) {
          if (L.unique[d] === 0)
            throw new InputError('the dataflow re-fetches a fully unrolled dimension (MAESTRO aborts here)');
          ret *= L.unique[d]!;
        } else ret *= L.mapped[d]!;
      } else {
        const full = ee ? L.mappedEdge[d]! : L.mapped[d]!;
        const uniq = ee ? L.uniqueEdge[d]! : L.unique[d]!;
        if (first) ret *= full;
        else if (pos === POS_INIT) ret *= i <= changing ? full : uniq;
        else ret *= !inited && isChanging ? uniq : full;
      }
    }
    return tensorChanging ? ret : 0;
  }

  private spatialIngress(L: Level, cs: CaseState, t: TensorInfo): number {
    this.spatialOf(L, cs, t);
    if (this.spIdx < 0) return this.peIngress(L, cs, t, true, false);
    if (!this.spEdge)
      return this.peIngress(L, cs, t, true, false) + (L.n - 1) * this.peIngress(L, cs, t, false, false);
    const ne = L.edgeClusters;
    const hasEE = cs.hasEE[this.spIdx] === 1;
    let ret =
      ne === 1 && hasEE ? this.peIngress(L, cs, t, true, true) : this.peIngress(L, cs, t, true, false);
    if (ne > 1) {
      const nEE = hasEE ? 1 : 0;
      const nFull = Math.max(ne - nEE - 1, 0);
      ret += nFull * this.peIngress(L, cs, t, false, false) + nEE * this.peIngress(L, cs, t, false, true);
    }
    return ret;
  }

  /** Output elements (or partial sums) of one sub-cluster in this case (MAESTRO's GetPEEgressVolume). */
  private peEgress(
    L: Level,
    cs: CaseState,
    t: TensorInfo,
    psums: boolean,
    first: boolean,
    ee: boolean,
    reuseAtEdge = true,
  ): number {
    let ret = 1;
    const ne = L.edgeClusters;
    const k = L.dirDim.length;
    const m = L.mapped;
    const u = L.unique;
    const mE = L.mappedEdge;
    const uE = L.uniqueEdge;
    if (psums) {
      for (let i = 0; i < k; i++) {
        const d = L.dirDim[i]!;
        if (t.mask & (1 << d)) continue;
        if (!L.dirSpatial[i]) {
          ret *= cs.isEdge[i] ? mE[d]! : m[d]!;
          continue;
        }
        const pos = cs.pos[i]!;
        if (pos === POS_INIT) {
          if (cs.isEdge[i] && ee) ret *= mE[d]!;
          else if (first) ret *= m[d]!;
          else if (u[d] !== 0) ret *= u[d]!;
        } else if (pos === POS_STEADY) {
          if (first) ret *= m[d]!;
          else if (u[d] !== 0) ret *= u[d]!;
        } else if (ne === 1 && (first || ee)) ret *= mE[d]!;
        else if (ne > 1) {
          if (ee) ret *= uE[d]!;
          else if (first) ret *= m[d]!;
          else if (u[d] !== 0) ret *= u[d]!;
        }
      }
    }
    for (const d of t.dims) {
      const i = L.dimDir[d]!;
      const a = d === DIM.Y ? DIM.YO : d === DIM.X ? DIM.XO : d;
      const pos = cs.pos[i]!;
      if (!L.dirSpatial[i]) {
        if (pos === POS_INIT) ret *= cs.isEdge[i] ? mE[a]! : m[a]!;
        else if (pos === POS_STEADY) ret *= m[a]!;
        else ret *= mE[a]!;
        continue;
      }
      if (pos === POS_INIT) {
        if (cs.isEdge[i] && ee) {
          if (ne === 1) ret *= mE[a]!;
          else ret *= reuseAtEdge ? uE[a]! : mE[a]!;
        } else if (first) ret *= m[a]!;
        else if (u[a] !== 0) ret *= u[a]!;
      } else if (pos === POS_STEADY) {
        if (first) ret *= m[a]!;
        else if (u[a] !== 0) ret *= u[a]!;
      } else if (ne === 1 && (first || ee)) {
        ret *= mE[d]!; // MAESTRO uses the input-coordinate edge size here
      } else if (ne > 1) {
        if (ee) ret *= uE[a]!;
        else if (first) ret *= m[a]!;
        else if (u[a] !== 0) ret *= u[a]!;
      }
    }
    return ret;
  }

  private spatialEgress(L: Level, cs: CaseState, t: TensorInfo): number {
    this.spatialOf(L, cs, t);
    if (this.spIdx < 0) return this.peEgress(L, cs, t, false, true, false);
    if (!this.spEdge)
      return (
        this.peEgress(L, cs, t, false, true, false) + (L.n - 1) * this.peEgress(L, cs, t, false, false, false)
      );
    const ne = L.edgeClusters;
    const hasEE = cs.hasEE[this.spIdx] === 1;
    let ret =
      ne === 1 && hasEE
        ? this.peEgress(L, cs, t, false, true, true)
        : this.peEgress(L, cs, t, false, true, false);
    if (ne > 1) {
      const nEE = hasEE ? 1 : 0;
      const nFull = Math.max(ne - nEE - 1, 0);
      ret +=
        nFull * this.peEgress(L, cs, t, false, false, false) +
        nEE * this.peEgress(L, cs, t, false, false, true);
    }
    return ret;
  }

  private criticalPathPartialSums(L: Level, cs: CaseState, t: TensorInfo): number {
    this.spatialOf(L, cs, t);
    if (this.spIdx < 0 || !this.spEdge) return this.peEgress(L, cs, t, true, true, false);
    const hasEE = cs.hasEE[this.spIdx] === 1;
    return this.peEgress(L, cs, t, true, true, L.edgeClusters === 1 && hasEE);
  }

  /** Partial sums (MACs) over all sub-clusters in this case (MAESTRO's GetOutputTensorSpatialMappingSize). */
  private outputSpatialMappingSize(L: Level, cs: CaseState, t: TensorInfo, psums: boolean): number {
    this.spatialOf(L, cs, t);
    let idx = this.spIdx;
    let edge = this.spEdge;
    if (psums) {
      for (let i = 0; i < L.dirDim.length; i++) {
        if (L.dirSpatial[i]) {
          idx = i;
          if (cs.isEdge[i]) edge = true;
        }
      }
    }
    const n = L.n;
    if (idx < 0 || !edge) return n * this.peEgress(L, cs, t, psums, true, false);
    const ne = L.edgeClusters;
    const hasEE = cs.hasEE[idx] === 1;
    let ret =
      ne === 1 && hasEE
        ? this.peEgress(L, cs, t, psums, true, true)
        : this.peEgress(L, cs, t, psums, true, false);
    if (ne > 1) {
      const nEE = hasEE ? 1 : 0;
      const nFull = Math.max(ne - nEE - 1, 0);
      ret +=
        nFull * this.peEgress(L, cs, t, psums, true, false) +
        nEE * this.peEgress(L, cs, t, psums, false, true, false);
    }
    return ret;
  }
}

class TopAccumulator {
  readonly l2Size = zeros(3);
  readonly l2Read = zeros(3);
  readonly l2Write = zeros(3);
  readonly l1Read = zeros(3);
  readonly l1Write = zeros(3);
  macs = 0;
}
