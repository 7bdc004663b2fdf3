import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type Chain, groupChains, parseRequestList, requestChains } from '../../models/grouping.js';
import { buildNetwork, networkJobs } from '../../models/zoo.js';
import type { Job } from '../../src/workload/layer.js';

const job = (name: string): Job => ({ name, layer: { kind: 'fc', out: 1, in: 1 } });
/** A chain from a compact spec: 'a1 a2' = two one-job stages, 'x0,x1' = one stage of two copies. */
function chain(label: string, spec: string): Chain {
  return { label, stages: spec.split(' ').map((s) => s.split(',').map(job)) };
}
const names = (groups: Job[][]) => groups.map((g) => g.map((j) => j.name).join(' '));

describe('groupChains on hand-checked queues', () => {
  const A = chain('A', 'a1 a2 a3');
  const B = chain('B', 'b1 b2');

  test("no size limit: every group takes each chain's next layer", () => {
    expect(names(groupChains([A, B]))).toEqual(['a1 b1', 'a2 b2', 'a3']);
    expect(names(groupChains([A, B], { order: 'fill' }))).toEqual(['a1 b1', 'a2 b2', 'a3']);
  });

  test('size 1: breadth-first alternates requests, fill finishes the first request first', () => {
    expect(names(groupChains([A, B], { groupSize: 1 }))).toEqual(['a1', 'b1', 'a2', 'b2', 'a3']);
    expect(names(groupChains([A, B], { groupSize: 1, order: 'fill' }))).toEqual([
      'a1',
      'a2',
      'a3',
      'b1',
      'b2',
    ]);
  });

  test('copies of a stage are independent and may span groups; the next stage waits for all of them', () => {
    const X = chain('X', 'a1 x0,x1,x2 a3');
    const C = chain('C', 'c1');
    expect(names(groupChains([X, C], { groupSize: 2 }))).toEqual(['a1 c1', 'x0 x1', 'x2', 'a3']);
  });

  test("breadth-first takes one job per request in turn; fill takes the earliest request's stage whole", () => {
    const X = chain('X', 'x0,x1,x2');
    const B1 = chain('B', 'b1');
    const C1 = chain('C', 'c1');
    expect(names(groupChains([X, B1, C1], { groupSize: 3 }))).toEqual(['x0 b1 c1', 'x1 x2']);
    expect(names(groupChains([X, B1, C1], { groupSize: 3, order: 'fill' }))).toEqual(['x0 x1 x2', 'b1 c1']);
  });

  test('breadth-first resumes after the last request it served', () => {
    const P = chain('P', 'p1 p2');
    const Q = chain('Q', 'q1 q2');
    const R = chain('R', 'r1 r2');
    // Group 0 serves P, Q; group 1 starts at R, then P (p2 ready), ...
    expect(names(groupChains([P, Q, R], { groupSize: 2 }))).toEqual(['p1 q1', 'r1 p2', 'q2 r2']);
  });

  test('bad group size is an input error', () => {
    expect(() => groupChains([A], { groupSize: 0 })).toThrow(/group size must be a positive integer, got 0/);
  });
});

