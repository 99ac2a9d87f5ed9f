/**
 * The import wizard in a real browser over the seeded store: a commander drops a GB18030 CSV of
 * shelters in GCJ-02 on the page, sees the preview drawn where the shelters really are (the
 * fixture's WGS84 truth, tests/fixtures/import/crs-truth.json) only once GCJ-02 is chosen,
 * replaces the demo shelters, and the shelter-capacity analysis then counts exactly the imported ones.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, type TestServer } from '../setup/server.js';
import { SCREENSHOTS, centreOn, deckLayer, useBrowserApp, waitReady } from './browser.js';
import { wgs84ToGcj02 } from '../../core/geo/crs.js';

const FIXTURES = path.resolve('tests/fixtures/import');
const GCJ_CSV = 'shelters-gcj02-gb18030.csv';
const BAD_CSV = 'shelters-bad-rows.csv';
const TRUTH: { id: string; name: string; lon: number; lat: number; county: string }[] = JSON.parse(
  fs.readFileSync(path.join(FIXTURES, 'crs-truth.json'), 'utf8'),
).shelters;
const JIANGBEI = '500105';
const PREVIEW = 'import-preview';
/** These tests walk the map to each shelter and run an analysis: slow on a loaded 2-core machine. */
const SLOW = 180_000;

/** Drags a file over the page (the drop overlay shows), then drops it, as a user would from the desktop. */
async function dragAndDrop(page: Page, name: string): Promise<void> {
  const data = [...fs.readFileSync(path.join(FIXTURES, name))];
  await page.evaluate(
    ({ data, name }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], name, { type: 'text/csv' }));
      (window as unknown as { __drag: DataTransfer }).__drag = dt;
      const map = document.querySelector('[data-testid="map"]')!;
      map.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: dt }));
      map.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
    },
    { data, name },
  );
  await expect.poll(() => page.locator('[data-testid="drop-overlay"]').count()).toBe(1);
  await page.evaluate(() => {
    const dt = (window as unknown as { __drag: DataTransfer }).__drag;
    document.querySelector('[data-testid="drop-overlay"]')!.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
  });
  await expect.poll(() => page.locator('[data-testid="drop-overlay"]').count()).toBe(0);
}

/** Waits for the dry run's report in this CRS, not a previous one still on screen. */
async function reportIn(page: Page, crs: string): Promise<void> {
  await expect.poll(() => page.locator(`[data-testid="import-report"][data-crs="${crs}"]`).count(), { timeout: 30_000 }).toBe(1);
  await expect.poll(() => page.locator('[data-testid="import-updating"]').count()).toBe(0);
  await expect.poll(() => deckLayer(page, PREVIEW).then((l) => l?.count ?? 0)).toBeGreaterThan(0);
}

/** What deck.gl picks at a lon/lat once the map is centred there at street zoom. */
async function pickAt(page: Page, lonLat: [number, number]) {
  const at = await centreOn(page, lonLat, 14);
  return page.evaluate(({ x, y }) => window.__onemap!.pick(x, y), at);
}

/** The API's own dry run of a fixture, sent as multipart/form-data like the browser sends it. */
async function apiDryRun(api: TestServer, name: string, query: string) {
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(path.join(FIXTURES, name))], { type: 'text/csv' }), name);
  const res = await fetch(`${api.url}/api/layers/shelters/import?${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKENS.COMMANDER_TOKEN}` },
    body: form,
  });
  expect(res.status).toBe(200);
  return res.json();
}

