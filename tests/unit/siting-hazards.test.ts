/**
 * Siting's corrected rules on hand fixtures: candidates a hazard threatens are ruled out with their
 * reason; LSCP's reachable-share advice rounds down; site numbers stay put through a what-if; the
 * report's question counts the sites on the map and lists only towns that gain; chart values fit;
 * every siting note is said in zh-CN and English.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../core/api-error.js';
import { PLANNER_SITING, runPlannerSiting, runWhatIf, SITING_EVALUATE, screenCandidates, zoneRulesOut, type HazardZone, type PlannerSite } from '../../core/analysis/planner-siting/index.js';
import { floorShare, percentOf } from '../../core/analysis/siting/coverage.js';
import { solveSiting } from '../../core/analysis/siting/index.js';
import { parseRequest } from '../../core/analysis/slice.js';
import { buildGraph } from '../../core/network/graph.js';
import { buildPopulationGrid } from '../../core/population/grid.js';
import type { Note } from '../../core/note.js';
import { createI18n } from '../../client/src/i18n';
import { noteText } from '../../client/src/i18n/notes';
import { zh as PLACEMENT_ZH } from '../../client/src/i18n/topics/placement';
import { zh as RULES_ZH } from '../../client/src/i18n/topics/placementrules';
import { zh as FIRE_ZH } from '../../client/src/i18n/topics/fire';
import { numbered, siteNumbers, type SitingResult, type SitingRun } from '../../client/src/analyses/planner-siting/goals';
import { gainingTowns, lscpHeadline, question } from '../../client/src/analyses/planner-siting/reportText';
import { chartColumns, textWidth } from '../../client/src/panels/BarChart';
import { noteText as cliNoteText } from '../../server/cli/siting.js';
import { at } from '../fixtures/analysis/two-towns.js';
import type { SliceCase } from '../fixtures/slices.js';

const site = (id: string, x: number, y: number): PlannerSite => {
  const [lon, lat] = at(x, y);
  return { id, lon, lat };
};
const point = (id: string, x: number, y: number, active = true) => ({ ...site(id, x, y), active });
/** A square zone of side 2·r metres around (x, y). */
const zone = (id: string, x: number, y: number, r: number, hazard: string, level?: string): HazardZone => ({
  id,
  name: id,
  hazard,
  ...(level ? { level } : {}),
  geometry: { type: 'Polygon', coordinates: [[at(x - r, y - r), at(x + r, y - r), at(x + r, y + r), at(x - r, y + r), at(x - r, y - r)]] },
});

