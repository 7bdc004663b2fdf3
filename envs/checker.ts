/** The environment checker ({@link checkEnv}), Gymnasium's `check_env` as a report. */
import { InputError } from '../src/core/errors.js';
import { type AnyEnv, ResetNeededError } from './core.js';
import { Box, type BoxDtype, Dict, Discrete, MultiDiscrete, Space, spaceFromJSON, Tuple } from './spaces.js';

/** One named check of {@link checkEnv}. */
export interface Check {
  readonly name: string;
  readonly passed: boolean;
  /** What was checked, or why it failed. */
  readonly detail: string;
}

/** What {@link checkEnv} found: every check, passed when all passed. */
export interface CheckReport {
  readonly passed: boolean;
  readonly checks: Check[];
}

/** Options of {@link checkEnv}. */
export interface CheckOptions {
  /** Seed of the first episode (others use seed + 1, ...). Default 0. */
  readonly seed?: number;
  /** Random-policy episodes checked step by step. Default 3. */
  readonly episodes?: number;
  /** Steps after which an episode is abandoned (envs need not end). Default 10,000. */
  readonly maxSteps?: number;
}

const DEFAULT_EPISODES = 3;
const DEFAULT_MAX_STEPS = 10_000;
/** Samples drawn per space in the space checks. */
const SPACE_SAMPLES = 20;

class CheckFailure extends Error {}

function fail(message: string): never {
  throw new CheckFailure(message);
}

function run(checks: Check[], name: string, fn: () => string): void {
  try {
    checks.push({ name, passed: true, detail: fn() });
  } catch (e) {
    const msg = e instanceof CheckFailure ? e.message : `threw ${(e as Error).name}: ${(e as Error).message}`;
    checks.push({ name, passed: false, detail: msg });
  }
}

// --- helpers -----------------------------------------------------------------------------

const DTYPE_CLASS = { float32: Float32Array, float64: Float64Array, int32: Int32Array } as const;

/** Why `x` is not a well-typed element of `space` (in space, and the Box dtype's array). */
function observationProblem(space: Space, x: unknown, what: string): string | null {
  const why = space.explain(x, what);
  if (why) return why;
  if (space instanceof Box) {
    const cls = DTYPE_CLASS[space.dtype as BoxDtype];
    if (!(x instanceof cls))
      return `${what} is a ${(x as object).constructor?.name}, the space's dtype ${space.dtype} needs a ${cls.name}`;
  }
  if (space instanceof Dict)
    for (const k of space.keys()) {
      const p = observationProblem(space.spaces[k]!, (x as Record<string, unknown>)[k], `${what}.${k}`);
      if (p) return p;
    }
  if (space instanceof Tuple)
    for (let i = 0; i < space.spaces.length; i++) {
      const p = observationProblem(space.spaces[i]!, (x as unknown[])[i], `${what}[${i}]`);
      if (p) return p;
    }
  return null;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Why an info value is not plain data (numbers not NaN, no functions or undefined). */
function infoProblem(x: unknown, path: string): string | null {
  if (x === undefined) return `${path} is undefined`;
  if (typeof x === 'function' || typeof x === 'symbol' || typeof x === 'bigint')
    return `${path} is a ${typeof x}`;
  if (typeof x === 'number') return Number.isNaN(x) ? `${path} is NaN` : null;
  if (typeof x !== 'object' || x === null) return null;
  if (ArrayBuffer.isView(x)) {
    const a = x as unknown as ArrayLike<number>;
    for (let i = 0; i < a.length; i++) if (Number.isNaN(a[i])) return `${path}[${i}] is NaN`;
    return null;
  }
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const p = infoProblem(x[i], `${path}[${i}]`);
      if (p) return p;
    }
    return null;
  }
  if (!isPlainObject(x))
    return `${path} is a ${(x as object).constructor?.name ?? 'non-plain object'}, not plain data`;
  for (const [k, v] of Object.entries(x)) {
    const p = infoProblem(v, `${path}.${k}`);
    if (p) return p;
  }
  return null;
}

