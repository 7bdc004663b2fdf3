// The learned mapper `policy` under the optimiser contract: greedy first, then sampled
// mappings; registered on request; `model=DIR` loads a policy folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  POLICY_MAPPER,
  PolicyMapper,
  policyModel,
  registerPolicyMapper,
} from '../../agents/dispatch/mapper.js';
import { DispatchModel, initialWeights } from '../../agents/dispatch/model.js';
import { act } from '../../agents/dispatch/rollout.js';
import { loadDispatchPolicy, savePolicy } from '../../agents/dispatch/store.js';
import { DispatchEnv } from '../../envs/m3e/dispatch-env.js';
import { fixedTable } from '../../envs/m3e/problem-source.js';
import { validateEncoding } from '../../src/core/encoding.js';
import { Evaluator } from '../../src/core/evaluator.js';
import { Rng } from '../../src/core/rng.js';
import { synthTable } from '../../src/core/synth.js';
import { createOptimizer, getOptimizerSpec } from '../../src/optim/registry.js';
import { makespanObjective, runSearch } from '../../src/optim/search.js';

const NET = { dim: 16, heads: 2, layers: 1, ffn: 16, hidden: 8 };
const dir = mkdtempSync(join(tmpdir(), 'm3e-policy-'));
const weights = initialWeights(NET, new Rng(3));
savePolicy(dir, NET, weights, { steps: 0 });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const table = synthTable({ jobs: 25, cores: 4, bwRatio: 0.5, seed: 7 });
const objective = makespanObjective(table);

describe('policy mapper', () => {
  registerPolicyMapper();
  registerPolicyMapper(); // a second call does nothing

  it('is registered as a learned mapper with a model parameter', () => {
    const spec = getOptimizerSpec(POLICY_MAPPER);
    expect(spec.family).toBe('learned');
    expect(spec.params.model?.type).toBe('text');
    expect(() => createOptimizer(POLICY_MAPPER, table, 1, { model: dir, noSuchParam: 1 })).toThrow(
      /unknown hyper-parameter/,
    );
    expect(() => createOptimizer(POLICY_MAPPER, table, 1, { model: join(dir, 'nope') })).toThrow(
      /holds no dispatching policy/,
    );
  });

  it('saves and loads a policy folder with the same weights', () => {
    const back = loadDispatchPolicy(dir);
    expect(back.model.getWeights().map((a) => Array.from(a.data))).toEqual(
      weights.map((a) => Array.from(a.data)),
    );
    expect(back.training).toEqual({ steps: 0 });
    expect(policyModel(dir)).toBe(policyModel(dir));
  });

  it('budget 1 is the greedy rollout; budget K the best of greedy and K - 1 samples', () => {
    const model = new DispatchModel(NET, weights);
    const greedy = act(model, [new DispatchEnv(fixedTable(table))], [table], 1, new Rng(0), {
      greedy: true,
      record: false,
      values: false,
    }).tables[0]!;
    const one = runSearch(objective, createOptimizer(POLICY_MAPPER, table, 5, { model: dir }), { budget: 1 });
    expect(one.evaluations).toBe(1);
    expect(one.cost).toBe(greedy.makespan[0]);
    expect(Array.from(one.best.core)).toEqual(Array.from(greedy.encodings[0]!.core));
    const many = runSearch(objective, createOptimizer(POLICY_MAPPER, table, 5, { model: dir }), {
      budget: 70,
    });
    expect(many.evaluations).toBe(70);
    expect(many.cost).toBeLessThanOrEqual(one.cost);
    expect(many.history[0]).toEqual([1, one.cost]);
    for (let i = 1; i < many.history.length; i++)
      expect(many.history[i]![1]).toBeLessThanOrEqual(many.history[i - 1]![1]);
    validateEncoding(many.best, table.numJobs, table.numCores);
    expect(new Evaluator(table).evaluate(many.best).makespan).toBe(many.cost);
  });

  it('is deterministic per seed and maps one-job and one-core tables', () => {
    const a = runSearch(objective, createOptimizer(POLICY_MAPPER, table, 9, { model: dir }), { budget: 40 });
    const b = runSearch(objective, createOptimizer(POLICY_MAPPER, table, 9, { model: dir }), { budget: 40 });
    expect(b.history).toEqual(a.history);
    for (const t of [
      synthTable({ jobs: 1, cores: 3, bwRatio: 1, seed: 2 }),
      synthTable({ jobs: 7, cores: 1, bwRatio: 1, seed: 2 }),
    ]) {
      const opt = new PolicyMapper(t, policyModel(dir), new Rng(1));
      const res = runSearch(makespanObjective(t), opt, { budget: 5 });
      expect(res.evaluations).toBe(5);
      validateEncoding(res.best, t.numJobs, t.numCores);
    }
  });
});
