import { describe, expect, it } from 'vitest';
import { fireCoverage, type FireStationSite } from '../../core/analysis/fire-coverage/index.js';
import { arrival, searchFrom, snapPlaces } from '../../core/analysis/reach.js';
import { buildGraph } from '../../core/network/graph.js';
import { buildPopulationGrid } from '../../core/population/grid.js';
import { STREETS, TOWNS, at } from '../fixtures/analysis/two-towns.js';
import { FIRE_COVERAGE, runFireCoverage } from '../../core/analysis/fire-coverage/index.js';
import { sliceFixtures } from '../fixtures/slices.js';

const grid = buildPopulationGrid(TOWNS, { cellSizeM: 500 });
const graph = buildGraph(STREETS); // residential streets: 20 km/h
const station = (id: string, x: number, y: number, type = 'class1', status = 'in_service'): FireStationSite => {
  const [lon, lat] = at(x, y);
  return { id, name: id, type, status, lon, lat };
};
// 5.25 min at 20 km/h = 1,750 m along the streets: between the 1,500 m and 2,000 m rings of cells.
// Both towns marked urban, so the urban drive time applies everywhere.
const opts = { driveMinutes: 5.25, urbanTowns: ['A', 'B'] };

describe('fire-station coverage (GB 51080-2015 §4.1.3)', () => {
  it('covers exactly the cells within the drive time along the streets', () => {
    const r = fireCoverage(graph, grid, TOWNS, [station('s1', -750, 250)], opts);
    // Town A: all cells but the far corner (2,000 m); town B: the 4 cells within 1,500 m.
    expect(r.towns.map((t) => [t.code, t.covered, t.uncovered])).toEqual([
      ['A', 1500, 100],
      ['B', 400, 1200],
    ]);
    expect(r.stations[0]).toMatchObject({ population: 1900, areaKm2: 19 * 0.25, maxAreaKm2: 7, exceedsArea: false });
    expect(r.uncovered.features.reduce((s, f) => s + f.properties.population, 0)).toBe(1300);
    expect(r.basis.map((n) => n.code)).toEqual(['fire_basis_urban', 'fire_basis_rural', 'fire_basis_area', 'fire_basis_access', 'fire_basis_micro']);
    expect(r.basis[0].params).toEqual({ minutes: 6.25, turnout: 1, drive: 5.25 });
  });

  it('assigns every covered place to its fastest station, and flags areas beyond the type’s limit', () => {
    const r = fireCoverage(graph, grid, TOWNS, [station('west', -1250, 250, 'small'), station('east', 1250, 250, 'class2')], opts);
    const [west, east] = r.stations;
    // The two stations are 2,500 m apart: each serves its own town's cells (x < 0 vs x > 0).
    expect(west.population + east.population).toBe(r.towns.reduce((s, t) => s + t.covered, 0));
    expect(r.towns[0].covered).toBe(west.population);
    expect(r.towns[1].covered).toBe(east.population);
    expect(west).toMatchObject({ maxAreaKm2: 2, exceedsArea: true });
    expect(east.maxAreaKm2).toBe(4);
    expect(east.exceedsArea).toBe(east.areaKm2 > 4);
    const areas = r.serviceAreas.features;
    expect(areas.map((f) => f.properties.station)).toEqual(['west', 'east']);
    expect(areas[0].properties.areaKm2).toBe(west.areaKm2);
  });

  it('leaves out micro and planned stations unless asked, and reports a station off the network', () => {
    const stations = [station('micro', -750, 250, 'micro'), station('new', -750, 250, 'class1', 'planned'), station('far', 20_000, 0)];
    const none = fireCoverage(graph, grid, TOWNS, stations, opts);
    expect(none.stations.map((s) => s.id)).toEqual(['far']);
    expect(none.stations[0]).toMatchObject({ accessM: null, notes: [{ code: 'fire_station_no_road', params: { station: 'far', maxM: 1000 } }] });
    expect(none.warnings).toContainEqual({ code: 'fire_station_no_road', params: { station: 'far', maxM: 1000 } });
    expect(none.towns.every((t) => t.covered === 0)).toBe(true);
    const withPlanned = fireCoverage(graph, grid, TOWNS, stations, { ...opts, includePlanned: true, types: ['micro', 'class1'] });
    expect(withPlanned.stations.map((s) => s.id)).toEqual(['micro', 'new', 'far']);
    expect(withPlanned.towns[0].covered).toBe(1500);
  });

  it('uses the 5-minute rule by default: 1 min turn-out, 4 min drive', () => {
    const r = fireCoverage(graph, grid, TOWNS, [station('s1', -750, 250)], { urbanTowns: ['A', 'B'] });
    expect(r.parameters).toMatchObject({ driveMinutes: 4, turnoutMinutes: 1 });
    // 4 min at 20 km/h = 1,333 m: the cells within 1,000 m along the streets — 11 in A
    // (1 + 3 + 4 + 3 by column) and the nearest one in B.
    expect(r.stations[0].population).toBe(1200);
    expect(() => fireCoverage(graph, grid, TOWNS, [], { driveMinutes: 0 })).toThrow(/driveMinutes/);
  });
});

