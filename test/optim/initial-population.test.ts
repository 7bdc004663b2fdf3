// MAGMA's and the GA's `init` hyper-parameter: 'random' (the authors', unchanged) or
// 'heuristic' (the first generation starts from the heuristics' mappings).
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { Evaluator } from '../../src/core/evaluator.js';
import { synthTable } from '../../src/core/synth.js';
import { type JobTable, makeTable } from '../../src/core/table.js';
import { heuristicSpecs } from '../../src/optim/heuristics/index.js';
import { initialSeeds } from '../../src/optim/initial-population.js';
import type { Optimizer } from '../../src/optim/optimizer.js';
import { parseParamString } from '../../src/optim/params.js';
import { createOptimizer, getOptimizerSpec } from '../../src/optim/registry.js';
import { makespanObjective, runSearch } from '../../src/optim/search.js';
import { gaParams } from '../../src/optim/standard-ga.js';

/**
 * 12 unit jobs on 3 fast cores and one core 10x slower, bandwidth plentiful (demand 1 per
 * job against 1e6), so the makespan is the largest sum of latencies on a core. By hand:
 * the optimum is 4 (four jobs per fast core, none on the slow one, which alone takes 10 per
 * job), and HEFT-HEFT finds it (each job goes to the earliest-finishing core: a fast core
 * finishes at most at 4 < 10). A random mapping puts some job on the slow core with
 * probability 1 - (3/4)^12 = 97%, so a random first generation of 12 almost never has 4.
 */
const SLOW = 10;
const slowCoreTable: JobTable = makeTable({
  systemBandwidth: 1e6,
  latency: Array.from({ length: 12 }, () => [1, 1, 1, SLOW]),
  bandwidth: Array.from({ length: 12 }, () => [1, 1, 1, 1]),
});
const OPTIMUM = 4;

/** The best makespan any registered heuristic reaches on `table`. */
function bestHeuristic(table: JobTable): number {
  const ev = new Evaluator(table);
  return Math.min(...heuristicSpecs.map((s) => ev.evaluate(s.map(table)).makespan));
}

/** Asks and tells one whole first generation of `n`; returns its best cost. */
function firstGeneration(opt: Optimizer, table: JobTable, n: number): number {
  const ev = new Evaluator(table);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const c = opt.ask();
    const cost = ev.makespan(c.core, c.priority);
    opt.tell(c, cost);
    best = Math.min(best, cost);
  }
  return best;
}

describe.each([
  ['magma', 12],
  ['ga', gaParams.population.default],
] as const)("%s with init 'heuristic'", (name, population) => {
  it('has the best heuristic mapping in its first generation (hand-checked table)', () => {
    expect(bestHeuristic(slowCoreTable)).toBe(OPTIMUM);
    const seeded = createOptimizer(name, slowCoreTable, 1, { init: 'heuristic' });
    expect(firstGeneration(seeded, slowCoreTable, population)).toBe(OPTIMUM);
    // The same first generation drawn at random misses it: the table tells them apart.
    const random = createOptimizer(name, slowCoreTable, 1);
    expect(firstGeneration(random, slowCoreTable, population)).toBeGreaterThan(OPTIMUM);
  });

  it('asks the heuristic mappings first, so even a tiny budget gets the best estimated one', () => {
    const res = runSearch(
      makespanObjective(slowCoreTable),
      createOptimizer(name, slowCoreTable, 2, { init: 'heuristic' }),
      { budget: 1 },
    );
    expect(res.cost).toBe(OPTIMUM);
  });

  it('never ends worse than the best heuristic (synthetic tables, several seeds)', () => {
    for (const seed of [1, 2, 3]) {
      const table = synthTable({ jobs: 40, cores: 4, bwRatio: 0.5, seed, heterogeneity: 0.8 });
      const res = runSearch(
        makespanObjective(table),
        createOptimizer(name, table, seed, { init: 'heuristic' }),
        { budget: 600 },
      );
      expect(res.cost).toBeLessThanOrEqual(bestHeuristic(table));
    }
  });

  it('needs the job table: a bare problem size is a clear error', () => {
    expect(() => createOptimizer(name, { numJobs: 12, numCores: 4 }, 1, { init: 'heuristic' })).toThrow(
      new RegExp(`^${name}: init "heuristic" needs the job table`),
    );
    // The default needs only the size, as before.
    expect(() => createOptimizer(name, { numJobs: 12, numCores: 4 }, 1)).not.toThrow();
  });

  it('rejects a bad init value with a one-line InputError naming the field and the value', () => {
    const fromConfig = (): unknown => createOptimizer(name, slowCoreTable, 1, { init: 'greedy' });
    expect(fromConfig).toThrow(InputError);
    expect(fromConfig).toThrow(`${name}: init must be one of "random", "heuristic", got "greedy"`);
    const fromCli = (): unknown => parseParamString(name, getOptimizerSpec(name).params, 'init', 'greedy');
    expect(fromCli).toThrow(InputError);
    expect(fromCli).toThrow(`${name}: init must be one of random, heuristic, got "greedy"`);
    for (const f of [fromConfig, fromCli]) {
      try {
        f();
      } catch (e) {
        expect((e as Error).message).not.toContain('\n');
      }
    }
  });
});

