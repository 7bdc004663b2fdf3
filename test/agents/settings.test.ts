// Agent settings: documented defaults, validation messages naming the field and value,
// and the tuner's parameter spaces agreeing with the schemas.
import { describe, expect, it } from 'vitest';
import {
  a2cParamSpace,
  a2cSettingsFromParams,
  parseA2cSettings,
  parsePpoSettings,
  parseSettings,
  ppoParamSpace,
  ppoSettingsFromParams,
} from '../../agents/settings.js';
import { resolveParams } from '../../src/optim/params.js';

const SIZE = { numJobs: 100, numCores: 4 };

describe('settings', () => {
  it("default to CleanRL ppo.py and SB3 A2C, with the authors' 3 x 128 MLP", () => {
    const p = parsePpoSettings();
    expect(p).toMatchObject({
      algo: 'ppo',
      learningRate: 2.5e-4,
      numEnvs: 4,
      numSteps: 128,
      gamma: 0.99,
      gaeLambda: 0.95,
      numMinibatches: 4,
      updateEpochs: 4,
      clipCoef: 0.2,
      entCoef: 0.01,
      vfCoef: 0.5,
      maxGradNorm: 0.5,
      adamEps: 1e-5,
      annealLr: true,
      normAdv: true,
      clipVloss: true,
      targetKl: null,
    });
    expect(p.network).toEqual({ hidden: [128, 128, 128], sharedTrunk: false, activation: 'tanh' });
    expect(parseA2cSettings()).toMatchObject({
      algo: 'a2c',
      learningRate: 7e-4,
      numSteps: 5,
      gaeLambda: 1,
      entCoef: 0,
      normAdv: false,
      annealLr: false,
      optimizer: 'rmsprop',
      rmspropAlpha: 0.99,
      optimizerEps: 1e-5,
    });
  });

  it('name the bad field and value', () => {
    expect(() => parsePpoSettings({ learningRate: -1 })).toThrow(/learningRate.*got -1/);
    expect(() => parsePpoSettings({ network: { hidden: [64, 0.5] } })).toThrow(
      /network\.hidden\.1.*got 0\.5/,
    );
    expect(() => parsePpoSettings({ clipcoef: 0.1 })).toThrow(/clipcoef/);
    expect(() => parseA2cSettings({ optimizer: 'sgd' })).toThrow(/optimizer.*"sgd"/);
    expect(() => parsePpoSettings({ numEnvs: 1, numSteps: 2, numMinibatches: 4 })).toThrow(
      /numMinibatches \(4\) exceeds/,
    );
    expect(() => parseSettings('a2c', { algo: 'ppo' })).toThrow(/algo "ppo", expected "a2c"/);
  });

  it('declare tuner spaces whose defaults are the schema defaults', () => {
    expect(ppoSettingsFromParams(resolveParams('ppo', ppoParamSpace, {}, SIZE))).toEqual(parsePpoSettings());
    expect(a2cSettingsFromParams(resolveParams('a2c', a2cParamSpace, {}, SIZE))).toEqual(parseA2cSettings());
  });

  it('build settings from tuner values', () => {
    const v = resolveParams(
      'ppo',
      ppoParamSpace,
      { hiddenWidth: 64, hiddenLayers: 2, learningRate: 1e-3 },
      SIZE,
    );
    const s = ppoSettingsFromParams(v);
    expect(s.network.hidden).toEqual([64, 64]);
    expect(s.learningRate).toBe(1e-3);
    expect(() => resolveParams('ppo', ppoParamSpace, { clipCoef: 0.9 }, SIZE)).toThrow(/clipCoef must be in/);
  });
});
