// The learned mapper `policy` on the command line: `m3e search --optimizer policy` (greedy at
// budget 1, the best of greedy and samples above), `--param model=DIR`, the optimiser list,
// and `m3e compare`, whose report lists its training apart from the budget.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NET, initialWeights } from '../../agents/dispatch/model.js';
import { savePolicy } from '../../agents/dispatch/store.js';
import { evaluate } from '../../src/core/evaluator.js';
import { Rng } from '../../src/core/rng.js';
import { tableFromJson } from '../../src/core/table.js';
import { readJsonFile } from '../../src/io/files.js';
import { runCli, tempDir } from '../helpers/cli.js';

describe('m3e search --optimizer policy', () => {
  const dir = tempDir();
  const tablePath = join(dir, 't.json');
  const searchPolicy = (...args: string[]) =>
    runCli('search', '--table', tablePath, '--optimizer', 'policy', ...args);

  it('maps greedily at budget 1, and keeps the best of greedy and samples at budget 30', async () => {
    expect(
      (await runCli('table', 'synth', '--jobs', '24', '--cores', '3', '--seed', '2', '--out', tablePath))
        .code,
    ).toBe(0);
    const one = await searchPolicy('--budget', '1', '--json');
    expect(one.code).toBe(0);
    const a = JSON.parse(one.stdout) as { makespan: number; evaluations: number; mapping: unknown };
    expect(a.evaluations).toBe(1);
    const table = tableFromJson(readJsonFile(tablePath));
    const mapping = a.mapping as { core: number[]; priority: number[] };
    expect(
      evaluate(table, { core: Int32Array.from(mapping.core), priority: Float64Array.from(mapping.priority) })
        .makespan,
    ).toBe(a.makespan);
    const many = await searchPolicy('--budget', '30', '--json');
    const b = JSON.parse(many.stdout) as {
      makespan: number;
      evaluations: number;
      history: [number, number][];
    };
    expect(b.evaluations).toBe(30);
    expect(b.makespan).toBeLessThanOrEqual(a.makespan);
    expect(b.history[0]).toEqual([1, a.makespan]);
  });

  it('loads a policy folder with --param model=DIR, and refuses a folder without one', async () => {
    const model = join(dir, 'model');
    savePolicy(model, DEFAULT_NET, initialWeights(DEFAULT_NET, new Rng(9)), { steps: 0 });
    const r = await searchPolicy('--budget', '1', '--param', `model=${model}`, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).params).toEqual({ model });
    const bad = await searchPolicy('--param', `model=${join(dir, 'none')}`);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/holds no dispatching policy/);
    const list = await runCli('optimizers');
    expect(list.stdout).toMatch(/policy\s+learned/);
  });

  it('runs in m3e compare, training reported apart from the budget', async () => {
    const spec = join(dir, 'spec.json');
    writeFileSync(
      spec,
      JSON.stringify({
        name: 'policy-cli',
        problems: [{ name: 'p', synth: { jobs: 12, cores: 2, bwRatio: 1, seed: 3 } }],
        mappers: ['heft-heft', 'policy'],
        budget: 8,
        seeds: [1],
      }),
    );
    const out = join(dir, 'run');
    const r = await runCli('compare', '--spec', spec, '--out', out, '--workers', '0', '--no-charts');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('| problem | heft-heft | policy |');
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('## Agent mappers');
    expect(report).toMatch(
      /\| policy \| policy \(learned\) \| the shipped pretrained policy \| 8 \(greedy \+ 7 sampled\) \| \d\.\d+ \| [\d,]+ \|/,
    );
  });
});
