import { describe, expect, it } from 'vitest';
import { lowerBound } from '../../src/core/bounds.js';
import { Rng } from '../../src/core/rng.js';
import { synthTable } from '../../src/core/synth.js';
import { makeTable } from '../../src/core/table.js';
import { Magma, magmaParams, sortedGenes } from '../../src/optim/magma.js';
import type { Candidate } from '../../src/optim/optimizer.js';
import { resolveParams } from '../../src/optim/params.js';
import { createOptimizer } from '../../src/optim/registry.js';
import { makespanObjective, runSearch } from '../../src/optim/search.js';

const size = { numJobs: 12, numCores: 4 };
const settings = (over: Record<string, unknown>) => resolveParams('magma', magmaParams, over, size);

/** Asks and tells one whole generation; returns copies of the candidates. */
function generation(opt: Magma, n: number, cost: (c: Candidate) => number) {
  const out: { core: number[]; priority: number[] }[] = [];
  const cands = Array.from({ length: n }, () => opt.ask());
  for (const c of cands) out.push({ core: Array.from(c.core), priority: Array.from(c.priority) });
  for (const c of cands) opt.tell(c, cost(c));
  return out;
}

describe('MAGMA', () => {
  it('uses the authors defaults (population = jobs, elite 0.05, parents 0.1, rates 0.9/0.1/0.1/0.05)', () => {
    const s = resolveParams('magma', magmaParams, {}, { numJobs: 100, numCores: 4 });
    expect(s).toEqual({
      population: 100,
      eliteRatio: 0.05,
      parentRatio: 0.1,
      crossoverGenRate: 0.9,
      crossoverRgRate: 0.1,
      crossoverAccelRate: 0.1,
      mutationRate: 0.05,
      init: 'random',
      geneOrder: 'auto',
      crossover: 'exchange',
      firstGeneration: 'evaluated',
      elites: 'carried',
    });
  });

  it('carries elites over without re-evaluating them', () => {
    const opt = new Magma(size, new Rng(1), settings({ population: 20, eliteRatio: 0.1 }));
    generation(opt, 20, (c) => c.core[0]! + 1);
    // Generation 1 has 2 elites: only 18 new candidates to evaluate.
    generation(opt, 18, (c) => c.core[0]! + 1);
    for (let i = 0; i < 18; i++) opt.ask();
    expect(() => opt.ask()).toThrow(/pending; tell them first/);
  });

  it('crossover-gen really exchanges: each pair of children is complementary to two parents', () => {
    // Only crossover-gen (rate 1), no other operator, no elites: every child pair (a, b) must
    // satisfy {a[j], b[j]} = {dad[j], mom[j]} at every gene for some pair of parents, with a != b.
    // The authors' aliasing slip would give a one-way paste instead.
    const opt = new Magma(
      size,
      new Rng(3),
      settings({
        population: 10,
        eliteRatio: 0,
        crossoverGenRate: 1,
        crossoverRgRate: 0,
        crossoverAccelRate: 0,
        mutationRate: 0,
      }),
    );
    const parents = generation(opt, 10, (c) => c.priority[0]! * 100 + 1);
    const children = generation(opt, 10, () => 1);
    const genes = (x: { core: number[]; priority: number[] }) => [...x.core, ...x.priority];
    for (let k = 0; k < 10; k += 2) {
      const a = genes(children[k]!);
      const b = genes(children[k + 1]!);
      expect(a).not.toEqual(b);
      const found = parents.some((d) =>
        parents.some((m) => {
          const dg = genes(d);
          const mg = genes(m);
          return a.every((_, j) => (a[j] === dg[j] && b[j] === mg[j]) || (a[j] === mg[j] && b[j] === dg[j]));
        }),
      );
      expect(found).toBe(true);
    }
  });

  it('crossover-rg keeps each job (core, priority) pair together', () => {
    const opt = new Magma(
      size,
      new Rng(4),
      settings({
        population: 10,
        eliteRatio: 0,
        crossoverGenRate: 0,
        crossoverRgRate: 1,
        crossoverAccelRate: 0,
        mutationRate: 0,
      }),
    );
    const parents = generation(opt, 10, (c) => c.priority[0]! * 100 + 1);
    const children = generation(opt, 10, () => 1);
    for (const ch of children) {
      for (let j = 0; j < size.numJobs; j++) {
        expect(parents.some((p) => p.core[j] === ch.core[j] && p.priority[j] === ch.priority[j])).toBe(true);
      }
    }
  });

  it('rejects hyper-parameters out of range with the name and value', () => {
    expect(() => createOptimizer('magma', size, 1, { mutationRate: 0.9 })).toThrow(
      /magma: mutationRate must be in \[0, 0.5\], got 0.9/,
    );
    expect(() => createOptimizer('magma', size, 1, { population: 2.5 })).toThrow(
      /population must be an integer/,
    );
  });

  it('beats random search and the standard GA at equal budget on scarce bandwidth (mean over 3 seeds)', () => {
    const mean = (name: string) => {
      let s = 0;
      for (const seed of [1, 2, 3]) {
        const table = synthTable({ jobs: 100, cores: 4, bwRatio: 0.25, seed });
        s +=
          runSearch(makespanObjective(table), createOptimizer(name, table, seed), { budget: 5000 }).cost /
          lowerBound(table);
      }
      return s / 3;
    };
    const magma = mean('magma');
    expect(magma).toBeLessThan(mean('random'));
    expect(magma).toBeLessThan(mean('ga'));
  });
});

