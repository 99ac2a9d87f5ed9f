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
const opts = { driveMinutes: 5.25 };

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
    expect(r.parameters.basis).toMatch(/GB 51080-2015 §4\.1\.3/);
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
    expect(none.stations[0].problem).toMatch(/no drivable road within 1000 m/);
    expect(none.towns.every((t) => t.covered === 0)).toBe(true);
    const withPlanned = fireCoverage(graph, grid, TOWNS, stations, { ...opts, includePlanned: true, types: ['micro', 'class1'] });
    expect(withPlanned.stations.map((s) => s.id)).toEqual(['micro', 'new', 'far']);
    expect(withPlanned.towns[0].covered).toBe(1500);
  });

  it('uses the 5-minute rule by default: 1 min turn-out, 4 min drive', () => {
    const r = fireCoverage(graph, grid, TOWNS, [station('s1', -750, 250)]);
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
    const r = fireCoverage(sparse, grid, TOWNS, [station('s1', -750, 250)], { driveMinutes: 60 });
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

sliceFixtures(FIRE_COVERAGE, runFireCoverage);
