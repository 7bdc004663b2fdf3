/**
 * Settings of a dispatching-policy training run (zod-validated at the edges; errors name
 * the field and the value). Three learners share the rollouts and the network:
 *
 * - `ppo`: clipped surrogate, clipped value loss, entropy bonus, GAE(lambda) on the dense
 *   time reward, `epochs` passes over the batch in `minibatches` groups of tables;
 * - `a2c`: one step per batch, the advantage actor-critic loss on the same advantages;
 * - `reinforce`: REINFORCE with POMO's shared baseline: the K rollouts of a table are
 *   scored against their mean (the advantage of every step of rollout k is R_k - mean R),
 *   one pass over the batch in `minibatches` groups of tables, no critic.
 *
 * A batch is `tables` tables x `rollouts` rollouts, all run to the end. With `greedyRollout`
 * the first rollout of each table is the greedy one: the reference of self-imitation (and
 * left out of the policy gradient, which needs samples). Self-imitation (`silCoef` > 0, Oh
 * et al. 2018) adds, for every table whose best sampled rollout beats the greedy one, the
 * log-likelihood of that rollout's decisions: the greedy policy moves towards what its own
 * samples found.
 */
import { z } from 'zod';
import { InputError, show } from '../../src/core/errors.js';
import { checkNetSettings, DEFAULT_NET } from './model.js';

export const DISPATCH_ALGOS = ['ppo', 'a2c', 'reinforce'] as const;
export type DispatchAlgo = (typeof DISPATCH_ALGOS)[number];

const range = z.tuple([z.number(), z.number()]);

export const DispatchNetSchema = z.strictObject({
  dim: z.int().default(DEFAULT_NET.dim),
  heads: z.int().default(DEFAULT_NET.heads),
  layers: z.int().default(DEFAULT_NET.layers),
  ffn: z.int().default(DEFAULT_NET.ffn),
  hidden: z.int().default(DEFAULT_NET.hidden),
});

/** The problems of a run: the zoo source's ranges (see envs/m3e/zoo-source.ts). */
export const DispatchProblemsSchema = z.strictObject({
  tasks: z.array(z.string()).min(1).optional(),
  jobs: range.default([20, 300]),
  cores: range.default([2, 16]),
  bandwidth: range.default([1, 256]),
  /** Until this many steps, the largest group grows linearly from jobs[0] x 2.5 to jobs[1]. */
  curriculumSteps: z.int().min(0).default(0),
});

