import { describe, expect, it } from 'vitest';
import { gridCandidates, plannerSiting, type PlannerSite } from '../../core/analysis/planner-siting.js';
import { buildGraph } from '../../core/network/graph.js';
import { buildPopulationGrid } from '../../core/population/grid.js';
import { STREETS, TOWNS, at } from '../fixtures/analysis/two-towns.js';

const grid = buildPopulationGrid(TOWNS, { cellSizeM: 500 });
const graph = buildGraph(STREETS);
const site = (id: string, x: number, y: number): PlannerSite => {
  const [lon, lat] = at(x, y);
  return { id, lon, lat };
};
// 7 min at 5 km/h = 583 m: a site on a cell centre reaches its own cell and the 4 cells 500 m away
// (diagonal ones are 1,000 m along the streets, 707 m straight): 500 persons inside a town.
const base = { model: 'mclp' as const, p: 1, thresholdMinutes: 7, method: 'exact' as const };

describe('planner siting on the two-town fixture', () => {
  for (const mode of ['walk', 'straight-line'] as const) {
    it(`adds the site that newly covers the most people, on top of the existing one (${mode})`, async () => {
      const existing = [site('old', -750, 250)];
      // next: shares two cells with "old" (adds 300); far: a fresh interior cell of town B (adds 500).
      const candidates = [site('next', -250, 250), site('far', 1250, 250)];
      const r = await plannerSiting(graph, grid, TOWNS, existing, candidates, { ...base, mode, straightLineMode: 'walk' });
      expect(r.status).toBe('optimal');
      expect(r.chosen).toEqual([{ ...candidates[1], rank: 1, addedPopulation: 500, town: '乙镇', townCode: 'B' }]);
      expect(r.before).toEqual({ covered: 500, share: 500 / 3200 });
      expect(r.after).toEqual({ covered: 1000, share: 1000 / 3200 });
      expect(r.towns).toEqual([
        { code: 'A', name: '甲镇', population: 1600, coveredBefore: 500, coveredAfter: 500 },
        { code: 'B', name: '乙镇', population: 1600, coveredBefore: 0, coveredAfter: 500 },
      ]);
      expect(r.objective).toBe(1000);
    });
  }

  it('ranks several new sites by what each adds in turn', async () => {
    const candidates = [site('edge', 1750, 250), site('near', -750, 250)];
    const r = await plannerSiting(graph, grid, TOWNS, [], candidates, { ...base, p: 2, mode: 'walk' });
    // An interior cell reaches 5 cells (500 persons), a border cell 4: the interior site ranks first.
    expect(r.chosen.map((c) => [c.id, c.rank, c.addedPopulation])).toEqual([
      ['near', 1, 500],
      ['edge', 2, 400],
    ]);
    expect(r.after.covered).toBe(900);
  });

  it('puts grid candidates at the centres of populated coarse cells, on the road network when there is one', () => {
    const coarse = gridCandidates(grid, undefined, 'straight-line', 1000);
    // The grid is 8 × 6 cells from (-2000, -1500) with rows 1–4 populated; blocks of 2 × 2 cells
    // make 4 columns × 3 rows of populated blocks, centred 250 m off the streets.
    expect(coarse).toHaveLength(12);
    expect(new Set(coarse.map((c) => c.id)).size).toBe(12);
    expect(coarse[0].lon).toBeCloseTo(at(-1500, -1000)[0], 9);
    expect(coarse[0].lat).toBeCloseTo(at(-1500, -1000)[1], 9);
    const onRoads = gridCandidates(grid, graph, 'walk', 1000);
    expect(onRoads).toHaveLength(12);
    // A block centre is 250 m from the nearest street in both directions: it moves 250 m.
    coarse.forEach((c, k) => {
      const moved = Math.hypot((onRoads[k].lon - c.lon) * 111_320 * Math.cos((c.lat * Math.PI) / 180), (onRoads[k].lat - c.lat) * 111_320);
      expect(moved).toBeGreaterThan(240);
      expect(moved).toBeLessThan(260);
    });
  });
});
