// The training loop on the CPU backend: same seed, same curve; no tensor leaks across
// updates; checkpoints that resume reproducibly; run folders that refuse bad states.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeAgentEnv, tableProblem } from '../../agents/env-factory.js';
import { rollout } from '../../agents/policy.js';
import { type EnvDescription, RunFolder } from '../../agents/run-folder.js';
import { trainAndScore } from '../../agents/score.js';
import { type AgentSettings, parseA2cSettings, parsePpoSettings } from '../../agents/settings.js';
import { trainRun } from '../../agents/train.js';
import { Trainer } from '../../agents/trainer.js';
import { SEQUENTIAL_ID } from '../../envs/m3e/sequential-env.js';
import { lowerBound } from '../../src/core/bounds.js';
import { InputError } from '../../src/core/errors.js';
import { enumerateMakespans, TINY_TABLE, useCpu } from './helpers.js';

beforeAll(useCpu);

const ENV: EnvDescription = {
  id: SEQUENTIAL_ID,
  options: { window: 3 },
  problem: tableProblem(TINY_TABLE, 'tiny'),
};
const SMALL = { network: { hidden: [16, 16] }, numEnvs: 2 };
const SETTINGS: Record<'ppo' | 'a2c', () => AgentSettings> = {
  ppo: () => parsePpoSettings({ ...SMALL, numSteps: 16, numMinibatches: 2, updateEpochs: 2 }),
  a2c: () => parseA2cSettings({ ...SMALL, numSteps: 8 }),
};

/** Metrics of `iterations` iterations, without the timing ones. */
function curve(settings: AgentSettings, seed: number, iterations: number): Record<string, unknown>[] {
  const tr = new Trainer(settings, makeAgentEnv(ENV, settings.numEnvs), seed);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < iterations; i++) {
    const { sps: _sps, ...m } = tr.iterate(iterations * tr.batchSize);
    out.push(m);
  }
  tr.dispose();
  return out;
}

