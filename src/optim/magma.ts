/**
 * MAGMA (Kao & Krishna, HPCA 2022), the genetic algorithm M3E searches with. Per generation,
 * in this order (as the paper describes them):
 *  1. crossover-gen (per pair of children): one section (cores or priorities), one cut point,
 *     the genes after the cut exchanged between the two children;
 *  2. crossover-rg (per pair): one cut point, both sections exchanged after it, so each job
 *     keeps its (core, priority) pair;
 *  3. crossover-accel (per child): copy from another parent every job it runs on a random
 *     core a (both genes); jobs the child ran on a that the parent did not get a random core;
 *  4. mutation (per gene): a random core id or a fresh random priority.
 * Elites are carried over unchanged (and not re-evaluated); parents are the best
 * `parentRatio` of the population (all of it when breeding from the random first
 * generation), drawn without replacement with weight max_cost - cost + 1.
 *
 * As in the authors' release, the genes are ordered by the jobs' latencies (geneOrder
 * 'sorted', the default on a job table), so one-point cuts fall between groups of similar
 * jobs; the ablation against their release found it the one feature that helps
 * (docs/magma.md). Differences from their release, on purpose: the exchanges really exchange
 * (their array aliasing made crossover-gen a one-way paste and crossover-rg give two identical
 * children), the first generation is evaluated, elites are not re-evaluated, and odd population
 * sizes work; each of their choices is a documented switch (crossover, firstGeneration,
 * elites, geneOrder).
 *
 * Extension, off by default: `init: 'heuristic'` starts the first generation from the
 * mappings of every registered heuristic (list scheduling, Herald-like, AI-MT-like, relax) and
 * random individuals (initial-population.ts); it needs the job table as the problem size.
 * The authors' random start puts ~1/C of the jobs on each core, which on a platform with one
 * much slower core (S2) leaves MAGMA on a balanced plateau far above what list scheduling
 * finds; seeded, it refines the heuristics' mappings instead. It helps where
 * the heuristics are good (S2), and can hurt a little where they are poor and MAGMA's own
 * exploration wins (S6 at 1 B/cycle): bench/results/compare/magma-seed.md.
 */

