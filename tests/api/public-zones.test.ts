/**
 * Hazard zones on the seeded store: a demo shelter inside a demo flood zone (found by query, not
 * by name) is unsuitable for floods in its county's public pack, with the zone named, and the
 * incident assessment of a flood beside it does not count its places; deleting the zones that hold
 * it (the edit API, as admin) makes a new pack in which it is suitable again, and the assessment
 * counts it.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { decodePack, type PackShelter, type PublicManifest } from '../../core/public/pack.js';
import { STORE_KINDS } from '../setup/store.js';
import { TOKENS, useTestApi, type TestServer } from '../setup/server.js';

interface F<G> {
  id: string;
  version: number;
  geometry: G;
  properties: { name?: string; status?: string; hazards?: string[]; capacity?: number; county_code?: string; level?: string };
}

async function everything<G>(api: TestServer, layer: string, query = ''): Promise<F<G>[]> {
  const out: F<G>[] = [];
  for (let matched = Infinity; out.length < matched; ) {
    const { body } = await api.call(`/api/layers/${layer}/features?limit=10000&offset=${out.length}${query}`, { token: TOKENS.ADMIN_TOKEN });
    matched = body.numberMatched;
    out.push(...body.features);
  }
  return out;
}

async function packShelter(api: TestServer, county: string, id: string): Promise<{ version: string; shelter: PackShelter }> {
  const manifest = (await api.call('/shelters/data/manifest.json')).body as PublicManifest;
  const area = manifest.areas.find((a) => a.code === county)!;
  const res = await fetch(`${api.url}/shelters/data/${area.url}`);
  expect(res.status).toBe(200);
  const pack = decodePack(new Uint8Array(await res.arrayBuffer()));
  return { version: area.version, shelter: pack.shelters.find((s) => s.id === id)! };
}

describe.each(STORE_KINDS)('hazard zones in the public packs and the incident view on %s', (kind) => {
  const ctx = useTestApi(kind);

  it('a shelter in a flood zone: unsuitable for floods in the pack and not counted by the incident; suitable again once the zone is deleted', async () => {
    const api = ctx.api;
    // Flood zones that rule shelters out (every level but low: suitability.ts TOLERATED_ZONE_LEVELS).
    const zones = (await everything<Polygon | MultiPolygon>(api, 'hazard_zones', '&hazard=flood')).filter((z) => z.properties.level !== 'low');
    expect(zones.length).toBeGreaterThan(0);
    const shelters = await everything<{ type: 'Point'; coordinates: [number, number] }>(api, 'shelters');
    const holding = (s: F<{ coordinates: [number, number] }>) => zones.filter((z) => booleanPointInPolygon(s.geometry.coordinates, z.geometry));
    const target = shelters.find(
      (s) => s.geometry.type === 'Point' && s.properties.status === 'open' && (s.properties.hazards ?? []).includes('flood') && (s.properties.capacity ?? 0) > 0 && holding(s).length > 0,
    );
    expect(target, 'an open demo shelter for floods inside a demo flood zone').toBeDefined();
    const s = target!;
    const county = String(s.properties.county_code);
    const inside = holding(s);

    // The pack: unsuitable for flood, with the zone; nothing about earthquakes from a flood zone.
    const before = await packShelter(api, county, s.id);
    const flood = before.shelter.unsuitable.filter((u) => u.hazard === 'flood');
    expect(flood).toHaveLength(1);
    expect(flood[0].reason).toBe('in_hazard_zone');
    expect(inside.map((z) => z.id)).toContain(flood[0].params?.zoneId);
    expect(flood[0].params?.zone).toBe(inside.find((z) => z.id === flood[0].params?.zoneId)!.properties.name);
    expect(before.shelter.unsuitable.filter((u) => u.reason === 'in_hazard_zone').map((u) => u.hazard)).toEqual(['flood']);

    // The incident: a flood at the shelter, 1 km around; it is listed unsuitable with the zone.
    const assess = async () => {
      const res = await api.call('/api/analysis/incident', {
        method: 'POST',
        token: TOKENS.COMMANDER_TOKEN,
        body: { origin: s.geometry.coordinates, hazard: 'flood', affectedPersons: 1000, area: { radiusM: 1000 } },
      });
      expect(res.status).toBe(200);
      return res.body;
    };
    const a = await assess();
    const listed = a.threatened.unsuitableShelters.find((u: { id: string }) => u.id === s.id);
    expect(listed).toMatchObject({ reason: 'in_hazard_zone', note: { code: 'shelter_in_hazard_zone', params: { hazard: 'flood' } } });
    expect(inside.map((z) => z.id)).toContain(listed.note.params.zoneId);
    const item = a.closest.groups.find((g: { key: string }) => g.key === 'shelters')?.items.find((i: { id: string }) => i.id === s.id);
    if (item) expect(item.properties).toMatchObject({ suitable: false, unsuitableReason: 'in_hazard_zone', unsuitableNote: { code: 'shelter_in_hazard_zone' } });

    // Delete the zones holding it.
    for (const z of inside) {
      const del = await api.call(`/api/layers/hazard_zones/features/${encodeURIComponent(z.id)}?version=${z.version}`, { method: 'DELETE', token: TOKENS.ADMIN_TOKEN });
      expect(del.status, z.id).toBe(204);
    }

    // A new pack for the county (rebuilt behind the requests: the stamp is read at most every 5 s).
    let after = before;
    for (let i = 0; i < 120 && after.version === before.version; i++) {
      await new Promise((r) => setTimeout(r, 500));
      after = await packShelter(api, county, s.id);
    }
    expect(after.version).not.toBe(before.version);
    expect(after.shelter.unsuitable.filter((u) => u.hazard === 'flood')).toEqual([]);

    // The assessment counts it now: its places are among the places to evacuate to.
    const b = await assess();
    expect(b.threatened.unsuitableShelters.map((u: { id: string }) => u.id)).not.toContain(s.id);
    expect(b.shelterPlaces.places - a.shelterPlaces.places).toBeGreaterThanOrEqual(s.properties.capacity!);
    expect(b.shelterPlaces.shelters).toBeGreaterThan(a.shelterPlaces.shelters);
  }, 120_000);
});
