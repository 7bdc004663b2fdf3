/**
 * `m3e envs` (the registered environments with their spaces and options) and `m3e env-check`
 * (the environment checker plus timed random-policy episodes). The CLI is the app layer: the
 * one place in src/ allowed to import the gym (envs/).
 */
import type { Command } from 'commander';
import { checkEnv, runRandomEpisodes } from '../../../envs/checker.js';
import { fixedTable } from '../../../envs/m3e/problem-source.js';
import { getEnvSpec, listEnvs, make } from '../../../envs/registry.js';
import { InputError } from '../../../src/core/errors.js';
import { describeSpace, parseParamString } from '../../../src/optim/params.js';
import { type CliIO, emit } from '../io.js';
import { CLI_LIMITS } from '../limits.js';
import { collectKeyValue, parseIntOption } from '../options.js';
import { addProblemOptions, loadProblem, type ProblemOptions } from '../problem.js';
import { ProgressBar } from '../progress.js';

interface EnvsOptions extends ProblemOptions {
  json?: boolean;
}

interface EnvCheckOptions extends ProblemOptions {
  option: Record<string, string>;
  episodes: number;
  seed?: number;
  json?: boolean;
}

/** Random-policy episodes timed by default: 100 x 100 steps is long enough to time. */
const DEFAULT_EPISODES = 100;
/** Untimed steps before timing (V8 optimises a hot function after some thousands of calls). */
const WARMUP_STEPS = 20_000;
const MAX_WARMUP_EPISODES = 1000;

export function register(program: Command, io: CliIO): void {
  const list = program
    .command('envs')
    .description('list the registered environments with their options and spaces (for the given problem)');
  addProblemOptions(list)
    .option('--json', 'print JSON on stdout')
    .action((opts: EnvsOptions) => {
      const { table, source } = loadProblem(opts);
      const out = listEnvs().map((spec) => {
        const env = make(spec.id, { table });
        return {
          id: spec.id,
          description: spec.description,
          options: describeSpace(spec.params, table),
          actionSpace: env.actionSpace.toJSON(),
          observationSpace: env.observationSpace.toJSON(),
          spaces: { action: String(env.actionSpace), observation: String(env.observationSpace) },
        };
      });
      emit(io, Boolean(opts.json), { problem: source, envs: out }, () =>
        [
          `spaces for ${source}, default options`,
          ...out.map((e) =>
            [
              `${e.id}  ${e.description}`,
              `    action       ${e.spaces.action}`,
              `    observation  ${e.spaces.observation}`,
              ...e.options.map(
                (p) =>
                  `    option ${String(p.name).padEnd(8)} ${'choices' in p ? `{${(p.choices as unknown[]).join(', ')}}` : `${p.type} in [${p.low}, ${p.high}]`}, default ${p.default}: ${p.description}`,
              ),
            ].join('\n'),
          ),
        ].join('\n'),
      );
    });

  const check = program
    .command('env-check')
    .argument('<id>', 'environment id (see `m3e envs`)')
    .description('run the environment checker and timed random-policy episodes on an environment');
  addProblemOptions(check)
    .option(
      '--option <key=value>',
      'environment option (repeatable), e.g. window=5',
      collectKeyValue('--option'),
      {},
    )
    .option(
      '--episodes <n>',
      'random-policy episodes to time',
      parseIntOption('--episodes', 1, CLI_LIMITS.MAX_EPISODES),
      DEFAULT_EPISODES,
    )
    .option('--json', 'print JSON on stdout')
    .action((id: string, opts: EnvCheckOptions) => {
      const spec = getEnvSpec(id);
      const options = Object.fromEntries(
        Object.entries(opts.option).map(([k, v]) => [k, parseParamString(id, spec.params, k, v)]),
      );
      const { table, source } = loadProblem(opts);
      const seed = opts.seed ?? 0;
      const problem = fixedTable(table);
      const report = checkEnv(make(id, { source: problem, ...options }), { seed });
      const env = make(id, { source: problem, ...options });
      // Warm the JIT first so the timing reflects the steady state, not compilation.
      const probe = runRandomEpisodes(env, { episodes: 1, seed });
      const warm = Math.min(MAX_WARMUP_EPISODES, Math.ceil(WARMUP_STEPS / Math.max(1, probe.steps)));
      runRandomEpisodes(env, { episodes: warm, seed });
      const bar = new ProgressBar(io, opts.episodes, `${id} random episodes`);
      const t0 = performance.now();
      const run = runRandomEpisodes(env, {
        episodes: opts.episodes,
        seed,
        onEpisode: (done) => bar.update(done),
      });
      const seconds = (performance.now() - t0) / 1000;
      bar.done();
      env.close();
      const out = {
        env: id,
        passed: report.passed,
        checks: report.checks,
        episodes: run.episodes,
        steps: run.steps,
        stepsPerSecond: Math.round(run.steps / seconds),
        meanReturn: run.returns.reduce((a, b) => a + b, 0) / run.returns.length,
        options: env.spec?.options ?? options,
        problem: source,
      };
      emit(io, Boolean(opts.json), out, () =>
        [
          `${id} on ${source}: ${report.passed ? 'PASSED' : 'FAILED'}`,
          ...report.checks.map((c) => `  ${c.passed ? 'ok  ' : 'FAIL'} ${c.name.padEnd(18)} ${c.detail}`),
          `${run.episodes} random episodes, ${run.steps} steps, ${out.stepsPerSecond} steps/s, mean return ${out.meanReturn.toFixed(4)}`,
        ].join('\n'),
      );
      if (!report.passed) {
        const failed = report.checks.filter((c) => !c.passed).map((c) => c.name);
        throw new InputError(`env-check: ${id} failed ${failed.length} check(s): ${failed.join(', ')}`);
      }
    });
}
