/**
 * The import's worker thread: reads, decodes, maps and prepares an upload's rows
 * (server/import/rows.ts) while the main thread only runs the database statements and keeps
 * answering everyone else. One import at a time; each arrives with a MessagePort of its own, and the
 * thread waits for the next import once the last message of this one is posted.
 */
import { parentPort, threadId, type MessagePort } from 'node:worker_threads';
import { produceRows, type RowTask } from '../import/rows.js';

parentPort!.on('message', (m: { task: RowTask; port: MessagePort }) => {
  produceRows(m.task, m.port, threadId).finally(() => {
    m.port.close();
    parentPort!.postMessage('idle');
  });
});