describe('groupChains invariants on random queues', () => {
  const arbChains = fc.array(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 6 }), {
    minLength: 1,
    maxLength: 6,
  });
  test('each job once; a stage only after the whole previous stage; groups full or holding every ready job', () => {
    fc.assert(
      fc.property(
        arbChains,
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom('breadth-first', 'fill'),
        (spec, cap, order) => {
          const chains: Chain[] = spec.map((stages, c) => ({
            label: `c${c}`,
            stages: stages.map((copies, s) =>
              Array.from({ length: copies }, (_, k) => job(`${c}.${s}.${k}`)),
            ),
          }));
          const groups = groupChains(chains, { groupSize: cap, order: order as 'fill' | 'breadth-first' });
          const where = new Map<string, number>();
          groups.forEach((g, i) => {
            expect(g.length).toBeGreaterThan(0);
            expect(g.length).toBeLessThanOrEqual(cap);
            for (const j of g) {
              expect(where.has(j.name)).toBe(false);
              where.set(j.name, i);
            }
          });
          const total = spec.flat().reduce((a, b) => a + b, 0);
          expect(where.size).toBe(total);
          // Stage s + 1 strictly after every job of stage s.
          spec.forEach((stages, c) => {
            for (let s = 0; s + 1 < stages.length; s++) {
              const lastOfStage = Math.max(
                ...Array.from({ length: stages[s]! }, (_, k) => where.get(`${c}.${s}.${k}`)!),
              );
              const firstOfNext = Math.min(
                ...Array.from({ length: stages[s + 1]! }, (_, k) => where.get(`${c}.${s + 1}.${k}`)!),
              );
              expect(firstOfNext).toBeGreaterThan(lastOfStage);
            }
          });
          // Maximality: a group below the cap leaves no ready job behind, so no chain that was
          // ready for it may have an unplaced job of its current stage in a later group.
          groups.forEach((g, i) => {
            if (g.length === cap) return;
            spec.forEach((stages, c) => {
              for (let s = 0; s < stages.length; s++) {
                const gs = Array.from({ length: stages[s]! }, (_, k) => where.get(`${c}.${s}.${k}`)!);
                const readyAt =
                  s === 0
                    ? 0
                    : Math.max(
                        ...Array.from({ length: stages[s - 1]! }, (_, k) => where.get(`${c}.${s - 1}.${k}`)!),
                      ) + 1;
                if (readyAt <= i) for (const at of gs) expect(at <= i).toBe(true);
              }
            });
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('request queues', () => {
  test('parseRequestList reads model[:count][@batch]', () => {
    expect(parseRequestList('resnet50:4, bert-base:2@8 ,dlrm')).toEqual([
      { model: 'resnet50', count: 4 },
      { model: 'bert-base', count: 2, batch: 8 },
      { model: 'dlrm' },
    ]);
    expect(() => parseRequestList('resnet50:x')).toThrow(
      /"resnet50:x" must look like model\[:count\]\[@batch\]/,
    );
    expect(() => parseRequestList(' , ')).toThrow(/no requests given/);
  });

  test('each request is a chain of its layers, labelled per model in queue order', () => {
    const chains = requestChains(
      [{ model: 'resnet50', count: 2 }, { model: 'dlrm' }, { model: 'resnet50' }],
      'magma',
    );
    expect(chains.map((c) => c.label)).toEqual(['resnet50#0', 'resnet50#1', 'dlrm#0', 'resnet50#2']);
    const resnet = networkJobs(buildNetwork('resnet50'), 'magma');
    expect(chains[0]!.stages).toHaveLength(resnet.length);
    expect(chains[1]!.stages[0]![0]!.name).toBe('resnet50#1/conv1');
    expect(chains[1]!.stages[0]![0]!.layer).toEqual(resnet[0]!.layer);
  });

  test('micro-batches are independent chains: one image each for vision, the batch split for others', () => {
    const v = requestChains([{ model: 'resnet18', batch: 3 }], 'magma');
    expect(v.map((c) => c.label)).toEqual(['resnet18#0.mb0', 'resnet18#0.mb1', 'resnet18#0.mb2']);
    const b = requestChains([{ model: 'bert-base', batch: 10, microBatch: 4, tokens: 20 }], 'magma');
    expect(b.map((c) => c.label)).toEqual(['bert-base#0.mb0', 'bert-base#0.mb1', 'bert-base#0.mb2']);
    const rows = b.map((c) => (c.stages[0]![0]!.layer as { M: number }).M);
    expect(rows).toEqual([80, 80, 40]);
    const whole = requestChains([{ model: 'dlrm', batch: 16 }], 'magma');
    expect(whole).toHaveLength(1);
    expect(whole[0]!.stages[0]![0]!.layer).toEqual({ kind: 'gemm', M: 16, N: 512, K: 13 });
  });

  test('errors name the request and the field', () => {
    expect(() => requestChains([{ model: 'resnet50', microBatch: 2, batch: 4 }], 'magma')).toThrow(
      /requests\[0\].microBatch: vision models take one image per micro-batch, got 2/,
    );
    expect(() => requestChains([{ model: 'dlrm' }, { model: 'bert-bse' }], 'magma')).toThrow(
      /requests\[1\].model: unknown model "bert-bse"/,
    );
    expect(() => requestChains([{ model: 'gpt2', count: 0 }], 'magma')).toThrow(
      /requests\[0\].count must be a positive integer/,
    );
    expect(() => requestChains([{ model: 'gpt2', batch: 2, microBatch: 3 }], 'magma')).toThrow(
      /microBatch 3 exceeds batch 2/,
    );
  });

  test('4 ResNet-50s, 2 BERT-bases and a DLRM: groups as long as the longest request, all dependency-free', () => {
    const chains = requestChains(parseRequestList('resnet50:4,bert-base:2,dlrm:1'), 'magma');
    const groups = groupChains(chains, { groupSize: 100 });
    const longest = Math.max(...chains.map((c) => c.stages.length));
    expect(groups).toHaveLength(longest);
    expect(groups[0]!.map((j) => j.name)).toEqual([
      'resnet50#0/conv1',
      'resnet50#1/conv1',
      'resnet50#2/conv1',
      'resnet50#3/conv1',
      'bert-base#0/encoder.layer.0.attention.self.query',
      'bert-base#1/encoder.layer.0.attention.self.query',
      'dlrm#0/bot_l.0',
    ]);
  });
});
