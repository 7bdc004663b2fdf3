import { makeTable } from '../../src/core/table.js';

/**
 * The 3-job, 2-core table the hand-computed environment cases use (lower bound 19 cycles;
 * job 2 needs no bandwidth on core 0).
 */
export const SMALL_TABLE = makeTable({
  systemBandwidth: 10,
  latency: [
    [10, 20],
    [30, 15],
    [5, 5],
  ],
  bandwidth: [
    [4, 2],
    [20, 10],
    [0, 8],
  ],
});
