import { describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../setup/store.js';
import { TOKENS, useTestApi } from '../setup/server.js';

const token = TOKENS.COMMANDER_TOKEN;

describe.each(STORE_KINDS)('siting API on %s', (kind) => {
  const ctx = useTestApi(kind);
  const post = (body: unknown, t = token) => ctx.api.call('/api/analysis/siting', { method: 'POST', body, token: t || undefined });
  const sum = (rows: any[], key: string) => rows.reduce((s: number, r: any) => s + r[key], 0);

  function expectConsistent(body: any) {
    expect(['optimal', 'feasible']).toContain(body.status);
    expect(body.after.covered).toBe(body.before.covered + sum(body.chosen, 'addedPopulation'));
    expect(sum(body.towns, 'coveredBefore')).toBe(body.before.covered);
    expect(sum(body.towns, 'coveredAfter')).toBe(body.after.covered);
    for (const t of body.towns) expect(t.coveredAfter).toBeGreaterThanOrEqual(t.coveredBefore);
    expect(body.chosen.map((c: any) => c.rank)).toEqual(body.chosen.map((_: any, k: number) => k + 1));
  }

  it('needs a token: siting reads internal layers', async () => {
    const res = await post({ model: 'mclp', facilityLayer: 'fire_stations', county: '500117', p: 3 }, '');
    expect(res.status).toBe(401);
  });

  it('finds the best 3 new fire stations for 合川 under the urban/rural rule of fire coverage', async () => {
    const { status, body } = await post({ model: 'mclp', facilityLayer: 'fire_stations', county: '500117', p: 3 });
    expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
    console.log(`合川 mclp p=3: ${body.status} gap ${body.gap} solve ${body.seconds.toFixed(2)} s, costs ${body.costSeconds.toFixed(2)} s, ${body.candidates} candidates × ${body.demandCells} cells, ${body.before.covered} → ${body.after.covered}`);
    expect(body.parameters).toMatchObject({ threshold: 4, mode: 'drive' });
    expect(body.parameters.urbanRural).toMatchObject({ urbanDriveMinutes: 4, ruralDriveMinutes: 14, turnoutMinutes: 1, urbanTowns: [] });
    expect(body.parameters.basis).toEqual({ code: 'siting_basis_fire_urban_rural', params: { urbanDrive: 4, ruralDrive: 14 } });
    expect(body.existing).toBeGreaterThan(0);
    expect(body.chosen).toHaveLength(3);
    expect(body.after.covered).toBeGreaterThan(body.before.covered);
    for (const c of body.chosen) {
      expect(c.addedPopulation).toBeGreaterThan(0);
      expect(c.townCode).toMatch(/^500117/);
    }
    expect(body.objective).toBe(body.after.covered);
    expectConsistent(body);
    // Urban and rural towns apart add up to the total, before and after.
    const { urban, rural } = body.split;
    expect(urban.coveredBefore + rural.coveredBefore).toBe(body.before.covered);
    expect(urban.coveredAfter + rural.coveredAfter).toBe(body.after.covered);
    expect(urban.towns + rural.towns).toBe(body.towns.length);

    // "Covered now" is the fire-coverage analysis's for the same stations: the same rule per town
    // (townRule), the same access leg (core/network/access-leg.ts), the same cells.
    const coverage = await ctx.api.call('/api/analysis/fire-coverage', { method: 'POST', body: { county: '500117' }, token: TOKENS.COMMANDER_TOKEN });
    expect(coverage.status).toBe(200);
    console.log(`合川 covered now: siting ${body.before.covered}, fire coverage ${coverage.body.totals.all.covered} of ${coverage.body.totals.all.population}`);
    expect(body.before.covered).toBe(coverage.body.totals.all.covered);
    expect(urban.coveredBefore).toBe(coverage.body.totals.urban.covered);
    expect(rural.coveredBefore).toBe(coverage.body.totals.rural.covered);

    // With 4 rural minutes on both, they agree too (the old single 4-minute figure).
    const [four, coverage4] = await Promise.all([
      post({ model: 'mclp', facilityLayer: 'fire_stations', county: '500117', p: 3, ruralDriveMinutes: 4 }),
      ctx.api.call('/api/analysis/fire-coverage', { method: 'POST', body: { county: '500117', ruralDriveMinutes: 4 }, token: TOKENS.COMMANDER_TOKEN }),
    ]);
    expect(four.status).toBe(200);
    expect(four.body.before.covered).toBe(coverage4.body.totals.all.covered);
    expect(four.body.before.covered).toBeLessThan(body.before.covered);

    // One threshold everywhere, asked for: the old rule, said so in a note.
    const single = await post({ model: 'mclp', facilityLayer: 'fire_stations', county: '500117', p: 3, threshold: 4 });
    expect(single.status).toBe(200);
    expect(single.body.before.covered).toBe(four.body.before.covered);
    expect(single.body.split).toBeNull();
    expect(single.body.parameters.basis).toEqual({ code: 'siting_basis_fire_stations', params: { minutes: 4, turnout: 1 } });
    expect(single.body.notes).toContainEqual({ code: 'siting_fire_single_threshold', params: { minutes: 4 } });
    // A longer threshold can only cover more people with the same number of new sites.
    const longer = await post({ model: 'mclp', facilityLayer: 'fire_stations', county: '500117', p: 3, threshold: 8 });
    expect(longer.body.after.covered).toBeGreaterThan(single.body.after.covered);
  }, 120_000);

  it('finds the best 4 new shelters for 利州 within a 24-minute walk', async () => {
    const { status, body } = await post({ model: 'mclp', facilityLayer: 'shelters', county: '510802', p: 4 });
    expect(status, JSON.stringify(body).slice(0, 300)).toBe(200);
    console.log(`利州 mclp p=4: ${body.status} gap ${body.gap} solve ${body.seconds.toFixed(2)} s, costs ${body.costSeconds.toFixed(2)} s, ${body.candidates} candidates × ${body.demandCells} cells, ${body.before.covered} → ${body.after.covered}`);
    expect(body.parameters).toMatchObject({ threshold: 24, mode: 'walk' });
    expect(body.parameters.basis).toEqual({ code: 'siting_basis_class_radii', params: { minutes: 24, siteClass: 'fixed_short' } });
    expect(body.chosen).toHaveLength(4);
    expect(body.after.covered).toBeGreaterThan(body.before.covered);
    for (const c of body.chosen) expect(c.addedPopulation).toBeGreaterThan(0);
    expectConsistent(body);
  });

  it('counts the sites LSCP needs, more for a stricter target', async () => {
    const half = await post({ model: 'lscp', facilityLayer: 'shelters', county: '510802', coverageTarget: 0.5 });
    expect(half.status, JSON.stringify(half.body).slice(0, 300)).toBe(200);
    const most = await post({ model: 'lscp', facilityLayer: 'shelters', county: '510802', coverageTarget: 0.8 });
    expect(most.status).toBe(200);
    expect(half.body.objective).toBe(half.body.chosen.length);
    expect(half.body.after.share).toBeGreaterThanOrEqual(0.5);
    expect(most.body.after.share).toBeGreaterThanOrEqual(0.8);
    expect(most.body.chosen.length).toBeGreaterThanOrEqual(half.body.chosen.length);
    expectConsistent(most.body);
    // Parts of rural 利州 are beyond a 24-minute walk of every candidate: covering all is impossible, and said so.
    const all = await post({ model: 'lscp', facilityLayer: 'shelters', county: '510802' });
    expect(all.status).toBe(422);
    expect(all.body.error).toMatchObject({ code: 'infeasible', parameter: 'coverageTarget' });
    expect(all.body.error.message).toMatch(/target share of at most/);
    // The advice is a share that can be met: rounded down, and a target of it solves.
    const { share, percent, note } = all.body.error.params;
    expect(note).toBe('siting_lscp_cover_all');
    expect(share).toBe(Math.floor(share * 1000) / 1000);
    expect(percent).toBeCloseTo(share * 100, 6);
    const advised = await post({ model: 'lscp', facilityLayer: 'shelters', county: '510802', coverageTarget: share });
    expect(advised.status, JSON.stringify(advised.body).slice(0, 300)).toBe(200);
    // Four LSCP solves of a county: slower than one test budget on a shared machine.
  }, 180_000);

  it('chooses only among drawn candidates, and answers p-median and p-center on them', async () => {
    const grid = await post({ model: 'mclp', facilityLayer: 'fire_stations', county: '500117', p: 3 });
    // The grid's best sites plus a few far-off ones: the solver must pick from exactly these.
    const drawn = [...grid.body.chosen, { id: 'x', lon: 106.1, lat: 30.2 }, { id: 'y', lon: 106.4, lat: 30.1 }, { id: 'z', lon: 106.2, lat: 30.05 }].map((c: any, k: number) => ({
      type: 'Feature',
      id: `mine-${k}`,
      properties: {},
      geometry: { type: 'Point', coordinates: [c.lon, c.lat] },
    }));
    const ids = drawn.map((f) => f.id);
    const res = await post({ model: 'mclp', facilityLayer: 'fire_stations', county: '500117', p: 2, candidates: { type: 'FeatureCollection', features: drawn }, method: 'exact' });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.chosen).toHaveLength(2);
    for (const c of res.body.chosen) expect(ids).toContain(c.id);
    expect(res.body.status).toBe('optimal');
    expectConsistent(res.body);
    // What-if: the grid's own 3 sites given back as the only candidates re-evaluate to the same coverage.
    const same = await post({ model: 'mclp', facilityLayer: 'fire_stations', county: '500117', p: 3, candidates: { type: 'FeatureCollection', features: drawn.slice(0, 3) }, method: 'exact' });
    expect(same.body.after.covered).toBe(grid.body.after.covered);
    expect(same.body.chosen.map((c: any) => c.addedPopulation)).toEqual(grid.body.chosen.map((c: any) => c.addedPopulation));
    for (const model of ['pmedian', 'pcenter']) {
      const r = await post({ model, facilityLayer: 'fire_stations', county: '500117', p: 2, candidates: { type: 'FeatureCollection', features: drawn } });
      expect(r.status, model).toBe(200);
      for (const c of r.body.chosen) expect(ids).toContain(c.id);
      expect(r.body.notes).toContainEqual({ code: 'siting_unbounded_search' });
      expect(r.body.chosen).toHaveLength(2);
    }
  });

  it('rules out a drawn candidate 144 m from an active geohazard point, with its reason', async () => {
    const hazards = await ctx.api.call('/api/layers/geohazards/features?limit=10000', { token });
    expect(hazards.status).toBe(200);
    const active = hazards.body.features.find((f: any) => f.properties.county_code === '500117' && (f.properties.status === undefined || f.properties.status === 'active'));
    expect(active, 'an active geohazard point in 合川').toBeDefined();
    const [lon, lat] = active.geometry.coordinates;
    // 144 m north of it (1° of latitude ≈ 111,195 m on the haversine sphere), and a far-off candidate.
    const near = { type: 'Feature', id: 'near-slide', properties: {}, geometry: { type: 'Point', coordinates: [lon, lat + 144 / 111_195] } };
    const grid = await post({ model: 'mclp', facilityLayer: 'fire_stations', county: '500117', p: 1 });
    const elsewhere = { type: 'Feature', id: 'elsewhere', properties: {}, geometry: { type: 'Point', coordinates: [grid.body.chosen[0].lon, grid.body.chosen[0].lat] } };
    const res = await post({ model: 'mclp', facilityLayer: 'fire_stations', county: '500117', p: 1, candidates: { type: 'FeatureCollection', features: [near, elsewhere] } });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.chosen.map((c: any) => c.id)).toEqual(['elsewhere']);
    const out = res.body.excluded.find((x: any) => x.id === 'near-slide');
    expect(out.reasons[0]).toMatchObject({ code: 'siting_excluded_geohazard', params: { point: String(active.id), bufferM: 200 } });
    expect(Math.abs(out.reasons[0].params.distanceM - 144)).toBeLessThanOrEqual(2);
  });

  it('answers bad settings with 400 naming the parameter', async () => {
    const base = { model: 'mclp', facilityLayer: 'fire_stations', county: '500117', p: 3 };
    const cases: [unknown, string][] = [
      [{ ...base, model: 'best' }, 'model'],
      [{ ...base, facilityLayer: 'schools' }, 'facilityLayer'],
      [{ ...base, county: '999999' }, 'county'],
      [{ ...base, p: undefined }, 'p'],
      [{ ...base, p: -1 }, 'p'],
      [{ ...base, p: 5000 }, 'p'],
      [{ ...base, threshold: 0 }, 'threshold'],
      [{ ...base, ruralDriveMinutes: 0 }, 'ruralDriveMinutes'],
      [{ ...base, threshold: 4, urbanDriveMinutes: 4 }, 'urbanDriveMinutes'],
      [{ model: 'mclp', facilityLayer: 'shelters', county: '510802', p: 4, ruralDriveMinutes: 14 }, 'ruralDriveMinutes'],
      [{ ...base, mode: 'fly' }, 'mode'],
      [{ ...base, timeLimitSeconds: 90 }, 'timeLimitSeconds'],
      [{ ...base, candidates: 'anywhere' }, 'candidates'],
      [{ ...base, candidates: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'LineString', coordinates: [] } }] } }, 'candidates'],
      [{ model: 'lscp', facilityLayer: 'shelters', county: '510802', coverageTarget: 1.5 }, 'coverageTarget'],
      [{ ...base, colour: 'red' }, 'body'],
    ];
    for (const [body, parameter] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.parameter, JSON.stringify(body)).toBe(parameter);
      expect(res.body.error.message, JSON.stringify(body)).toMatch(/Send JSON like|Known counties/);
    }
    // A town marked urban must be the county's, as fire coverage says.
    const other = await post({ ...base, urbanTowns: ['500105001'] });
    expect(other.status).toBe(400);
    expect(other.body.error).toMatchObject({ code: 'bad_parameter', parameter: 'urbanTowns', params: { towns: '500105001', county: '500117' } });
  });
});
