import { describe, expect, it } from 'vitest';
import { depotStandard, reliefReach, TONGLIANG_DEPOT_STANDARD, type DepotSite } from '../../core/analysis/relief-reach/index.js';
import type { SupplyRate } from '../../core/incident/schema.js';
import { personsSupplied, ratesWith, supplyPersonsOf } from '../../core/incident/supply.js';
import { buildGraph } from '../../core/network/graph.js';
import { buildPopulationGrid } from '../../core/population/grid.js';
import { STREETS, TOWNS, at } from '../fixtures/analysis/two-towns.js';
import { RELIEF_REACH, runReliefReach } from '../../core/analysis/relief-reach/index.js';
import { sliceFixtures } from '../fixtures/slices.js';

const grid = buildPopulationGrid(TOWNS, { cellSizeM: 500 });
const graph = buildGraph(STREETS); // 20 km/h: 500 m of street = 90 s
const depot = (id: string, x: number, y: number, inventory = [{ item: 'tent', quantity: 10 }], status = 'in_service', level?: string): DepotSite => {
  const [lon, lat] = at(x, y);
  return { id, name: id, status, lon, lat, inventory, ...(level ? { level } : {}) };
};
const HOUR_PER_500M = 90 / 3600;

describe('relief reach (国减发〔2022〕1号: 10 hours)', () => {
  it('times each town’s residents from the nearest stocked depot', () => {
    const r = reliefReach(graph, grid, TOWNS, [depot('d', -1750, 750)]);
    // From A’s north-west corner cell: A’s farthest cell is 3,000 m away along the streets, B’s 5,000 m.
    expect(r.towns[0].worstHours).toBeCloseTo(6 * HOUR_PER_500M, 4);
    expect(r.towns[1].worstHours).toBeCloseTo(10 * HOUR_PER_500M, 4);
    expect(r.towns.every((t) => t.withinTarget)).toBe(true);
    // Mean over A's 16 cells of the street distance |dx| + |dy| from the corner: 1,500 m.
    expect(r.towns[0].meanHours).toBeCloseTo(3 * HOUR_PER_500M, 4);
  });

  it('flags towns beyond the target with the residents left out, and counts only depots holding stock', () => {
    const depots = [depot('empty', 1750, -750, [{ item: 'tent', quantity: 0 }]), depot('quilts', -1750, 750, [{ item: 'quilt', quantity: 5 }])];
    const target = 7.5 * HOUR_PER_500M; // 3,750 m of street
    const r = reliefReach(graph, grid, TOWNS, depots, { targetHours: target });
    expect(r.depots.map((d) => d.id)).toEqual(['quilts']);
    expect(r.towns[0].withinTarget).toBe(true);
    // B's cells more than 3,750 m from the corner (|dx| + |dy| of 4,000 m or more): 6 of them.
    expect(r.towns[1]).toMatchObject({ withinTarget: false, populationBeyondTarget: 600 });
    const tents = reliefReach(graph, grid, TOWNS, depots, { item: 'tent' });
    expect(tents.depots).toEqual([]);
    expect(tents.towns.every((t) => t.worstHours === null && t.populationBeyondTarget === t.population)).toBe(true);
  });

  it('adds the dispatch time and rejects impossible settings', () => {
    const r = reliefReach(graph, grid, TOWNS, [depot('d', -1750, 750)], { dispatchHours: 2 });
    expect(r.towns[0].worstHours).toBeCloseTo(2 + 6 * HOUR_PER_500M, 4);
    expect(() => reliefReach(graph, grid, TOWNS, [], { targetHours: 0 })).toThrow(/targetHours/);
    expect(() => reliefReach(graph, grid, TOWNS, [], { targetHours: 4, dispatchHours: 5 })).toThrow(/dispatchHours/);
  });
});

