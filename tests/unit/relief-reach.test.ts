import { describe, expect, it } from 'vitest';
import { reliefReach, type DepotSite } from '../../core/analysis/relief-reach/index.js';
import { buildGraph } from '../../core/network/graph.js';
import { buildPopulationGrid } from '../../core/population/grid.js';
import { STREETS, TOWNS, at } from '../fixtures/analysis/two-towns.js';
import { RELIEF_REACH, runReliefReach } from '../../core/analysis/relief-reach/index.js';
import { sliceFixtures } from '../fixtures/slices.js';

const grid = buildPopulationGrid(TOWNS, { cellSizeM: 500 });
const graph = buildGraph(STREETS); // 20 km/h: 500 m of street = 90 s
const depot = (id: string, x: number, y: number, inventory = [{ item: 'tent', quantity: 10 }], status = 'in_service'): DepotSite => {
  const [lon, lat] = at(x, y);
  return { id, name: id, status, lon, lat, inventory };
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

sliceFixtures(RELIEF_REACH, runReliefReach);