describe('where an engine stops', () => {
  it('serves a cell at the road beside it, and cannot serve a cell with no road in it', () => {
    // STREETS: 4 east–west streets (y = −750 … 750), then 8 north–south (x = −1750 … 1750).
    // Without y = −750 and x = −1750, the corner cell (−1750, −750) has its nearest road 500 m
    // away, outside the cell; every other cell centre still lies on a street.
    const sparse = buildGraph(STREETS.filter((_, k) => k !== 0 && k !== 4));
    const r = fireCoverage(sparse, grid, TOWNS, [station('s1', -750, 250)], { driveMinutes: 60, urbanTowns: ['A', 'B'] });
    expect(r.towns.map((t) => t.covered)).toEqual([1500, 1600]);
  });

  it('stops the clock at the road: the walk to a place is charged only when asked', () => {
    const [place] = snapPlaces(graph, [at(-500, 0)], 'walk', 400);
    expect(place!.distanceM).toBeCloseTo(250, 0);
    const time = searchFrom(graph, snapPlaces(graph, [at(-750, 250)], 'drive', 100), 'drive', Infinity);
    const walkIn = arrival(graph, place, 'drive', time);
    const atRoad = arrival(graph, place, 'drive', time, 'none');
    expect(walkIn - atRoad).toBeCloseTo(250 / graph.walkSpeedMs, 0);
  });
});

describe('urban and rural rules (GB 51080-2015 §4.1.3; rural: a setting)', () => {
  const s1 = station('s1', -750, 250);

  it('applies 5 minutes to a town marked urban and the rural time to the other, reported apart and together', () => {
    // A urban: 4 min at 20 km/h = 1,333 m → the 11 cells of A within 1,000 m of street (1,100).
    // B rural, 5.25 min driving = 1,750 m → B's 4 cells within 1,500 m (400).
    const r = fireCoverage(graph, grid, TOWNS, [s1], { urbanTowns: ['A'], ruralDriveMinutes: 5.25 });
    expect(r.towns.map((t) => [t.code, t.rule, t.urbanBy, t.minutes, t.covered])).toEqual([
      ['A', 'urban', 'marked', 5, 1100],
      ['B', 'rural', null, 6.25, 400],
    ]);
    expect(r.totals).toEqual({
      urban: { towns: 1, population: 1600, covered: 1100, share: 1100 / 1600 },
      rural: { towns: 1, population: 1600, covered: 400, share: 0.25 },
      all: { towns: 2, population: 3200, covered: 1500, share: 1500 / 3200 },
    });
    // The type's area limit applies to the urban part only: 11 cells = 2.75 km² of 3.75 km².
    expect(r.stations[0]).toMatchObject({ population: 1500, areaKm2: 3.75, urbanAreaKm2: 2.75, exceedsArea: false });
    expect(r.basis[1]).toEqual({ code: 'fire_basis_rural', params: { minutes: 6.25, turnout: 1, drive: 5.25 } });
  });

  it('treats a 街道 as urban by its name, and rural towns get 15 minutes by default', () => {
    const towns = [TOWNS[0], { ...TOWNS[1], name: '乙街道' }];
    const r = fireCoverage(graph, grid, towns, [s1]);
    // A rural: 14 min driving = 4,667 m reaches all of A; B urban by name: 4 min → its one cell at 1,000 m.
    expect(r.towns.map((t) => [t.rule, t.urbanBy, t.minutes, t.covered])).toEqual([
      ['rural', null, 15, 1600],
      ['urban', 'street', 5, 100],
    ]);
    expect(r.parameters).toMatchObject({ ruralDriveMinutes: 14, urbanTowns: [] });
  });
});

