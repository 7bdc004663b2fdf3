/**
 * Flexible cores: the PE count is fixed but the cluster size (array
 * shape) is chosen per job. Candidates follow the authors' search: for dla, the cluster
 * sizes that divide C; for shi, 2 .. X-S+1; eye keeps its cluster size; a platform-defined
 * dataflow that uses ClusterSz tries the divisors of the PE count. The core's own cluster
 * size is always a candidate.
 */
import { InputError } from '../core/errors.js';
import { closedForm } from '../costmodel/closed-forms.js';
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
      const last = Math.min(d.X - d.S + 1, core.pes - 1);
      list = last >= 2 ? new Array<number>(last - 1) : [];
      for (let c = 2; c <= last; c++) list[c - 2] = c;
      break;
    }
    case 'eye':
      list = [];
      break;
    default:
      list = usesClusterSize ? divisors(core.pes, core.pes) : [];
  }
  // Insert the core's own size in order (the lists are ascending).
  const own = core.clusterSize;
  let at = 0;
  while (at < list.length && list[at]! < own) at++;
  if (list[at] !== own) list.splice(at, 0, own);
  return list;
}

export interface FlexibleChoice {
  readonly cost: LayerCost;
  readonly clusterSize: number;
  /** Candidates analysed (for reports and benchmarks). */
  readonly tried: number;
}

interface Scored {
  readonly cs: number;
  readonly runtime: number;
  readonly l2: number;
  readonly l1: number;
}

const better = (a: Scored, b: Scored): boolean =>
  a.runtime < b.runtime || (a.runtime === b.runtime && a.l2 / (a.runtime - 1) < b.l2 / (b.runtime - 1));

/**
 * Picks the cluster size with the lowest latency whose L2 need fits `sgBytes` (and L1 need
 * fits the core's slBytes, if set); ties go to lower bandwidth, then the smaller size.
 * Candidates are ranked with the closed forms where they apply (thousands of times faster
 * than the engine); the winner is always costed by the engine, and if the engine disagrees
 * with its closed form, every candidate is re-ranked with the engine.
 */
export function chooseClusterSize(
  model: CostModel,
  layer: ComputeLayer,
  core: CoreSpec,
  sgBytes: number,
  usesClusterSize: boolean,
): FlexibleChoice {
  const candidates = candidateClusterSizes(layer, core, usesClusterSize);
  const dims = toConvDims(layer);
  const dataflow = model.dataflowFor(layer, core.style);
  const engine = (cs: number): LayerCost =>
    model.analyze(layer, { dataflow: core.style, pes: core.pes, clusterSize: cs });
  const fits = (s: Scored) => s.l2 <= sgBytes && (core.slBytes === undefined || s.l1 <= core.slBytes);
  // A candidate the model cannot cost (e.g. MAESTRO's negative L2 in compatible mode) is
  // skipped; if every candidate fails, the first failure is reported.
  let firstError: InputError | undefined;
  const rank = (score: (cs: number) => Scored): { best?: Scored; smallestL2: number } => {
    let best: Scored | undefined;
    let smallestL2 = Number.POSITIVE_INFINITY;
    for (const cs of candidates) {
      let s: Scored;
      try {
        s = score(cs);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        firstError ??= new InputError(`cluster size ${cs}: ${e.message}`);
        continue;
      }
      smallestL2 = Math.min(smallestL2, s.l2);
      if (fits(s) && (!best || better(s, best))) best = s;
    }
    return best ? { best, smallestL2 } : { smallestL2 };
  };
  const fromEngine = (cs: number): Scored => {
    const c = engine(cs);
    return { cs, runtime: c.runtime, l2: c.l2Bytes, l1: c.l1Bytes };
  };
  const quick = (cs: number): Scored => {
    const f = closedForm(dataflow, dims, core.pes, cs);
    return f ? { cs, ...f } : fromEngine(cs);
  };
  let ranked = rank(model.maestroCompat ? fromEngine : quick);
  if (ranked.best) {
    const cost = engine(ranked.best.cs);
    if (cost.runtime === ranked.best.runtime && cost.l2Bytes === ranked.best.l2) {
      return { cost, clusterSize: ranked.best.cs, tried: candidates.length };
    }
    ranked = rank(fromEngine); // a closed form disagreed with the engine: trust the engine
  }
  if (!ranked.best) {
    if (firstError && ranked.smallestL2 === Number.POSITIVE_INFINITY) throw firstError;
    throw new InputError(
      `${describeLayer(layer)} on core ${core.name}: no cluster size fits the global scratchpad of ${sgBytes} bytes (smallest L2 need ${ranked.smallestL2} bytes); raise sgBytes`,
    );
  }
  return { cost: engine(ranked.best.cs), clusterSize: ranked.best.cs, tried: candidates.length };
}
