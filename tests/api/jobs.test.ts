/**
 * Heavy work off the request path (issue 15): a large import answers 202 and its poll ends with the
 * very report (or error) the synchronous form answers; a job past IMPORT_TIME_LIMIT_S is stopped
 * and rolled back; imports a dead server left 'running' are marked failed when a server starts;
 * exports are encoded in the worker pool, which answers 503 busy with Retry-After when saturated;
 * on PostgreSQL a public bbox request is answered while an import job and an export run.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SELF } from '../../server/import/progress.js';
import { claimImport, type Db } from '../../server/store/index.js';
import { closeWorkers } from '../../server/workers/pool.js';
import { writeBigCsv } from '../fixtures/import/big-csv.js';
import { startTestServer, TOKENS, type TestServer } from '../setup/server.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../setup/store.js';

// Imports of thousands of rows on a loaded 2-core machine take longer than the default minute.
vi.setConfig({ testTimeout: 240_000 });

const ADMIN = TOKENS.ADMIN_TOKEN;
const SMALL = fs.readFileSync('tests/fixtures/import/shelters-utf8-bom.csv');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-jobs-'));
/** ≈ 1 MB: 2,000 rows of ≈ 500 bytes. */
const BIG = path.join(tmp, 'shelters-2k.csv');
writeBigCsv(BIG, 2000);
/** One worker and no queue: a second export while one encodes is refused. */
const POOL = { WORKER_THREADS: '1', WORKER_QUEUE: '0' };

