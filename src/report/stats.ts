/**
 * From result lines to the comparison the reports show: per (problem, mapper) the mean and
 * spread over seeds of every figure, the best mapper of each problem, and speed-ups over a
 * baseline mapper.
 */
import type { OkLine, ResultLine } from './results.js';
import { cellKey } from './results.js';

export interface Stat {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (0 for one value). */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
}

export function stat(xs: readonly number[]): Stat {
  const n = xs.length;
  if (n === 0) return { n, mean: Number.NaN, sd: Number.NaN, min: Number.NaN, max: Number.NaN };
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const x of xs) {
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = sum / n;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  return { n, mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, min, max };
}

export function geomean(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  for (const x of xs) s += Math.log(x);
  return Math.exp(s / xs.length);
}

/** One (problem, mapper) over its seeds. */
export interface Entry {
  readonly problem: string;
  readonly mapper: string;
  /** The ok lines, in seed order. */
  readonly runs: readonly OkLine[];
  readonly failures: readonly { readonly seed: number; readonly error: string }[];
  /** Seeds with no line at all (not run yet). */
  readonly missing: readonly number[];
  /** Present when at least one seed succeeded. */
  readonly figures: {
    readonly ratio: Stat;
    readonly makespan: Stat;
    readonly lowerBound: number;
    readonly throughput: Stat;
    readonly macsPerCycle: Stat | null;
    readonly bandwidthUtilization: Stat;
    readonly coreUtilization: Stat;
    readonly evaluations: Stat;
    readonly seconds: Stat;
  } | null;
  /** Baseline mean makespan / this mean makespan (> 1: faster than the baseline). */
  readonly speedup: number | null;
  /** Lowest mean makespan of its problem among mappers with every seed done. */
  readonly best: boolean;
}

export interface Comparison {
  readonly problems: readonly string[];
  readonly mappers: readonly string[];
  readonly seeds: readonly number[];
  readonly baseline: string;
  /** entries[p][m]. */
  readonly entries: readonly (readonly Entry[])[];
  /** Per mapper: geometric mean over problems of the mean makespan / LB. */
  readonly geomeanRatio: readonly number[];
  /** Per mapper: geometric mean over problems of the speed-up over the baseline. */
  readonly geomeanSpeedup: readonly number[];
  /** Per mapper: problems where it is (one of) the best. */
  readonly wins: readonly number[];
}

export interface ComparisonPlan {
  readonly problems: readonly string[];
  readonly mappers: readonly string[];
  readonly seeds: readonly number[];
  readonly baseline: string;
}

export function compareResults(results: ReadonlyMap<string, ResultLine>, plan: ComparisonPlan): Comparison {
  const { problems, mappers, seeds, baseline } = plan;
  const raw = problems.map((problem) =>
    mappers.map((mapper) => {
      const runs: OkLine[] = [];
      const failures: { seed: number; error: string }[] = [];
      const missing: number[] = [];
      for (const seed of seeds) {
        const line = results.get(cellKey({ problem, mapper, seed }));
        if (!line) missing.push(seed);
        else if (line.status === 'ok') runs.push(line);
        else failures.push({ seed, error: line.error });
      }
      const of = (f: (l: OkLine) => number) => stat(runs.map(f));
      const withMacs = runs.filter((r) => r.macsPerCycle !== undefined);
      const figures = runs.length
        ? {
            ratio: of((l) => l.ratio),
            makespan: of((l) => l.makespan),
            lowerBound: runs[0]!.lowerBound,
            throughput: of((l) => l.throughput),
            macsPerCycle: withMacs.length === runs.length ? of((l) => l.macsPerCycle!) : null,
            bandwidthUtilization: of((l) => l.bandwidthUtilization),
            coreUtilization: of((l) => l.coreUtilization),
            evaluations: of((l) => l.evaluations),
            seconds: of((l) => l.seconds),
          }
        : null;
      return { problem, mapper, runs, failures, missing, figures };
    }),
  );
  const b = mappers.indexOf(baseline);
  const entries: Entry[][] = raw.map((row) => {
    const complete = row.map((e) => e.figures !== null && e.runs.length === seeds.length);
    let bestMean = Number.POSITIVE_INFINITY;
    row.forEach((e, m) => {
      if (complete[m]) bestMean = Math.min(bestMean, e.figures!.makespan.mean);
    });
    const base = b >= 0 ? row[b]!.figures?.makespan.mean : undefined;
    return row.map((e, m) => ({
      ...e,
      speedup: base !== undefined && e.figures ? base / e.figures.makespan.mean : null,
      best: complete[m]! && e.figures!.makespan.mean === bestMean,
    }));
  });
  const perMapper = <T>(f: (e: Entry) => T | null) =>
    mappers.map((_, m) => entries.map((row) => f(row[m]!)).filter((v): v is T => v !== null));
  return {
    problems,
    mappers,
    seeds,
    baseline,
    entries,
    geomeanRatio: perMapper((e) => e.figures?.ratio.mean ?? null).map(geomean),
    geomeanSpeedup: perMapper((e) => e.speedup).map(geomean),
    wins: mappers.map((_, m) => entries.filter((row) => row[m]!.best).length),
  };
}

/** Problems of one setting (a platform at a bandwidth) averaged over their workloads. */
export interface SettingRow {
  readonly setting: string;
  readonly problems: number;
  /** Per mapper: geometric mean of the mean makespan / LB over the setting's problems. */
  readonly ratio: readonly number[];
  /** Per mapper: geometric mean of the speed-up over the baseline. */
  readonly speedup: readonly number[];
  /** Per mapper: problems of the setting where it is (one of) the best. */
  readonly wins: readonly number[];
  /** Per mapper: lowest geo-mean ratio of the row. */
  readonly best: readonly boolean[];
}

/** `settings[p]` is problem p's setting; rows in order of first appearance. */
export function bySetting(c: Comparison, settings: readonly string[]): SettingRow[] {
  const order: string[] = [];
  const members = new Map<string, number[]>();
  settings.forEach((s, p) => {
    if (!members.has(s)) {
      order.push(s);
      members.set(s, []);
    }
    members.get(s)!.push(p);
  });
  return order.map((setting) => {
    const ps = members.get(setting)!;
    const col = <T>(f: (e: Entry) => T | null, m: number) =>
      ps.map((p) => f(c.entries[p]![m]!)).filter((v): v is T => v !== null);
    const ratio = c.mappers.map((_, m) => geomean(col((e) => e.figures?.ratio.mean ?? null, m)));
    const finite = ratio.filter(Number.isFinite);
    const low = finite.length ? Math.min(...finite) : Number.NaN;
    return {
      setting,
      problems: ps.length,
      ratio,
      speedup: c.mappers.map((_, m) => geomean(col((e) => e.speedup, m))),
      wins: c.mappers.map((_, m) => ps.filter((p) => c.entries[p]![m]!.best).length),
      best: ratio.map((r) => r === low),
    };
  });
}