describe('import wizard in headless chromium', () => {
  const app = useBrowserApp({ width: 1440, height: 900 });
  let api: TestServer;
  let page: Page;
  beforeAll(() => {
    ({ api, page } = app);
  });
  const shot = (p: Page, name: string) => p.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  const shelters = async () =>
    (await api.call('/api/layers/shelters/features?limit=10000', { token: TOKENS.COMMANDER_TOKEN })).body as {
      numberMatched: number;
      features: { id: string; geometry: { coordinates: [number, number] }; properties: Record<string, unknown> }[];
    };

  it('offers the public no import, and a dropped file opens nothing', async () => {
    await page.goto(api.url);
    await waitReady(page);
    expect(await page.locator('[data-testid="import-open"]').count()).toBe(0);
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['id,name,lon,lat\n'], 'x.csv', { type: 'text/csv' }));
      document.querySelector('[data-testid="map"]')!.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
    });
    expect(await page.locator('[data-testid="import-wizard"]').count()).toBe(0);
  });

  it('previews a GB18030 GCJ-02 CSV at the shelters’ true WGS84 positions once GCJ-02 is chosen', async () => {
    await page.locator('[data-testid="sign-in"]').click();
    await page.locator('[data-testid="token"]').fill(TOKENS.COMMANDER_TOKEN);
    await page.locator('.sign-in-form button[type="submit"]').click();
    // The import tool is a lazily loaded chunk: on a loaded machine it may take more than five seconds.
    await expect.poll(() => page.locator('[data-testid="import-open"]').count(), { timeout: 30_000 }).toBe(1);

    await dragAndDrop(page, GCJ_CSV);
    const wizard = page.locator('[data-testid="import-wizard"]');
    expect(await wizard.getAttribute('data-step')).toBe('setup');
    expect(await page.locator('[data-testid="import-file-name"]').innerText()).toContain(GCJ_CSV);
    // Guessed from the name: "shelters".
    expect(await page.locator('[data-testid="import-layer"]').inputValue()).toBe('shelters');
    expect(await page.locator('[data-testid="import-crs"]').inputValue()).toBe('auto');
    await page.locator('[data-testid="import-dry-run"]').click();

    // GCJ-02 cannot be told from the numbers: detection reads them as degrees in another CRS, and
    // the preview lands 300–600 m off — where the raw GCJ-02 numbers point, not at the truth.
    await expect.poll(() => page.locator('[data-testid="import-report"]').count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => page.locator('[data-testid="import-updating"]').count()).toBe(0);
    const detected = (await page.locator('[data-testid="import-report"]').getAttribute('data-crs'))!;
    expect(detected.toLowerCase()).not.toBe('gcj02');
    const raw = wgs84ToGcj02([TRUTH[0].lon, TRUTH[0].lat]);
    expect(await pickAt(page, raw)).toEqual({ layer: PREVIEW, fid: TRUTH[0].id });
    expect(await pickAt(page, [TRUTH[0].lon, TRUTH[0].lat])).not.toEqual({ layer: PREVIEW, fid: TRUTH[0].id });

    await page.locator('[data-testid="import-crs"]').selectOption('gcj02');
    await reportIn(page, 'gcj02');
    const report = page.locator('[data-testid="import-report"]');
    expect(await report.getAttribute('data-dry-run')).toBe('true');
    expect(await page.locator('[data-testid="report-crs"]').innerText()).toContain('GCJ-02');
    expect(await report.innerText()).toContain('GB18030');
    expect(await page.locator('[data-testid="report-counts"]').innerText()).toBe('读取 5 行 · 可导入 5 · 拒绝 0');
    expect((await deckLayer(page, PREVIEW))?.count).toBe(TRUTH.length);
    // The header 可容纳人数 went to the capacity field (容纳人数).
    await page.locator('[data-testid="import-report"] details summary', { hasText: '列对应' }).click();
    expect(await page.locator('[data-testid="table-columns"] tr[data-column="可容纳人数"] td').nth(1).innerText()).toContain('capacity');
    // Columns no field takes are not all dropped: the coordinates and the id come from them.
    const usedFor = (col: string) => page.locator(`[data-testid="table-columns"] tr[data-column="${col}"] td`).nth(1).innerText();
    expect([await usedFor('经度'), await usedFor('纬度'), await usedFor('编号')]).toEqual(['坐标', '坐标', '编号（id）']);

    // The map was fitted to the preview: every shelter in view.
    await page.waitForFunction(() => !window.__onemap!.map.isMoving());
    await shot(page, 'import-01-preview-gcj02');
    const inView = await page.evaluate((pts) => pts.map((p) => window.__onemap!.map.getBounds().contains([p.lon, p.lat])), TRUTH);
    expect(inView).toEqual(TRUTH.map(() => true));

    // Each shelter is drawn at its WGS84 truth, and no longer at the raw GCJ-02 numbers.
    for (const t of TRUTH) expect(await pickAt(page, [t.lon, t.lat])).toEqual({ layer: PREVIEW, fid: t.id });
    expect(await pickAt(page, raw)).not.toEqual({ layer: PREVIEW, fid: TRUTH[0].id });
  }, SLOW);

  it('replaces the demo shelters after a warning saying how many are deleted; the analysis counts the imported ones', async () => {
    const before = await shelters();
    expect(before.numberMatched).toBeGreaterThan(TRUTH.length);
    // A replace replaces the counties the file covers; the other counties' shelters stay.
    const counties = new Set(TRUTH.map((t) => t.county));
    const inFileCounties = (f: { properties: Record<string, unknown> }) => counties.has(String(f.properties.county_code));
    const replaced = before.features.filter(inFileCounties).length;
    const kept = before.numberMatched - replaced;

    await page.locator('button', { hasText: '返回修改' }).click();
    await page.locator('[data-mode="replace"]').check();
    expect(await page.locator('.import-modes [role="alert"]').innerText()).toContain(`现有的 ${before.numberMatched.toLocaleString("en-US")} 个要素`);
    await shot(page, 'import-02-replace-setup');
    await page.locator('[data-testid="import-dry-run"]').click();
    await reportIn(page, 'gcj02');
    expect(await page.locator('[data-testid="replace-warning"]').innerText()).toContain(`现有的 ${replaced.toLocaleString('en-US')} 个要素`);
    expect(await page.locator('[data-testid="report-writes"]').innerText()).toBe(`将新增 5 · 更新 0 · 删除 ${replaced.toLocaleString('en-US')}`);
    // A dry run writes nothing.
    expect((await shelters()).numberMatched).toBe(before.numberMatched);

    await page.locator('[data-testid="import-confirm"]').click();
    const final = page.locator('[data-testid="import-final"]');
    await expect.poll(() => final.count(), { timeout: 60_000 }).toBe(1);
    expect(await final.getAttribute('data-dry-run')).toBe('false');
    expect(await page.locator('[data-testid="server-phase"]').getAttribute('data-phase')).toBe('done');
    expect(await page.locator('[data-testid="upload-progress"]').evaluate((el) => (el as HTMLProgressElement).value)).toBe(1);
    await shot(page, 'import-03-done');

    // The file's counties hold exactly the imported shelters, at their true positions.
    const after = await shelters();
    expect(after.numberMatched).toBe(kept + TRUTH.length);
    expect(after.features.filter(inFileCounties).map((f) => f.id).sort()).toEqual(TRUTH.map((t) => t.id).sort());
    for (const t of TRUTH) {
      const f = after.features.find((x) => x.id === t.id)!;
      expect(f.properties.name).toBe(t.name);
      expect(Math.abs(f.geometry.coordinates[0] - t.lon)).toBeLessThan(2e-6);
      expect(Math.abs(f.geometry.coordinates[1] - t.lat)).toBeLessThan(2e-6);
    }
    // The page reloaded the layer: its count and the points drawn.
    await page.locator('[data-testid="import-close"]').click();
    await expect.poll(() => page.locator('[data-count="shelters"]').innerText()).toBe((kept + TRUTH.length).toLocaleString('en-US'));
    await expect.poll(() => deckLayer(page, 'shelters').then((l) => l?.count)).toBe(kept + TRUTH.length);
    expect(await deckLayer(page, PREVIEW)).toBeNull();

    // The shelter analysis of 江北 now reads the three imported there.
    await page.locator('[data-testid="area"]').selectOption(JIANGBEI);
    await page.locator('[data-tab="analysis"]').click();
    await page.locator('[data-analysis="shelter"]').check();
    await page.locator('[data-testid="run-analysis"]').click();
    await expect.poll(() => page.locator('[data-testid="analysis-results"]').getAttribute('data-kind').catch(() => null), { timeout: 60_000 }).toBe('shelter');
    const res = await api.call('/api/analysis/shelter-capacity', { method: 'POST', body: { county: JIANGBEI }, token: TOKENS.COMMANDER_TOKEN });
    expect(res.status).toBe(200);
    const counted = res.body.towns.reduce((a: number, t: { shelters: number }) => a + t.shelters, 0);
    const inJiangbei = TRUTH.filter((t) => t.county === JIANGBEI).map((t) => t.id);
    expect(counted + res.body.excluded.length).toBe(inJiangbei.length);
    expect(res.body.excluded.every((e: { id: string }) => inJiangbei.includes(e.id))).toBe(true);
    expect(counted).toBeGreaterThan(0);
    expect(Number((await page.locator('[data-testid="table-towns"] tfoot td[data-col="shelters"]').innerText()).replace(/\D/g, ''))).toBe(counted);
    await shot(page, 'import-04-analysis');
  }, SLOW);

  it('lists the rejected rows as the API does, on a phone', async () => {
    const phone = await app.browser.newPage({ viewport: { width: 390, height: 844 } });
    app.watch(phone);
    await phone.addInitScript((token) => localStorage.setItem('onemap.token', token), TOKENS.COMMANDER_TOKEN);
    await phone.goto(api.url);
    await waitReady(phone);
    await phone.locator('[data-testid="import-input"]').setInputFiles(path.join(FIXTURES, BAD_CSV));
    expect(await phone.locator('[data-testid="import-layer"]').inputValue()).toBe('shelters');
    await phone.locator('[data-testid="import-crs"]').selectOption('wgs84');
    await phone.locator('[data-testid="import-dry-run"]').click();
    await reportIn(phone, 'wgs84');
    const expected = await apiDryRun(api, BAD_CSV, 'crs=wgs84&mode=append&dryRun=true');
    expect(expected.rejected.length).toBeGreaterThan(0);
    const rows = phone.locator('[data-testid="table-rejected"] tbody tr');
    expect(await rows.count()).toBe(expected.rejected.length);
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-row'))));
    expect(shown).toEqual(expected.rejected.map((r: { row: number }) => r.row));
    expect(await phone.locator('[data-testid="report-counts"]').innerText()).toContain(`可导入 ${expected.importable}`);
    // Both importable rows are drawn in the strip of map between the top bar and the sheet.
    await phone.waitForFunction(() => !window.__onemap!.map.isMoving());
    const sheetTop = (await phone.locator('[data-testid="import-wizard"]').boundingBox())!.y;
    const barBottom = await phone.evaluate(() => Math.max(...[...document.querySelectorAll('.topbar, .side-panel')].map((el) => el.getBoundingClientRect().bottom)));
    const good = expected.preview.features.map((f: { geometry: { coordinates: [number, number] } }) => f.geometry.coordinates);
    expect(good).toHaveLength(2);
    const pixels = await phone.evaluate((pts: [number, number][]) => pts.map((p) => window.__onemap!.map.project(p)), good as [number, number][]);
    for (const p of pixels) {
      expect(p.y).toBeGreaterThan(barBottom);
      expect(p.y).toBeLessThan(sheetTop);
    }
    // The sheet leaves the top of the map in view and fits the screen's width.
    const box = (await phone.locator('[data-testid="import-wizard"]').boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(box.y).toBeGreaterThan(200);
    await shot(phone, 'import-05-phone-rejected');
    await phone.close();
  }, SLOW);
});
