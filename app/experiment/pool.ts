/**
 * A pool of worker threads running one task at a time each, taking the next from a shared
 * queue when idle (so long and short tasks balance). Generic over the task: a worker script
 * answers `{id, task}` messages with `{id, ok: true, value}` or `{id, ok: false, error}`.
 *
 * Failures stay local: a task whose worker throws or dies is reported failed, the dead
 * worker is replaced, and the other tasks go on. Aborting terminates the workers at once;
 * the tasks in flight are simply not reported (a resumed run redoes them).
 */
import { Worker } from 'node:worker_threads';

export interface TaskMessage<T> {
  readonly id: number;
  readonly task: T;
}
export type ReplyMessage<R> =
  | { readonly id: number; readonly ok: true; readonly value: R }
  | { readonly id: number; readonly ok: false; readonly error: string };

export type TaskOutcome<R> =
  | { readonly ok: true; readonly value: R }
  | { readonly ok: false; readonly error: string };

export interface PoolOptions {
  /** Number of worker threads (>= 1); never more than the tasks. */
  readonly size: number;
  readonly signal?: AbortSignal;
}

/**
 * Runs every task on the pool; `onDone(index, outcome)` is called in completion order.
 * Resolves when all tasks are reported, or (without reporting the rest) once aborted.
 */
export function runPool<T, R>(
  script: URL,
  tasks: readonly T[],
  onDone: (index: number, outcome: TaskOutcome<R>) => void,
  options: PoolOptions,
): Promise<void> {
  const size = Math.min(Math.max(1, Math.floor(options.size)), tasks.length);
  const { signal } = options;
  return new Promise((resolvePromise, rejectPromise) => {
    if (tasks.length === 0 || signal?.aborted) {
      resolvePromise();
      return;
    }
    let next = 0;
    let reported = 0;
    let finished = false;
    const live = new Set<Worker>();

    const finish = (err?: unknown) => {
      if (finished) return;
      finished = true;
      signal?.removeEventListener('abort', onAbort);
      const workers = [...live];
      live.clear();
      Promise.all(workers.map((w) => w.terminate())).then(
        () => (err ? rejectPromise(err) : resolvePromise()),
        rejectPromise,
      );
    };
    const onAbort = () => finish();
    signal?.addEventListener('abort', onAbort);

    const report = (index: number, outcome: TaskOutcome<R>) => {
      if (finished) return;
      try {
        onDone(index, outcome);
      } catch (e) {
        finish(e);
        return;
      }
      if (++reported === tasks.length) finish();
    };

    const spawn = () => {
      const worker = new Worker(script);
      live.add(worker);
      let current = -1;
      const feed = () => {
        if (finished) return;
        if (next >= tasks.length) {
          live.delete(worker);
          void worker.terminate();
          return;
        }
        current = next++;
        worker.postMessage({ id: current, task: tasks[current] } satisfies TaskMessage<T>);
      };
      worker.on('message', (msg: ReplyMessage<R>) => {
        if (msg.id !== current) return;
        current = -1;
        report(msg.id, msg.ok ? { ok: true, value: msg.value } : { ok: false, error: msg.error });
        feed();
      });
      // A worker that dies (uncaught error, out of memory, process.exit) fails only its task.
      let failure = '';
      worker.on('error', (e) => {
        failure = `worker crashed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
      });
      worker.on('exit', (code) => {
        if (finished || !live.has(worker)) return;
        live.delete(worker);
        if (current >= 0) {
          const index = current;
          current = -1;
          report(index, { ok: false, error: failure || `worker exited with code ${code} during the task` });
        }
        if (!finished && next < tasks.length) spawn();
      });
      feed();
    };

    for (let i = 0; i < size; i++) spawn();
  });
}