describe('a station’s access leg', () => {
  // (−500, 400) is 150 m north of the y = 250 street (snap point (−500, 250)); the crossings at
  // (−750, 250) and (−250, 250) are 250 m further along it. 1.5 min = 90 s at 20 km/h = 500 m.
  const off = station('off', -500, 400);
  const urban = { driveMinutes: 1.5, turnoutMinutes: 0, urbanTowns: ['A', 'B'] };

  it('is driven at the speed of the road it joins, not walked', () => {
    // Driven: 150 + 250 = 400 m ≤ 500 m → the two cells (200). Walked, the 150 m alone would take 108 s > 90 s.
    const r = fireCoverage(graph, grid, TOWNS, [off], urban);
    expect(r.stations[0]).toMatchObject({ accessM: 150, population: 200, notes: [] });
    expect(r.warnings.filter((n) => n.code.startsWith('fire_station'))).toEqual([]);
  });

  it('flags a station farther from the road than the set distance, and still counts what it reaches', () => {
    const flagged = fireCoverage(graph, grid, TOWNS, [off], { ...urban, offRoadWarnM: 100 });
    const warning = { code: 'fire_station_off_road', params: { station: 'off', distanceM: 150, limitM: 100 } };
    expect(flagged.stations[0].notes).toEqual([warning]);
    expect(flagged.warnings).toContainEqual(warning);
    expect(flagged.stations[0].population).toBe(200);
    // 850 m north of the y = 750 street: flagged under the default 200 m, and its 850 m are driven
    // (153 s), so with 4 min it reaches the crossing (−1000 ± 250, 750) cells at 850 + 250 m = 1,100 m (198 s).
    const far = fireCoverage(graph, grid, TOWNS, [station('far', -1000, 1600)], { urbanTowns: ['A', 'B'], turnoutMinutes: 0 });
    expect(far.stations[0]).toMatchObject({ accessM: 850, notes: [{ code: 'fire_station_off_road', params: { station: 'far', distanceM: 850, limitM: 200 } }] });
    expect(far.stations[0].population).toBe(200);
  });
});

describe('micro stations (公消〔2015〕301号: 3 minutes; plans: one in every community)', () => {
  const m1 = station('m1', -750, 250, 'micro');
  const m2 = station('m2', 1250, 250, 'micro', 'planned');

  it('counts micro stations per town and the residents they reach within the target', () => {
    // 2.7 min driving at 20 km/h = 900 m of street: the crossings at 0 and 500 m from m1 — 5 cells of A.
    const r = fireCoverage(graph, grid, TOWNS, [m1, m2], { microMinutes: 2.7 });
    expect(r.stations).toEqual([]);
    expect(r.micro.towns.map((t) => [t.code, t.stations, t.covered, t.share])).toEqual([
      ['A', 1, 500, 500 / 1600],
      ['B', 0, 0, 0],
    ]);
    expect(r.micro).toMatchObject({ minutes: 2.7, mode: 'drive', stations: 1, townsWithout: ['B'], total: { towns: 2, population: 3200, covered: 500 } });
    expect(r.warnings).toContainEqual({ code: 'fire_micro_towns_without', params: { count: 1, towns: '乙镇' } });
  });

  it('takes the 3 minutes by default, planned micro stations when asked, and walking when asked', () => {
    // 3 min = 1,000 m: m1's 11 cells of A and one of B; the planned m2 (in B) adds B's cells within 1,000 m of it.
    const planned = fireCoverage(graph, grid, TOWNS, [m1, m2], { includePlanned: true });
    expect(planned.micro.townsWithout).toEqual([]);
    expect(planned.micro.towns.map((t) => t.stations)).toEqual([1, 1]);
    expect(planned.warnings.some((n) => n.code === 'fire_micro_towns_without')).toBe(false);
    // On foot, 3 min at 5 km/h = 250 m: only the cell m1 stands in.
    const walk = fireCoverage(graph, grid, TOWNS, [m1], { microMode: 'walk' });
    expect(walk.micro.towns.map((t) => t.covered)).toEqual([100, 0]);
  });
});

sliceFixtures(FIRE_COVERAGE, runFireCoverage);
