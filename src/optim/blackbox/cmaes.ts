/**
 * CMA-ES with full covariance (Hansen, "The CMA Evolution Strategy: A Tutorial",
 * arXiv:1604.00772): weighted recombination of the best mu of lambda samples, cumulative
 * step-size adaptation (CSA), rank-one and rank-mu covariance updates, every constant
 * from the tutorial's defaults (Table 1), with positive recombination weights only (the
 * tutorial's non-active variant: w_i = 0 for i > mu).
 *
 * Start: mean uniform in the unit box and sigma0 = 0.3 box widths, as the tutorial advises
 * for a box-shaped region of interest.
 *
 * Cost, for n = 2 x jobs dimensions:
 *  - the eigendecomposition C = B D^2 B^T (ml-matrix, O(n^3)) is lazy, as in the tutorial:
 *    sampling and C^{-1/2} use the last decomposition, refreshed once the covariance has
 *    moved by `eigenDrift` since (the sum of c1 + cmu over the generations in between). The
 *    tutorial's rule is eigenDrift = 0.1 / n, pycma's 0.5 / n; see the default's comment;
 *  - sampling y ~ N(0, C) uses the Cholesky factor A of the same decomposed C (y = A z,
 *    n^2 / 2 multiply-adds instead of n^2 for y = B D z; any square root of C gives the same
 *    distribution, and C^{-1/2} for the step-size path still comes from B and D). Until the
 *    first decomposition C = I and sampling is O(n);
 *  - the covariance update is O(mu n^2) per generation (upper triangle only).
 */
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { Rng } from '../../core/rng.js';
import type { OptimizerSpec, ProblemSize } from '../optimizer.js';
import type { ParamValues } from '../params.js';
import { MAX_SIGMA, uniformPoint, VectorOptimizer, type VectorStrategy } from './vector.js';

/** Tutorial default population size: 4 + floor(3 ln n). */
export function defaultLambda(n: number): number {
  return 4 + Math.floor(3 * Math.log(n));
}

export const cmaesParams = {
  population: {
    type: 'int',
    low: 2,
    high: 100_000,
    log: true,
    default: (s: ProblemSize) => defaultLambda(2 * s.numJobs),
    description: 'lambda, samples per generation (tutorial: 4 + floor(3 ln n), n = 2 x jobs)',
  },
  sigma0: {
    type: 'float',
    low: 1e-4,
    high: 10,
    log: true,
    default: 0.3,
    description: 'initial step size in box widths (tutorial: 0.3 of the box)',
  },
  eigenDrift: {
    type: 'float',
    low: 0,
    high: 1,
    log: false,
    // In JavaScript a 200 x 200 symmetric eigendecomposition costs 100 to 400 ms, the time
    // of 10,000 to 40,000 evaluations of a 100-job table. The tutorial's 0.1 / n would
    // decompose every 2 generations in 200-D (about 250 times in 10,500 evaluations),
    // pycma's 0.5 / n about 50 times; 0.05 does it twice there, every 12 generations in 40-D
    // and every 2 in 10-D, where C moves fast and decomposing is cheap. The covariance of a
    // 200-D run moves by about 12% in 10,500 evaluations, so sampling from one up to 5%
    // stale changes little.
    default: 0.05,
    description:
      'refresh the eigendecomposition when C has moved by this much (sum of c1 + cmu) since the last one; tutorial 0.1 / n, pycma 0.5 / n',
  },
} as const;

export type CmaesSettings = ParamValues<typeof cmaesParams>;

/** Eigenvalues below this fraction of the largest are raised to it (numerical floor). */
const MIN_EIGEN_RATIO = 1e-14;

export class CmaEs implements VectorStrategy {
  readonly dim: number;
  readonly lambda: number;
  readonly mu: number;
  private readonly weights: Float64Array;
  readonly mueff: number;
  readonly cs: number;
  readonly ds: number;
  readonly cc: number;
  readonly c1: number;
  readonly cmu: number;
  private readonly chiN: number;
  private readonly eigenDrift: number;

