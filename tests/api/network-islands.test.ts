/**
 * The islands map layer and the connectivity setting (issue 14) on the real stores: the pieces of
 * every county's roads (all but each county's largest, with their links and nodes) for staff only;
 * an overpass file whose pieces change with the rule — imported as detected, changed by an admin
 * in settings (the graph rebuilt: the answer and the layer follow), chosen on import.
 *
 * The fixture (tests/fixtures/roads/island-overpass.geojson, 合川): under end points A+C (4 nodes),
 * the overpass B (3) and the fragment D (2) are three pieces; at any shared vertex A+B+C (6) and D (2).
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NetworkPieces } from '../../core/network/islands.js';
import { STORE_KINDS } from '../setup/store.js';
import { TOKENS, useTestApi } from '../setup/server.js';

const FILE = 'tests/fixtures/roads/island-overpass.geojson';
const HECHUAN = '500117';
const staff = { token: TOKENS.COMMANDER_TOKEN };
const admin = { token: TOKENS.ADMIN_TOKEN };

describe.each(STORE_KINDS)('network islands and connectivity on %s', (kind) => {
  const ctx = useTestApi(kind);

  const importRoads = async (query: string) => {
    const res = await fetch(`${ctx.api.url}/api/layers/roads/import?filename=island-overpass.geojson&mode=replace&dryRun=false${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/geo+json', authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` },
      body: new Uint8Array(fs.readFileSync(FILE)),
    });
    return { status: res.status, body: (await res.json()) as { network: unknown } };
  };
  const setRule = (body: unknown, who = admin) => ctx.api.call('/api/network/connectivity', { method: 'PUT', body, ...who });
  const islandsOf = async (county: string): Promise<NetworkPieces> => (await ctx.api.call(`/api/network/components?county=${county}`, staff)).body;

  it('answers the public 401: the pieces are internal', async () => {
    const res = await ctx.api.call('/api/network/components');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('without a county, every county\'s pieces but its largest, each with its county, links and nodes', async () => {
    const res = await ctx.api.call('/api/network/components', staff);
    const { status } = res;
    const body = res.body as NetworkPieces;
    expect(status).toBe(200);
    const counties = Object.keys(body.counties);
    expect(counties).toEqual(['500105', '500117', '500151', '500237', '510802']);
    for (const c of counties) {
      const mine = body.features.filter((f) => f.properties.county === c);
      expect(mine).toHaveLength(body.counties[c].count - 1);
      for (const f of mine) {
        expect(f.properties.component).toBeGreaterThan(0);
        expect(f.properties.links).toBe(f.geometry.coordinates.length);
        expect(f.properties.share).toBeCloseTo(f.properties.nodes / body.counties[c].nodes, 12);
      }
    }
    // The whole graph's summary counts every county's pieces.
    expect(body.summary.nodes).toBe(counties.reduce((n, c) => n + body.counties[c].nodes, 0));
  });

  it('an overpass file imported as detected (end points) has the overpass and the fragment as islands', async () => {
    const imported = await importRoads('');
    expect(imported.status).toBe(200);
    expect(imported.body.network).toMatchObject({ connectivity: 'endpoints', connectivityFrom: 'detected', counties: [HECHUAN], links: 6, count: 3, nodes: 9 });
    expect((await ctx.api.call('/api/network/connectivity')).body.rules[HECHUAN]).toBe('endpoints');

    const layer = await islandsOf(HECHUAN);
    expect(layer.summary).toMatchObject({ count: 3, nodes: 9, largestShare: 4 / 9 });
    expect(layer.features.map((f) => f.properties)).toEqual([
      { county: HECHUAN, component: 1, nodes: 3, links: 2, share: 3 / 9 },
      { county: HECHUAN, component: 2, nodes: 2, links: 1, share: 2 / 9 },
    ]);
    expect(layer.features[0].geometry.coordinates).toEqual([
      [[106.27, 29.98], [106.27, 29.99]],
      [[106.27, 29.99], [106.27, 30.0]],
    ]);
    expect(layer.features[1].geometry.coordinates).toEqual([[[106.3, 30.02], [106.301, 30.02]]]);
  });

  it('an admin changes the county\'s rule in settings: the graph is rebuilt, the overpass joins, the fragment stays', async () => {
    const ok = await setRule({ county: HECHUAN, connectivity: 'vertices' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ county: HECHUAN, connectivity: 'vertices', network: { count: 2, nodes: 8, largestShare: 6 / 8 } });
    expect(ok.body.rules[HECHUAN]).toBe('vertices');
    const layer = await islandsOf(HECHUAN);
    expect(layer.features.map((f) => f.properties)).toEqual([{ county: HECHUAN, component: 1, nodes: 2, links: 1, share: 2 / 8 }]);
    const all = (await ctx.api.call('/api/network/connectivity')).body;
    expect(all.fallback).toBe('vertices');
    expect(all.choices).toEqual(['endpoints', 'vertices', 'osm']);
  });

  it('refuses a commander, an unknown county and an unknown rule with the error shape', async () => {
    const commander = await setRule({ county: HECHUAN, connectivity: 'endpoints' }, staff);
    expect(commander.status).toBe(401);
    expect(commander.body.error.code).toBe('unauthorized');
    const county = await setRule({ county: '999999', connectivity: 'endpoints' });
    expect(county.status).toBe(400);
    expect(county.body.error).toMatchObject({ code: 'bad_parameter', parameter: 'county' });
    const rule = await setRule({ county: HECHUAN, connectivity: 'junctions' });
    expect(rule.status).toBe(400);
    expect(rule.body.error).toMatchObject({ code: 'bad_parameter', parameter: 'connectivity' });
    const badCounty = await ctx.api.call('/api/network/components?county=999999', staff);
    expect(badCounty.status).toBe(400);
    expect(badCounty.body.error).toMatchObject({ code: 'bad_parameter', parameter: 'county' });
    // Nothing changed.
    expect((await ctx.api.call('/api/network/connectivity')).body.rules[HECHUAN]).toBe('vertices');
  });

  it('a rule chosen on import is stored and used', async () => {
    const imported = await importRoads('&connectivity=endpoints');
    expect(imported.body.network).toMatchObject({ connectivity: 'endpoints', connectivityFrom: 'request', count: 3 });
    expect((await ctx.api.call('/api/network/connectivity')).body.rules[HECHUAN]).toBe('endpoints');
    expect((await islandsOf(HECHUAN)).features).toHaveLength(2);
  });
});
