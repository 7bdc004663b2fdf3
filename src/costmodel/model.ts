/**
 * The cost model's public face: per (layer, core) runtime, buffer sizes, no-stall bandwidth,
 * MACs, utilisation and energy, computed in-process by the analysis engine and cached per
 * (dataflow, layer dims, PEs, cluster size).
 */
import { InputError, show } from '../core/errors.js';
import { type ComputeLayer, type ConvDims, layerMacs, toConvDims, validateLayer } from '../workload/layer.js';
import { BUILTIN_DATAFLOWS, DEPTHWISE_DATAFLOW } from './builtin-dataflows.js';
import { type ParsedDataflow, parseDataflow } from './dataflow-parser.js';
import { Engine, type EngineResult, type HardwareParams, MAGMA_HARDWARE } from './engine.js';
import { buildLevels, type CompiledDataflow, compileDataflow } from './levels.js';

/** MAESTRO's activity-count energy: nJ per MAC-energy unit and access costs in MAC units. */
const MAC_ENERGY_NJ = 0.00023;
const L2_ACCESS_ENERGY = 18.61;
const L1_ACCESS_ENERGY = 1.68;

export interface CoreConfig {
  /** Dataflow name: a built-in style (dla, shi, eye) or a registered dataflow. */
  readonly dataflow: string;
  readonly pes: number;
  readonly clusterSize: number;
}

export interface LayerCost {
  /** No-stall latency, cycles. */
  readonly runtime: number;
  /** Global (L2) and local (L1) buffer requirement, bytes (1 element = 1 byte). */
  readonly l2Bytes: number;
  readonly l1Bytes: number;
  /** No-stall bandwidth M3E uses: L2 / 2 / (runtime - 1), bytes per cycle. */
  readonly bandwidth: number;
  /** True multiply-accumulate count of the layer. */
  readonly macs: number;
  /** MACs as MAESTRO counts them (over- or under-counts at some edges; for comparison only). */
  readonly maestroMacs: number;
  /** macs / (PEs x runtime). */
  readonly utilization: number;
  /** MAESTRO's activity-count energy, nJ. */
  readonly energy: number;
  /** The dataflow actually used (depth-wise layers always use dpt). */
  readonly dataflow: string;
  /**
   * MAESTRO quirks that arise for this layer: `edge-tile` (a window larger than what is left
   * of a dimension), `second-spatial-map` (two SpatialMaps in one level), `occurrence-overflow`
   * (a case occurs more than 2^31 times). Corrected unless the model runs in MAESTRO-compatible
   * mode.
   */
  readonly quirks: readonly string[];
}

export interface CostModelOptions {
  /**
   * Reproduce MAESTRO's quirks on purpose (edge tiles of windows larger than what remains,
   * a second SpatialMap in one level as free parallelism). Default false: corrected.
   */
  readonly maestroCompat?: boolean;
  readonly hardware?: HardwareParams;
}

function checkPositiveInt(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new InputError(`${what} must be a positive integer, got ${show(v)}`);
  return v;
}

export class CostModel {
  readonly maestroCompat: boolean;
  private readonly hardware: HardwareParams;
  private readonly dataflows = new Map<string, ParsedDataflow>();
  private readonly cache = new Map<string, LayerCost>();
  private readonly compiled = new Map<string, CompiledDataflow>();

  constructor(opts: CostModelOptions = {}) {
    this.maestroCompat = opts.maestroCompat ?? false;
    this.hardware = opts.hardware ?? MAGMA_HARDWARE;
    for (const [name, text] of Object.entries(BUILTIN_DATAFLOWS))
      this.dataflows.set(name, parseDataflow(text, name));
  }

