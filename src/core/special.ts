/**
 * Special functions the acquisition needs in double precision: erfc and the scaled
 * complementary error function erfcx(x) = exp(x^2) erfc(x), by W. J. Cody's rational
 * Chebyshev approximations ("Rational Chebyshev approximations for the error function",
 * Math. Comp. 23, 1969; the coefficients of his CALERF, netlib specfun), accurate to about
 * 1e-16 relative on every range; plus the normal density/distribution and log(1 - e^x).
 */

const INV_SQRT_PI = 0.5641895835477563; // 1 / sqrt(pi)
const INV_SQRT_2PI = 0.3989422804014327; // 1 / sqrt(2 pi)
const SQRT1_2 = Math.SQRT1_2;

/** Cody's range boundaries: |x| <= 0.46875 uses erf's series-like fit; <= 4 and beyond differ. */
const X_SMALL_RANGE = 0.46875;
const X_MID_RANGE = 4;
/** Beyond this 1/(2x^2) no longer changes 1 in double precision: erfcx(x) = 1 / (x sqrt(pi)). */
const X_HUGE = 6.71e7;
/** Beyond this erfc(x) underflows to 0. */
const X_BIG_ERFC = 26.543;

const A = [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315];
const B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
const C = [
  0.5641884969886701, 8.883149794388375, 66.11919063714163, 298.6351381974001, 881.952221241769,
  1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
];
const D = [
  15.744926110709835, 117.6939508913125, 537.1811018620098, 1621.3895745666903, 3290.7992357334597,
  4362.619090143247, 3439.3676741437216, 1230.3393548037495,
];
const P = [
  0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 0.0006587491615298367,
  0.016315387137302097,
];
const Q = [
  2.5685201922898684, 1.8729528499234604, 0.5279051029514283, 0.06051834131244132, 0.0023352049762686918,
];

/** erf(x) for |x| <= 0.46875. */
function erfSmall(x: number): number {
  const ysq = x * x;
  let num = A[4]! * ysq;
  let den = ysq;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]!) * ysq;
    den = (den + B[i]!) * ysq;
  }
  return (x * (num + A[3]!)) / (den + B[3]!);
}

/** erfcx(y) for y > 0.46875. */
function erfcxLarge(y: number): number {
  if (y <= X_MID_RANGE) {
    let num = C[8]! * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    return (num + C[7]!) / (den + D[7]!);
  }
  if (y >= X_HUGE) return INV_SQRT_PI / y;
  const ysq = 1 / (y * y);
  let num = P[5]! * ysq;
  let den = ysq;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]!) * ysq;
    den = (den + Q[i]!) * ysq;
  }
  const r = (ysq * (num + P[4]!)) / (den + Q[4]!);
  return (INV_SQRT_PI - r) / y;
}

/** exp(-y^2) without the rounding error of squaring y first (Cody's split). */
function expNegSquare(y: number): number {
  const ysq = Math.floor(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq) * Math.exp(-del);
}

/** Scaled complementary error function exp(x^2) erfc(x); Infinity where it overflows (x < -26.6). */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  const pos = y <= X_SMALL_RANGE ? Math.exp(y * y) * (1 - erfSmall(y)) : erfcxLarge(y);
  if (x >= 0) return pos;
  // erfcx(-y) = 2 exp(y^2) - erfcx(y).
  const e = 1 / expNegSquare(y);
  return e + e - pos;
}

/** Complementary error function 1 - erf(x), accurate in the far tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  let pos: number;
  if (y <= X_SMALL_RANGE) pos = 1 - erfSmall(y);
  else if (y >= X_BIG_ERFC) pos = 0;
  else pos = expNegSquare(y) * erfcxLarge(y);
  if (x >= 0) return pos;
  return y <= X_SMALL_RANGE ? 1 + erfSmall(y) : 2 - pos;
}

export function normalPdf(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/** Standard normal distribution function, accurate in the lower tail. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z * SQRT1_2);
}

/** log(1 - e^x) for x < 0 without cancellation (Maechler 2012). */
export function log1mexp(x: number): number {
  return x > -Math.LN2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}
