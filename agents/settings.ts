/**
 * Hyper-parameters of the agents: zod schemas (validated at the edges: CLI, run folders,
 * tuner) with documented defaults, and the same parameters declared as ParamSpaces so the
 * Bayesian tuner can search them.
 *
 * Where the defaults come from:
 * - PPO: CleanRL `ppo.py` (Huang et al., "The 37 implementation details of PPO", ICLR blog
 *   track 2022), which follows OpenAI baselines `ppo2` for Atari/classic control: lr 2.5e-4
 *   annealed linearly to 0, 4 envs x 128 steps, GAE gamma 0.99 lambda 0.95, 4 minibatches x
 *   4 epochs, advantage normalisation per minibatch, clip 0.2 for the surrogate and the value,
 *   entropy 0.01, value 0.5, global gradient norm 0.5, Adam eps 1e-5.
 * - A2C: Stable-Baselines3 `A2C` (after OpenAI baselines `a2c`): lr 7e-4, 5 steps per env,
 *   gamma 0.99, lambda 1 (plain n-step returns), entropy 0, value 0.5, gradient norm 0.5,
 *   RMSProp alpha 0.99 eps 1e-5, no advantage normalisation; 4 envs as in our PPO.
 * - Network: the MAGMA authors' RL baselines used a 3 x 128 MLP; CleanRL
 *   uses separate actor and critic trunks with tanh, which we keep.
 */
import { z } from 'zod';
import { InputError, show } from '../src/core/errors.js';
import type { ParamSpace, ParamValues } from '../src/optim/params.js';

/** Most environment steps a run may be given (about a year at 300 steps per second). */
export const MAX_TOTAL_STEPS = 10_000_000_000;