describe('candidates screened by hazards', () => {
  const candidates = [site('a', 0, 0), site('b', 1000, 0), site('c', 2000, 0)];

  it('rules out a candidate inside the 200 m geohazard buffer, with the point and the distance; a treated point or one 250 m away does not', () => {
    // gh-1 is 144 m north of a (the distance of the landslide in the issue); gh-2 is 250 m from b; gh-3 is 50 m from c but treated.
    const r = screenCandidates(candidates, 'shelters', [point('gh-1', 0, 144), point('gh-2', 1000, 250), point('gh-3', 2000, 50, false)]);
    expect(r.kept.map((c) => c.id)).toEqual(['b', 'c']);
    expect(r.excluded).toEqual([{ id: 'a', lon: candidates[0].lon, lat: candidates[0].lat, reasons: [{ code: 'siting_excluded_geohazard', params: { point: 'gh-1', distanceM: 144, bufferM: 200 } }] }]);
  });

  it('applies the buffer to fire stations and depots too', () => {
    for (const layer of ['fire_stations', 'depots'] as const) expect(screenCandidates(candidates, layer, [point('gh-1', 0, 144)]).excluded.map((x) => x.id)).toEqual(['a']);
  });

  it('rules out a candidate inside a relevant hazard zone unless its level is low; forest-fire zones do not rule out fire stations', () => {
    const zones = [zone('z-flood', 1000, 0, 300, 'flood', 'high'), zone('z-low', 2000, 0, 300, 'flood', 'low'), zone('z-fire', 0, 0, 300, 'forest_fire', 'high')];
    const shelters = screenCandidates(candidates, 'shelters', [], zones);
    expect(shelters.excluded.map((x) => [x.id, x.reasons])).toEqual([
      ['a', [{ code: 'siting_excluded_zone', params: { zone: 'z-fire', hazard: 'forest_fire', level: 'high' } }]],
      ['b', [{ code: 'siting_excluded_zone', params: { zone: 'z-flood', hazard: 'flood', level: 'high' } }]],
    ]);
    expect(screenCandidates(candidates, 'fire_stations', [], zones).excluded.map((x) => x.id)).toEqual(['b']);
    expect(zoneRulesOut('depots', { hazard: 'landslide' })).toBe(true);
  });

  it('a solve through the slice: "far", 144 m from an active landslide, is ruled out and "next" chosen (tests/fixtures/planner-siting/in/mclp-hazard.json)', async () => {
    const c = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/planner-siting/in/mclp-hazard.json'), 'utf8')) as SliceCase;
    const input = { graph: buildGraph(c.roads), towns: c.towns, grid: buildPopulationGrid(c.towns, { cellSizeM: c.cellSizeM }), sites: c.sites };
    const r = await runPlannerSiting(input, parseRequest(PLANNER_SITING, c.request));
    expect(r.chosen.map((x) => [x.id, x.addedPopulation])).toEqual([['next', 300]]);
    expect(r.excluded).toEqual([expect.objectContaining({ id: 'far', reasons: [{ code: 'siting_excluded_geohazard', params: { point: 'gh-1', distanceM: 144, bufferM: 200 } }] })]);
    expect(r.notes[0]).toEqual({ code: 'siting_excluded_count', params: { count: 1 } });
    // With a zone over "next" too, nothing is left: a 400 naming the candidates.
    const err = await runPlannerSiting(input, parseRequest(PLANNER_SITING, c.request), undefined, [zone('z', -250, 250, 100, 'flood', 'high')]).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, parameter: 'candidates', params: { excluded: 2 } });
  });

  it('a what-if evaluates the planner\'s site as given but says it lies within the buffer', async () => {
    const c = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/planner-siting/in/mclp-hazard.json'), 'utf8')) as SliceCase;
    const input = { graph: buildGraph(c.roads), towns: c.towns, grid: buildPopulationGrid(c.towns, { cellSizeM: c.cellSizeM }), sites: c.sites };
    const [lon, lat] = at(1250, 250);
    const r = await runWhatIf(input, parseRequest(SITING_EVALUATE, { model: 'mclp', facilityLayer: 'depots', county: '500000', threshold: 7, mode: 'walk', sites: [{ id: 'far', lon, lat }] }));
    expect(r.chosen.map((x) => [x.id, x.addedPopulation])).toEqual([['far', 500]]);
    expect(r.excluded.map((x) => [x.id, x.reasons[0].params?.distanceM])).toEqual([['far', 144]]);
    expect(r.notes).toContainEqual({ code: 'siting_whatif_in_hazard', params: { count: 1 } });
  });

  it('ignores the hazards when there are none (no hazard-zone layer yet)', () => {
    expect(screenCandidates(candidates, 'shelters', []).kept).toHaveLength(3);
  });
});

describe('LSCP: the reachable share is rounded down', () => {
  it('0.84981 → 0.849 (84.9 %), never 0.85', () => {
    expect(floorShare(0.84981)).toBe(0.849);
    expect(percentOf(floorShare(0.84981))).toBe(84.9);
    expect(floorShare(0.849)).toBe(0.849);
    expect(floorShare(1)).toBe(1);
  });

  // d1 (84,981 persons) is within 1 of A; d2 (15,019) of nothing: 84.981 % can be reached.
  const problem = { demandIds: ['d1', 'd2'], weights: [84_981, 15_019], candidateIds: ['A'], cost: Float64Array.from([0.5, Infinity]) };

  it('advises a target the solver can meet: at most 0.849, which then solves', async () => {
    const all = await solveSiting(problem, { model: 'lscp', threshold: 1 });
    expect(all.status).toBe('infeasible');
    expect(all.notes.at(-1)).toEqual({ code: 'siting_lscp_cover_all', params: { threshold: 1, share: 0.849, percent: 84.9 } });
    const ninety = await solveSiting(problem, { model: 'lscp', threshold: 1, target: 0.9 });
    expect(ninety.notes.at(-1)).toMatchObject({ code: 'siting_lscp_target', params: { share: 0.849, percent: 84.9, targetPercent: 90 } });
    const advised = await solveSiting(problem, { model: 'lscp', threshold: 1, target: 0.849 });
    expect(advised.status).toBe('optimal');
    expect(advised.chosen).toEqual(['A']);
  });

  it('says 84.9 %, not 85 %, in both languages and in the CLI', () => {
    const n: Note = { code: 'siting_lscp_cover_all', params: { threshold: 1, share: 0.849, percent: 84.9 } };
    expect(noteText(n, createI18n('zh'))).toContain('至多 84.9%');
    expect(noteText(n, createI18n('en'))).toContain('at most 84.9%');
    expect(cliNoteText(n, 'zh')).toContain('84.9%');
    expect(cliNoteText(n, 'en')).toContain('at most 84.9%');
  });
});

/** An answer with the given sites (number = rank) and towns. */
const answer = (chosen: { id: string; number: number }[], towns: [string, number, number][] = []): SitingResult =>
  ({
    chosen: chosen.map((c) => ({ ...c, lon: 0, lat: 0, rank: c.number, addedPopulation: 0, town: null, townCode: null, serviceMinutes: 4, capacity: null, served: 0 })),
    towns: towns.map(([name, before, after]) => ({ code: name, name, population: 1000, coveredBefore: before, coveredAfter: after })),
  }) as unknown as SitingResult;

