/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011), Optuna's default sampler, with
 * Optuna's default settings:
 *  - the first `startup` (10) trials are uniform random;
 *  - then the finished trials (complete ones by loss, then pruned ones by the last step they
 *    reached, deepest first, and their value there; failed ones left out) split into the best
 *    gamma(n) = min(ceil(0.1 n), 25) ("below") and the rest ("above");
 *  - each group gives a Parzen estimator per parameter: a mixture of one truncated normal per
 *    trial plus a prior kernel (centre of the range, width of the range, weight 1); widths are
 *    the distance to the farther neighbour (the prior's centre and the range ends counted as
 *    neighbours), the outermost kernels using their inner neighbour, clipped to
 *    [range / min(100, 1 + kernels), range] ("magic clip"); older trials weigh less once a
 *    group has more than 25 (a linear ramp from 1/n to 1 before the newest 25);
 *    categoricals use one kernel per trial with weight 1 on its choice plus 1/k on every
 *    choice, and a uniform prior;
 *  - 24 candidates are drawn from the "below" mixture; the one maximising
 *    log l(x) - log g(x) is proposed.
 * By default each parameter is drawn on its own (Optuna's univariate TPE); `multivariate`
 * draws them jointly, one kernel across all parameters per trial, with Optuna's
 * multivariate width 0.2 n^(-1 / (d + 4)) x range (Falkner et al. 2018).
 *
 * Floats and integers live in their design coordinates (log where declared; integers over
 * [low - 0.5, high + 0.5] and rounded, so each integer owns an equal share), where the
 * kernels are continuous; a candidate is scored where its rounded value lies.
 */
import type { Rng } from '../../core/rng.js';
import { normalCdf } from '../../core/special.js';
import type { Distribution, SearchSpace, Settings } from '../space.js';
import { lastIntermediate, type Observation, type Proposal, type Sampler } from './sampler.js';

export interface TpeOptions {
  /** Uniform random trials before the model takes over (default 10). */
  readonly startup?: number;
  /** Candidates drawn from l(x) per proposal (default 24). */
  readonly candidates?: number;
  /** Weight of the prior kernel (default 1). */
  readonly priorWeight?: number;
  /** Draw all parameters jointly (default false: one at a time, as Optuna's default). */
  readonly multivariate?: boolean;
}

export const TPE_DEFAULTS = { startup: 10, candidates: 24, priorWeight: 1, multivariate: false } as const;

/** gamma(n): trials in the "below" group. */
export function tpeGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Kernel weights of n trials in trial order: 1 each, a ramp for all but the newest 25 beyond 25. */
export function tpeWeights(n: number): Float64Array {
  const w = new Float64Array(n).fill(1);
  if (n >= 25) {
    const ramp = n - 25;
    for (let i = 0; i < ramp; i++) w[i] = ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1);
  }
  return w;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const EPS = 1e-12;

/** One parameter in TPE's coordinates. */
interface Axis {
  readonly name: string;
  readonly dist: Distribution;
  /** Continuous range (transformed), for floats and integers. */
  readonly lo: number;
  readonly hi: number;
  readonly choices: number;
}

function axisOf(name: string, d: Distribution): Axis {
  if (d.type === 'categorical') return { name, dist: d, lo: 0, hi: 0, choices: d.choices.length };
  const t = (v: number) => (d.log ? Math.log(v) : v);
  const lo = d.type === 'int' ? t(d.low - 0.5) : t(d.low);
  const hi = d.type === 'int' ? t(d.high + 0.5) : t(d.high);
  return { name, dist: d, lo, hi, choices: 0 };
}

/** A setting's coordinate: transformed number, or choice index. */
function coordinate(a: Axis, v: unknown): number {
  const d = a.dist;
  if (d.type === 'categorical') return d.choices.indexOf(v as never);
  return d.log ? Math.log(v as number) : (v as number);
}

/** The setting at a coordinate (integers rounded and clamped). */
function valueAt(a: Axis, x: number): number | string | boolean {
  const d = a.dist;
  if (d.type === 'categorical') return d.choices[x]!;
  const v = d.log ? Math.exp(x) : x;
  if (d.type === 'int') return Math.min(d.high, Math.max(d.low, Math.round(v)));
  return Math.min(d.high, Math.max(d.low, v));
}

/** The coordinate a candidate is scored at: where its value lies (integers rounded). */
function snapped(a: Axis, x: number): number {
  if (a.dist.type !== 'int') return x;
  return coordinate(a, valueAt(a, x));
}

/** A Parzen estimator over one axis: kernels (observations, then the prior) and weights. */
interface Estimator {
  readonly weights: Float64Array;
  /** Numeric: centres and widths; categorical: one probability row per kernel. */
  readonly mus: Float64Array;
  readonly sigmas: Float64Array;
  readonly probs: Float64Array[];
}

/**
 * Kernel widths of the observations `mus` on [lo, hi] (the prior's own width is the range):
 * univariate by neighbours, multivariate by Scott's rule as Optuna's; then the magic clip.
 */
export function parzenWidths(
  lo: number,
  hi: number,
  mus: readonly number[],
  multivariate = false,
  dims = 1,
): Float64Array {
  return numericSigmas(
    { name: '', dist: { type: 'float', low: lo, high: hi }, lo, hi, choices: 0 },
    mus,
    multivariate,
    dims,
  );
}

function numericSigmas(a: Axis, mus: readonly number[], multivariate: boolean, dims: number): Float64Array {
  const range = a.hi - a.lo;
  const n = mus.length;
  const out = new Float64Array(n);
  if (multivariate) {
    out.fill(0.2 * Math.max(n, 1) ** (-1 / (dims + 4)) * range);
  } else {
    // Neighbours among the observations and the prior's centre, with the range ends beyond.
    const withPrior = [...mus, 0.5 * (a.lo + a.hi)];
    const order = withPrior.map((_, i) => i).sort((x, y) => withPrior[x]! - withPrior[y]!);
    const s = [a.lo, ...order.map((i) => withPrior[i]!), a.hi];
    const m = withPrior.length;
    const sorted = new Float64Array(m);
    for (let i = 0; i < m; i++) sorted[i] = Math.max(s[i + 1]! - s[i]!, s[i + 2]! - s[i + 1]!);
    if (s.length >= 4) {
      sorted[0] = s[2]! - s[1]!;
      sorted[m - 1] = s[m]! - s[m - 1]!;
    }
    order.forEach((orig, pos) => {
      if (orig < n) out[orig] = sorted[pos]!;
    });
  }
  const minSigma = range / Math.min(100, 1 + n + 1);
  for (let i = 0; i < n; i++) out[i] = Math.min(range, Math.max(minSigma, out[i]!));
  return out;
}

function estimator(
  a: Axis,
  coords: readonly number[],
  priorWeight: number,
  multivariate: boolean,
  dims: number,
): Estimator {
  const n = coords.length;
  const w = tpeWeights(n);
  const weights = new Float64Array(n + 1);
  weights.set(w);
  weights[n] = priorWeight;
  let total = 0;
  for (const x of weights) total += x;
  for (let i = 0; i <= n; i++) weights[i]! /= total;
  if (a.choices) {
    const k = a.choices;
    const probs: Float64Array[] = coords.map((c) => {
      const row = new Float64Array(k).fill(priorWeight / k);
      row[c]! += 1;
      const s = 1 + priorWeight;
      for (let j = 0; j < k; j++) row[j]! /= s;
      return row;
    });
    probs.push(new Float64Array(k).fill(1 / k));
    return { weights, mus: new Float64Array(0), sigmas: new Float64Array(0), probs };
  }
  const mus = new Float64Array(n + 1);
  mus.set(coords);
  mus[n] = 0.5 * (a.lo + a.hi);
  const sigmas = new Float64Array(n + 1);
  sigmas.set(numericSigmas(a, coords, multivariate, dims));
  sigmas[n] = a.hi - a.lo;
  return { weights, mus, sigmas, probs: [] };
}

/** log density of kernel k of a numeric estimator at x (normal truncated to the range). */
function kernelLogPdf(a: Axis, e: Estimator, k: number, x: number): number {
  const mu = e.mus[k]!;
  const sigma = Math.max(e.sigmas[k]!, EPS);
  const z = (x - mu) / sigma;
  const mass = normalCdf((a.hi - mu) / sigma) - normalCdf((a.lo - mu) / sigma);
  return -0.5 * z * z - LOG_SQRT_2PI - Math.log(sigma) - Math.log(Math.max(mass, EPS));
}

function kernelLog(a: Axis, e: Estimator, k: number, x: number): number {
  return a.choices ? Math.log(Math.max(e.probs[k]![x]!, EPS)) : kernelLogPdf(a, e, k, x);
}

function logSumExp(xs: Float64Array): number {
  let m = Number.NEGATIVE_INFINITY;
  for (const x of xs) if (x > m) m = x;
  if (m === Number.NEGATIVE_INFINITY) return m;
  let s = 0;
  for (const x of xs) s += Math.exp(x - m);
  return m + Math.log(s);
}

/** log of the mixture density of the axes' estimators at a point (joint kernels). */
function mixtureLog(axes: readonly Axis[], es: readonly Estimator[], point: readonly number[]): number {
  const K = es[0]!.weights.length;
  const terms = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let t = Math.log(es[0]!.weights[k]!);
    for (let d = 0; d < axes.length; d++) t += kernelLog(axes[d]!, es[d]!, k, point[d]!);
    terms[k] = t;
  }
  return logSumExp(terms);
}