export const ACTIVATIONS = ['tanh', 'relu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** Widest layer and deepest trunk accepted: far beyond what a policy here needs, but finite. */
const MAX_WIDTH = 4096;
const MAX_DEPTH = 8;

export const NetworkSettingsSchema = z.strictObject({
  /** Hidden layer widths of each trunk. Default 3 x 128 (the MAGMA authors' policy). */
  hidden: z.array(z.int().min(1).max(MAX_WIDTH)).min(1).max(MAX_DEPTH).default([128, 128, 128]),
  /** One trunk for actor and critic (false: CleanRL's separate networks). */
  sharedTrunk: z.boolean().default(false),
  activation: z.enum(ACTIVATIONS).default('tanh'),
});
export type NetworkSettings = z.infer<typeof NetworkSettingsSchema>;

/** Defaults shared by both agents (see the header for their sources). */
const common = {
  numEnvs: z.int().min(1).max(1024).default(4),
  learningRate: z.number().positive().max(1).default(2.5e-4),
  /** Anneal the learning rate linearly to 0 over the run. */
  annealLr: z.boolean().default(true),
  gamma: z.number().min(0).max(1).default(0.99),
  gaeLambda: z.number().min(0).max(1).default(0.95),
  normAdv: z.boolean().default(true),
  entCoef: z.number().min(0).max(1).default(0.01),
  vfCoef: z.number().min(0).max(10).default(0.5),
  maxGradNorm: z.number().positive().max(1e6).default(0.5),
  network: NetworkSettingsSchema.default(NetworkSettingsSchema.parse({})),
};

export const PpoSettingsSchema = z.strictObject({
  algo: z.literal('ppo').default('ppo'),
  ...common,
  numSteps: z.int().min(1).max(100_000).default(128),
  numMinibatches: z.int().min(1).max(100_000).default(4),
  updateEpochs: z.int().min(1).max(100).default(4),
  clipCoef: z.number().positive().max(10).default(0.2),
  clipVloss: z.boolean().default(true),
  /** Stop the epochs of an update early when the approximate KL exceeds this (null: never). */
  targetKl: z.number().positive().nullable().default(null),
  adamEps: z.number().positive().max(1).default(1e-5),
});
export type PpoSettings = z.infer<typeof PpoSettingsSchema>;

export const A2C_OPTIMIZERS = ['rmsprop', 'adam'] as const;

export const A2cSettingsSchema = z.strictObject({
  algo: z.literal('a2c').default('a2c'),
  ...common,
  learningRate: z.number().positive().max(1).default(7e-4),
  annealLr: z.boolean().default(false),
  gaeLambda: z.number().min(0).max(1).default(1),
  normAdv: z.boolean().default(false),
  entCoef: z.number().min(0).max(1).default(0),
  numSteps: z.int().min(1).max(100_000).default(5),
  optimizer: z.enum(A2C_OPTIMIZERS).default('rmsprop'),
  /** RMSProp smoothing constant (PyTorch `alpha`). */
  rmspropAlpha: z.number().min(0).max(1).default(0.99),
  optimizerEps: z.number().positive().max(1).default(1e-5),
});
export type A2cSettings = z.infer<typeof A2cSettingsSchema>;

export type AgentSettings = PpoSettings | A2cSettings;
export type Algo = AgentSettings['algo'];
export const ALGOS = ['ppo', 'a2c'] as const satisfies readonly Algo[];

function formatIssue(what: string, issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? issue.path.join('.') : '(top level)';
  const got = 'input' in issue && issue.code !== 'unrecognized_keys' ? ` (got ${show(issue.input)})` : '';
  return `${what}: ${where}: ${issue.message}${got}`;
}

function parseWith<T>(schema: z.ZodType<T>, what: string, data: unknown): T {
  const r = schema.safeParse(data ?? {}, { reportInput: true });
  if (!r.success) throw new InputError(formatIssue(what, r.error.issues[0]!));
  return r.data;
}

export function parsePpoSettings(data: unknown = {}): PpoSettings {
  const s = parseWith(PpoSettingsSchema, 'ppo settings', data);
  const batch = s.numEnvs * s.numSteps;
  if (s.numMinibatches > batch) {
    throw new InputError(
      `ppo settings: numMinibatches (${s.numMinibatches}) exceeds the batch numEnvs x numSteps = ${batch}`,
    );
  }
  return s;
}

export function parseA2cSettings(data: unknown = {}): A2cSettings {
  return parseWith(A2cSettingsSchema, 'a2c settings', data);
}

/** Validates settings of either agent; `algo` picks the schema (given, or the argument). */
export function parseSettings(algo: Algo, data: unknown = {}): AgentSettings {
  const given = (data ?? {}) as { algo?: unknown };
  if (given.algo !== undefined && given.algo !== algo) {
    throw new InputError(`settings are for algo ${show(given.algo)}, expected ${show(algo)}`);
  }
  return algo === 'ppo' ? parsePpoSettings(data) : parseA2cSettings(data);
}

/**
 * Presets for the M3E environments, applied by `m3e train` on top of the defaults above
 * (which are CleanRL's / SB3's for Atari-like tasks; `--no-preset` keeps them). From
 * 100k-step pilot runs on the synthetic 100-job, 4-core group:
 * PPO with a 12x larger learning rate (at the default the approximate KL per update fell
 * to ~1e-5: the policy hardly moved; 3e-3 beat 1e-3 and 2.5e-4), 8 envs; A2C at SB3's
 * RMSProp 7e-4 with advantage normalisation, an entropy bonus and GAE 0.95 (RMSProp 3e-3
 * collapsed to one core, Adam 1e-3 learnt slower); both with gamma = 1 (finite 100-step
 * episodes whose return is exactly -makespan / LB).
 */
export const M3E_PRESETS = {
  ppo: { numEnvs: 8, numSteps: 128, learningRate: 3e-3, gamma: 1 },
  a2c: {
    numEnvs: 16,
    numSteps: 8,
    learningRate: 7e-4,
    gamma: 1,
    gaeLambda: 0.95,
    normAdv: true,
    entCoef: 0.01,
  },
} as const satisfies Record<Algo, Record<string, unknown>>;

// ---- Tunable spaces (for the Bayesian tuner and `--param`) ----------------------------

const PPO = parsePpoSettings();
const A2C = parseA2cSettings();
/** Widths the tuner may pick for every hidden layer. */
const WIDTHS = [32, 64, 128, 256] as const;

/** Shared entries: defaults read from the schemas so the two declarations cannot drift. */
function commonSpace(d: AgentSettings) {
  return {
    learningRate: {
      type: 'float',
      low: 1e-5,
      high: 1e-2,
      log: true,
      default: d.learningRate,
      description: 'optimiser step size',
    },
    numEnvs: {
      type: 'int',
      low: 1,
      high: 32,
      log: true,
      default: d.numEnvs,
      description: 'parallel environments',
    },
    gamma: { type: 'float', low: 0.9, high: 1, default: d.gamma, description: 'discount factor' },
    gaeLambda: {
      type: 'float',
      low: 0.8,
      high: 1,
      default: d.gaeLambda,
      description: 'GAE lambda (1 = n-step returns)',
    },
    entCoef: {
      type: 'float',
      low: 0,
      high: 0.05,
      default: d.entCoef,
      description: 'entropy bonus coefficient',
    },
    vfCoef: { type: 'float', low: 0.1, high: 1, default: d.vfCoef, description: 'value loss coefficient' },
    maxGradNorm: {
      type: 'float',
      low: 0.1,
      high: 10,
      log: true,
      default: d.maxGradNorm,
      description: 'global gradient-norm clip',
    },
    hiddenWidth: {
      type: 'categorical',
      choices: WIDTHS,
      default: d.network.hidden[0]!,
      description: 'width of every hidden layer',
    },
    hiddenLayers: {
      type: 'int',
      low: 1,
      high: 4,
      default: d.network.hidden.length,
      description: 'hidden layers per trunk',
    },
  } as const;
}

export const ppoParamSpace = {
  ...commonSpace(PPO),
  numSteps: {
    type: 'int',
    low: 8,
    high: 512,
    log: true,
    default: PPO.numSteps,
    description: 'steps per env per rollout',
  },
  numMinibatches: {
    type: 'categorical',
    choices: [1, 2, 4, 8, 16],
    default: PPO.numMinibatches,
    description: 'minibatches per epoch',
  },
  updateEpochs: {
    type: 'int',
    low: 1,
    high: 10,
    default: PPO.updateEpochs,
    description: 'epochs per rollout',
  },
  clipCoef: {
    type: 'float',
    low: 0.05,
    high: 0.4,
    default: PPO.clipCoef,
    description: 'surrogate and value clip',
  },
} as const satisfies ParamSpace;

export const a2cParamSpace = {
  ...commonSpace(A2C),
  numSteps: {
    type: 'int',
    low: 2,
    high: 128,
    log: true,
    default: A2C.numSteps,
    description: 'steps per env per rollout',
  },
  optimizer: {
    type: 'categorical',
    choices: A2C_OPTIMIZERS,
    default: A2C.optimizer,
    description: 'optimiser',
  },
} as const satisfies ParamSpace;

type CommonParamKeys = keyof ReturnType<typeof commonSpace>;

function applyCommon(values: Pick<ParamValues<typeof ppoParamSpace>, CommonParamKeys>) {
  const { hiddenWidth, hiddenLayers, ...rest } = values;
  return { ...rest, network: { hidden: Array<number>(hiddenLayers).fill(hiddenWidth) } };
}

/** PPO settings from tuner values (unlisted settings keep their defaults). */
export function ppoSettingsFromParams(values: ParamValues<typeof ppoParamSpace>): PpoSettings {
  return parsePpoSettings(applyCommon(values));
}

export function a2cSettingsFromParams(values: ParamValues<typeof a2cParamSpace>): A2cSettings {
  return parseA2cSettings(applyCommon(values));
}
