/**
 * Gaussian-process Bayesian optimisation. The first `startup` trials come from the initial
 * design (scrambled Halton by default); after that, each trial:
 *  1. fits a GP (src/tune/gp.ts) to every finished trial's feature vector (src/tune/space.ts)
 *     and loss; a failed trial counts as the worst loss seen, so the model learns to avoid
 *     the region instead of proposing it again; a pruned trial counts as its last reported
 *     value shifted by the median gap between complete trials' values at that step and
 *     their final ones (the worst loss seen when no complete trial reported that step);
 *  2. maximises the acquisition (log EI by default) over the snapped feature space: random
 *     candidates from the design view plus Gaussian perturbations of the best trials, then
 *     local refinement of the best few, alternating projected L-BFGS on the continuous
 *     coordinates with discrete moves of the integer and categorical ones;
 *  3. returns the best point not already tried.
 * The fitted kernel hyper-parameters are kept with the trial and warm-start the next fit;
 * a full multi-start fit runs every `fullFitEvery` observations (and whenever there is no
 * previous fit), and hyper-parameters are fitted on at most `maxFitPoints` observations,
 * so the sampler's cost per trial stays small as a study grows (bench/tune.ts).
 */
import type { Rng } from '../../core/rng.js';
import { type Acquisition, type AcquisitionValue, acquire, LOG_EI } from '../acquisition.js';
import { GaussianProcess, type Prediction } from '../gp.js';
import { minimizeBox } from '../lbfgs.js';
import { type SearchSpace, sameVector } from '../space.js';
import { haltonSampler } from './halton.js';
import { imputePrunedLoss, type Observation, type Proposal, type Sampler } from './sampler.js';

export interface GpSamplerOptions {
  /** Trials from the initial design before the GP takes over (default 10). */
  readonly startup?: number;
  /** The initial design (default: scrambled Halton). */
  readonly initial?: Sampler;
  readonly acquisition?: Acquisition;
  /** Random candidates scored before refinement (default 512). */
  readonly candidates?: number;
  /** Best candidates refined locally (default 5). */
  readonly localStarts?: number;
  /** Random starts of the likelihood fit besides the warm and neutral ones (default 2). */
  readonly fitRestarts?: number;
  /** L-BFGS iterations per likelihood start (default 60). */
  readonly fitIterations?: number;
  /**
   * Every this many observations the likelihood is fitted from all starts (warm, neutral
   * and `fitRestarts` random ones); in between, from the previous fit only, which tracks
   * the optimum as data arrive at a fraction of the cost (default 10).
   */
  readonly fullFitEvery?: number;
  /** Hyper-parameters are fitted on at most this many observations (default 100; see gp.ts). */
  readonly maxFitPoints?: number;
}

export const GP_DEFAULTS = {
  startup: 10,
  candidates: 512,
  localStarts: 5,
  fitRestarts: 2,
  fitIterations: 60,
  fullFitEvery: 10,
  maxFitPoints: 100,
} as const;

/** Share of the candidates drawn around the best trials rather than uniformly. */
const LOCAL_SHARE = 0.25;
/** How many of the best trials the local candidates surround, and their spreads (unit cube). */
const LOCAL_CENTRES = 3;
const LOCAL_SIGMAS = [0.02, 0.1] as const;
/** Refinement rounds (continuous step, then a discrete sweep) and L-BFGS iterations each. */
const REFINE_ROUNDS = 3;
const REFINE_ITERATIONS = 30;

interface Scored {
  z: Float64Array;
  value: number;
}

