// Imitating an expert's mappings: a mapping replayed on m3e/Dispatch-v0 as per-core queues
// reproduces its evaluated makespan exactly, the expert (MAGMA from the heuristics' mappings)
// is seeded and never worse than the best heuristic, and the expert's rollout is imitated
// (never pushed by the policy gradient) when it beats the greedy one.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expertMapping, expertQueues, QueueReplay } from '../../agents/dispatch/expert.js';
import { targets } from '../../agents/dispatch/learn.js';
import { DispatchModel, initialWeights } from '../../agents/dispatch/model.js';
import { act, type TableRecord } from '../../agents/dispatch/rollout.js';
import { parseDispatchSettings } from '../../agents/dispatch/settings.js';
import { savePolicy } from '../../agents/dispatch/store.js';
import { bestHeuristicMakespan, DispatchTrainer, trainDispatchRun } from '../../agents/dispatch/trainer.js';
import { DispatchEnv } from '../../envs/m3e/dispatch-env.js';
import { fixedTable } from '../../envs/m3e/problem-source.js';
import { InputError } from '../../src/core/errors.js';
import { evaluate } from '../../src/core/evaluator.js';
import { Rng } from '../../src/core/rng.js';
import { synthTable } from '../../src/core/synth.js';
import { TINY_DISPATCH_NET, useCpu } from './helpers.js';

const NET = TINY_DISPATCH_NET;

