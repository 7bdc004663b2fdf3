import { describe, expect, it } from 'vitest';
import { erfc, erfcx, log1mexp, normalCdf, normalPdf } from '../../src/core/special.js';
import { acquire, dLogH, LOG_EI, logH } from '../../src/tune/acquisition.js';

// Reference values from mpmath at 30 digits.
const ERFC: [number, number][] = [
  [0, 1],
  [0.1, 0.887537083981715],
  [0.5, 0.4795001221869535],
  [1, 0.15729920705028513],
  [2, 0.004677734981047266],
  [3, 2.209049699858544e-5],
  [5, 1.537459794428035e-12],
  [10, 2.088487583762545e-45],
  [-1, 1.8427007929497148],
];
const ERFCX: [number, number][] = [
  [0, 1],
  [0.3, 0.7345993345676551],
  [1, 0.42758357615580705],
  [3, 0.17900115118138996],
  [10, 0.05614099274382259],
  [100, 0.005641613782989433],
  [-1, 5.00898008076228],
];

describe('special functions', () => {
  it.each(ERFC)('erfc(%f)', (x, want) => {
    expect(Math.abs(erfc(x) - want) / want).toBeLessThan(1e-14);
  });
  it.each(ERFCX)('erfcx(%f)', (x, want) => {
    expect(Math.abs(erfcx(x) - want) / want).toBeLessThan(1e-14);
  });
  it('erfcx(x) = exp(x^2) erfc(x) where both are representable, and its asymptote', () => {
    for (const x of [-2, -0.4, 0.2, 0.46875, 0.47, 1.3, 3.99, 4.01, 6, 9]) {
      expect(erfcx(x)).toBeCloseTo(Math.exp(x * x) * erfc(x), 12);
    }
    for (const x of [50, 1e3, 1e8]) {
      const t = 1 / (2 * x * x);
      // erfcx(x) ~ (1 - t + 3 t^2 - 15 t^3 + 105 t^4) / (x sqrt(pi)), t = 1/(2x^2).
      const series = (1 - t + 3 * t * t - 15 * t ** 3 + 105 * t ** 4) / (x * Math.sqrt(Math.PI));
      expect(Math.abs(erfcx(x) - series) / series).toBeLessThan(1e-13);
    }
  });
  it('normal pdf and cdf', () => {
    expect(normalPdf(0)).toBeCloseTo(0.3989422804014327, 15);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    // Lower tail keeps relative precision (Phi(-20) = 2.7536241186062337e-89).
    expect(normalCdf(-20) / 2.7536241186062337e-89).toBeCloseTo(1, 12);
  });
  it('log1mexp on both branches', () => {
    for (const x of [-1e-10, -0.1, -0.69, -0.7, -5, -50]) {
      expect(log1mexp(x)).toBeCloseTo(Math.log(1 - Math.exp(x)), x > -1e-5 ? 4 : 12);
    }
    expect(log1mexp(-1e-20)).toBeCloseTo(Math.log(1e-20), 10);
  });
});

describe('log h(z) = log(phi(z) + z Phi(z)) of log-EI', () => {
  const direct = (z: number) => Math.log(normalPdf(z) + z * normalCdf(z));
  it('matches the direct formula where that is accurate', () => {
    for (const z of [-3, -1.5, -1.0000001, -1, -0.5, 0, 0.7, 3, 10])
      expect(logH(z)).toBeCloseTo(direct(z), 10);
  });
  it('is finite and follows the asymptotic series far in the tail (plain EI underflows to 0)', () => {
    for (const z of [-40, -1e3, -1e5, -1e9, -1e12]) {
      const z2 = z * z;
      // h(z) ~ phi(z) / z^2 (1 - 3/z^2 + 15/z^4 - 105/z^6 + 945/z^8).
      const w = 1 / z2;
      const series =
        -z2 / 2 -
        0.5 * Math.log(2 * Math.PI) -
        2 * Math.log(-z) +
        Math.log1p(w * (-3 + w * (15 + w * (-105 + 945 * w))));
      expect(Number.isFinite(logH(z))).toBe(true);
      expect(Math.abs(logH(z) - series) / Math.abs(series)).toBeLessThan(1e-12);
    }
    expect(normalPdf(-40) + -40 * normalCdf(-40)).toBe(0);
  });
  it('is continuous and increasing across its branch points, with the right derivative', () => {
    for (const z of [-1e4, -30, -5, -1, -0.3, 2]) {
      const h = Math.max(1e-6, Math.abs(z) * 1e-7);
      const fd = (logH(z + h) - logH(z - h)) / (2 * h);
      expect(Math.abs(dLogH(z) - fd) / Math.abs(fd)).toBeLessThan(1e-5);
      expect(dLogH(z)).toBeGreaterThan(0);
    }
    const eps = 1e-9;
    expect(logH(-1 - eps)).toBeCloseTo(logH(-1 + eps), 7);
    const za = -1 / Math.sqrt(Number.EPSILON);
    expect(Math.abs(logH(za * (1 + 1e-12)) - logH(za * (1 - 1e-12))) / Math.abs(logH(za))).toBeLessThan(1e-9);
    // Far tail: d log h/dz -> -z - 2/z (the asymptote's derivative).
    for (const z of [-1e9, -1e12]) expect(dLogH(z) / (-z - 2 / z)).toBeCloseTo(1, 9);
  });
});

describe('acquisition values and derivatives', () => {
  it('log EI equals log of the closed-form EI where that is representable', () => {
    // EI = (best - mu) Phi(z) + sigma phi(z).
    for (const [mu, v, best] of [
      [0, 1, 0],
      [0.3, 0.04, -0.1],
      [-1, 2, 0.5],
    ] as const) {
      const sd = Math.sqrt(v);
      const z = (best - mu) / sd;
      const ei = (best - mu) * normalCdf(z) + sd * normalPdf(z);
      expect(acquire(LOG_EI, mu, v, best).value).toBeCloseTo(Math.log(ei), 12);
    }
  });

  it('derivatives in mean and variance match finite differences (log EI and UCB)', () => {
    for (const acq of [LOG_EI, { kind: 'ucb', beta: 4 } as const]) {
      for (const [mu, v, best] of [
        [0, 1, 0],
        [2, 0.01, -1], // far below the incumbent: the log-EI tail
        [-0.5, 0.3, 0.2],
      ] as const) {
        const a = acquire(acq, mu, v, best);
        const h = 1e-6;
        const dm = (acquire(acq, mu + h, v, best).value - acquire(acq, mu - h, v, best).value) / (2 * h);
        const dv =
          (acquire(acq, mu, v + h * v, best).value - acquire(acq, mu, v - h * v, best).value) / (2 * h * v);
        expect(a.dMean).toBeCloseTo(dm, 4);
        expect(a.dVariance).toBeCloseTo(dv, 4);
      }
    }
  });

  it('UCB is -mu + sqrt(beta) sigma', () => {
    expect(acquire({ kind: 'ucb', beta: 4 }, 1, 0.25, 0).value).toBeCloseTo(-1 + 2 * 0.5, 15);
  });
});
