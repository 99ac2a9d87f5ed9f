/**
 * Shelter suitability with hazard zones (core/analysis/shelter-capacity/suitability.ts): a shelter
 * inside a zone of the hazard in question is unsuitable, with the reason as a Note; low-level zones
 * and zones of other hazards do not count. Hand fixture: two 0.01° squares side by side.
 */
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { runShelterCapacity, sheltersInHazardZones, type HazardZone } from '../../core/analysis/shelter-capacity/index.js';
import type { AreaRecord, CountyInput, SiteRecord } from '../../core/analysis/slice.js';
import { layerWithRole } from '../../core/catalogue/index.js';
import { buildPopulationGrid } from '../../core/population/grid.js';

const square = (x0: number, y0: number, d = 0.01): Polygon => ({
  type: 'Polygon',
  coordinates: [[[x0, y0], [x0 + d, y0], [x0 + d, y0 + d], [x0, y0 + d], [x0, y0]]],
});

// West square: a high flood zone; east square: a medium geohazard zone and a low flood zone.
const WEST = square(106.5, 29.57);
const EAST = square(106.51, 29.57);
const zones: HazardZone[] = [
  { id: 'z-flood', name: '嘉陵江洪水风险区（高风险）', hazard: 'flood', level: 'high', geometry: WEST },
  { id: 'z-geo', name: '黄家湾滑坡威胁区', hazard: 'geohazard', level: 'medium', geometry: EAST },
  { id: 'z-low', name: '低风险区', hazard: 'flood', level: 'low', geometry: EAST },
];
// A in the west square, B in the east one, C outside both.
const shelters = [
  { id: 'A', lon: 106.505, lat: 29.575 },
  { id: 'B', lon: 106.515, lat: 29.575 },
  { id: 'C', lon: 106.525, lat: 29.575 },
];

describe('sheltersInHazardZones', () => {
  it('rules out the shelter inside a zone of the hazard, with the zone and a Note', () => {
    const flood = sheltersInHazardZones(shelters, zones, 'flood');
    expect([...flood.keys()]).toEqual(['A']); // B lies only in a low flood zone: tolerated
    expect(flood.get('A')).toEqual({
      zones: [{ id: 'z-flood', name: '嘉陵江洪水风险区（高风险）', hazard: 'flood', level: 'high' }],
      note: { code: 'shelter_in_hazard_zone', params: { zone: '嘉陵江洪水风险区（高风险）', zoneId: 'z-flood', hazard: 'flood', level: 'high', zones: 1 } },
    });
  });

  it('rules a geohazard zone out for geohazards and earthquakes, and nothing for other hazards', () => {
    expect([...sheltersInHazardZones(shelters, zones, 'geohazard').keys()]).toEqual(['B']);
    expect([...sheltersInHazardZones(shelters, zones, 'earthquake').keys()]).toEqual(['B']);
    expect(sheltersInHazardZones(shelters, zones, 'fire').size).toBe(0);
    expect(sheltersInHazardZones(shelters, [], 'flood').size).toBe(0);
  });
});

describe('runShelterCapacity with hazard zones', () => {
  const town = { code: 't1', name: '测试街道', population: 1000, geometry: square(106.5, 29.57, 0.03) };
  const site = (id: string, lon: number, lat: number): SiteRecord => ({
    id,
    lon,
    lat,
    p: { name: `场所${id}`, class: 'emergency', area_m2: 1000, capacity: 500, hazards: ['flood', 'earthquake', 'geohazard'], status: 'open' },
  });
  const areas: AreaRecord[] = zones.map((z) => ({ id: z.id, geometry: z.geometry, p: { name: z.name, hazard: z.hazard, level: z.level } }));
  const input = (withZones: boolean): CountyInput => ({
    graph: undefined as never,
    towns: [town],
    grid: buildPopulationGrid([town], { cellSizeM: 500 }),
    sites: { shelters: shelters.map((s) => site(s.id, s.lon, s.lat)), geohazards: [] },
    areas: withZones ? { [layerWithRole('hazard_zone').id]: areas } : {},
  });
  const body = { county: '500105', hazard: 'flood', metric: 'straight-line' as const, bufferM: 200 };

  it('leaves the shelter in the flood zone out of the flood count, saying why', () => {
    const withZones = runShelterCapacity(input(true), body);
    expect(withZones.towns[0].shelters).toBe(2);
    expect(withZones.towns[0].areaM2).toBe(2000);
    expect(withZones.excluded).toEqual([
      {
        id: 'A',
        name: '场所A',
        reason: { code: 'shelter_in_hazard_zone', params: { zone: '嘉陵江洪水风险区（高风险）', zoneId: 'z-flood', hazard: 'flood', level: 'high', zones: 1 } },
        zones: [{ id: 'z-flood', name: '嘉陵江洪水风险区（高风险）', hazard: 'flood', level: 'high' }],
      },
    ]);
    const without = runShelterCapacity(input(false), body);
    expect(without.towns[0].shelters).toBe(3);
    expect(without.excluded).toEqual([]);
  });

  it('counts every shelter when no hazard is asked for', () => {
    expect(runShelterCapacity(input(true), { ...body, hazard: undefined }).towns[0].shelters).toBe(3);
  });
});