export function gpSampler(options: GpSamplerOptions = {}): Sampler {
  const startup = options.startup ?? GP_DEFAULTS.startup;
  const initial = options.initial ?? haltonSampler();
  const acquisition = options.acquisition ?? LOG_EI;
  const nCandidates = options.candidates ?? GP_DEFAULTS.candidates;
  const localStarts = options.localStarts ?? GP_DEFAULTS.localStarts;
  const fitRestarts = options.fitRestarts ?? GP_DEFAULTS.fitRestarts;
  const fitIterations = options.fitIterations ?? GP_DEFAULTS.fitIterations;
  const fullFitEvery = options.fullFitEvery ?? GP_DEFAULTS.fullFitEvery;
  const maxFitPoints = options.maxFitPoints ?? GP_DEFAULTS.maxFitPoints;
  if (!(Number.isInteger(fullFitEvery) && fullFitEvery >= 1))
    throw new RangeError(`gp: fullFitEvery must be >= 1, got ${fullFitEvery}`);
  if (!(Number.isInteger(maxFitPoints) && maxFitPoints >= 2))
    throw new RangeError(`gp: maxFitPoints must be >= 2, got ${maxFitPoints}`);
  if (!(Number.isInteger(startup) && startup >= 1))
    throw new RangeError(`gp: startup must be >= 1, got ${startup}`);
  if (acquisition.kind === 'ucb' && !(acquisition.beta >= 0))
    throw new RangeError(`gp: ucb beta must be >= 0, got ${acquisition.beta}`);

  return {
    name: 'gp',
    config: {
      startup,
      initial: { name: initial.name, ...initial.config },
      acquisition,
      candidates: nCandidates,
      localStarts,
      fitRestarts,
      fitIterations,
      fullFitEvery,
      maxFitPoints,
    },
    sample(space, history, ctx): Proposal {
      const usable = history.filter((o) => hasAll(space, o));
      const complete = usable.filter((o) => o.loss !== null);
      if (complete.length < startup || space.featureDims === 0) {
        const p = initial.sample(space, history, ctx);
        return { params: p.params, attrs: { ...p.attrs, phase: 'initial' } };
      }
      const D = space.featureDims;
      const worst = Math.max(...complete.map((o) => o.loss!));
      const X = new Float64Array(usable.length * D);
      const y = new Float64Array(usable.length);
      usable.forEach((o, i) => {
        const z = space.toFeatures(o.params, X.subarray(i * D, (i + 1) * D));
        space.snap(z);
        y[i] = o.loss ?? (o.state === 'pruned' ? (imputePrunedLoss(o, complete) ?? worst) : worst);
      });
      const warm = lastTheta(history, D + 2);
      const full = warm === null || usable.length % fullFitEvery === 0;
      const gp = GaussianProcess.fit(X, y, D, {
        warmStart: warm,
        neutralStart: full,
        restarts: full ? fitRestarts : 0,
        rng: ctx.rng.fork('fit'),
        maxIterations: fitIterations,
        maxFitPoints,
      });
      let best = Number.POSITIVE_INFINITY;
      usable.forEach((o, i) => {
        if (o.loss !== null) best = Math.min(best, gp.yStandardized[i]!);
      });

      const acq = new AcquisitionSearch(space, gp, acquisition, best);
      const order = usable.map((_, i) => i).sort((a, b) => y[a]! - y[b]!);
      const centres = order.slice(0, LOCAL_CENTRES).map((i) => X.subarray(i * D, (i + 1) * D));
      const scored = acq.candidates(nCandidates, centres, ctx.rng.fork('candidates'));
      const refined = distinctTop(scored, localStarts).map((c) => acq.refine(c));
      refined.sort((a, b) => b.value - a.value);
      const seen = (z: Float64Array) => {
        for (let i = 0; i < usable.length; i++)
          if (sameVector(z, X.subarray(i * D, (i + 1) * D))) return true;
        return false;
      };
      // The best point not tried yet; if every candidate was tried (a tiny discrete space),
      // the best one anyway.
      const pick = refined.find((c) => !seen(c.z)) ?? scored.find((c) => !seen(c.z)) ?? refined[0]!;
      return {
        params: space.fromFeatures(pick.z),
        attrs: {
          phase: 'gp',
          acquisition: pick.value,
          gp: {
            theta: Array.from(gp.theta),
            logMarginalLikelihood: gp.logMarginalLikelihood,
            lengthScales: Array.from(gp.params.lengthScales),
            noiseVariance: gp.params.noiseVariance,
          },
        },
      };
    },
  };
}

function hasAll(space: SearchSpace, o: Observation): boolean {
  return space.names.every((n) => o.params[n] !== undefined);
}

/** The kernel fit kept with the latest GP-proposed trial (of this dimension), if any. */
function lastTheta(history: readonly Observation[], size: number): number[] | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const gp = history[i]!.attrs.gp as { theta?: unknown } | undefined;
    if (!gp || !Array.isArray(gp.theta)) continue;
    const ok = gp.theta.length === size && gp.theta.every((t) => typeof t === 'number' && Number.isFinite(t));
    return ok ? (gp.theta as number[]) : null;
  }
  return null;
}

