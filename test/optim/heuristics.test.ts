// Heuristic mappers on hand-computed small tables: which core runs which jobs, in what order.
import { describe, expect, it } from 'vitest';
import type { Encoding } from '../../src/core/encoding.js';
import { Evaluator } from '../../src/core/evaluator.js';
import { synthTable } from '../../src/core/synth.js';
import { makeTable } from '../../src/core/table.js';
import { aiMtMapping } from '../../src/optim/heuristics/ai-mt.js';
import { heraldMapping } from '../../src/optim/heuristics/herald.js';
import {
  coreChoices,
  jobOrders,
  listSchedule,
  meanLatency,
} from '../../src/optim/heuristics/list-scheduling.js';
import { createOptimizer, listOptimizers } from '../../src/optim/registry.js';
import { makespanObjective, runSearch } from '../../src/optim/search.js';
import { balanceTable } from '../helpers/tables.js';

/** 3 jobs x 2 cores; mean latencies 6, 2, 4.5. */
const small = balanceTable();

function queues(table: typeof small, enc: Encoding): number[][] {
  return new Evaluator(table).queues(enc);
}

describe('list scheduling', () => {
  it('orders jobs FCFS, SJF and HEFT (by mean latency)', () => {
    expect(Array.from(meanLatency(small))).toEqual([6, 2, 4.5]);
    expect(Array.from(jobOrders.fcfs(small))).toEqual([0, 1, 2]);
    expect(Array.from(jobOrders.sjf(small))).toEqual([1, 2, 0]);
    expect(Array.from(jobOrders.heft(small))).toEqual([0, 2, 1]);
  });

  it.each([
    // job k -> core k mod 2
    ['fcfs', 'rr', [[0, 2], [1]]],
    // fastest core, ties to the lower index: 0 -> c0, 1 -> c0 (2 = 2), 2 -> c1
    ['fcfs', 'met', [[0, 1], [2]]],
    // 1 -> c0 (loads 0, 0), 2 -> c1 (2 > 0), 0 -> c0 (2 < 3)
    ['sjf', 'greedy', [[1, 0], [2]]],
    // 0 -> c0 (finish 4 < 8), 2 -> c1 (3 < 10), 1 -> c1 (5 < 6)
    ['heft', 'heft', [[0], [2, 1]]],
  ] as const)('%s order with %s cores', (order, choice, expected) => {
    const enc = listSchedule(small, jobOrders[order](small), coreChoices[choice]);
    expect(queues(small, enc)).toEqual(expected);
  });

  it('registers all 12 combinations as heuristics', () => {
    const names = listOptimizers()
      .filter((s) => s.family === 'heuristic')
      .map((s) => s.name);
    for (const o of ['fcfs', 'sjf', 'heft'])
      for (const c of ['greedy', 'rr', 'met', 'heft']) expect(names).toContain(`${o}-${c}`);
    expect(names).toContain('herald');
    expect(names).toContain('ai-mt');
  });
});

describe('Herald-like', () => {
  it('sends every job to its best core, then balances, keeping FCFS order', () => {
    // Core 0 is best for all four jobs (1 vs 2 cycles): all on core 0 (load 4); moving
    // job 0 to core 1 gives loads (3, 2); moving another would give (2, 4): stop.
    const t = makeTable({
      systemBandwidth: 100,
      latency: [
        [1, 2],
        [1, 2],
        [1, 2],
        [1, 2],
      ],
      bandwidth: [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ],
    });
    const enc = heraldMapping(t);
    expect(queues(t, enc)).toEqual([[1, 2, 3], [0]]);
    expect(new Evaluator(t).evaluate(enc).makespan).toBe(3);
  });

  it('leaves a single core alone', () => {
    const t = synthTable({ jobs: 5, cores: 1, bwRatio: 1, seed: 1 });
    expect(queues(t, heraldMapping(t))).toEqual([[0, 1, 2, 3, 4]]);
  });
});

describe('AI-MT-like', () => {
  it('fills the unused bandwidth when a core frees, pairing memory- and compute-bound jobs', () => {
    // B = 10. t=0: core 0 takes job 2 (W 9, closest to 10); core 1 sees 1 unused: job 3 (W 1).
    // t=10: both free; core 0 sees 10 unused: job 0 (W 8); core 1 sees 2 unused: job 1 (W 2).
    const t = makeTable({
      systemBandwidth: 10,
      latency: [
        [10, 10],
        [10, 10],
        [10, 10],
        [10, 10],
      ],
      bandwidth: [
        [8, 8],
        [2, 2],
        [9, 9],
        [1, 1],
      ],
    });
    expect(queues(t, aiMtMapping(t))).toEqual([
      [2, 0],
      [3, 1],
    ]);
  });
});

describe('heuristics as optimisers', () => {
  const table = synthTable({ jobs: 12, cores: 3, bwRatio: 0.5, seed: 8 });
  const heuristics = listOptimizers().filter((s) => s.family === 'heuristic');

  it.each(heuristics.map((s) => [s.name]))(
    '%s evaluates one mapping, ignores the seed, then is done',
    (name) => {
      const a = createOptimizer(name, table, 1);
      expect(a.done).toBe(false);
      const res = runSearch(makespanObjective(table), a, { budget: 100 });
      expect(res.evaluations).toBe(1);
      expect(a.done).toBe(true);
      const b = runSearch(makespanObjective(table), createOptimizer(name, table, 2), { budget: 1 });
      expect(Array.from(b.best.core)).toEqual(Array.from(res.best.core));
      expect(Array.from(b.best.priority)).toEqual(Array.from(res.best.priority));
    },
  );

  it('needs the job table, not only its size', () => {
    expect(() => createOptimizer('herald', { numJobs: 3, numCores: 2 }, 1)).toThrow(/job table/);
  });

  it('proposes the same mapping if asked again, and rejects foreign candidates', () => {
    const opt = createOptimizer('sjf-heft', table, 1);
    const c = opt.ask();
    opt.tell(c, 5);
    const again = opt.ask();
    expect(Array.from(again.core)).toEqual(Array.from(c.core));
    expect(() => opt.tell({ ...again }, 5)).toThrow(/not asked/);
  });
});
