import { describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '../../core/geo/crs.js';
import { STORE_KINDS } from '../setup/store.js';
import { TOKENS, useTestApi } from '../setup/server.js';

const token = TOKENS.COMMANDER_TOKEN;
/** 大石街道, 合川 (demo data). */
const HECHUAN: [number, number] = [106.27, 29.99];
/** Demo 土场镇 in the south-west of 合川, 500 m from a road of 铜梁 (500151) and farther from 合川's. */
const BORDER: [number, number] = [106.23, 29.92];
/** Demo 二郎镇, inside 合川 and about 1.75 km from the nearest demo road. */
const NO_ROAD: [number, number] = [105.985, 30.245];

describe.each(STORE_KINDS)('closest facilities API on %s', (kind) => {
  const ctx = useTestApi(kind);
  const post = (path: string, body: unknown, t = token) => ctx.api.call(`/api/analysis/${path}`, { method: 'POST', body, token: t || undefined });

  it('answers 401 to anonymous callers', async () => {
    expect((await post('closest', { origin: HECHUAN }, '')).status).toBe(401);
    expect((await post('incident', { origin: HECHUAN, hazard: 'flood' }, '')).status).toBe(401);
  });

  it('ranks every resource layer by drive time, with tiers and routes from the facility to the incident', async () => {
    const { status, body } = await post('closest', { origin: HECHUAN });
    expect(status).toBe(200);
    expect(body.origin).toMatchObject({ lon: 106.27, lat: 29.99, county: '500117' });
    expect(body.origin.snapDistanceM).toBeLessThan(1000);
    expect(body.groups.map((g: any) => g.key)).toEqual(['fire_stations', 'micro_fire_stations', 'rescue_teams', 'depots', 'shelters', 'experts']);
    expect(body.messages.filter((m: any) => m.code === 'no_layer')).toEqual([]);
    expect(body.groups.find((g: any) => g.key === 'experts').items[0].properties).toHaveProperty('unit');
    for (const g of body.groups) {
      expect(g.items.length, g.key).toBeGreaterThan(0);
      expect(g.items.length).toBeLessThanOrEqual(10);
      const etas = g.items.map((i: any) => i.etaMinutes);
      expect(etas).toEqual([...etas].sort((a, b) => a - b));
      for (const i of g.items) {
        expect(i.tier).toBe([30, 60, 120].find((m) => i.etaMinutes <= m) ?? null);
        expect(i.route.at(-1)).toEqual(body.origin.road.map((x: number) => Math.round(x * 1e7) / 1e7));
        expect(i.distanceM).toBeGreaterThan(0);
      }
    }
    const stations = body.groups.find((g: any) => g.key === 'fire_stations');
    const micro = body.groups.find((g: any) => g.key === 'micro_fire_stations');
    expect(stations.items.every((i: any) => i.properties.type !== 'micro')).toBe(true);
    expect(micro.items.every((i: any) => i.properties.type === 'micro')).toBe(true);
    expect(body.groups.find((g: any) => g.key === 'depots').items[0].properties.inventory.length).toBeGreaterThan(0);
    const only = await post('closest', { origin: HECHUAN, layers: ['rescue_teams'], limit: 3, tiers: [10, 20] });
    expect(only.body.groups.map((g: any) => g.key)).toEqual(['rescue_teams']);
    expect(only.body.groups[0].items).toHaveLength(3);
    expect(only.body.groups[0].items[0].properties).toHaveProperty('members');
  });

  it('counts resources across the county border: an incident in 合川 whose nearest road is 铜梁’s', async () => {
    // The demo's five road networks do not join (no cross-border roads in the demo data), so here the
    // incident snaps to 铜梁's network and 铜梁's stations answer; nothing filters by county.
    const { body } = await post('closest', { origin: BORDER, layers: ['fire_stations'], limit: 100 });
    expect(body.origin.county).toBe('500117');
    const counties = new Set(body.groups.flatMap((g: any) => g.items.map((i: any) => i.properties.county_code)));
    expect(counties.has('500151')).toBe(true);
  });

  it('takes GCJ-02 origins', async () => {
    const { body } = await post('closest', { origin: wgs84ToGcj02(HECHUAN), crs: 'gcj02', layers: ['depots'] });
    expect(body.origin.lon).toBeCloseTo(HECHUAN[0], 5);
    expect(body.origin.lat).toBeCloseTo(HECHUAN[1], 5);
  });

  it('a closure on the fastest route raises that station’s ETA, and says which closures applied', async () => {
    const before = (await post('closest', { origin: HECHUAN, layers: ['fire_stations'], limit: 50 })).body.groups[0].items;
    const first = before[0];
    // A point in the middle of a road link the first route runs along (nodes are route[2] … route[n-2]).
    const k = Math.max(2, Math.floor(first.route.length / 2) - 1);
    const [a, b] = [first.route[k], first.route[k + 1]];
    const closure = { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] } };
    const { status, body } = await post('closest', { origin: HECHUAN, layers: ['fire_stations'], limit: 50, closures: [closure] });
    expect(status).toBe(200);
    expect(body.closures).toEqual([{ index: 0, kind: 'Point', linksClosed: 1 }]);
    const again = body.groups[0].items.find((i: any) => i.id === first.id);
    expect(again.etaMinutes).toBeGreaterThan(first.etaMinutes);
    expect(body.groups[0].items[0].etaMinutes).toBeGreaterThanOrEqual(first.etaMinutes);
    const far = await post('closest', { origin: HECHUAN, layers: ['fire_stations'], closures: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: null, geometry: { type: 'Point', coordinates: NO_ROAD } }] } });
    expect(far.body.closures).toEqual([{ index: 0, kind: 'Point', linksClosed: 0 }]);
    expect(far.body.messages).toContainEqual({ code: 'closure_no_road', params: { index: 0 } });
  });

  it('errors as codes with parameters: outside every county, no road near, cut off, unknown hazard', async () => {
    const outside = await post('closest', { origin: [116.4, 39.9] });
    expect(outside.status).toBe(400);
    expect(outside.body.error).toMatchObject({ code: 'outside_area', parameter: 'origin', params: { lon: 116.4, lat: 39.9 } });

    const noRoad = await post('closest', { origin: NO_ROAD });
    expect(noRoad.status).toBe(400);
    expect(noRoad.body.error).toMatchObject({ code: 'no_road_nearby', parameter: 'origin', params: { maxSnapM: 1000 } });
    expect(noRoad.body.error.params.nearestRoadM).toBeGreaterThan(1000);

    const road = (await post('closest', { origin: HECHUAN, layers: ['depots'] })).body.origin.road;
    const d = 0.003;
    const ring = [[road[0] - d, road[1] - d], [road[0] + d, road[1] - d], [road[0] + d, road[1] + d], [road[0] - d, road[1] + d], [road[0] - d, road[1] - d]];
    const cut = await post('closest', { origin: HECHUAN, closures: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } }] });
    expect(cut.status).toBe(409);
    expect(cut.body.error).toMatchObject({ code: 'origin_disconnected', parameter: 'closures' });

    const hazard = await post('incident', { origin: HECHUAN, hazard: 'meteor' });
    expect(hazard.status).toBe(400);
    expect(hazard.body.error).toMatchObject({ code: 'bad_parameter', parameter: 'hazard' });
    const layer = await post('closest', { origin: HECHUAN, layers: ['roads'] });
    expect(layer.body.error).toMatchObject({ code: 'bad_parameter', parameter: 'layers' });
  });

  it('assesses an incident in 合川 with 3,000 affected people: supplies, shelter places, threats and warnings', async () => {
    const { status, body } = await post('incident', { origin: HECHUAN, hazard: 'geohazard', affectedPersons: 3000, area: { radiusM: 3000 } });
    expect(status).toBe(200);
    expect(body.affected).toMatchObject({ persons: 3000, estimated: false, method: 'typed' });
    expect(body.supply.rates.map((r: any) => r.item)).toEqual(['tent', 'quilt', 'folding_bed', 'clothing', 'drinking_water', 'food']);
    const needs = body.supply.tiers[0].items.map((i: any) => [i.item, i.need]);
    expect(needs).toEqual([['tent', 875], ['quilt', 3000], ['folding_bed', 3000], ['clothing', 3000], ['drinking_water', 750], ['food', 750]]);
    for (const t of body.supply.tiers) for (const i of t.items) expect(i.shortfall).toBe(Math.max(0, i.need - i.available));
    const avail = body.supply.tiers.map((t: any) => t.items[1].available);
    expect(avail).toEqual([...avail].sort((a, b) => a - b));
    expect(body.shelterPlaces).toMatchObject({ toEvacuate: 3000, walkMinutes: 30 });
    expect(body.shelterPlaces.shortfall).toBe(Math.max(0, 3000 - body.shelterPlaces.places));
    expect(body.threatened.residents).toBe(body.threatened.towns.reduce((s: number, t: any) => s + t.residents, 0));
    expect(body.threatened.towns[0].code).toMatch(/^500117/);
    expect(body.threatened.geohazards.length).toBeGreaterThan(0);
    expect(body.warn.monitors.length).toBe(body.threatened.geohazards.length);
    expect(body.warn.monitors[0].phone).toMatch(/\d/);
    const shelters = body.closest.groups.find((g: any) => g.key === 'shelters');
    expect(shelters.items.every((i: any) => typeof i.properties.suitable === 'boolean')).toBe(true);

    const estimated = await post('incident', { origin: HECHUAN, hazard: 'flood', area: { driveMinutes: 5 }, layers: ['rescue_teams'] });
    expect(estimated.status).toBe(200);
    expect(estimated.body.affected).toMatchObject({ estimated: true, method: 'drive' });
    expect(estimated.body.affected.persons).toBe(estimated.body.threatened.residents);
    expect(estimated.body.affected.persons).toBeGreaterThan(0);
    expect(estimated.body.messages.map((m: any) => m.code)).toContain('population_demo');
    expect(estimated.body.supply.tiers[2].items[0].available).toBeGreaterThan(0);
  });

  it('says when the incident reaches the roads on a small island (last: it adds a road)', async () => {
    expect((await post('closest', { origin: HECHUAN })).body.networkNotes).toBeUndefined();
    // A 1-link road in 合川 touching no other road (tests/fixtures/roads/two-districts.geojson's fragment).
    const fragment = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', id: 'island-1', properties: { class: 'tertiary' }, geometry: { type: 'LineString', coordinates: [[106.3, 30.02], [106.301, 30.02]] } }],
    };
    const imported = await fetch(`${ctx.api.url}/api/layers/roads/import?filename=island.geojson&mode=append&dryRun=false`, {
      method: 'POST',
      headers: { 'content-type': 'application/geo+json', authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` },
      body: JSON.stringify(fragment),
    });
    expect(imported.status).toBe(200);
    const { status, body } = await post('closest', { origin: [106.3005, 30.0201] });
    expect(status).toBe(200);
    expect(body.networkNotes).toEqual([{ code: 'network_island_origin', params: { ref: 0, nodes: 2, networkNodes: expect.any(Number) } }]);
  });
});
