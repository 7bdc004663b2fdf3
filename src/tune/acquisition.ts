/**
 * Acquisition functions for minimisation, on the GP's standardised scale; larger is better.
 *
 * - log expected improvement: log E[max(best - f, 0)] = log sigma + log h(z), z = (best - mu) / sigma,
 *   h(z) = phi(z) + z Phi(z). Plain EI underflows to 0 (and its gradient with it) a few sigma
 *   away from the incumbent, which flattens the acquisition exactly where the optimiser must
 *   climb; log h is computed without underflow or cancellation for every z, following Ament
 *   et al., "Unexpected improvements to expected improvement" (NeurIPS 2023): directly for
 *   z > -1, through the scaled complementary error function below, and by the asymptotic
 *   h(z) ~ phi(z) / z^2 beyond -1/sqrt(eps).
 * - upper confidence bound (for minimisation, the lower bound negated): -mu + sqrt(beta) sigma.
 */
import { erfcx, log1mexp, normalCdf, normalPdf } from '../core/special.js';

export type Acquisition = { readonly kind: 'logEI' } | { readonly kind: 'ucb'; readonly beta: number };

export const LOG_EI: Acquisition = { kind: 'logEI' };

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const HALF_LOG_PI_OVER_2 = 0.5 * Math.log(Math.PI / 2);
/** Below this z, 1 - z sqrt(pi/2) erfcx(-z/sqrt2) is lost to rounding: use the asymptote. */
const Z_ASYMPTOTIC = -1 / Math.sqrt(Number.EPSILON);
/** Variances below this (standardised) are treated as this: a GP posterior at a training
 * point is ~0 up to rounding, and log sigma must stay finite. */
const MIN_VARIANCE = 1e-12;

/** log h(z) = log(phi(z) + z Phi(z)), stable for every real z. */
export function logH(z: number): number {
  if (z > -1) return Math.log(normalPdf(z) + z * normalCdf(z));
  return -0.5 * z * z + logHTail(z);
}

/** log h(z) + z^2/2 for z <= -1: log h without its Gaussian factor, so ratios of tails
 * are taken without subtracting two huge z^2/2 terms. */
function logHTail(z: number): number {
  if (z > Z_ASYMPTOTIC) {
    // h = phi(z) (1 - |z| sqrt(pi/2) erfcx(|z|/sqrt2)).
    const t = Math.log(erfcx(-z * Math.SQRT1_2) * -z) + HALF_LOG_PI_OVER_2;
    return -HALF_LOG_2PI + log1mexp(t);
  }
  return -HALF_LOG_2PI - 2 * Math.log(-z);
}

/** log Phi(z), stable in the lower tail. */
export function logNormalCdf(z: number): number {
  if (z > -1) return Math.log(normalCdf(z));
  // Phi(z) = erfc(-z/sqrt2)/2 = erfcx(-z/sqrt2) exp(-z^2/2) / 2.
  return Math.log(0.5 * erfcx(-z * Math.SQRT1_2)) - 0.5 * z * z;
}

/** d log h / dz = Phi(z) / h(z). */
export function dLogH(z: number): number {
  if (z > -1) return normalCdf(z) / (normalPdf(z) + z * normalCdf(z));
  return Math.exp(Math.log(0.5 * erfcx(-z * Math.SQRT1_2)) - logHTail(z));
}

/** Value and partial derivatives with respect to the posterior mean and variance. */
export interface AcquisitionValue {
  value: number;
  dMean: number;
  dVariance: number;
}

/**
 * The acquisition at a point with posterior (mean, variance), given the incumbent `best`
 * (the lowest standardised observation), and its derivatives in mean and variance.
 */
export function acquire(
  acq: Acquisition,
  mean: number,
  variance: number,
  best: number,
  out: AcquisitionValue = { value: 0, dMean: 0, dVariance: 0 },
): AcquisitionValue {
  const floored = variance < MIN_VARIANCE;
  const v = floored ? MIN_VARIANCE : variance;
  const sigma = Math.sqrt(v);
  if (acq.kind === 'ucb') {
    const k = Math.sqrt(acq.beta);
    out.value = -mean + k * sigma;
    out.dMean = -1;
    out.dVariance = floored ? 0 : k / (2 * sigma);
    return out;
  }
  const z = (best - mean) / sigma;
  const g = dLogH(z);
  out.value = Math.log(sigma) + logH(z);
  out.dMean = -g / sigma;
  // d/dv [log sigma + log h((best - mu)/sigma)] = (1 - z g) / (2 v).
  out.dVariance = floored ? 0 : (1 - z * g) / (2 * v);
  return out;
}
