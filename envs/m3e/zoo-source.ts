/**
 * Problems drawn from the model zoo on random platforms: at every reset a task (vision,
 * language, recommendation or mix), a group of J layers of that task, a platform of C cores
 * and a bandwidth, analysed by the cost model. For training agents that must work on any
 * group, platform and bandwidth (m3e/Dispatch-v0 pads the varying sizes).
 *
 * Platforms come in four kinds, drawn uniformly, so that the presets' structures are all
 * covered: homogeneous (one core configuration), heterogeneous (dla cores and one to a
 * quarter of low-bandwidth shi / eye cores), big-little (two PE counts, each half with its
 * low-bandwidth core) and mixed (every core drawn on its own). PE counts and cluster sizes
 * are drawn from lists.
 *
 * The groups are the zoo's (`sampleTask`), never the MAGMA authors' groups, which are kept
 * for testing. One cost model serves every draw, so a (layer, core configuration) is costed
 * once and later groups reuse the cached cells.
 */

import { parseTaskName, sampleTask, TASK_NAMES, type TaskName } from '../../models/tasks.js';
import { analyzeJobs, modelForPlatform } from '../../src/analyzer/analyze.js';
import { InputError, show } from '../../src/core/errors.js';
import type { Rng } from '../../src/core/rng.js';
import type { JobTable } from '../../src/core/table.js';
import { type CoreSpec, coreName, type Platform } from '../../src/platform/platform.js';
import type { ProblemSource, Range } from './problem-source.js';

export const ZOO_STYLES = ['dla', 'shi', 'eye'] as const;
type Style = (typeof ZOO_STYLES)[number];
const LOW_BANDWIDTH: readonly Style[] = ['shi', 'eye'];

export interface ZooSourceOptions {
  /** Tasks drawn uniformly (default: all four). */
  readonly tasks?: readonly string[];
  /** Jobs per group, drawn log-uniformly in the range (default [20, 300]). */
  readonly jobs?: Range;
  /** Cores per platform, drawn uniformly in the range (default [2, 16]). */
  readonly cores?: Range;
  /** System bandwidth, bytes per cycle, drawn log-uniformly (default [1, 256]). */
  readonly bandwidth?: Range;
  /** PE counts a core may have (default 1024, 2048, 4096, 8192). */
  readonly pes?: readonly number[];
  /** Cluster sizes (PE array widths) a core may have (default 32, 64). */
  readonly clusterSizes?: readonly number[];
}

export const ZOO_DEFAULTS = {
  jobs: [20, 300],
  cores: [2, 16],
  bandwidth: [1, 256],
  pes: [1024, 2048, 4096, 8192],
  clusterSizes: [32, 64],
} as const;

function range(name: string, r: Range, min: number, integer: boolean): readonly [number, number] {
  const [lo, hi] = typeof r === 'number' ? [r, r] : r;
  const ok = (v: number) => Number.isFinite(v) && v >= min && (!integer || Number.isInteger(v));
  if (!ok(lo) || !ok(hi) || lo > hi)
    throw new InputError(
      `${name} must be ${integer ? 'an integer' : 'a number'} >= ${min} or a range [low, high] of them, got ${show(r)}`,
    );
  return [lo, hi];
}

function logUniform(rng: Rng, [lo, hi]: readonly [number, number]): number {
  return lo === hi ? lo : Math.exp(rng.uniform(Math.log(lo), Math.log(hi)));
}

/** An integer in [lo, hi], log-uniform (each scale equally likely). */
function logUniformInt(rng: Rng, r: readonly [number, number]): number {
  return Math.min(r[1], Math.floor(logUniform(rng, [r[0], r[1] + 1])));
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)]!;
}

