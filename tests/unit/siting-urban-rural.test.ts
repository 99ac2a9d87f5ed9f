/**
 * Fire-station siting under fire coverage's urban/rural rule, hand-computed. Two small towns on one
 * 30 km/h road (三级公路, 500 m a minute): 城东街道 (urban, 1,000 persons) at x = 0 and 西河镇
 * (rural, 400 persons) at x = 5,000 m. Each is smaller than a 500 m cell, so each is one demand
 * cell at its centre, on the road. Candidates: 'west' at x = 0 (the urban cell 0 min away, the
 * rural one 10 min) and 'mid' at x = 2,500 m (5 min from both).
 */
import type { Feature, LineString, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../core/api-error.js';
import { demandMinutes, PLANNER_SITING, plannerSiting, runPlannerSiting, runWhatIf, SITING_EVALUATE, sitingSetting, type PlannerSite } from '../../core/analysis/planner-siting/index.js';
import { fireCoverage } from '../../core/analysis/fire-coverage/index.js';
import { parseRequest, type CountyInput } from '../../core/analysis/slice.js';
import { buildGraph } from '../../core/network/graph.js';
import { buildPopulationGrid } from '../../core/population/grid.js';
import { at } from '../fixtures/analysis/two-towns.js';
import { createI18n } from '../../client/src/i18n';
import { sitingBody, defaultSitingDraft, type SitingRun } from '../../client/src/analyses/planner-siting/goals';
import { question } from '../../client/src/analyses/planner-siting/reportText';
import { sitingSummary } from '../../client/src/analyses/planner-siting/view';

const square = (x: number, half = 100): Polygon => ({
  type: 'Polygon',
  coordinates: [[at(x - half, -half), at(x + half, -half), at(x + half, half), at(x - half, half), at(x - half, -half)]],
});
const TOWNS = [
  { code: '500000001', name: '城东街道', population: 1000, geometry: square(0) },
  { code: '500000101', name: '西河镇', population: 400, geometry: square(5000) },
];
const ROAD: Feature<LineString> = {
  type: 'Feature',
  properties: { class: 'secondary' },
  geometry: { type: 'LineString', coordinates: Array.from({ length: 15 }, (_, k) => at(-1000 + k * 500, 0)) },
};
const input = (): CountyInput => ({ graph: buildGraph([ROAD]), towns: TOWNS, grid: buildPopulationGrid(TOWNS, { cellSizeM: 500 }), sites: { fire_stations: [] } });
const point = (id: string, x: number) => ({ type: 'Feature', id, properties: {}, geometry: { type: 'Point', coordinates: at(x, 0) } });
const CANDIDATES = { type: 'FeatureCollection', features: [point('west', 0), point('mid', 2500)] };
const solve = (extra: Record<string, unknown> = {}, p = 1) =>
  runPlannerSiting(input(), parseRequest(PLANNER_SITING, { model: 'mclp', facilityLayer: 'fire_stations', county: '500000', p, candidates: CANDIDATES, method: 'exact', ...extra }));

describe('fire-station siting takes the urban/rural rule of fire coverage', () => {
  it('gives each cell the limit of its town: urban 4 min, rural 14 min by default', () => {
    const { grid, towns } = input();
    expect(grid.count).toBe(2);
    const s = sitingSetting({ model: 'mclp', facilityLayer: 'fire_stations', county: '500000', p: 1, timeLimitSeconds: 20 }, []);
    const minutes = demandMinutes(s, { grid, towns }, '500000')!;
    expect(Array.from(grid.unit, (u, i) => [grid.units[u], minutes[i]])).toEqual([
      ['500000001', 4],
      ['500000101', 14],
    ]);
  });

  it('counts the rural town 10 min from the west site as covered (10 ≤ 14), the urban town 5 min from mid as not (5 > 4)', async () => {
    const r = await solve();
    expect(r.chosen.map((c) => [c.id, c.addedPopulation, c.serviceMinutes])).toEqual([['west', 1400, null]]);
    expect(r.after.covered).toBe(1400);
    expect(r.objective).toBe(1400);
    expect(r.split).toEqual({
      urban: { towns: 1, population: 1000, coveredBefore: 0, coveredAfter: 1000 },
      rural: { towns: 1, population: 400, coveredBefore: 0, coveredAfter: 400 },
    });
    expect(r.parameters.basis).toEqual({ code: 'siting_basis_fire_urban_rural', params: { urbanDrive: 4, ruralDrive: 14 } });
    expect(r.parameters.urbanRural?.rules).toEqual([
      { code: 'fire_basis_urban', params: { minutes: 5, turnout: 1, drive: 4 } },
      { code: 'fire_basis_rural', params: { minutes: 15, turnout: 1, drive: 14 } },
    ]);
    // mid alone: the rural town at 5 min (≤ 14) only; the urban one at 5 min is beyond its 4.
    const mid = await runWhatIf(input(), parseRequest(SITING_EVALUATE, { model: 'mclp', facilityLayer: 'fire_stations', county: '500000', sites: [{ id: 'mid', lon: at(2500, 0)[0], lat: at(2500, 0)[1] }] }));
    expect(mid.after.covered).toBe(400);
    expect(mid.split?.rural.coveredAfter).toBe(400);
    expect(mid.split?.urban.coveredAfter).toBe(0);
  });

  it('leaves the rural town out under one 4-minute limit everywhere (the old rule, threshold given)', async () => {
    const r = await solve({ threshold: 4 });
    expect(r.chosen.map((c) => [c.id, c.addedPopulation, c.serviceMinutes])).toEqual([['west', 1000, 4]]);
    expect(r.split).toBeNull();
    expect(r.parameters.urbanRural).toBeNull();
    expect(r.notes).toContainEqual({ code: 'siting_fire_single_threshold', params: { minutes: 4 } });
  });

  it('takes the rural minutes and the towns marked urban as settings', async () => {
    // 9 rural minutes: the rural town 10 min from west is out; mid (5 min) covers it, west the urban town.
    const nine = await solve({ ruralDriveMinutes: 9 }, 2);
    expect(nine.after.covered).toBe(1400);
    expect(nine.chosen.map((c) => [c.id, c.addedPopulation])).toEqual([
      ['west', 1000],
      ['mid', 400],
    ]);
    // 西河镇 marked urban: 4 min there too, so neither site reaches it.
    const marked = await solve({ urbanTowns: ['500000101'] }, 2);
    expect(marked.after.covered).toBe(1000);
    expect(marked.split?.urban).toEqual({ towns: 2, population: 1400, coveredBefore: 0, coveredAfter: 1000 });
  });

  it('counts "covered now" as fire coverage does for the same stations', async () => {
    const station = { id: 'fs1', lon: at(0, 0)[0], lat: at(0, 0)[1], p: { name: '城东站', type: 'class1', status: 'active' } };
    const county = { ...input(), sites: { fire_stations: [station] } };
    const r = await runPlannerSiting(county, parseRequest(PLANNER_SITING, { model: 'mclp', facilityLayer: 'fire_stations', county: '500000', p: 1, candidates: CANDIDATES }));
    const fc = fireCoverage(county.graph, county.grid, TOWNS, [{ ...station, name: '城东站', type: 'class1', status: 'active' }]);
    expect(fc.totals.all.covered).toBe(1400);
    expect(r.before.covered).toBe(fc.totals.all.covered);
    expect(r.split?.urban.coveredBefore).toBe(fc.totals.urban.covered);
    expect(r.split?.rural.coveredBefore).toBe(fc.totals.rural.covered);
  });

  it('answers 400 for a rule setting that does not apply', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ threshold: 4, ruralDriveMinutes: 14 }, 'ruralDriveMinutes'],
      [{ facilityLayer: 'depots', urbanDriveMinutes: 4 }, 'urbanDriveMinutes'],
      [{ urbanTowns: ['500117001'] }, 'urbanTowns'],
    ];
    for (const [extra, parameter] of cases) {
      const err = await solve(extra).catch((e) => e);
      expect(err, parameter).toBeInstanceOf(ApiError);
      expect(err.status).toBe(400);
      expect(err.parameter).toBe(parameter);
    }
  });
});

