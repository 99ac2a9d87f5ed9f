/**
 * The issue-14 layers through the API on real PostGIS: experts and hazard zones are served to
 * everyone without their internal fields (an expert's phone, a record's source), in full to staff;
 * filters work on their enum fields; the shelter analysis leaves out shelters inside a flood zone
 * when asked about floods, with the reason as a Note.
 */
import { describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../setup/store.js';
import { TOKENS, useTestApi } from '../setup/server.js';

describe.each(STORE_KINDS)('experts, hazard zones and zone suitability on %s', (kind) => {
  const ctx = useTestApi(kind);
  const token = TOKENS.COMMANDER_TOKEN;

  it('serves experts to anonymous callers without phone or source, and with them to a commander', async () => {
    const anon = await ctx.api.call('/api/layers/experts/features?county_code=500105&limit=1000');
    expect(anon.status).toBe(200);
    expect(anon.body.features.length).toBeGreaterThanOrEqual(9);
    for (const f of anon.body.features) {
      expect(f.geometry.type).toBe('Point');
      expect(Object.keys(f.properties)).not.toContain('phone');
      expect(Object.keys(f.properties)).not.toContain('source');
      expect(f.properties.unit).toMatch(/^江北区/);
    }
    const staff = await ctx.api.call('/api/layers/experts/features?county_code=500105&limit=1000', { token });
    expect(staff.body.features.every((f: any) => /^023-0000-\d{4}$/.test(f.properties.phone))).toBe(true);
    expect(staff.body.features.every((f: any) => String(f.properties.source).startsWith('demo'))).toBe(true);
    const floods = await ctx.api.call('/api/layers/experts/features?specialty=flood&limit=1000');
    expect(floods.body.features.length).toBeGreaterThan(0);
    expect(floods.body.features.every((f: any) => f.properties.specialty === 'flood')).toBe(true);
  });

  it('serves hazard zones as polygons with hazard and level, the source to staff only', async () => {
    const anon = await ctx.api.call('/api/layers/hazard_zones/features?county_code=500105&kind=flood_risk&limit=1000');
    expect(anon.status).toBe(200);
    expect(anon.body.features.length).toBe(4); // 长江 and 嘉陵江, a high and a medium band each
    for (const f of anon.body.features) {
      expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
      expect(f.properties).toMatchObject({ kind: 'flood_risk', hazard: 'flood', county_code: '500105' });
      expect(['high', 'medium']).toContain(f.properties.level);
      expect(f.properties).not.toHaveProperty('source');
    }
    const staff = await ctx.api.call(`/api/layers/hazard_zones/features/${encodeURIComponent(anon.body.features[0].id)}`, { token });
    expect(staff.body.properties.source).toMatch(/^demo/);
  });

  it('shows equipment lists of teams and stations to staff', async () => {
    const teams = await ctx.api.call('/api/layers/rescue_teams/features?county_code=500237&limit=5', { token });
    expect(teams.body.features[0].properties.equipment[0]).toEqual({ item: expect.any(String), quantity: expect.any(Number) });
    const stations = await ctx.api.call('/api/layers/fire_stations/features?county_code=500105&type=class1&limit=5', { token });
    const s = stations.body.features.find((f: any) => f.properties.vehicle_list);
    expect(s.properties.vehicle_list.reduce((a: number, v: any) => a + v.quantity, 0)).toBe(s.properties.vehicles);
  });

  it('leaves shelters inside a flood zone out of a flood analysis, saying why, and counts them otherwise', async () => {
    const post = (body: unknown) => ctx.api.call('/api/analysis/shelter-capacity', { method: 'POST', body, token });
    const flood = await post({ county: '500105', hazard: 'flood', metric: 'straight-line' });
    expect(flood.status).toBe(200);
    const zoned = flood.body.excluded.filter((e: any) => e.reason.code === 'shelter_in_hazard_zone');
    expect(zoned.length).toBeGreaterThan(0);
    for (const e of zoned) {
      expect(e.reason.code).toBe('shelter_in_hazard_zone');
      expect(e.reason.params.hazard).toBe('flood');
      expect(e.zones[0].name).toMatch(/洪水风险区/);
    }
    // Those shelters stand inside one of the zones the layer serves (PostGIS agrees with the analysis).
    const zones = await ctx.api.call('/api/layers/hazard_zones/features?county_code=500105&hazard=flood&limit=1000');
    const zoneIds = new Set(zones.body.features.filter((f: any) => f.properties.level !== 'low').map((f: any) => f.id));
    for (const e of zoned) expect(zoneIds.has(e.zones[0].id)).toBe(true);
    const quake = await post({ county: '500105', hazard: 'earthquake', metric: 'straight-line' });
    const zonedIds = new Set(zoned.map((e: any) => e.id));
    expect(quake.body.excluded.filter((e: any) => zonedIds.has(e.id) && e.reason.code === 'shelter_in_hazard_zone')).toEqual([]);
  });
});
