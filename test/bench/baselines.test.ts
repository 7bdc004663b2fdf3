// The baseline comparison script's pieces: table sources, the timed loop, the tables.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultEntries,
  jsonTableSource,
  magmaTable,
  overheadTable,
  ratioTable,
  runBaselines,
  summarise,
  syntheticSource,
  timedSearch,
} from '../../bench/baselines.js';
import { synthTable } from '../../src/core/synth.js';
import { tableToJson } from '../../src/core/table.js';
import { createOptimizer, listOptimizers } from '../../src/optim/registry.js';
import { makespanObjective, runSearch } from '../../src/optim/search.js';

const tiny = { jobs: 8, cores: [2], bwRatios: [0.5, 2], heterogeneity: [0], seed: 4 };

describe('baselines bench', () => {
  it('times the same search as runSearch', () => {
    const table = synthTable({ jobs: 10, cores: 3, bwRatio: 1, seed: 2 });
    const obj = makespanObjective(table);
    const timed = timedSearch(obj, createOptimizer('de', table, 3), 400);
    const plain = runSearch(obj, createOptimizer('de', table, 3), { budget: 400 });
    expect(timed.cost).toBe(plain.cost);
    expect(timed.evaluations).toBe(400);
    expect(timed.overheadSeconds).toBeGreaterThanOrEqual(0);
    expect(timed.evalSeconds).toBeGreaterThanOrEqual(0);
  });

  it('runs every entry on every case, heuristics once, and tabulates makespan / LB', () => {
    const source = syntheticSource(tiny);
    expect(source.cases().map((c) => c.label)).toEqual(['C=2 bw=0.5 hom', 'C=2 bw=2 hom']);
    const entries = defaultEntries().filter((e) => ['magma', 'random', 'herald'].includes(e.label));
    const records = runBaselines(source, entries, { budget: 50, seeds: [1, 2] });
    // 2 cases x (2 seeds x 2 search methods + 1 heuristic run)
    expect(records).toHaveLength(10);
    for (const r of records) {
      expect(r.ratio).toBeGreaterThanOrEqual(1 - 1e-9);
      expect(r.evaluations).toBe(r.family === 'heuristic' ? 1 : 50);
    }
    const s = summarise(records);
    const md = ratioTable(s);
    expect(md.split('\n')).toHaveLength(2 + 3);
    expect(md).toContain('**');
    expect(magmaTable(s).split('\n')).toHaveLength(2 + 2);
    expect(overheadTable(records)).toContain('| herald |');
  });

  it('lists every registered optimiser, plus DE rand/1', () => {
    const labels = defaultEntries().map((e) => e.label);
    for (const s of listOptimizers()) expect(labels).toContain(s.name);
    expect(defaultEntries().find((e) => e.label === 'de rand/1')!.params).toEqual({ strategy: 'rand/1' });
  });

  it('reads job-table files, each with its own bandwidth sweep', () => {
    const dir = mkdtempSync(join(tmpdir(), 'm3e-baselines-'));
    const a = join(dir, 'S1.json');
    const b = join(dir, 'S4.json');
    writeFileSync(a, JSON.stringify(tableToJson(synthTable({ jobs: 4, cores: 2, bwRatio: 1, seed: 1 }))));
    writeFileSync(b, JSON.stringify(tableToJson(synthTable({ jobs: 4, cores: 3, bwRatio: 1, seed: 1 }))));
    const cases = jsonTableSource([`${a}@1:16`, b], [256]).cases();
    expect(cases.map((c) => [c.label, c.table.systemBandwidth])).toEqual([
      ['S1 B=1', 1],
      ['S1 B=16', 16],
      ['S4 B=256', 256],
    ]);
  });
});
