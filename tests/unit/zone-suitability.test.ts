/**
 * Hazard zones in the public packs and the incident assessment, by the shelter analysis' rule
 * (suitability.ts sheltersInHazardZones). Hand fixture on the two-town street grid: a 200 m square
 * high-level flood zone around IN (250 m east, 250 m north of the origin); OUT 250 m west and south.
 * For a flood IN is unsuitable, with the zone named; for an earthquake a flood zone rules out nothing.
 */
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { HazardZone } from '../../core/analysis/shelter-capacity/index.js';
import { assessIncident, type ShelterSite } from '../../core/incident/assess.js';
import type { ClosestResult } from '../../core/incident/schema.js';
import { DEFAULT_RATES } from '../../core/incident/supply.js';
import { warningRows } from '../../core/incident/warnings.js';
import { buildGraph } from '../../core/network/graph.js';
import { buildPopulationGrid } from '../../core/population/grid.js';
import { graphOfPack, rankShelters } from '../../core/public/nearest.js';
import { decodePack, encodePack, type PublicPack } from '../../core/public/pack.js';
import { IN_HAZARD_ZONE, publicShelters } from '../../server/public/packs.js';
import type { DatedFeature } from '../../server/store/index.js';
import { at, STREETS, TOWNS } from '../fixtures/analysis/two-towns.js';

const ring = [at(150, 150), at(350, 150), at(350, 350), at(150, 350), at(150, 150)];
const SQUARE: Polygon = { type: 'Polygon', coordinates: [ring] };
const ZONE_NAME = '嘉陵江测试段洪水风险区（高风险）';
const ZONE: HazardZone = { id: 'z-flood', name: ZONE_NAME, hazard: 'flood', level: 'high', geometry: SQUARE };
const ZONE_NOTE = { code: 'shelter_in_hazard_zone', params: { zone: ZONE_NAME, zoneId: 'z-flood', hazard: 'flood', level: 'high', zones: 1 } };
const HAZARDS = ['earthquake', 'flood', 'geohazard'];

describe('the public pack: a shelter inside a flood zone is unsuitable for floods, with the zone', () => {
  const row = (id: string, coordinates: [number, number]): DatedFeature => ({
    type: 'Feature',
    id,
    geometry: { type: 'Point', coordinates },
    properties: { name: `场所${id}`, class: 'emergency', status: 'open', hazards: HAZARDS, capacity: 500 },
    updatedAt: '2026-01-01T00:00:00.000Z',
  });
  const shelterRows = [row('IN', at(250, 250)), row('OUT', at(-250, -250))];
  const zoneRow = (level: string): DatedFeature => ({
    type: 'Feature',
    id: 'z-flood',
    geometry: SQUARE,
    properties: { name: ZONE_NAME, kind: 'flood_risk', hazard: 'flood', level },
    updatedAt: '2026-01-01T00:00:00.000Z',
  });

  it('marks IN for flood only, with the rule Note params; OUT has no reason', () => {
    const [inside, outside] = publicShelters(shelterRows, [], [zoneRow('high')]);
    expect(inside.unsuitable).toEqual([{ hazard: 'flood', reason: IN_HAZARD_ZONE, params: ZONE_NOTE.params }]);
    expect(outside.unsuitable).toEqual([]);
  });

  it('a low-level zone rules nothing out (TOLERATED_ZONE_LEVELS), nor does no zone', () => {
    expect(publicShelters(shelterRows, [], [zoneRow('low')]).map((s) => s.unsuitable)).toEqual([[], []]);
    expect(publicShelters(shelterRows, [], []).map((s) => s.unsuitable)).toEqual([[], []]);
  });

  it('the reason and its params survive the pack encoding; the finder ranks IN unsuitable for floods only', () => {
    const pack: PublicPack = {
      county: '000000',
      version: 'test',
      generatedAt: '2026-01-01T00:00:00Z',
      demo: true,
      shelters: publicShelters(shelterRows, [], [zoneRow('high')]),
      roads: STREETS.map((f) => ({ coords: f.geometry.coordinates.map((c) => [c[0], c[1]] as [number, number]), class: 'residential' })),
      boundary: { type: 'Polygon', coordinates: [] },
      towns: [],
      places: [],
    };
    const back = decodePack(encodePack(pack));
    expect(back.shelters.map((s) => s.unsuitable)).toEqual([[{ hazard: 'flood', reason: 'in_hazard_zone', params: ZONE_NOTE.params }], []]);
    // Near IN: for a flood the nearest safe shelter is OUT, and IN says why not.
    const g = graphOfPack(back);
    const flood = rankShelters(back, g, at(250, 200), 'flood');
    expect(flood.map((r) => [r.shelter.id, r.group, r.reason ?? null])).toEqual([
      ['OUT', 'open', null],
      ['IN', 'unsuitable', 'in_hazard_zone'],
    ]);
    expect(flood[1].reasonParams).toEqual(ZONE_NOTE.params);
    const quake = rankShelters(back, g, at(250, 200), 'earthquake');
    expect(quake.map((r) => [r.shelter.id, r.group])).toEqual([
      ['IN', 'open'],
      ['OUT', 'open'],
    ]);
  });
});

