// RL agents as mappers in experiments: validation, a trained run folder, training inside a
// cell (with its run folder kept and resumed), and the fairness accounting.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../agents/backend.js';
import { bestOfPolicy, loadPolicy, rollout } from '../../agents/policy.js';
import { trainRun } from '../../agents/train.js';
import { runCell } from '../../app/experiment/cell.js';
import { checkMapper } from '../../app/experiment/mappers.js';
import { writeReport } from '../../app/experiment/report.js';
import { runExperiment } from '../../app/experiment/runner.js';
import { type AgentMapperRef, expandSpec, type LoadedSpec } from '../../app/experiment/spec.js';
import { SEQUENTIAL_ID } from '../../envs/index.js';
import { Evaluator } from '../../src/core/evaluator.js';
import { synthTable } from '../../src/core/synth.js';
import { tableToJson } from '../../src/core/table.js';
import { loadRunResults, type OkLine, type ResultLine } from '../../src/report/results.js';
import { tempDir } from '../helpers/cli.js';

const SYNTH = { jobs: 8, cores: 2, bwRatio: 1, seed: 3 };
const TABLE = synthTable(SYNTH);

function spec(mappers: unknown[], budget = 40): LoadedSpec {
  const data = { name: 'agents', problems: [{ name: 's', synth: SYNTH }], mappers, budget, seeds: [1, 2] };
  return { ...expandSpec(data, '/'), source: 'test', specDir: '/' };
}

function agentRef(entry: Record<string, unknown>, budget = 40): AgentMapperRef {
  const m = spec([entry], budget).mappers[0]!;
  if (m.kind !== 'agent') throw new Error('not an agent mapper');
  return m;
}

function ok(line: ResultLine): OkLine {
  if (line.status !== 'ok') throw new Error(`cell failed: ${line.error}`);
  return line;
}

/** A small trained A2C run on TABLE, shared by the tests below. */
let trained = '';
beforeAll(async () => {
  trained = join(tempDir(), 'a2c-run');
  const res = await trainRun({
    algo: 'a2c',
    settings: { numEnvs: 4, numSteps: 8 },
    env: {
      id: SEQUENTIAL_ID,
      options: {},
      problem: { table: tableToJson(TABLE), name: 'test' },
    },
    totalSteps: 256,
    seed: 4,
    backend: 'wasm',
    out: trained,
  });
  res.trainer.dispose();
});

