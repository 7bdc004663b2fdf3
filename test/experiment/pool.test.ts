// The worker pool's mechanics, with a plain-JavaScript worker (no build needed).
import { describe, expect, it } from 'vitest';
import { runPool, type TaskOutcome } from '../../app/experiment/pool.js';

const script = new URL('../fixtures/pool/worker.mjs', import.meta.url);

interface Task {
  op: 'square' | 'throw' | 'exit' | 'crash';
  x: number;
}
interface Value {
  square: number;
  thread: number;
}

async function run(tasks: Task[], size: number, signal?: AbortSignal) {
  const seen: [number, TaskOutcome<Value>][] = [];
  await runPool<Task, Value>(script, tasks, (i, o) => seen.push([i, o]), {
    size,
    ...(signal ? { signal } : {}),
  });
  return seen;
}

describe('runPool', () => {
  it('runs every task exactly once and reports each result with its index', async () => {
    const tasks = Array.from({ length: 20 }, (_, x) => ({ op: 'square' as const, x }));
    const seen = await run(tasks, 3);
    expect(seen.map(([i]) => i).sort((a, b) => a - b)).toEqual(tasks.map((_, i) => i));
    for (const [i, o] of seen) expect(o).toMatchObject({ ok: true, value: { square: i * i } });
    // More than one thread did the work.
    const threads = new Set(seen.map(([, o]) => (o.ok ? o.value.thread : -1)));
    expect(threads.size).toBeGreaterThan(1);
  });

  it('reports a failed task, a crashed worker and an exited worker as failures of those tasks only', async () => {
    const tasks: Task[] = [
      { op: 'square', x: 2 },
      { op: 'throw', x: 7 },
      { op: 'exit', x: 0 },
      { op: 'square', x: 3 },
      { op: 'crash', x: 0 },
      { op: 'square', x: 4 },
      { op: 'square', x: 5 },
    ];
    const seen = new Map(await run(tasks, 2));
    expect(seen.size).toBe(tasks.length);
    expect(seen.get(0)).toMatchObject({ ok: true, value: { square: 4 } });
    expect(seen.get(1)).toEqual({ ok: false, error: 'bad task 7' });
    expect(seen.get(2)).toMatchObject({ ok: false, error: expect.stringMatching(/exited with code 3/) });
    expect(seen.get(4)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/crashed: Error: uncaught in worker/),
    });
    for (const [i, x] of [
      [3, 3],
      [5, 4],
      [6, 5],
    ] as const)
      expect(seen.get(i)).toMatchObject({ ok: true, value: { square: x * x } });
  });

  it('never starts more workers than tasks, and handles an empty list', async () => {
    expect(await run([], 4)).toEqual([]);
    const seen = await run([{ op: 'square', x: 9 }], 8);
    expect(seen).toEqual([[0, { ok: true, value: { square: 81, thread: expect.any(Number) } }]]);
  });

  it('stops reporting once aborted', async () => {
    const controller = new AbortController();
    const tasks = Array.from({ length: 50 }, (_, x) => ({ op: 'square' as const, x }));
    const seen: number[] = [];
    await runPool<Task, Value>(
      script,
      tasks,
      (i) => {
        seen.push(i);
        if (seen.length === 5) controller.abort();
      },
      { size: 2, signal: controller.signal },
    );
    expect(seen.length).toBe(5);
  });
});
