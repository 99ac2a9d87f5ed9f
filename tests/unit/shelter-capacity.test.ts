import { describe, expect, it } from 'vitest';
import { shelterCapacity, type CapacityShelter } from '../../core/analysis/shelter-capacity/index.js';
import { unsuitableShelters } from '../../core/analysis/shelter-capacity/index.js';
import { buildGraph } from '../../core/network/graph.js';
import { buildPopulationGrid } from '../../core/population/grid.js';
import { STREETS, TOWNS, at } from '../fixtures/analysis/two-towns.js';
import { runShelterCapacity, SHELTER_CAPACITY } from '../../core/analysis/shelter-capacity/index.js';
import { sliceFixtures } from '../fixtures/slices.js';

const grid = buildPopulationGrid(TOWNS, { cellSizeM: 500 });
const graph = buildGraph(STREETS);

const shelter = (id: string, x: number, y: number, extra: Partial<CapacityShelter>): CapacityShelter => {
  const [lon, lat] = at(x, y);
  return { id, name: id, lon, lat, class: 'emergency', areaM2: 1000, capacity: 2000, hazards: ['earthquake', 'flood'], status: 'open', ...extra };
};

describe('shelter capacity and reach per town', () => {
  it('spreads the fixture’s residents 100 to a cell', () => {
    expect(grid.count).toBe(32);
    expect([...grid.population].every((p) => p === 100)).toBe(true);
  });

  it('checks effective area per resident against 1.5 m² and states the shortfall', () => {
    const shelters = [shelter('a1', -750, 250, { areaM2: 1600 }), shelter('b1', 1000, 0, { class: 'fixed_short', areaM2: 3200, capacity: 1600 })];
    const { towns } = shelterCapacity(TOWNS, shelters, grid, { metric: 'straight-line' });
    const [a, b] = towns;
    expect(a).toMatchObject({ shelters: 1, areaM2: 1600, requiredAreaM2: 2400, shortfallM2: 800, shortfallPersons: 534, meetsStandard: false });
    expect(a.areaPerResidentM2).toBe(1);
    expect(b).toMatchObject({ shelters: 1, areaM2: 3200, shortfallM2: 0, shortfallPersons: 0, meetsStandard: true, capacity: 1600 });
    const strict = shelterCapacity(TOWNS, shelters, grid, { metric: 'straight-line', areaPerResidentM2: 2.5 }).towns[1];
    expect(strict).toMatchObject({ meetsStandard: false, shortfallM2: 800, shortfallPersons: 320 });
  });

  it('measures reach along the walking network, not as the crow flies', () => {
    // An emergency shelter on the crossing at (−750, 250) with an 800 m service distance:
    // in a straight line the 3 × 3 block of cells around it is within 800 m (diagonals 707 m);
    // along the streets only the crossing and its four neighbours are (diagonals are 1,000 m).
    const shelters = [shelter('a1', -750, 250, {})];
    const opts = { serviceRadiusM: { emergency: 800 } } as const;
    const crow = shelterCapacity(TOWNS, shelters, grid, { ...opts, metric: 'straight-line' }).towns[0];
    const road = shelterCapacity(TOWNS, shelters, grid, { ...opts, metric: 'network', graph }).towns[0];
    expect(crow.populationInReach).toBe(900);
    expect(road.populationInReach).toBe(500);
    expect(road.populationOutOfReach).toBe(1100);
    const result = shelterCapacity(TOWNS, shelters, grid, { ...opts, metric: 'network', graph });
    expect(result.uncovered.features.reduce((s, f) => s + f.properties.population, 0)).toBe(1100 + 1600);
  });

  it('uses the class’s service distance from GB 21734-2008 by default', () => {
    // A shelter mid-street at (−750, 0). Emergency, 500 m: the two cells 250 m up and down the
    // street; the next ones are 750 m away along the streets.
    const emergency = shelterCapacity(TOWNS, [shelter('a1', -750, 0, {})], grid, { metric: 'network', graph }).towns[0];
    expect(emergency.populationInReach).toBe(200);
    // Fixed long-term, 2.5 km: all of town A (farthest 1,750 m) and the 10 cells of B within
    // 2,250 m along the streets (the others are 2,750 m or more).
    const long = shelterCapacity(TOWNS, [shelter('a1', -750, 0, { class: 'fixed_long' })], grid, { metric: 'network', graph }).towns;
    expect(long.map((t) => t.populationInReach)).toEqual([1600, 1000]);
  });

  it('counts only shelters in use and suitable for the hazard, and says why the others are left out', () => {
    const shelters = [
      shelter('open', -750, 250, {}),
      shelter('closed', -250, 250, { status: 'closed' }),
      shelter('planned', -250, -250, { status: 'planned' }),
      shelter('dry', -1250, 250, { hazards: ['earthquake'] }),
      shelter('slope', -1250, -250, {}),
    ];
    const [hlon, hlat] = at(-1250, -150);
    const unsuitable = unsuitableShelters(shelters, [{ id: 'slide-1', lon: hlon, lat: hlat, active: true }]);
    expect([...unsuitable.keys()]).toEqual(['slope']);
    const flood = shelterCapacity(TOWNS, shelters, grid, { metric: 'straight-line', hazard: 'flood', unsuitable });
    expect(flood.towns[0].shelters).toBe(2);
    // Notes (codes with catalogue values as params), which the client says in the reader's language.
    const why = Object.fromEntries(flood.excluded.map((e) => [e.id, e.reason]));
    expect(why).toEqual({
      closed: { code: 'shelter_not_in_use', params: { status: 'closed' } },
      planned: { code: 'shelter_not_in_use', params: { status: 'planned' } },
      dry: { code: 'shelter_not_for_hazard', params: { hazard: 'flood' } },
    });
    // The table counts exactly the shelters not excluded: 5 shelters, 3 excluded, 2 counted.
    expect(flood.towns.reduce((a, t) => a + t.shelters, 0) + flood.excluded.length).toBe(shelters.length);
    const quake = shelterCapacity(TOWNS, shelters, grid, { metric: 'straight-line', hazard: 'earthquake', unsuitable, includePlanned: true });
    expect(Object.fromEntries(quake.excluded.map((e) => [e.id, e.reason])).slope).toEqual({ code: 'shelter_near_geohazard', params: { geohazard: 'slide-1', distanceM: 100 } });
    expect(quake.towns[0].shelters).toBe(3);
  });

  it('refuses settings it cannot honour', () => {
    expect(() => shelterCapacity(TOWNS, [], grid, { metric: 'network' })).toThrow(/needs a road network/);
    expect(() => shelterCapacity(TOWNS, [], grid, { metric: 'straight-line', areaPerResidentM2: 0 })).toThrow(/areaPerResidentM2/);
  });
});

describe('hazard suitability', () => {
  it('flags shelters within the buffer of an active hazard point, nearest first, and ignores treated ones', () => {
    const [slon, slat] = at(0, 0);
    const near = (id: string, m: number, active = true) => {
      const [lon, lat] = at(m, 0);
      return { id, lon, lat, active };
    };
    const out = unsuitableShelters([{ id: 's', lon: slon, lat: slat }], [near('far', 250), near('b', 150), near('a', 50), near('treated', 10, false)]);
    expect(out.get('s')!.near.map((n) => n.id)).toEqual(['a', 'b']);
    expect(out.get('s')!.near[0].distanceM).toBeCloseTo(50, 0);
    expect(out.get('s')!.hazards).toEqual(['geohazard', 'earthquake']);
    expect(unsuitableShelters([{ id: 's', lon: slon, lat: slat }], [near('far', 250)], 300).has('s')).toBe(true);
    expect(() => unsuitableShelters([], [], -1)).toThrow(RangeError);
  });
});

sliceFixtures(SHELTER_CAPACITY, runShelterCapacity);
