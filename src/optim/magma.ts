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
 * Differences from the authors' release, on purpose: the exchanges really exchange (their
 * array aliasing made crossover-gen a one-way paste and crossover-rg give two identical
 * children), and odd population sizes work.
 *
 * Extension, off by default: `init: 'heuristic'` starts the first generation from the
 * mappings of every registered heuristic (list scheduling, Herald-like, AI-MT-like) and
 * random individuals (initial-population.ts); it needs the job table as the problem size.
 * The authors' random start puts ~1/C of the jobs on each core, which on a platform with one
 * much slower core (S2) leaves MAGMA on a balanced plateau far above what list scheduling
 * finds; seeded, it refines the heuristics' mappings instead. It helps where
 * the heuristics are good (S2), and can hurt a little where they are poor and MAGMA's own
 * exploration wins (S6 at 1 B/cycle): bench/results/compare/magma-seed.md.
 */
import { InputError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { GenerationalOptimizer, nextMutation, weightedPick } from './generational.js';
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

  constructor(
    size: ProblemSize,
    rng: Rng,
    private readonly settings: MagmaSettings,
  ) {
    super(size, settings.population, rng, initialSeeds('magma', settings.init, size, settings.population));
    this.elites = Math.floor(settings.population * settings.eliteRatio);
    if (this.elites >= settings.population)
      throw new InputError('magma: eliteRatio leaves no room for children');
    this.parents = Math.max(2, Math.floor(settings.population * settings.parentRatio));
    this.weights = new Float64Array(settings.population);
    this.pool = new Int32Array(settings.population);
    this.spareCore = new Int32Array(this.J);
    this.sparePriority = new Float64Array(this.J);
  }

  protected breed(): number {
    const { P, J, rng, settings } = this;
    const order = this.ranked();
    const cost = this.current.cost;
    for (let e = 0; e < this.elites; e++) this.copyToNext(order[e]!, e, true);

    // Parent pool and selection weights.
    const nPool = this.generation === 0 ? P : Math.min(P, this.parents);
    const worst = cost[order[nPool - 1]!]!;
    for (let k = 0; k < nPool; k++) {
      this.pool[k] = order[k]!;
      this.weights[k] = worst - cost[order[k]!]! + 1;
    }

    const next = this.nextPop;
    for (let s = this.elites; s < P; s += 2) {
      const a = weightedPick(this.weights, nPool, -1, rng);
      const b = weightedPick(this.weights, nPool, nPool > 1 ? a : -1, rng);
      this.copyToNext(this.pool[a]!, s, false);
      const pair = s + 1 < P;
      let coreB: Int32Array;
      let prioB: Float64Array;
      if (pair) {
        this.copyToNext(this.pool[b]!, s + 1, false);
        coreB = next.core.subarray((s + 1) * J, (s + 2) * J);
        prioB = next.priority.subarray((s + 1) * J, (s + 2) * J);
      } else {
        const from = this.pool[b]! * J;
        this.spareCore.set(this.current.core.subarray(from, from + J));
        this.sparePriority.set(this.current.priority.subarray(from, from + J));
        coreB = this.spareCore;
        prioB = this.sparePriority;
      }
      const coreA = next.core.subarray(s * J, (s + 1) * J);
      const prioA = next.priority.subarray(s * J, (s + 1) * J);
      if (J > 1 && rng.float() < settings.crossoverGenRate) {
        const cut = 1 + rng.int(J - 1);
        if (rng.float() < 0.5) swapTail(coreA, coreB, cut);
        else swapTail(prioA, prioB, cut);
      }
      if (J > 1 && rng.float() < settings.crossoverRgRate) {
        const cut = 1 + rng.int(J - 1);
        swapTail(coreA, coreB, cut);
        swapTail(prioA, prioB, cut);
      }
    }

    for (let s = this.elites; s < P; s++) {
      const core = next.core.subarray(s * J, (s + 1) * J);
      const prio = next.priority.subarray(s * J, (s + 1) * J);
      if (this.C > 1 && rng.float() < settings.crossoverAccelRate) {
        const donor = this.pool[weightedPick(this.weights, nPool, -1, rng)]! * J;
        this.crossoverAccel(core, prio, donor);
      }
      this.mutate(core, prio);
    }
    return this.elites;
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

function swapTail(a: Int32Array | Float64Array, b: Int32Array | Float64Array, cut: number): void {
  for (let i = cut; i < a.length; i++) {
    const t = a[i]!;
    a[i] = b[i]!;
    b[i] = t;
  }
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
