/**
 * Closed forms of runtime, L2 and L1 for the built-in dataflows,
 * generalised to any cluster size `cs` (N = floor(P / cs) clusters). They are a fast path
 * for ranking the flexible cluster-size candidates and a cross-check of the engine
 * (test/costmodel/closed-forms.test.ts compares them on random layers); the engine stays the
 * reference. Each form returns undefined outside the domain where it was validated, notably
 * where MAESTRO's edge-tile quirk arises (the corrected and compatible models differ there).
 */
import type { ConvDims } from '../workload/layer.js';

export interface ClosedForm {
  readonly runtime: number;
  readonly l2: number;
  readonly l1: number;
}

const ceilDiv = (a: number, b: number) => Math.ceil(a / b);

/** NVDLA-like: K across N clusters, C across the cs PEs of a cluster; one output per step. */
function dla(d: ConvDims, pes: number, cs: number): ClosedForm | undefined {
  const N = Math.floor(pes / cs);
  if (N < 1 || d.type !== 'CONV') return undefined;
  const Yo = d.Y - d.R + 1;
  const Xo = d.X - d.S + 1;
  const RS = d.R * d.S;
  const runtime = ceilDiv(d.K, N) * ceilDiv(d.C, cs) * Yo * Xo * (RS + 1) + 1;
  const Ct = Math.min(d.C, cs);
  const n = Math.min(d.K, N);
  // Output elements of the first step: MAESTRO's last, partial cluster of an init-edge fold
  // contributes nothing, so K < N gives K - 1 (but 1 for K = 1).
  const o = d.K >= N ? N : d.K === 1 ? 1 : d.K - 1;
  const l2 = 2 * (Ct * RS + n * Ct * RS + o);
  return { runtime, l2, l1: 6 * RS };
}

/** ShiDianNao-like: R output rows per cluster (N clusters), cs output columns per cluster. */
function shi(d: ConvDims, pes: number, cs: number): ClosedForm | undefined {
  const N = Math.floor(pes / cs);
  const { R, S, X } = d;
  const Yo = d.Y - R + 1;
  const Xo = X - S + 1;
  // Outside: Y' < R (a partial single cluster) and cs <= X < cs + S - 1 (edge-tile quirk).
  if (N < 1 || d.type !== 'CONV' || Yo < R || (X >= cs && X < cs + S - 1)) return undefined;
  const rows = (r: number) => r * R * S + 1;
  let perColumnFold: number;
  const fold = R * N;
  if (Yo <= fold) perColumnFold = rows(R);
  else {
    perColumnFold = Math.floor(Yo / fold) * rows(R);
    const rho = Yo % fold;
    if (rho > 0) perColumnFold += rows(rho < 2 * R ? Yo % R || R : R);
  }
  const runtime = d.K * d.C * ceilDiv(Xo, cs) * perColumnFold + 1;
  const Xt = X < cs ? X : cs - 1 + S;
  const Xot = Xt - S + 1;
  let l2: number;
  if (Yo >= fold) l2 = 2 * (N * (2 * R - 1) * Xt + R * S + N * R * Xot);
  else {
    const n = ceilDiv(Yo, R);
    const m = Yo % R;
    l2 = 2 * (((n - 1) * (2 * R - 1) + (m ? m + R - 1 : 2 * R - 1)) * Xt + R * S + Yo * Xot);
  }
  return { runtime, l2, l1: 6 * R * S };
}

/** Depth-wise: cs channels per PE, everything else temporal, one level. */
function dpt(d: ConvDims, pes: number, cs: number): ClosedForm | undefined {
  if (d.type !== 'DSCONV' || d.C > cs * pes) return undefined;
  const Yo = d.Y - d.R + 1;
  const Xo = d.X - d.S + 1;
  const RS = d.R * d.S;
  const runtime = Yo * Xo * Math.min(d.C, cs) * RS + 1;
  // In a partial fold (C < cs x P) whose last PE gets a full cs channels, MAESTRO counts no
  // outputs for that PE (its edge-edge quirk).
  const lost = d.C > cs && d.C % cs === 0 && d.C < cs * pes ? cs : 0;
  const l2 = 2 * (2 * d.C * RS + d.C - lost);
  return { runtime, l2, l1: 6 * cs * RS };
}

const FORMS: Record<string, (d: ConvDims, pes: number, cs: number) => ClosedForm | undefined> = {
  dla,
  shi,
  dpt,
};

/** Closed-form runtime/L2/L1 of a built-in dataflow, or undefined where none is validated. */
export function closedForm(dataflow: string, d: ConvDims, pes: number, cs: number): ClosedForm | undefined {
  const f = FORMS[dataflow];
  return f ? f(d, pes, cs) : undefined;
}
