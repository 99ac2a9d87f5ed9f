/**
 * The public shelter finder's data as anonymous callers get it: the manifest and every pack, their
 * caching headers, and that nothing internal leaves the server — no internal field or its values,
 * no internal layer's ids or positions — while each shelter still says when a geohazard or a hazard
 * zone makes it unsuitable (the same shelters the commanders' shelter-capacity analysis names).
 */
import http from 'node:http';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LAYERS } from '../../core/catalogue/index.js';
import { decodePack, type PublicManifest, type PublicPack } from '../../core/public/pack.js';
import { STORE_KINDS } from '../setup/store.js';
import { TOKENS, useTestApi, type TestServer } from '../setup/server.js';

const PACK_SHELTER_KEYS = ['id', 'name', 'address', 'town', 'lon', 'lat', 'class', 'capacity', 'areaM2', 'status', 'hazards', 'unsuitable', 'facilities', 'accessibility', 'demo'];

/** GET with node:http (fetch would decompress), so the test sees the bytes and headers on the wire. */
function raw(api: TestServer, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(api.url + path, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
          resolve({ status: res.statusCode!, headers: h, bytes: Buffer.concat(chunks) });
        });
      })
      .on('error', reject);
  });
}

async function everything(api: TestServer, layer: string): Promise<{ id: string; geometry: { type: string; coordinates: number[] }; properties: Record<string, unknown> }[]> {
  const out = [];
  for (let matched = Infinity; out.length < matched; ) {
    const { body } = await api.call(`/api/layers/${layer}/features?limit=10000&offset=${out.length}`, { token: TOKENS.ADMIN_TOKEN });
    matched = body.numberMatched;
    out.push(...body.features);
  }
  return out;
}