/** A random platform of `cores` cores (see the module comment for the four kinds). */
export function randomPlatform(
  rng: Rng,
  cores: number,
  pes: readonly number[] = ZOO_DEFAULTS.pes,
  clusterSizes: readonly number[] = ZOO_DEFAULTS.clusterSizes,
): Platform {
  const config = (style: Style, p = pick(rng, pes)): [Style, number, number] => {
    const fits = clusterSizes.filter((cs) => cs <= p);
    return [style, p, fits.length ? pick(rng, fits) : p];
  };
  const kind = rng.int(4);
  let list: [Style, number, number][];
  if (kind === 0) {
    const c = config(pick(rng, ZOO_STYLES));
    list = Array.from({ length: cores }, () => c);
  } else if (kind === 1) {
    const big = config('dla');
    const lb = config(pick(rng, LOW_BANDWIDTH), big[1]);
    const nLow = 1 + rng.int(Math.max(1, Math.floor(cores / 4)));
    list = Array.from({ length: cores }, (_, i) => (i >= cores - nLow ? lb : big));
  } else if (kind === 2) {
    const halves = [Math.ceil(cores / 2), Math.floor(cores / 2)];
    const lbStyle = pick(rng, LOW_BANDWIDTH);
    list = [];
    for (const n of halves) {
      const big = config('dla');
      const lb = config(lbStyle, big[1]);
      for (let i = 0; i < n; i++) list.push(i === n - 1 && n > 1 ? lb : big);
    }
  } else {
    list = Array.from({ length: cores }, () => config(pick(rng, ZOO_STYLES)));
  }
  const specs: CoreSpec[] = list.map(([style, p, cs], i) => ({
    name: coreName(i, style, p),
    style,
    pes: p,
    clusterSize: cs,
    flexible: false,
  }));
  return { name: `random-${cores}`, cores: specs, dataflows: {} };
}

/**
 * The zoo's problems: `draw(rng)` a table (task, group, platform, bandwidth); one cost model
 * and its cache serve every draw.
 */
export class ZooProblems {
  readonly tasks: readonly TaskName[];
  readonly jobs: readonly [number, number];
  readonly cores: readonly [number, number];
  readonly bandwidth: readonly [number, number];
  readonly pes: readonly number[];
  readonly clusterSizes: readonly number[];
  private readonly model = modelForPlatform({ name: 'zoo', cores: [], dataflows: {} });

  constructor(o: ZooSourceOptions = {}) {
    this.tasks = (o.tasks ?? TASK_NAMES).map((t) => parseTaskName(t, 'tasks'));
    if (this.tasks.length === 0) throw new InputError('tasks must list at least one task');
    this.jobs = range('jobs', o.jobs ?? ZOO_DEFAULTS.jobs, 1, true);
    this.cores = range('cores', o.cores ?? ZOO_DEFAULTS.cores, 1, true);
    this.bandwidth = range('bandwidth', o.bandwidth ?? ZOO_DEFAULTS.bandwidth, Number.MIN_VALUE, false);
    this.pes = o.pes ?? ZOO_DEFAULTS.pes;
    this.clusterSizes = o.clusterSizes ?? ZOO_DEFAULTS.clusterSizes;
    for (const [name, xs] of [
      ['pes', this.pes],
      ['clusterSizes', this.clusterSizes],
    ] as const)
      if (xs.length === 0 || xs.some((x) => !Number.isInteger(x) || x < 1))
        throw new InputError(`${name} must list positive integers, got ${show(xs)}`);
  }

  describe(): Record<string, unknown> {
    const { tasks, jobs, cores, bandwidth, pes, clusterSizes } = this;
    return { kind: 'zoo', tasks, jobs, cores, bandwidth, pes, clusterSizes };
  }

  /** A table; `maxJobs` (a curriculum) caps the group size below the range's top. */
  draw(rng: Rng, maxJobs = this.jobs[1]): JobTable {
    const task = pick(rng, this.tasks);
    const hi = Math.max(this.jobs[0], Math.min(this.jobs[1], Math.floor(maxJobs)));
    const J = logUniformInt(rng, [this.jobs[0], hi]);
    const C = this.cores[0] + rng.int(this.cores[1] - this.cores[0] + 1);
    const platform = randomPlatform(rng, C, this.pes, this.clusterSizes);
    const B = logUniform(rng, this.bandwidth);
    return analyzeJobs(sampleTask(task, J, rng.uint32()), platform, {
      systemBandwidth: B,
      model: this.model,
    });
  }
}

/** A new zoo group on a new random platform at a new bandwidth at every draw. */
export function zooSource(o: ZooSourceOptions = {}): ProblemSource {
  const zoo = new ZooProblems(o);
  return {
    numJobs: zoo.jobs[1],
    numCores: zoo.cores[1],
    variableSize: true,
    describe: () => zoo.describe(),
    next: (rng) => zoo.draw(rng),
  };
}