describe('quantity-aware relief: need against the stock within the target, shared out nearest-first', () => {
  // Round rates so every cell's need is whole: 25 tents and 100 quilts per cell of 100 persons.
  const rate = (item: string, perPerson: number): SupplyRate => ({ item, perPerson, unit: item, perDay: false, source: 'test' });
  const RATES = [rate('tent', 0.25), rate('quilt', 1)];
  // P at A's north-west corner cell, Q at B's south-east corner cell; street distance from P to a
  // cell is |x + 1750| + |y − 750|, from Q |x − 1750| + |y + 750|.
  const P = depot('P', -1750, 750, [{ item: 'tent', quantity: 450 }, { item: 'quilt', quantity: 500 }]);
  const Q = depot('Q', 1750, -750, [{ item: 'tent', quantity: 100 }, { item: 'quilt', quantity: 1000 }]);

  it('gives each town its need, its reachable supply and the covered share per item, and the item that binds', () => {
    const r = reliefReach(graph, grid, TOWNS, [P, Q], { rates: RATES });
    const view = (t: (typeof r.towns)[number]) => [t.persons, t.items.map((i) => [i.item, i.need, i.supply, i.covered]), t.binding, t.covered];
    // Tents. Q's 100 go to B's cells 0 m, 500 m (2) and one of the three at 1,000 m from Q (25 each).
    // P's 450 go nearest-first: A's 10 cells within 1,500 m (250), then at 2,000 m A's 3 cells and
    // B's cell (250, 750) (100), at 2,500 m A's 2 cells and B's (750, 750), (250, 250) (100): P is
    // empty before A's last cell (3,000 m). A: 15 cells = 375 of 400; B: 100 + 75 = 175 of 400.
    // Quilts. P's 500 fill A's 5 nearest cells (0, 500 ×2, 1,000 m ×2); Q's 1,000 fill B's 10 cells
    // within 1,500 m of Q (A's nearest cell to Q is 2,000 m away). A: 500 of 1,600; B: 1,000 of 1,600.
    expect(view(r.towns[0])).toEqual([1600, [['tent', 400, 375, 0.9375], ['quilt', 1600, 500, 0.3125]], 'quilt', 0.3125]);
    expect(view(r.towns[1])).toEqual([1600, [['tent', 400, 175, 0.4375], ['quilt', 1600, 1000, 0.625]], 'tent', 0.4375]);
    expect(r.county.items).toEqual([
      { item: 'tent', need: 800, supply: 550, covered: 0.6875 },
      { item: 'quilt', need: 3200, supply: 1500, covered: 0.46875 },
    ]);
    expect(r.county).toMatchObject({ population: 3200, persons: 3200, binding: 'quilt', covered: 0.46875 });
    // No unit is counted twice: every depot gives out exactly what it holds.
    expect(r.depots.map((d) => [d.id, d.items.map((i) => [i.item, i.stock, i.allocated])])).toEqual([
      ['P', [['tent', 450, 450], ['quilt', 500, 500]]],
      ['Q', [['tent', 100, 100], ['quilt', 1000, 1000]]],
    ]);
    expect(r.towns[1].shortfalls).toEqual([
      { code: 'relief_item_short', params: { item: 'tent', need: 400, supply: 175, hours: 10 } },
      { code: 'relief_item_short', params: { item: 'quilt', need: 1600, supply: 1000, hours: 10 } },
    ]);
  });

  it('counts only the stock within the target, and the need of the share to evacuate', () => {
    // 0.08 h = 288 s: 1,600 m of street, so each depot reaches its own town's 10 nearest cells only.
    const r = reliefReach(graph, grid, TOWNS, [P, Q], { rates: RATES, targetHours: 0.08, evacuateShare: 0.5 });
    // Half the residents: 12.5 tents and 50 quilts per cell. P: 10 cells × 12.5 = 125 tents, 500 quilts
    // for 10 cells; Q: 100 tents for 8 cells, 500 quilts for its 10 cells.
    expect(r.towns.map((t) => [t.persons, t.items.map((i) => [i.need, i.supply])])).toEqual([
      [800, [[200, 125], [800, 500]]],
      [800, [[200, 100], [800, 500]]],
    ]);
    expect(r.parameters).toMatchObject({ targetHours: 0.08, evacuateShare: 0.5, days: 1 });
    expect(r.parameters.basis[0]).toEqual({ code: 'relief_basis_target', params: { hours: 0.08, national: 10 } });
  });
});