  /** Registers a dataflow under `name` (parse errors name the line and column). */
  registerDataflow(name: string, text: string): void {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name))
      throw new InputError(`dataflow name must be an identifier, got ${show(name)}`);
    if (name in BUILTIN_DATAFLOWS)
      throw new InputError(`dataflow "${name}" is built in and cannot be redefined`);
    const parsed = parseDataflow(text, name);
    // Structural errors surface now rather than at the first layer.
    compileDataflow(parsed, 'CONV');
    this.dataflows.set(name, parsed);
    for (const key of this.cache.keys()) if (key.startsWith(`${name}|`)) this.cache.delete(key);
    this.compiled.delete(`${name}|CONV`);
    this.compiled.delete(`${name}|DSCONV`);
  }

  hasDataflow(name: string): boolean {
    return this.dataflows.has(name);
  }

  dataflowNames(): string[] {
    return [...this.dataflows.keys()];
  }

  /** The parsed dataflow, for callers that need to inspect it (e.g. whether it uses ClusterSz). */
  dataflow(name: string): ParsedDataflow {
    const df = this.dataflows.get(name);
    if (!df)
      throw new InputError(`unknown dataflow style ${show(name)}; known: ${this.dataflowNames().join(', ')}`);
    return df;
  }

  /** Dataflow used for `layer` on a core of dataflow `style`. */
  dataflowFor(layer: ComputeLayer, style: string): string {
    return layer.kind === 'dwconv' ? DEPTHWISE_DATAFLOW : style;
  }

  /** Raw engine results (MAESTRO's quantities) for MAESTRO-level dims. */
  engineResult(dataflow: string, dims: ConvDims, pes: number, clusterSize: number): EngineResult {
    const ckey = `${dataflow}|${dims.type}`;
    let cdf = this.compiled.get(ckey);
    if (!cdf) {
      cdf = compileDataflow(this.dataflow(dataflow), dims.type);
      this.compiled.set(ckey, cdf);
    }
    checkPositiveInt(pes, 'PE count');
    checkPositiveInt(clusterSize, 'cluster size');
    for (const k of ['K', 'C', 'Y', 'X', 'R', 'S'] as const)
      checkPositiveInt(dims[k], `layer dimension ${k}`);
    if (dims.Y < dims.R || dims.X < dims.S) {
      throw new InputError(`filter ${dims.R}x${dims.S} is larger than the input ${dims.Y}x${dims.X}`);
    }
    const structure = buildLevels(cdf, dims, { pes, clusterSize, edgeTileQuirk: this.maestroCompat });
    return new Engine(structure, {
      hardware: this.hardware,
      freeSecondSpatialMap: this.maestroCompat,
      int32Occurrences: this.maestroCompat,
    }).run();
  }

  /** Cost of `layer` on a core; cached. */
  analyze(layer: ComputeLayer, core: CoreConfig): LayerCost {
    validateLayer(layer, 'layer'); // positive integer dims, filter within the input
    const dataflow = this.dataflowFor(layer, core.dataflow);
    const dims = toConvDims(layer);
    const key = `${dataflow}|${dims.type}|${dims.K},${dims.C},${dims.Y},${dims.X},${dims.R},${dims.S}|${core.pes}|${core.clusterSize}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const r = this.engineResult(dataflow, dims, core.pes, core.clusterSize);
    const macs = layerMacs(layer);
    if (!(r.runtime > 1))
      throw new InputError(`the cost model gives a runtime of ${r.runtime} cycles for ${key}`);
    if (!(r.l2 >= 0)) {
      throw new InputError(
        `MAESTRO's model gives a negative L2 size (${r.l2} bytes) for ${key}${this.maestroCompat ? ' (MAESTRO-compatible mode; the default mode corrects this)' : ''}`,
      );
    }
    const quirks: string[] = [];
    if (r.quirks.edgeTile) quirks.push('edge-tile');
    if (r.quirks.secondSpatialMap) quirks.push('second-spatial-map');
    if (r.quirks.occurrenceOverflow) quirks.push('occurrence-overflow');
    const cost: LayerCost = {
      runtime: r.runtime,
      l2Bytes: r.l2,
      l1Bytes: r.l1,
      bandwidth: r.l2 / 2 / (r.runtime - 1),
      macs,
      maestroMacs: r.maestroMacs,
      utilization: macs / (core.pes * r.runtime),
      energy: maestroEnergy(r),
      dataflow,
      quirks,
    };
    this.cache.set(key, cost);
    return cost;
  }
}

/**
 * MAESTRO's "Activity count-based Energy (nJ)": L2 reads of inputs and weights, L2 writes of
 * all three tensors; L1 accesses only for single-level dataflows (MAESTRO reads its L1
 * counters before setting them when there are several levels); MAC energy never added.
 */
export function maestroEnergy(r: EngineResult): number {
  let units =
    L2_ACCESS_ENERGY * (r.l2Read[0]! + r.l2Write[0]! + r.l2Read[1]! + r.l2Write[1]! + r.l2Write[2]!);
  if (r.numLevels === 1) {
    let l1 = 0;
    for (let t = 0; t < 3; t++) l1 += r.l1Read[t]! + r.l1Write[t]!;
    units += L1_ACCESS_ENERGY * l1;
  }
  return MAC_ENERGY_NJ * units;
}
