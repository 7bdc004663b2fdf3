/**
 * The worker-thread entry of the experiment pool: runs cells sent by ./pool.ts. Loaded as
 * compiled JavaScript (dist/app/experiment/worker.js), next to the compiled runner.
 */
import { parentPort } from 'node:worker_threads';
import type { ResultLine } from '../../src/report/results.js';
import { type CellTask, runCell } from './cell.js';
import type { ReplyMessage, TaskMessage } from './pool.js';

if (!parentPort) throw new Error('experiment/worker.js must run as a worker thread');
const port = parentPort;
port.on('message', async (msg: TaskMessage<CellTask>) => {
  let reply: ReplyMessage<ResultLine>;
  try {
    reply = { id: msg.id, ok: true, value: await runCell(msg.task) };
  } catch (e) {
    // runCell records failures itself; reaching here is a bug, reported as the cell's failure.
    reply = { id: msg.id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
  port.postMessage(reply);
});
