import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedIfEmpty } from '../../seeds/load.js';
import { migrate } from '../../server/store/migrate.js';
import { countByLayer, deleteLayer, insertFeatures, layersStamp, openStore, queryFeatures } from '../../server/store/index.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../setup/store.js';

const point = (id: string, lon: number, lat: number) => ({
  type: 'Feature' as const,
  id,
  geometry: { type: 'Point' as const, coordinates: [lon, lat] },
  properties: { name: id, source: 'test' },
});

describe.each(STORE_KINDS)('store on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => store?.dispose());

  const count = async (layer: string) =>
    (await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM features WHERE layer = $1', [layer]))[0].n;

  it('has PostGIS, a GiST index on EPSG:4326 geometries, and applies migrations once', async () => {
    const [{ srid }] = await store.db.query<{ srid: number }>(`SELECT Find_SRID('public', 'features', 'geom') AS srid`);
    expect(srid).toBe(4326);
    const idx = await store.db.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE tablename = 'features'`);
    expect(idx.some((i) => /USING gist \(geom\)/.test(i.indexdef))).toBe(true);
    expect(await migrate(store.db)).toEqual([]);
  });

  it('does not seed a store that already has data', async () => {
    const before = await count('shelters');
    expect((await seedIfEmpty(store.db)).seeded).toBe(false);
    expect(await count('shelters')).toBe(before);
  });

  it('rolls a failed write back completely', async () => {
    const before = await count('shelters');
    const bad = { ...point('bad', 0, 0), geometry: { type: 'Polygon' as const, coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] } };
    await expect(
      store.db.transaction(async (tx) => {
        await insertFeatures(tx, 'shelters', [point('tx-ok-1', 106.5, 29.6), point('tx-ok-2', 106.51, 29.6)]);
        await insertFeatures(tx, 'shelters', [bad]);
      }),
    ).rejects.toThrow(/features_geom_valid|check constraint/i);
    expect(await count('shelters')).toBe(before);
    const page = await queryFeatures(store.db, { layer: 'shelters', q: 'tx-ok', searchFields: ['name'], limit: 10, offset: 0 });
    expect(page.numberMatched).toBe(0);
  });

  it('rejects a duplicate id in one layer and keeps the original', async () => {
    const [first] = (await queryFeatures(store.db, { layer: 'shelters', limit: 1, offset: 0 })).features;
    await expect(
      store.db.transaction((tx) => insertFeatures(tx, 'shelters', [point(String(first.id), 1, 1)])),
    ).rejects.toThrow(/duplicate key/);
    const again = (await queryFeatures(store.db, { layer: 'shelters', limit: 1, offset: 0 })).features[0];
    expect(again).toEqual(first);
  });

  it('keeps each layer’s count and a change counter through inserts, edits, deletes and rollbacks', async () => {
    const truth = async () => Object.fromEntries((await store.db.query<{ layer: string; n: number }>('SELECT layer, count(*)::int AS n FROM features GROUP BY layer')).map((r) => [r.layer, r.n]));
    expect(await countByLayer(store.db)).toEqual(await truth());
    const before = await layersStamp(store.db, ['experts_test']);
    expect(before.key).toBe('0|0');
    await store.db.transaction((tx) => insertFeatures(tx, 'experts_test', [point('e1', 106.5, 29.6), point('e2', 106.51, 29.6)]));
    const added = await layersStamp(store.db, ['experts_test']);
    expect(added.key).toBe('2|1');
    expect(added.latest).not.toBeNull();
    // An edit keeps the count but changes the stamp, so caches built on the layer rebuild.
    await store.db.query(`UPDATE features SET properties = properties || '{"name":"renamed"}' WHERE layer = 'experts_test' AND fid = 'e1'`);
    expect((await layersStamp(store.db, ['experts_test'])).key).toBe('2|2');
    await expect(
      store.db.transaction(async (tx) => {
        await insertFeatures(tx, 'experts_test', [point('e3', 106.52, 29.6)]);
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    expect((await layersStamp(store.db, ['experts_test'])).key).toBe('2|2');
    await store.db.transaction((tx) => deleteLayer(tx, 'experts_test'));
    expect((await layersStamp(store.db, ['experts_test'])).key).toBe('0|3');
    expect(await countByLayer(store.db)).toEqual(await truth());
  });

  it('runs a prepared statement again with other parameters (on PostgreSQL planned once per connection)', async () => {
    const sql = 'SELECT $1::int * 2 AS twice, (SELECT count(*)::int FROM features WHERE layer = $2) AS n';
    const [shelters] = await store.db.query<{ twice: number; n: number }>('SELECT count(*)::int AS n FROM features WHERE layer = $1', ['shelters']);
    for (const [i, layer] of [[1, 'shelters'], [21, 'no_such_layer'], [4, 'shelters']] as const) {
      expect(await store.db.query(sql, [i, layer], { prepare: true })).toEqual([{ twice: i * 2, n: layer === 'shelters' ? shelters.n : 0 }]);
    }
    if (kind === 'postgres') {
      // On one connection: the statement is prepared there once, by name, and used again.
      const names = await store.db.transaction(async (tx) => {
        await tx.query(sql, [2, 'shelters'], { prepare: true });
        await tx.query(sql, [3, 'roads'], { prepare: true });
        return tx.query<{ name: string }>(`SELECT name FROM pg_prepared_statements WHERE statement = $1`, [sql]);
      });
      expect(names).toHaveLength(1);
      expect(names[0].name).toMatch(/^onemap_[0-9a-f]{20}$/);
    }
  });

  it('serves one layer’s features in a box from the composite (layer, geom) index', async () => {
    const idx = await store.db.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE tablename = 'features'`);
    expect(idx.some((i) => /USING gist \(layer, geom\)/.test(i.indexdef))).toBe(true);
    await store.db.exec('SET enable_seqscan = off');
    const plan = (await store.db.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT count(*) FROM features WHERE layer = 'shelters' AND geom && ST_MakeEnvelope(106.4, 29.5, 106.7, 29.8, 4326)`,
    )).map((r) => r['QUERY PLAN']).join('\n');
    await store.db.exec('RESET enable_seqscan');
    expect(plan).toMatch(/features_layer_geom_gix/);
  });
});

describe('embedded store persistence', () => {
  it('keeps written data in its folder across a restart', async () => {
    const store = await openTestStore('pglite');
    await store.db.transaction((tx) => insertFeatures(tx, 'shelters', [point('persist-1', 106.5, 29.6)]));
    await store.db.close();
    const reopened = await openStore({ dataDir: store.dataDir });
    const page = await queryFeatures(reopened, { layer: 'shelters', q: 'persist-1', searchFields: ['name'], limit: 10, offset: 0 });
    expect(page.features.map((f) => f.id)).toEqual(['persist-1']);
    expect(page.features[0].geometry).toEqual({ type: 'Point', coordinates: [106.5, 29.6] });
    store.db = reopened;
    await store.dispose();
  });
});
