/**
 * A standard genetic algorithm on the same encoding, without MAGMA's operators: the genome
 * is the concatenation cores ++ priorities; binary tournament selection, generic one-point
 * crossover over the whole genome, per-gene uniform mutation, one elite. Textbook defaults
 * (Goldberg; mutation 1 / genome length). `init: 'heuristic'` seeds the first generation
 * with the heuristics' mappings, as for MAGMA (initial-population.ts).
 */
import type { Rng } from '../core/rng.js';
import { GenerationalOptimizer, nextMutation } from './generational.js';
import { initialSeeds, initParam } from './initial-population.js';
import type { OptimizerSpec, ProblemSize } from './optimizer.js';
import type { ParamValues } from './params.js';

export const gaParams = {
  population: {
    type: 'int',
    low: 4,
    high: 100_000,
    log: true,
    default: 100,
    tuneRange: [8, 1000],
    description: 'individuals per generation',
  },
  crossoverRate: {
    type: 'float',
    low: 0,
    high: 1,
    default: 0.8,
    description: 'probability of one-point crossover per pair',
  },
  mutationRate: {
    type: 'float',
    low: 0,
    high: 0.5,
    default: (s: ProblemSize) => 1 / (2 * s.numJobs),
    description: 'probability of mutation per gene (default 1 / genome length)',
  },
  tournament: {
    type: 'int',
    low: 1,
    high: 16,
    default: 2,
    description: 'tournament size for parent selection',
  },
  elites: {
    type: 'int',
    low: 0,
    high: 100,
    default: 1,
    description: 'best individuals carried over unchanged',
  },
  init: initParam,
} as const;

export type GaSettings = ParamValues<typeof gaParams>;

export class StandardGa extends GenerationalOptimizer {
  readonly name = 'ga';
  private readonly nElites: number;

  constructor(
    size: ProblemSize,
    rng: Rng,
    private readonly settings: GaSettings,
  ) {
    super(size, settings.population, rng, initialSeeds('ga', settings.init, size, settings.population));
    this.nElites = Math.min(settings.elites, settings.population - 1);
  }

  private tournament(): number {
    const cost = this.current.cost;
    let best = this.rng.int(this.P);
    for (let k = 1; k < this.settings.tournament; k++) {
      const c = this.rng.int(this.P);
      if (cost[c]! < cost[best]!) best = c;
    }
    return best;
  }

  protected breed(): number {
    const { P, J, C, rng, settings } = this;
    const order = this.ranked();
    for (let e = 0; e < this.nElites; e++) this.copyToNext(order[e]!, e, true);
    const next = this.nextPop;
    const genome = 2 * J;
    for (let s = this.nElites; s < P; s += 2) {
      const a = this.tournament();
      const b = this.tournament();
      this.copyToNext(a, s, false);
      if (s + 1 < P) this.copyToNext(b, s + 1, false);
      if (s + 1 < P && genome > 1 && rng.float() < settings.crossoverRate) {
        const cut = 1 + rng.int(genome - 1);
        for (let g = cut; g < genome; g++) {
          if (g < J) {
            const t = next.core[s * J + g]!;
            next.core[s * J + g] = next.core[(s + 1) * J + g]!;
            next.core[(s + 1) * J + g] = t;
          } else {
            const i = g - J;
            const t = next.priority[s * J + i]!;
            next.priority[s * J + i] = next.priority[(s + 1) * J + i]!;
            next.priority[(s + 1) * J + i] = t;
          }
        }
      }
    }
    const rate = settings.mutationRate;
    for (let s = this.nElites; s < P; s++) {
      for (let g = nextMutation(-1, rate, rng); g < genome; g = nextMutation(g, rate, rng)) {
        if (g < J) next.core[s * J + g] = rng.int(C);
        else next.priority[s * J + g - J] = rng.float();
      }
    }
    return this.nElites;
  }
}

export const gaSpec: OptimizerSpec<typeof gaParams> = {
  name: 'ga',
  description:
    'Standard GA: tournament selection, one-point crossover on the whole genome, uniform mutation.',
  reference:
    'textbook GA (Goldberg 1989): crossover 0.8, mutation 1/genome length, binary tournament, one elite',
  family: 'evolutionary',
  params: gaParams,
  create: (size, rng, params) => new StandardGa(size, rng, params),
};