describe('site numbers stay put through a what-if', () => {
  it("keeps the optimum's numbers after a drag re-ranks the sites, and numbers hand-placed sites after them", () => {
    const optimum = answer([
      { id: 'g1', number: 1 },
      { id: 'g2', number: 2 },
      { id: 'g3', number: 3 },
    ]);
    // After dragging g3 the what-if answer ranks it first (its number in the request: 3).
    const whatIf = answer([
      { id: 'g3', number: 3 },
      { id: 'g1', number: 1 },
      { id: 'g2', number: 2 },
      { id: 'manual-1', number: 4 },
    ]);
    whatIf.chosen.forEach((c, k) => (c.rank = k + 1));
    const numbers = siteNumbers(optimum, [{ id: 'g1', lon: 0, lat: 0 }, { id: 'g3', lon: 0, lat: 0 }, { id: 'manual-1', lon: 0, lat: 0 }, { id: 'manual-2', lon: 0, lat: 0 }]);
    expect([...numbers]).toEqual([
      ['g1', 1],
      ['g2', 2],
      ['g3', 3],
      ['manual-1', 4],
      ['manual-2', 5],
    ]);
    expect(numbered(whatIf, numbers).chosen.map((c) => [c.id, c.rank, c.number])).toEqual([
      ['g3', 1, 3],
      ['g1', 2, 1],
      ['g2', 3, 2],
      ['manual-1', 4, 4],
    ]);
  });
});

describe('the report', () => {
  const run = (p: number, sites: number, model: 'mclp' | 'lscp' = 'mclp'): SitingRun => ({
    kind: 'siting',
    body: { model, facilityLayer: 'fire_stations', county: '500105', threshold: 4, mode: 'drive', ...(model === 'lscp' ? { coverageTarget: 0.8 } : { p }) },
    data: answer(
      Array.from({ length: sites }, (_, k) => ({ id: `s${k}`, number: k + 1 })),
      [
        ['甲', 100, 100],
        ['乙', 100, 400],
        ['丙', 0, 50],
      ],
    ),
    ms: 0,
  });

  it('counts the sites on the map (a what-if with 5 sites of an N = 4 run says 5)', () => {
    const { t, n } = createI18n('zh');
    expect(question(run(4, 5), t, n)).toContain('新址 5 处');
    expect(question(run(4, 5), t, n)).not.toContain('N = 4');
    expect(question(run(4, 5), createI18n('en').t, n)).toContain('5 new sites');
  });

  it("states LSCP's number of sites first", () => {
    expect(lscpHeadline(run(0, 564, 'lscp'), createI18n('zh'))).toBe('需要新建 564 处，才能覆盖 80% 的人口');
    expect(lscpHeadline(run(0, 564, 'lscp'), createI18n('en'))).toBe('564 new sites are needed to cover 80% of the population');
  });

  it('lists only towns whose coverage changed, most gained first', () => {
    expect(gainingTowns(run(4, 4)).map((r) => r.name)).toEqual(['乙', '丙']);
  });
});

describe('chart values fit', () => {
  it('gives the value column the width of its longest text', () => {
    const text = '37.9% → 91.2%';
    const cols = chartColumns([{ key: 'a', label: '郭家沱街道', segments: [], text }]);
    expect(cols.textW).toBeGreaterThanOrEqual(textWidth(text));
    expect(cols.labelW + cols.textW + cols.plotW).toBe(420);
    expect(cols.plotW).toBeGreaterThanOrEqual(140);
  });
});

/** Siting's own texts, and fire coverage's rules it states under the urban/rural rule. */
const SITING_ZH = { ...PLACEMENT_ZH, ...RULES_ZH, ...FIRE_ZH };

describe('every siting note is said in zh-CN and English', () => {
  it('has a zh and an en text for each note code the siting code sends', () => {
    const sources = ['core/analysis/siting', 'core/analysis/planner-siting'].flatMap((d) => fs.readdirSync(d).map((f) => path.join(d, f)));
    const codes = new Set<string>();
    for (const file of [...sources, 'core/standards.ts']) for (const m of fs.readFileSync(file, 'utf8').matchAll(/note\(\s*'(\w+)'/g)) codes.add(m[1]);
    // Codes chosen by a condition: note(x ? 'siting_a' : 'siting_b').
    const conditional = sources.flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(/'(siting_\w+)'/g)].map((m) => m[1]));
    for (const c of [...codes, ...conditional]) {
      expect(SITING_ZH, c).toHaveProperty([`note.${c}`]);
      for (const lang of ['zh', 'en'] as const) expect(noteText({ code: c }, createI18n(lang)), c).not.toMatch(/⟦/);
    }
    expect(codes.size).toBeGreaterThan(30);
  });
});