describe('the panel says both rules and both scopes', () => {
  it('states urban and rural minutes, both clauses, and before → after per scope', async () => {
    const body = { ...sitingBody({ ...defaultSitingDraft('fire-mclp'), p: 1 }, '500000'), candidates: CANDIDATES } as SitingRun['body'];
    expect(body).toMatchObject({ urbanDriveMinutes: 4, ruralDriveMinutes: 14 });
    const run: SitingRun = { kind: 'siting', body, data: await runPlannerSiting(input(), parseRequest(PLANNER_SITING, body)), ms: 0 };
    const zh = createI18n('zh');
    expect(question(run, zh.t, zh.n)).toContain('服务时间 城区 4 / 乡镇 14 分钟');
    const summary = sitingSummary(run, zh);
    expect(summary.lines).toContain('城区（5 分钟）：现状 0 / 1,000 人（0%）→ 新增后 1,000 人（100%）');
    expect(summary.lines).toContain('乡镇（15 分钟）：现状 0 / 400 人（0%）→ 新增后 400 人（100%）');
    expect(summary.basis?.text).toContain('GB 51080-2015《城市消防规划规范》第4.1.3条');
    expect(summary.basis?.text).toContain('GB/T 35547-2017');
    const en = sitingSummary(run, createI18n('en'));
    expect(en.lines).toContain('Rural (15 min): now 0 of 400 persons (0%) → with the new sites 400 (100%)');
  });
});

describe('per-demand limits in the planner core', () => {
  it('covers a cell within the smaller of the site’s own limit and the cell’s', async () => {
    const { graph, grid } = input();
    const own: PlannerSite = { id: 'west', lon: at(0, 0)[0], lat: at(0, 0)[1], minutes: 3 };
    const cells = Float64Array.from(grid.unit, (u) => (grid.units[u] === '500000001' ? 4 : 14));
    const r = await plannerSiting(graph, grid, TOWNS, [], [own], { model: 'mclp', p: 1, thresholdMinutes: 4, demandMinutes: cells, mode: 'drive', method: 'exact' });
    // The rural cell's 14 min does not stretch the site's own 3.
    expect(r.after.covered).toBe(1000);
    expect(r.chosen[0].serviceMinutes).toBe(3);
  });
});