function pickKernel(weights: Float64Array, rng: Rng): number {
  let u = rng.float();
  for (let k = 0; k < weights.length; k++) {
    u -= weights[k]!;
    if (u < 0) return k;
  }
  return weights.length - 1;
}

/** A draw from kernel k of one axis. */
function drawFrom(a: Axis, e: Estimator, k: number, rng: Rng): number {
  if (a.choices) {
    const row = e.probs[k]!;
    let u = rng.float();
    for (let j = 0; j < row.length; j++) {
      u -= row[j]!;
      if (u < 0) return j;
    }
    return row.length - 1;
  }
  const mu = e.mus[k]!;
  const sigma = e.sigmas[k]!;
  // Rejection: the centre lies in the range and the width is at most the range, so at least
  // a third of the draws land inside.
  for (let tries = 0; tries < 100; tries++) {
    const x = mu + sigma * rng.normal();
    if (x >= a.lo && x <= a.hi) return snapped(a, x);
  }
  return snapped(a, Math.min(a.hi, Math.max(a.lo, mu)));
}

/** Finished trials in TPE's order: complete by loss, then pruned deepest first; failed left out. */
function ranked(history: readonly Observation[]): Observation[] {
  const complete = history
    .filter((o) => o.loss !== null)
    .sort((x, y) => x.loss! - y.loss! || x.number - y.number);
  const pruned = history
    .filter((o) => o.loss === null && o.state === 'pruned')
    .map((o) => ({ o, last: lastIntermediate(o) }))
    .sort((x, y) => {
      const sx = x.last?.step ?? -1;
      const sy = y.last?.step ?? -1;
      if (sx !== sy) return sy - sx;
      const vx = x.last?.value ?? Number.POSITIVE_INFINITY;
      const vy = y.last?.value ?? Number.POSITIVE_INFINITY;
      return vx - vy || x.o.number - y.o.number;
    })
    .map((x) => x.o);
  return [...complete, ...pruned];
}

