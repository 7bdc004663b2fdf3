/**
 * Hyper-parameter importance: how much of the spread of the objective over a study's
 * complete trials each parameter explains on its own. fANOVA (Hutter et al. 2014, Optuna's
 * default evaluator) fits a random forest and integrates its main effects; this is the same
 * first-order variance decomposition estimated without the forest: the trials are binned by
 * the parameter (categoricals by choice, numbers by quantile in their design scale, about
 * sqrt(n) bins, 2 to 10) and the between-bin share of the variance is taken, with the
 * epsilon-squared correction for the share that B bins explain by chance, (B - 1) x the
 * within-bin mean square. Shares are then normalised to sum to 1, as Optuna reports them.
 * Interactions are not separated, and with few trials the figures are rough: they rank the
 * parameters, they do not measure them.
 */
import type { Distributions } from './space.js';
import type { FrozenTrial } from './storage.js';

export interface Importance {
  readonly name: string;
  /** Share of the explained variance, normalised over the parameters (sums to 1, or all 0). */
  readonly importance: number;
  /** Epsilon-squared: the variance this parameter alone explains, bias-corrected, >= 0. */
  readonly explained: number;
  readonly bins: number;
}

function binsFor(n: number): number {
  return Math.max(2, Math.min(10, Math.floor(Math.sqrt(n))));
}

/** Bin index of every trial for one parameter. */
function binOf(values: readonly unknown[], d: Distributions[string]): { bin: number[]; count: number } {
  if (d.type === 'categorical') {
    const idx = values.map((v) => d.choices.indexOf(v as never));
    return { bin: idx, count: d.choices.length };
  }
  const x = values.map((v) => (d.log ? Math.log(v as number) : (v as number)));
  const order = x.map((_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const B = binsFor(x.length);
  const bin = new Array<number>(x.length);
  // Equal-count bins by rank; equal values share the bin of their first occurrence.
  order.forEach((i, rank) => {
    bin[i] = Math.floor((rank * B) / x.length);
  });
  for (let r = 1; r < order.length; r++)
    if (x[order[r]!] === x[order[r - 1]!]) bin[order[r]!] = bin[order[r - 1]!]!;
  return { bin, count: B };
}

export function parameterImportance(trials: readonly FrozenTrial[], space: Distributions): Importance[] {
  const complete = trials.filter(
    (t) =>
      t.state === 'complete' &&
      t.value !== null &&
      Object.keys(space).every((k) => t.params[k] !== undefined),
  );
  const n = complete.length;
  const names = Object.keys(space);
  if (n < 3) return names.map((name) => ({ name, importance: 0, explained: 0, bins: 0 }));
  const y = complete.map((t) => t.value!);
  const grand = y.reduce((a, b) => a + b, 0) / n;
  const total = y.reduce((s, v) => s + (v - grand) ** 2, 0);
  const raw = names.map((name) => {
    const { bin, count } = binOf(
      complete.map((t) => t.params[name]),
      space[name]!,
    );
    const sums = new Float64Array(count);
    const counts = new Float64Array(count);
    bin.forEach((b, i) => {
      sums[b]! += y[i]!;
      counts[b]!++;
    });
    let between = 0;
    let used = 0;
    for (let b = 0; b < count; b++) {
      if (!counts[b]) continue;
      used++;
      between += counts[b]! * (sums[b]! / counts[b]! - grand) ** 2;
    }
    const within = total - between;
    const msWithin = n > used ? within / (n - used) : 0;
    const explained = total > 0 ? Math.max(0, (between - (used - 1) * msWithin) / total) : 0;
    return { name, explained, bins: used };
  });
  const sum = raw.reduce((s, r) => s + r.explained, 0);
  return raw
    .map((r) => ({ ...r, importance: sum > 0 ? r.explained / sum : 0 }))
    .sort((a, b) => b.importance - a.importance || a.name.localeCompare(b.name));
}
