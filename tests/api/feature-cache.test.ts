/**
 * Feature pages kept by the response cache (server/routes/feature-pages.ts) under the layer version
 * (server/store/layer-watch.ts), issue 15's "public answers cached and revalidated": a repeat is a
 * hit with the same bytes, a matching If-None-Match a 304, roles never share a page, an edit gives
 * new pages at once (on PostgreSQL too, where the version is read on every request), and on
 * embedded PGlite a cached page or tile is served while a transaction holds the one connection —
 * as an import's does for minutes — while an uncached one waits for it. A write renews only the
 * pages and tiles whose box it touched (the others keep their ETag and stay cached). The layer
 * list's kept counts and versions are read again only after a write.
 */
import { describe, expect, it } from 'vitest';
import { TOKENS, useTestApi } from '../setup/server.js';
import { STORE_KINDS } from '../setup/store.js';
import { toTile } from '../../server/tiles/grid.js';

/** The zoom-10 tile holding a point, as a tile URL. */
const tileAt = (lon: number, lat: number): string => {
  const [fx, fy] = toTile(lon, lat, { z: 10, x: 0, y: 0 });
  return `/api/tiles/shelters/10/${Math.floor(fx / 4096)}/${Math.floor(fy / 4096)}.mvt`;
};

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

  it('keeps the pages and tiles of a box no write touched (same ETag, a hit) and renews those a write touched', async () => {
    // 江北 (where the write lands) and 巫山, 400 km east: a bbox page and a zoom-10 tile of each.
    const at: [number, number] = [106.58, 29.62];
    const near = { page: '/api/layers/shelters/features?bbox=106.5,29.55,106.65,29.7&limit=50', tile: tileAt(...at) };
    const far = { page: '/api/layers/shelters/features?bbox=109.8,31.0,110.0,31.2&limit=50', tile: tileAt(109.88, 31.08) };
    const seen = new Map<string, string>();
    for (const path of [near.page, near.tile, far.page, far.tile]) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      seen.set(path, r.headers.get('etag')!);
      await r.arrayBuffer();
    }
    const added = await ctx.api.call('/api/layers/shelters/features', {
      method: 'POST',
      token: TOKENS.COMMANDER_TOKEN,
      body: { type: 'Feature', geometry: { type: 'Point', coordinates: at }, properties: { name: '范围测试避难场所' } },
    });
    expect(added.status).toBe(201);

    // Far away: the same answers, from the cache, and the client's copies still current (304).
    for (const [path, header] of [[far.page, 'x-feature-cache'], [far.tile, 'x-tile-cache']]) {
      const r = await get(path);
      expect(r.headers.get(header), path).toBe('hit');
      expect(r.headers.get('etag'), path).toBe(seen.get(path));
      await r.arrayBuffer();
      expect((await get(path, { 'if-none-match': seen.get(path)! })).status, path).toBe(304);
    }
    // Where it landed: new answers with the new shelter, and the old tags no longer current.
    const page = await get(near.page, { 'if-none-match': seen.get(near.page)! });
    expect(page.status).toBe(200);
    expect(page.headers.get('etag')).not.toBe(seen.get(near.page));
    expect(((await page.json()) as { features: { properties: { name: string } }[] }).features.map((f) => f.properties.name)).toContain('范围测试避难场所');
    const tile = await get(near.tile, { 'if-none-match': seen.get(near.tile)! });
    expect(tile.status).toBe(200);
    expect(tile.headers.get('x-tile-cache')).toBe('miss');
    expect(tile.headers.get('etag')).not.toBe(seen.get(near.tile));
    // A page without a bbox covers the whole layer: any write renews it.
    const whole = '/api/layers/shelters/features?limit=1';
    const before = await get(whole);
    await before.arrayBuffer();
    const removed = await ctx.api.call(`/api/layers/shelters/features/${encodeURIComponent(added.body.id)}?version=${added.body.version}`, { method: 'DELETE', token: TOKENS.COMMANDER_TOKEN });
    expect(removed.status).toBeLessThan(300);
    expect((await get(whole)).headers.get('etag')).not.toBe(before.headers.get('etag'));
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

