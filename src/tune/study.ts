/** Studies and trials in Optuna's shape ({@link createStudy}, {@link Study}, {@link Trial}). */
import { InputError, show } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { gpSampler } from './samplers/gp-bo.js';
import type { Observation, Sampler } from './samplers/sampler.js';
import {
  containsValue,
  type Distribution,
  type Distributions,
  type ParamValue,
  plainDistribution,
  SearchSpace,
  type Settings,
  sameDistribution,
  validateDistribution,
} from './space.js';
import {
  type Direction,
  type EnqueuedTrial,
  type FrozenTrial,
  JsonLinesStorage,
  type StudyHeader,
} from './storage.js';

export type { Direction, FrozenTrial, TrialState } from './storage.js';

/** Options of {@link createStudy}. */
export interface StudyOptions {
  readonly direction?: Direction;
  /** Default: the GP sampler (Halton start, log EI). */
  readonly sampler?: Sampler;
  readonly seed?: number;
  /**
   * Path of a JSON-lines file recording the study: a header line, then one line per
   * enqueued and per finished trial, each appended and fsynced as it happens.
   */
  readonly storage?: string;
  /** Continue the study stored at `storage` (otherwise an existing non-empty file is an error). */
  readonly resume?: boolean;
  /** The search space, when known up front: the sampler then covers it from trial 0. */
  readonly space?: Distributions;
  /** Free-form description of the experiment; a resume must present the same. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * What a study optimises: a function of a trial that suggests its parameters and returns
 * the value (or a promise of it). A throw, or a value that is not a finite number, records
 * the trial as failed.
 */
export type ObjectiveFunction = (trial: Trial) => number | Promise<number>;

/** Options of {@link Study.optimize}. */
export interface OptimizeOptions {
  /** Trials to run in this call. */
  readonly nTrials: number;
  /** Called after each trial is recorded. */
  readonly onTrial?: (trial: FrozenTrial, study: Study) => void;
  /**
   * Stops the study: no trial starts once it is aborted, and a trial whose objective throws
   * after the abort is not recorded (its error is thrown), so a resumed study runs it again.
   */
  readonly signal?: AbortSignal;
}

/**
 * A new study, or with `resume` the one stored at `storage` (Optuna's `create_study`):
 *
 * ```ts
 * const study = createStudy({ direction: 'minimize', sampler: gpSampler(), seed: 1, storage: 'runs/s.jsonl' });
 * await study.optimize((trial) => {
 *   const x = trial.suggestFloat('x', -5, 5);
 *   const n = trial.suggestInt('n', 1, 64, { log: true });
 *   return (x - 1) ** 2 + n;
 * }, { nTrials: 40 });
 * study.bestTrial; // { number, params, value, ... }
 * ```
 *
 * Reproducibility: trial k's randomness is a function of (seed, k) only, and the sampler sees
 * the finished trials exactly as stored, so a study resumed from its storage proposes and
 * records what an uninterrupted one would have (the objective must be deterministic too).
 * A torn last line (a process killed mid-write) is dropped on loading; a trial that was
 * running when the process died has no record and simply runs again.
 *
 * @throws `InputError` for a bad direction, seed or space; a storage file that already holds
 *   a study without `resume`; or, resuming, a stored study created with another direction,
 *   seed, sampler, space or metadata.
 */
export function createStudy(options: StudyOptions = {}): Study {
  const sampler = options.sampler ?? gpSampler();
  const seed = options.seed ?? 0;
  if (!Number.isFinite(seed)) throw new InputError(`seed must be a finite number, got ${show(seed)}`);
  const space = options.space
    ? Object.fromEntries(
        Object.entries(options.space).map(([k, d]) => {
          validateDistribution(k, d);
          return [k, plainDistribution(d)];
        }),
      )
    : null;
  const header: StudyHeader = {
    direction: options.direction ?? 'minimize',
    seed,
    sampler: { name: sampler.name, config: JSON.parse(JSON.stringify(sampler.config)) },
    space,
    metadata: JSON.parse(JSON.stringify(options.metadata ?? {})),
  };
  if (header.direction !== 'minimize' && header.direction !== 'maximize')
    throw new InputError(`direction must be "minimize" or "maximize", got ${show(header.direction)}`);

  const storage = options.storage ? new JsonLinesStorage(options.storage) : null;
  const stored = storage?.load() ?? null;
  if (stored && !options.resume)
    throw new InputError(
      `study file ${options.storage} already holds a study; resume it or choose another file`,
    );
  if (stored) {
    checkSameHeader(options.storage!, stored.header, header);
    return new Study(header, sampler, storage, stored.trials, stored.enqueued);
  }
  storage?.writeHeader(header);
  return new Study(header, sampler, storage, [], []);
}

function checkSameHeader(path: string, was: StudyHeader, now: StudyHeader): void {
  const diff = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b))
      throw new InputError(
        `study file ${path} was created with ${what} ${show(a)}, not ${show(b)}: resume with the same settings or start a new study`,
      );
  };
  diff('direction', was.direction, now.direction);
  diff('seed', was.seed, now.seed);
  diff('sampler', was.sampler, now.sampler);
  diff('space', was.space, now.space);
  const keys = new Set([...Object.keys(was.metadata), ...Object.keys(now.metadata)]);
  for (const k of keys) diff(k, was.metadata[k], now.metadata[k]);
}

