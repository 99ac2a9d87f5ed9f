/**
 * Caches rebuilt when their layers change (server/store/layer-memo.ts), on both stores: a cache
 * nobody asked for is never built however many writes arrive; a used one is rebuilt once after a
 * burst of writes, without being asked; a caller right after this process's write gets a build that
 * includes it; a stale-serving cache answers with its last build while the next one is made; a
 * failed build is tried again on the next call; a write to another layer changes nothing. A road
 * connectivity rule set is a change of the road layer (the road graph is keyed by its version).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layerVersion, memoOnLayers, setRoadConnectivity, SETTLE_MS } from '../../server/store/index.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../setup/store.js';

const touch = (layer: string, remark: string) =>
  `UPDATE features SET properties = properties || '{"remark":"${remark}"}' WHERE fid = (SELECT fid FROM features WHERE layer = '${layer}' ORDER BY fid LIMIT 1)`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const capacityOfFirst = "SELECT (properties ->> 'remark') AS remark FROM features WHERE layer = 'shelters' ORDER BY fid LIMIT 1";

describe.each(STORE_KINDS)('caches on layers on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => {
    await store?.dispose();
  });
  const write = (layer: string, remark: string) => store.db.transaction((tx) => tx.query(touch(layer, remark)));

  it('never builds a cache nobody asked for, and rebuilds a used one once after a burst of writes', async () => {
    let unused = 0;
    memoOnLayers(store.db, ['shelters'], async () => ++unused);
    let builds = 0;
    const used = memoOnLayers(store.db, ['shelters'], async () => ++builds, { stale: true });
    expect(await used()).toBe(1);
    for (let i = 0; i < 5; i++) await write('shelters', `burst ${i}`);
    await expect.poll(() => builds, { timeout: 10_000 }).toBe(2);
    await sleep(SETTLE_MS * 3);
    expect(builds).toBe(2);
    expect(unused).toBe(0);
    // Another layer's write is not this cache's business.
    await write('depots', 'elsewhere');
    await sleep(SETTLE_MS * 3);
    expect(builds).toBe(2);
    expect(await used()).toBe(2);
  });

  it('gives a caller right after a write the build that includes it', async () => {
    const read = memoOnLayers(store.db, ['shelters'], async () => (await store.db.query<{ remark: string }>(capacityOfFirst))[0].remark);
    await write('shelters', 'before');
    expect(await read()).toBe('before');
    await write('shelters', 'after');
    expect(await read()).toBe('after');
  });

  it('counts a connectivity rule set as a change of the road layer, so the road graph is made again', async () => {
    let builds = 0;
    const graph = memoOnLayers(store.db, ['roads'], async () => ++builds);
    expect(await graph()).toBe(1);
    const before = await layerVersion(store.db, 'roads');
    await setRoadConnectivity(store.db, ['500105'], 'vertices');
    expect(await layerVersion(store.db, 'roads')).toBe(before + 1);
    expect(await graph()).toBe(2);
    expect(await graph()).toBe(2);
  });

  it('serves the last build while the next one is made, and tries a failed build again', async () => {
    let release!: () => void;
    let calls = 0;
    const cached = memoOnLayers(
      store.db,
      ['shelters'],
      async () => {
        calls++;
        if (calls === 2) await new Promise<void>((r) => (release = r));
        if (calls === 3) throw new Error('build failed');
        return calls;
      },
      { stale: true },
    );
    expect(await cached()).toBe(1);
    await write('shelters', 'slow');
    await expect.poll(() => calls, { timeout: 10_000 }).toBe(2);
    // The second build hangs: the first is served at once meanwhile.
    expect(await cached()).toBe(1);
    release();
    await expect.poll(() => cached(), { timeout: 10_000 }).toBe(2);
    await write('shelters', 'fails');
    await expect.poll(() => calls, { timeout: 10_000 }).toBe(3);
    // The failed build left the last good one in place, and the next call tries again.
    expect(await cached()).toBe(2);
    await expect.poll(() => cached(), { timeout: 10_000 }).toBe(4);
  });
});