  readonly mean: Float64Array;
  private sigmaValue: number;
  private readonly pc: Float64Array;
  private readonly ps: Float64Array;
  /** Covariance, row-major; only the upper triangle is kept current between decompositions. */
  private readonly C: Float64Array;
  private readonly B: Float64Array;
  private readonly D: Float64Array;
  /** Lower Cholesky factor of the decomposed C, row-major: y = A z. */
  private readonly A: Float64Array;
  /** How samples are drawn: C = I still, or y = A z (Cholesky), or y = B D z when C was
   * too ill-conditioned for Cholesky. */
  private sampler: 'identity' | 'cholesky' | 'eigen' = 'identity';

  private readonly Y: Float64Array;
  private readonly costs: Float64Array;
  private readonly order: Int32Array;
  private readonly z: Float64Array;
  private readonly yw: Float64Array;
  private readonly tmp: Float64Array;
  private readonly tmp2: Float64Array;
  /** Rank-mu update operands, n x (mu + 1) row-major. */
  private readonly U: Float64Array;
  private readonly V: Float64Array;
  private asked = 0;
  private told = 0;
  private generation = 0;
  private driftSinceEigen = 0;
  /** Eigendecompositions done (for tests and reports). */
  decompositions = 0;

  constructor(
    dim: number,
    private readonly rng: Rng,
    settings: CmaesSettings,
  ) {
    const n = dim;
    this.dim = n;
    const lambda = settings.population;
    this.lambda = lambda;
    const mu = Math.floor(lambda / 2);
    this.mu = mu;
    this.weights = new Float64Array(mu);
    let sw = 0;
    for (let i = 0; i < mu; i++) {
      this.weights[i] = Math.log((lambda + 1) / 2) - Math.log(i + 1);
      sw += this.weights[i]!;
    }
    let sw2 = 0;
    for (let i = 0; i < mu; i++) {
      this.weights[i]! /= sw;
      sw2 += this.weights[i]! ** 2;
    }
    const mueff = 1 / sw2;
    this.mueff = mueff;
    // Tutorial Table 1 (alpha_cov = 2).
    this.cs = (mueff + 2) / (n + mueff + 5);
    this.ds = 1 + 2 * Math.max(0, Math.sqrt((mueff - 1) / (n + 1)) - 1) + this.cs;
    this.cc = (4 + mueff / n) / (n + 4 + (2 * mueff) / n);
    this.c1 = 2 / ((n + 1.3) ** 2 + mueff);
    this.cmu = Math.min(1 - this.c1, (2 * (mueff - 2 + 1 / mueff)) / ((n + 2) ** 2 + mueff));
    this.chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
    this.eigenDrift = settings.eigenDrift;

    this.mean = new Float64Array(n);
    uniformPoint(this.mean, rng);
    this.sigmaValue = settings.sigma0;
    this.pc = new Float64Array(n);
    this.ps = new Float64Array(n);
    this.C = new Float64Array(n * n);
    this.B = new Float64Array(n * n);
    this.A = new Float64Array(n * n);
    this.D = new Float64Array(n).fill(1);
    for (let i = 0; i < n; i++) {
      this.C[i * n + i] = 1;
      this.B[i * n + i] = 1;
      this.A[i * n + i] = 1;
    }
    this.Y = new Float64Array(lambda * n);
    this.costs = new Float64Array(lambda);
    this.order = new Int32Array(lambda);
    this.z = new Float64Array(n);
    this.yw = new Float64Array(n);
    this.tmp = new Float64Array(n);
    this.tmp2 = new Float64Array(n);
    this.U = new Float64Array(n * (mu + 1));
    this.V = new Float64Array(n * (mu + 1));
  }

  get sigma(): number {
    return this.sigmaValue;
  }

