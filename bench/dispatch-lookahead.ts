/**
 * The rollout algorithm on a dispatching policy (agents/dispatch/lookahead.ts) against its
 * greedy rollout and the per-table best heuristic, on the trainer's validation tables or the
 * hold-out tables (never the authors' groups).
 *
 *   npm run build && node dist/bench/dispatch-lookahead.js [--set validation|holdout] [--width 3] [--closes] [--model DIR]
 */
import { lookahead } from '../agents/dispatch/lookahead.js';
import { policyModel } from '../agents/dispatch/mapper.js';
import { bestHeuristicMakespan, validationTables } from '../agents/dispatch/trainer.js';
import { holdoutTables } from './dispatch-holdout.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

function main(): void {
  const set = arg('set', 'validation');
  const width = Number(arg('width', '3'));
  const closesOnly = process.argv.includes('--closes');
  const model = policyModel(arg('model', ''));
  const tables = set === 'holdout' ? holdoutTables([777, 778]) : validationTables();
  let logG = 0;
  let logL = 0;
  let wins = 0;
  const times: number[] = [];
  let completions = 0;
  for (const t of tables) {
    const best = bestHeuristicMakespan(t);
    const t0 = performance.now();
    const r = lookahead(model, t, { width, closesOnly });
    times.push(performance.now() - t0);
    completions += r.completions;
    logG += Math.log(r.greedy / best);
    logL += Math.log(r.makespan / best);
    if (r.makespan <= best * (1 + 1e-12)) wins++;
  }
  times.sort((a, b) => a - b);
  const n = tables.length;
  process.stdout.write(
    `${set} width ${width}${closesOnly ? ' closes only' : ''}: greedy ${Math.exp(logG / n).toFixed(4)} lookahead ${Math.exp(logL / n).toFixed(4)} ` +
      `wins ${wins}/${n} completions/table ${(completions / n).toFixed(0)} median ${times[n >> 1]!.toFixed(0)} ms max ${times[n - 1]!.toFixed(0)} ms\n`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) main();
