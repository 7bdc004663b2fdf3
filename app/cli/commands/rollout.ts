/**
 * `m3e rollout`: map a group with a trained policy, greedily (one forward pass per job) or
 * as the best of K mappings (the greedy one, then K - 1 sampled rollouts: what an agent
 * mapper in `m3e compare` does), and print the same JSON as `m3e search`.
 */
import type { Command } from 'commander';
import { resolveProblem } from '../../../models/problem.js';
import { encodingToJson } from '../../../src/core/encoding.js';
import { InputError } from '../../../src/core/errors.js';
import { type JobTable, withSystemBandwidth } from '../../../src/core/table.js';
import { checkWritableFile, writeJsonAtomic } from '../../../src/io/files.js';
import { type CliIO, emit } from '../io.js';
import { CLI_LIMITS } from '../limits.js';
import { parseIntOption } from '../options.js';
import { addProblemOptions, hasJobSource, loadProblem, type ProblemOptions } from '../problem.js';

interface RolloutOptions extends ProblemOptions {
  run: string;
  samples?: number;
  seed?: number;
  backend: string;
  verbose?: boolean;
  out?: string;
  json?: boolean;
}

export function register(program: Command, io: CliIO): void {
  const rollout = program
    .command('rollout')
    .description(
      'map a group with a trained policy (greedy, or the best of the greedy and K - 1 sampled rollouts)',
    )
    .requiredOption('--run <dir>', 'run folder written by `m3e train --out`')
    .option(
      '--samples <K>',
      'best of K mappings: the greedy rollout and K - 1 sampled ones',
      parseIntOption('--samples', 1, CLI_LIMITS.MAX_SAMPLES),
    )
    .option('--backend <name>', 'tfjs backend: auto, node, wasm or cpu', 'auto')
    .option('--verbose', 'also say why backends tried first were skipped')
    .option('--out <file>', 'write the result JSON here')
    .option('--json', 'print JSON on stdout');
  // The group to map, as every command takes it (default: the table the run trained on);
  // --seed seeds the sampled rollouts (and a --task group).
  addProblemOptions(rollout).action(async (o: RolloutOptions) => {
    if (o.out !== undefined) checkWritableFile(o.out, '--out');
    const agents = await import('../../../agents/index.js');
    const choice = agents.parseBackendChoice(o.backend);
    // The run (run.json) and the group are checked before the backend starts.
    const manifest = agents.RunFolder.open(o.run).manifest;
    let table: JobTable;
    let source: string;
    if (o.table || hasJobSource(o) || o.platform !== undefined) ({ table, source } = loadProblem(o));
    else if (!manifest.env.newGroups) {
      // The run's own group, at another bandwidth with --bw.
      const own = resolveProblem(manifest.env.problem);
      table = o.bw === undefined ? own.table : withSystemBandwidth(own.table, o.bw);
      source = `${own.source}${o.bw === undefined ? '' : ` at ${o.bw} B/cycle`}`;
    } else {
      throw new InputError(
        `run ${o.run} trained on a new group every episode: give the group to map (--table, --jobs ... --platform ...)`,
      );
    }
    const info = await agents.selectBackend(choice);
    const policy = agents.loadPolicy(o.run);
    io.stderr(`m3e rollout: ${agents.describeBackend(info, Boolean(o.verbose))}\n`);
    const greedy = o.samples === undefined;
    const t0 = performance.now();
    const r = agents.bestOfPolicy(policy.net, policy.env, table, {
      samples: o.samples ?? 1,
      seed: o.seed ?? 0,
    });
    const seconds = (performance.now() - t0) / 1000;
    policy.net.dispose();
    const out = {
      optimizer: `${policy.settings.algo}-policy`,
      problem: source,
      seed: o.seed ?? 0,
      params: {
        run: o.run,
        trainedSteps: policy.step,
        mode: greedy ? 'greedy' : 'best-of-greedy-and-samples',
        samples: r.episodes,
      },
      makespan: r.makespan,
      lowerBound: r.lowerBound,
      ratio: r.makespan / r.lowerBound,
      evaluations: r.episodes,
      seconds,
      mapping: encodingToJson(r.encoding),
      history: r.history,
    };
    if (o.out) writeJsonAtomic(o.out, out);
    emit(io, Boolean(o.json), out, () =>
      [
        `${out.optimizer} (${greedy ? 'greedy' : `best of greedy + ${r.episodes - 1} samples`}) on ${source}: ${seconds.toFixed(2)} s`,
        `makespan     ${r.makespan} cycles`,
        `lower bound  ${r.lowerBound.toPrecision(8)} cycles  (makespan / LB = ${out.ratio.toFixed(4)})`,
        ...(o.out ? [`result       ${o.out}`] : []),
      ].join('\n'),
    );
  });
}