describe('initial seeds', () => {
  it("are none for 'random', which needs no table", () => {
    expect(initialSeeds('magma', 'random', { numJobs: 12, numCores: 4 }, 12)).toEqual([]);
  });

  it('are the distinct heuristic mappings, best estimated first, at most half the population', () => {
    const table = synthTable({ jobs: 30, cores: 4, bwRatio: 1, seed: 5, heterogeneity: 0.8 });
    const seeds = initialSeeds('magma', 'heuristic', table, 100);
    const key = (e: { core: Int32Array; priority: Float64Array }) =>
      `${Array.from(e.core)}|${Array.from(e.priority)}`;
    const distinct = new Set(heuristicSpecs.map((s) => key(s.map(table))));
    expect(seeds.map(key)).toHaveLength(distinct.size);
    expect(new Set(seeds.map(key))).toEqual(distinct);
    // Best estimated first: the largest no-stall core load never decreases along the list.
    const load = (core: Int32Array) => {
      const l = new Float64Array(table.numCores);
      core.forEach((c, j) => {
        l[c]! += table.latency[j * table.numCores + c]!;
      });
      return Math.max(...l);
    };
    for (let k = 1; k < seeds.length; k++)
      expect(load(seeds[k]!.core)).toBeGreaterThanOrEqual(load(seeds[k - 1]!.core));
    // A tiny population keeps half of itself random: the two best estimated seeds.
    expect(initialSeeds('magma', 'heuristic', table, 4).map(key)).toEqual(seeds.slice(0, 2).map(key));
  });

  it('fill the first slots of the first generation, random individuals the rest', () => {
    const seeds = initialSeeds('magma', 'heuristic', slowCoreTable, 12);
    const opt = createOptimizer('magma', slowCoreTable, 4, { init: 'heuristic' });
    const asked = Array.from({ length: 12 }, () => {
      const c = opt.ask();
      return { core: Array.from(c.core), priority: Array.from(c.priority) };
    });
    seeds.forEach((s, i) => {
      expect(asked[i]!.core).toEqual(Array.from(s.core));
      expect(asked[i]!.priority).toEqual(Array.from(s.priority));
    });
    // Random individuals draw fresh priorities, never the heuristics' k / J spacing.
    for (const a of asked.slice(seeds.length))
      expect(a.priority.some((p) => !Number.isInteger(p * 12))).toBe(true);
  });
});

describe("default init 'random' is the authors' algorithm, unchanged", () => {
  it("MAGMA's default sorts the genes as the authors do when it has the job table", () => {
    const t = synthTable({ jobs: 20, cores: 4, bwRatio: 0.5, seed: 7 });
    const run = (params: Record<string, unknown>) =>
      runSearch(makespanObjective(t), createOptimizer('magma', t, 42, params), { budget: 400 }).history;
    expect(run({})).toEqual(run({ geneOrder: 'sorted' }));
    expect(run({})).not.toEqual(run({ geneOrder: 'jobs' }));
  });

  /**
   * Recorded from main's code before `init` existed (commit d8046d2): MAGMA and the GA with
   * default parameters, optimiser seed 42, 400 evaluations on this table.
   */
  const table = synthTable({ jobs: 20, cores: 4, bwRatio: 0.5, seed: 7 });
  const recorded = {
    magma: { cost: 100794.14877935775, core: [1, 1, 2, 3, 0, 3, 2, 3, 3, 0, 3, 0, 3, 2, 1, 2, 2, 3, 3, 2] },
    ga: { cost: 117556.83359797395, core: [2, 0, 2, 0, 0, 3, 2, 0, 2, 2, 3, 0, 1, 2, 1, 3, 1, 3, 2, 2] },
  };

  // MAGMA's default gene order became the authors' sorted one (docs/magma.md): the recorded
  // run is MAGMA with the table's gene order, its default when it was recorded.
  const before: Record<string, Record<string, unknown>> = { magma: { geneOrder: 'jobs' }, ga: {} };

  it.each(['magma', 'ga'] as const)('%s gives the recorded run', (name) => {
    const res = runSearch(makespanObjective(table), createOptimizer(name, table, 42, before[name]), {
      budget: 400,
    });
    expect(res.cost).toBe(recorded[name].cost);
    expect(Array.from(res.best.core)).toEqual(recorded[name].core);
    const explicit = runSearch(
      makespanObjective(table),
      createOptimizer(name, table, 42, { ...before[name], init: 'random' }),
      {
        budget: 400,
      },
    );
    expect(explicit.history).toEqual(res.history);
  });
});
