/**
 * The worker pool (server/workers/pool.ts) with a worker that spins or fills its heap: the main
 * thread keeps running while a task works, a task past its time limit or heap is stopped with a
 * clear 503, and a full queue refuses new work at once.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../core/api-error.js';
import { closeWorkers, configureWorkers, inWorker } from '../../server/workers/pool.js';

const BUSY = path.join(import.meta.dirname, '../fixtures/workers/busy.ts');

afterAll(() => closeWorkers());

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('the worker pool', () => {
  it('runs a task off the main thread: the main thread keeps ticking meanwhile', async () => {
    configureWorkers({ threads: 1, memoryMb: 256, queue: 2 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    const answer = await inWorker<string>(BUSY, { spinMs: 1500 }, 60_000);
    clearInterval(timer);
    expect(answer).toBe('done after 1500 ms, 0 MB');
    // Spun on the main thread, the 1.5 s would have allowed no tick at all.
    expect(ticks).toBeGreaterThan(10);
  });

  it('stops a task at its time limit with 503 time_limit', async () => {
    const err = await failure(inWorker(BUSY, { spinMs: 30_000 }, 1000));
    expect(err.status).toBe(503);
    expect(err.code).toBe('time_limit');
    expect(err.params).toEqual({ seconds: 1 });
    // The pool goes on serving after the stopped worker.
    expect(await inWorker<string>(BUSY, { spinMs: 1 }, 60_000)).toBe('done after 1 ms, 0 MB');
  });

  it('stops a task that outgrows its heap with 503 out_of_memory', async () => {
    await closeWorkers();
    configureWorkers({ threads: 1, memoryMb: 64, queue: 2 });
    const err = await failure(inWorker(BUSY, { fillMb: 2000 }, 120_000));
    expect(err.status).toBe(503);
    expect(err.code).toBe('out_of_memory');
  });

  it('refuses work beyond the queue with 503 busy, at once', async () => {
    await closeWorkers();
    configureWorkers({ threads: 1, memoryMb: 256, queue: 1 });
    const running = inWorker(BUSY, { spinMs: 3000 }, 60_000);
    const waiting = inWorker(BUSY, { spinMs: 1 }, 60_000);
    const err = await failure(inWorker(BUSY, { spinMs: 1 }, 60_000));
    expect(err.code).toBe('busy');
    expect(await running).toBe('done after 3000 ms, 0 MB');
    expect(await waiting).toBe('done after 1 ms, 0 MB');
  });
});
