/**
 * The assignment relaxation of a job table as a mixed-integer program, and its solve with
 * HiGHS. Binary x[j][c] (job j on core c), continuous T:
 *
 *   minimise T  subject to  sum_c x[j][c] = 1                 (every job j)
 *                           sum_j d[j][c] x[j][c] <= T         (every core c)
 *                           sum_{j,c} q[j][c] x[j][c] <= T     (the system's bytes)
 *
 * with d = max(L, L W / B) and q = L W / B (why its optimum bounds every mapping's makespan:
 * docs/bounds.md). Extra valid rows (the bandwidth strengthening) can be appended.
 *
 * Conditioning: HiGHS's tolerances are absolute, so every coefficient is multiplied by
 * 2^-k with 2^k near the simple bound: T is then about 1 and a tolerance of 1e-9 is worth
 * about 1e-9 of the makespan. A power of two makes the scaling exact (it only moves the
 * floating-point exponent), so the scaled program is exactly the unscaled one.
 */
import { lowerBound } from '../core/bounds.js';
import type { JobTable } from '../core/table.js';
import { byteTimes, minDurations } from './cell-times.js';
import { highs, type ModelData } from './highs.js';

/** A valid row "sum coef * x <= T" (coefficients in cycles), appended to the relaxation. */
export interface ExtraRow {
  /** Cell indices j * C + c. */
  readonly cells: ArrayLike<number>;
  /** Coefficients in cycles, one per cell. */
  readonly coefs: ArrayLike<number>;
}

export interface RelaxationModelOptions {
  /**
   * The relaxation's value of some assignment (cycles), so the optimum is at most this:
   * T is capped by it and cells with d > upperBound are left out, which changes no
   * assignment at least as good (their cells all have d <= T <= upperBound).
   */
  readonly upperBound?: number;
  /** A valid lower bound on T (cycles), e.g. the simple bound. */
  readonly lowerBound?: number;
  /** Valid rows to append (the bandwidth strengthening). */
  readonly extraRows?: readonly ExtraRow[];
  /**
   * Order identical cores by load (load of the first >= load of the next): keeps one of the
   * C! equivalent assignments of a homogeneous platform (default true).
   */
  readonly breakSymmetry?: boolean;
}

export interface RelaxationModel {
  readonly data: ModelData;
  /** Coefficients in the model are cycles x scale; scale is a power of two. */
  readonly scale: number;
  /** Column of T (x[j][c] is column j * C + c). */
  readonly tColumn: number;
  /** Per cell, whether it may be used (d <= upperBound). */
  readonly allowed: Uint8Array;
  /**
   * The same assignment with identical cores relabelled so their loads decrease, as the
   * symmetry rows require (a start must satisfy them to be accepted).
   */
  canonical(core: ArrayLike<number>): Int32Array;
}

/** Groups of cores whose latency and bandwidth columns are identical (size > 1 only). */
export function identicalCoreGroups(table: JobTable): number[][] {
  const { numJobs: J, numCores: C, latency, bandwidth } = table;
  const groupOf = new Int32Array(C).fill(-1);
  const groups: number[][] = [];
  for (let c = 0; c < C; c++) {
    if (groupOf[c] !== -1) continue;
    const g = [c];
    for (let c2 = c + 1; c2 < C; c2++) {
      if (groupOf[c2] !== -1) continue;
      let same = true;
      for (let j = 0; j < J && same; j++)
        same = latency[j * C + c] === latency[j * C + c2] && bandwidth[j * C + c] === bandwidth[j * C + c2];
      if (same) {
        g.push(c2);
        groupOf[c2] = groups.length;
      }
    }
    groupOf[c] = groups.length;
    groups.push(g);
  }
  return groups.filter((g) => g.length > 1);
}

/** The power of two nearest to `x` (> 0). */
function powerOfTwoNear(x: number): number {
  return 2 ** Math.round(Math.log2(x));
}

