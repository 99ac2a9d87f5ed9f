/**
 * Two app server processes (`node --import tsx server/main.ts`) on one PostgreSQL database, as
 * behind a load balancer: what one writes the other serves at once — edits, version conflicts,
 * imports and their progress, kept counts and the caches built on layers (the public shelter
 * packs), which the other server rebuilds on the database's NOTIFY rather than at its next check,
 * and the tiles a write touched (the others stay cached, with their ETags).
 * Needs TEST_DATABASE_URL (CI sets it); an embedded PGlite store has one process by nature.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodePack, type PackShelter, type PublicManifest } from '../../core/public/pack.js';
import { adminUrl, withDatabase } from '../setup/postgres.js';
import { claimImport, memoOnLayers, openStore, type Db } from '../../server/store/index.js';

const URL_ = process.env.TEST_DATABASE_URL;
const ADMIN = 'two-servers-admin-token';
const COMMANDER = 'two-servers-commander-token';
const CSV = path.join(import.meta.dirname, '../fixtures/import/shelters-utf8-bom.csv');

if (!URL_) console.warn('TEST_DATABASE_URL is not set: the two-server test is skipped (it needs one PostgreSQL for both servers).');

interface Server {
  url: string;
  child: ChildProcess;
}

function start(databaseUrl: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SEED_DEMO: 'never',
      PORT: '0',
      HOST: '127.0.0.1',
      ADMIN_TOKEN: ADMIN,
      COMMANDER_TOKEN: COMMANDER,
      RATE_LIMIT_PUBLIC: '0',
      RATE_LIMIT_ANALYSIS: '0',
      RATE_LIMIT_SIGNIN: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (b: Buffer): void => {
      out += b.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) resolve({ url: m[1], child });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${out}`)));
  });
}

function stop(s: Server | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
    s.child.once('exit', () => resolve());
    s.child.kill('SIGTERM');
  });
}

async function call(s: Server, p: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { authorization: `Bearer ${init.token ?? COMMANDER}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(s.url + p, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  return { status: res.status, body: await res.json() };
}

async function importCsv(s: Server, importId: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${s.url}/api/layers/shelters/import?filename=two.csv&dryRun=false&importId=${importId}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${ADMIN}` },
    body: new Uint8Array(fs.readFileSync(CSV)),
  });
  return { status: res.status, body: await res.json() };
}

/** The public shelter pack of 江北 as a server serves it: the shelters it lists. */
async function packShelters(s: Server): Promise<PackShelter[]> {
  const manifest = (await (await fetch(`${s.url}/shelters/data/manifest.json`)).json()) as PublicManifest;
  const area = manifest.areas.find((c) => c.code === '500105')!;
  return decodePack(new Uint8Array(await (await fetch(`${s.url}/shelters/data/${area.url}`)).arrayBuffer())).shelters;
}