async function post(api: TestServer, layer: string, body: Uint8Array, query: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.url}/api/layers/${layer}/import?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${ADMIN}`, ...headers },
    body: new Uint8Array(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

/**
 * GET that retries a reset connection once: while embedded PGlite blocks this process's event
 * loop for seconds, the server's keep-alive timer and the client's next request on that idle
 * socket can cross (ECONNRESET), which says nothing about the answer.
 */
async function get(api: TestServer, p: string): Promise<{ status: number; body: any }> {
  try {
    return await api.call(p, { token: ADMIN });
  } catch {
    return api.call(p, { token: ADMIN });
  }
}

/** Polls an import until it ends; returns its last progress. */
async function settle(api: TestServer, importId: string): Promise<any> {
  for (let i = 0; i < 1200; i++) {
    const p = await get(api, `/api/imports/${importId}`);
    expect(p.status).toBe(200);
    if (p.body.phase === 'done' || p.body.phase === 'failed') return p.body;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`import ${importId} did not end`);
}

async function count(db: Db): Promise<number> {
  const [r] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM features WHERE layer = 'shelters'");
  return r.n;
}

afterAll(async () => {
  await closeWorkers();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe.each(STORE_KINDS)('import jobs and pooled exports on %s', (kind) => {
  let store: TestStore;
  /** Imports uploads over 0.5 MB as jobs. */
  let jobs: TestServer;
  /** The defaults (5 MB). */
  let plain: TestServer;
  beforeAll(async () => {
    store = await openTestStore(kind);
    jobs = await startTestServer(store.db, { IMPORT_ASYNC_MB: '0.5', ...POOL });
    plain = await startTestServer(store.db, POOL);
  });
  afterAll(async () => {
    await jobs?.close();
    await plain?.close();
    await store?.dispose();
  });

  it('answers a large upload 202 and the poll ends with the report the synchronous form gives', async () => {
    const big = fs.readFileSync(BIG);
    const sync = await post(plain, 'shelters', big, 'filename=big.csv&mode=append');
    expect(sync.status).toBe(200);
    expect(sync.body).toMatchObject({ dryRun: true, rowsRead: 2000, inserted: 2000 });
    const started = await post(jobs, 'shelters', big, 'filename=big.csv&mode=append');
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ importId: expect.stringMatching(/^imp-/), status: 'running', poll: `/api/imports/${started.body.importId}` });
    expect(started.headers.get('location')).toBe(started.body.poll);
    const end = await settle(jobs, started.body.importId);
    expect(end).toMatchObject({ phase: 'done', rowsRead: 2000, rowsWritten: 2000 });
    expect(end.report).toEqual(sync.body);
    // A small file stays synchronous unless the client asks.
    expect((await post(jobs, 'shelters', SMALL, 'filename=s.csv')).status).toBe(200);
  });

  it('runs a small file as a job on ?async=1 or Prefer: respond-async, the real import writing once', async () => {
    const before = await count(store.db);
    const asked = await post(plain, 'shelters', SMALL, 'filename=s.csv&dryRun=false&importId=job-small', { prefer: 'respond-async' });
    expect(asked.status).toBe(202);
    expect(asked.headers.get('preference-applied')).toBe('respond-async');
    expect(asked.body).toEqual({ importId: 'job-small', status: 'running', poll: '/api/imports/job-small' });
    const end = await settle(plain, 'job-small');
    expect(end.report).toMatchObject({ dryRun: false, rowsRead: 5, inserted: 5, file: 's.csv' });
    expect(await count(store.db)).toBe(before + 5);
    const bad = await post(plain, 'shelters', SMALL, 'async=maybe');
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'bad_parameter', parameter: 'async' } } });
  });

  it('ends a failing job with the error the synchronous form answers', async () => {
    const none = new TextEncoder().encode('id,name,lng,lat\nx-1,无坐标,abc,def\n');
    const sync = await post(plain, 'shelters', none, 'filename=none.csv&dryRun=false');
    expect(sync.body.error).toMatchObject({ code: 'crs_needed', parameter: 'crs' });
    const job = await post(plain, 'shelters', none, 'filename=none.csv&dryRun=false&async=1');
    expect(job.status).toBe(202);
    const end = await settle(plain, job.body.importId);
    expect(end.phase).toBe('failed');
    expect(end.failure).toEqual({ status: sync.status, ...sync.body });
  });

  it('stops a job past IMPORT_TIME_LIMIT_S and writes nothing of it', async () => {
    const limited = await startTestServer(store.db, { IMPORT_TIME_LIMIT_S: '1', ...POOL });
    try {
      // Rows ≈ 20 MB: many batches, far more than one second of work.
      const file = path.join(tmp, 'shelters-40k.csv');
      writeBigCsv(file, 40_000);
      const before = await count(store.db);
      const job = await post(limited, 'shelters', fs.readFileSync(file), 'filename=slow.csv&dryRun=false&mode=upsert');
      expect(job.status).toBe(202);
      const end = await settle(limited, job.body.importId);
      expect(end.failure).toMatchObject({ status: 503, error: { code: 'time_limit', params: { seconds: 1 } } });
      expect(await count(store.db)).toBe(before);
    } finally {
      await limited.close();
    }
  });

  it('marks failed, when a server starts, the imports a dead server left running', async () => {
    // A pid on this host that has just exited, and this process under an earlier start id.
    const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid!;
    const progress = (importId: string) => ({ importId, phase: 'writing' as const, bytesReceived: 10, rowsRead: 2000, rowsWritten: 2000 });
    expect(await claimImport(store.db, progress('crash-pid'), 600_000, { host: SELF.host, pid: dead, boot: 'x' })).toBe(true);
    expect(await claimImport(store.db, progress('crash-restart'), 600_000, { ...SELF, boot: 'an-earlier-start' })).toBe(true);
    expect(await claimImport(store.db, progress('elsewhere-alive'), 600_000, { host: 'another-host', pid: 1, boot: 'y' })).toBe(true);
    const restarted = await startTestServer(store.db, POOL);
    try {
      for (const id of ['crash-pid', 'crash-restart']) {
        await expect
          .poll(async () => (await get(restarted, `/api/imports/${id}`)).body, { timeout: 30_000 })
          .toMatchObject({ importId: id, phase: 'failed', rowsWritten: 2000, failure: { status: 500, error: { code: 'interrupted' } } });
      }
      // Another host's import, touched just now, is still its own.
      expect((await restarted.call('/api/imports/elsewhere-alive', { token: ADMIN })).body.phase).toBe('writing');
    } finally {
      await restarted.close();
    }
  });

  it('encodes exports in the worker pool: a GeoPackage comes back whole, a saturated pool answers 503 busy with Retry-After', async () => {
    const one = await fetch(`${plain.url}/api/layers/shelters/export?format=gpkg`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(one.status).toBe(200);
    expect(new TextDecoder().decode(new Uint8Array(await one.arrayBuffer()).slice(0, 15))).toBe('SQLite format 3');
    // 50,000 points keep the one worker encoding for seconds; the pool has no queue.
    const heavy = {
      type: 'FeatureCollection',
      features: Array.from({ length: 50_000 }, (_, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [106 + i * 1e-5, 29.5] }, properties: { n: i, name: `点${i}` } })),
    };
    const long = fetch(`${plain.url}/api/export?format=gpkg&name=heavy`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(heavy) });
    let finished = false;
    void long.then(() => (finished = true));
    // Give the server time to parse the upload and hand it to the one worker, then ask until it
    // refuses (the encoding is still running) or the heavy export is done (then nothing refused).
    await new Promise((r) => setTimeout(r, 1000));
    let refused: Response | undefined;
    while (!finished && !refused) {
      const probe = await fetch(`${plain.url}/api/layers/shelters/export?format=gpkg`);
      if (probe.status === 503) refused = probe;
      else {
        expect(probe.status).toBe(200);
        await probe.arrayBuffer();
      }
    }
    expect(refused?.status).toBe(503);
    expect(refused!.headers.get('retry-after')).toBe('30');
    expect(await refused!.json()).toEqual({ error: { code: 'busy', message: expect.stringMatching(/exports are waiting/), params: { queue: 0, retryAfterSeconds: 30 } } });
    const done = await long;
    expect(done.status).toBe(200);
    expect((await done.arrayBuffer()).byteLength).toBeGreaterThan(50_000 * 20);
  });

  it.runIf(kind === 'postgres')('answers a public bbox request while an import job and an export run', async () => {
    const file = path.join(tmp, 'shelters-30k.csv');
    writeBigCsv(file, 30_000);
    const job = await post(jobs, 'shelters', fs.readFileSync(file), 'filename=load.csv&dryRun=true&mode=upsert');
    expect(job.status).toBe(202);
    const exporting = fetch(`${plain.url}/api/layers/shelters/export?format=gpkg`, { headers: { authorization: `Bearer ${ADMIN}` } });
    const bbox = await plain.call('/api/layers/shelters/features?bbox=106.4,29.5,106.7,29.7&limit=10');
    const atAnswer = (await plain.call(`/api/imports/${job.body.importId}`, { token: ADMIN })).body;
    expect(bbox.status).toBe(200);
    expect(bbox.body.features.length).toBeGreaterThan(0);
    // Answered before the job finished, not after it.
    expect(['receiving', 'reading', 'checking', 'writing']).toContain(atAnswer.phase);
    expect((await exporting).status).toBe(200);
    expect(await settle(plain, job.body.importId)).toMatchObject({ phase: 'done', rowsRead: 30_000 });
  }, 600_000);
});
