/**
 * The paper's host program: cut a queue of DNN inference requests into dependency-free
 * groups that run one after another.
 *
 * Each micro-batch of a request is a chain of stages (its layers in order); a stage holds
 * one job, or several identical independent ones (the heads of an attention product). A
 * stage depends on the whole previous stage of its chain, so a group may take a stage's
 * jobs only when the previous stage lies entirely in earlier groups; chains (other requests,
 * other micro-batches) are independent. Every group takes all the ready jobs it may, up to
 * `groupSize`, so it holds at least C jobs whenever the queue has C ready jobs and
 * groupSize >= C.
 *
 * Orders, when more jobs are ready than fit:
 * - `breadth-first`: one job per chain in turn (round robin, resuming where the previous
 *   group stopped), so all requests progress together;
 * - `fill`: queue order: the earliest request's ready stage first, then the next request's,
 *   filling the group to its size, so early requests finish first.
 */
import { InputError, show } from '../src/core/errors.js';
import type { Job } from '../src/workload/layer.js';
import type { ConvEncoding } from './convert.js';
import { buildNetwork, findModel, type ModelOptions, networkLayerJobs } from './zoo.js';

export interface Chain {
  readonly label: string;
  readonly stages: readonly (readonly Job[])[];
}

export type GroupOrder = 'breadth-first' | 'fill';
export const GROUP_ORDERS: readonly GroupOrder[] = ['breadth-first', 'fill'];

export interface GroupingOptions {
  /** Most jobs per group (default: no limit: every ready job). */
  readonly groupSize?: number;
  readonly order?: GroupOrder;
}

/** Cuts chains into groups; every job appears in exactly one group. */
export function groupChains(chains: readonly Chain[], opts: GroupingOptions = {}): Job[][] {
  const cap = opts.groupSize ?? Number.POSITIVE_INFINITY;
  if (!(cap >= 1) || (cap !== Number.POSITIVE_INFINITY && !Number.isInteger(cap))) {
    throw new InputError(`group size must be a positive integer, got ${show(opts.groupSize)}`);
  }
  const order = opts.order ?? 'breadth-first';
  const n = chains.length;
  const stage = new Int32Array(n); // current stage of each chain
  const taken = new Int32Array(n); // jobs of the current stage already placed
  const live = (i: number) => stage[i]! < chains[i]!.stages.length;
  for (let i = 0; i < n; i++) {
    chains[i]!.stages.forEach((s, k) => {
      if (s.length === 0) throw new RangeError(`chain ${chains[i]!.label} stage ${k} is empty`);
    });
  }
  const groups: Job[][] = [];
  let cursor = 0; // breadth-first: the chain to serve first
  for (;;) {
    const ready: number[] = [];
    for (let k = 0; k < n; k++) {
      const i = order === 'breadth-first' ? (cursor + k) % n : k;
      if (live(i)) ready.push(i);
    }
    if (ready.length === 0) break;
    const group: Job[] = [];
    const left = (i: number) => chains[i]!.stages[stage[i]!]!.length - taken[i]!;
    const take = (i: number, count: number) => {
      const jobs = chains[i]!.stages[stage[i]!]!;
      for (let c = 0; c < count; c++) group.push(jobs[taken[i]! + c]!);
      taken[i] = taken[i]! + count;
    };
    if (order === 'fill') {
      for (const i of ready) {
        if (group.length >= cap) break;
        take(i, Math.min(left(i), cap - group.length));
      }
    } else {
      let progress = true;
      let last = ready[0]!;
      while (group.length < cap && progress) {
        progress = false;
        for (const i of ready) {
          if (group.length >= cap) break;
          if (left(i) > 0) {
            take(i, 1);
            last = i;
            progress = true;
          }
        }
      }
      cursor = (last + 1) % n;
    }
    // A stage whose jobs are all placed frees the chain's next stage for the next group.
    for (const i of ready) {
      if (left(i) === 0) {
        stage[i] = stage[i]! + 1;
        taken[i] = 0;
      }
    }
    groups.push(group);
  }
  return groups;
}