describe('可保障人数 and the 铜梁 depot standard (区级 ≥ 3,000, 镇（街道）≥ 200 persons)', () => {
  it('derives the persons a stock gives the whole kit: the fewest any rated item covers', () => {
    // 875 tents = 3,000 × 3.5/12; 750 cases of water and of food = 3,000 × 0.25 for one day.
    const kit = [
      { item: 'tent', quantity: 875 },
      { item: 'quilt', quantity: 3000 },
      { item: 'folding_bed', quantity: 3000 },
      { item: 'clothing', quantity: 3000 },
      { item: 'drinking_water', quantity: 750 },
      { item: 'food', quantity: 750 },
      { item: 'flood_sack', quantity: 9 },
    ];
    expect(supplyPersonsOf(kit)).toBe(3000);
    expect(personsSupplied(kit, ratesWith(), 2)).toEqual({ persons: 1500, binding: 'drinking_water' });
    // Tents and beds but no quilts: nobody gets the whole kit, and the quilts say why.
    expect(personsSupplied([{ item: 'tent', quantity: 100 }, { item: 'folding_bed', quantity: 100 }], ratesWith(), 1)).toEqual({ persons: 0, binding: 'quilt' });
  });

  it('checks the county-level depots against 3,000 and each town’s own depots against 200', () => {
    const depots = [
      depot('county', -1750, 750, [
        { item: 'tent', quantity: 875 },
        { item: 'quilt', quantity: 3000 },
        { item: 'folding_bed', quantity: 2500 },
        { item: 'clothing', quantity: 3000 },
        { item: 'drinking_water', quantity: 750 },
        { item: 'food', quantity: 750 },
      ], 'in_service', 'county'),
      // A: two stores pooled. 70 tents → 240 persons; quilts 300; beds 250; clothing 200; 60 cases → 240.
      depot('a1', -750, 250, [{ item: 'tent', quantity: 70 }, { item: 'quilt', quantity: 300 }, { item: 'folding_bed', quantity: 100 }, { item: 'clothing', quantity: 200 }], 'in_service', 'town'),
      depot('a2', -250, -250, [{ item: 'folding_bed', quantity: 150 }, { item: 'drinking_water', quantity: 60 }, { item: 'food', quantity: 60 }], 'in_service', 'community'),
      // B: tents only; a planned depot does not count.
      depot('b1', 750, 250, [{ item: 'tent', quantity: 100 }], 'in_service', 'town'),
      depot('b2', 1250, 250, [{ item: 'quilt', quantity: 1000 }], 'planned', 'town'),
    ];
    const check = depotStandard({ code: '500151', name: '铜梁区' }, TOWNS, depots, ratesWith(), 1);
    expect(check.county).toMatchObject({ depots: 1, persons: 2500, binding: 'folding_bed', standard: 3000, meets: false });
    expect(check.county.reasons).toEqual([{ code: 'relief_standard_short', params: { persons: 2500, standard: 3000, item: 'folding_bed' } }]);
    expect(check.towns.map((t) => [t.code, t.depots, t.persons, t.binding, t.meets])).toEqual([
      ['A', 2, 200, 'clothing', true],
      ['B', 1, 0, 'quilt', false],
    ]);
    expect(check.towns[1].reasons).toEqual([{ code: 'relief_standard_short', params: { persons: 0, standard: 200, item: 'quilt' } }]);
    expect(TONGLIANG_DEPOT_STANDARD.quote).toContain('区级应达到3000人以上、多灾易灾或偏远镇（街道）应达到200人以上');
  });
});

sliceFixtures(RELIEF_REACH, runReliefReach);
