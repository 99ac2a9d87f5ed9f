/**
 * Vector tiles (issue 15): TileJSON, tiles decoded and checked against the features endpoint, the
 * role rules, bad z/x/y, ETag/304 and the cache, invalidation by an edit, and OGC API – Tiles.
 */
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { describe, expect, it } from 'vitest';
import { tileBounds, toTile } from '../../server/tiles/grid.js';
import { TOKENS, useTestApi } from '../setup/server.js';

interface Decoded {
  properties: Record<string, unknown>;
  x: number;
  y: number;
}

async function tile(url: string, path: string, token?: string, headers: Record<string, string> = {}) {
  const res = await fetch(url + path, { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const features: Decoded[] = [];
  if (res.status === 200) {
    const layer = new VectorTile(new PbfReader(bytes)).layers.shelters;
    for (let i = 0; i < (layer?.length ?? 0); i++) {
      const f = layer.feature(i);
      const [[p]] = f.loadGeometry();
      features.push({ properties: f.properties, x: p.x, y: p.y });
    }
  }
  return { res, bytes, features };
}

/** The raw response (fetch would undo the content coding), to see the bytes as sent. */
function raw(url: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

/** The tile of zoom z that holds lon/lat. */
function tileOf(lon: number, lat: number, z: number) {
  const [fx, fy] = toTile(lon, lat, { z, x: 0, y: 0 });
  return { z, x: Math.floor(fx / 4096), y: Math.floor(fy / 4096) };
}

describe('vector tiles', () => {
  const ctx = useTestApi();
  const shelter = async () => {
    const page = await ctx.api.call('/api/layers/shelters/features?limit=1&county_code=500117', { token: TOKENS.COMMANDER_TOKEN });
    return page.body.features[0] as { id: string; geometry: { coordinates: [number, number] }; properties: Record<string, unknown>; version: number };
  };

  it('describes each layer as TileJSON with the fields the caller may see', async () => {
    const anon = await ctx.api.call('/api/tiles/shelters');
    expect(anon.status).toBe(200);
    expect(anon.body.tilejson).toBe('3.0.0');
    expect(anon.body.tiles[0]).toBe(`${ctx.api.url}/api/tiles/shelters/{z}/{x}/{y}.mvt`);
    const fields = anon.body.vector_layers[0].fields;
    expect(fields).toHaveProperty('name');
    expect(fields).toHaveProperty('_fid');
    expect(fields).not.toHaveProperty('phone');
    const staff = await ctx.api.call('/api/tiles/shelters?county_code=500117', { token: TOKENS.COMMANDER_TOKEN });
    expect(staff.body.vector_layers[0].fields).toHaveProperty('phone');
    expect(staff.body.tiles[0]).toMatch(/\.mvt\?county_code=500117$/);
    expect((await ctx.api.call('/api/tiles/depots')).status).toBe(401);
    expect((await ctx.api.call('/api/tiles/nope')).status).toBe(404);
  });

  it('gives every point of a street-level tile with public fields only to the public', async () => {
    const s = await shelter();
    const id = tileOf(...s.geometry.coordinates, 14);
    const { res, features } = await tile(ctx.api.url, `/api/tiles/shelters/${id.z}/${id.x}/${id.y}.mvt`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    const [w, south, e, n] = tileBounds(id);
    const inside = await ctx.api.call(`/api/layers/shelters/features?bbox=${w},${south},${e},${n}&limit=1`);
    expect(features.filter((f) => f.x >= 0 && f.x < 4096 && f.y >= 0 && f.y < 4096)).toHaveLength(inside.body.numberMatched);
    const mine = features.find((f) => f.properties._fid === s.id)!;
    expect(mine.properties.name).toBe(s.properties.name);
    expect(features.every((f) => !('phone' in f.properties) && !('count' in f.properties))).toBe(true);
    expect([mine.x, mine.y]).toEqual(toTile(...s.geometry.coordinates, id));
    const staff = await tile(ctx.api.url, `/api/tiles/shelters/${id.z}/${id.x}/${id.y}.mvt`, TOKENS.COMMANDER_TOKEN);
    expect(staff.features.find((f) => f.properties._fid === s.id)!.properties.phone).toBe(s.properties.phone);
  });

  it('aggregates points on a grid at low zoom: the counts add up to the points in the tile', async () => {
    const s = await shelter();
    const id = tileOf(...s.geometry.coordinates, 8);
    const { features } = await tile(ctx.api.url, `/api/tiles/shelters/${id.z}/${id.x}/${id.y}.mvt`);
    const [w, south, e, n] = tileBounds(id);
    const inside = await ctx.api.call(`/api/layers/shelters/features?bbox=${w},${south},${e},${n}&limit=1`);
    const clusters = features.filter((f) => typeof f.properties.count === 'number');
    expect(clusters.length).toBeGreaterThan(0);
    expect(features.length).toBeLessThanOrEqual(64);
    expect(features.reduce((sum, f) => sum + ((f.properties.count as number | undefined) ?? 1), 0)).toBe(inside.body.numberMatched);
    expect(clusters.every((c) => Object.keys(c.properties).join() === 'count')).toBe(true);
    // A layer filter applies before the grid: one county's points only.
    const county = await tile(ctx.api.url, `/api/tiles/shelters/${id.z}/${id.x}/${id.y}.mvt?county_code=500117`);
    const countyInside = await ctx.api.call(`/api/layers/shelters/features?bbox=${w},${south},${e},${n}&county_code=500117&limit=1`);
    expect(county.features.reduce((sum, f) => sum + ((f.properties.count as number | undefined) ?? 1), 0)).toBe(countyInside.body.numberMatched);
  });

  it('counts features in all and in a box as the features endpoint does, from kept counts', async () => {
    const matched = async (q: string, token?: string) => (await ctx.api.call(`/api/layers/shelters/features?limit=1${q}`, { token })).body.numberMatched as number;
    const counted = async (q: string, token?: string) => {
      const res = await ctx.api.call(`/api/tiles/shelters/count?v=3${q}`, { token });
      expect(res.status).toBe(200);
      return res.body.numberMatched as number;
    };
    const total = await matched('');
    expect(total).toBeGreaterThan(100);
    expect(await counted('')).toBe(total);
    // A county-sized box, a city-sized one, a street-sized one, and with a layer filter.
    for (const box of ['105.7,29.6,106.4,30.1', '106.0,29.7,106.2,29.95', '106.05,29.84,106.06,29.85', '100,20,115,35']) {
      expect(await counted(`&bbox=${box}`), box).toBe(await matched(`&bbox=${box}`));
      expect(await counted(`&bbox=${box}&county_code=500117`), box).toBe(await matched(`&bbox=${box}&county_code=500117`));
    }
    expect(await counted('&county_code=500117')).toBe(await matched('&county_code=500117'));
    // An internal layer is counted for a signed-in caller only; bad input is a 400 naming the parameter.
    expect((await ctx.api.call('/api/tiles/depots/count')).status).toBe(401);
    expect((await ctx.api.call('/api/tiles/depots/count', { token: TOKENS.COMMANDER_TOKEN })).body.numberMatched).toBeGreaterThan(0);
    expect((await ctx.api.call('/api/tiles/shelters/count?bbox=1,,2,3')).body.error.parameter).toBe('bbox');
    expect((await ctx.api.call('/api/tiles/shelters/count?limit=1')).body.error.parameter).toBe('limit');
    expect((await ctx.api.call('/api/tiles/shelters/count?colour=red')).body.error.parameter).toBe('colour');
  });

  it('refuses bad tile addresses and internal layers to the public', async () => {
    const bad = await ctx.api.call('/api/tiles/shelters/abc/1/1.mvt');
    expect(bad.status).toBe(400);
    expect(bad.body.error.parameter).toBe('z');
    expect((await ctx.api.call('/api/tiles/shelters/3/1/-1.mvt')).body.error.parameter).toBe('y');
    const outside = await ctx.api.call('/api/tiles/shelters/3/8/0.mvt');
    expect(outside.status).toBe(404);
    expect(outside.body.error.code).toBe('not_found');
    expect((await ctx.api.call('/api/tiles/shelters/21/0/0.mvt')).status).toBe(404);
    expect((await ctx.api.call('/api/tiles/shelters/3/6/3.mvt?bbox=1,2,3,4')).body.error.parameter).toBe('bbox');
    expect((await ctx.api.call('/api/tiles/shelters/3/6/3.mvt?colour=red')).body.error.parameter).toBe('colour');
    const internal = await ctx.api.call('/api/tiles/depots/3/6/3.mvt');
    expect(internal.status).toBe(401);
    expect((await tile(ctx.api.url, '/api/tiles/depots/3/6/3.mvt', TOKENS.COMMANDER_TOKEN)).res.status).toBe(200);
    // Nothing there: no content, still with an ETag.
    const empty = await tile(ctx.api.url, '/api/tiles/shelters/3/0/0.mvt');
    expect(empty.res.status).toBe(204);
    expect(empty.res.headers.get('etag')).toBeTruthy();
  });

  it('answers 304 to a matching ETag, serves repeats from the cache, and changes after an edit', async () => {
    const s = await shelter();
    const id = tileOf(...s.geometry.coordinates, 14);
    const path = `/api/tiles/shelters/${id.z}/${id.x}/${id.y}.mvt`;
    const first = await tile(ctx.api.url, path);
    const etag = first.res.headers.get('etag')!;
    const again = await tile(ctx.api.url, path);
    expect(again.res.headers.get('x-tile-cache')).toBe('hit');
    expect(Buffer.from(again.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    expect((await tile(ctx.api.url, path, undefined, { 'if-none-match': etag })).res.status).toBe(304);
    // The commander's tile has other fields: another ETag.
    expect((await tile(ctx.api.url, path, TOKENS.COMMANDER_TOKEN)).res.headers.get('etag')).not.toBe(etag);

    const version = async () => (await ctx.api.call('/api/layers')).body.layers.find((l: { id: string }) => l.id === 'shelters').version as number;
    const before = await version();
    expect(before).toBeGreaterThan(0);
    const edit = await ctx.api.call(`/api/layers/shelters/features/${encodeURIComponent(s.id)}`, {
      method: 'PATCH',
      token: TOKENS.COMMANDER_TOKEN,
      body: { version: s.version, properties: { name: '瓦片测试避难场所' } },
    });
    expect(edit.status).toBe(200);
    const after = await tile(ctx.api.url, path, undefined, { 'if-none-match': etag });
    expect(after.res.status).toBe(200);
    expect(after.res.headers.get('etag')).not.toBe(etag);
    expect(after.features.find((f) => f.properties._fid === s.id)!.properties.name).toBe('瓦片测试避难场所');
    // The layer's version, which the client puts in its tile URLs (`v`), moved with the edit.
    expect(await version()).toBe(before + 1);
    expect((await tile(ctx.api.url, `${path}?v=${before + 1}`)).res.status).toBe(200);
  });

  it('compresses tiles per Accept-Encoding and keeps the compressed bytes in the cache', async () => {
    const s = await shelter();
    // z8: a grid tile of the whole area, large enough to be worth compressing.
    const id = tileOf(...s.geometry.coordinates, 8);
    const url = `${ctx.api.url}/api/tiles/shelters/${id.z}/${id.x}/${id.y}.mvt`;
    const plain = await raw(url, { 'accept-encoding': 'identity' });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.byteLength).toBeGreaterThan(200);

    const gz = await raw(url, { 'accept-encoding': 'gzip' });
    expect(gz.status).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    expect(gz.headers.vary).toMatch(/Accept-Encoding/i);
    expect(gz.body.byteLength).toBeLessThan(plain.body.byteLength);
    expect(Number(gz.headers['content-length'])).toBe(gz.body.byteLength);
    // The same tile once decoded: byte for byte, and the same features.
    const unzipped = gunzipSync(gz.body);
    expect(unzipped.equals(plain.body)).toBe(true);
    expect(new VectorTile(new PbfReader(unzipped)).layers.shelters.length).toBe(new VectorTile(new PbfReader(plain.body)).layers.shelters.length);
    // Another representation, another strong ETag (RFC 9110 §8.8.3); either revalidates the tile.
    expect(gz.headers.etag).not.toBe(plain.headers.etag);
    expect((await raw(url, { 'accept-encoding': 'gzip', 'if-none-match': plain.headers.etag! })).status).toBe(304);

    // A repeat is the cached compressed body: the same bytes, no build.
    const again = await raw(url, { 'accept-encoding': 'gzip, deflate' });
    expect(again.headers['x-tile-cache']).toBe('hit');
    expect(again.body.equals(gz.body)).toBe(true);

    // Brotli where the client prefers it (browsers over HTTPS send "gzip, deflate, br").
    const br = await raw(url, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect((await raw(url, { 'accept-encoding': 'br;q=0.5, gzip;q=1' })).headers['content-encoding']).toBe('gzip');
  });

  it('serves the same tiles through OGC API – Tiles', async () => {
    const s = await shelter();
    const id = tileOf(...s.geometry.coordinates, 12);
    const tms = await ctx.api.call('/api/ogc/tileMatrixSets/WebMercatorQuad');
    expect(tms.body.tileMatrices).toHaveLength(21);
    expect(tms.body.tileMatrices[0].matrixWidth).toBe(1);
    expect(tms.body.tileMatrices[0].scaleDenominator).toBeCloseTo(559082264.029, 2);
    const sets = await ctx.api.call('/api/ogc/collections/shelters/tiles');
    const item = sets.body.tilesets[0].links.find((l: { rel: string }) => l.rel === 'item');
    expect(item.href).toBe(`${ctx.api.url}/api/ogc/collections/shelters/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}`);
    const set = await ctx.api.call('/api/ogc/collections/shelters/tiles/WebMercatorQuad?f=json');
    expect(set.body.tileMatrixSetURI).toBe('http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad');
    expect(set.body.tiles[0]).toMatch(/\/WebMercatorQuad\/\{z\}\/\{y\}\/\{x\}$/);
    const ogc = await tile(ctx.api.url, `/api/ogc/collections/shelters/tiles/WebMercatorQuad/${id.z}/${id.y}/${id.x}?f=mvt`);
    const plain = await tile(ctx.api.url, `/api/tiles/shelters/${id.z}/${id.x}/${id.y}.mvt`);
    expect(ogc.res.status).toBe(200);
    expect(Buffer.from(ogc.bytes).equals(Buffer.from(plain.bytes))).toBe(true);
    expect((await ctx.api.call('/api/ogc/collections/depots/tiles')).status).toBe(401);
    const conformance = (await ctx.api.call('/api/ogc/conformance')).body.conformsTo;
    expect(conformance).toContain('http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt');
  });
});
