/** Hyper-parameter declarations ({@link ParamSpace}) and their validation. */
import { InputError, show } from '../core/errors.js';

/** The size of a problem: what an optimiser needs to know before it starts. */
export interface ProblemSize {
  readonly numJobs: number;
  readonly numCores: number;
}

/** A default may depend on the problem (e.g. MAGMA's population = number of jobs). */
export type ParamDefault<T> = T | ((size: ProblemSize) => T);

/**
 * The sub-range the tuner (`m3e tune`) searches by default, when the valid range is far wider
 * than anything worth trying at common budgets (a population may be 100,000, but tuning it
 * there wastes trials). Must lie inside [low, high]; `m3e tune --range` overrides it.
 */
export type TuneRange = readonly [low: number, high: number];

/** A numeric parameter: floats and integers are declared alike. */
export interface NumericParam<T extends 'float' | 'int'> {
  readonly type: T;
  readonly low: number;
  readonly high: number;
  /** Sample/tune on a log scale. */
  readonly log?: boolean;
  readonly tuneRange?: TuneRange;
  readonly default: ParamDefault<number>;
  readonly description: string;
}
/** A real-valued hyper-parameter in [low, high]. */
export type FloatParam = NumericParam<'float'>;
/** An integer hyper-parameter in [low, high]. */
export type IntParam = NumericParam<'int'>;
/** A hyper-parameter with a list of choices. */
export interface CategoricalParam<T extends string | number | boolean = string | number | boolean> {
  readonly type: 'categorical';
  readonly choices: readonly T[];
  readonly default: ParamDefault<T>;
  readonly description: string;
  /**
   * False for a variant switch not worth tuning by default (e.g. a reproduction of another
   * implementation's behaviour): the tuner keeps it at its default unless it is fixed.
   */
  readonly tune?: boolean;
}
/**
 * Free text (a path, a name): set by the user, never tuned (the tuner keeps its default or
 * the fixed value).
 */
export interface TextParam {
  readonly type: 'text';
  readonly default: ParamDefault<string>;
  readonly description: string;
}
/** One declared hyper-parameter. */
export type ParamSpec = FloatParam | IntParam | CategoricalParam | TextParam;
/**
 * A set of hyper-parameter declarations by name. Every optimiser, agent and environment
 * declares its hyper-parameters once, with type, range, default and description; the CLI
 * (`--param k=v`), the registry listing and the Bayesian tuner all read the same declaration,
 * and {@link resolveParams} validates settings against it.
 */
export type ParamSpace = Readonly<Record<string, ParamSpec>>;

/** The value type of one declared parameter: its choices' type, text, or number. */
export type ParamValueOf<S> = S extends CategoricalParam<infer T> ? T : S extends TextParam ? string : number;
/** The settings object a space describes: `{name: value}` with each value's type. */
export type ParamValues<S extends ParamSpace> = { -readonly [K in keyof S]: ParamValueOf<S[K]> };

export function defaultValue(spec: ParamSpec, size: ProblemSize): number | string | boolean {
  return typeof spec.default === 'function' ? spec.default(size) : spec.default;
}

function checkValue(owner: string, name: string, spec: ParamSpec, v: unknown): number | string | boolean {
  if (spec.type === 'text') {
    if (typeof v !== 'string') throw new InputError(`${owner}: ${name} must be text, got ${show(v)}`);
    return v;
  }
  if (spec.type === 'categorical') {
    if (!spec.choices.includes(v as never)) {
      throw new InputError(
        `${owner}: ${name} must be one of ${spec.choices.map(show).join(', ')}, got ${show(v)}`,
      );
    }
    return v as string | number | boolean;
  }
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new InputError(`${owner}: ${name} must be a finite number, got ${show(v)}`);
  if (spec.type === 'int' && !Number.isInteger(v))
    throw new InputError(`${owner}: ${name} must be an integer, got ${v}`);
  if (v < spec.low || v > spec.high)
    throw new InputError(`${owner}: ${name} must be in [${spec.low}, ${spec.high}], got ${v}`);
  return v;
}

/**
 * Fills defaults and validates `given` against `space`; unknown names are errors (a typo
 * must not silently run the defaults).
 *
 * @param owner - names the owner in messages (`magma`, `m3e/Sequential-v0`).
 * @throws `InputError` naming the parameter for an unknown name, a value of the wrong type
 *   or one outside its range or choices.
 */
export function resolveParams<S extends ParamSpace>(
  owner: string,
  space: S,
  given: Readonly<Record<string, unknown>>,
  size: ProblemSize,
): ParamValues<S> {
  for (const k of Object.keys(given)) {
    if (!(k in space)) {
      const known = Object.keys(space);
      throw new InputError(
        `${owner}: unknown hyper-parameter ${show(k)} (known: ${known.length ? known.join(', ') : 'none'})`,
      );
    }
  }
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(space)) {
    out[name] = checkValue(
      owner,
      name,
      spec,
      given[name] === undefined ? defaultValue(spec, size) : given[name],
    );
  }
  return out as ParamValues<S>;
}

/** Parses a CLI string (`--param rate=0.1`) to the declared type. */
export function parseParamString(
  owner: string,
  space: ParamSpace,
  name: string,
  text: string,
): number | string | boolean {
  const spec = space[name];
  if (!spec) {
    const known = Object.keys(space);
    throw new InputError(
      `${owner}: unknown hyper-parameter ${show(name)} (known: ${known.length ? known.join(', ') : 'none'})`,
    );
  }
  if (spec.type === 'text') return text;
  if (spec.type === 'categorical') {
    const hit = spec.choices.find((c) => String(c) === text);
    if (hit === undefined)
      throw new InputError(`${owner}: ${name} must be one of ${spec.choices.join(', ')}, got "${text}"`);
    return hit;
  }
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v))
    throw new InputError(`${owner}: ${name} must be a number, got "${text}"`);
  return v;
}

/** JSON description of a space (for `m3e optimizers --json` and tuner reports). */
export function describeSpace(space: ParamSpace, size?: ProblemSize): Record<string, unknown>[] {
  return Object.entries(space).map(([name, s]) => ({
    name,
    type: s.type,
    ...(s.type === 'text'
      ? {}
      : s.type === 'categorical'
        ? { choices: s.choices }
        : {
            low: s.low,
            high: s.high,
            log: Boolean(s.log),
            ...(s.tuneRange ? { tuneRange: s.tuneRange } : {}),
          }),
    default: typeof s.default === 'function' ? (size ? s.default(size) : 'problem-dependent') : s.default,
    description: s.description,
  }));
}