/** Builds the relaxation (with `extraRows`) as HiGHS model data, scaled (see the header). */
export function relaxationModel(table: JobTable, options: RelaxationModelOptions = {}): RelaxationModel {
  const { numJobs: J, numCores: C } = table;
  const d = minDurations(table);
  const q = byteTimes(table);
  const simple = lowerBound(table);
  const scale = 1 / powerOfTwoNear(simple);
  const upper = options.upperBound ?? Number.POSITIVE_INFINITY;
  const allowed = new Uint8Array(J * C);
  for (let j = 0; j < J; j++) {
    let any = false;
    for (let c = 0; c < C; c++) {
      const ok = d[j * C + c]! <= upper;
      allowed[j * C + c] = ok ? 1 : 0;
      any ||= ok;
    }
    // An upper bound below a job's shortest duration is not one: keep every cell.
    if (!any) for (let c = 0; c < C; c++) allowed[j * C + c] = 1;
  }
  const groups = options.breakSymmetry === false ? [] : identicalCoreGroups(table);
  const extra = options.extraRows ?? [];
  const nSym = groups.reduce((n, g) => n + g.length - 1, 0);
  const numCols = J * C + 1;
  const T = J * C;
  const numRows = J + C + 1 + nSym + extra.length;

  // Row-wise (CSR) build: each row lists its columns in increasing order.
  const starts: number[] = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  const inf = highs.infinity;
  const endRow = (lo: number, hi: number) => {
    starts.push(indices.length);
    rowLower.push(lo);
    rowUpper.push(hi);
  };
  for (let j = 0; j < J; j++) {
    for (let c = 0; c < C; c++) {
      indices.push(j * C + c);
      values.push(1);
    }
    endRow(1, 1);
  }
  const coreRow = (c: number) => {
    for (let j = 0; j < J; j++) {
      const v = d[j * C + c]! * scale;
      if (v > 0) {
        indices.push(j * C + c);
        values.push(v);
      }
    }
  };
  for (let c = 0; c < C; c++) {
    coreRow(c);
    indices.push(T);
    values.push(-1);
    endRow(-inf, 0);
  }
  for (let i = 0; i < J * C; i++) {
    if (q[i]! > 0) {
      indices.push(i);
      values.push(q[i]! * scale);
    }
  }
  indices.push(T);
  values.push(-1);
  endRow(-inf, 0);
  // Symmetry: load(a) - load(b) >= 0 for consecutive identical cores a < b.
  for (const g of groups) {
    for (let k = 0; k + 1 < g.length; k++) {
      const a = g[k]!;
      const b = g[k + 1]!;
      for (let j = 0; j < J; j++) {
        const v = d[j * C + a]! * scale;
        if (v === 0) continue;
        indices.push(j * C + a, j * C + b);
        values.push(v, -v);
      }
      endRow(0, inf);
    }
  }
  for (const row of extra) {
    const entries = Array.from(row.cells, (cell, k) => [cell, row.coefs[k]! * scale] as const)
      .filter(([, v]) => v !== 0)
      .sort((a, b) => a[0] - b[0]);
    for (const [cell, v] of entries) {
      indices.push(cell);
      values.push(v);
    }
    indices.push(T);
    values.push(-1);
    endRow(-inf, 0);
  }

  const colCost = new Float64Array(numCols);
  colCost[T] = 1;
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols);
  for (let i = 0; i < J * C; i++) colUpper[i] = allowed[i]!;
  colLower[T] = Math.max(0, (options.lowerBound ?? 0) * scale);
  // T never needs to exceed the upper bound (a finite range also bounds the tolerance error).
  colUpper[T] = Number.isFinite(upper) ? upper * scale * (1 + 1e-9) : inf;
  const integrality = new Int32Array(numCols).fill(1);
  integrality[T] = 0;
  const canonical = (core: ArrayLike<number>): Int32Array => {
    const out = Int32Array.from(core);
    for (const g of groups) {
      const load = g.map((c) => {
        let l = 0;
        for (let j = 0; j < J; j++) if (core[j] === c) l += d[j * C + c]! * scale;
        return l;
      });
      // Heaviest first; a stable sort keeps equal loads in their order.
      const byLoad = g.map((_, k) => k).sort((a, b) => load[b]! - load[a]!);
      const relabel = new Map(byLoad.map((k, rank) => [g[k]!, g[rank]!]));
      for (let j = 0; j < J; j++) {
        const to = relabel.get(core[j]!);
        if (to !== undefined) out[j] = to;
      }
    }
    return out;
  };
  return {
    canonical,
    data: {
      numCols,
      numRows,
      colCost,
      colLower,
      colUpper,
      rowLower,
      rowUpper,
      matrix: { format: 'csr', numRows, numCols, starts, indices, values },
      integrality,
    },
    scale,
    tColumn: T,
    allowed,
  };
}

/**
 * HiGHS's primal, dual and integrality tolerances for a bound: its tightest (1e-10 of the
 * scaled values, i.e. of about 1e-10 of the makespan). They enter the certified margin
 * (certified.ts).
 */
