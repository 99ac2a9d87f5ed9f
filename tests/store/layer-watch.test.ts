/**
 * Layer versions known without a query (server/store/layer-watch.ts): a write moves the version the
 * watch gives at once on both stores; on embedded PGlite, whose NOTIFY reaches this process before
 * the writing statement returns, a version read since the last write is given while a transaction
 * holds the one connection (a plain read waits for it), and a write committed in that transaction
 * is seen by the next call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layerVersion, watchLayers } from '../../server/store/index.js';
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

  it('gives the current version, and the next one right after a write', async () => {
    const { db } = store;
    const watch = watchLayers(db);
    // Listening starts with the watch; give it a moment, as a server has before its first request.
    await new Promise((r) => setTimeout(r, 100));
    const v = await watch.version('shelters');
    expect(v).toBe(await layerVersion(db, 'shelters'));
    expect(await watch.version('shelters')).toBe(v);
    await db.query(touch);
    expect(await watch.version('shelters')).toBe(v + 1);
    await db.query(touch);
    expect(await watch.version('shelters')).toBe(v + 2);
  });

  it.runIf(kind === 'pglite')('answers from what it knows while a transaction holds PGlite, and sees that transaction’s write after it commits', async () => {
    const { db } = store;
    const watch = watchLayers(db);
    await new Promise((r) => setTimeout(r, 100));
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
