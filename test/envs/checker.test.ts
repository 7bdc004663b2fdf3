import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../envs/checker.js';
import {
  type Env,
  type EnvSpecRef,
  type Info,
  ResetNeededError,
  type ResetOptions,
} from '../../envs/core.js';
import { synthSource } from '../../envs/m3e/problem-source.js';
import { getEnvSpec, listEnvs, make, optionCombinations } from '../../envs/registry.js';
import { Box, Discrete } from '../../envs/spaces.js';
import { ActionMasker } from '../../envs/wrappers/action-masker.js';
import { RecordEpisodeStatistics } from '../../envs/wrappers/episode-statistics.js';
import { FlattenObservation } from '../../envs/wrappers/flatten-observation.js';
import { TimeLimit } from '../../envs/wrappers/time-limit.js';
import { InputError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { synthTable } from '../../src/core/synth.js';

const problems = {
  'fixed 12x3': { table: synthTable({ jobs: 12, cores: 3, bwRatio: 0.5, seed: 4 }) },
  'synth source 9x2': {
    source: synthSource({ jobs: 9, cores: 2, bwRatio: [0.25, 4], heterogeneity: [0, 2] }),
  },
  'one job, one core': { table: synthTable({ jobs: 1, cores: 1, bwRatio: 1, seed: 1 }) },
};

function expectPassed(report: ReturnType<typeof checkEnv>): void {
  const failed = report.checks.filter((c) => !c.passed);
  expect(failed, JSON.stringify(failed)).toEqual([]);
  expect(report.passed).toBe(true);
  expect(report.checks.map((c) => c.name)).toEqual([
    'action-space',
    'observation-space',
    'step-before-reset',
    'reset',
    'reset-seed',
    'step',
    'step-after-end',
    'determinism',
    'bad-action',
    'render',
    'close',
  ]);
}

describe('the checker passes on every registered environment and option combination', () => {
  const cases = listEnvs().flatMap((spec) =>
    optionCombinations(spec).flatMap((combo) =>
      Object.entries(problems).map(([pname, problem]) => [spec.id, combo, pname, problem] as const),
    ),
  );
  it('enumerates the combinations (2 x 3 for Sequential, 1 for Encoding, 3 for Dispatch)', () => {
    expect(optionCombinations(getEnvSpec('m3e/Sequential-v0'))).toHaveLength(6);
    expect(optionCombinations(getEnvSpec('m3e/Dispatch-v0'))).toHaveLength(3);
    expect(cases.length).toBe(10 * Object.keys(problems).length);
  });
  it.each(cases)('%s %j on %s', (id, combo, _name, problem) => {
    expectPassed(checkEnv(make(id, { ...problem, ...combo }), { seed: 11 }));
  });
  it.each([1, 2, 7, 40])('m3e/Sequential-v0 with window %i', (window) => {
    expectPassed(checkEnv(make('m3e/Sequential-v0', { ...problems['fixed 12x3'], window }), { seed: 2 }));
  });
  it('through the wrappers (time limit, flatten, episode statistics with a fixed clock, action masker)', () => {
    const base = () => make('m3e/Sequential-v0', problems['fixed 12x3']);
    expectPassed(checkEnv(new TimeLimit(base(), 5)));
    expectPassed(checkEnv(make('m3e/Encoding-v0', { ...problems['fixed 12x3'], maxEpisodeSteps: 3 })));
    expectPassed(checkEnv(new FlattenObservation(base())));
    expectPassed(checkEnv(new RecordEpisodeStatistics(base(), { clock: () => 0 })));
    expectPassed(checkEnv(new ActionMasker(base())));
  });
});

// A small configurable env with one planted fault at a time: the checker must catch each.
type Fault =
  | 'none'
  | 'obs-out-of-bounds'
  | 'wrong-dtype'
  | 'clips-actions'
  | 'ignores-seed'
  | 'no-order'
  | 'nan-info'
  | 'bad-action-mutates'
  | 'nan-reward';

class ToyEnv implements Env<Float32Array, number> {
  readonly actionSpace = new Discrete(3);
  readonly observationSpace = new Box(0, 1, { shape: [2] });
  readonly metadata = { renderModes: ['ansi'] };
  spec: EnvSpecRef | null = null;
  private rng = new Rng(0);
  private t = -1;
  private x = 0;
  private counter = 0;
  constructor(private readonly fault: Fault) {}
  get unwrapped() {
    return this;
  }
  private obs(): Float32Array {
    const o = this.fault === 'wrong-dtype' ? new Float64Array(2) : new Float32Array(2);
    o[0] = this.x;
    o[1] = this.fault === 'obs-out-of-bounds' && this.t === 2 ? 1.5 : this.t / 5;
    return o as Float32Array;
  }
  reset(o: ResetOptions = {}) {
    if (o.seed !== undefined) {
      if (!(Number.isInteger(o.seed) && o.seed >= 0)) throw new InputError('bad seed');
      this.rng = new Rng(this.fault === 'ignores-seed' ? this.counter++ : o.seed);
    }
    this.t = 0;
    this.x = this.rng.float();
    return { observation: this.obs(), info: {} as Info };
  }
  step(a: number) {
    if (this.fault !== 'no-order' && (this.t < 0 || this.t >= 5)) throw new ResetNeededError('order');
    if (this.fault === 'bad-action-mutates') this.t++;
    if (!this.actionSpace.contains(a)) {
      if (this.fault !== 'clips-actions') throw new InputError(`bad action ${a}`);
      a = Math.min(2, Math.max(0, Math.round(Number(a) || 0)));
    }
    if (this.fault !== 'bad-action-mutates') this.t++;
    this.x = (this.x + a * this.rng.float()) % 1;
    const info: Info = this.fault === 'nan-info' ? { loss: Number.NaN } : { t: this.t };
    const reward = this.fault === 'nan-reward' ? Number.NaN : -a;
    return { observation: this.obs(), reward, terminated: this.t >= 5, truncated: false, info };
  }
  render() {
    return `t=${this.t}`;
  }
  close() {}
}

describe('the checker catches planted faults', () => {
  it('passes the faultless toy env', () => {
    expectPassed(checkEnv(new ToyEnv('none')));
  });
  it.each([
    ['obs-out-of-bounds', 'step', /observation\[1\] must be a number in \[0, 1\], got 1.5/],
    ['wrong-dtype', 'reset', /Float64Array.*float32 needs a Float32Array/],
    ['clips-actions', 'bad-action', /accepted without an error/],
    ['ignores-seed', 'reset-seed', /different observations/],
    ['no-order', 'step-before-reset', /accepted without an error/],
    ['nan-info', 'step', /info.loss is NaN/],
    ['bad-action-mutates', 'bad-action', /changed the environment|threw ResetNeededError/],
    ['nan-reward', 'step', /reward must be a finite number/],
  ] as const)('%s fails check %s', (fault, check, detail) => {
    const report = checkEnv(new ToyEnv(fault));
    expect(report.passed).toBe(false);
    const c = report.checks.find((x) => x.name === check)!;
    expect(c.passed, JSON.stringify(report.checks)).toBe(false);
    expect(c.detail).toMatch(detail);
  });
});
