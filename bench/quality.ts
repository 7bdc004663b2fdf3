/**
 * Quality of MAGMA against the first baselines (the GA and random search): makespan /
 * lower bound at 10,500 evaluations on synthetic 100-job tables with 4 and 8 cores at
 * scarce (0.25), medium (1) and plentiful (4) bandwidth, mean over 3 seeds.
 * Run: npm run build && node dist/bench/quality.js
 */
import { lowerBound } from '../src/core/bounds.js';
import { synthTable } from '../src/core/synth.js';
import { createOptimizer } from '../src/optim/registry.js';
import { makespanObjective, runSearch } from '../src/optim/search.js';

export interface QualityRow {
  cores: number;
  bwRatio: number;
  optimizer: string;
  ratio: number;
  ratios: number[];
}

export function runQuality(
  optimizers = ['magma', 'ga', 'random'],
  budget = 10_500,
  seeds = [1, 2, 3],
  coresList = [4, 8],
  ratios = [0.25, 1, 4],
): QualityRow[] {
  const rows: QualityRow[] = [];
  for (const cores of coresList) {
    for (const bwRatio of ratios) {
      for (const name of optimizers) {
        const rs = seeds.map((seed) => {
          const table = synthTable({ jobs: 100, cores, bwRatio, seed });
          const obj = makespanObjective(table);
          const res = runSearch(obj, createOptimizer(name, table, seed), { budget });
          return res.cost / lowerBound(table);
        });
        rows.push({
          cores,
          bwRatio,
          optimizer: name,
          ratio: rs.reduce((a, b) => a + b, 0) / rs.length,
          ratios: rs,
        });
      }
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = runQuality(process.argv[2] ? process.argv[2].split(',') : undefined);
  console.log(
    JSON.stringify(
      rows.map((r) => ({ ...r, ratio: +r.ratio.toFixed(4), ratios: r.ratios.map((x) => +x.toFixed(4)) })),
    ),
  );
  for (const r of rows)
    console.error(`C=${r.cores} bw=${r.bwRatio} ${r.optimizer.padEnd(8)} ${r.ratio.toFixed(4)}`);
}
