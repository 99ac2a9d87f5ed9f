/**
 * Road networks in the browser (issue 14) over the seeded store: the public sees neither the islands
 * overlay nor settings; an admin imports a road file with an overpass and an island through the
 * wizard (tests/fixtures/roads/island-overpass.geojson, 合川), sees the preview's detected rule
 * (end points: 3 pieces) preset in the chooser, chooses "any shared vertex" (2 pieces), imports;
 * the county's stored rule is that choice, and the islands overlay of 合川 draws its one island.
 * Changed back to end points in settings, the county's graph is rebuilt and the overlay draws two.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, type TestServer } from '../setup/server.js';
import { SCREENSHOTS, centreOn, deckLayer, useBrowserApp } from './browser.js';

const FILE = path.resolve('tests/fixtures/roads/island-overpass.geojson');
const HECHUAN = '500117';
const ISLANDS = 'network-islands';
/** Lazily loaded chunks and a dry run of a road file on a loaded 2-core machine. */
const POLL = { timeout: 60_000 };
const SLOW = 240_000;

describe('road islands and connectivity in headless chromium', () => {
  const app = useBrowserApp({ width: 1440, height: 900 });
  let api: TestServer;
  let page: Page;
  beforeAll(() => {
    ({ api, page } = app);
  });
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  const storedRule = async () => (await api.call('/api/network/connectivity')).body.rules[HECHUAN] as string | undefined;
  const islandCount = () => page.locator('[data-testid="islands-legend"]').getAttribute('data-count');

  it('offers the public neither the islands overlay nor settings', async () => {
    await page.goto(api.url);
    // The first load of the built client on a loaded machine: longer than browser.ts's waitReady allows.
    await page.waitForFunction(() => window.__onemap?.ready === true, null, POLL);
    expect(await page.locator('[data-testid="islands-toggle"]').count()).toBe(0);
    expect(await page.locator('[data-testid="open-settings"]').count()).toBe(0);
  }, SLOW);

  it('imports a road file choosing a connectivity: the preview\'s detected rule, the stored choice, the islands drawn', async () => {
    await page.locator('[data-testid="sign-in"]').click();
    await page.locator('[data-testid="token"]').fill(TOKENS.ADMIN_TOKEN);
    await page.locator('.sign-in-form button[type="submit"]').click();
    await expect.poll(() => page.locator('[data-testid="import-open"]').count(), POLL).toBe(1);

    await page.locator('[data-testid="import-input"]').setInputFiles(FILE);
    await expect.poll(() => page.locator('[data-testid="import-wizard"]').count(), POLL).toBe(1);
    await page.locator('[data-testid="import-layer"]').selectOption('roads');
    // Before the preview the rule is left to detection, and each rule is explained.
    expect(await page.locator('[data-testid="import-connectivity"]').inputValue()).toBe('auto');
    expect(await page.locator('.connectivity-hints dd').allInnerTexts()).toHaveLength(3);
    await page.locator('[data-mode="replace"]').check();
    await page.locator('[data-testid="import-dry-run"]').click();

    // Detected: a GeoJSON without OSM tags joins at end points — the overpass B and the fragment D apart.
    const rule = page.locator('[data-testid="import-report"] [data-testid="report-connectivity"]');
    await expect.poll(() => rule.getAttribute('data-rule'), POLL).toBe('endpoints');
    expect(await rule.innerText()).toContain('自动识别');
    expect(await page.locator('[data-testid="report-pieces"]').innerText()).toContain('路网分为 3 块');
    expect(await page.locator('[data-testid="import-connectivity"]').inputValue()).toBe('endpoints');
    expect(await page.locator('[data-testid="import-connectivity-hint"]').innerText()).toContain('端点');
    await shot('roads-01-detected');

    await page.locator('[data-testid="import-connectivity"]').selectOption('vertices');
    await expect.poll(() => rule.getAttribute('data-rule'), POLL).toBe('vertices');
    await expect.poll(() => page.locator('[data-testid="import-updating"]').count(), POLL).toBe(0);
    expect(await rule.innerText()).toContain('按所选');
    expect(await page.locator('[data-testid="report-pieces"]').innerText()).toContain('路网分为 2 块');
    // A dry run stores nothing.
    expect(await storedRule()).toBeUndefined();

    await page.locator('[data-testid="import-confirm"]').click();
    await expect.poll(() => page.locator('[data-testid="import-final"]').count(), POLL).toBe(1);
    expect(await page.locator('[data-testid="import-final"] [data-testid="report-connectivity"]').getAttribute('data-rule')).toBe('vertices');
    expect(await storedRule()).toBe('vertices');
    await page.locator('[data-testid="import-close"]').click();

    // The islands of 合川 under its stored rule: the fragment D only.
    await page.locator('[data-testid="area"]').selectOption(HECHUAN);
    await page.locator('[data-testid="islands-toggle"]').check();
    await expect.poll(islandCount, POLL).toBe('1');
    expect(await page.locator('[data-testid="islands-legend"]').innerText()).toContain('孤立路网 1 段');
    expect(await page.locator('[data-testid="islands-rule"]').getAttribute('data-rule')).toBe('vertices');
    await expect.poll(() => deckLayer(page, ISLANDS).then((l) => l?.count), POLL).toBe(1);
    await centreOn(page, [106.29, 30.0], 13);
    await shot('roads-02-islands-vertices');
  }, SLOW);

  it('an admin changes 合川 back to end points in settings: rebuilt, the overpass is an island again', async () => {
    await page.locator('[data-testid="open-settings"]').click();
    const select = page.locator(`[data-testid="connectivity-${HECHUAN}"]`);
    await expect.poll(() => select.inputValue(), POLL).toBe('vertices');
    expect(await page.locator(`[data-testid="connectivity-state-${HECHUAN}"]`).innerText()).toBe('已设定');
    await select.selectOption('endpoints');
    await expect.poll(() => page.locator(`[data-testid="connectivity-state-${HECHUAN}"]`).innerText(), POLL).toContain('已重建：路网 3 块');
    await shot('roads-03-settings');
    expect(await storedRule()).toBe('endpoints');
    await page.locator('[data-testid="settings"] .close').click();

    await expect.poll(islandCount, POLL).toBe('2');
    expect(await page.locator('[data-testid="islands-legend"]').innerText()).toContain('孤立路网 2 段');
    await expect.poll(() => deckLayer(page, ISLANDS).then((l) => l?.count), POLL).toBe(2);
    await shot('roads-04-islands-endpoints');
    // Off again: the layer leaves the map.
    await page.locator('[data-testid="islands-toggle"]').uncheck();
    await expect.poll(() => deckLayer(page, ISLANDS), POLL).toBeNull();
  }, SLOW);
});
