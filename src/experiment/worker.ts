/**
 * The worker-thread entry of the experiment pool: runs cells sent by ./pool.ts. Loaded as
 * compiled JavaScript (dist/src/experiment/worker.js), next to the compiled runner.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type CellTask, runCell } from './cell.js';
import type { ReplyMessage, TaskMessage } from './pool.js';
import type { ResultLine } from './results.js';

if (!parentPort) throw new Error('experiment/worker.js must run as a worker thread');
const port = parentPort;
// Resolver plugins (see problem-resolver.ts) are loaded before the first cell runs.
const plugins: readonly string[] = (workerData as { plugins?: string[] } | null)?.plugins ?? [];
const ready = Promise.all(plugins.map((url) => import(url)));
port.on('message', async (msg: TaskMessage<CellTask>) => {
  await ready;
  let reply: ReplyMessage<ResultLine>;
  try {
    reply = { id: msg.id, ok: true, value: await runCell(msg.task) };
  } catch (e) {
    // runCell records failures itself; reaching here is a bug, reported as the cell's failure.
    reply = { id: msg.id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
  port.postMessage(reply);
});