describe('the incident assessment: a shelter inside a flood zone is no place to evacuate to in a flood', () => {
  const closest: ClosestResult = {
    origin: { lon: at(0, 0)[0], lat: at(0, 0)[1], snapDistanceM: 250, county: null, road: at(0, 250) },
    tiers: [30, 60, 120],
    maxMinutes: 120,
    closures: [],
    groups: [],
    messages: [],
    searchMs: 0,
  };
  const s = (id: string, x: number, y: number, capacity: number): ShelterSite => ({
    id,
    name: id,
    lon: at(x, y)[0],
    lat: at(x, y)[1],
    capacity,
    hazards: HAZARDS,
    status: 'open',
    manager: `manager ${id}`,
    phone: '023-11111111',
  });
  const input = {
    graph: buildGraph(STREETS),
    population: buildPopulationGrid(TOWNS),
    towns: TOWNS,
    origin: at(0, 0),
    area: { radiusM: 800 },
    affectedPersons: 1000,
    evacuateShare: 1,
    shelterWalkMinutes: 30,
    days: 1,
    rates: DEFAULT_RATES,
    depots: [],
    shelters: [s('IN', 250, 250, 500), s('OUT', -250, -250, 300)],
    geohazards: [],
    zones: [ZONE],
  };

  it('flood: IN is listed unsuitable with the zone Note, and only OUT’s 300 places count', () => {
    const a = assessIncident({ ...input, hazard: 'flood' }, closest);
    expect(a.threatened.unsuitableShelters).toEqual([{ id: 'IN', name: 'IN', reason: 'in_hazard_zone', note: ZONE_NOTE }]);
    expect(a.shelterPlaces).toMatchObject({ places: 300, toEvacuate: 1000, shortfall: 700, shelters: 1 });
    const managers = warningRows(a).filter((r) => r[0] === '避难场所管理人');
    expect(managers.map((r) => [r[1], r[6]])).toEqual([
      ['OUT', '准备接收转移群众'],
      ['IN', `不宜启用：位于灾害风险区“${ZONE_NAME}”内`],
    ]);
  });

  it('earthquake: a flood zone rules out nothing, both count (800 places)', () => {
    const a = assessIncident({ ...input, hazard: 'earthquake' }, closest);
    expect(a.threatened.unsuitableShelters).toEqual([]);
    expect(a.shelterPlaces).toMatchObject({ places: 800, shelters: 2 });
  });

  it('without zones the flood assessment counts both, as before', () => {
    const a = assessIncident({ ...input, hazard: 'flood', zones: [] }, closest);
    expect(a.threatened.unsuitableShelters).toEqual([]);
    expect(a.shelterPlaces.places).toBe(800);
  });
});
