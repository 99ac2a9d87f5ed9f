import { describe, expect, it } from 'vitest';
import { evaluatePlan, gridCandidates, plannerSiting, TableTimeLimit, TravelTimes, type PlannerSite, type PlannerSitingOptions } from '../../core/analysis/planner-siting/index.js';
import type { SitingModelName } from '../../core/analysis/siting/index.js';
import { buildGraph } from '../../core/network/graph.js';
import { buildPopulationGrid } from '../../core/population/grid.js';
import { STREETS, TOWNS, at } from '../fixtures/analysis/two-towns.js';
import whatIf from '../fixtures/planner-siting/whatif.json' with { type: 'json' };
import { PLANNER_SITING, runPlannerSiting } from '../../core/analysis/planner-siting/index.js';
import { sliceFixtures } from '../fixtures/slices.js';

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
      expect(r.chosen).toEqual([
        { ...candidates[1], rank: 1, number: 1, addedPopulation: 500, town: '乙镇', townCode: 'B', serviceMinutes: 7, capacity: null, served: 500 },
      ]);
      // Own cell at 0 min, 4 neighbours at 6 min: mean 4.8 min; the rest is beyond the 7-min search.
      expect(r.before).toMatchObject({ covered: 500, share: 500 / 3200, worstMinutes: null });
      expect(r.after).toMatchObject({ covered: 1000, share: 1000 / 3200, worstMinutes: null });
      expect(r.before.meanMinutes).toBeCloseTo(4.8, 2);
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

  it('stops building the travel-time table at the time limit', async () => {
    const candidates = gridCandidates(grid, graph, 'walk', 500);
    await expect(plannerSiting(graph, grid, TOWNS, [], candidates, { ...base, mode: 'walk', timeLimitSeconds: 1e-9 })).rejects.toThrow(TableTimeLimit);
  });

  it('gives each site its own threshold: a 5-minute existing site leaves more for a new one', async () => {
    const candidates = [site('next', -250, 250), site('far', 1250, 250)];
    const uniform = await plannerSiting(graph, grid, TOWNS, [site('old', -750, 250)], candidates, { ...base, mode: 'walk' });
    expect(uniform.chosen.map((c) => c.id)).toEqual(['far']);
    // old reaches only its own cell; next then adds 400, far (at 3 min: its own cell) 100.
    const own = await plannerSiting(graph, grid, TOWNS, [{ ...site('old', -750, 250), minutes: 5 }], [site('next', -250, 250), { ...site('far', 1250, 250), minutes: 3 }], {
      ...base,
      mode: 'walk',
    });
    expect(own.chosen.map((c) => [c.id, c.addedPopulation, c.serviceMinutes])).toEqual([['next', 400, 7]]);
    expect(own.before.covered).toBe(100);
  });

  it("searches as far as a site's own threshold when it exceeds the common one", async () => {
    // 13 min at 5 km/h = 1,083 m of streets from (-750, 250): its own cell, 4 cells at 500 m, 3 in
    // line at 1,000 m and 4 diagonal ones at 1,000 m: 12 cells of 100 persons.
    const own = await plannerSiting(graph, grid, TOWNS, [{ ...site('old', -750, 250), minutes: 13 }], [site('far', 1250, 250)], { ...base, mode: 'walk' });
    expect(own.before.covered).toBe(1200);
    const uniform = await plannerSiting(graph, grid, TOWNS, [site('old', -750, 250)], [site('far', 1250, 250)], { ...base, thresholdMinutes: 13, mode: 'walk' });
    expect(uniform.before.covered).toBe(1200);
  });

  it('respects capacities: no site serves more than it holds', async () => {
    const existing = [{ ...site('old', -750, 250), capacity: 300 }];
    const candidates = [site('next', -250, 250), site('far', 1250, 250)].map((c) => ({ ...c, capacity: 250 }));
    const r = await plannerSiting(graph, grid, TOWNS, existing, candidates, { ...base, mode: 'walk' });
    expect(r.status).toBe('optimal');
    // Either candidate fills its 250 (far alone reaches 500 new people; next 300).
    expect(r.objective).toBeCloseTo(550, 6);
    expect(r.after.covered).toBe(550);
    expect(r.before.covered).toBe(300);
    for (const c of r.chosen) expect(c.served).toBeLessThanOrEqual(c.capacity!);
  });
});

const metres = (s: { id: string; x: number; y: number; minutes?: number; capacity?: number }): PlannerSite => {
  const { x, y, ...rest } = s;
  return { ...rest, ...site(s.id, x, y) };
};