/**
 * A study: trials of an objective, proposed by a sampler and recorded (Optuna's `Study`).
 *
 * Sampling follows Optuna: the parameters of the study's search space (declared with
 * {@link StudyOptions.space}, or else the intersection of the distributions of the complete
 * trials so far) are proposed jointly by the sampler before the objective runs; any other
 * parameter is drawn uniformly ("independent" sampling). A trial whose objective throws or
 * returns a non-finite value is recorded as failed with its error; the study goes on.
 */
export class Study {
  private readonly finished: FrozenTrial[];
  private readonly queue: EnqueuedTrial[];
  private enqueuedCount: number;

  /** @internal use createStudy */
  constructor(
    readonly header: StudyHeader,
    readonly sampler: Sampler,
    private readonly storage: JsonLinesStorage | null,
    trials: readonly FrozenTrial[],
    enqueued: readonly EnqueuedTrial[],
  ) {
    this.finished = [...trials];
    const used = new Set(trials.map((t) => t.systemAttrs.enqueued).filter((e) => typeof e === 'number'));
    this.queue = enqueued.filter((e) => !used.has(e.index));
    this.enqueuedCount = enqueued.length;
  }

  get direction(): Direction {
    return this.header.direction;
  }

  /** The finished trials, in order (complete and failed). */
  get trials(): readonly FrozenTrial[] {
    return this.finished;
  }

  /** The best complete trial (the earliest on ties), or null if none completed. */
  get bestTrial(): FrozenTrial | null {
    let best: FrozenTrial | null = null;
    const sign = this.direction === 'minimize' ? 1 : -1;
    for (const t of this.finished) {
      if (t.state !== 'complete') continue;
      if (!best || sign * t.value! < sign * best.value!) best = t;
    }
    return best;
  }

  /** Enqueued trials not run yet. */
  get pendingEnqueued(): number {
    return this.queue.length;
  }

  /**
   * Queues fixed parameters for the next trial (before any sampling), e.g. known defaults.
   * Queued trials run first, in order; their values must lie in the study's space.
   *
   * @throws `InputError` for a parameter outside the study's space or its distribution.
   */
  enqueueTrial(params: Readonly<Settings>): void {
    const space = this.header.space;
    if (space) {
      for (const [k, v] of Object.entries(params)) {
        const d = space[k];
        if (!d) throw new InputError(`enqueueTrial: ${show(k)} is not a parameter of the study's space`);
        if (!containsValue(d, v))
          throw new InputError(`enqueueTrial: ${k} = ${show(v)} is outside its distribution`);
      }
    }
    const e: EnqueuedTrial = { index: this.enqueuedCount++, params: { ...params } };
    this.storage?.appendEnqueued(e);
    this.queue.push(e);
  }

