/**
 * Layer versions known without a query (server/store/layer-watch.ts): on both stores a version read
 * is given again without a query, and a write (which returns only once its NOTIFY has reached this
 * process) moves it at once; PostgreSQL asks again after trustNotifiedMs. On embedded PGlite a
 * version read since the last write is given while a transaction holds the one connection (a plain
 * read waits for it), and a write committed in that transaction is seen by the next call. Each
 * write's extent is heard with its version, so a box no write has touched since is known unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layerVersion, watchLayers, type Db } from '../../server/store/index.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../setup/store.js';

const within = <T>(p: Promise<T>, ms: number) => Promise.race([p.then((v) => ({ answered: v })), new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), ms))]);
const touch = "UPDATE features SET properties = properties || '{\"remark\":\"watch\"}' WHERE fid = (SELECT fid FROM features WHERE layer = 'shelters' ORDER BY fid LIMIT 1)";

describe.each(STORE_KINDS)('layer watch on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => {
    await store?.dispose();
  });

  it('answers from what it read until a write says otherwise, and gives the next version right after a write', async () => {
    const { db } = store;
    let queries = 0;
    const counted: Db = { ...db, query: (sql, params) => (queries++, db.query(sql, params)) };
    const watch = watchLayers(counted);
    // Nothing is trusted before the watch hears notifications.
    await watch.ready;
    const v = await watch.version('shelters');
    expect(v).toBe(await layerVersion(db, 'shelters'));
    const asked = queries;
    expect(await watch.version('shelters')).toBe(v);
    expect(queries).toBe(asked);
    // A write returns only once its NOTIFY has reached this process (PGlite: inline; PostgreSQL: waited for).
    await db.transaction((tx) => tx.query(touch));
    expect(await watch.version('shelters')).toBe(v + 1);
    await db.transaction((tx) => tx.query(touch));
    expect(await watch.version('shelters')).toBe(v + 2);
    // PostgreSQL trusts a read for a second only (another server's NOTIFY may be late or lost): then it asks again.
    if (Number.isFinite(db.trustNotifiedMs)) {
      const before = queries;
      expect(await watch.version('shelters')).toBe(v + 2);
      expect(queries).toBe(before);
      await new Promise((r) => setTimeout(r, db.trustNotifiedMs + 50));
      expect(await watch.version('shelters')).toBe(v + 2);
      expect(queries).toBe(before + 1);
    }
  });

  it.runIf(kind === 'pglite')('answers from what it knows while a transaction holds PGlite, and sees that transaction’s write after it commits', async () => {
    const { db } = store;
    const watch = watchLayers(db);
    await watch.ready;
    const v = await watch.version('shelters');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const inside = new Promise<void>((r) => (started = r));
    const held = db.transaction(async (tx) => {
      await tx.query(touch);
      started();
      await gate;
    });
    await inside;
    try {
      expect(await within(watch.version('shelters'), 1000)).toEqual({ answered: v });
      // The same question as a query waits behind the transaction: the watch did not ask the store.
      const read = layerVersion(db, 'shelters');
      expect(await within(read, 1000)).toBe('waiting');
      release();
      await held;
      expect(await read).toBe(v + 1);
      expect(await watch.version('shelters')).toBe(v + 1);
    } finally {
      release();
      await held;
    }
  });

  it('knows where each write landed: a box no write since has touched is unchanged, any other is not', async () => {
    const { db } = store;
    const watch = watchLayers(db);
    await watch.ready;
    const layer = 'watch_extent_test';
    const v0 = await watch.version(layer);
    const pt = (id: string, lon: number, lat: number) => `('${layer}', '${id}', ST_SetSRID(ST_Point(${lon}, ${lat}), 4326), '{}'::jsonb)`;
    // One statement writes two points: the change's extent is their box, 106.0–106.2 × 29.0–29.1.
    await db.transaction((tx) => tx.query(`INSERT INTO features (layer, fid, geom, properties) VALUES ${pt('a', 106.0, 29.0)}, ${pt('b', 106.2, 29.1)}`));
    const v1 = await watch.version(layer);
    expect(v1).toBe(v0 + 1);
    expect(watch.unchangedWithin(layer, v0, v1, [107, 30, 108, 31])).toBe(true);
    expect(watch.unchangedWithin(layer, v0, v1, [106.1, 29.05, 106.15, 29.06])).toBe(false);
    // Edges touch: the box shares the change's east edge.
    expect(watch.unchangedWithin(layer, v0, v1, [106.2, 28, 107, 29.05])).toBe(false);
    // No box (a page of the whole layer): any write changes it.
    expect(watch.unchangedWithin(layer, v0, v1)).toBe(false);
    expect(watch.unchangedWithin(layer, v1, v1)).toBe(true);

    // A move counts where the point was and where it went (one box over both: between them too).
    await db.transaction((tx) => tx.query(`UPDATE features SET geom = ST_SetSRID(ST_Point(110, 35), 4326) WHERE layer = '${layer}' AND fid = 'a'`));
    const v2 = await watch.version(layer);
    expect(watch.unchangedWithin(layer, v1, v2, [105.9, 28.9, 106.05, 29.05])).toBe(false);
    expect(watch.unchangedWithin(layer, v1, v2, [109.9, 34.9, 110.1, 35.1])).toBe(false);
    expect(watch.unchangedWithin(layer, v1, v2, [107, 30, 108, 31])).toBe(false);
    expect(watch.unchangedWithin(layer, v1, v2, [100, 20, 101, 21])).toBe(true);
    // Over both writes: changed where either landed.
    expect(watch.unchangedWithin(layer, v0, v2, [100, 20, 101, 21])).toBe(true);
    expect(watch.unchangedWithin(layer, v0, v2, [106.15, 29.05, 106.25, 29.15])).toBe(false);

    // A change without an extent (a version moved with no rows, as a road connectivity rule does),
    // or one not heard, leaves nothing known unchanged after it.
    await db.query(`UPDATE layer_stats SET changes = changes + 1 WHERE layer = '${layer}'`);
    const v3 = await layerVersion(db, layer);
    expect(watch.unchangedWithin(layer, v2, v3, [100, 20, 101, 21])).toBe(false);
    expect(watch.unchangedWithin(layer, v0, v0 + 100, [100, 20, 101, 21])).toBe(false);
    await db.transaction((tx) => tx.query(`DELETE FROM features WHERE layer = '${layer}'`));
    const v4 = await watch.version(layer);
    expect(watch.unchangedWithin(layer, v3, v4, [100, 20, 101, 21])).toBe(true);
    expect(watch.unchangedWithin(layer, v3, v4, [109, 34, 111, 36])).toBe(false);

    // A notice on the channel that is not ours changes nothing and stops nothing.
    await db.transaction((tx) => tx.query(`SELECT pg_notify('onemap_layer_changes', 'not json'), pg_notify('onemap_layer_changes', '{"layer": 1}')`));
    await db.transaction((tx) => tx.query(`INSERT INTO features (layer, fid, geom, properties) VALUES ${pt('c', 106.0, 29.0)}`));
    const v5 = await watch.version(layer);
    expect(v5).toBe(v4 + 1);
    expect(watch.unchangedWithin(layer, v4, v5, [100, 20, 101, 21])).toBe(true);
  });
});
