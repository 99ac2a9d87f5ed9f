/**
 * The analysis panel and the rescue circle in a real browser, over the seeded store (demo roads,
 * towns, stations): every figure the page shows is checked against the API's own answer for the
 * same request, so the test fails if the client drops, mislabels or mis-sums anything.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Download, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, type TestServer } from '../setup/server.js';
import { SCREENSHOTS, centreOn, deckLayer, useBrowserApp, waitReady } from './browser.js';

const HECHUAN = '500117';
const JIANGBEI = '500105';

interface PointFeature {
  id: string;
  geometry: { coordinates: [number, number] };
  properties: { name: string; county_code: string };
}

/** Digits of a formatted number ("1,245,294 人" → 1245294). */
const digits = (text: string): number => Number(text.replace(/[^\d.]/g, ''));

const sum = <T>(rows: T[], get: (r: T) => number) => rows.reduce((a, r) => a + get(r), 0);

describe('analysis panel in headless chromium', () => {
  const app = useBrowserApp({ width: 1440, height: 900 });
  let api: TestServer;
  let page: Page;
  beforeAll(() => {
    ({ api, page } = app);
  });

  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  const post = async (endpoint: string, body: unknown, token?: string) => {
    const res = await api.call(`/api/analysis/${endpoint}`, { method: 'POST', body, token });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    return res.body;
  };
  /** Runs the chosen analysis and waits for its result (not a previous one) to be shown. */
  async function run(kind: string): Promise<void> {
    const before = await page.locator('[data-testid="run-time"]').count();
    const previous = before ? await page.locator('[data-testid="analysis-results"]').getAttribute('data-kind') : null;
    await page.locator('[data-testid="run-analysis"]').click();
    await expect
      .poll(() => page.locator('[data-testid="analysis-results"]').getAttribute('data-kind').catch(() => null), { timeout: 30_000 })
      .toBe(kind);
    if (previous === kind) await expect.poll(() => page.locator('[data-testid="run-status"] .spinner').count()).toBe(0);
  }
  async function saved(download: Promise<Download>): Promise<Buffer> {
    const file = await (await download).path();
    return fs.readFileSync(file!);
  }
  const cell = (row: string, col: string) => page.locator(`[data-testid="table-towns"] [data-row="${row}"] td[data-col="${col}"]`);
  const total = (col: string) => page.locator(`[data-testid="table-towns"] tfoot td[data-col="${col}"]`);

  it('offers the public the isochrone only, and draws it from a point picked on the map', async () => {
    await page.goto(api.url);
    await waitReady(page);
    await page.locator('[data-tab="analysis"]').click();
    // The tab's tools are loaded when it is first opened.
    await expect.poll(() => page.$$eval('[data-analysis]', (els) => els.map((e) => e.getAttribute('data-analysis'))), { timeout: 30_000 }).toEqual(['isochrone']);
    expect(await page.locator('[data-testid="analysis-public-note"]').innerText()).toContain('指挥人员登录');

    const shelter: PointFeature = (await api.call(`/api/layers/shelters/features?county_code=${JIANGBEI}&limit=1`)).body.features[0];
    const at = await centreOn(page, shelter.geometry.coordinates, 12);
    await page.locator('[data-testid="pick-origin"]').click();
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => page.locator('.origins li').count()).toBe(1);
    await run('isochrone');

    for (const id of ['analysis-isochrone', 'analysis-isochrone-labels']) expect((await deckLayer(page, id))?.count).toBe(3);
    // The exported GeoJSON says exactly where the origin was; the API must give the same rings for it.
    // Written by the server (POST /api/export, GeoJSON in WGS84 by default).
    await page.locator('[data-testid="export-result"]').click();
    const geojson = JSON.parse((await saved(Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-result-download"]').click()]).then(([d]) => d))).toString('utf8'));
    expect(geojson.features.map((f: any) => f.properties.minutes)).toEqual([15, 30, 60]);
    const origin = geojson.parameters.origins[0].lonLat;
    expect(Math.abs(origin[0] - shelter.geometry.coordinates[0])).toBeLessThan(0.001);
    const rings = await post('isochrone', { origins: [origin], minutes: [15, 30, 60], mode: 'drive' });
    const summary = await page.locator('[data-testid="analysis-summary"] > ul > li').allInnerTexts();
    expect(summary).toHaveLength(3);
    rings.features.forEach((f: any, i: number) => {
      expect(f.properties.population).toBeGreaterThan(0);
      expect(summary[i]).toContain(`${f.properties.minutes} 分钟`);
      expect(summary[i]).toContain(f.properties.population.toLocaleString('en-US'));
    });
    await shot('analysis-01-public-isochrone');
  });

  it('runs the fire coverage of 合川 for a commander: 30 towns, totals as the API, map layers, CSV', async () => {
    await page.locator('[data-testid="sign-in"]').click();
    await page.locator('[data-testid="token"]').fill(TOKENS.COMMANDER_TOKEN);
    await page.locator('.sign-in-form button[type="submit"]').click();
    await expect
      .poll(() => page.$$eval('[data-analysis]', (els) => els.map((e) => e.getAttribute('data-analysis'))), { timeout: 30_000 })
      .toEqual(['fire', 'shelter', 'relief', 'siting', 'isochrone']);
    // Signing in keeps the public's isochrone; the commander's own result replaces it.
    await page.locator('[data-testid="area"]').selectOption(HECHUAN);
    await page.locator('[data-analysis="fire"]').check();
    await run('fire');

    const result = await post('fire-coverage', { county: HECHUAN }, TOKENS.COMMANDER_TOKEN);
    expect(result.towns).toHaveLength(30);
    await expect.poll(() => page.locator('[data-testid="table-towns"] tbody tr').count(), { timeout: 30_000 }).toBe(30);
    expect(digits(await total('population').innerText())).toBe(sum(result.towns, (t: any) => t.population));
    expect(digits(await total('covered').innerText())).toBe(sum(result.towns, (t: any) => t.covered));
    expect(digits(await total('uncovered').innerText())).toBe(sum(result.towns, (t: any) => t.uncovered));
    const town = result.towns[0];
    expect(digits(await cell(town.code, 'uncovered').innerText())).toBe(town.uncovered);
    expect(await page.locator('[data-testid="table-stations"] tbody tr').count()).toBe(result.stations.length);
    expect(await page.locator('[data-testid="run-time"]').innerText()).toMatch(/^用时 [\d.]+ 秒$/);

    expect(result.serviceAreas.features.length).toBeGreaterThan(0);
    expect(result.uncovered.features.length).toBeGreaterThan(0);
    expect((await deckLayer(page, 'analysis-service-areas'))?.count).toBe(result.serviceAreas.features.length);
    expect((await deckLayer(page, 'analysis-uncovered'))?.count).toBe(result.uncovered.features.length);
    expect(await page.locator('[data-testid="analysis-legend"]').first().innerText()).toContain('未覆盖人口');
    await shot('analysis-02-fire-coverage');

    const csv = await saved(Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-csv-towns"]').click()]).then(([d]) => d));
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('乡镇（街道）,代码,人口（人）,已覆盖（人）,未覆盖（人）,覆盖率（%）,适用标准,到达时限（分钟）');
    expect(lines).toHaveLength(1 + 30 + 1);
    expect(lines[1].split(',').slice(0, 5)).toEqual([town.name, town.code, String(town.population), String(town.covered), String(town.uncovered)]);
    expect(lines[1].split(',').slice(6)).toEqual([town.name.endsWith('街道') ? '城区（街道）' : '乡镇', String(town.minutes)]);
    // Urban, rural and total apart; the micro-station table town by town; the basis in Chinese.
    const scopes = await page.locator('[data-testid="table-totals"] tbody tr td[data-col="covered"]').allInnerTexts();
    expect(scopes.map(digits)).toEqual([result.totals.urban.covered, result.totals.rural.covered, result.totals.all.covered]);
    expect(await page.locator('[data-testid="table-micro"] tbody tr').count()).toBe(30);
    expect(await page.locator('[data-testid="analysis-results"]').innerText()).toContain('GB 51080-2015《城市消防规划规范》第4.1.3条');
    expect(lines[31].split(',')[2]).toBe(String(sum(result.towns, (t: any) => t.population)));

    // The result stays on the map while layers are switched off and on.
    await page.locator('[data-tab="layers"]').click();
    await page.locator('[data-layer="fire_stations"]').uncheck();
    await page.locator('[data-layer="admin_units"]').uncheck();
    await expect.poll(() => deckLayer(page, 'fire_stations').then((l) => l?.visible)).toBe(false);
    expect((await deckLayer(page, 'analysis-uncovered'))?.count).toBe(result.uncovered.features.length);
    await page.locator('[data-layer="fire_stations"]').check();
    await page.locator('[data-layer="admin_units"]').check();
    await page.locator('[data-tab="analysis"]').click();
    expect(await page.locator('[data-testid="table-towns"] tbody tr').count()).toBe(30);
  });

  it('says which parameter is wrong when the API refuses it', async () => {
    await page.locator('[data-testid="params-toggle"]').click();
    await page.locator('[data-param="driveMinutes"] input').fill('0');
    await page.locator('[data-testid="run-analysis"]').click();
    const error = page.locator('[data-testid="analysis-error"]');
    await expect.poll(() => error.innerText().catch(() => ''), { timeout: 30_000 }).toContain('参数“城区行车时间”有误');
    expect(await error.innerText()).toContain('driveMinutes');
    // The last good result is still there.
    expect(await page.locator('[data-testid="analysis-results"]').getAttribute('data-kind')).toBe('fire');
    await page.locator('[data-param="driveMinutes"] button').click();
    expect(await page.locator('[data-param="driveMinutes"] input').inputValue()).toBe('4');
  });

  it('clears the result from the map and the panel', async () => {
    await page.locator('[data-testid="clear-results"]').click();
    await expect.poll(() => page.locator('[data-testid="analysis-results"]').count()).toBe(0);
    const ids = await page.evaluate(() => window.__onemap!.deckLayers().map((l) => l.id));
    expect(ids.filter((id) => id.startsWith('analysis-'))).toEqual([]);
  });

  it('proposes the best 3 new fire stations for 合川: numbered on the map, per town before/after, and a what-if site', async () => {
    await page.locator('[data-testid="area"]').selectOption(HECHUAN);
    await page.locator('[data-analysis="siting"]').check();
    await run('siting');
    // The form's default for fire stations: fire coverage's urban/rural rule (4 / 14 min driving).
    const body = { model: 'mclp', facilityLayer: 'fire_stations', county: HECHUAN, urbanDriveMinutes: 4, ruralDriveMinutes: 14, mode: 'drive' };
    const result = await post('siting', { ...body, p: 3 }, TOKENS.COMMANDER_TOKEN);
    const sites = page.locator('[data-testid="table-sites"] tbody tr');
    await expect.poll(() => sites.count()).toBe(3);
    const added = await page.locator('[data-testid="table-sites"] tbody td[data-col="addedPopulation"]').allInnerTexts();
    expect(added.map(digits)).toEqual(result.chosen.map((c: any) => c.addedPopulation));
    expect(await page.locator('[data-testid="table-towns"] tbody tr').count()).toBe(30);
    expect(digits(await total('coveredBefore').innerText())).toBe(result.before.covered);
    expect(digits(await total('coveredAfter').innerText())).toBe(result.after.covered);
    expect(await page.locator('[data-testid="analysis-summary"]').innerText()).toContain(result.status === 'optimal' ? '已证明最优' : '可行解');
    expect(await page.locator('.site-marker').allInnerTexts()).toEqual(['1', '2', '3']);
    expect((await deckLayer(page, 'analysis-towns'))?.count).toBe(30);
    await shot('analysis-05-siting');

    // What-if: a site placed by hand 3 km east of the best one is evaluated with the three proposed.
    const [lon, lat] = [result.chosen[0].lon + 0.03, result.chosen[0].lat];
    const at = await centreOn(page, [lon, lat], 12);
    await page.locator('[data-testid="add-manual-site"]').click();
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => sites.count(), { timeout: 30_000 }).toBe(4);
    await expect.poll(() => page.locator('.site-marker.manual').count()).toBe(1);
    expect(await page.locator('.site-marker').count()).toBe(4);
    expect(digits(await total('coveredAfter').innerText())).toBeGreaterThanOrEqual(result.after.covered);
    await shot('analysis-06-siting-what-if');
  });

  it('colours 江北 towns by shelter area per resident and marks the failing ones', async () => {
    // A commander records an active landslide 50 m east of a 江北 shelter: the map must ring that shelter.
    const near: PointFeature = (await api.call(`/api/layers/shelters/features?county_code=${JIANGBEI}&limit=1`)).body.features[0];
    const [slon, slat] = near.geometry.coordinates;
    const added = await api.call('/api/layers/geohazards/features', {
      method: 'POST',
      token: TOKENS.COMMANDER_TOKEN,
      body: { type: 'Feature', geometry: { type: 'Point', coordinates: [slon + 0.0005, slat] }, properties: { name: '测试滑坡', type: 'landslide', status: 'active' } },
    });
    expect(added.status).toBe(201);
    await page.locator('[data-testid="area"]').selectOption(JIANGBEI);
    await page.locator('[data-analysis="shelter"]').check();
    await run('shelter');
    const result = await post('shelter-capacity', { county: JIANGBEI }, TOKENS.COMMANDER_TOKEN);
    const failing = result.towns.find((t: any) => !t.meetsStandard);
    const meeting = result.towns.find((t: any) => t.meetsStandard);
    expect(failing).toBeDefined();
    expect(meeting).toBeDefined();
    expect(await cell(failing.code, 'meetsStandard').innerText()).toBe('否');
    expect(await cell(failing.code, 'meetsStandard').getAttribute('class')).toContain('bad');
    expect(Number(await cell(failing.code, 'areaPerResidentM2').innerText())).toBeCloseTo(failing.areaPerResidentM2, 2);
    expect(digits(await cell(failing.code, 'shortfallPersons').innerText())).toBe(failing.shortfallPersons);
    expect(await cell(meeting.code, 'meetsStandard').innerText()).toBe('是');
    expect((await cell(meeting.code, 'meetsStandard').getAttribute('class')) ?? '').not.toContain('bad');
    expect(await page.locator('[data-testid="bar-chart"] figcaption').innerText()).toContain('人均有效避难面积');
    expect((await deckLayer(page, 'analysis-towns'))?.count).toBe(result.towns.length);
    expect((await deckLayer(page, 'analysis-uncovered'))?.count).toBe(result.uncovered.features.length);
    expect(await deckLayer(page, 'analysis-service-areas')).toBeNull();
    // Shelters near a geohazard point are ringed on the map (suitability, 200 m by default).
    expect(result.unsuitable.map((u: { id: string }) => u.id)).toContain(near.id);
    expect((await deckLayer(page, 'analysis-unsuitable'))?.count).toBe(result.unsuitable.length);
    await shot('analysis-03-shelter-capacity');
  });

  it('shows the 1-hour rescue circle of a clicked fire station with the population reached', async () => {
    const get = async (layer: string) =>
      (await api.call(`/api/layers/${layer}/features?county_code=${HECHUAN}&limit=10000`, { token: TOKENS.COMMANDER_TOKEN })).body.features as PointFeature[];
    const [stations, others] = await Promise.all([get('fire_stations'), Promise.all([get('shelters'), get('depots')]).then((x) => x.flat())]);
    // A station with no other point within ~300 m, so the click cannot hit a neighbour.
    const station = stations.find((s) => {
      const [x, y] = s.geometry.coordinates;
      return [...stations, ...others].every((o) => o === s || Math.hypot(o.geometry.coordinates[0] - x, o.geometry.coordinates[1] - y) > 0.003);
    });
    if (!station) throw new Error('No fire station of 合川 stands 0.003° from every other point: the demo data has changed.');

    const at = await centreOn(page, station.geometry.coordinates, 14);
    expect(await page.evaluate(({ x, y }) => window.__onemap!.pick(x, y), at)).toEqual({ layer: 'fire_stations', fid: station.id });
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => page.locator('[data-testid="detail"] h2').innerText()).toBe(station.properties.name);
    const hour = page.locator('[data-testid="rescue-circle"] tr[data-minutes="60"] td[data-col="population"]');
    await expect.poll(() => hour.innerText().catch(() => ''), { timeout: 20_000 }).toMatch(/\d/);

    const rings = await post('isochrone', { origins: [station.geometry.coordinates], minutes: [15, 30, 60], mode: 'drive' });
    const sixty = rings.features.find((f: any) => f.properties.minutes === 60);
    expect(sixty.properties.population).toBeGreaterThan(0);
    expect(digits(await hour.innerText())).toBe(sixty.properties.population);
    expect((await deckLayer(page, 'rescue-circle'))?.count).toBe(rings.features.length);
    await page.locator('[data-testid="fit-rescue-circle"]').click();
    await page.waitForFunction(() => !window.__onemap!.map.isMoving());
    await shot('analysis-04-rescue-circle');

    await page.locator('[data-testid="detail"] button.close').click();
    await expect.poll(() => deckLayer(page, 'rescue-circle')).toBeNull();
  });

  it("takes the commander's result away on signing out, and offers the isochrone only", async () => {
    expect(await page.locator('[data-testid="analysis-results"]').getAttribute('data-kind')).toBe('shelter');
    await page.locator('.sign-in.signed-in button').click();
    await expect.poll(() => page.locator('[data-testid="analysis-results"]').count()).toBe(0);
    const ids = await page.evaluate(() => window.__onemap!.deckLayers().map((l) => l.id));
    expect(ids.filter((id) => id.startsWith('analysis-'))).toEqual([]);
    expect(await page.$$eval('[data-analysis]', (els) => els.map((e) => e.getAttribute('data-analysis')))).toEqual(['isochrone']);
  });
});
