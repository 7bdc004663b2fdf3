/**
 * Flexible cores (spec m3e.md section 1): the PE count is fixed but the cluster size (array
 * shape) is chosen per job. Candidates follow the authors' search: for dla, the cluster
 * sizes that divide C; for shi, 2 .. X-S+1; eye keeps its cluster size; a platform-defined
 * dataflow that uses ClusterSz tries the divisors of the PE count. The core's own cluster
 * size is always a candidate.
 */
import { InputError } from '../core/errors.js';
import type { CostModel, LayerCost } from '../costmodel/model.js';
import type { CoreSpec } from '../platform/platform.js';
import { type ComputeLayer, describeLayer, toConvDims } from '../workload/layer.js';

function divisors(n: number, max: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= Math.min(n, max); d++) if (n % d === 0) out.push(d);
  return out;
}

/** Cluster sizes to try for `layer` on `core` (ascending, the core's own included). */
export function candidateClusterSizes(
  layer: ComputeLayer,
  core: CoreSpec,
  usesClusterSize: boolean,
): number[] {
  const d = toConvDims(layer);
  let list: number[];
  switch (core.style) {
    case 'dla':
      list = divisors(d.C, core.pes - 1);
      break;
    case 'shi': {
      list = [];
      for (let c = 2; c <= Math.min(d.X - d.S + 1, core.pes - 1); c++) list.push(c);
      break;
    }
    case 'eye':
      list = [];
      break;
    default:
      list = usesClusterSize ? divisors(core.pes, core.pes) : [];
  }
  return [...new Set([...list, core.clusterSize])].sort((a, b) => a - b);
}

export interface FlexibleChoice {
  readonly cost: LayerCost;
  readonly clusterSize: number;
  /** Candidates analysed (for reports and benchmarks). */
  readonly tried: number;
}

/**
 * Picks the cluster size with the lowest latency whose L2 need fits `sgBytes` (and L1 need
 * fits the core's slBytes, if set); ties go to lower bandwidth, then the smaller size.
 */
export function chooseClusterSize(
  model: CostModel,
  layer: ComputeLayer,
  core: CoreSpec,
  sgBytes: number,
  usesClusterSize: boolean,
): FlexibleChoice {
  const candidates = candidateClusterSizes(layer, core, usesClusterSize);
  let best: { cost: LayerCost; cs: number } | undefined;
  let smallestL2 = Number.POSITIVE_INFINITY;
  for (const cs of candidates) {
    const cost = model.analyze(layer, { dataflow: core.style, pes: core.pes, clusterSize: cs });
    smallestL2 = Math.min(smallestL2, cost.l2Bytes);
    if (cost.l2Bytes > sgBytes) continue;
    if (core.slBytes !== undefined && cost.l1Bytes > core.slBytes) continue;
    if (
      !best ||
      cost.runtime < best.cost.runtime ||
      (cost.runtime === best.cost.runtime && cost.bandwidth < best.cost.bandwidth)
    ) {
      best = { cost, cs };
    }
  }
  if (!best) {
    throw new InputError(
      `${describeLayer(layer)} on core ${core.name}: no cluster size fits the global scratchpad of ${sgBytes} bytes (smallest L2 need ${smallestL2} bytes); raise sgBytes`,
    );
  }
  return { cost: best.cost, clusterSize: best.cs, tried: candidates.length };
}