describe('replaying a mapping', () => {
  const model = new DispatchModel(NET, initialWeights(NET, new Rng(1)));

  it('QueueReplay hands out each queue in order, then -1 (close)', () => {
    const r = new QueueReplay([Int32Array.of(2, 0), Int32Array.of(), Int32Array.of(1)]);
    expect([r.next(0), r.next(1), r.next(2), r.next(0), r.next(2), r.next(0)]).toEqual([2, -1, 1, 0, -1, -1]);
    expect(() => r.next(3)).toThrow(InputError);
  });

  it('the replayed rollout has exactly the evaluated makespan and mapping queues', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 14 }),
        fc.integer({ min: 1, max: 5 }),
        fc.double({ min: 0.05, max: 4, noNaN: true }),
        fc.integer({ min: 0, max: 1e6 }),
        (J, C, bwRatio, seed) => {
          const table = synthTable({ jobs: J, cores: C, bwRatio, seed });
          const rng = new Rng(seed + 1);
          // Some cores get no job at all (their first decision closes them).
          const used = 1 + rng.int(C);
          const encoding = {
            core: Int32Array.from({ length: J }, () => rng.int(used)),
            priority: Float64Array.from({ length: J }, () => Math.floor(rng.float() * 4) / 4),
          };
          const queues = expertQueues(table, encoding);
          const envs = [0, 1].map(() => new DispatchEnv(fixedTable(table)));
          const rec = act(model, envs, [table], 2, new Rng(seed), {
            greedy: [true, false],
            record: true,
            values: false,
            replay: { rollout: 1, queues: [queues] },
          }).tables[0]!;
          expect(rec.makespan[1]).toBe(evaluate(table, encoding).makespan);
          // The replayed dispatches, per core, are the queues; every other step closes a core.
          const got: number[][] = Array.from({ length: C }, () => []);
          let closes = 0;
          for (let t = rec.start[1]!; t < rec.start[2]!; t++) {
            if (rec.action[t] === J) closes++;
            else got[rec.core[t]!]!.push(rec.action[t]!);
            // The recorded log-probability is the policy's, of the replayed action.
            expect(rec.logProb[t]!).toBeLessThanOrEqual(0);
          }
          expect(got).toEqual(queues.map((q) => Array.from(q)));
          expect(closes).toBeLessThanOrEqual(C - 1);
          // The greedy rollout's actions are the policy's most likely ones.
          for (let t = rec.start[0]!; t < rec.start[1]!; t++) expect(rec.agree[t]).toBe(1);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('the expert', () => {
  it('is seeded and never worse than the best heuristic', () => {
    for (const seed of [1, 2, 3]) {
      const table = synthTable({ jobs: 30, cores: 4, bwRatio: 0.5, seed });
      const a = expertMapping(table, seed, 600);
      const b = expertMapping(table, seed, 600);
      expect(Array.from(a.core)).toEqual(Array.from(b.core));
      expect(Array.from(a.priority)).toEqual(Array.from(b.priority));
      expect(evaluate(table, a).makespan).toBeLessThanOrEqual(bestHeuristicMakespan(table));
    }
    // Seeded with a better mapping than the heuristics' (a longer search), it keeps it or improves.
    const table = synthTable({ jobs: 30, cores: 4, bwRatio: 0.3, seed: 9 });
    const good = expertMapping(table, 1, 3000);
    const seeded = expertMapping(table, 2, 100, [good]);
    expect(evaluate(table, seeded).makespan).toBeLessThanOrEqual(evaluate(table, good).makespan);
    const own = expertMapping(table, 2, 100, [good], 'random');
    expect(evaluate(table, own).makespan).toBeLessThanOrEqual(evaluate(table, good).makespan);
    expect(evaluate(table, expertMapping(table, 2, 100)).makespan).toBeGreaterThan(
      evaluate(table, good).makespan,
    );
    expect(() => expertMapping(synthTable({ jobs: 3, cores: 2, bwRatio: 1, seed: 1 }), 1, 0)).toThrow(
      InputError,
    );
  });
});

/**
 * A record of K one-step rollouts with the given returns (only what targets reads); every
 * action dispatches job 0 of a 3-job table, except the steps listed in `closes`.
 */
function returns(R: number[], closes: number[] = [], agree: number[] = []): TableRecord {
  return {
    agree: Int32Array.from(R, (_, t) => (agree.includes(t) ? 1 : 0)),
    K: R.length,
    S: R.length,
    J: 3,
    action: Int32Array.from(R, (_, t) => (closes.includes(t) ? 3 : 0)),
    start: Int32Array.from({ length: R.length + 1 }, (_, k) => k),
    reward: Float32Array.from(R),
    value: new Float32Array(R.length),
  } as unknown as TableRecord;
}

describe('expert targets', () => {
  const base = { algo: 'reinforce', rollouts: 4, greedyRollout: true, silCoef: 1, expert: true };

  it('the expert rollout is imitated when it beats the greedy one and the samples', () => {
    // Greedy -3, expert -1, samples -2 and -4 (mean -3).
    const t = targets(returns([-3, -1, -2, -4]), parseDispatchSettings({ ...base, expertWeight: 2 }));
    expect(Array.from(t.advantages)).toEqual([0, 0, 1, -1]);
    expect(Array.from(t.sampled!)).toEqual([0, 0, 1, 1]);
    expect(Array.from(t.imitate!)).toEqual([0, 2, 0, 0]);
  });

  it('the expert close decisions are weighted by expertCloseWeight', () => {
    const s = parseDispatchSettings({ ...base, expertWeight: 2, expertCloseWeight: 0.25 });
    expect(Array.from(targets(returns([-3, -1, -2, -4], [1]), s).imitate!)).toEqual([0, 0.5, 0, 0]);
    // A sample's closes keep their weight.
    expect(Array.from(targets(returns([-3, -2, -1, -4], [2]), s).imitate!)).toEqual([0, 0, 1, 0]);
  });

  it("the expert's decisions that agree with the policy are weighted by expertAgreeWeight", () => {
    const s = parseDispatchSettings({ ...base, expertWeight: 2, expertAgreeWeight: 0 });
    // Step 1 (the expert's one step) agrees with the policy: nothing left to imitate on it.
    expect(Array.from(targets(returns([-3, -1, -2, -4], [], [1]), s).imitate!)).toEqual([0, 0, 0, 0]);
    expect(Array.from(targets(returns([-3, -1, -2, -4], [], [0, 2]), s).imitate!)).toEqual([0, 2, 0, 0]);
    // A sample's agreeing decisions keep their weight.
    expect(Array.from(targets(returns([-3, -2, -1, -4], [], [2]), s).imitate!)).toEqual([0, 0, 1, 0]);
  });

  it('a better sample is imitated instead; nothing when the greedy one is best', () => {
    const s = parseDispatchSettings(base);
    expect(Array.from(targets(returns([-3, -2, -1, -4]), s).imitate!)).toEqual([0, 0, 1, 0]);
    expect(targets(returns([-1, -2, -3, -4]), s).imitate).toBeNull();
  });

  it('without samples (greedy and expert only) there is no policy gradient', () => {
    const t = targets(returns([-3, -1]), parseDispatchSettings({ ...base, rollouts: 2 }));
    expect(Array.from(t.advantages)).toEqual([0, 0]);
    expect(Array.from(t.sampled!)).toEqual([0, 0]);
    expect(Array.from(t.imitate!)).toEqual([0, 1]);
  });

  it('needs self-imitation', () => {
    expect(() => parseDispatchSettings({ ...base, silCoef: 0 })).toThrow(/silCoef/);
  });
});

describe('training with the expert', () => {
  beforeAll(useCpu);

  it.each([
    ['magma', 'heuristic'],
    ['magma', 'greedy'],
    ['magma', 'own'],
    ['lookahead', 'heuristic'],
  ])(
    'replays the expert (%s, %s start) in every batch, the same from the same seed',
    (expertSearch, expertStart) => {
      const settings = parseDispatchSettings({
        expertSearch,
        expertStart,
        expertAgreeWeight: expertSearch === 'lookahead' ? 0 : 1,
        ...{ algo: 'reinforce', rollouts: 3, greedyRollout: true, silCoef: 1, expert: true },
        network: NET,
        tables: 2,
        minibatches: 1,
        expertBudget: 200,
        problems: { jobs: [6, 12], cores: [2, 3], tasks: ['recommendation'] },
      });
      const a = new DispatchTrainer(settings, 3);
      const b = new DispatchTrainer(settings, 3);
      for (let i = 0; i < 2; i++) {
        const ra = a.iterate(1e6);
        const rb = b.iterate(1e6);
        expect(ra.update.expertRatio).toBeGreaterThanOrEqual(1);
        expect(ra.update.expertRatio).toBe(rb.update.expertRatio);
        expect(ra.update.imitationLoss).toBe(rb.update.imitationLoss);
      }
      a.dispose();
      b.dispose();
    },
  );
});

describe('fine-tuning from a policy', () => {
  beforeAll(useCpu);
  const root = mkdtempSync(join(tmpdir(), 'm3e-init-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const start = initialWeights(NET, new Rng(11));
  savePolicy(join(root, 'start'), NET, start, { steps: 0 });
  const settings = {
    algo: 'reinforce',
    network: NET,
    tables: 1,
    rollouts: 2,
    minibatches: 1,
    problems: { jobs: [6, 8], cores: [2, 2], tasks: ['recommendation'] },
  };

  it('a trainer starts from the given weights, not its seeded ones', () => {
    const t = new DispatchTrainer(parseDispatchSettings(settings), 5, start);
    expect(t.net.getWeights().map((w) => Array.from(w.data))).toEqual(start.map((w) => Array.from(w.data)));
    expect(Array.from(t.model.getWeights()[0]!.data)).toEqual(Array.from(start[0]!.data));
    t.dispose();
  });

  it('a run records its starting policy and refuses one of another network', async () => {
    const out = join(root, 'run');
    const t = await trainDispatchRun({
      out,
      init: join(root, 'start'),
      settings,
      totalSteps: 1,
      evalEvery: 0,
    });
    t.dispose();
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).init).toBe(join(root, 'start'));
    await expect(
      trainDispatchRun({
        out: join(root, 'other'),
        init: join(root, 'start'),
        settings: { ...settings, network: { ...NET, dim: 16, ffn: 16, hidden: 16 } },
        totalSteps: 1,
      }),
    ).rejects.toThrow(/init: the policy/);
  });
});