export function tpeSampler(options: TpeOptions = {}): Sampler {
  const startup = options.startup ?? TPE_DEFAULTS.startup;
  const nCandidates = options.candidates ?? TPE_DEFAULTS.candidates;
  const priorWeight = options.priorWeight ?? TPE_DEFAULTS.priorWeight;
  const multivariate = options.multivariate ?? TPE_DEFAULTS.multivariate;
  if (!(Number.isInteger(startup) && startup >= 1))
    throw new RangeError(`tpe: startup must be >= 1, got ${startup}`);
  if (!(Number.isInteger(nCandidates) && nCandidates >= 1))
    throw new RangeError(`tpe: candidates must be >= 1, got ${nCandidates}`);
  if (!(priorWeight > 0)) throw new RangeError(`tpe: priorWeight must be > 0, got ${priorWeight}`);

  return {
    name: 'tpe',
    config: {
      startup,
      candidates: nCandidates,
      priorWeight,
      multivariate,
      gamma: '0.1n<=25',
      weightsRamp: 25,
    },
    sample(space: SearchSpace, history, ctx): Proposal {
      const usable = ranked(history.filter((o) => space.names.every((n) => o.params[n] !== undefined)));
      if (usable.length < startup) {
        const u = Float64Array.from({ length: space.designDims }, () => ctx.rng.float());
        return { params: space.fromDesign(u), attrs: { phase: 'startup' } };
      }
      const nBelow = tpeGamma(usable.length);
      const byNumber = (a: Observation, b: Observation) => a.number - b.number;
      const below = usable.slice(0, nBelow).sort(byNumber);
      const above = usable.slice(nBelow).sort(byNumber);
      const axes = space.names.map((n) => axisOf(n, space.distributions[n]!));
      const dims = axes.length;
      const build = (group: readonly Observation[]) =>
        axes.map((a) =>
          estimator(
            a,
            group.map((o) => coordinate(a, o.params[a.name])),
            priorWeight,
            multivariate,
            dims,
          ),
        );
      const l = build(below);
      const g = build(above);
      const params: Settings = {};
      if (multivariate) {
        const rng = ctx.rng.fork('tpe');
        let best: number[] = [];
        let bestScore = Number.NEGATIVE_INFINITY;
        for (let c = 0; c < nCandidates; c++) {
          const k = pickKernel(l[0]!.weights, rng);
          const point = axes.map((a, d) => drawFrom(a, l[d]!, k, rng));
          const score = mixtureLog(axes, l, point) - mixtureLog(axes, g, point);
          if (score > bestScore) {
            bestScore = score;
            best = point;
          }
        }
        axes.forEach((a, d) => {
          params[a.name] = valueAt(a, best[d]!);
        });
      } else {
        axes.forEach((a, d) => {
          const rng = ctx.rng.fork(`tpe ${a.name}`);
          let best = 0;
          let bestScore = Number.NEGATIVE_INFINITY;
          for (let c = 0; c < nCandidates; c++) {
            const x = drawFrom(a, l[d]!, pickKernel(l[d]!.weights, rng), rng);
            const score = mixtureLog([a], [l[d]!], [x]) - mixtureLog([a], [g[d]!], [x]);
            if (score > bestScore) {
              bestScore = score;
              best = x;
            }
          }
          params[a.name] = valueAt(a, best);
        });
      }
      return { params, attrs: { phase: 'tpe', below: below.length, above: above.length } };
    },
  };
}