/** Structural equality of observations and infos (typed arrays by value, NaN equal to NaN). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (a.constructor !== b.constructor) return false;
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Values just outside `space`: each must be refused. */
export function outsideValues(space: Space): unknown[] {
  if (space instanceof Discrete)
    return [space.start - 1, space.start + space.n, space.start + 0.5, [space.start], 'a', undefined];
  if (space instanceof MultiDiscrete) {
    const d = space.nvec.length;
    const over = Int32Array.from(space.start);
    over[d - 1] = space.start[d - 1]! + space.nvec[d - 1]!;
    const under = Int32Array.from(space.start);
    under[0] = space.start[0]! - 1;
    const frac = Array.from(space.start, (v) => v + 0.5);
    return [over, under, frac, Array.from(space.start).slice(0, d - 1), space.start[0], null];
  }
  if (space instanceof Box) {
    const out: unknown[] = [
      new Float64Array(space.size + 1),
      space.size ? Array(space.size).fill(Number.NaN) : 'x',
      0,
    ];
    const i = space.high.findIndex(Number.isFinite);
    if (i >= 0) {
      const v = Float64Array.from(space.low, (lo, k) =>
        Number.isFinite(lo) ? lo : Number.isFinite(space.high[k]!) ? space.high[k]! : 0,
      );
      v[i] = space.high[i]! + Math.max(1, Math.abs(space.high[i]!));
      out.push(v);
    }
    const j = space.low.findIndex(Number.isFinite);
    if (j >= 0) {
      const v = Float64Array.from(space.high, (hi, k) =>
        Number.isFinite(hi) ? hi : Number.isFinite(space.low[k]!) ? space.low[k]! : 0,
      );
      v[j] = space.low[j]! - Math.max(1, Math.abs(space.low[j]!));
      out.push(v);
    }
    return out;
  }
  if (space instanceof Dict) {
    const keys = space.keys();
    const inside = space.clone().sample() as Record<string, unknown>;
    const out: unknown[] = [{}, 1];
    for (const k of keys)
      for (const bad of outsideValues(space.spaces[k]!).slice(0, 2)) out.push({ ...inside, [k]: bad });
    return out;
  }
  if (space instanceof Tuple) {
    const inside = space.clone().sample() as unknown[];
    const out: unknown[] = [inside.slice(1), 1];
    space.spaces.forEach((s: Space, i: number) => {
      for (const bad of outsideValues(s).slice(0, 2))
        out.push(inside.map((v: unknown, k: number) => (k === i ? bad : v)));
    });
    return out;
  }
  return [];
}

/** An action the mask forbids (Discrete and MultiDiscrete masks), or undefined if all are allowed. */
function maskedOutAction(space: Space, mask: unknown): unknown {
  if (space instanceof Discrete && mask && typeof (mask as ArrayLike<number>).length === 'number') {
    const m = mask as ArrayLike<number>;
    for (let i = 0; i < m.length; i++) if (!m[i]) return space.start + i;
  }
  if (space instanceof MultiDiscrete && Array.isArray(mask)) {
    for (let d = 0; d < mask.length; d++) {
      const m = mask[d] as ArrayLike<number> | null | undefined;
      if (!m) continue;
      for (let i = 0; i < m.length; i++)
        if (!m[i]) {
          const a = Int32Array.from(space.start);
          a[d] = space.start[d]! + i;
          return a;
        }
    }
  }
  return undefined;
}

interface Trace {
  observations: unknown[];
  rewards: number[];
  flags: string[];
  infos: unknown[];
}

/** One episode with actions from `sampler` (masked by info.actionMask when present). */
function rollout(
  env: AnyEnv,
  seed: number,
  sampler: Space,
  maxSteps: number,
  onStep?: (r: unknown, t: number) => void,
): Trace {
  const trace: Trace = { observations: [], rewards: [], flags: [], infos: [] };
  const r = env.reset({ seed });
  trace.observations.push(r.observation);
  trace.infos.push(r.info);
  let info = r.info as Record<string, unknown>;
  for (let t = 0; t < maxSteps; t++) {
    const action = sampler.sample(info?.actionMask);
    const s = env.step(action);
    onStep?.(s, t);
    trace.observations.push(s.observation);
    trace.rewards.push(s.reward);
    trace.flags.push(`${s.terminated}/${s.truncated}`);
    trace.infos.push(s.info);
    info = s.info as Record<string, unknown>;
    if (s.terminated || s.truncated) break;
  }
  return trace;
}

