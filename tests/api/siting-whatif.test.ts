import { describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../setup/store.js';
import { TOKENS, useTestApi } from '../setup/server.js';

const token = TOKENS.COMMANDER_TOKEN;
const sum = (rows: any[], key: string) => rows.reduce((s: number, r: any) => s + r[key], 0);
const sitesOf = (body: any) => body.chosen.map(({ id, lon, lat }: any) => ({ id, lon, lat }));

describe.each(STORE_KINDS)('siting what-if, capacities, class radii and scenarios on %s', (kind) => {
  const ctx = useTestApi(kind);
  const solve = (body: unknown, t = token) => ctx.api.call('/api/analysis/siting', { method: 'POST', body, token: t || undefined });
  const evaluate = (body: unknown, t = token) => ctx.api.call('/api/analysis/siting/evaluate', { method: 'POST', body, token: t || undefined });

  it('evaluates the solver\'s own sites to the solver\'s answer, and a removed site to what it added', async () => {
    const request = { model: 'mclp', facilityLayer: 'fire_stations', county: '500117', p: 3 };
    const solved = await solve(request);
    expect(solved.status, JSON.stringify(solved.body).slice(0, 300)).toBe(200);
    expect(solved.body.timing.total).toBeCloseTo(solved.body.timing.table + solved.body.timing.solve, 6);
    const same = await evaluate({ ...request, sites: sitesOf(solved.body) });
    expect(same.status, JSON.stringify(same.body).slice(0, 300)).toBe(200);
    console.log(`合川 what-if of 3 sites: table ${same.body.timing.table.toFixed(3)} s, total ${same.body.timing.total.toFixed(3)} s (solve run: table ${solved.body.timing.table.toFixed(2)} s)`);
    expect(same.body.status).toBe('evaluated');
    expect(same.body.method).toBeNull();
    expect(same.body.objective).toBe(solved.body.objective);
    for (const key of ['before', 'after', 'towns', 'chosen', 'existing', 'demandCells']) expect(same.body[key], key).toEqual(solved.body[key]);
    // Without the last-ranked site, coverage drops by exactly what it added.
    const last = solved.body.chosen.at(-1);
    const fewer = await evaluate({ ...request, sites: sitesOf(solved.body).filter((s: any) => s.id !== last.id) });
    expect(fewer.body.after.covered).toBe(solved.body.after.covered - last.addedPopulation);
    expect(fewer.body.objective).toBe(fewer.body.after.covered);
    // Moved onto the first site, the second adds nothing.
    const [a, b] = sitesOf(solved.body);
    const stacked = await evaluate({ ...request, sites: [a, { ...b, lon: a.lon, lat: a.lat }] });
    expect(stacked.body.chosen.map((c: any) => c.addedPopulation)).toEqual([solved.body.chosen[0].addedPopulation, 0]);
    // No new sites: the answer is the existing coverage.
    const none = await evaluate({ ...request, sites: [] });
    expect(none.body.after).toEqual(solved.body.before);
    expect(none.body.chosen).toEqual([]);
  });

  it('evaluates p-median and p-center to the solver\'s objective on drawn candidates', async () => {
    const grid = await solve({ model: 'mclp', facilityLayer: 'fire_stations', county: '500117', p: 4 });
    const features = sitesOf(grid.body).map((s: any) => ({ type: 'Feature', id: s.id, properties: {}, geometry: { type: 'Point', coordinates: [s.lon, s.lat] } }));
    for (const model of ['pmedian', 'pcenter']) {
      const request = { model, facilityLayer: 'fire_stations', county: '500117', p: 2 };
      const solved = await solve({ ...request, candidates: { type: 'FeatureCollection', features } });
      expect(solved.status, model).toBe(200);
      const same = await evaluate({ ...request, sites: sitesOf(solved.body) });
      expect(same.status, model).toBe(200);
      expect(same.body.objective, model).toBe(solved.body.objective);
      expect(same.body.after, model).toEqual(solved.body.after);
      // The mean is over the people who reach a site; p-center's objective is the worst of them.
      const population = sum(same.body.towns, 'population');
      if (model === 'pmedian') expect(same.body.after.meanMinutes * 60 * population).toBeGreaterThanOrEqual(same.body.objective * (1 - 1e-9));
      if (model === 'pcenter' && same.body.after.worstMinutes !== null) expect(same.body.after.worstMinutes * 60).toBeCloseTo(same.body.objective, 3);
    }
  });

  it('takes candidates from a catalogue layer filtered by field values, and from a drawn area', async () => {
    // One 4-minute limit everywhere (the old rule): what this test is about is the candidate sets.
    const request = { model: 'mclp', facilityLayer: 'fire_stations', county: '500117', p: 2, threshold: 4 };
    // Fire stations on the county's central or long-term shelters (parks, squares, stadiums).
    const where = { class: ['central', 'fixed_long'] };
    const shelters = (await ctx.api.call('/api/layers/shelters/features?county_code=500117&class=central,fixed_long&limit=10000', { token })).body.features;
    expect(shelters.length).toBeGreaterThanOrEqual(2);
    const onShelters = await solve({ ...request, candidates: { layer: 'shelters', where } });
    expect(onShelters.status, JSON.stringify(onShelters.body).slice(0, 300)).toBe(200);
    const ids = new Set(shelters.map((f: any) => f.id));
    expect(onShelters.body.chosen.every((c: any) => ids.has(c.id))).toBe(true);
    expect(onShelters.body.parameters.candidates).toEqual({ code: 'siting_candidates_layer_where', params: { layer: 'shelters', where: 'class ∈ {central, fixed_long}' } });
    // The same sites given as drawn points give the same optimum.
    const drawn = { type: 'FeatureCollection', features: shelters.map((f: any) => ({ type: 'Feature', id: f.id, properties: {}, geometry: f.geometry })) };
    const asPoints = await solve({ ...request, candidates: drawn });
    expect(asPoints.body.objective).toBe(onShelters.body.objective);

    // A drawn box around the optimum's first grid site: every chosen site lies inside it.
    const free = await solve({ ...request });
    const [a] = free.body.chosen;
    const d = 0.03;
    const ring = [[a.lon - d, a.lat - d], [a.lon + d, a.lat - d], [a.lon + d, a.lat + d], [a.lon - d, a.lat + d], [a.lon - d, a.lat - d]];
    const boxed = await solve({ ...request, candidates: { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } } });
    expect(boxed.status, JSON.stringify(boxed.body).slice(0, 300)).toBe(200);
    for (const c of boxed.body.chosen) {
      expect(Math.abs(c.lon - a.lon)).toBeLessThanOrEqual(d);
      expect(Math.abs(c.lat - a.lat)).toBeLessThanOrEqual(d);
    }
    expect(boxed.body.chosen.map((c: any) => c.id)).toContain(a.id);
    expect(boxed.body.after.covered).toBeLessThanOrEqual(free.body.after.covered);

    // Clear 400s: not a point layer, no such field, an area with nobody in it.
    for (const candidates of [{ layer: 'roads' }, { layer: 'shelters', where: { colour: ['red'] } }, { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[0, 0], [0.01, 0], [0.01, 0.01], [0, 0]]] } }]) {
      const bad = await solve({ ...request, candidates });
      expect(bad.status, JSON.stringify(candidates)).toBe(400);
      expect(bad.body.error.parameter).toBe('candidates');
    }
  });

  it('gives existing shelters their class radius (GB 21734-2008) and new ones siteClass', async () => {
    const base = { model: 'mclp', facilityLayer: 'shelters', county: '510802', p: 2 };
    const byClass = await solve(base);
    expect(byClass.status, JSON.stringify(byClass.body).slice(0, 300)).toBe(200);
    expect(byClass.body.parameters.radii).toMatchObject({ emergency: 6, fixed_short: 24, fixed_long: 30 });
    expect(byClass.body.parameters.basis).toEqual({ code: 'siting_basis_class_radii', params: { minutes: 24, siteClass: 'fixed_short' } });
    for (const c of byClass.body.chosen) expect(c.serviceMinutes).toBe(24);
    const uniform = await solve({ ...base, radii: 'uniform' });
    expect(uniform.body.parameters.radii).toBeNull();
    // 利州's shelters are not all fixed_short: their own radii cover a different population.
    expect(byClass.body.before.covered).not.toBe(uniform.body.before.covered);
    // New emergency shelters reach 6 minutes: they add less than fixed ones.
    const emergency = await solve({ ...base, siteClass: 'emergency' });
    expect(emergency.body.parameters.threshold).toBe(6);
    for (const c of emergency.body.chosen) expect(c.serviceMinutes).toBe(6);
    expect(emergency.body.before.covered).toBe(byClass.body.before.covered);
    expect(emergency.body.after.covered).toBeLessThan(byClass.body.after.covered);
    // A what-if site of another class gets that class's radius.
    const site = { ...sitesOf(byClass.body)[0], class: 'emergency' };
    const w = await evaluate({ ...base, sites: [site] });
    expect(w.body.chosen[0].serviceMinutes).toBe(6);
    expect(w.body.chosen[0].addedPopulation).toBeLessThan(byClass.body.chosen.find((c: any) => c.id === site.id).addedPopulation);
  });

  it('keeps every site within its capacity (shelters\' persons from the layer)', async () => {
    const base = { model: 'mclp', facilityLayer: 'shelters', county: '500105', p: 2, radii: 'uniform' };
    const free = await solve({ ...base, p: 5 });
    // The capacitated MILP is exact: candidates drawn from the uncapacitated answer keep it small.
    const features = sitesOf(free.body).map((s: any) => ({ type: 'Feature', id: s.id, properties: {}, geometry: { type: 'Point', coordinates: [s.lon, s.lat] } }));
    const capped = await solve({ ...base, capacities: 'layer', newSiteCapacity: 3000, candidates: { type: 'FeatureCollection', features } });
    expect(capped.status, JSON.stringify(capped.body).slice(0, 400)).toBe(200);
    console.log(`江北 capacitated mclp p=2: ${capped.body.status} gap ${capped.body.gap}, table ${capped.body.timing.table.toFixed(2)} s, solve ${capped.body.timing.solve.toFixed(2)} s, ${capped.body.before.covered} → ${capped.body.after.covered}`);
    expect(capped.body.parameters).toMatchObject({ capacities: 'layer', newSiteCapacity: 3000 });
    for (const c of capped.body.chosen) {
      expect(c.capacity).toBe(3000);
      expect(c.served).toBeLessThanOrEqual(3000);
    }
    expect(capped.body.after.covered).toBeLessThanOrEqual(capped.body.before.covered + 2 * 3000);
    expect(capped.body.after.covered).toBe(capped.body.before.covered + sum(capped.body.chosen, 'addedPopulation'));
    expect(capped.body.before.covered).toBeLessThan(free.body.before.covered);
    // The what-if of the same sites with the same capacities agrees.
    const same = await evaluate({ ...base, capacities: 'layer', newSiteCapacity: 3000, sites: sitesOf(capped.body) });
    expect(same.status).toBe(200);
    expect(same.body.objective).toBeCloseTo(capped.body.objective, 3);
    expect(same.body.after.covered).toBe(capped.body.after.covered);
    // A site's own capacity overrides newSiteCapacity.
    const small = await evaluate({ ...base, capacities: 'layer', newSiteCapacity: 3000, sites: sitesOf(capped.body).map((s: any) => ({ ...s, capacity: 100 })) });
    for (const c of small.body.chosen) expect(c.served).toBeLessThanOrEqual(100);
    expect(small.body.after.covered).toBeLessThanOrEqual(small.body.before.covered + 200);
  });

  it('reports the time limit when the travel-time table cannot be built in it', async () => {
    const res = await solve({ model: 'pmedian', facilityLayer: 'fire_stations', county: '500117', p: 2, candidateCellM: 500, timeLimitSeconds: 0.001 });
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: 'time_limit', parameter: 'timeLimitSeconds' });
    expect(res.body.error.message).toMatch(/candidateCellM/);
  });

  it('answers bad settings with 400 naming the parameter', async () => {
    const base = { model: 'mclp', facilityLayer: 'shelters', county: '510802', sites: [] };
    const cases: [string, unknown, string][] = [
      ['evaluate', { ...base, sites: undefined }, 'sites'],
      ['evaluate', { ...base, sites: [{ id: 'a', lon: 200, lat: 30 }] }, 'sites'],
      ['evaluate', { ...base, sites: [{ id: 'a', lon: 105, lat: 32 }, { id: 'a', lon: 105.1, lat: 32 }] }, 'sites'],
      ['evaluate', { ...base, sites: [{ id: 'a', lon: 105, lat: 32, class: 'huge' }] }, 'sites'],
      ['evaluate', { ...base, model: 'pcenter', capacities: 'layer' }, 'capacities'],
      ['evaluate', { ...base, facilityLayer: 'fire_stations', capacities: 'layer' }, 'capacities'],
      ['evaluate', { ...base, capacities: { 'no-such-shelter': 100 } }, 'capacities'],
      ['evaluate', { ...base, newSiteCapacity: -5 }, 'newSiteCapacity'],
      ['evaluate', { ...base, facilityLayer: 'depots', siteClass: 'emergency' }, 'siteClass'],
      ['evaluate', { ...base, siteClass: 'palace' }, 'siteClass'],
      ['evaluate', { ...base, threshold: -1 }, 'threshold'],
      ['solve', { model: 'mclp', facilityLayer: 'shelters', county: '510802', p: 2, capacities: 'layer', method: 'heuristic' }, 'capacities'],
      ['solve', { model: 'pcenter', facilityLayer: 'depots', county: '510802', p: 2, capacities: 'layer' }, 'capacities'],
      ['solve', { model: 'mclp', facilityLayer: 'shelters', county: '510802', p: 2, radii: 'some' }, 'radii'],
    ];
    for (const [endpoint, body, parameter] of cases) {
      const res = endpoint === 'solve' ? await solve(body) : await evaluate(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.parameter, JSON.stringify(body)).toBe(parameter);
    }
    expect((await evaluate(base, '')).status).toBe(401);
  });

  it('saves, lists, opens and deletes scenarios (staff only)', async () => {
    const request = { model: 'mclp', facilityLayer: 'fire_stations', county: '500117', p: 3 };
    const solved = await solve(request);
    const sites = sitesOf(solved.body);
    const created = await ctx.api.call('/api/scenarios', { method: 'POST', token, body: { name: '合川 三座新站', request, result: solved.body, sites } });
    expect(created.status, JSON.stringify(created.body).slice(0, 300)).toBe(201);
    expect(created.body).toMatchObject({ name: '合川 三座新站', county: '500117', createdBy: 'commander', request, sites });
    expect(created.body.result.after).toEqual(solved.body.after);
    const other = await ctx.api.call('/api/scenarios', { method: 'POST', token: TOKENS.ADMIN_TOKEN, body: { name: 'elsewhere', request: { ...request, county: '510802' }, result: {}, sites: [] } });
    expect(other.body.createdBy).toBe('admin');

    const list = await ctx.api.call('/api/scenarios?county=500117', { token });
    expect(list.status).toBe(200);
    expect(list.body.scenarios).toEqual([
      { id: created.body.id, name: '合川 三座新站', county: '500117', model: 'mclp', facilityLayer: 'fire_stations', createdBy: 'commander', createdAt: created.body.createdAt, siteCount: 3 },
    ]);
    expect((await ctx.api.call('/api/scenarios', { token })).body.scenarios).toHaveLength(2);
    const opened = await ctx.api.call(`/api/scenarios/${created.body.id}`, { token });
    expect(opened.body).toEqual(created.body);

    for (const [path, method] of [['/api/scenarios', 'GET'], [`/api/scenarios/${created.body.id}`, 'GET'], [`/api/scenarios/${created.body.id}`, 'DELETE']]) {
      expect((await ctx.api.call(path, { method })).status, `${method} ${path}`).toBe(401);
    }
    expect((await ctx.api.call('/api/scenarios', { method: 'POST', body: { name: 'x', request, result: {}, sites: [] } })).status).toBe(401);
    const bad = await ctx.api.call('/api/scenarios', { method: 'POST', token, body: { name: '', request, result: {}, sites: [] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.parameter).toBe('name');
    const noCounty = await ctx.api.call('/api/scenarios', { method: 'POST', token, body: { name: 'x', request: { model: 'mclp' }, result: {}, sites: [] } });
    expect(noCounty.body.error.parameter).toBe('request');

    expect((await ctx.api.call(`/api/scenarios/${created.body.id}`, { method: 'DELETE', token })).status).toBe(204);
    expect((await ctx.api.call(`/api/scenarios/${created.body.id}`, { token })).status).toBe(404);
    expect((await ctx.api.call(`/api/scenarios/${created.body.id}`, { method: 'DELETE', token })).status).toBe(404);
    expect((await ctx.api.call('/api/scenarios?county=500117', { token })).body.scenarios).toEqual([]);
  });
});

