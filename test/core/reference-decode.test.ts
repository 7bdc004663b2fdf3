// The MAGMA authors' evaluator on small cases (test/fixtures/reference/decode-cases.json,
// produced by running their code): our evaluator must agree to 1e-9 relative.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/core/evaluator.js';
import { makeTable } from '../../src/core/table.js';

interface RefCase {
  name: string;
  table: { latency: number[][]; bw: number[][]; system_bw: number };
  individual: { core: number[]; prio: number[] };
  expected: {
    makespan: number;
    timeTrack: number[];
    BW_util: number;
    core_util: number;
    job_start: number[];
    job_finish: number[];
  };
}

const cases: RefCase[] = JSON.parse(
  readFileSync(new URL('../fixtures/reference/decode-cases.json', import.meta.url), 'utf8'),
).cases;

function expectClose(actual: number, expected: number, what: string): void {
  const tol = 1e-9 * Math.max(1, Math.abs(expected));
  expect(Math.abs(actual - expected), `${what}: got ${actual}, expected ${expected}`).toBeLessThanOrEqual(
    tol,
  );
}

describe('reference decode cases (MAGMA authors evaluator)', () => {
  it('has the cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });
  for (const rc of cases) {
    it(rc.name, () => {
      const table = makeTable({
        latency: rc.table.latency,
        bandwidth: rc.table.bw,
        systemBandwidth: rc.table.system_bw,
      });
      const r = evaluate(table, {
        core: Int32Array.from(rc.individual.core),
        priority: Float64Array.from(rc.individual.prio),
      });
      expectClose(r.makespan, rc.expected.makespan, 'makespan');
      for (const [c, v] of rc.expected.timeTrack.entries())
        expectClose(r.coreFinish[c]!, v, `coreFinish[${c}]`);
      expectClose(r.bandwidthUtilization, rc.expected.BW_util, 'bandwidthUtilization');
      expectClose(r.coreUtilization, rc.expected.core_util, 'coreUtilization');
      for (const [j, v] of rc.expected.job_start.entries()) expectClose(r.jobStart[j]!, v, `jobStart[${j}]`);
      for (const [j, v] of rc.expected.job_finish.entries())
        expectClose(r.jobFinish[j]!, v, `jobFinish[${j}]`);
    });
  }
});
