/**
 * Demo data only where asked (SEED_DEMO): an empty embedded store is seeded under `auto`, an empty
 * DATABASE_URL store is not (real PostgreSQL + PostGIS when TEST_DATABASE_URL is set), `never`
 * seeds nothing, and `npm run seed` refuses a store with data unless --force.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { seedOnStart } from '../../seeds/load.js';
import { main as seedCli } from '../../server/cli/seed.js';
import { featureCount, insertFeatures, loadLayers, openStore, queryFeatures, type Db } from '../../server/store/index.js';
import { adminUrl, withDatabase } from '../setup/postgres.js';
import { openTestStore, type TestStore } from '../setup/store.js';

const point = (id: string) => ({
  type: 'Feature' as const,
  id,
  geometry: { type: 'Point' as const, coordinates: [106.5, 29.6] },
  properties: { name: id, source: 'test' },
});

describe('SEED_DEMO on an empty embedded (PGlite) store', () => {
  let store: TestStore;
  afterAll(async () => store?.dispose());

  // Seeding writes the whole demo dataset: about 30 s, minutes on a loaded machine.
  it('never: leaves it empty; auto: seeds it with every demo layer', { timeout: 600_000 }, async () => {
    store = await openTestStore('pglite');
    await store.db.query('DELETE FROM features');
    const db = store.db;
    expect(await seedOnStart(db, { seedDemo: 'never' })).toEqual({ seeded: false, counts: {} });
    expect(await featureCount(db)).toBe(0);
    const report = await seedOnStart(db, { seedDemo: 'auto' });
    expect(report.seeded).toBe(true);
    expect(Object.keys(report.counts).sort()).toEqual(['admin_units', 'depots', 'experts', 'fire_stations', 'geohazards', 'hazard_zones', 'rescue_teams', 'roads', 'shelters']);
    expect(await featureCount(db)).toBe(Object.values(report.counts).reduce((a, b) => a + b, 0));
    // A second start finds data and leaves it alone, whatever the mode.
    expect((await seedOnStart(db, { seedDemo: 'always' })).seeded).toBe(false);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('SEED_DEMO on an empty DATABASE_URL (PostgreSQL) store', () => {
  const url = process.env.TEST_DATABASE_URL ?? '';
  const name = `onemap_seed_${process.pid}`;
  // Collected even when skipped: no URL must not throw while collecting.
  const dbUrl = url ? withDatabase(url, name) : '';
  let db: Db;
  afterAll(async () => {
    await db?.close();
    await adminUrl(url, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name}`));
  });

  it('auto: not seeded; always: seeded', { timeout: 600_000 }, async () => {
    await adminUrl(url, async (admin) => {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
    });
    db = await openStore({ dataDir: '', databaseUrl: dbUrl });
    expect(await seedOnStart(db, { seedDemo: 'auto', databaseUrl: dbUrl })).toEqual({ seeded: false, counts: {} });
    expect(await featureCount(db)).toBe(0);
    const report = await seedOnStart(db, { seedDemo: 'always', databaseUrl: dbUrl });
    expect(report.seeded).toBe(true);
    expect(await featureCount(db)).toBe(Object.values(report.counts).reduce((a, b) => a + b, 0));
  });
});

describe('npm run seed and whole-layer loads', () => {
  it('refuses a store with data without --force, saying how many features and what --force deletes', { timeout: 300_000 }, async () => {
    const store = await openTestStore('pglite');
    const before = await featureCount(store.db);
    await store.db.close();
    let out = '';
    let err = '';
    const code = await seedCli([], { stdout: (t) => (out += t), stderr: (t) => (err += t) }, { DATA_DIR: store.dataDir });
    store.db = await openStore({ dataDir: store.dataDir });
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain(`holds ${before} features, so it is not seeded`);
    expect(err).toContain('npm run seed -- --force');
    expect(await featureCount(store.db)).toBe(before);
    await store.dispose();
  });

  it('names a bad SEED_DEMO and does not open the store', async () => {
    let err = '';
    const code = await seedCli([], { stdout: () => {}, stderr: (t) => (err += t) }, { SEED_DEMO: 'sometimes', DATA_DIR: '/nonexistent/onemap' });
    expect(code).toBe(1);
    expect(err).toMatch(/configuration error: SEED_DEMO must be auto/);
  });

  it('replaces a layer in one transaction when asked, and only that layer', { timeout: 300_000 }, async () => {
    const store = await openTestStore('pglite');
    const depots = (await queryFeatures(store.db, { layer: 'depots', limit: 1, offset: 0 })).numberMatched;
    await store.db.transaction((tx) => insertFeatures(tx, 'shelters', [point('mine-1')]));
    expect(await loadLayers(store.db, { shelters: [point('demo-1'), point('demo-2')] }, { replace: true })).toEqual({ shelters: 2 });
    const shelters = await queryFeatures(store.db, { layer: 'shelters', limit: 10, offset: 0 });
    expect(shelters.features.map((f) => f.id).sort()).toEqual(['demo-1', 'demo-2']);
    expect((await queryFeatures(store.db, { layer: 'depots', limit: 1, offset: 0 })).numberMatched).toBe(depots);
    await store.dispose();
  });
});
