/**
 * The import's row work off the request path (issue 15): while a 20,000-row CSV imports, the rows
 * are read, decoded, mapped and prepared in a worker thread — that thread's event loop is busy for
 * the length of that work, the server's only runs the statements — and public requests keep being
 * answered. Structure is asserted (the worker exists and did the work); the one time bound (no
 * stall of this thread longer than 5 s, on PostgreSQL where the statements run in another process)
 * is generous: before the change the row work held this thread for the whole import. A reader
 * that fails half-way leaves nothing written; one stopped by the time limit is terminated.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findLayer } from '../../core/catalogue/index.js';
import type { ImportProgress } from '../../core/import-report.js';
import { RowReader } from '../../server/import/row-reader.js';
import { closeWorkers } from '../../server/workers/pool.js';
import { writeBigCsv } from '../fixtures/import/big-csv.js';
import { startTestServer, TOKENS, type TestServer } from '../setup/server.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../setup/store.js';

vi.setConfig({ testTimeout: 600_000 });

const ROWS = 20_000;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-import-worker-'));
const CSV = path.join(tmp, 'shelters-20k.csv');
writeBigCsv(CSV, ROWS);

afterAll(async () => {
  await closeWorkers();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe.each(STORE_KINDS)('an import on %s', (kind) => {
  let store: TestStore;
  let api: TestServer;
  beforeAll(async () => {
    await closeWorkers();
    store = await openTestStore(kind);
    api = await startTestServer(store.db);
  });
  afterAll(async () => {
    await api?.close();
    await store?.dispose();
  });

  it('prepares its rows in a worker thread while public requests are answered', async () => {
    const workers: Worker[] = [];
    const onWorker = (w: Worker): void => void workers.push(w);
    process.on('worker', onWorker);
    const delay = monitorEventLoopDelay({ resolution: 20 });
    const mainBefore = performance.eventLoopUtilization();
    delay.enable();
    try {
      const res = await fetch(`${api.url}/api/layers/shelters/import?filename=big.csv&dryRun=false&mode=upsert&importId=worker-1`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` },
        body: new Uint8Array(fs.readFileSync(CSV)),
      });
      expect(res.status).toBe(202);
      // Public reads while it runs: each answered, and at least one before the import ended.
      let during = 0;
      let end: ImportProgress | undefined;
      for (;;) {
        const layers = await api.call('/api/layers');
        const bbox = await api.call('/api/layers/shelters/features?bbox=106.4,29.5,106.7,29.7&limit=10');
        expect(layers.status).toBe(200);
        expect(bbox.status).toBe(200);
        const p = (await api.call('/api/imports/worker-1', { token: TOKENS.ADMIN_TOKEN })).body;
        if (p.phase === 'done' || p.phase === 'failed') {
          end = p;
          break;
        }
        during++;
        await new Promise((r) => setTimeout(r, 200));
      }
      delay.disable();
      expect(end).toMatchObject({ phase: 'done', rowsRead: ROWS, rowsWritten: ROWS, report: { rowsRead: ROWS, importable: ROWS, inserted: ROWS, rejectedCount: 0 } });
      expect(during).toBeGreaterThan(0);

      // One thread was started for the import, and its event loop did the row work: busy for
      // a good part of what this thread spent (reading and preparing 20,000 rows of ≈ 500 bytes).
      expect(workers).toHaveLength(1);
      const worker = workers[0].performance.eventLoopUtilization();
      const main = performance.eventLoopUtilization(mainBefore);
      expect(worker.active).toBeGreaterThan(200);
      console.log(
        `${kind}: worker thread active ${worker.active.toFixed(0)} ms; this thread active ${main.active.toFixed(0)} ms; ` +
          `event-loop delay max ${(delay.max / 1e6).toFixed(0)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms; load ${os.loadavg()[0].toFixed(1)}`,
      );
      // PostgreSQL runs the statements in its own process: nothing of the import stalls this thread for long.
      if (kind === 'postgres') expect(delay.max / 1e6).toBeLessThan(5000);
    } finally {
      delay.disable();
      process.off('worker', onWorker);
    }
  });

  it('stops the worker of an import that fails half-way and keeps nothing of it', async () => {
    // Feature 5,001 is not JSON: the import has written rows in its transaction when the reader
    // (in the worker) fails.
    const broken = path.join(tmp, 'broken.geojson');
    const good = Array.from({ length: 5000 }, (_, i) =>
      JSON.stringify({ type: 'Feature', id: `gj-${i}`, geometry: { type: 'Point', coordinates: [106.5 + i * 1e-5, 29.6] }, properties: { name: `演示点${i}`, capacity: 100 } }),
    );
    fs.writeFileSync(broken, `{"type":"FeatureCollection","features":[${good.join(',')},{"type":"Feature","properties":{"name":演示}}]}`);
    const [{ n: before }] = await store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM features WHERE layer = 'shelters'");
    const res = await fetch(`${api.url}/api/layers/shelters/import?filename=broken.geojson&dryRun=false&mode=upsert&importId=worker-2&async=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/geo+json', authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` },
      body: new Uint8Array(fs.readFileSync(broken)),
    });
    expect(res.status).toBe(202);
    let end: ImportProgress | undefined;
    for (let i = 0; i < 2400 && !end; i++) {
      const p = (await api.call('/api/imports/worker-2', { token: TOKENS.ADMIN_TOKEN })).body;
      if (p.phase === 'done' || p.phase === 'failed') end = p;
      else await new Promise((r) => setTimeout(r, 250));
    }
    expect(end?.phase).toBe('failed');
    // Batches before the reader's error were written inside the transaction (how many depends on the read chunks).
    expect(end!.rowsWritten).toBeGreaterThan(0);
    expect(end).toMatchObject({ failure: { status: 400, error: { code: 'unreadable_file', params: { row: 5001 } } } });
    const [{ n: after }] = await store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM features WHERE layer = 'shelters'");
    expect(after).toBe(before);
  });
});

describe('the reading worker past the time limit', () => {
  it('ends the wait for rows with the limit’s error and terminates the worker', async () => {
    // No thread kept from an earlier import: this one starts its own.
    await closeWorkers();
    const workers: Worker[] = [];
    const onWorker = (w: Worker): void => void workers.push(w);
    process.on('worker', onWorker);
    const stop = new AbortController();
    const rows = new RowReader(
      { upload: { path: CSV, filename: 'big.csv' }, layer: findLayer('shelters')!, batchSize: 2000, writeSize: 500, idPrefix: 'limit-' },
      (e) => new Error(e.message),
      stop.signal,
    );
    try {
      await rows.opened();
      await rows.settle(undefined);
      expect((await rows.next())?.rowsRead).toBe(2000);
      stop.abort(new Error('past the limit'));
      await expect(rows.next()).rejects.toThrow('past the limit');
    } finally {
      process.off('worker', onWorker);
    }
    const exited = new Promise<number>((resolve) => workers[0].once('exit', resolve));
    await rows.close();
    expect(await exited).toBe(1);
  });
});