  propose(x: Float64Array): number {
    if (this.asked >= this.lambda) {
      throw new Error(
        `cmaes.ask: all ${this.lambda} candidates of generation ${this.generation} are pending; tell them first`,
      );
    }
    const n = this.dim;
    const k = this.asked++;
    const { z, rng, Y } = this;
    const off = k * n;
    for (let i = 0; i < n; i++) z[i] = rng.normal();
    if (this.sampler === 'identity') Y.set(z, off);
    else if (this.sampler === 'cholesky') {
      const A = this.A;
      for (let i = 0; i < n; i++) {
        let s = 0;
        const row = i * n;
        for (let j = 0; j <= i; j++) s += A[row + j]! * z[j]!;
        Y[off + i] = s;
      }
    } else {
      // y = B (D z)
      const { B, D } = this;
      for (let j = 0; j < n; j++) z[j]! *= D[j]!;
      for (let i = 0; i < n; i++) {
        let s = 0;
        const row = i * n;
        for (let j = 0; j < n; j++) s += B[row + j]! * z[j]!;
        Y[off + i] = s;
      }
    }
    const sigma = this.sigmaValue;
    for (let i = 0; i < n; i++) x[i] = this.mean[i]! + sigma * Y[off + i]!;
    return k;
  }

  accept(tag: number, _x: Float64Array, cost: number): void {
    this.costs[tag] = cost;
    if (++this.told === this.lambda) this.update();
  }

  private update(): void {
    const { dim: n, lambda, mu, weights, Y, yw, ps, pc, C } = this;
    const order = this.order;
    for (let k = 0; k < lambda; k++) order[k] = k;
    const costs = this.costs;
    order.sort((a, b) => costs[a]! - costs[b]! || a - b);

    // Recombination: yw = sum w_i y_{i:lambda}; m += sigma yw.
    yw.fill(0);
    for (let i = 0; i < mu; i++) {
      const w = weights[i]!;
      const off = order[i]! * n;
      for (let j = 0; j < n; j++) yw[j]! += w * Y[off + j]!;
    }
    const sigma = this.sigmaValue;
    for (let j = 0; j < n; j++) this.mean[j]! += sigma * yw[j]!;

    // Step-size path with C^{-1/2} yw = B D^{-1} B^T yw.
    const invSqrtYw = this.invSqrtC(yw);
    const csn = Math.sqrt(this.cs * (2 - this.cs) * this.mueff);
    let normPs2 = 0;
    for (let j = 0; j < n; j++) {
      ps[j] = (1 - this.cs) * ps[j]! + csn * invSqrtYw[j]!;
      normPs2 += ps[j]! ** 2;
    }
    const normPs = Math.sqrt(normPs2);
    const g = this.generation + 1;
    const hsig = normPs / Math.sqrt(1 - (1 - this.cs) ** (2 * g)) < (1.4 + 2 / (n + 1)) * this.chiN ? 1 : 0;

    // Covariance path and rank-one + rank-mu update (upper triangle).
    const ccn = hsig * Math.sqrt(this.cc * (2 - this.cc) * this.mueff);
    for (let j = 0; j < n; j++) pc[j] = (1 - this.cc) * pc[j]! + ccn * yw[j]!;
    const { c1, cmu } = this;
    const decay = 1 - c1 - cmu + (1 - hsig) * c1 * this.cc * (2 - this.cc);
    // C = decay C + sum_k V[.][k] U[.][k]^T over the mu selected samples and p_c, with
    // U[i][k] = y_{k,i} and V[i][k] = weight_k y_{k,i} stored row-major (n x (mu + 1)) so
    // that each C entry is read and written once.
    const K = mu + 1;
    const { U, V } = this;
    for (let k = 0; k < mu; k++) {
      const off = order[k]! * n;
      const w = cmu * weights[k]!;
      for (let i = 0; i < n; i++) {
        const y = Y[off + i]!;
        U[i * K + k] = y;
        V[i * K + k] = w * y;
      }
    }
    for (let i = 0; i < n; i++) {
      U[i * K + mu] = pc[i]!;
      V[i * K + mu] = c1 * pc[i]!;
    }
    for (let i = 0; i < n; i++) {
      const row = i * n;
      const vi = i * K;
      for (let j = i; j < n; j++) {
        const uj = j * K;
        let s = 0;
        for (let k = 0; k < K; k++) s += V[vi + k]! * U[uj + k]!;
        C[row + j] = decay * C[row + j]! + s;
      }
    }

    // Cumulative step-size adaptation.
    this.sigmaValue = Math.min(MAX_SIGMA, sigma * Math.exp((this.cs / this.ds) * (normPs / this.chiN - 1)));

    this.generation++;
    this.asked = 0;
    this.told = 0;
    this.driftSinceEigen += c1 + cmu;
    if (this.driftSinceEigen >= this.eigenDrift) this.decompose();
  }