function describeMismatch(a: Trace, b: Trace): string | null {
  if (a.observations.length !== b.observations.length)
    return `episode lengths differ: ${a.observations.length - 1} vs ${b.observations.length - 1} steps`;
  for (let t = 0; t < a.observations.length; t++) {
    if (!deepEqual(a.observations[t], b.observations[t])) return `observations differ at step ${t}`;
    if (!deepEqual(a.infos[t], b.infos[t])) return `infos differ at step ${t}`;
    if (t > 0 && !Object.is(a.rewards[t - 1], b.rewards[t - 1])) return `rewards differ at step ${t}`;
    if (t > 0 && a.flags[t - 1] !== b.flags[t - 1]) return `terminated/truncated differ at step ${t}`;
  }
  return null;
}

function expectThrows(fn: () => unknown, ok: (e: unknown) => boolean, what: string): void {
  try {
    fn();
  } catch (e) {
    if (ok(e)) return;
    fail(`${what}: threw ${(e as Error).name} (${(e as Error).message}), not the expected error`);
  }
  fail(`${what}: accepted without an error`);
}

// --- the checker -------------------------------------------------------------------------

/**
 * Checks that an environment keeps the {@link Env} contract (Gymnasium's `check_env`), as
 * named checks that report instead of stopping at the first failure. Give it a freshly made
 * environment; it resets, steps and closes it.
 *
 * The checks: spaces well-formed (JSON round trip, samples inside); step before reset
 * refused; reset's result, observation inside its space with the declared dtype, info a
 * plain object; same seed, same reset; step results well-typed, observations inside their
 * space and infos plain (over random-policy episodes that respect `info.actionMask`); same
 * seed and same actions, same episode; step after the end refused; actions outside the
 * space (and masked-out ones) refused with an error that leaves the state unchanged; render
 * returns text; close may be called twice.
 *
 * Wrappers that learn across episodes (the normalisations) fail the determinism checks by
 * design, as under Gymnasium's checker: check the environment beneath them.
 */
