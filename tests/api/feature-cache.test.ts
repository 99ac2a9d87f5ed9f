/**
 * Feature pages kept by the response cache (server/routes/feature-pages.ts) under the layer version
 * (server/store/layer-watch.ts), issue 15's "public answers cached and revalidated": a repeat is a
 * hit with the same bytes, a matching If-None-Match a 304, roles never share a page, an edit gives
 * new pages at once (on PostgreSQL too, where the version is read on every request), and on
 * embedded PGlite a cached page or tile is served while a transaction holds the one connection —
 * as an import's does for minutes — while an uncached one waits for it. The layer list's kept
 * counts and versions are read again only after a write.
 */
import { describe, expect, it } from 'vitest';
import { TOKENS, useTestApi } from '../setup/server.js';
import { STORE_KINDS } from '../setup/store.js';

const PAGE = '/api/layers/shelters/features?county_code=500117&limit=5';

describe.each(STORE_KINDS)('feature page cache on %s', (kind) => {
  const ctx = useTestApi(kind);
  const get = (path: string, headers: Record<string, string> = {}) => fetch(ctx.api.url + path, { headers });

  it('serves a repeat from the cache, answers 304, keeps roles apart and changes at once after an edit', async () => {
    const first = await get(PAGE);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
    expect(first.headers.get('cache-control')).toBe('public, no-cache');
    const etag = first.headers.get('etag')!;
    const page = (await first.json()) as { features: { id: string; properties: Record<string, unknown> }[]; numberMatched: number };
    expect(page.features).toHaveLength(5);
    expect(page.features.every((f) => !('phone' in f.properties))).toBe(true);

    const again = await get(PAGE);
    expect(again.headers.get('x-feature-cache')).toBe('hit');
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.json()).toEqual(page);
    expect((await get(PAGE, { 'if-none-match': etag })).status).toBe(304);

    // The commander's page of the same URL has internal fields and versions: another entry and tag.
    const staff = await fetch(ctx.api.url + PAGE, { headers: { authorization: `Bearer ${TOKENS.COMMANDER_TOKEN}` } });
    expect(staff.headers.get('etag')).not.toBe(etag);
    expect(staff.headers.get('cache-control')).toBe('private, no-cache');
    const staffPage = (await staff.json()) as { features: { id: string; version: number; properties: Record<string, unknown> }[] };
    expect(staffPage.features[0].properties).toHaveProperty('phone');
    expect(staffPage.features[0].version).toBeGreaterThan(0);

    const target = staffPage.features[0];
    const edit = await ctx.api.call(`/api/layers/shelters/features/${encodeURIComponent(target.id)}`, {
      method: 'PATCH',
      token: TOKENS.COMMANDER_TOKEN,
      body: { version: target.version, properties: { name: '缓存测试避难场所' } },
    });
    expect(edit.status).toBe(200);
    // No wait: the very next request sees the edit, and the old tag no longer revalidates.
    const after = await get(PAGE, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('x-feature-cache')).toBe('miss');
    expect(after.headers.get('etag')).not.toBe(etag);
    const edited = (await after.json()) as typeof page;
    expect(edited.features.find((f) => f.id === target.id)!.properties.name).toBe('缓存测试避难场所');

    // The layer list gives the new version and count at once too.
    const listed = async () => (await ctx.api.call('/api/layers')).body.layers.find((l: { id: string }) => l.id === 'shelters') as { count: number; version: number };
    const before = await listed();
    const added = await ctx.api.call('/api/layers/shelters/features', {
      method: 'POST',
      token: TOKENS.COMMANDER_TOKEN,
      body: { type: 'Feature', geometry: { type: 'Point', coordinates: [106.3, 29.9] }, properties: { name: '计数测试避难场所' } },
    });
    expect(added.status).toBe(201);
    const now = await listed();
    expect(now.count).toBe(before.count + 1);
    expect(now.version).toBeGreaterThan(before.version);
  });

  it('keeps OGC API items pages too, with the links of the host asked', async () => {
    const items = '/api/ogc/collections/shelters/items?limit=2&county_code=500117';
    const first = await get(items);
    expect(first.status).toBe(200);
    const body = (await first.json()) as { links: { href: string; rel: string }[]; numberReturned: number };
    expect(body.numberReturned).toBe(2);
    expect(body.links.find((l) => l.rel === 'next')!.href).toMatch(new RegExp(`^${ctx.api.url}/api/ogc/collections/shelters/items\\?`));
    const again = await get(items);
    expect(again.headers.get('x-feature-cache')).toBe('hit');
    expect(await again.json()).toEqual(body);
    // Another Host header, other links: not the same entry.
    const other = await fetch(ctx.api.url + items, { headers: { 'x-forwarded-host': 'example.org' } });
    expect(other.status).toBe(200);
  });

  it.runIf(kind === 'pglite')('on embedded PGlite serves cached pages and tiles while a transaction holds the store; an uncached page waits for it', async () => {
    const tile = '/api/tiles/shelters/10/824/420.mvt';
    // Warm: the page and the tile are cached and their layer version known.
    await (await get(PAGE)).arrayBuffer();
    await (await get(tile)).arrayBuffer();
    const layers = (await (await get('/api/layers')).json()) as { layers: { id: string; count: number }[] };
    expect((await get(PAGE)).headers.get('x-feature-cache')).toBe('hit');
    expect((await get(tile)).headers.get('x-tile-cache')).toBe('hit');

    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const inside = new Promise<void>((r) => (started = r));
    // A transaction that holds PGlite's one connection without holding the thread, like an import between its statements.
    const held = ctx.store.db.transaction(async (tx) => {
      await tx.query('SELECT 1');
      started();
      await gate;
    });
    await inside;
    try {
      const page = await get(PAGE);
      expect(page.status).toBe(200);
      expect(page.headers.get('x-feature-cache')).toBe('hit');
      const cachedTile = await get(tile);
      expect(cachedTile.headers.get('x-tile-cache')).toBe('hit');
      // The layer list's kept counts and versions, too, are known without asking the store.
      expect(await (await get('/api/layers')).json()).toEqual(layers);
      // Proof the store is held: a page not yet cached waits until the transaction ends.
      const uncached = get(`${PAGE}&offset=5`);
      const state = await Promise.race([uncached.then(() => 'answered'), new Promise((r) => setTimeout(() => r('waiting'), 1500))]);
      expect(state).toBe('waiting');
      release();
      expect((await uncached).status).toBe(200);
    } finally {
      release();
      await held;
    }
  });
});

