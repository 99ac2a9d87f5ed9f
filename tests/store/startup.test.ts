/**
 * A new embedded store starts migrated (a copy of the installation's template, see
 * cold-start.test.ts); a second start on the same store neither migrates nor seeds again (asserted through the store:
 * schema_migrations rows and their timestamps, feature rows), on PGlite and on PostgreSQL; and the
 * lean PostGIS bundle the embedded store loads keeps what the store uses (PostGIS with PROJ) and
 * drops the extensions it never creates.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { seedOnStart } from '../../seeds/load.js';
import { leanBundle, leanTar } from '../../server/store/db-postgis.js';
import { listMigrations } from '../../server/store/migrate.js';
import { featureCount, hasFeatures, openStore, type Db, type OpenTimings } from '../../server/store/index.js';
import { adminUrl, withDatabase } from '../setup/postgres.js';
import { openTestStore } from '../setup/store.js';

const migrationRows = (db: Db) =>
  db.query<{ version: number; applied_at: string }>('SELECT version, applied_at::text FROM schema_migrations ORDER BY version');

describe('a second start on the same embedded store', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('starts with every migration applied (from the migrated template), then applies none', { timeout: 300_000 }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-startup-'));
    dirs.push(dataDir);
    const first: OpenTimings = {};
    let db = await openStore({ dataDir }, first);
    expect(['built', 'copied']).toContain(first.template);
    expect(first.applied).toEqual([]);
    const rows = await migrationRows(db);
    expect(rows.map((r) => r.version)).toEqual(listMigrations().map((m) => m.version));
    expect(await hasFeatures(db)).toBe(false);
    await db.close();

    const second: OpenTimings = {};
    db = await openStore({ dataDir }, second);
    expect(second.template).toBeUndefined();
    expect(second.applied).toEqual([]);
    expect(await migrationRows(db)).toEqual(rows);
    await db.close();
  });

  it('does not seed a seeded store again, whatever SEED_DEMO says', { timeout: 300_000 }, async () => {
    const store = await openTestStore('pglite');
    dirs.push(store.dataDir);
    const count = await featureCount(store.db);
    const [{ newest }] = await store.db.query<{ newest: string }>('SELECT max(updated_at)::text AS newest FROM features');
    expect(await hasFeatures(store.db)).toBe(true);
    await store.db.close();

    const timings: OpenTimings = {};
    store.db = await openStore({ dataDir: store.dataDir }, timings);
    expect(timings.applied).toEqual([]);
    expect(await seedOnStart(store.db, { seedDemo: 'auto' })).toEqual({ seeded: false, counts: {} });
    expect(await seedOnStart(store.db, { seedDemo: 'always' })).toEqual({ seeded: false, counts: {} });
    expect(await featureCount(store.db)).toBe(count);
    const [after] = await store.db.query<{ newest: string }>('SELECT max(updated_at)::text AS newest FROM features');
    expect(after.newest).toBe(newest);
    // PostGIS from the lean bundle, PROJ included: lon 106.5° to Web Mercator x = R·λ (EPSG:3857).
    const [{ x }] = await store.db.query<{ x: number }>('SELECT ST_X(ST_Transform(ST_SetSRID(ST_Point(106.5, 29.5), 4326), 3857)) AS x');
    expect(x).toBeCloseTo((6378137 * 106.5 * Math.PI) / 180, 3);
    await store.dispose();
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('a second start on the same PostgreSQL database', () => {
  const url = process.env.TEST_DATABASE_URL!;
  const name = `onemap_startup_${process.pid}`;
  afterAll(async () => {
    await adminUrl(url, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name}`));
  });

  it('applies every migration once, then none, and seeds nothing under auto', { timeout: 300_000 }, async () => {
    await adminUrl(url, async (admin) => {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
    });
    const databaseUrl = withDatabase(url, name);
    const first: OpenTimings = {};
    let db = await openStore({ dataDir: '', databaseUrl }, first);
    expect(first.applied).toEqual(listMigrations().map((m) => m.name));
    const rows = await migrationRows(db);
    await db.close();
    const second: OpenTimings = {};
    db = await openStore({ dataDir: '', databaseUrl }, second);
    expect(second.applied).toEqual([]);
    expect(await migrationRows(db)).toEqual(rows);
    expect(await seedOnStart(db, { seedDemo: 'auto', databaseUrl })).toEqual({ seeded: false, counts: {} });
    expect(await hasFeatures(db)).toBe(false);
    await db.close();
  });
});

describe('the lean PostGIS bundle', () => {
  const names = (tar: Buffer): string[] => {
    const out: string[] = [];
    for (let off = 0; off + 512 <= tar.length; ) {
      const h = tar.subarray(off, off + 512);
      if (h.every((b) => b === 0)) break;
      const size = Number.parseInt(h.subarray(124, 136).toString('ascii').replace(/\0/g, '').trim() || '0', 8);
      out.push(h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, ''));
      off += 512 + Math.ceil(size / 512) * 512;
    }
    return out;
  };

  it('keeps postgis-3.so, its control file and PROJ data; drops raster, topology and the tiger geocoder', () => {
    const lean = names(zlib.gunzipSync(fs.readFileSync(leanBundle())));
    expect(lean.filter((n) => n.endsWith('.so'))).toEqual(['lib/postgresql/postgis-3.so']);
    expect(lean).toContain('share/postgresql/extension/postgis.control');
    expect(lean).toContain('share/proj/proj.db');
    expect(lean.some((n) => /raster|topology|tiger/.test(n))).toBe(false);
  });

  it('keeps a pax header with the entry it describes', () => {
    const header = (name: string, type: string, size: number): Buffer => {
      const h = Buffer.alloc(512);
      h.write(name, 0);
      h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
      h.write(type, 156);
      return h;
    };
    const entry = (name: string, type: string, body: string) => [header(name, type, body.length), Buffer.concat([Buffer.from(body), Buffer.alloc(512 - body.length)])];
    const tar = Buffer.concat([
      ...entry('pax1', 'x', '20 path=lib/a.so\n'),
      ...entry('lib/postgresql/postgis_raster-3.so', '0', 'r'),
      ...entry('pax2', 'x', '20 path=lib/b.so\n'),
      ...entry('lib/postgresql/postgis-3.so', '0', 'p'),
      Buffer.alloc(1024),
    ]);
    expect(names(leanTar(tar))).toEqual(['pax2', 'lib/postgresql/postgis-3.so']);
  });
});
