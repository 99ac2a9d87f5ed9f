import { describe, expect, it } from 'vitest';
import { LAYERS, fieldsFor } from '../../core/catalogue/index.js';
import { STORE_KINDS } from '../setup/store.js';
import { TOKENS, useTestApi } from '../setup/server.js';

const internalLayers = LAYERS.filter((l) => l.access === 'internal').map((l) => l.id);

describe.each(STORE_KINDS)('feature API on %s', (kind) => {
  const ctx = useTestApi(kind);

  it('lists only public layers and fields to anonymous callers, with counts', async () => {
    const { status, body } = await ctx.api.call('/api/layers');
    expect(status).toBe(200);
    expect(body.role).toBe('public');
    expect(body.layers.map((l: { id: string }) => l.id)).toEqual(['admin_units', 'hazard_zones', 'roads', 'experts', 'shelters']);
    const shelters = body.layers.find((l: { id: string }) => l.id === 'shelters');
    expect(shelters.count).toBeGreaterThan(200);
    expect(shelters.fields.map((f: { name: string }) => f.name)).not.toContain('phone');
  });

  it('lists every layer to a commander, with counts', async () => {
    const { body } = await ctx.api.call('/api/layers', { token: TOKENS.COMMANDER_TOKEN });
    expect(body.role).toBe('commander');
    expect(body.layers).toHaveLength(LAYERS.length);
    for (const l of body.layers) expect(l.count, l.id).toBeGreaterThan(0);
  });

  it('refuses internal layers without a token and serves them with one', async () => {
    for (const id of internalLayers) {
      const anon = await ctx.api.call(`/api/layers/${id}/features`);
      expect(anon.status, id).toBe(401);
      expect(anon.body.error.message).toMatch(/Bearer/);
    }
    const depots = await ctx.api.call('/api/layers/depots/features', { token: TOKENS.ADMIN_TOKEN });
    expect(depots.status).toBe(200);
    expect(depots.body.features.length).toBeGreaterThan(0);
    expect(Array.isArray(depots.body.features[0].properties.inventory)).toBe(true);
  });

  it('refuses a wrong token instead of treating it as anonymous', async () => {
    const res = await ctx.api.call('/api/layers', { token: 'not-a-token' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('never returns an internal field to anonymous callers', async () => {
    for (const layer of LAYERS.filter((l) => l.access === 'public')) {
      const allowed = new Set(fieldsFor(layer, 'public').map((f) => f.name));
      // Every page: the public road layer has more features than one page holds.
      const features: { id: string; properties: object }[] = [];
      for (let matched = Infinity; features.length < matched; ) {
        const { body } = await ctx.api.call(`/api/layers/${layer.id}/features?limit=10000&offset=${features.length}`);
        matched = body.numberMatched;
        expect(body.numberReturned, layer.id).toBeGreaterThan(0);
        features.push(...body.features);
      }
      const keys = new Set(features.flatMap((f) => Object.keys(f.properties)));
      expect([...keys].filter((k) => !allowed.has(k)), layer.id).toEqual([]);
      const one = await ctx.api.call(`/api/layers/${layer.id}/features/${encodeURIComponent(features[0].id)}`);
      expect(Object.keys(one.body.properties).every((k) => allowed.has(k))).toBe(true);
    }
    const withToken = await ctx.api.call('/api/layers/shelters/features?limit=1', { token: TOKENS.COMMANDER_TOKEN });
    expect(withToken.body.features[0].properties).toHaveProperty('phone');
  });

  it('pages with limit and offset and reports numberMatched / numberReturned', async () => {
    const all = await ctx.api.call('/api/layers/shelters/features?limit=10000');
    const page1 = await ctx.api.call('/api/layers/shelters/features?limit=5&offset=0');
    const page2 = await ctx.api.call('/api/layers/shelters/features?limit=5&offset=5');
    expect(page1.body.type).toBe('FeatureCollection');
    expect(page1.headers.get('content-type')).toMatch(/application\/geo\+json/);
    expect(page1.body.numberMatched).toBe(all.body.numberMatched);
    expect(page1.body.numberReturned).toBe(5);
    expect([...page1.body.features, ...page2.body.features].map((f: { id: string }) => f.id)).toEqual(
      all.body.features.slice(0, 10).map((f: { id: string }) => f.id),
    );
  });

  it('filters by bbox, by field values and by name', async () => {
    const jiangbei = await ctx.api.call('/api/layers/shelters/features?county_code=500105&limit=10000');
    expect(jiangbei.body.numberMatched).toBe(48);
    expect(jiangbei.body.features.every((f: any) => f.properties.county_code === '500105')).toBe(true);

    const [lon, lat] = jiangbei.body.features[0].geometry.coordinates;
    const box = `${lon - 0.001},${lat - 0.001},${lon + 0.001},${lat + 0.001}`;
    const inBox = await ctx.api.call(`/api/layers/shelters/features?bbox=${box}`);
    expect(inBox.body.features.map((f: { id: string }) => f.id)).toContain(jiangbei.body.features[0].id);
    for (const f of inBox.body.features) {
      const [x, y] = f.geometry.coordinates;
      expect(Math.abs(x - lon) <= 0.001 && Math.abs(y - lat) <= 0.001).toBe(true);
    }

    const emergency = await ctx.api.call('/api/layers/shelters/features?class=emergency,central&limit=10000');
    expect(emergency.body.numberMatched).toBeGreaterThan(0);
    expect(emergency.body.features.every((f: any) => ['emergency', 'central'].includes(f.properties.class))).toBe(true);

    const flood = await ctx.api.call('/api/layers/shelters/features?hazards=flood&limit=10000');
    expect(flood.body.features.every((f: any) => f.properties.hazards.includes('flood'))).toBe(true);

    const name = jiangbei.body.features[0].properties.name as string;
    const byName = await ctx.api.call(`/api/layers/shelters/features?q=${encodeURIComponent(name)}`);
    expect(byName.body.features.map((f: any) => f.properties.name)).toContain(name);
    const none = await ctx.api.call(`/api/layers/shelters/features?q=${encodeURIComponent('%_不存在的名字')}`);
    expect(none.body.numberMatched).toBe(0);
  });

  it('answers every bad parameter with 400 naming it', async () => {
    const cases: [string, string][] = [
      ['bbox=1,2,3', 'bbox'],
      ['bbox=500000,3000000,510000,3010000', 'bbox'],
      ['bbox=107,30,106,29', 'bbox'],
      ['limit=0', 'limit'],
      ['limit=100000', 'limit'],
      ['offset=-1', 'offset'],
      ['class=castle', 'class'],
      ['colour=red', 'colour'],
      ['phone=123', 'phone'],
      ['limit=1&limit=2', 'limit'],
    ];
    for (const [query, parameter] of cases) {
      const res = await ctx.api.call(`/api/layers/shelters/features?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.parameter, query).toBe(parameter);
      expect(res.body.error.message.length, query).toBeGreaterThan(20);
    }
  });

  it('answers unknown layers, features and endpoints with 404', async () => {
    expect((await ctx.api.call('/api/layers/castles/features')).status).toBe(404);
    expect((await ctx.api.call('/api/layers/shelters/features/no-such-id')).status).toBe(404);
    expect((await ctx.api.call('/api/nothing')).status).toBe(404);
  });

  it('serves the five areas with extents from the store, and the demo flag', async () => {
    const areas = await ctx.api.call('/api/areas');
    expect(areas.body.map((a: { code: string }) => a.code).sort()).toEqual(['500105', '500117', '500151', '500237', '510802']);
    const lizhou = areas.body.find((a: { code: string }) => a.code === '510802');
    expect(lizhou.population).toBe(621978);
    expect(lizhou.bbox[1]).toBeGreaterThan(32);
    const config = await ctx.api.call('/api/config');
    expect(config.body).toEqual({ demo: true, basemaps: [] });
  });

  it('rejects oversized JSON bodies with 413', async () => {
    const res = await ctx.api.call('/api/layers', { method: 'POST', body: { x: 'a'.repeat(2_000_000) } });
    expect(res.status).toBe(413);
  });
});