function distinctTop(scored: readonly Scored[], k: number): Scored[] {
  const out: Scored[] = [];
  for (const c of scored) {
    if (out.length >= k) break;
    if (!out.some((o) => sameVector(o.z, c.z))) out.push(c);
  }
  return out;
}

/** The acquisition over one fitted GP, and its maximisation. */
class AcquisitionSearch {
  private readonly pred: Prediction = { mean: 0, variance: 0 };
  private readonly val: AcquisitionValue = { value: 0, dMean: 0, dVariance: 0 };
  private readonly gradMean: Float64Array;
  private readonly gradVar: Float64Array;
  private readonly contIdx: number[];

  constructor(
    private readonly space: SearchSpace,
    private readonly gp: GaussianProcess,
    private readonly acq: Acquisition,
    private readonly best: number,
  ) {
    this.gradMean = new Float64Array(space.featureDims);
    this.gradVar = new Float64Array(space.featureDims);
    this.contIdx = [];
    for (let i = 0; i < space.featureDims; i++) if (space.continuous[i]) this.contIdx.push(i);
  }

  value(z: Float64Array): number {
    const p = this.gp.predictStandardized(z, 0, this.pred);
    return acquire(this.acq, p.mean, p.variance, this.best, this.val).value;
  }

  /** Uniform design points and perturbations of `centres`, snapped and scored, best first. */
  candidates(count: number, centres: readonly Float64Array[], rng: Rng): Scored[] {
    const { space } = this;
    const out: Scored[] = [];
    const nLocal = centres.length ? Math.floor(count * LOCAL_SHARE) : 0;
    const u = new Float64Array(space.designDims);
    for (let c = 0; c < count - nLocal; c++) {
      for (let i = 0; i < u.length; i++) u[i] = rng.float();
      const z = space.toFeatures(space.fromDesign(u));
      out.push({ z, value: this.value(z) });
    }
    for (let c = 0; c < nLocal; c++) {
      const centre = centres[c % centres.length]!;
      const sigma = LOCAL_SIGMAS[c % LOCAL_SIGMAS.length]!;
      const z = Float64Array.from(centre, (v) => v + sigma * rng.normal());
      space.snap(z);
      out.push({ z, value: this.value(z) });
    }
    return out.sort((a, b) => b.value - a.value);
  }

  /** Alternates gradient ascent on the continuous coordinates with discrete moves. */
  refine(start: Scored): Scored {
    let cur: Scored = { z: Float64Array.from(start.z), value: start.value };
    for (let round = 0; round < REFINE_ROUNDS; round++) {
      let improved = false;
      if (this.contIdx.length) {
        const next = this.continuousStep(cur);
        if (next.value > cur.value) {
          improved = next.value - cur.value > 1e-12 * Math.max(1, Math.abs(cur.value));
          cur = next;
        }
      }
      let bestNb: Scored | null = null;
      for (const nb of this.space.neighbours(cur.z)) {
        const v = this.value(nb);
        if (v > cur.value && (!bestNb || v > bestNb.value)) bestNb = { z: nb, value: v };
      }
      if (bestNb) {
        cur = bestNb;
        improved = true;
      }
      if (!improved) break;
    }
    return cur;
  }

  private continuousStep(cur: Scored): Scored {
    const { contIdx, gradMean, gradVar } = this;
    const z = Float64Array.from(cur.z);
    const m = contIdx.length;
    const lower = new Float64Array(m);
    const upper = new Float64Array(m).fill(1);
    const x0 = Float64Array.from(contIdx, (i) => z[i]!);
    const res = minimizeBox(
      (x, grad) => {
        for (let k = 0; k < m; k++) z[contIdx[k]!] = x[k]!;
        const p = this.gp.predictWithGradient(z, gradMean, gradVar);
        const a = acquire(this.acq, p.mean, p.variance, this.best, this.val);
        for (let k = 0; k < m; k++) {
          const i = contIdx[k]!;
          grad[k] = -(a.dMean * gradMean[i]! + a.dVariance * gradVar[i]!);
        }
        return -a.value;
      },
      x0,
      lower,
      upper,
      { maxIterations: REFINE_ITERATIONS },
    );
    for (let k = 0; k < m; k++) z[contIdx[k]!] = res.x[k]!;
    return { z, value: -res.value };
  }
}
