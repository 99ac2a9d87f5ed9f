import { describe, expect, it } from 'vitest';
import { AREAS } from '../../core/areas.js';
import { STORE_KINDS } from '../setup/store.js';
import { TOKENS, useTestApi } from '../setup/server.js';

const token = TOKENS.COMMANDER_TOKEN;
const census = (code: string) => AREAS.find((a) => a.code === code)!.population;

describe.each(STORE_KINDS)('coverage analyses API on %s', (kind) => {
  const ctx = useTestApi(kind);
  const post = (path: string, body: unknown, t = token) => ctx.api.call(`/api/analysis/${path}`, { method: 'POST', body, token: t || undefined });

  it('needs a token: the analyses read internal layers', async () => {
    for (const path of ['fire-coverage', 'shelter-capacity', 'relief-reach']) {
      const res = await post(path, { county: '500105' }, '');
      expect(res.status, path).toBe(401);
    }
  });

  it('covers 合川 with its fire stations under the 5-minute rule, accounting for every resident', async () => {
    const { status, body } = await post('fire-coverage', { county: '500117' });
    expect(status).toBe(200);
    expect(body.parameters).toMatchObject({ driveMinutes: 4, turnoutMinutes: 1 });
    expect(body.towns).toHaveLength(30);
    const population = body.towns.reduce((s: number, t: any) => s + t.population, 0);
    const covered = body.towns.reduce((s: number, t: any) => s + t.covered, 0);
    expect(population).toBe(census('500117'));
    expect(covered).toBeGreaterThan(0);
    expect(covered).toBeLessThan(population);
    expect(body.stations.reduce((s: number, x: any) => s + x.population, 0)).toBe(covered);
    expect(body.stations.some((s: any) => s.type === 'micro')).toBe(false);
    expect(body.uncovered.features.reduce((s: number, f: any) => s + f.properties.population, 0)).toBe(population - covered);
    expect(body.serviceAreas.features.length).toBeGreaterThan(0);
    const longer = await post('fire-coverage', { county: '500117', driveMinutes: 10 });
    expect(longer.body.towns.reduce((s: number, t: any) => s + t.covered, 0)).toBeGreaterThan(covered);
  });

  it('tables 江北’s shelter area per resident against 1.5 m², town by town', async () => {
    const { status, body } = await post('shelter-capacity', { county: '500105', hazard: 'earthquake' });
    expect(status).toBe(200);
    expect(body.towns).toHaveLength(12);
    expect(body.towns.reduce((s: number, t: any) => s + t.population, 0)).toBe(census('500105'));
    for (const t of body.towns) {
      expect(t.meetsStandard).toBe(t.areaM2 >= t.population * 1.5);
      expect(t.populationInReach + t.populationOutOfReach).toBe(t.population);
    }
    expect(body.parameters.basis).toEqual({ code: 'shelter_capacity_basis', params: { areaPerResidentM2: 1.5 } });
    // Notes, not prose: every shelter left out says why as a code with its params, and the table counts the rest.
    for (const e of body.excluded) expect(e.reason.code).toMatch(/^shelter_(not_in_use|not_for_hazard|near_geohazard|outside_towns)$/);
    for (const u of body.unsuitable) expect(u.counted).toBe(!body.excluded.some((e: any) => e.id === u.id));
    expect(body.townAreas.features.map((f: any) => f.id)).toEqual(body.towns.map((t: any) => t.code));
    const counted = body.towns.reduce((s: number, t: any) => s + t.shelters, 0);
    expect(counted + body.excluded.length).toBe(48);
    const crow = await post('shelter-capacity', { county: '500105', hazard: 'earthquake', metric: 'straight-line' });
    expect(crow.body.towns.map((t: any) => t.areaM2)).toEqual(body.towns.map((t: any) => t.areaM2));
    const lenient = await post('shelter-capacity', { county: '500105', areaPerResidentM2: 0.5 });
    expect(lenient.body.towns.filter((t: any) => t.meetsStandard).length).toBeGreaterThan(body.towns.filter((t: any) => t.meetsStandard).length);
  });

  it('times relief from 巫山’s stocked depots and flags towns beyond a 4-hour target', async () => {
    const { status, body } = await post('relief-reach', { county: '500237', targetHours: 4 });
    expect(status).toBe(200);
    expect(body.towns).toHaveLength(26);
    expect(body.depots.length).toBeGreaterThan(0);
    for (const t of body.towns) {
      expect(t.withinTarget).toBe(t.populationBeyondTarget === 0);
      if (t.worstHours !== null) expect(t.meanHours).toBeLessThanOrEqual(t.worstHours);
    }
    // The same table as GeoJSON: each town's polygon carrying its row.
    expect(body.townAreas.features.map((f: any) => f.properties)).toEqual(body.towns);
    expect(body.townAreas.features.every((f: any) => ['Polygon', 'MultiPolygon'].includes(f.geometry.type))).toBe(true);
    const strict = await post('relief-reach', { county: '500237', targetHours: 0.1 });
    expect(strict.body.towns.some((t: any) => !t.withinTarget)).toBe(true);
  });

  it('answers bad settings with 400 naming the parameter', async () => {
    const cases: [string, unknown, string][] = [
      ['fire-coverage', { county: '江北' }, 'county'],
      ['fire-coverage', { county: '999999' }, 'county'],
      ['fire-coverage', { county: '500105', driveMinutes: -4 }, 'driveMinutes'],
      ['shelter-capacity', { county: '500105', hazard: 'meteor' }, 'hazard'],
      ['shelter-capacity', { county: '500105', metric: 'teleport' }, 'metric'],
      ['relief-reach', { county: '500237', item: 'rocket' }, 'item'],
      ['relief-reach', {}, 'county'],
    ];
    for (const [path, body, parameter] of cases) {
      const res = await post(path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.parameter, JSON.stringify(body)).toBe(parameter);
      expect(res.body.error.message).toMatch(/Send JSON like|Known counties: 500105, 500117/);
    }
  });

  it('says so when the store has no road network, instead of inventing one', async () => {
    await ctx.store.db.query(`DELETE FROM features WHERE layer = 'roads'`);
    const res = await post('fire-coverage', { county: '500105' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('no_road_network');
    const crow = await post('shelter-capacity', { county: '500105', metric: 'straight-line' });
    expect(crow.status).toBe(200);
  });
});