  /**
   * Runs `nTrials` trials one after another: each is proposed (an enqueued trial first, else
   * the sampler), its objective awaited, and the trial recorded, in storage too, before the
   * next starts.
   *
   * @throws `InputError` when nTrials is not a non-negative integer; errors of the objective
   *   are recorded in the trial, not thrown.
   */
  async optimize(objective: ObjectiveFunction, options: OptimizeOptions): Promise<void> {
    const { nTrials } = options;
    if (!Number.isInteger(nTrials) || nTrials < 0)
      throw new InputError(`nTrials must be a non-negative integer, got ${show(nTrials)}`);
    for (let i = 0; i < nTrials; i++) {
      if (options.signal?.aborted) return;
      const t = await this.runTrial(objective, options.signal);
      options.onTrial?.(t, this);
    }
  }

  /** The space the sampler proposes jointly for the next trial, or null if none yet. */
  relativeSpace(): Distributions | null {
    if (this.header.space) return this.header.space;
    let space: Record<string, Distribution> | null = null;
    for (const t of this.finished) {
      if (t.state !== 'complete') continue;
      if (!space) {
        space = { ...t.distributions };
        continue;
      }
      for (const k of Object.keys(space)) {
        const d = t.distributions[k];
        if (!d || !sameDistribution(d, space[k]!)) delete space[k];
      }
    }
    return space && Object.keys(space).length ? space : null;
  }

  private async runTrial(objective: ObjectiveFunction, signal?: AbortSignal): Promise<FrozenTrial> {
    const number = this.finished.length;
    const { seed } = this.header;
    const t0 = performance.now();
    let relative: Settings = {};
    let relativeSpace: Distributions | null = null;
    let systemAttrs: Record<string, unknown> = {};
    const queued = this.queue.shift();
    if (queued) {
      relative = { ...queued.params };
      systemAttrs = { enqueued: queued.index };
    } else {
      relativeSpace = this.relativeSpace();
      if (relativeSpace) {
        const space = new SearchSpace(relativeSpace);
        const proposal = this.sampler.sample(space, this.observations(relativeSpace), {
          trialNumber: number,
          studySeed: seed,
          rng: new Rng(seed).fork(`trial ${number}`),
        });
        relative = proposal.params;
        systemAttrs = { ...(proposal.attrs ?? {}) };
      }
    }
    const samplerSeconds = (performance.now() - t0) / 1000;

    const trial = new Trial(number, seed, { values: relative, space: queued ? null : relativeSpace });
    const t1 = performance.now();
    let value: number | null = null;
    let error: string | null = null;
    try {
      const v = await objective(trial);
      if (typeof v !== 'number' || !Number.isFinite(v))
        error = `objective returned ${show(v)}, not a finite number`;
      else value = v;
    } catch (e) {
      // Stopped from outside: the trial did not fail, it did not finish; nothing is recorded.
      if (signal?.aborted) {
        if (queued) this.queue.unshift(queued);
        throw e;
      }
      error = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
    }
    const frozen: FrozenTrial = {
      number,
      state: error === null ? 'complete' : 'failed',
      params: trial.params,
      distributions: trial.distributions,
      value,
      error,
      seconds: (performance.now() - t1) / 1000,
      samplerSeconds,
      userAttrs: JSON.parse(JSON.stringify(trial.userAttrs)),
      systemAttrs: JSON.parse(JSON.stringify(systemAttrs)),
    };
    this.storage?.appendTrial(frozen);
    this.finished.push(frozen);
    return frozen;
  }

