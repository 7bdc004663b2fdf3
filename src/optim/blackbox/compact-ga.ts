/**
 * Compact GA (Harik, Lobo & Goldberg, IEEE TEC 1999): instead of a population, a
 * probability model; each round samples two individuals, and where winner and loser differ
 * the model moves 1/n towards the winner (n = the virtual population size).
 *
 * Adaptation to our encoding (the original is binary):
 *  - a core gene is categorical with C values (as nevergrad's cGA treats discrete
 *    variables): the winner's core gains 1/n, the loser's loses 1/n;
 *  - a priority gene is `priorityBits` Harik bits, most significant first, giving a level
 *    in {0 .. 2^b - 1}; the priority is (level + U(0,1)) / 2^b, so jobs of one level are
 *    ordered at random;
 *  - probabilities keep a floor of 1 / (n (K - 1)) for a K-valued variable, i.e. the usual
 *    [1/n, 1 - 1/n] borders for a bit (nevergrad floors at 1/n), so the model never freezes.
 * The genotype handed to the decoder is (core + 0.5) / C for core genes and the priority
 * itself, so it decodes exactly to the sampled individual.
 */
import type { Rng } from '../../core/rng.js';
import type { OptimizerSpec, ProblemSize } from '../optimizer.js';
import type { ParamValues } from '../params.js';
import { PRIORITY_MAX, VectorOptimizer, type VectorStrategy } from './vector.js';

export const compactGaParams = {
  population: {
    type: 'int',
    low: 2,
    high: 100_000,
    log: true,
    default: 40,
    description: 'virtual population n: model steps are 1/n (nevergrad cGA: 40)',
  },
  priorityBits: {
    type: 'int',
    low: 1,
    high: 16,
    default: 4,
    description: 'bits per priority gene (2^b priority levels, random order within a level)',
  },
} as const;

export type CompactGaSettings = ParamValues<typeof compactGaParams>;

export class CompactGa implements VectorStrategy {
  readonly dim: number;
  private readonly J: number;
  private readonly C: number;
  private readonly bits: number;
  private readonly step: number;
  private readonly coreFloor: number;
  private readonly bitLow: number;
  /** P(core[j] = c), row-major [job][core]. */
  readonly coreProb: Float64Array;
  /** P(bit b of priority level of job j = 1), row-major [job][bit]. */
  readonly bitProb: Float64Array;
  /** The two individuals of the current round. */
  private readonly cores: [Int32Array, Int32Array];
  private readonly levels: [Int32Array, Int32Array];
  private readonly costs = new Float64Array(2);
  private asked = 0;
  private told = 0;

  constructor(
    size: ProblemSize,
    private readonly rng: Rng,
    settings: CompactGaSettings,
  ) {
    const J = size.numJobs;
    const C = size.numCores;
    this.J = J;
    this.C = C;
    this.dim = 2 * J;
    this.bits = settings.priorityBits;
    const n = settings.population;
    this.step = 1 / n;
    this.coreFloor = C > 1 ? 1 / (n * (C - 1)) : 1;
    this.bitLow = 1 / n;
    this.coreProb = new Float64Array(J * C).fill(1 / C);
    this.bitProb = new Float64Array(J * this.bits).fill(0.5);
    this.cores = [new Int32Array(J), new Int32Array(J)];
    this.levels = [new Int32Array(J), new Int32Array(J)];
  }

  propose(x: Float64Array): number {
    if (this.asked >= 2)
      throw new Error('cga.ask: both individuals of this round are pending; tell them first');
    const k = this.asked++;
    const { J, C, bits, rng, coreProb, bitProb } = this;
    const core = this.cores[k]!;
    const level = this.levels[k]!;
    const levels = 1 << bits;
    for (let j = 0; j < J; j++) {
      let u = rng.float();
      let c = 0;
      const row = j * C;
      while (c < C - 1 && u >= coreProb[row + c]!) {
        u -= coreProb[row + c]!;
        c++;
      }
      core[j] = c;
      x[j] = (c + 0.5) / C;
      let l = 0;
      for (let b = 0; b < bits; b++) l = (l << 1) | (rng.float() < bitProb[j * bits + b]! ? 1 : 0);
      level[j] = l;
      const p = (l + rng.float()) / levels;
      x[J + j] = Math.min(p, PRIORITY_MAX);
    }
    return k;
  }

  accept(k: number, _x: Float64Array, cost: number): void {
    this.costs[k] = cost;
    if (++this.told < 2) return;
    // Ties go to the first individual (nevergrad).
    const w = this.costs[1]! < this.costs[0]! ? 1 : 0;
    this.learn(w, 1 - w);
    this.asked = 0;
    this.told = 0;
  }

  private learn(w: number, l: number): void {
    const { J, C, bits, step, coreProb, bitProb } = this;
    const cw = this.cores[w]!;
    const cl = this.cores[l]!;
    const lw = this.levels[w]!;
    const ll = this.levels[l]!;
    for (let j = 0; j < J; j++) {
      if (cw[j] !== cl[j]) {
        const row = j * C;
        coreProb[row + cw[j]!]! += step;
        coreProb[row + cl[j]!]! -= step;
        let sum = 0;
        for (let c = 0; c < C; c++) {
          if (coreProb[row + c]! < this.coreFloor) coreProb[row + c] = this.coreFloor;
          sum += coreProb[row + c]!;
        }
        for (let c = 0; c < C; c++) coreProb[row + c]! /= sum;
      }
      const diff = lw[j]! ^ ll[j]!;
      if (diff === 0) continue;
      for (let b = 0; b < bits; b++) {
        const mask = 1 << (bits - 1 - b);
        if ((diff & mask) === 0) continue;
        const i = j * bits + b;
        const p = bitProb[i]! + ((lw[j]! & mask) !== 0 ? step : -step);
        bitProb[i] = p < this.bitLow ? this.bitLow : Math.min(p, 1 - this.bitLow);
      }
    }
  }
}

export const compactGaSpec: OptimizerSpec<typeof compactGaParams> = {
  name: 'cga',
  description:
    'Compact GA: probability model updated by pairwise tournaments (categorical cores, binary priorities).',
  reference:
    'Harik, Lobo & Goldberg, The compact genetic algorithm, IEEE TEC 1999; virtual population 40 and categorical genes as in nevergrad cGA; 4 bits per priority (ours)',
  family: 'black-box',
  params: compactGaParams,
  create: (size, rng, params) => new VectorOptimizer('cga', size, new CompactGa(size, rng, params)),
};