describe('what-if evaluation (tests/fixtures/planner-siting/whatif.json)', () => {
  for (const c of whatIf.cases) {
    it(c.note, async () => {
      const r = await evaluatePlan(graph, grid, TOWNS, c.existing.map(metres), c.sites.map(metres), {
        model: c.model as SitingModelName,
        thresholdMinutes: c.thresholdMinutes,
        coverageTarget: (c as { coverageTarget?: number }).coverageTarget,
        mode: 'walk',
      });
      const e = c.expected as Record<string, any>;
      expect(r.status).toBe('evaluated');
      // Street lengths are great-circle, the fixture's metres projected: they agree to 1e-5.
      expect(r.objective! / e.objective).toBeCloseTo(1, 4);
      for (const key of ['before', 'after'] as const) {
        if (!e[key]) continue;
        const { meanMinutes, worstMinutes, ...exact } = e[key];
        expect(r[key]).toMatchObject(exact);
        if (meanMinutes !== undefined) expect(r[key].meanMinutes! / meanMinutes).toBeCloseTo(1, 4);
        if (worstMinutes === null) expect(r[key].worstMinutes).toBeNull();
        else if (worstMinutes !== undefined) expect(r[key].worstMinutes! / worstMinutes).toBeCloseTo(1, 4);
      }
      if (e.chosen) expect(r.chosen).toMatchObject(e.chosen);
      if (e.towns) expect(r.towns).toMatchObject(e.towns);
      expect(r.after.covered).toBe(r.before.covered + r.chosen.reduce((s, x) => s + x.addedPopulation, 0));
    });
  }

  const existing = [site('old', -750, 250)];
  const cases: [SitingModelName, Partial<PlannerSitingOptions>][] = [
    ['mclp', { p: 2 }],
    ['lscp', { coverageTarget: 0.6 }],
    ['pmedian', { p: 2 }],
    ['pcenter', { p: 2 }],
  ];
  for (const [model, extra] of cases) {
    it(`agrees with the ${model} solver on the solver's own sites`, async () => {
      const o = { ...base, ...extra, model, mode: 'walk' as const, p: extra.p };
      const travel = new TravelTimes(graph, grid, 'walk');
      const candidates = gridCandidates(grid, graph, 'walk', 1000);
      const solved = await plannerSiting(graph, grid, TOWNS, existing, candidates, { ...o, travel });
      expect(solved.status).toBe('optimal');
      const chosen = solved.chosen.map(({ id, lon, lat }) => ({ id, lon, lat }));
      const searches = travel.searches;
      const r = await evaluatePlan(graph, grid, TOWNS, existing, chosen, { ...o, travel });
      // The solve kept the existing and chosen sites' travel times: the what-if searches nothing.
      expect(travel.searches).toBe(searches);
      expect(r.objective).toBe(solved.objective);
      expect(r.before).toEqual(solved.before);
      expect(r.after).toEqual(solved.after);
      expect(r.towns).toEqual(solved.towns);
      expect(r.chosen).toEqual(solved.chosen);
      // Removing the first site moves the objective the model's way.
      const fewer = await evaluatePlan(graph, grid, TOWNS, existing, chosen.slice(1), { ...o, travel });
      // Moving one site searches from that site only.
      await evaluatePlan(graph, grid, TOWNS, existing, [{ ...chosen[0], ...site(chosen[0].id, 250, -250) }, ...chosen.slice(1)], { ...o, travel });
      expect(travel.searches).toBe(searches + 1);
      expect(fewer.chosen).toHaveLength(chosen.length - 1);
      if (model === 'mclp') expect(fewer.objective).toBe(solved.objective! - solved.chosen[0].addedPopulation);
      if (model === 'lscp') expect(fewer.objective).toBe(solved.objective! - 1);
      if (model === 'pmedian') expect(fewer.objective!).toBeGreaterThan(solved.objective!);
      if (model === 'pcenter') expect(fewer.objective!).toBeGreaterThanOrEqual(solved.objective!);
    });
  }

  it('agrees with the capacitated MCLP solver on its own sites', async () => {
    const o = { ...base, p: 2, mode: 'walk' as const };
    const candidates = gridCandidates(grid, graph, 'walk', 1000).map((c) => ({ ...c, capacity: 350 }));
    const ex = [{ ...existing[0], capacity: 300 }];
    const solved = await plannerSiting(graph, grid, TOWNS, ex, candidates, o);
    expect(solved.status).toBe('optimal');
    const chosen = candidates.filter((c) => solved.chosen.some((s) => s.id === c.id));
    const r = await evaluatePlan(graph, grid, TOWNS, ex, chosen, o);
    expect(r.objective!).toBeCloseTo(solved.objective!, 6);
    expect(r.after.covered).toBe(solved.after.covered);
    expect(r.chosen).toEqual(solved.chosen);
    for (const c of r.chosen) expect(c.served).toBeLessThanOrEqual(350);
    // Uncapacitated, the same two sites would serve more than their 700 places.
    const free = await evaluatePlan(graph, grid, TOWNS, existing, chosen.map(({ capacity: _, ...c }) => c), o);
    expect(free.after.covered).toBeGreaterThan(r.after.covered);
  });

  it('agrees with the capacitated p-median solver on its own sites', async () => {
    const o = { ...base, model: 'pmedian' as const, p: 1, mode: 'walk' as const };
    // old holds 1,000 of the 3,200: the new site must take the rest, wherever it goes.
    const ex = [{ ...existing[0], capacity: 1000 }];
    const candidates = gridCandidates(grid, graph, 'walk', 1000).map((c) => ({ ...c, capacity: 2500 }));
    const solved = await plannerSiting(graph, grid, TOWNS, ex, candidates, o);
    expect(solved.status).toBe('optimal');
    const chosen = candidates.filter((c) => solved.chosen.some((s) => s.id === c.id));
    const r = await evaluatePlan(graph, grid, TOWNS, ex, chosen, o);
    expect(r.objective!).toBeCloseTo(solved.objective!, 3);
    // Uncapacitated, everyone goes to the nearer site: cheaper.
    const free = await evaluatePlan(graph, grid, TOWNS, existing, chosen.map(({ capacity: _, ...c }) => c), o);
    expect(free.objective!).toBeLessThan(r.objective!);
  });
});

// The golden answer leaves out how long the solve took.
sliceFixtures(PLANNER_SITING, async (input, body) => {
  const { seconds: _s, costSeconds: _c, timing: _t, ...answer } = await runPlannerSiting(input, body);
  return answer;
});