describe('agent mappers in experiments', () => {
  it('checks agent mappers up front with the field and the value in the message', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ agent: 'dqn', trainSteps: 10 }, /mapper dqn: agent must be one of ppo, a2c, got "dqn"/],
      [{ agent: 'ppo', run: '/nowhere/run' }, /mapper ppo: no trained agent in \/nowhere\/run/],
      [{ agent: 'ppo', run: trained }, /holds a a2c agent, but the mapper says ppo/],
      [
        { agent: 'ppo', trainSteps: 10, settings: { learningRate: -1 } },
        /mapper ppo: settings: .*learningRate/,
      ],
      [{ agent: 'ppo', trainSteps: 10, settings: { colour: 1 } }, /mapper ppo: settings: .*colour/],
      [{ agent: 'a2c', trainSteps: 10, env: { reward: 'sometimes' } }, /mapper a2c: env: .*reward/],
    ];
    for (const [entry, message] of cases) {
      expect(() => checkMapper(agentRef(entry))).toThrow(message);
    }
    expect(() => checkMapper(agentRef({ agent: 'a2c', run: trained }))).not.toThrow();
  });

  it('maps with a trained run: 1 sample is its greedy rollout, K samples keep the best of K', async () => {
    await selectBackend('wasm');
    const policy = loadPolicy(trained);
    const greedy = rollout(policy.net, policy.env, TABLE, { episodes: 1, greedy: true, seed: 1 });
    const sampled = rollout(policy.net, policy.env, TABLE, { episodes: 39, greedy: false, seed: 1 });
    policy.net.dispose();

    const problem = spec(['random']).problems[0]!;
    const one = ok(
      await runCell({
        problem,
        mapper: agentRef({ agent: 'a2c', run: trained, samples: 1 }),
        seed: 1,
        budget: 40,
      }),
    );
    expect(one.makespan).toBeCloseTo(greedy.makespan, 6);
    expect(one.evaluations).toBe(1);
    expect(one.agent).toMatchObject({ backend: 'wasm', trainedSteps: 256, samples: 1 });
    expect(one.agent?.trainSeconds).toBeUndefined();

    const all = ok(
      await runCell({ problem, mapper: agentRef({ agent: 'a2c', run: trained }), seed: 1, budget: 40 }),
    );
    expect(all.evaluations).toBe(40);
    expect(all.makespan).toBeCloseTo(Math.min(greedy.makespan, ...sampled.makespans), 6);
    // The history starts at the greedy proposal, only improves, and ends at the budget.
    expect(all.history[0]).toEqual([1, greedy.makespan]);
    expect(all.history.at(-1)).toEqual([40, all.makespan]);
    for (let i = 1; i < all.history.length; i++)
      expect(all.history[i]![1]).toBeLessThanOrEqual(all.history[i - 1]![1]);
  });

  it('bestOfPolicy counts the greedy rollout as the first of its samples', async () => {
    await selectBackend('wasm');
    const policy = loadPolicy(trained);
    try {
      const r = bestOfPolicy(policy.net, policy.env, TABLE, { samples: 12, seed: 7 });
      expect(r.episodes).toBe(12);
      expect(r.makespans).toHaveLength(12);
      expect(r.makespan).toBe(Math.min(...r.makespans));
      expect(new Evaluator(TABLE).makespan(r.encoding.core, r.encoding.priority)).toBeCloseTo(r.makespan, 6);
      const greedy = rollout(policy.net, policy.env, TABLE, { episodes: 1, greedy: true, seed: 7 });
      expect(r.makespans[0]).toBe(greedy.makespan);
    } finally {
      policy.net.dispose();
    }
  });

  it('trains per cell, keeps the run folder in the experiment, and a rerun resumes it to the same mapping', async () => {
    const out = tempDir();
    const loaded = spec([
      'random',
      { agent: 'a2c', name: 'a2c-here', trainSteps: 300, samples: 10, settings: { numEnvs: 4, numSteps: 8 } },
    ]);
    const lines: ResultLine[] = [];
    const summary = await runExperiment(loaded, {
      outDir: out,
      workers: 0,
      resume: false,
      onCell: (l) => lines.push(l),
    });
    expect(summary).toMatchObject({ cells: 4, ran: 4, failed: 0 });
    const agentLines = lines.filter((l) => l.mapper === 'a2c-here').map(ok);
    expect(agentLines).toHaveLength(2);
    for (const l of agentLines) {
      expect(l.evaluations).toBe(10);
      // 300 steps in whole batches of 4 envs x 8 steps.
      expect(l.agent).toMatchObject({ backend: 'wasm', trainedSteps: 320, samples: 10 });
      // Episodes of 8 steps (one per job): 4 envs x 80 steps.
      expect(l.agent!.trainEpisodes).toBe(40);
      expect(l.agent!.trainSeconds).toBeGreaterThan(0);
      const dir = join(out, 'agents', 'a2c-here', ...l.problem.split('/'), `seed-${l.seed}`);
      expect(existsSync(join(dir, 'checkpoint.json'))).toBe(true);
      expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'))).toMatchObject({
        algo: 'a2c',
        seed: l.seed,
      });
    }
    // The two seeds train two different agents.
    expect(agentLines[0]!.mapping).not.toEqual(agentLines[1]!.mapping);

    // Running the cell again finds its finished run folder: no new training, the same mapping.
    const again = ok(
      await runCell({
        problem: loaded.problems[0]!,
        mapper: loaded.mappers[1]!,
        seed: agentLines[0]!.seed,
        budget: 40,
        workDir: out,
      }),
    );
    expect(again.mapping).toEqual(agentLines[0]!.mapping);
    expect(again.agent?.trainedSteps).toBe(320);

    writeReport(out, loaded, loadRunResults(out), { charts: false, png: false });
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('## Agent mappers');
    const greedy = agentLines.reduce((a, l) => a + l.history[0]![1] / l.lowerBound, 0) / agentLines.length;
    const greedyText = greedy.toLocaleString('en-US', { maximumFractionDigits: 4 });
    expect(report).toContain(
      `| a2c-here | a2c | trained per cell, 300 steps | 10 (greedy + 9 sampled) | ${greedyText} | 320 | 40 |`,
    );
  });

  // The worker pool runs compiled JavaScript (dist/, built by `npm ci`): agents must load in
  // worker threads too, and give there exactly what they give inline.
  it.skipIf(!existsSync(fileURLToPath(new URL('../../dist/app/experiment/worker.js', import.meta.url))))(
    'runs agent cells on the worker pool with the results of an inline run',
    () => {
      const dir = tempDir();
      const specPath = join(dir, 'spec.json');
      writeFileSync(
        specPath,
        JSON.stringify({
          name: 'pool-agents',
          problems: [{ name: 's', synth: SYNTH }],
          mappers: [
            'random',
            { agent: 'a2c', run: trained, samples: 5 },
            {
              agent: 'a2c',
              name: 'a2c-here',
              trainSteps: 64,
              samples: 5,
              settings: { numEnvs: 2, numSteps: 8 },
            },
          ],
          budget: 20,
          seeds: [1, 2],
        }),
      );
      const bin = fileURLToPath(new URL('../../app/cli/bin.js', import.meta.url));
      const results = (workers: string) => {
        const out = join(dir, `w${workers}`);
        const r = spawnSync(
          process.execPath,
          [bin, 'compare', '--spec', specPath, '--out', out, '--workers', workers, '--no-charts'],
          { encoding: 'utf8' },
        );
        expect(r.stderr).toContain('6 cells: 0 already done, 6 run now (0 failed)');
        expect(r.status).toBe(0);
        return readFileSync(join(out, 'results.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => {
            // Timings differ between runs, and with them each line's checksum.
            const {
              seconds: _s,
              checksum: _c,
              agent,
              ...rest
            } = JSON.parse(l) as OkLine & { checksum: string };
            return JSON.stringify({ ...rest, agent: agent && { ...agent, trainSeconds: 0 } });
          })
          .sort();
      };
      expect(results('2')).toEqual(results('0'));
    },
    60_000,
  );
});
