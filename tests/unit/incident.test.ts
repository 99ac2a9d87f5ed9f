import { describe, expect, it } from 'vitest';
import { assessIncident, type GeohazardSite, type ShelterSite } from '../../core/incident/assess.js';
import type { ClosestResult } from '../../core/incident/schema.js';
import { DEFAULT_RATES, needOf, ratesWith, supplyVsNeed } from '../../core/incident/supply.js';
import { buildGraph } from '../../core/network/graph.js';
import { buildPopulationGrid } from '../../core/population/grid.js';
import { at, STREETS, TOWNS } from '../fixtures/analysis/two-towns.js';

const min = (m: number): number => m * 60;

describe('supplies against need (Sphere Handbook 2018 rates)', () => {
  const depots = [
    { seconds: min(20), inventory: [{ item: 'tent', quantity: 300 }, { item: 'quilt', quantity: 1000 }, { item: 'drinking_water', quantity: 200 }, { item: 'food', quantity: 100 }] },
    { seconds: min(50), inventory: [{ item: 'tent', quantity: 400 }, { item: 'quilt', quantity: 2500 }, { item: 'food', quantity: 900 }] },
    { seconds: min(150), inventory: [{ item: 'tent', quantity: 1000 }] },
    { seconds: Infinity, inventory: [{ item: 'quilt', quantity: 9999 }] },
  ];

  it('3,000 persons, one day: 875 tents (3.5 m² each in 12 m² tents), 3,000 quilts, beds and warm clothes, 750 cases of water (3 L at 12 L) and of food (2,100 kcal at 8,400)', () => {
    expect(DEFAULT_RATES.map((r) => [r.item, needOf(r, 3000, 1)])).toEqual([
      ['tent', 875],
      ['quilt', 3000],
      ['folding_bed', 3000],
      ['clothing', 3000],
      ['drinking_water', 750],
      ['food', 750],
    ]);
    for (const r of DEFAULT_RATES) expect(r.source).toMatch(/^Sphere Handbook 2018, .*standard \d/);
  });

  it('per tier, cumulative over the depots within it, with shortfalls', () => {
    const tiers = supplyVsNeed(3000, 1, DEFAULT_RATES, [30, 60, 120], depots);
    // The depots hold no beds or clothes: the whole need is short.
    const NO_BEDS = ['folding_bed', 0, 3000, 3000];
    const NO_CLOTHES = ['clothing', 0, 3000, 3000];
    const view = tiers.map((t) => [t.minutes, t.items.map((i) => [i.item, i.available, i.need, i.shortfall])]);
    expect(view).toEqual([
      [30, [['tent', 300, 875, 575], ['quilt', 1000, 3000, 2000], NO_BEDS, NO_CLOTHES, ['drinking_water', 200, 750, 550], ['food', 100, 750, 650]]],
      [60, [['tent', 700, 875, 175], ['quilt', 3500, 3000, 0], NO_BEDS, NO_CLOTHES, ['drinking_water', 200, 750, 550], ['food', 1000, 750, 0]]],
      [120, [['tent', 700, 875, 175], ['quilt', 3500, 3000, 0], NO_BEDS, NO_CLOTHES, ['drinking_water', 200, 750, 550], ['food', 1000, 750, 0]]],
    ]);
  });

  it('consumables scale with days; a bureau norm replaces a rate and says so', () => {
    const rates = ratesWith({ tent: 0.25, generator: 0.01 });
    const [t] = supplyVsNeed(3000, 3, rates, [60], depots);
    expect(t.items.map((i) => [i.item, i.need])).toEqual([
      ['tent', 750],
      ['quilt', 3000],
      ['folding_bed', 3000],
      ['clothing', 3000],
      ['drinking_water', 2250],
      ['food', 2250],
      ['generator', 30],
    ]);
    expect(rates[0].source).toMatch(/own norm/);
  });
});

