/**
 * AI-MT-like mapper, our adaptation of AI-MT (Baek et al., ISCA 2020), which interleaves
 * memory-bound and compute-bound work so that both the memory bandwidth and the compute
 * stay busy. List scheduling in time: whenever a core frees (the earliest-free core, lowest
 * index on ties), it takes the unscheduled job whose no-stall bandwidth on that core best
 * fills the system bandwidth left unused by the jobs still running on the other cores,
 * i.e. minimises |unused - W[j][c]| (ties: lower job index). When the others already use
 * all of it, that is the job with the smallest bandwidth, so memory-bound jobs pair with
 * compute-bound ones. Its model of time is the no-stall latency; the evaluator then scores
 * the mapping with real bandwidth sharing.
 */
import { type Encoding, encodingFromOrder } from '../../core/encoding.js';
import type { JobTable } from '../../core/table.js';
import { heuristicSpec } from './fixed-mapping.js';

export function aiMtMapping(table: JobTable): Encoding {
  const { numJobs: J, numCores: C, latency: L, bandwidth: W, systemBandwidth: B } = table;
  const freeAt = new Float64Array(C);
  const runningW = new Float64Array(C);
  const scheduled = new Uint8Array(J);
  const assignment: [number, number][] = [];
  for (let k = 0; k < J; k++) {
    let c = 0;
    for (let d = 1; d < C; d++) if (freeAt[d]! < freeAt[c]!) c = d;
    const t = freeAt[c]!;
    let used = 0;
    for (let d = 0; d < C; d++) if (d !== c && freeAt[d]! > t) used += runningW[d]!;
    const unused = B - used;
    let pick = -1;
    let gap = Number.POSITIVE_INFINITY;
    for (let j = 0; j < J; j++) {
      if (scheduled[j]) continue;
      const g = Math.abs(unused - W[j * C + c]!);
      if (g < gap) {
        gap = g;
        pick = j;
      }
    }
    scheduled[pick] = 1;
    freeAt[c] = t + L[pick * C + c]!;
    runningW[c] = W[pick * C + c]!;
    assignment.push([pick, c]);
  }
  return encodingFromOrder(J, assignment);
}

export const aiMtSpec = heuristicSpec(
  'ai-mt',
  'AI-MT-like: when a core frees, run the job whose bandwidth best fills the unused system bandwidth.',
  'adapted from AI-MT (Baek et al., ISCA 2020) as the MAGMA paper does; no-stall latencies as its time model',
  aiMtMapping,
);