export function checkEnv(env: AnyEnv, options: CheckOptions = {}): CheckReport {
  const seed = options.seed ?? 0;
  const episodes = options.episodes ?? DEFAULT_EPISODES;
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const checks: Check[] = [];
  const A = env.actionSpace;
  const O = env.observationSpace;

  for (const [name, space] of [
    ['action-space', A],
    ['observation-space', O],
  ] as const) {
    run(checks, name, () => {
      if (!(space instanceof Space)) fail(`${name} is not a Space`);
      const back = spaceFromJSON(space.toJSON());
      if (!back.equals(space) || !space.equals(back)) fail(`${space} does not survive its JSON description`);
      const sampler = space.clone(seed);
      for (let i = 0; i < SPACE_SAMPLES; i++) {
        const x = sampler.sample();
        const why = space.explain(x, 'sample');
        if (why) fail(`a sample of ${space} is outside it: ${why}`);
      }
      for (const bad of outsideValues(space))
        if (space.contains(bad)) fail(`${space} claims to contain the outside value ${JSON.stringify(bad)}`);
      return `${space}`;
    });
  }

  run(checks, 'step-before-reset', () => {
    expectThrows(
      () => env.step(A.clone(seed).sample()),
      (e) => e instanceof ResetNeededError,
      'step() before reset()',
    );
    return 'step() before reset() throws ResetNeededError';
  });

  run(checks, 'reset', () => {
    const r = env.reset({ seed });
    if (!isPlainObject(r) || !('observation' in r) || !('info' in r))
      fail('reset() must return {observation, info}');
    const p = observationProblem(O, r.observation, 'reset observation');
    if (p) fail(p);
    if (!isPlainObject(r.info)) fail('reset info must be a plain object');
    const ip = infoProblem(r.info, 'info');
    if (ip) fail(ip);
    return 'reset() returns {observation, info} with the observation in its space';
  });

  run(checks, 'reset-seed', () => {
    const a = env.reset({ seed });
    const b = env.reset({ seed });
    if (!deepEqual(a.observation, b.observation))
      fail(`reset({seed: ${seed}}) twice gave different observations`);
    if (!deepEqual(a.info, b.info)) fail(`reset({seed: ${seed}}) twice gave different infos`);
    expectThrows(
      () => env.reset({ seed: -1 }),
      (e) => e instanceof InputError,
      'reset({seed: -1})',
    );
    return 'the same seed gives the same reset; a bad seed is refused';
  });

  let stepCount = 0;
  const problems: string[] = [];
  run(checks, 'step', () => {
    for (let e = 0; e < episodes; e++) {
      rollout(env, seed + e, A.clone(seed + e), maxSteps, (raw, t) => {
        stepCount++;
        if (problems.length) return;
        const s = raw as Record<string, unknown>;
        const where = `episode ${e} step ${t}`;
        if (!isPlainObject(s)) problems.push(`${where}: step() must return an object`);
        else if (typeof s.reward !== 'number' || !Number.isFinite(s.reward))
          problems.push(`${where}: reward must be a finite number, got ${s.reward}`);
        else if (typeof s.terminated !== 'boolean' || typeof s.truncated !== 'boolean')
          problems.push(`${where}: terminated and truncated must be booleans`);
        else if (!isPlainObject(s.info)) problems.push(`${where}: info must be a plain object`);
        else {
          const p = observationProblem(O, s.observation, 'observation') ?? infoProblem(s.info, 'info');
          if (p) problems.push(`${where}: ${p}`);
        }
      });
    }
    if (problems.length) fail(problems[0]!);
    return `${episodes} random episodes, ${stepCount} steps: results well-typed, observations in their space, infos plain`;
  });

  run(checks, 'step-after-end', () => {
    // The last episode above ended (or hit maxSteps): check the former only.
    const trace = rollout(env, seed, A.clone(seed), maxSteps);
    const last = trace.flags[trace.flags.length - 1];
    if (last === undefined || last === 'false/false')
      return 'episode did not end within maxSteps; not checked';
    expectThrows(
      () => env.step(A.clone(seed).sample()),
      (e) => e instanceof ResetNeededError,
      'step() after the episode ended',
    );
    return 'step() after terminated/truncated throws ResetNeededError';
  });

  run(checks, 'determinism', () => {
    const a = rollout(env, seed, A.clone(seed + 1), maxSteps);
    const b = rollout(env, seed, A.clone(seed + 1), maxSteps);
    const why = describeMismatch(a, b);
    if (why) fail(`same seed, same actions: ${why}`);
    return `same seed and actions gave the same ${a.rewards.length}-step episode`;
  });

  run(checks, 'bad-action', () => {
    const sampler = A.clone(seed + 2);
    const reference = env.reset({ seed });
    const good = sampler.sample((reference.info as Record<string, unknown>).actionMask);
    const expected = env.step(good);
    const r = env.reset({ seed });
    const bad = outsideValues(A);
    const masked = maskedOutAction(A, (r.info as Record<string, unknown>).actionMask);
    if (masked !== undefined) bad.push(masked);
    for (const action of bad)
      expectThrows(
        () => env.step(action),
        (e) => e instanceof InputError,
        `action ${JSON.stringify(action)}`,
      );
    const after = env.step(good);
    if (!deepEqual(after.observation, expected.observation) || !Object.is(after.reward, expected.reward))
      fail('a refused action changed the environment (the next valid step differs)');
    return `${bad.length} bad actions refused with InputError${masked !== undefined ? ' (one masked out)' : ''}, state unchanged`;
  });

  run(checks, 'render', () => {
    env.reset({ seed });
    const text = env.render();
    if (typeof text !== 'string' || text.length === 0) fail('render() must return non-empty text');
    return `render() returns ${text.split('\n').length} line(s)`;
  });

  run(checks, 'close', () => {
    env.close();
    env.close();
    return 'close() may be called twice';
  });

  return { passed: checks.every((c) => c.passed), checks };
}

/** What {@link runRandomEpisodes} played. */
export interface RandomEpisodes {
  readonly episodes: number;
  readonly steps: number;
  readonly returns: number[];
}

/** Random-policy episodes (masked by info.actionMask), seeds seed, seed + 1, ...; keeps nothing. */
export function runRandomEpisodes(
  env: AnyEnv,
  options: {
    episodes: number;
    seed: number;
    maxSteps?: number;
    /** Called after each episode with the number done (progress). */
    onEpisode?: (done: number) => void;
  },
): RandomEpisodes {
  const sampler = env.actionSpace.clone(options.seed);
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const returns: number[] = [];
  let steps = 0;
  for (let e = 0; e < options.episodes; e++) {
    let info = env.reset({ seed: options.seed + e }).info as Record<string, unknown>;
    let ret = 0;
    for (let t = 0; t < maxSteps; t++) {
      const s = env.step(sampler.sample(info.actionMask));
      steps++;
      ret += s.reward;
      info = s.info as Record<string, unknown>;
      if (s.terminated || s.truncated) break;
    }
    returns.push(ret);
    options.onEpisode?.(e + 1);
  }
  return { episodes: options.episodes, steps, returns };
}
