/**
 * The writer's end of an import's row work (rows.ts): starts it in the import's worker thread
 * (server/workers/pool.ts importThread) and hands its messages over in order, one awaited at a
 * time — the thread that writes does no reading, decoding or preparing of rows itself. Each batch
 * taken lets the worker prepare one more (backpressure, rows.ts ROWS_AHEAD). close() keeps a
 * worker that finished for the next import and terminates one stopped half-way (a time limit, a
 * failed statement, a read past the time limit), which frees whatever it held.
 */
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import type { Bbox } from '../../core/geo/crs.js';
import { importThread, releaseImportThread } from '../workers/pool.js';
import type { PreparedBatch } from './prepare.js';
import type { RowError, RowsEnd, RowTask, SettledCrs, ToReader, ToWriter } from './rows.js';

export class RowReader {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly queue: ToWriter[] = [];
  private wake: (() => void) | undefined;
  private failure: Error | undefined;
  /** The worker posted its last message for this import (end or error). */
  private finished = false;
  private idle = false;
  /** What the reader knows at the end, once next() returned undefined. */
  end: RowsEnd | undefined;

  /** `signal` stops the wait for the worker (the import's time limit): take() throws its reason. */
  constructor(
    task: RowTask,
    private readonly toError: (e: RowError) => Error,
    private readonly signal?: AbortSignal,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = importThread();
    port1.on('message', (m: ToWriter) => {
      this.queue.push(m);
      if (m.type === 'end' || m.type === 'error') this.finished = true;
      this.wake?.();
    });
    this.worker.on('message', this.onIdle);
    this.worker.on('error', this.onError);
    this.worker.on('exit', this.onExit);
    this.worker.postMessage({ task, port: port2 }, [port2]);
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  private onAbort = (): void => {
    this.wake?.();
  };

  private onIdle = (): void => {
    this.idle = true;
  };

  private onError = (err: Error): void => {
    this.failure ??= err;
    this.wake?.();
  };

  private onExit = (code: number): void => {
    this.failure ??= new Error(`The import's reading thread stopped (exit code ${code}).`);
    this.wake?.();
  };

  private send(m: ToReader): void {
    this.port.postMessage(m);
  }

  private async take<K extends ToWriter['type']>(...kinds: K[]): Promise<Extract<ToWriter, { type: K }>> {
    for (;;) {
      this.signal?.throwIfAborted();
      const m = this.queue.shift();
      if (m?.type === 'error') throw this.toError(m.error);
      if (m) {
        if (!kinds.includes(m.type as K)) throw new Error(`The import's reading thread sent "${m.type}" where ${kinds.join(' or ')} was due.`);
        return m as Extract<ToWriter, { type: K }>;
      }
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  /** The upload is open and its format known (its errors are thrown here). */
  async opened(): Promise<void> {
    await this.take('opened');
  }

  /** Reads the first batch and settles the CRS on it; `area` is where the data should lie. */
  async settle(area: Bbox | undefined): Promise<SettledCrs> {
    this.send({ type: 'go', area });
    return (await this.take('crs')).settled;
  }

  /** The next prepared batch in row order, in parts of the store's write size; undefined after the last. */
  async next(): Promise<{ rowsRead: number; parts: PreparedBatch[] } | undefined> {
    const m = await this.take('batch', 'end');
    if (m.type === 'end') {
      this.end = m.end;
      return undefined;
    }
    this.send({ type: 'more' });
    return m;
  }

  async close(): Promise<void> {
    this.signal?.removeEventListener('abort', this.onAbort);
    this.port.close();
    this.worker.off('error', this.onError);
    this.worker.off('exit', this.onExit);
    this.worker.off('message', this.onIdle);
    if (!this.finished || this.failure) {
      await this.worker.terminate();
      return;
    }
    if (this.idle) return releaseImportThread(this.worker);
    // The last message is posted; the thread says it is idle once the source is closed.
    const ignore = (): void => undefined;
    this.worker.on('error', ignore);
    this.worker.once('message', () => {
      this.worker.off('error', ignore);
      releaseImportThread(this.worker);
    });
  }
}