import type { Encoding } from '../core/encoding.js';
import { InputError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { GenerationalOptimizer, nextMutation, weightedPick } from './generational.js';
import { isJobTable } from './heuristics/fixed-mapping.js';
import { initialSeeds, initParam } from './initial-population.js';
import type { OptimizerSpec, ProblemSize } from './optimizer.js';
import type { ParamValues } from './params.js';

export const magmaParams = {
  population: {
    type: 'int',
    low: 4,
    high: 100_000,
    log: true,
    default: (s: ProblemSize) => Math.max(4, s.numJobs),
    // Tuned within budgets of a few thousand evaluations: beyond ~1000 a run is a few generations.
    tuneRange: [8, 1000],
    description: 'individuals per generation (authors: number of jobs)',
  },
  eliteRatio: {
    type: 'float',
    low: 0,
    high: 0.5,
    default: 0.05,
    description: 'share of the population carried over unchanged',
  },
  parentRatio: {
    type: 'float',
    low: 0.01,
    high: 1,
    default: 0.1,
    description: 'share of the population (the best) used as parents',
  },
  crossoverGenRate: {
    type: 'float',
    low: 0,
    high: 1,
    default: 0.9,
    description: 'probability of crossover-gen per pair of children',
  },
  crossoverRgRate: {
    type: 'float',
    low: 0,
    high: 1,
    default: 0.1,
    description: 'probability of crossover-rg per pair of children',
  },
  crossoverAccelRate: {
    type: 'float',
    low: 0,
    high: 1,
    default: 0.1,
    description: 'probability of crossover-accel per child',
  },
  mutationRate: {
    type: 'float',
    low: 0,
    high: 0.5,
    default: 0.05,
    description: 'probability of mutation per gene',
  },
  init: initParam,
  geneOrder: {
    type: 'categorical',
    tune: false,
    choices: ['auto', 'sorted', 'jobs'],
    default: 'auto',
    description:
      "order of the genes the one-point crossovers cut: 'sorted' as the authors' release (stably by latency on the last core, then the one before, down to core 2; needs the job table), 'jobs' (table order), 'auto' (sorted when created with the job table, else jobs)",
  },
  crossover: {
    type: 'categorical',
    tune: false,
    choices: ['exchange', 'authors'],
    default: 'exchange',
    description:
      "'exchange': crossovers swap the genes after the cut between two children; 'authors': their release's effective operators (crossover-gen pastes one way, crossover-rg gives two identical children, crossover-accel breeds a fresh child from two parents)",
  },
  firstGeneration: {
    type: 'categorical',
    tune: false,
    choices: ['evaluated', 'blind'],
    default: 'evaluated',
    description:
      "'evaluated': the first, random generation is evaluated and bred by cost; 'blind' (the authors'): it is bred without evaluation, every individual a parent with equal weight",
  },
  elites: {
    type: 'categorical',
    tune: false,
    choices: ['carried', 'reevaluated'],
    default: 'carried',
    description:
      "'carried': elites keep their cost (population evaluations per generation, elites included); 'reevaluated' (the authors'): elites are evaluated again beside population new children",
  },
} as const;

export type MagmaSettings = ParamValues<typeof magmaParams>;

export class Magma extends GenerationalOptimizer {
  readonly name = 'magma';
  private readonly elites: number;
  private readonly parents: number;
  private readonly weights: Float64Array;
  private readonly pool: Int32Array;
  /** Partner row for an odd last child, so it too gets a real exchange. */
  private readonly spareCore: Int32Array;
  private readonly sparePriority: Float64Array;
  /** Job at each gene position (the order one-point crossovers cut). */
  private readonly genes: Int32Array;

  /**
   * @param extraSeeds individuals the first generation starts with before those of `init`
   *   (the exact mapper seeds it with the relaxation's mappings); at most half the population
   *   is seeded in all.
   */
  constructor(
    size: ProblemSize,
    rng: Rng,
    private readonly settings: MagmaSettings,
    extraSeeds: readonly Encoding[] = [],
  ) {
    const reevaluated = settings.elites === 'reevaluated';
    const elites = Math.floor(settings.population * settings.eliteRatio);
    // Re-evaluated elites are evaluated beside `population` children, as in the authors' GA.
    const generationSize = reevaluated ? settings.population + elites : settings.population;
    const own = initialSeeds('magma', settings.init, size, generationSize);
    const seeds = extraSeeds.length
      ? [...extraSeeds, ...own].slice(0, Math.max(1, Math.floor(generationSize / 2)))
      : own;
    super(size, generationSize, rng, seeds);
    this.elites = elites;
    if (this.elites >= this.P) throw new InputError('magma: eliteRatio leaves no room for children');
    this.parents = Math.max(2, Math.floor(settings.population * settings.parentRatio));
    this.weights = new Float64Array(this.P);
    this.pool = new Int32Array(this.P);
    this.spareCore = new Int32Array(this.J);
    this.sparePriority = new Float64Array(this.J);
    const sorted = settings.geneOrder === 'sorted' || (settings.geneOrder === 'auto' && isJobTable(size));
    this.genes = sorted ? sortedGenes(size) : Int32Array.from({ length: this.J }, (_, i) => i);
    if (settings.firstGeneration === 'blind') this.breedUnevaluated();
  }

  protected breed(): number {
    const { P, settings } = this;
    const order = this.ranked();
    const cost = this.current.cost;
    // A blind first generation has no costs to carry.
    const carry =
      settings.elites === 'carried' && !(this.generation === 0 && settings.firstGeneration === 'blind');
    for (let e = 0; e < this.elites; e++) this.copyToNext(order[e]!, e, carry);

    // Parent pool and selection weights.
    const nPool = this.generation === 0 ? P : Math.min(P, this.parents);
    const worst = cost[order[nPool - 1]!]!;
    for (let k = 0; k < nPool; k++) {
      this.pool[k] = order[k]!;
      this.weights[k] = worst - cost[order[k]!]! + 1;
    }
    if (settings.crossover === 'authors') this.breedAsAuthors(nPool);
    else this.breedExchanging(nPool);
    return carry ? this.elites : 0;
  }

  /** Children slot s of the next generation: views of its cores and priorities. */
  private child(s: number): [Int32Array, Float64Array] {
    const J = this.J;
    return [
      this.nextPop.core.subarray(s * J, (s + 1) * J),
      this.nextPop.priority.subarray(s * J, (s + 1) * J),
    ];
  }

  private breedExchanging(nPool: number): void {
    const { P, J, rng, settings } = this;
    for (let s = this.elites; s < P; s += 2) {
      const a = weightedPick(this.weights, nPool, -1, rng);
      const b = weightedPick(this.weights, nPool, nPool > 1 ? a : -1, rng);
      this.copyToNext(this.pool[a]!, s, false);
      const pair = s + 1 < P;
      let coreB: Int32Array;
      let prioB: Float64Array;
      if (pair) {
        this.copyToNext(this.pool[b]!, s + 1, false);
        [coreB, prioB] = this.child(s + 1);
      } else {
        const from = this.pool[b]! * J;
        this.spareCore.set(this.current.core.subarray(from, from + J));
        this.sparePriority.set(this.current.priority.subarray(from, from + J));
        coreB = this.spareCore;
        prioB = this.sparePriority;
      }
      const [coreA, prioA] = this.child(s);
      if (J > 1 && rng.float() < settings.crossoverGenRate) {
        const cut = 1 + rng.int(J - 1);
        if (rng.float() < 0.5) swapGenes(coreA, coreB, this.genes, cut, J);
        else swapGenes(prioA, prioB, this.genes, cut, J);
      }
      if (J > 1 && rng.float() < settings.crossoverRgRate) {
        const cut = 1 + rng.int(J - 1);
        swapGenes(coreA, coreB, this.genes, cut, J);
        swapGenes(prioA, prioB, this.genes, cut, J);
      }
    }

    for (let s = this.elites; s < P; s++) {
      const [core, prio] = this.child(s);
      if (this.C > 1 && rng.float() < settings.crossoverAccelRate) {
        const donor = this.pool[weightedPick(this.weights, nPool, -1, rng)]! * J;
        this.crossoverAccel(core, prio, donor);
      }
      this.mutate(core, prio);
    }
  }

  /**
   * The authors' release as it runs (numpy views make its exchanges one-way): for every pair
   * of children, two parents and crossover-gen pasting one parent's segment of one section
   * into a copy of the other (the second child is a copy of the donor); then crossover-rg
   * replacing a pair by two copies of [mom's genes before the cut | dad's after]; then
   * crossover-accel replacing a child by dad with mom's jobs of one core (dad's other jobs
   * there move to a random core, possibly the same); then mutation.
   */
  private breedAsAuthors(nPool: number): void {
    const { P, J, C, rng, settings, genes } = this;
    const pick2 = (): [number, number] => {
      const a = weightedPick(this.weights, nPool, -1, rng);
      const b = weightedPick(this.weights, nPool, nPool > 1 ? a : -1, rng);
      return [this.pool[a]!, this.pool[b]!];
    };
    for (let s = this.elites; s < P; s += 2) {
      const [dad, mom] = pick2();
      this.copyToNext(dad, s, false);
      if (s + 1 < P) this.copyToNext(mom, s + 1, false);
      if (rng.float() < settings.crossoverGenRate) {
        const [core, prio] = this.child(s);
        const from = mom * J;
        const section = rng.float() < 0.5 ? 0 : 1;
        const point = rng.int(J);
        const [lo, hi] = point < Math.floor(J / 2) ? [0, point] : [point, J];
        for (let i = lo; i < hi; i++) {
          const g = genes[i]!;
          if (section === 0) core[g] = this.current.core[from + g]!;
          else prio[g] = this.current.priority[from + g]!;
        }
      }
    }
    for (let s = this.elites; s < P; s += 2) {
      if (!(rng.float() < settings.crossoverRgRate)) continue;
      const [dad, mom] = pick2();
      const point = rng.int(J);
      for (const t of [s, s + 1]) {
        if (t >= P) continue;
        this.copyToNext(dad, t, false);
        const [core, prio] = this.child(t);
        for (let i = 0; i < point; i++) {
          const g = genes[i]!;
          core[g] = this.current.core[mom * J + g]!;
          prio[g] = this.current.priority[mom * J + g]!;
        }
      }
    }
    for (let s = this.elites; s < P; s++) {
      if (!(rng.float() < settings.crossoverAccelRate)) continue;
      const [dad, mom] = pick2();
      this.copyToNext(dad, s, false);
      const [core, prio] = this.child(s);
      const a = rng.int(C);
      for (let j = 0; j < J; j++) {
        const momOnA = this.current.core[mom * J + j] === a;
        if (momOnA && core[j] === a) continue;
        if (momOnA) {
          core[j] = a;
          prio[j] = this.current.priority[mom * J + j]!;
        } else if (core[j] === a) core[j] = rng.int(C);
      }
    }
    for (let s = this.elites; s < P; s++) {
      const [core, prio] = this.child(s);
      this.mutate(core, prio);
    }
  }

  private crossoverAccel(core: Int32Array, prio: Float64Array, donor: number): void {
    const { J, C, rng } = this;
    const dCore = this.current.core;
    const dPrio = this.current.priority;
    const a = rng.int(C);
    for (let j = 0; j < J; j++) {
      if (dCore[donor + j] === a) {
        core[j] = a;
        prio[j] = dPrio[donor + j]!;
      } else if (core[j] === a) {
        // Any core but a, uniformly.
        const r = rng.int(C - 1);
        core[j] = r >= a ? r + 1 : r;
      }
    }
  }

  private mutate(core: Int32Array, prio: Float64Array): void {
    const { J, C, rng } = this;
    // Genes 0..J-1 are cores, J..2J-1 priorities; each mutates with probability `rate`.
    const rate = this.settings.mutationRate;
    for (let g = nextMutation(-1, rate, rng); g < 2 * J; g = nextMutation(g, rate, rng)) {
      if (g < J) core[g] = rng.int(C);
      else prio[g - J] = rng.float();
    }
  }
}

/** Exchanges the genes at positions cut..J-1 (in `genes` order) between a and b. */
function swapGenes(
  a: Int32Array | Float64Array,
  b: Int32Array | Float64Array,
  genes: Int32Array,
  cut: number,
  J: number,
): void {
  for (let i = cut; i < J; i++) {
    const g = genes[i]!;
    const t = a[g]!;
    a[g] = b[g]!;
    b[g] = t;
  }
}

/**
 * The authors' gene order: jobs sorted stably by (latency on the last core, then on the one
 * before, ..., down to core 2), so similar jobs sit next to each other and a one-point cut
 * separates groups of them.
 */
export function sortedGenes(size: ProblemSize): Int32Array {
  if (!isJobTable(size)) {
    throw new InputError(
      'magma: geneOrder "sorted" needs the job table (it sorts by latency): create it with the JobTable, not a bare {numJobs, numCores}',
    );
  }
  const { numJobs: J, numCores: C, latency } = size;
  const idx = Array.from({ length: J }, (_, j) => j);
  idx.sort((x, y) => {
    for (let c = C - 1; c >= 2; c--) {
      const d = latency[x * C + c]! - latency[y * C + c]!;
      if (d !== 0) return d;
    }
    return x - y;
  });
  return Int32Array.from(idx);
}

export const magmaSpec: OptimizerSpec<typeof magmaParams> = {
  name: 'magma',
  description: 'MAGMA genetic algorithm: crossover-gen, crossover-rg, crossover-accel, mutation, elitism.',
  reference:
    "Kao & Krishna, HPCA 2022; defaults from the authors' release (population = jobs, elite 0.05, parents 0.1, rates 0.9/0.1/0.1/0.05)",
  family: 'evolutionary',
  params: magmaParams,
  create: (size, rng, params) => new Magma(size, rng, params),
};