describe.skipIf(!URL_)('two app servers on one PostgreSQL', () => {
  const name = `onemap_two_${process.pid}`;
  let db: Db;
  let a: Server;
  let b: Server;

  beforeAll(async () => {
    await adminUrl(URL_!, (admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`));
    const url = withDatabase(URL_!, name);
    db = await openStore({ dataDir: '', databaseUrl: url });
    [a, b] = await Promise.all([start(url), start(url)]);
  });

  afterAll(async () => {
    await Promise.all([stop(a), stop(b)]);
    await db?.close();
    await adminUrl(URL_!, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name}`));
  });

  it('serves on one server what the other wrote, and refuses a stale version on either', async () => {
    const [f] = (await call(a, '/api/layers/shelters/features?limit=1&county_code=500105')).body.features;
    const path_ = `/api/layers/shelters/features/${encodeURIComponent(f.id)}`;
    const v = (await call(a, path_)).body.version;
    const edited = await call(a, path_, { method: 'PATCH', body: { version: v, properties: { capacity: 4321 } } });
    expect(edited.status).toBe(200);
    const seen = (await call(b, path_)).body;
    expect(seen.properties.capacity).toBe(4321);
    expect(seen.version).toBe(v + 1);
    const stale = await call(b, path_, { method: 'PATCH', body: { version: v, properties: { capacity: 1 } } });
    expect(stale.status).toBe(409);
    expect((await call(a, path_)).body.properties.capacity).toBe(4321);
  });

  it('rebuilds a cache on the database’s notice of another server’s write, not at its next check', async () => {
    let builds = 0;
    // Nobody asks again: only the NOTIFY of migration 005 can make it rebuild.
    const cached = memoOnLayers(db, ['shelters'], async () => ++builds, { stale: true });
    expect(await cached()).toBe(1);
    const [f] = (await call(a, '/api/layers/shelters/features?limit=1&offset=3')).body.features;
    const path_ = `/api/layers/shelters/features/${encodeURIComponent(f.id)}`;
    const v = (await call(a, path_)).body.version;
    expect((await call(a, path_, { method: 'PATCH', body: { version: v, properties: { capacity: 77 } } })).status).toBe(200);
    await expect.poll(() => builds, { timeout: 30_000 }).toBe(2);
    expect(await cached()).toBe(2);
  });

  it('renews on one server the tiles another server’s write touched, and keeps the others', async () => {
    const tile = async (s: Server, z10: [number, number]) => {
      const r = await fetch(`${s.url}/api/tiles/shelters/10/${z10[0]}/${z10[1]}.mvt`);
      await r.arrayBuffer();
      return { etag: r.headers.get('etag'), cache: r.headers.get('x-tile-cache') };
    };
    // The zoom-10 tiles of 江北 (106.58, 29.62) and of 巫山 (109.88, 31.08).
    const [near, far]: [number, number][] = [
      [815, 423],
      [824, 418],
    ];
    const [nearBefore, farBefore] = [await tile(b, near), await tile(b, far)];
    expect((await tile(b, far)).cache).toBe('hit');
    const added = await call(a, '/api/layers/shelters/features', {
      method: 'POST',
      body: { type: 'Feature', geometry: { type: 'Point', coordinates: [106.58, 29.62] }, properties: { name: '两服务器瓦片测试' } },
    });
    expect(added.status).toBe(201);
    // Within the second a version read is trusted on PostgreSQL, or at once on the NOTIFY.
    await expect.poll(async () => (await tile(b, near)).etag, { timeout: 5_000 }).not.toBe(nearBefore.etag);
    expect(await tile(b, far)).toEqual({ etag: farBefore.etag, cache: 'hit' });
  });

  it('serves the other server’s edit in its public shelter packs', async () => {
    const target = (await packShelters(b)).find((x) => x.capacity !== undefined)!;
    const path_ = `/api/layers/shelters/features/${encodeURIComponent(target.id)}`;
    const v = (await call(a, path_)).body.version;
    expect((await call(a, path_, { method: 'PATCH', body: { version: v, properties: { capacity: target.capacity! + 11 } } })).status).toBe(200);
    // Rebuilding every county's pack takes seconds; the old packs are served meanwhile.
    await expect.poll(async () => (await packShelters(b)).find((x) => x.id === target.id)?.capacity, { timeout: 120_000, interval: 500 }).toBe(target.capacity! + 11);
  });

  it('shows an import run on one server, its progress and kept counts, on the other', async () => {
    const countBefore = (await call(b, '/api/layers')).body.layers.find((l: { id: string }) => l.id === 'shelters').count;
    const done = await importCsv(a, 'two-servers-1');
    expect(done.status).toBe(200);
    const written = done.body.inserted + (done.body.updated ?? 0);
    expect(written).toBeGreaterThan(0);
    await expect.poll(async () => (await call(b, '/api/imports/two-servers-1', { token: ADMIN })).body.phase, { timeout: 5000 }).toBe('done');
    const countAfter = (await call(b, '/api/layers')).body.layers.find((l: { id: string }) => l.id === 'shelters').count;
    expect(countAfter).toBe(countBefore + done.body.inserted);
    expect((await call(b, '/api/layers/shelters/features?q=龘龘广场')).body.numberMatched).toBe(1);
  });

  it('claims an import id once across servers', async () => {
    // The row another server writes when it starts an import with this id.
    expect(await claimImport(db, { importId: 'two-servers-2', phase: 'writing', bytesReceived: 10, rowsRead: 5, rowsWritten: 0 }, 600_000)).toBe(true);
    const refused = await importCsv(b, 'two-servers-2');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('import_running');
    expect((await call(a, '/api/imports/two-servers-2', { token: ADMIN })).body).toMatchObject({ phase: 'writing', rowsRead: 5 });
  });
});
