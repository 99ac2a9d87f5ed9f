import { describe, expect, it } from 'vitest';
import { AREAS } from '../../core/areas.js';
import { STORE_KINDS } from '../setup/store.js';
import { TOKENS, useTestApi } from '../setup/server.js';
import { tasksDone, workerModule } from '../../server/workers/pool.js';

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

  it('runs each county analysis in the worker pool, and a bad parameter found there is still a 400 naming it', async () => {
    const worker = workerModule('county-worker');
    for (const [path, body] of [
      ['fire-coverage', { county: '500117' }],
      ['shelter-capacity', { county: '500105' }],
      ['relief-reach', { county: '500237' }],
    ] as const) {
      const before = tasksDone(worker);
      const res = await post(path, body);
      expect(res.status, path).toBe(200);
      expect(tasksDone(worker), path).toBe(before + 1);
    }
    // checkUrbanTowns runs in the worker: its ApiError crosses back with its code and parameter.
    const bad = await post('fire-coverage', { county: '500117', urbanTowns: ['999999999'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'bad_parameter', parameter: 'urbanTowns', params: { towns: '999999999', county: '500117' } });
  });

  it('covers 合川 urban streets under the 5-minute rule and its rural towns under 15 minutes, accounting for every resident', async () => {
    const { status, body } = await post('fire-coverage', { county: '500117' });
    expect(status).toBe(200);
    expect(body.parameters).toMatchObject({ driveMinutes: 4, turnoutMinutes: 1, ruralDriveMinutes: 14, offRoadWarnM: 200, microMinutes: 3 });
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
    // Every 街道 is urban by its name (5 min), every other town rural (15 min); totals apart and together.
    for (const t of body.towns) expect([t.rule, t.minutes]).toEqual(t.name.endsWith('街道') ? ['urban', 5] : ['rural', 15]);
    const { urban, rural, all } = body.totals;
    expect(urban.towns + rural.towns).toBe(30);
    expect(urban.towns).toBe(body.towns.filter((t: any) => t.name.endsWith('街道')).length);
    expect(urban.population + rural.population).toBe(population);
    expect(urban.covered + rural.covered).toBe(covered);
    expect(all).toEqual({ towns: 30, population, covered, share: covered / population });
    expect(body.basis.map((n: any) => n.code)).toEqual(['fire_basis_urban', 'fire_basis_rural', 'fire_basis_area', 'fire_basis_access', 'fire_basis_micro']);
    // The demo stations stand by the demo roads: none flagged; each one's access leg is measured.
    for (const s of body.stations) {
      expect(s.accessM).toBeLessThanOrEqual(200);
      expect(s.notes).toEqual([]);
    }
    // Micro stations: every town has some in the demo (“建成率达100%”), each row adds up.
    expect(body.micro.towns).toHaveLength(30);
    expect(body.micro.townsWithout).toEqual([]);
    expect(body.micro.stations).toBe(body.micro.towns.reduce((s: number, t: any) => s + t.stations, 0));
    expect(body.micro.total.population).toBe(population);
    for (const t of body.micro.towns) expect(t.covered).toBeLessThanOrEqual(t.population);

    // Marking a rural town urban holds it to 5 minutes: its coverage can only fall.
    const town = body.towns.find((t: any) => t.rule === 'rural' && t.covered > 0);
    const marked = await post('fire-coverage', { county: '500117', urbanTowns: [town.code] });
    const after = marked.body.towns.find((t: any) => t.code === town.code);
    expect(after).toMatchObject({ rule: 'urban', urbanBy: 'marked', minutes: 5 });
    expect(after.covered).toBeLessThanOrEqual(town.covered);
    expect(marked.body.totals.urban.towns).toBe(urban.towns + 1);
    const longer = await post('fire-coverage', { county: '500117', driveMinutes: 10 });
    expect(longer.body.totals.urban.covered).toBeGreaterThan(urban.covered);
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

  it('weighs 巫山’s need against the stock within 4 hours, item by item, and checks the 铜梁 reserve standard', async () => {
    const { status, body } = await post('relief-reach', { county: '500237', targetHours: 4, evacuateShare: 0.1 });
    expect(status).toBe(200);
    // The run's own target in every basis line; the national 10 hours only as the cited clause.
    expect(body.parameters).toMatchObject({ targetHours: 4, evacuateShare: 0.1, days: 1 });
    expect(body.parameters.basis).toEqual([
      { code: 'relief_basis_target', params: { hours: 4, national: 10 } },
      { code: 'relief_basis_need', params: { share: 0.1, days: 1 } },
      { code: 'relief_basis_allocation', params: { hours: 4 } },
    ]);
    const items = body.parameters.rates.map((r: any) => r.item);
    expect(items).toEqual(['tent', 'quilt', 'folding_bed', 'clothing', 'drinking_water', 'food']);
    for (const t of body.towns) {
      expect(t.items.map((i: any) => i.item)).toEqual(items);
      for (const i of t.items) {
        expect(i.supply).toBeLessThanOrEqual(i.need);
        expect(i.covered).toBeCloseTo(i.need ? i.supply / i.need : 1, 10);
      }
      expect(t.covered).toBe(Math.min(...t.items.map((i: any) => i.covered)));
      expect(t.items.find((i: any) => i.item === t.binding).covered).toBe(t.covered);
    }
    // County totals are the towns' sums; no depot gives out more than it holds, and what the towns
    // get is what the depots gave (each town's supply rounded down to whole units).
    items.forEach((item: string, k: number) => {
      const need = body.towns.reduce((s: number, t: any) => s + t.items[k].need, 0);
      const supply = body.towns.reduce((s: number, t: any) => s + t.items[k].supply, 0);
      expect(body.county.items[k]).toMatchObject({ item, need, supply });
      const given = body.depots.reduce((s: number, d: any) => s + d.items[k].allocated, 0);
      for (const d of body.depots) expect(d.items[k].allocated).toBeLessThanOrEqual(d.items[k].stock + 1e-6);
      expect(supply).toBeLessThanOrEqual(given + 1e-6);
      expect(given - supply).toBeLessThan(body.towns.length);
    });
    // The county reserve holds the plan's 3,000 persons (“救灾物资储备量可保障受灾群众3000人”).
    expect(body.standard.county).toMatchObject({ level: 'county', code: '500237', persons: 3000, standard: 3000, meets: true });
    expect(body.standard.towns).toHaveLength(26);
    for (const r of body.standard.towns) expect(r.meets).toBe(r.persons >= 200);
    // A depot's stock counts once: with everyone in need, the county can't be covered by stock a 10% need fits.
    const all = await post('relief-reach', { county: '500237', targetHours: 4 });
    expect(all.body.county.covered).toBeLessThan(body.county.covered);
    const noRate = await post('relief-reach', { county: '500237', item: 'flood_sack' });
    expect(noRate.status).toBe(400);
    expect(noRate.body.error).toMatchObject({ code: 'bad_parameter', parameter: 'item' });
    const rated = await post('relief-reach', { county: '500237', item: 'flood_sack', rates: { flood_sack: 0.5 } });
    expect(rated.status).toBe(200);
    expect(rated.body.county.items.map((i: any) => i.item)).toEqual(['flood_sack']);
  });

  it('answers bad settings with 400 naming the parameter', async () => {
    const cases: [string, unknown, string][] = [
      ['fire-coverage', { county: '江北' }, 'county'],
      ['fire-coverage', { county: '999999' }, 'county'],
      ['fire-coverage', { county: '500105', driveMinutes: -4 }, 'driveMinutes'],
      ['fire-coverage', { county: '500105', urbanTowns: ['500117001'] }, 'urbanTowns'],
      ['fire-coverage', { county: '500105', microMode: 'fly' }, 'microMode'],
      ['shelter-capacity', { county: '500105', hazard: 'meteor' }, 'hazard'],
      ['shelter-capacity', { county: '500105', metric: 'teleport' }, 'metric'],
      ['relief-reach', { county: '500237', item: 'rocket' }, 'item'],
      ['relief-reach', { county: '500237', evacuateShare: 1.5 }, 'evacuateShare'],
      ['relief-reach', {}, 'county'],
    ];
    for (const [path, body, parameter] of cases) {
      const res = await post(path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.parameter, JSON.stringify(body)).toBe(parameter);
      expect(res.body.error.message).toMatch(/Send JSON like|Known counties: 500105, 500117|is not a town of county/);
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