export const DispatchSettingsSchema = z.strictObject({
  algo: z.enum(DISPATCH_ALGOS).default('ppo'),
  /** Tables per batch. */
  tables: z.int().min(1).max(4096).default(8),
  /** Rollouts of each table per batch (the shared baseline's group). */
  rollouts: z.int().min(1).max(1024).default(8),
  /**
   * Environment reward: `log` (return -ln(makespan / LB): the geometric mean of the ratios
   * is what is optimised, and a disastrous schedule does not drown the batch) or `dense`
   * (return -makespan / LB).
   */
  reward: z.enum(['log', 'dense']).default('log'),
  learningRate: z.number().positive().max(1).default(3e-4),
  annealLr: z.boolean().default(true),
  /**
   * PPO and A2C advantages: `gae` (GAE(lambda) with the critic) or `shared` (POMO's shared
   * baseline, as REINFORCE: R_k - mean R of the table's rollouts, on every step of rollout
   * k; the critic is then not trained).
   */
  advantage: z.enum(['gae', 'shared']).default('gae'),
  gamma: z.number().min(0).max(1).default(1),
  gaeLambda: z.number().min(0).max(1).default(0.95),
  epochs: z.int().min(1).max(100).default(2),
  /** Groups of tables per epoch (ppo) or per batch (reinforce): one gradient step each. */
  minibatches: z.int().min(1).max(4096).default(4),
  clipCoef: z.number().positive().max(10).default(0.2),
  clipVloss: z.boolean().default(true),
  normAdv: z.boolean().default(true),
  entCoef: z.number().min(0).max(1).default(0.01),
  /**
   * REINFORCE: the advantage of each table's best rollout is multiplied by this (the
   * "leader reward" of Wang et al. 2024 for POMO): the policy moves faster towards its
   * best samples, the ones that beat its greedy mapping. 1: plain shared baseline.
   */
  leaderWeight: z.number().min(1).max(100).default(1),
  /** The first rollout of each table is greedy (the self-imitation reference). */
  greedyRollout: z.boolean().default(false),
  /** Weight of the self-imitation loss (0: none). */
  silCoef: z.number().min(0).max(100).default(0),
  /**
   * Expert imitation: the rollout after the greedy one (the first without `greedyRollout`)
   * replays an expert's mapping of the table (MAGMA from the heuristics' mappings,
   * `expertBudget` evaluations: agents/dispatch/expert.ts). It takes no part in the policy
   * gradient; it competes with the sampled rollouts as the rollout whose decisions the
   * self-imitation term imitates (so it needs `silCoef` > 0), when it beats the greedy one.
   */
  expert: z.boolean().default(false),
  /**
   * The expert: MAGMA (`magma`, `expertBudget` evaluations, started as `expertStart` says)
   * or the rollout algorithm on the current policy (`lookahead`: agents/dispatch/lookahead.ts,
   * the policy's `expertWidth` most likely actions tried at each decision, at most
   * `expertBudget` completions per table). The lookahead's schedule is the policy's own with
   * the decisions changed that a greedy completion shows to be better: a target the policy
   * can reach from its own states (expert iteration), unlike a static plan.
   */
  expertSearch: z.enum(['magma', 'lookahead']).default('magma'),
  expertWidth: z.int().min(2).max(64).default(3),
  expertBudget: z.int().min(1).max(1_000_000).default(3000),
  /**
   * The expert's first generation: the heuristics' mappings (`heuristic`), also the policy's
   * greedy mapping of the table (`greedy`), or that mapping and random ones (`own`: expert
   * iteration, the expert improves the policy's own mapping by local changes, a target close
   * to what the policy does; the heuristics' mappings would win and be unrelated to it).
   */
  expertStart: z.enum(['heuristic', 'greedy', 'own']).default('heuristic'),
  /** Weight of the expert's decisions in the self-imitation term (a sampled rollout's: 1). */
  expertWeight: z.number().min(0).max(100).default(1),
  /**
   * Factor on the weight of the expert's close decisions. Its closes are forced (a core whose
   * queue is empty must close, there is no waiting), and one close logit serves every state:
   * imitated, they raise closing everywhere and sampled rollouts close cores early.
   */
  expertCloseWeight: z.number().min(0).max(1).default(1),
  /**
   * Factor on the weight of the expert's decisions that are the policy's own most likely
   * action. Imitating those only sharpens the policy; at 0 only the decisions where the
   * expert differs from the policy are imitated (with the lookahead expert: the decisions a
   * greedy completion showed to be better than the policy's choice).
   */
  expertAgreeWeight: z.number().min(0).max(1).default(1),
  /**
   * Polyak averaging: with a decay d > 0 the run keeps an exponential moving average of the
   * weights (avg <- d avg + (1 - d) w after every update); validation and the exported policy
   * use the average, the updates the latest weights. Policy-gradient steps leave the greedy
   * policy noisy from one update to the next; the average sits in the middle of that noise.
   */
  averageDecay: z.number().min(0).max(0.9999).default(0),
  vfCoef: z.number().min(0).max(10).default(0.5),
  maxGradNorm: z.number().positive().max(1e6).default(1),
  adamEps: z.number().positive().max(1).default(1e-5),
  network: DispatchNetSchema.default(DispatchNetSchema.parse({})),
  problems: DispatchProblemsSchema.default(DispatchProblemsSchema.parse({})),
});
export type DispatchSettings = z.infer<typeof DispatchSettingsSchema>;

export function parseDispatchSettings(data: unknown = {}): DispatchSettings {
  const r = DispatchSettingsSchema.safeParse(data ?? {}, { reportInput: true });
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    const got = 'input' in issue && issue.code !== 'unrecognized_keys' ? ` (got ${show(issue.input)})` : '';
    throw new InputError(`dispatch settings: ${where}: ${issue.message}${got}`);
  }
  checkNetSettings(r.data.network);
  if (r.data.greedyRollout && r.data.rollouts < 2)
    throw new InputError(
      'dispatch settings: greedyRollout needs rollouts >= 2 (one greedy, the others sampled)',
    );
  if (r.data.expert && r.data.silCoef === 0)
    throw new InputError('dispatch settings: expert needs silCoef > 0 (its decisions are imitated)');
  if (r.data.algo !== 'a2c' && r.data.minibatches > r.data.tables)
    throw new InputError(
      `dispatch settings: minibatches (${r.data.minibatches}) exceeds tables (${r.data.tables}): a minibatch is a group of tables`,
    );
  return r.data;
}
