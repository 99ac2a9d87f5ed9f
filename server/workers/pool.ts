/**
 * The worker pool for heavy work (piscina): a task runs in a worker thread with its own heap limit
 * and a time limit that holds end to end — past it the worker is stopped, its memory freed — so a
 * p = 200 siting or a huge import never blocks the thread that answers everyone else. One pool
 * per process, sized by WORKER_THREADS.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { ApiError } from '../errors.js';
import { startThread } from './thread.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface WorkerSettings {
  /** Worker threads (WORKER_THREADS, default 1: on a 2-core host the other core serves requests). */
  threads: number;
  /** Heap limit of each worker in MB (WORKER_MEMORY_MB, default 2048). */
  memoryMb: number;
  /** Tasks waiting for a thread before new ones are refused with 503 (WORKER_QUEUE, default 8; 0: none wait). */
  queue: number;
}

export const DEFAULT_WORKERS: WorkerSettings = { threads: 1, memoryMb: 2048, queue: 8 };

let settings = DEFAULT_WORKERS;
const pools = new Map<string, Piscina>();

export function configureWorkers(s: WorkerSettings): void {
  if (s.threads === settings.threads && s.memoryMb === settings.memoryMb && s.queue === settings.queue) return;
  settings = s;
  // A pool takes its settings when made: those made before end once their tasks have, and the next task makes a new one.
  for (const p of pools.values()) void p.close().catch(() => undefined);
  pools.clear();
}

/** A worker module of this folder, as the running sources name it (.ts under tsx, .js when built). */
export const workerModule = (name: string): string => path.join(HERE, `${name}${path.extname(fileURLToPath(import.meta.url))}`);

function pool(file: string): Piscina {
  let p = pools.get(file);
  if (!p) {
    const ts = file.endsWith('.ts');
    p = new Piscina({
      filename: file,
      // The sources run through tsx (npm start, tests): the workers load them the same way.
      execArgv: ts ? ['--import', 'tsx'] : [],
      minThreads: 0,
      maxThreads: settings.threads,
      maxQueue: settings.queue,
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: settings.memoryMb },
    });
    pools.set(file, p);
  }
  return p;
}

/** Tasks the pool of a worker module has finished in this process (tests check that work left the main thread). */
export const tasksDone = (file: string): number => pools.get(file)?.completed ?? 0;

/** Seconds a client refused with 503 busy is told to wait (Retry-After, RFC 9110 §10.2.3). */
export const BUSY_RETRY_AFTER_S = 30;

/** What each kind of work is called in its 503 messages, and how to ask for less of it. */
const WORK = {
  analysis: { many: 'analyses', less: 'fewer sites, a coarser grid', limitParameter: 'timeLimitSeconds' },
  isochrone: { many: 'isochrones', less: 'fewer origins, shorter times', limitParameter: undefined },
  export: { many: 'exports', less: 'a bbox or filter, fewer features', limitParameter: undefined },
} as const;
export type Work = keyof typeof WORK;

/**
 * Runs `task` in a worker of module `file` (its default export), stopped after `limitMs`.
 * 503 `busy` (with Retry-After) when the queue is full, 503 `time_limit` past the limit,
 * 503 `out_of_memory` when the worker ran out of its heap. `what` names the work in the messages.
 */
export async function inWorker<T>(file: string, task: unknown, limitMs: number, what: Work = 'analysis'): Promise<T> {
  const w = WORK[what];
  // Our own timer, cleared when the task settles: a signal that fires after its pool was closed
  // would reach piscina's listener for a task no longer queued, which throws (piscina 4.9).
  const limit = new AbortController();
  const timer = setTimeout(() => limit.abort(new DOMException('time limit', 'TimeoutError')), limitMs);
  try {
    return await pool(file).run(task, { signal: limit.signal });
  } catch (err) {
    const e = err as Error & { code?: string };
    if (/queue is at limit|no task queue available/i.test(e.message)) {
      throw new ApiError(503, 'busy', `Too many heavy ${w.many} are waiting (${settings.queue}): try again in a minute.`, undefined, {
        queue: settings.queue,
        retryAfterSeconds: BUSY_RETRY_AFTER_S,
      });
    }
    if (e.name === 'AbortError' || e.name === 'TimeoutError') {
      const seconds = Math.round(limitMs / 1000);
      const more = w.limitParameter ? ` or raise ${w.limitParameter}` : '';
      throw new ApiError(503, 'time_limit', `The ${what} did not finish within ${seconds} s and was stopped; ask for less (${w.less})${more}.`, w.limitParameter, { seconds });
    }
    if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      throw new ApiError(503, 'out_of_memory', `The ${what} needed more than ${settings.memoryMb} MB and was stopped; ask for less (${w.less}).`, undefined, { memoryMb: settings.memoryMb });
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** An import's thread left waiting for the next import, stopped after IMPORT_IDLE_MS. */
let idleImport: { worker: Worker; timer: NodeJS.Timeout } | undefined;
const IMPORT_IDLE_MS = 60_000;

/**
 * A thread for an import's row work (server/workers/import-worker.ts), apart from the pool: an
 * import streams its rows for minutes and must not wait behind, or hold up, analyses and exports.
 * Hand it back with releaseImportThread once the import's last message came (a thread stopped
 * half-way is terminated instead).
 */
export function importThread(): Worker {
  if (idleImport) {
    const { worker, timer } = idleImport;
    clearTimeout(timer);
    idleImport = undefined;
    return worker;
  }
  const worker = startThread(workerModule('import-worker'), { resourceLimits: { maxOldGenerationSizeMb: settings.memoryMb } });
  // A thread waiting for work does not keep the process alive.
  worker.unref();
  return worker;
}

/** Keeps `worker` for the next import (one is kept; any other is stopped). */
export function releaseImportThread(worker: Worker): void {
  if (idleImport) {
    void worker.terminate();
    return;
  }
  const timer = setTimeout(() => {
    if (idleImport?.worker === worker) idleImport = undefined;
    void worker.terminate();
  }, IMPORT_IDLE_MS).unref();
  idleImport = { worker, timer };
}

/** Stops every worker (server shutdown, tests). */
export async function closeWorkers(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  const spare = idleImport;
  idleImport = undefined;
  if (spare) clearTimeout(spare.timer);
  await Promise.all([...all.map((p) => p.destroy()), spare?.worker.terminate()]);
}
