/**
 * The commander's incident view in a real browser over the seeded store: an incident in 合川 with
 * 3,000 people affected, typed as WGS84 coordinates on a road; the ranked lists and routes as the
 * API answers them; a closure clicked on the road of the fastest fire engine's route and the ETA
 * that changes; the dispatch sheet as PDF (checked with pdfinfo: one A4 page) and PNG; the warning
 * list as CSV; saving, closing and reopening. Every figure checked is the API's own answer for the
 * request the page sent (captured from the network), so the test fails if the page drops,
 * mislabels or mis-formats anything.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Download, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AssessmentRequest, IncidentAssessment } from '../../core/incident/schema.js';
import { TOKENS, type TestServer } from '../setup/server.js';
import { SCREENSHOTS, centreOn, deckLayer, useBrowserApp, waitReady } from './browser.js';

const HECHUAN = '500117';
const AFFECTED = 3000;

/** The ETA as the sheet writes it below two hours. */
const etaText = (minutes: number) => `${Math.round(minutes)} 分钟`;

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('incident view in headless chromium', () => {
  const app = useBrowserApp({ width: 1440, height: 900 });
  let api: TestServer;
  let page: Page;
  let origin: [number, number];
  let first: IncidentAssessment;
  beforeAll(async () => {
    ({ api, page } = app);
    // A point in the middle of a secondary road of 合川: the incident is on the network, whatever the demo roads are.
    const roads = (await api.call(`/api/layers/roads/features?county_code=${HECHUAN}&class=secondary&limit=50`, { token: TOKENS.COMMANDER_TOKEN })).body.features;
    const road = roads.find((f: any) => f.geometry.coordinates.length >= 3) ?? roads[0];
    const line = road.geometry.coordinates as [number, number][];
    origin = line[Math.floor(line.length / 2)];
  });

  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  const assess = async (body: AssessmentRequest): Promise<IncidentAssessment> => {
    const res = await api.call('/api/analysis/incident', { method: 'POST', body, token: TOKENS.COMMANDER_TOKEN });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    return res.body;
  };
  /** Runs `act`, and returns the body of the assessment request it makes once the page shows the answer. */
  async function assessed(act: () => Promise<void>): Promise<AssessmentRequest> {
    const request = page.waitForRequest((r) => r.url().endsWith('/api/analysis/incident') && r.method() === 'POST', { timeout: 30_000 });
    await act();
    const body = JSON.parse((await request).postData()!);
    await expect.poll(() => page.locator('[data-testid="incident-results"]').getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
    return body;
  }
  async function saved(download: Promise<Download>): Promise<Buffer> {
    return fs.readFileSync((await (await download).path())!);
  }
  const downloadOf = (testid: string) => Promise.all([page.waitForEvent('download', { timeout: 40_000 }), page.locator(`[data-testid="${testid}"]`).click()]).then(([d]) => d);
  const etas = (group: string) => page.locator(`[data-testid="group-${group}"] [data-testid="eta"]`).allInnerTexts();
  const names = (group: string) => page.locator(`[data-testid="group-${group}"] .incident-item .name`).allInnerTexts();

  it('is offered to a signed-in commander in the top bar, and not to the public', async () => {
    await page.goto(api.url);
    await waitReady(page);
    expect(await page.locator('[data-testid="incident-open"]').count()).toBe(0);
    await page.locator('[data-testid="sign-in"]').click();
    await page.locator('[data-testid="token"]').fill(TOKENS.COMMANDER_TOKEN);
    await page.locator('.sign-in-form button[type="submit"]').click();
    await page.locator('[data-testid="incident-open"]').click();
    await expect.poll(() => page.locator('[data-testid="incident-sheet"]').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.locator('[data-testid="incident-open"]').innerText()).toBe('事件 Incident');
    // The geohazard picker offers the points of the county in the top bar only, not every county's.
    const area = await page.locator('[data-testid="area"]').inputValue();
    const inArea = (await api.call(`/api/layers/geohazards/features?county_code=${area}&limit=10000`, { token: TOKENS.COMMANDER_TOKEN })).body.features.length;
    const all = (await api.call('/api/layers/geohazards/features?limit=10000', { token: TOKENS.COMMANDER_TOKEN })).body.features.length;
    expect(inArea).toBeGreaterThan(0);
    expect(inArea).toBeLessThan(all);
    await expect.poll(() => page.locator('[data-testid="incident-geohazard"] option').count(), { timeout: 30_000 }).toBe(inArea + 1);
  }, 120_000);

  it('places an incident in 合川 by typed coordinates with 3,000 people affected and lists resources by ETA with routes', async () => {
    await page.locator('[data-testid="incident-hazard"]').selectOption('earthquake');
    await page.locator('[data-testid="incident-affected"]').fill(String(AFFECTED));
    await page.locator('[data-testid="incident-lon"]').fill(String(origin[0]));
    await page.locator('[data-testid="incident-lat"]').fill(String(origin[1]));
    const body = await assessed(() => page.locator('[data-testid="incident-locate"]').click());
    expect(body).toMatchObject({ origin, crs: 'wgs84', hazard: 'earthquake', affectedPersons: AFFECTED });
    first = await assess(body);
    expect(first.closest.origin.county).toBe(HECHUAN);
    expect(first.affected).toMatchObject({ persons: AFFECTED, estimated: false });

    // Every group the API ranks, in its order, with its ETAs as the sheet writes them.
    const groups = first.closest.groups.filter((g) => g.items.length > 0);
    expect(groups.map((g) => g.key)).toEqual(expect.arrayContaining(['fire_stations', 'rescue_teams', 'depots', 'shelters']));
    for (const g of groups) {
      expect(await names(g.key)).toEqual(g.items.map((i) => i.name));
      const shown = await etas(g.key);
      g.items.forEach((item, k) => {
        if (item.etaMinutes < 120) expect(shown[k]).toBe(etaText(item.etaMinutes));
        else expect(shown[k]).toMatch(/^\d+ 小时( \d+ 分钟)?$/);
      });
    }
    // Every route is drawn, and the incident.
    const routes = groups.flatMap((g) => g.items).filter((i) => i.route.length > 1).length;
    expect((await deckLayer(page, 'incident-routes'))?.count).toBe(routes);
    expect((await deckLayer(page, 'incident-marker'))?.count).toBe(1);
    expect(await page.locator('[data-testid="incident-facts"]').innerText()).toContain('受影响 3,000 人（指挥人员填报）');

    // Supplies against need, item by item, with the shortfalls in words.
    const supplies = page.locator('[data-testid="table-supplies"] tbody tr');
    const items = new Set(first.supply.tiers.flatMap((t) => t.items.map((i) => i.item)));
    expect(await supplies.count()).toBe(items.size);
    const short = first.supply.tiers.flatMap((t) => t.items.filter((i) => i.shortfall > 0).map((i) => ({ tier: t.minutes, ...i })))[0];
    if (short) {
      const cell = page.locator(`[data-testid="table-supplies"] [data-row="${short.item}"] td[data-col="tier${short.tier}"]`);
      expect(await cell.innerText()).toContain(`缺 ${short.shortfall.toLocaleString('en-US')}`);
      expect(await cell.getAttribute('class')).toContain('bad');
    }
    // The rates' citations in Chinese, not the API's English source text.
    const enough = await page.locator('[data-testid="incident-enough"]').textContent();
    expect(first.supply.rates[0]).toMatchObject({ item: 'tent', source: expect.stringContaining('Sphere Handbook 2018') });
    expect(enough).toContain('Sphere 手册（2018）住所与安置标准 3');
    expect(enough).not.toContain('Sphere Handbook');
    await shot('incident-01-placed');
  }, 180_000);

  it('highlights a route and flies to it when a resource is clicked', async () => {
    const station = first.closest.groups.find((g) => g.key === 'fire_stations')!.items[0];
    await page.locator(`[data-testid="group-fire_stations"] [data-item="${station.id}"] .incident-item`).click();
    await expect.poll(() => deckLayer(page, 'incident-route-selected').then((l) => l?.count), { timeout: 10_000 }).toBe(1);
    // The map shows the route: its start (the station) is on screen after the flight.
    await page.waitForFunction(() => !window.__onemap!.map.isMoving(), null, { timeout: 10_000 });
    const at = await page.evaluate((p) => window.__onemap!.map.project(p), station.route[0]);
    expect(at.x).toBeGreaterThan(0);
    expect(at.x).toBeLessThan(1440 - 480);
    expect(at.y).toBeGreaterThan(0);
    expect(at.y).toBeLessThan(900);
    await shot('incident-02-route');
  }, 180_000);

  it('blocks the road of the fastest fire engine’s route and shows the ETA change or the next station', async () => {
    const before = first.closest.groups.find((g) => g.key === 'fire_stations')!.items[0];
    // A point on the route's link about a third of the way from the station: on that road, not at a junction.
    const k = Math.max(0, Math.floor((before.route.length - 1) / 3));
    const [a, b] = [before.route[k], before.route[k + 1] ?? before.route[k]];
    const block: [number, number] = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    const at = await centreOn(page, block, 16);
    await page.locator('[data-testid="closure-point"]').click();
    // The map takes the click for the closure once the pick mode has reached it (its map part is
    // registered in an effect after the button's render; on a loaded machine that takes a while).
    await page.locator('[data-testid="map"].picking').waitFor({ timeout: 10_000 });
    const body = await assessed(() => page.mouse.click(at.x, at.y));
    expect(body.closures).toBeDefined();
    const after = await assess(body);
    expect(after.closest.closures).toHaveLength(1);
    expect(after.closest.closures[0].linksClosed).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid="closure-list"]').innerText(), { timeout: 30_000 }).toMatch(/封闭 1（点）：已封闭 \d+ 段道路/);

    const next = after.closest.groups.find((g) => g.key === 'fire_stations')!.items[0];
    // The blocked road no longer carries the fastest engine: it comes later, or another station comes first.
    expect(next.id !== before.id || next.etaMinutes > before.etaMinutes).toBe(true);
    expect((await names('fire_stations'))[0]).toBe(next.name);
    expect((await etas('fire_stations'))[0]).toBe(etaText(next.etaMinutes));
    expect((await deckLayer(page, 'incident-closure-points'))?.count).toBe(1);
    await page.waitForFunction(() => !window.__onemap!.map.isMoving(), null, { timeout: 10_000 });
    await shot('incident-03-closure');
  }, 180_000);

  it('exports the dispatch sheet as one A4 page (PDF) and as a PNG', async () => {
    const pdf = await saved(downloadOf('dispatch-pdf'));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const file = path.join(SCREENSHOTS, 'incident-dispatch.pdf');
    fs.writeFileSync(file, pdf);
    if (spawnSync('which', ['pdfinfo']).status === 0) {
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      expect(info).toMatch(/Pages:\s+1\b/);
      expect(info).toMatch(/Page size:\s+841\.89 x 595\.28 pts \(A4\)/);
    } else console.warn('pdfinfo is not installed: the PDF was checked by its structure only (apt-get install poppler-utils).');

    const png = await saved(downloadOf('dispatch-png'));
    expect(pngSize(png)).toEqual({ width: 1684, height: 1191 });
    fs.writeFileSync(path.join(SCREENSHOTS, 'incident-04-dispatch.png'), png);
  }, 120_000);

  it('exports who must be warned as CSV, saves the incident, closes and reopens it', async () => {
    const csv = await saved(downloadOf('incident-warn-csv'));
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.subarray(3).toString('utf8').split('\r\n')[0]).toBe('类别,名称,联系人,电话,乡镇（街道）,人口');

    await page.locator('[data-testid="incident-save"]').click();
    // A refused save shows why: the poll reports it rather than only a timeout.
    const saveState = async () => (await page.locator('[data-testid="incident-save-error"]').count()) ? await page.locator('[data-testid="incident-save-error"]').innerText() : await page.locator('[data-testid="incident-save-status"]').innerText();
    await expect.poll(saveState, { timeout: 30_000 }).toBe('已保存（第 1 版）');
    const open = (await api.call('/api/incidents?status=open', { token: TOKENS.COMMANDER_TOKEN })).body.incidents;
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ hazard: 'earthquake', affectedPersons: AFFECTED, status: 'open', county: HECHUAN });
    expect(open[0].closures.features).toHaveLength(1);
    await expect.poll(() => page.locator('[data-testid="incident-list"] li').count(), { timeout: 30_000 }).toBe(1);

    // The saved incident's list is the server's CSV.
    const server = await saved(downloadOf('incident-warn-csv'));
    expect([...server.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    await page.locator('[data-testid="incident-list"] [data-testid="incident-close"]').click();
    await expect.poll(() => page.locator('[data-testid="incident-list"] li').count(), { timeout: 30_000 }).toBe(0);
    expect((await api.call('/api/incidents?status=closed', { token: TOKENS.COMMANDER_TOKEN })).body.incidents[0].status).toBe('closed');
    await page.locator('.incident-list details summary').click();
    await page.locator('[data-testid="incident-reopen-closed"]').click();
    await expect.poll(() => page.locator('[data-testid="incident-list"] li').count(), { timeout: 30_000 }).toBe(1);
    await shot('incident-05-saved');
  }, 180_000);

  it('reads in English on request: the sheet, ETAs and tiers', async () => {
    await page.locator('[data-testid="language"]').click();
    await expect.poll(() => page.locator('[data-testid="incident-sheet"] h2').innerText()).toBe('Incident assessment and dispatch');
    const shown = await etas('fire_stations');
    expect(shown.length).toBeGreaterThan(0);
    for (const text of shown) expect(text).toMatch(/^(\d+ min|\d+ h \d+ min)$/);
    expect(await page.locator('[data-testid="incident-resources"] h3').innerText()).toBe('Nearest resources by ETA');
    await shot('incident-06-english');
    await page.locator('[data-testid="language"]').click();
  }, 60_000);
});