  /** C^{-1/2} v with the current eigensystem (into a scratch buffer). */
  private invSqrtC(v: Float64Array): Float64Array {
    const { dim: n, B, D, tmp } = this;
    if (this.sampler === 'identity') return v;
    // t = D^{-1} B^T v, then tmp = B t.
    const t = this.tmp2.fill(0);
    for (let i = 0; i < n; i++) {
      const vi = v[i]!;
      const row = i * n;
      for (let j = 0; j < n; j++) t[j]! += B[row + j]! * vi;
    }
    for (let j = 0; j < n; j++) t[j]! /= D[j]!;
    for (let i = 0; i < n; i++) {
      let s = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) s += B[row + j]! * t[j]!;
      tmp[i] = s;
    }
    return tmp;
  }

  private decompose(): void {
    const { dim: n, C, B, D, A } = this;
    const m = new Matrix(n, n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const v = C[i * n + j]!;
        m.set(i, j, v);
        m.set(j, i, v);
        C[j * n + i] = v;
      }
    }
    const evd = new EigenvalueDecomposition(m, { assumeSymmetric: true });
    const values = evd.realEigenvalues;
    const vectors = evd.eigenvectorMatrix;
    let maxEv = 0;
    for (const v of values) if (v > maxEv) maxEv = v;
    if (!(maxEv > 0) || !Number.isFinite(maxEv))
      throw new Error(`cmaes: covariance matrix degenerated (largest eigenvalue ${maxEv})`);
    const floor = maxEv * MIN_EIGEN_RATIO;
    let clipped = false;
    for (let j = 0; j < n; j++) {
      clipped ||= values[j]! < floor;
      D[j] = Math.sqrt(Math.max(values[j]!, floor));
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) B[i * n + j] = vectors.get(i, j);
    const chol = clipped ? null : new CholeskyDecomposition(m);
    if (chol?.isPositiveDefinite()) {
      const L = chol.lowerTriangularMatrix;
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = L.get(i, j);
      this.sampler = 'cholesky';
    } else this.sampler = 'eigen';
    this.driftSinceEigen = 0;
    this.decompositions++;
  }
}

export const cmaesSpec: OptimizerSpec<typeof cmaesParams> = {
  name: 'cmaes',
  description: 'CMA-ES, full covariance, CSA step size, lazy eigendecomposition (ml-matrix).',
  reference:
    "Hansen, The CMA Evolution Strategy: A Tutorial (arXiv:1604.00772): lambda = 4 + floor(3 ln n), mu = lambda/2, log weights, Table 1 learning rates, sigma0 = 0.3 of the box; nevergrad's CMA wraps pycma with the same defaults",
  family: 'black-box',
  params: cmaesParams,
  create: (size, rng, params) => new VectorOptimizer('cmaes', size, new CmaEs(2 * size.numJobs, rng, params)),
};