describe("MAGMA: the authors' release variants", () => {
  const only = (over: Record<string, unknown>) =>
    settings({
      population: 10,
      eliteRatio: 0,
      crossoverGenRate: 0,
      crossoverRgRate: 0,
      crossoverAccelRate: 0,
      mutationRate: 0,
      crossover: 'authors',
      ...over,
    });
  const genes = (x: { core: number[]; priority: number[] }) => [...x.core, ...x.priority];

  it("crossover-gen 'authors' pastes one way: the second child is a copy of a parent", () => {
    const opt = new Magma(size, new Rng(3), only({ crossoverGenRate: 1 }));
    const parents = generation(opt, 10, (c) => c.priority[0]! * 100 + 1).map(genes);
    const children = generation(opt, 10, () => 1).map(genes);
    let pasted = 0;
    for (let k = 0; k < 10; k += 2) {
      const [a, b] = [children[k]!, children[k + 1]!];
      expect(parents).toContainEqual(b);
      // The first child is the first parent with a run of the donor's genes in one section.
      const dad = parents.find((d) => a.every((x, j) => x === d[j] || x === b[j]));
      expect(dad).toBeDefined();
      if (a.some((x, j) => x !== dad![j])) pasted++;
    }
    expect(pasted).toBeGreaterThan(0);
  });

  it("crossover-rg 'authors' gives two identical children from two parents", () => {
    const opt = new Magma(size, new Rng(4), only({ crossoverRgRate: 1 }));
    const parents = generation(opt, 10, (c) => c.priority[0]! * 100 + 1);
    const children = generation(opt, 10, () => 1);
    for (let k = 0; k < 10; k += 2) {
      expect(genes(children[k]!)).toEqual(genes(children[k + 1]!));
      for (let j = 0; j < size.numJobs; j++) {
        const ch = children[k]!;
        expect(parents.some((p) => p.core[j] === ch.core[j] && p.priority[j] === ch.priority[j])).toBe(true);
      }
    }
  });

  it("elites 'reevaluated': population + elites evaluations per generation, the elites first", () => {
    const opt = new Magma(
      size,
      new Rng(5),
      settings({ population: 20, eliteRatio: 0.1, elites: 'reevaluated' }),
    );
    const first = generation(opt, 22, (c) => c.core[0]! + c.priority[0]! + 1);
    const cost = (x: { core: number[]; priority: number[] }) => x.core[0]! + x.priority[0]! + 1;
    const best = [...first]
      .sort((x, y) => cost(x) - cost(y))
      .slice(0, 2)
      .map(genes);
    const second = generation(opt, 22, (c) => c.core[0]! + 1);
    expect(second.slice(0, 2).map(genes)).toEqual(best);
    expect(() => {
      for (let i = 0; i < 23; i++) opt.ask();
    }).toThrow(/pending; tell them first/);
  });

  it("firstGeneration 'blind': the random start is bred, not asked", () => {
    // With no operator at all, children are copies of random individuals: a blind start asks
    // copies of the initial population; an evaluated one asks the population itself first.
    const rng = () => new Rng(6);
    const blind = new Magma(size, rng(), only({ firstGeneration: 'blind' }));
    const evaluated = new Magma(size, rng(), only({}));
    const a = generation(blind, 10, () => 1).map(genes);
    const b = generation(evaluated, 10, () => 1).map(genes);
    for (const x of a) expect(b).toContainEqual(x);
    expect(a).not.toEqual(b);
  });

  it("geneOrder 'sorted' orders jobs by latency on the last core, then the one before, down to core 2", () => {
    const table = makeTable({
      systemBandwidth: 1,
      latency: [
        [1, 1, 5, 2],
        [9, 9, 1, 2],
        [1, 1, 3, 1],
        [2, 2, 2, 2],
      ],
      bandwidth: Array.from({ length: 4 }, () => [1, 1, 1, 1]),
    });
    expect(Array.from(sortedGenes(table))).toEqual([2, 1, 3, 0]);
    expect(() => sortedGenes(size)).toThrow(/needs the job table/);
  });
});

describe('nextMutation (geometric gene skipping)', () => {
  it('mutates each gene with the given probability', async () => {
    const { nextMutation } = await import('../../src/optim/generational.js');
    const rng = new Rng(5);
    const genes = 200;
    const hits = new Array(genes).fill(0);
    const trials = 20_000;
    for (let t = 0; t < trials; t++)
      for (let g = nextMutation(-1, 0.05, rng); g < genes; g = nextMutation(g, 0.05, rng)) hits[g]++;
    const total = hits.reduce((a, b) => a + b, 0);
    expect(total / trials).toBeCloseTo(genes * 0.05, 0);
    // Uniform over positions: first and last quarter get about the same share.
    const q = (a: number, b: number) => hits.slice(a, b).reduce((x, y) => x + y, 0);
    expect(Math.abs(q(0, 50) / q(150, 200) - 1)).toBeLessThan(0.05);
    expect(nextMutation(3, 0, rng)).toBe(Number.POSITIVE_INFINITY);
    expect(nextMutation(3, 1, rng)).toBe(4);
  });
});