describe('what is threatened and who must be warned (two towns, 100 persons per 500 m cell)', () => {
  const graph = buildGraph(STREETS);
  const population = buildPopulationGrid(TOWNS);
  const closest: ClosestResult = {
    origin: { lon: at(0, 0)[0], lat: at(0, 0)[1], snapDistanceM: 250, county: null, road: at(0, 250) },
    tiers: [30, 60, 120],
    maxMinutes: 120,
    closures: [],
    groups: [],
    messages: [],
    searchMs: 0,
  };
  const g = (id: string, x: number, y: number, status: string, persons: number): GeohazardSite => ({
    id,
    name: id,
    lon: at(x, y)[0],
    lat: at(x, y)[1],
    type: 'landslide',
    risk: 'high',
    threatenedPersons: persons,
    threatenedProperty: persons * 3,
    status,
    monitor: `monitor ${id}`,
    monitorPhone: '023-00000000',
    town: 'B',
  });
  const s = (id: string, x: number, y: number, capacity: number, hazards: string[]): ShelterSite => ({
    id,
    name: id,
    lon: at(x, y)[0],
    lat: at(x, y)[1],
    capacity,
    hazards,
    status: 'open',
    manager: `manager ${id}`,
    phone: '023-11111111',
  });
  const input = {
    graph,
    population,
    towns: TOWNS,
    origin: at(0, 0),
    hazard: 'earthquake' as const,
    evacuateShare: 0.5,
    shelterWalkMinutes: 30,
    days: 1,
    rates: DEFAULT_RATES,
    depots: [],
    shelters: [s('S1', 250, 250, 500, ['earthquake', 'flood']), s('S2', -250, -250, 300, ['flood']), s('S3', 600, 0, 800, ['earthquake'])],
    geohazards: [g('G1', 500, 0, 'active', 40), g('G2', 0, 100, 'treated', 90), g('G3', 1500, 0, 'active', 7)],
  };

  it('within 800 m: the 12 cell centres at 354 m and 791 m, 1,200 residents, 600 per town', () => {
    const a = assessIncident({ ...input, area: { radiusM: 800 } }, closest);
    expect(a.affected).toMatchObject({ persons: 1200, estimated: true, method: 'radius' });
    expect(a.threatened.residents).toBe(1200);
    expect(a.threatened.towns).toEqual([
      { code: 'A', name: '甲镇', residents: 600 },
      { code: 'B', name: '乙镇', residents: 600 },
    ]);
    expect(a.warn.towns.map((t) => [t.code, t.population, t.residentsInArea])).toEqual([
      ['A', 1600, 600],
      ['B', 1600, 600],
    ]);
  });

  it('within 700 m only the four centres at 354 m: 400 residents', () => {
    expect(assessIncident({ ...input, area: { radiusM: 700 } }, closest).threatened.residents).toBe(400);
  });

  it('active geohazards inside, unsuitable shelters with their reason, places against evacuees, monitors and managers', () => {
    const a = assessIncident({ ...input, area: { radiusM: 800 }, affectedPersons: 3000 }, closest);
    expect(a.affected).toMatchObject({ persons: 3000, estimated: false, method: 'typed' });
    expect(a.threatened.geohazards.map((h) => [h.id, h.threatenedPersons, h.threatenedProperty])).toEqual([['G1', 40, 120]]);
    expect(a.threatened.unsuitableShelters).toEqual([
      { id: 'S2', name: 'S2', reason: 'not_rated_for_hazard' },
      { id: 'S3', name: 'S3', reason: 'near_geohazard' },
    ]);
    expect(a.shelterPlaces).toMatchObject({ places: 500, toEvacuate: 1500, shortfall: 1000, shelters: 1 });
    expect(a.warn.monitors).toEqual([{ name: 'monitor G1', phone: '023-00000000', geohazardId: 'G1', geohazardName: 'G1', town: 'B' }]);
    expect(a.warn.shelterManagers.map((m) => m.shelterId)).toEqual(['S1', 'S2', 'S3']);
    expect(a.supply.tiers[0].items[0]).toEqual({ item: 'tent', available: 0, need: 875, shortfall: 875 });
  });

  it('for a flood, S2 takes people and the geohazard rule does not apply', () => {
    const a = assessIncident({ ...input, hazard: 'flood', area: { radiusM: 800 }, affectedPersons: 1000 }, closest);
    expect(a.threatened.unsuitableShelters).toEqual([{ id: 'S3', name: 'S3', reason: 'not_rated_for_hazard' }]);
    expect(a.shelterPlaces).toMatchObject({ places: 800, toEvacuate: 500, shortfall: 0 });
  });

  it('an isochrone area counts the residents it covers', () => {
    const a = assessIncident({ ...input, area: { walkMinutes: 10 } }, closest);
    expect(a.affected.method).toBe('walk');
    expect(a.areaGeometry).not.toBeNull();
    expect(a.threatened.residents).toBeGreaterThan(0);
    expect(a.threatened.residents % 100).toBe(0);
  });
});