describe.each(STORE_KINDS)('public data on %s', (kind) => {
  const ctx = useTestApi(kind);
  let manifest: PublicManifest;
  const packs = new Map<string, { bytes: Buffer; pack: PublicPack }>();

  it('serves the manifest revalidated, with a strong ETag and 304, brotli when asked', async () => {
    const res = await raw(ctx.api, '/shelters/data/manifest.json', { 'accept-encoding': 'br, gzip' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+-br"$/);
    manifest = JSON.parse(zlib.brotliDecompressSync(res.bytes).toString('utf8'));
    const again = await raw(ctx.api, '/shelters/data/manifest.json', { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    const plain = await raw(ctx.api, '/shelters/data/manifest.json');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(JSON.parse(plain.bytes.toString('utf8'))).toEqual(manifest);
    expect(plain.headers.get('etag')).toBe(etag.replace(/-br"$/, '"'));

    expect(manifest.demo).toBe(true);
    expect(manifest.hazards.map((h) => h.value)).toEqual(['earthquake', 'flood', 'geohazard', 'fire', 'extreme_weather']);
    expect(manifest.areas.map((a) => a.code)).toEqual(['500105', '500117', '500151', '500237', '510802']);
    const jiangbei = manifest.areas[0];
    expect(jiangbei.name).toEqual({ zh: '江北区', en: 'Jiangbei' });
    expect(jiangbei.url).toBe(`packs/500105-${jiangbei.version}.pack`);
    expect(Date.parse(manifest.generatedAt)).toBeGreaterThan(Date.parse('2026-01-01'));
  });

  it('serves every pack immutable under its version, decoding to the county it names', async () => {
    for (const area of manifest.areas) {
      const res = await raw(ctx.api, `/shelters/data/${area.url}`, { 'accept-encoding': 'gzip' });
      expect(res.status, area.code).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect(res.headers.get('content-encoding')).toBe('gzip');
      expect(res.headers.get('etag')).toMatch(/^"[\w-]+-gz"$/);
      const bytes = zlib.gunzipSync(res.bytes);
      expect(bytes.length).toBe(area.bytes);
      const pack = decodePack(bytes);
      packs.set(area.code, { bytes, pack });
      expect(pack).toMatchObject({ county: area.code, version: area.version, demo: true });
      expect(pack.generatedAt <= manifest.generatedAt).toBe(true);
      expect(pack.roads.length, area.code).toBeGreaterThan(100);
      expect(pack.towns.length, area.code).toBeGreaterThan(5);
      expect(new Set(pack.places.map((p) => p.kind))).toEqual(new Set(['town', 'street', 'shelter']));
      const again = await raw(ctx.api, `/shelters/data/${area.url}`, { 'accept-encoding': 'gzip', 'if-none-match': res.headers.get('etag')! });
      expect(again.status).toBe(304);
    }
    // 江北: the plan's 48 shelters (no other county's lie within 3 km of it), every one in the pack.
    expect(packs.get('500105')!.pack.shelters).toHaveLength(48);
  });

  it('answers an unknown or stale pack with 404 in the error shape', async () => {
    for (const path of ['/shelters/data/packs/500105-0000000000000000.pack', '/shelters/data/packs/nothing', '/shelters/data/other.json']) {
      const res = await ctx.api.call(path);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('not_found');
      expect(res.body.error.message.length).toBeGreaterThan(20);
    }
  });

  it('carries no internal field, value, layer id or position in any pack', async () => {
    const shelters = await everything(ctx.api, 'shelters');
    const internal = LAYERS.filter((l) => l.access === 'internal');
    const internalFeatures = (await Promise.all(internal.map((l) => everything(ctx.api, l.id)))).flat();
    // Values of internal fields anywhere (shelters' managers and phones, every layer's source, monitors, contacts).
    const secrets = new Set<string>();
    for (const layer of LAYERS) {
      const fields = layer.fields.filter((f) => f.access === 'internal').map((f) => f.name);
      const features = layer.id === 'shelters' ? shelters : layer.access === 'internal' ? internalFeatures.filter((f) => String(f.id).startsWith(`${layer.id}-`)) : [];
      for (const f of features) for (const k of fields) if (typeof f.properties[k] === 'string' && (f.properties[k] as string).length >= 4) secrets.add(f.properties[k] as string);
    }
    expect(secrets.size).toBeGreaterThan(1000);
    const internalIds = internalFeatures.map((f) => String(f.id));
    const internalPoints = new Set(internalFeatures.filter((f) => f.geometry.type === 'Point').map((f) => `${f.geometry.coordinates[0].toFixed(7)},${f.geometry.coordinates[1].toFixed(7)}`));
    expect(internalPoints.size).toBeGreaterThan(1000);

    expect(packs.size).toBe(5);
    for (const [code, { bytes, pack }] of packs) {
      const text = bytes.toString('utf8') + JSON.stringify(pack);
      for (const word of ['manager', 'phone', 'source', 'monitor', 'contact', 'inventory', 'demo:', '.txt']) expect(text.includes(word), `${code}: ${word}`).toBe(false);
      // Every string a pack holds is in its header's string table.
      const table = JSON.parse(bytes.subarray(9, 9 + bytes.readUInt32LE(5)).toString('utf8')).strings as string[];
      for (const s of table) {
        for (const secret of secrets) if (s.includes(secret)) expect.fail(`${code} carries the internal value "${secret}" in "${s}"`);
        for (const id of internalIds) if (s.includes(id)) expect.fail(`${code} carries the internal id ${id}`);
      }
      for (const s of pack.shelters) expect(PACK_SHELTER_KEYS, `${code} ${s.id}`).toEqual(expect.arrayContaining(Object.keys(s)));
      const positions = [
        ...pack.shelters.map((s) => [s.lon, s.lat]),
        ...pack.places.map((p) => [p.lon, p.lat]),
        ...pack.roads.flatMap((r) => r.coords),
      ];
      for (const [lon, lat] of positions) if (internalPoints.has(`${lon.toFixed(7)},${lat.toFixed(7)}`)) expect.fail(`${code} carries an internal position ${lon},${lat}`);
    }
  });

  it('flags the shelters the commanders’ analysis finds near an active geohazard, without saying where it is', async () => {
    // Which counties' demo shelters stand near a demo geohazard is chance: check every county, and
    // require that at least one has such shelters.
    let checked = 0;
    for (const [code, { pack }] of packs) {
      const analysis = await ctx.api.call('/api/analysis/shelter-capacity', { method: 'POST', token: TOKENS.COMMANDER_TOKEN, body: { county: code } });
      expect(analysis.status).toBe(200);
      const expected = analysis.body.unsuitable.map((u: { id: string }) => u.id).sort();
      const flagged = pack.shelters.filter((s) => s.unsuitable.some((u) => u.reason === 'near_geohazard'));
      expect(flagged.map((s) => s.id).sort()).toEqual(expected);
      for (const s of flagged) {
        expect(s.unsuitable.filter((u) => u.reason === 'near_geohazard')).toEqual([{ hazard: 'geohazard', reason: 'near_geohazard' }, { hazard: 'earthquake', reason: 'near_geohazard' }]);
      }
      checked += expected.length;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('flags, per hazard, the county’s shelters the analysis rules out by a hazard zone, naming the zone', async () => {
    const county = new Map((await everything(ctx.api, 'shelters')).map((s) => [String(s.id), String(s.properties.county_code)]));
    let checked = 0;
    for (const [code, { pack }] of packs) {
      for (const hazard of ['flood', 'geohazard', 'earthquake']) {
        const analysis = await ctx.api.call('/api/analysis/shelter-capacity', {
          method: 'POST',
          token: TOKENS.COMMANDER_TOKEN,
          body: { county: code, hazard, metric: 'straight-line' },
        });
        expect(analysis.status).toBe(200);
        const zoned = new Map<string, { zoneId: string }>(
          (analysis.body.excluded as { id: string; reason: { code: string; params: { zoneId: string } } }[])
            .filter((e) => e.reason.code === 'shelter_in_hazard_zone')
            .map((e) => [e.id, e.reason.params]),
        );
        // One reason per hazard: near a geohazard point first (the pack's order), then the zone.
        const near = new Set(pack.shelters.filter((s) => s.unsuitable.some((u) => u.hazard === hazard && u.reason === 'near_geohazard')).map((s) => s.id));
        const own = pack.shelters.filter((s) => county.get(s.id) === code);
        const flagged = own.flatMap((s) => s.unsuitable.filter((u) => u.hazard === hazard && u.reason === 'in_hazard_zone').map((u) => [s.id, u.params?.zoneId]));
        const expected = [...zoned].filter(([id]) => !near.has(id)).map(([id, p]) => [id, p.zoneId]);
        expect(flagged.sort(), `${code} ${hazard}`).toEqual(expected.sort());
        checked += flagged.length;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('makes a new version of the changed county only; the old URL is kept one build, then answers 404', async () => {
    const jiangbei = packs.get('500105')!.pack;
    const target = jiangbei.shelters.find((s) => s.status === 'open')!;
    const feature = await ctx.api.call(`/api/layers/shelters/features/${target.id}`, { token: TOKENS.COMMANDER_TOKEN });
    const patch = await ctx.api.call(`/api/layers/shelters/features/${target.id}`, {
      method: 'PATCH',
      token: TOKENS.COMMANDER_TOKEN,
      body: { version: feature.body.version, properties: { status: 'full' } },
    });
    expect(patch.status).toBe(200);
    // Rebuilt once the write settles (server/store/layer-memo.ts), behind the requests, which get the last build until the new one is done.
    let next = manifest;
    for (let i = 0; i < 120 && next.generatedAt === manifest.generatedAt; i++) {
      await new Promise((r) => setTimeout(r, 500));
      next = (await ctx.api.call('/shelters/data/manifest.json')).body as PublicManifest;
    }
    expect(next.generatedAt > manifest.generatedAt).toBe(true);
    const before = new Map(manifest.areas.map((a) => [a.code, a.version]));
    const changed = next.areas.filter((a) => a.version !== before.get(a.code)).map((a) => a.code);
    expect(changed).toEqual(['500105']);
    // A phone that read the manifest just before the rebuild still gets the pack it names.
    const kept = await raw(ctx.api, `/shelters/data/${manifest.areas[0].url}`);
    expect(kept.status).toBe(200);
    expect(decodePack(kept.bytes).shelters.find((s) => s.id === target.id)!.status).toBe('open');
    const fresh = await raw(ctx.api, `/shelters/data/${next.areas[0].url}`);
    expect(decodePack(fresh.bytes).shelters.find((s) => s.id === target.id)!.status).toBe('full');

    // One build later the first URL is gone: only one generation is kept.
    const again = await ctx.api.call(`/api/layers/shelters/features/${target.id}`, { token: TOKENS.COMMANDER_TOKEN });
    const back = await ctx.api.call(`/api/layers/shelters/features/${target.id}`, {
      method: 'PATCH',
      token: TOKENS.COMMANDER_TOKEN,
      body: { version: again.body.version, properties: { status: 'closed' } },
    });
    expect(back.status).toBe(200);
    let third = next;
    for (let i = 0; i < 120 && third.generatedAt === next.generatedAt; i++) {
      await new Promise((r) => setTimeout(r, 500));
      third = (await ctx.api.call('/shelters/data/manifest.json')).body as PublicManifest;
    }
    expect(third.generatedAt > next.generatedAt).toBe(true);
    const old = await ctx.api.call(`/shelters/data/${manifest.areas[0].url}`);
    expect(old.status).toBe(404);
    expect((await raw(ctx.api, `/shelters/data/${next.areas[0].url}`)).status).toBe(200);
  });
});