  /** Finished trials over `space`, losses oriented for minimisation. */
  private observations(space: Distributions): Observation[] {
    const names = Object.keys(space);
    const sign = this.direction === 'minimize' ? 1 : -1;
    const out: Observation[] = [];
    for (const t of this.finished) {
      const fits = names.every((k) => {
        const d = t.distributions[k];
        return d !== undefined && sameDistribution(d, space[k]!) && containsValue(d, t.params[k]);
      });
      if (!fits) continue;
      const params: Settings = {};
      for (const k of names) params[k] = t.params[k]!;
      out.push({
        number: t.number,
        params,
        loss: t.state === 'complete' ? sign * t.value! : null,
        attrs: t.systemAttrs,
      });
    }
    return out;
  }
}

/**
 * One evaluation of the objective (Optuna's `Trial`): hands out parameter values and records
 * them. Suggesting the same name twice returns the same value (with the same distribution;
 * another distribution is an error). A value comes from the sampler's proposal when the name
 * is in the study's joint space, else uniformly from a stream of (study seed, trial number,
 * name).
 */
export class Trial {
  private readonly values: Settings = {};
  private readonly dists: Record<string, Distribution> = {};
  readonly userAttrs: Record<string, unknown> = {};

  /**
   * @internal made by Study. `relative` holds the values fixed before the objective runs:
   * the sampler's proposal over `space`, or an enqueued trial's values (space null).
   */
  constructor(
    readonly number: number,
    private readonly seed: number,
    private readonly relative: { readonly values: Readonly<Settings>; readonly space: Distributions | null },
  ) {}

  get params(): Readonly<Settings> {
    return { ...this.values };
  }

  get distributions(): Readonly<Record<string, Distribution>> {
    return { ...this.dists };
  }

  /** A real value in [low, high] (on a log scale with `log`). */
  suggestFloat(name: string, low: number, high: number, options: { log?: boolean } = {}): number {
    return this.suggestDistribution(name, { type: 'float', low, high, log: Boolean(options.log) }) as number;
  }

  /** An integer in [low, high] (on a log scale with `log`). */
  suggestInt(name: string, low: number, high: number, options: { log?: boolean } = {}): number {
    return this.suggestDistribution(name, { type: 'int', low, high, log: Boolean(options.log) }) as number;
  }

  /** One of `choices`. */
  suggestCategorical<T extends ParamValue>(name: string, choices: readonly T[]): T {
    return this.suggestDistribution(name, { type: 'categorical', choices }) as T;
  }

  /** Every parameter of `space` at once (e.g. an optimiser's declared hyper-parameters). */
  suggestAll(space: Distributions): Settings {
    const out: Settings = {};
    for (const [k, d] of Object.entries(space)) out[k] = this.suggestDistribution(k, d);
    return out;
  }

  /** Records something about the trial (JSON) in the study. */
  setUserAttr(key: string, value: unknown): void {
    this.userAttrs[key] = value;
  }

  /**
   * A value of `dist` for `name`: what the other `suggest` methods call.
   *
   * @throws `InputError` for an invalid distribution, a name suggested before with another
   *   distribution, or an enqueued value outside the distribution.
   */
  suggestDistribution(name: string, dist: Distribution): ParamValue {
    validateDistribution(name, dist);
    const d = plainDistribution(dist);
    const prev = this.dists[name];
    if (prev) {
      if (!sameDistribution(prev, d))
        throw new InputError(
          `trial ${this.number}: ${show(name)} was already suggested with another distribution`,
        );
      return this.values[name]!;
    }
    let v: ParamValue | undefined = this.relative.values[name];
    if (v !== undefined && this.relative.space === null && !containsValue(d, v))
      throw new InputError(`trial ${this.number}: enqueued ${name} = ${show(v)} is outside its distribution`);
    // A proposal for another distribution of the same name does not apply.
    const proposedFor = this.relative.space?.[name];
    if (v !== undefined && proposedFor && !sameDistribution(proposedFor, d)) v = undefined;
    if (v === undefined) {
      // Independent: uniform over the design view, from a stream of (seed, trial, name).
      const rng = new Rng(this.seed).fork(`trial ${this.number} param ${name}`);
      v = new SearchSpace({ [name]: d }).fromDesign([rng.float()])[name]!;
    }
    this.values[name] = v;
    this.dists[name] = d;
    return v;
  }
}
