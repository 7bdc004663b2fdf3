// Hand-computed tables shared by the bound, exact-mapper and heuristic tests.
import { type JobTable, makeTable } from '../../src/core/table.js';

/**
 * 3 jobs x 2 cores, bandwidth never binding. Job 0 is fast on core 0, job 2 on core 1, job 1
 * takes 2 anywhere: the best mapping is {0}, {1, 2} with loads 4 and 5 (optimum 5; the simple
 * bound is 4.5; mean latencies 6, 2, 4.5).
 */
export function balanceTable(): JobTable {
  return makeTable({
    systemBandwidth: 100,
    latency: [
      [4, 8],
      [2, 2],
      [6, 3],
    ],
    bandwidth: [
      [1, 1],
      [1, 1],
      [1, 1],
    ],
  });
}

/**
 * 2 jobs x 2 identical cores at B = 1. Job 0: L 10, W 0.5 (compute-bound); job 1: L 2, W 5
 * (memory-bound: 10 cycles of bytes, 8 beyond its latency). Apart: both run at f = 1 / 5.5
 * until job 1 ends at 11, job 0 (2 of 10 done) finishes alone at 19 (the optimum). Together
 * on one core: 10 + 10 = 20. The plain relaxation gives 15 (loads 10 and 10, bytes 5 + 10);
 * the progress clock on job 0's core 10 + 8 = 18.
 */
export function contentionTable(): JobTable {
  return makeTable({
    systemBandwidth: 1,
    latency: [
      [10, 10],
      [2, 2],
    ],
    bandwidth: [
      [0.5, 0.5],
      [5, 5],
    ],
  });
}