/** One line of a request queue: `count` requests of a model, each on `batch` samples. */
export interface RequestSpec {
  readonly model: string;
  readonly count?: number;
  readonly batch?: number;
  /**
   * Samples per micro-batch; micro-batches are independent chains. Vision models take one
   * image per micro-batch (convolutions have no batch dimension); others default to the
   * whole batch.
   */
  readonly microBatch?: number;
  readonly resolution?: number;
  readonly tokens?: number;
}

/** Upper bound on requests x micro-batches, against typos. */
export const MAX_CHAINS = 100_000;

/**
 * The chains of a request queue. Requests are labelled `<model>#<k>` (k counts the model's
 * requests in queue order), with `.mb<i>` when a request has several micro-batches.
 */
export function requestChains(
  requests: readonly RequestSpec[],
  encoding: ConvEncoding,
  where = 'requests',
): Chain[] {
  const chains: Chain[] = [];
  const perModel = new Map<string, number>();
  requests.forEach((r, idx) => {
    const at = `${where}[${idx}]`;
    const entry = findModel(r.model, `${at}.model`);
    const count = positive(r.count ?? 1, `${at}.count`);
    const batch = positive(r.batch ?? 1, `${at}.batch`);
    const vision = entry.task === 'vision';
    const micro = positive(r.microBatch ?? (vision ? 1 : batch), `${at}.microBatch`);
    if (vision && micro !== 1) {
      throw new InputError(`${at}.microBatch: vision models take one image per micro-batch, got ${micro}`);
    }
    if (micro > batch) throw new InputError(`${at}.microBatch ${micro} exceeds batch ${batch}`);
    const sizes: number[] = [];
    for (let left = batch; left > 0; left -= micro) sizes.push(Math.min(micro, left));
    if (chains.length + count * sizes.length > MAX_CHAINS) {
      throw new InputError(`${where}: more than ${MAX_CHAINS} request micro-batches; reduce count or batch`);
    }
    // Networks are built once per distinct micro-batch size and shared by the requests.
    const stagesBySize = new Map<number, (label: string) => Job[][]>();
    const stagesFor = (size: number) => {
      let f = stagesBySize.get(size);
      if (!f) {
        const opts: ModelOptions = {
          ...(r.resolution !== undefined ? { resolution: r.resolution } : {}),
          ...(r.tokens !== undefined ? { tokens: r.tokens } : {}),
          batch: size,
        };
        const net = buildNetwork(entry.name, opts, at);
        const template = networkLayerJobs(net, encoding, '');
        f = (label) => template.map((lj) => lj.jobs.map((j) => ({ ...j, name: `${label}${j.name}` })));
        stagesBySize.set(size, f);
      }
      return f;
    };
    for (let c = 0; c < count; c++) {
      const k = perModel.get(entry.name) ?? 0;
      perModel.set(entry.name, k + 1);
      sizes.forEach((size, mb) => {
        const label = `${entry.name}#${k}${sizes.length > 1 ? `.mb${mb}` : ''}`;
        chains.push({ label, stages: stagesFor(size)(label) });
      });
    }
  });
  return chains;
}

function positive(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 1)
    throw new InputError(`${what} must be a positive integer, got ${show(v)}`);
  return v;
}

/**
 * Parses the CLI's request list `model[:count][@batch]` joined by commas, e.g.
 * `resnet50:4,bert-base:2@8,dlrm` (4 ResNet-50 requests, 2 BERT-base requests on 8
 * sequences each, one DLRM request).
 */
export function parseRequestList(text: string, flag = '--requests'): RequestSpec[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new InputError(`${flag}: no requests given, e.g. "resnet50:4,bert-base:2"`);
  return items.map((item) => {
    const m = /^([^:@\s]+)(?::(\d+))?(?:@(\d+))?$/.exec(item);
    if (!m)
      throw new InputError(`${flag}: "${item}" must look like model[:count][@batch], e.g. resnet50:4@1`);
    return {
      model: m[1]!,
      ...(m[2] !== undefined ? { count: Number(m[2]) } : {}),
      ...(m[3] !== undefined ? { batch: Number(m[3]) } : {}),
    };
  });
}
