/**
 * Layer versions known without a query (server/store/layer-watch.ts): on both stores a version read
 * is given again without a query, and a write (which returns only once its NOTIFY has reached this
 * process) moves it at once; PostgreSQL asks again after trustNotifiedMs. On embedded PGlite a
 * version read since the last write is given while a transaction holds the one connection (a plain
 * read waits for it), and a write committed in that transaction is seen by the next call.
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
});
