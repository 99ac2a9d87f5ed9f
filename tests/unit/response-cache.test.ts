/**
 * The tile cache (server/tiles/cache.ts, TILE_CACHE_MB): bounded in bytes with compressed bodies
 * counted, least recently used out first, one build and one compression per tile and coding, and
 * the newest kept answer of each request (its family) at any layer version.
 */
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ResponseCache } from '../../server/response-cache.js';

/** A compressible 1,000-byte "tile" whose bytes say which it is. */
const tileOf = (i: number) => new Uint8Array(1000).fill(i % 251);

describe('tile cache', () => {
  it('finds the newest kept answer of a request at any version, and forgets it once evicted', async () => {
    const cache = new ResponseCache(3 * 1064);
    expect(cache.latest('tile 10/1/2')).toBeUndefined();
    await cache.get('v3', async () => tileOf(3), 'identity', { name: 'tile 10/1/2', version: 3 });
    await cache.get('v5', async () => tileOf(5), 'identity', { name: 'tile 10/1/2', version: 5 });
    expect(cache.latest('tile 10/1/2')).toEqual({ key: 'v5', version: 5 });
    // An older build finishing late does not hide the newer one.
    await cache.get('v4', async () => tileOf(4), 'identity', { name: 'tile 10/1/2', version: 4 });
    expect(cache.latest('tile 10/1/2')).toEqual({ key: 'v5', version: 5 });
    // Three other answers push all of them out: nothing is kept of that request any more.
    for (let i = 0; i < 3; i++) await cache.get(`other${i}`, async () => tileOf(i), 'identity', { name: `other ${i}`, version: 1 });
    expect(cache.has('v5')).toBe(false);
    expect(cache.latest('tile 10/1/2')).toBeUndefined();
    expect(cache.latest('other 2')).toEqual({ key: 'other2', version: 1 });
  });

  it('holds its bound in bytes: the least recently used tiles go first', async () => {
    // 1,000 bytes + 64 bookkeeping per tile: 5,000 bytes hold four tiles.
    const cache = new ResponseCache(5000);
    let builds = 0;
    const get = (i: number) =>
      cache.get(`t${i}`, async () => {
        builds++;
        return tileOf(i);
      });
    for (let i = 0; i < 4; i++) await get(i);
    expect(cache.size).toEqual({ entries: 4, bytes: 4 * 1064 });
    // t0 is used again, so t1 is now the oldest; a fifth tile pushes t1 out.
    expect((await get(0)).cached).toBe(true);
    await get(4);
    expect(cache.size).toEqual({ entries: 4, bytes: 4 * 1064 });
    expect(cache.has('t1')).toBe(false);
    expect(['t0', 't2', 't3', 't4'].every((k) => cache.has(k))).toBe(true);
    expect(builds).toBe(5);
    // Many more tiles than fit: the bound still holds, and only the newest four remain.
    for (let i = 5; i < 100; i++) await get(i);
    expect(cache.size.bytes).toBeLessThanOrEqual(5000);
    expect(cache.size.entries).toBe(4);
    expect(['t96', 't97', 't98', 't99'].every((k) => cache.has(k))).toBe(true);
    const again = await get(1);
    expect(again.cached).toBe(false);
    expect(builds).toBe(101);
  });

  it('keeps compressed bodies, counts them against the bound, and compresses once per coding', async () => {
    const cache = new ResponseCache(1_000_000);
    const build = async () => tileOf(7);
    const gz = await cache.get('a', build, 'gzip');
    expect(gz.encoding).toBe('gzip');
    expect(gz.cached).toBe(false);
    expect(Buffer.from(gunzipSync(gz.body)).equals(Buffer.from(tileOf(7)))).toBe(true);
    expect(cache.size.bytes).toBe(1064 + gz.body.byteLength);
    const again = await cache.get('a', build, 'gzip');
    expect(again.cached).toBe(true);
    // The very same bytes: kept, not compressed again.
    expect(again.body).toBe(gz.body);
    const br = await cache.get('a', build, 'br');
    expect(br.encoding).toBe('br');
    expect(Buffer.from(brotliDecompressSync(br.body)).equals(Buffer.from(tileOf(7)))).toBe(true);
    expect(cache.size.bytes).toBe(1064 + gz.body.byteLength + br.body.byteLength);
    const plain = await cache.get('a', build, 'identity');
    expect(plain.body).toBe(plain.raw);
    expect(plain.encoding).toBe('identity');
  });

  it('evicts when compressed bodies outgrow the bound, and keeps nothing with a bound of 0', async () => {
    const cache = new ResponseCache(2200);
    await cache.get('a', async () => tileOf(1));
    await cache.get('b', async () => tileOf(2));
    expect(cache.size.entries).toBe(2);
    // Two tiles (2 × 1,064) and b's gzip body of a few dozen bytes fit in 2,200; a third tile does not.
    await cache.get('b', async () => tileOf(2), 'gzip');
    expect(cache.size.entries).toBe(2);
    await cache.get('c', async () => tileOf(3));
    expect(cache.has('a')).toBe(false);
    expect(cache.size.bytes).toBeLessThanOrEqual(2200);

    const off = new ResponseCache(0);
    expect((await off.get('a', async () => tileOf(1), 'gzip')).encoding).toBe('gzip');
    expect(off.size).toEqual({ entries: 0, bytes: 0 });
  });

  it('shares one build among concurrent requests for a tile', async () => {
    const cache = new ResponseCache(1_000_000);
    let builds = 0;
    const build = async () => {
      builds++;
      await new Promise((r) => setTimeout(r, 20));
      return tileOf(3);
    };
    const all = await Promise.all([cache.get('x', build, 'gzip'), cache.get('x', build, 'br'), cache.get('x', build)]);
    expect(builds).toBe(1);
    expect(all.map((a) => a.encoding)).toEqual(['gzip', 'br', 'identity']);
  });
});