describe.each(['ppo', 'a2c'] as const)('%s training', (algo) => {
  it('gives the same curve for the same seed, another for another seed', () => {
    const a = curve(SETTINGS[algo](), 5, 4);
    expect(curve(SETTINGS[algo](), 5, 4)).toEqual(a);
    expect(curve(SETTINGS[algo](), 6, 4)).not.toEqual(a);
  });

  it('does not grow the number of tensors across updates and rollouts', () => {
    const settings = SETTINGS[algo]();
    const start = tf.memory().numTensors;
    const tr = new Trainer(settings, makeAgentEnv(ENV, settings.numEnvs), 1);
    tr.iterate(1e6);
    rollout(tr.learner.net, ENV, TINY_TABLE, { episodes: 2, greedy: false, seed: 0 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) {
      tr.iterate(1e6);
      rollout(tr.learner.net, ENV, TINY_TABLE, { episodes: 2, greedy: true, seed: 0 });
    }
    expect(tf.memory().numTensors).toBe(before);
    // And disposing the trainer frees every tensor it made (network, optimiser state).
    tr.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});

describe('run folders', () => {
  const tmp = () => mkdtempSync(join(tmpdir(), 'm3e-run-'));

  it('resume reproducibly from the last checkpoint, dropping metrics past it', async () => {
    const dir = join(tmp(), 'run');
    const settings = SETTINGS.ppo();
    const batch = settings.numEnvs * (settings as { numSteps: number }).numSteps;
    await trainRun({
      algo: 'ppo',
      settings,
      env: ENV,
      totalSteps: 3 * batch,
      seed: 2,
      out: dir,
      backend: 'cpu',
      checkpointEvery: 2,
    });
    const run = RunFolder.open(dir);
    expect(run.loadCheckpoint()!.step).toBe(3 * batch);
    expect(run.readMetrics().map((r) => r.step)).toEqual([batch, 2 * batch, 3 * batch]);
    // A crash after logging an iteration that never reached a checkpoint:
    writeFileSync(
      join(dir, 'metrics.jsonl'),
      `${readFileSync(join(dir, 'metrics.jsonl'), 'utf8')}{"step":${4 * batch}}\n`,
    );
    const copy = `${dir}-copy`;
    cpSync(dir, copy, { recursive: true });
    const a = await trainRun({ totalSteps: 5 * batch, out: dir, resume: true, backend: 'cpu' });
    const b = await trainRun({ totalSteps: 5 * batch, out: copy, resume: true, backend: 'cpu' });
    expect(a.startStep).toBe(3 * batch);
    expect(a.trainer.learner.optimizer.steps).toBe(5 * 2 * 2);
    const strip = (rs: Record<string, number>[]) =>
      rs.map(({ 'charts/SPS': _s, 'charts/elapsed_seconds': _e, ...r }) => r);
    expect(strip(a.records)).toEqual(strip(b.records));
    expect(a.trainer.learner.net.getWeights()).toEqual(b.trainer.learner.net.getWeights());
    expect(
      RunFolder.open(dir)
        .readMetrics()
        .map((r) => r.step),
    ).toEqual([1, 2, 3, 4, 5].map((k) => k * batch));
    expect(RunFolder.open(dir).manifest.totalSteps).toBe(5 * batch);
    a.trainer.dispose();
    b.trainer.dispose();
  });

  it('restore the saved weights and optimiser state exactly', async () => {
    const dir = join(tmp(), 'run');
    const res = await trainRun({
      algo: 'a2c',
      settings: SETTINGS.a2c(),
      env: ENV,
      totalSteps: 48,
      seed: 1,
      out: dir,
      backend: 'cpu',
    });
    const c = RunFolder.open(dir).loadCheckpoint()!;
    expect(c.weights).toEqual(res.trainer.learner.net.getWeights());
    expect(c.optimizer.arrays).toEqual(res.trainer.learner.optimizer.getState().arrays);
    expect(c.optimizer.steps).toBe(res.trainer.learner.optimizer.steps);
    res.trainer.dispose();
  });

  it('refuse to overwrite a run, to resume nothing, and a truncated checkpoint', async () => {
    const dir = join(tmp(), 'run');
    const opts = {
      algo: 'a2c' as const,
      settings: SETTINGS.a2c(),
      env: ENV,
      totalSteps: 16,
      seed: 1,
      out: dir,
      backend: 'cpu' as const,
    };
    (await trainRun(opts)).trainer.dispose();
    await expect(trainRun(opts)).rejects.toThrow(/already holds a run; pass --resume/);
    await expect(trainRun({ out: join(tmp(), 'none'), resume: true, backend: 'cpu' })).rejects.toThrow(
      /no run in/,
    );
    const ck = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8')) as { file: string };
    const bin = join(dir, ck.file);
    writeFileSync(bin, readFileSync(bin).subarray(0, 64));
    expect(() => RunFolder.open(dir).loadCheckpoint()).toThrow(InputError);
    expect(() => RunFolder.open(dir).loadCheckpoint()).toThrow(
      /hold 64 bytes, not the \d+ written \(truncated/,
    );
  });
});

describe('trainAndScore (the tuner objective)', () => {
  it('returns the greedy makespan / LB after training, reproducibly per seed', async () => {
    const score = () =>
      trainAndScore(SETTINGS.a2c(), TINY_TABLE, 64, 4, { backend: 'cpu', envOptions: { window: 3 } });
    const a = await score();
    expect(await score()).toBe(a);
    // At least the optimum (found by enumeration), at most the worst mapping.
    const all = enumerateMakespans(TINY_TABLE);
    const lb = lowerBound(TINY_TABLE);
    expect(a).toBeGreaterThanOrEqual(Math.min(...all) / lb - 1e-12);
    expect(a).toBeLessThanOrEqual(Math.max(...all) / lb + 1e-12);
  });
});

describe('rollout', () => {
  it('runs K sampled episodes in chunks, keeps the best, and is reproducible per seed', () => {
    const settings = SETTINGS.a2c();
    const tr = new Trainer(settings, makeAgentEnv(ENV, settings.numEnvs), 1);
    const r = rollout(tr.learner.net, ENV, TINY_TABLE, { episodes: 70, greedy: false, seed: 3 });
    expect(r.makespans).toHaveLength(70);
    expect(r.makespan).toBe(Math.min(...r.makespans));
    expect(r.history[r.history.length - 1]).toEqual([70, r.makespan]);
    expect(new Set(r.makespans).size).toBeGreaterThan(1);
    expect(
      rollout(tr.learner.net, ENV, TINY_TABLE, { episodes: 70, greedy: false, seed: 3 }).makespans,
    ).toEqual(r.makespans);
    const g = rollout(tr.learner.net, ENV, TINY_TABLE, { episodes: 3, greedy: true, seed: 0 });
    expect(new Set(g.makespans).size).toBe(1);
    expect(() => rollout(tr.learner.net, ENV, TINY_TABLE, { episodes: 0, greedy: true, seed: 0 })).toThrow(
      /positive integer/,
    );
    tr.dispose();
  });
});

describe('divergence', () => {
  it('stops with a clear message when an update produces a non-finite loss', () => {
    const settings = SETTINGS.ppo();
    const tr = new Trainer(settings, makeAgentEnv(ENV, settings.numEnvs), 1);
    // Poison the critic: every value, hence the value loss, becomes NaN.
    const v = tr.learner.net.variables[tr.learner.net.names.indexOf('critic/head/bias')]!;
    v.assign(tf.tensor1d([Number.NaN]));
    expect(() => tr.iterate(1e6)).toThrow(/training diverged at iteration 1 \(loss NaN\)/);
    tr.dispose();
  });
});