export const SOLVER_TOLERANCE = 1e-10;

export interface SolveOptions {
  /** Seconds; HiGHS stops with its best dual bound then. */
  readonly timeLimit: number;
  /** Relative gap at which HiGHS stops (0: prove the optimum). */
  readonly mipRelGap?: number;
  /** A starting assignment (core per job) for HiGHS's incumbent. */
  readonly start?: Int32Array;
  /** Primal, dual and integrality tolerance (default SOLVER_TOLERANCE). */
  readonly tolerance?: number;
  /** Further HiGHS options (experiments). */
  readonly highsOptions?: Readonly<Record<string, number | string | boolean>>;
}

export interface SolveResult {
  readonly status: 'optimal' | 'time-limit';
  /** HiGHS's dual bound on T, in cycles (not yet discounted by the tolerance margin). */
  readonly dualBound: number;
  /** T of HiGHS's incumbent, in cycles (+inf without one). */
  readonly primal: number;
  /** The incumbent rounded to a core per job, or null without one. */
  readonly assignment: Int32Array | null;
  readonly mipGap: number;
  readonly seconds: number;
  readonly nodes: number;
}

/** Solves a relaxation model with HiGHS (blocking, at most `timeLimit` seconds of solver time). */
export function solveRelaxation(
  model: RelaxationModel,
  numJobs: number,
  numCores: number,
  options: SolveOptions,
): SolveResult {
  const t0 = performance.now();
  const m = highs.createModel(model.data);
  try {
    m.options.set({
      output_flag: false,
      time_limit: Math.max(0.01, options.timeLimit),
      mip_rel_gap: options.mipRelGap ?? 0,
      mip_abs_gap: 0,
      random_seed: 0,
      primal_feasibility_tolerance: options.tolerance ?? SOLVER_TOLERANCE,
      dual_feasibility_tolerance: options.tolerance ?? SOLVER_TOLERANCE,
      mip_feasibility_tolerance: options.tolerance ?? SOLVER_TOLERANCE,
      ...options.highsOptions,
    });
    if (options.start) {
      const start = model.canonical(options.start);
      const x = new Float64Array(model.data.numCols);
      for (let j = 0; j < numJobs; j++) x[j * numCores + start[j]!] = 1;
      let t = 0;
      const rows = model.data;
      // T of the start: the largest row activity of the "<= T" rows is found by HiGHS itself
      // when it completes the solution; give it a feasible value.
      for (let r = 0; r < rows.numRows; r++) {
        const lo = rows.matrix.starts[r]!;
        const hi = rows.matrix.starts[r + 1]!;
        let act = 0;
        let hasT = 0;
        for (let k = lo; k < hi; k++) {
          const col = rows.matrix.indices[k]!;
          if (col === model.tColumn) hasT = -rows.matrix.values[k]!;
          else act += rows.matrix.values[k]! * x[col]!;
        }
        if (hasT > 0) t = Math.max(t, (act - rows.rowUpper[r]!) / hasT);
      }
      x[model.tColumn] = t;
      m.setSolution({ colValue: x });
    }
    const run = m.run();
    const status = run.modelStatus === highs.constants.modelStatus.optimal ? 'optimal' : 'time-limit';
    if (
      run.modelStatus !== highs.constants.modelStatus.optimal &&
      run.modelStatus !== highs.constants.modelStatus.timeLimit &&
      run.modelStatus !== highs.constants.modelStatus.interrupted
    ) {
      throw new Error(`HiGHS stopped with model status ${run.modelStatus} on the assignment relaxation`);
    }
    const dual = Number(m.info.get('mip_dual_bound'));
    const primal = Number(m.info.get('objective_function_value'));
    const hasSolution = Number(m.info.get('primal_solution_status')) === 2;
    let assignment: Int32Array | null = null;
    if (hasSolution) {
      const x = m.getSolution().colValue;
      assignment = new Int32Array(numJobs);
      for (let j = 0; j < numJobs; j++) {
        let best = 0;
        for (let c = 1; c < numCores; c++) if (x[j * numCores + c]! > x[j * numCores + best]!) best = c;
        assignment[j] = best;
      }
    }
    return {
      status,
      dualBound: dual / model.scale,
      primal: hasSolution ? primal / model.scale : Number.POSITIVE_INFINITY,
      assignment,
      mipGap: Number(m.info.get('mip_gap')),
      seconds: (performance.now() - t0) / 1000,
      nodes: Number(m.info.get('mip_node_count')),
    };
  } finally {
    m.dispose();
  }
}
