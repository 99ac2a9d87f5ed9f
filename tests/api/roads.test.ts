/**
 * Road networks as they are (issue 14) on the real stores: a scoped replace that leaves a third
 * district's roads, its dry run counting exactly what the real run deletes; the connectivity
 * parameter, stored and detected (OSM tags); the pieces in the import report and as a map layer;
 * the island warning; the outside-the-area check against the county polygons.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../server/store/index.js';
import { STORE_KINDS } from '../setup/store.js';
import { TOKENS, useTestApi } from '../setup/server.js';

const DIR = 'tests/fixtures/roads/';

async function roadsByCounty(db: Db): Promise<Record<string, number>> {
  const rows = await db.query<{ c: string; n: number }>(
    "SELECT coalesce(properties ->> 'county_code', '') AS c, count(*)::int AS n FROM features WHERE layer = 'roads' GROUP BY 1 ORDER BY 1",
  );
  return Object.fromEntries(rows.map((r) => [r.c, r.n]));
}

describe.each(STORE_KINDS)('road imports on %s', (kind) => {
  const ctx = useTestApi(kind);

  async function post(layer: string, file: string, query: string, type = 'application/geo+json') {
    const res = await fetch(`${ctx.api.url}/api/layers/${layer}/import?filename=${file}&${query}`, {
      method: 'POST',
      headers: { 'content-type': type, authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` },
      body: new Uint8Array(fs.readFileSync(DIR + file)),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  it('refuses a connectivity that is not a rule, or on a layer that is not the road network', async () => {
    const bad = await post('roads', 'two-districts.geojson', 'connectivity=nodes');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'bad_parameter', parameter: 'connectivity' });
    const notRoads = await post('shelters', 'shelters-between-counties.csv', 'connectivity=endpoints', 'text/csv');
    expect(notRoads.status).toBe(400);
    expect(notRoads.body.error.parameter).toBe('connectivity');
  });

  it('replace with county= deletes only that county, whatever else the file holds', async () => {
    const before = await roadsByCounty(ctx.store.db);
    const dry = await post('roads', 'two-districts.geojson', 'mode=replace&county=500151');
    expect(dry.body.deletedByCounty).toEqual({ '500151': before['500151'], '500105': 0, '500117': 0 });
    expect(dry.body.deleted).toBe(before['500151']);
    // The file's roads lie in 江北 and 合川, not in 铜梁: all five are outside the county asked for.
    expect(dry.body.warnings).toContainEqual({ code: 'outside_county', params: { count: 5, features: 5, county: '500151' } });
  });

  it('replace replaces the two districts the file covers and leaves the others; the dry run deletes exactly what the real run does', async () => {
    const before = await roadsByCounty(ctx.store.db);
    expect(Object.keys(before)).toEqual(['500105', '500117', '500151', '500237', '510802']);
    const dry = await post('roads', 'two-districts.geojson', 'mode=replace');
    expect(dry.status).toBe(200);
    expect(dry.body.deletedByCounty).toEqual({ '500105': before['500105'], '500117': before['500117'] });
    expect(dry.body.deleted).toBe(before['500105'] + before['500117']);
    expect(await roadsByCounty(ctx.store.db)).toEqual(before);

    const real = await post('roads', 'two-districts.geojson', 'mode=replace&dryRun=false');
    expect(real.status).toBe(200);
    expect(real.body.deletedByCounty).toEqual(dry.body.deletedByCounty);
    expect(real.body.deleted).toBe(dry.body.deleted);
    expect(real.body.inserted).toBe(5);
    expect(await roadsByCounty(ctx.store.db)).toEqual({ ...before, '500105': 2, '500117': 3 });

    // The report: the file's network under the detected rule (no OSM tags: end points), in pieces.
    expect(real.body.network).toEqual({
      connectivity: 'endpoints',
      connectivityFrom: 'detected',
      counties: ['500105', '500117'],
      links: 6,
      count: 3,
      // jb-1's mid vertex is a node of its own: 4 + 3 + 2.
      nodes: 9,
      largestShare: 4 / 9,
      islands: 0,
      islandNodes: 0,
    });
    const rules = await ctx.api.call('/api/network/connectivity');
    expect(rules.body.rules).toEqual({ '500105': 'endpoints', '500117': 'endpoints' });
  });

  it('the islands are a map layer, per county', async () => {
    const all = await ctx.api.call('/api/network/components?county=500117', { token: TOKENS.COMMANDER_TOKEN });
    expect(all.status).toBe(200);
    expect(all.body.summary).toMatchObject({ count: 2, nodes: 5, largestShare: 3 / 5 });
    expect(all.body.features).toHaveLength(1);
    expect(all.body.features[0].geometry.coordinates).toEqual([[[106.3, 30.02], [106.301, 30.02]]]);
    const bad = await ctx.api.call('/api/network/components?county=999999', { token: TOKENS.COMMANDER_TOKEN });
    expect(bad.status).toBe(400);
  });

  it('an OSM-tagged file is detected as osm; the bridge and tunnel do not join the road they cross', async () => {
    // Appended, the OSM ways are measured under 江北's stored rule (set by the replace above).
    const appended = await post('roads', 'osm-bridge.geojson', 'mode=append');
    expect(appended.body.network).toMatchObject({ connectivity: 'endpoints', connectivityFrom: 'stored' });
    const { status, body } = await post('roads', 'osm-bridge.geojson', 'mode=replace');
    expect(status).toBe(200);
    expect(body.rejectedCount).toBe(0);
    expect(body.columns).toMatchObject({ highway: 'class', maxspeed: 'speed_kmh', oneway: 'oneway', layer: 'layer', bridge: 'bridge', tunnel: 'tunnel' });
    // Replacing 江北's roads (a dry run): the OSM ways alone, 16 nodes in 3 pieces.
    expect(body.network).toMatchObject({ connectivity: 'osm', connectivityFrom: 'detected', counties: ['500105'], count: 3, nodes: 16 });
    const forced = await post('roads', 'osm-bridge.geojson', 'mode=replace&connectivity=vertices');
    expect(forced.body.network).toMatchObject({ connectivity: 'vertices', connectivityFrom: 'request', count: 1, nodes: 14 });
  });

  it('connectivity is a setting an admin changes, and the analyses read it', async () => {
    const refused = await ctx.api.call('/api/network/connectivity', { method: 'PUT', token: TOKENS.COMMANDER_TOKEN, body: { county: '500105', connectivity: 'vertices' } });
    expect(refused.status).toBe(401);
    const bad = await ctx.api.call('/api/network/connectivity', { method: 'PUT', token: TOKENS.ADMIN_TOKEN, body: { county: '500105', connectivity: 'all' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.parameter).toBe('connectivity');
    const pieces = async () => (await ctx.api.call('/api/network/components?county=500117', { token: TOKENS.COMMANDER_TOKEN })).body.summary.count as number;
    expect(await pieces()).toBe(2);
    // 合川's three links at every shared vertex are still two pieces (the fragment shares none).
    const ok = await ctx.api.call('/api/network/connectivity', { method: 'PUT', token: TOKENS.ADMIN_TOKEN, body: { county: '500117', connectivity: 'vertices' } });
    expect(ok.body.rules['500117']).toBe('vertices');
    expect(await pieces()).toBe(2);
  });

  it('an isochrone from the cut-off fragment warns that its origin is on an island', async () => {
    // Five counties' demo roads in one graph: the 2-node fragment is far below 1 % of the nodes.
    const iso = await ctx.api.call('/api/analysis/isochrone', { method: 'POST', body: { origins: [[106.3005, 30.0201], [106.5745, 29.606]], minutes: [10] } });
    expect(iso.status).toBe(200);
    expect(iso.body.networkNotes).toEqual([{ code: 'network_island_origin', params: { ref: 0, nodes: 2, networkNodes: expect.any(Number) } }]);
  });

  it('the outside-the-area check uses the county polygons: a point inside the counties\' box but in no county is flagged', async () => {
    const { status, body } = await post('shelters', 'shelters-between-counties.csv', 'crs=wgs84', 'text/csv');
    expect(status).toBe(200);
    expect(body.warnings).toContainEqual({ code: 'outside_counties', params: { count: 1, features: 2 } });
  });
});
