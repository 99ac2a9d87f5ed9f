/**
 * The web client in a real browser: built with Vite, served by the real app over a seeded store,
 * driven in Debian's headless chromium. The map is WebGL, so the test uses `window.__onemap`
 * (client/src/map/testHook.ts) to turn a feature's lon/lat into the pixel a user would click.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, type TestServer } from '../setup/server.js';
import { SCREENSHOTS, centreOn as centreMap, deckLayer as deckLayerOf, isolatedShelter, useBrowserApp, waitReady as waitMapReady, type ShelterFeature } from './browser.js';

describe('web client in headless chromium', () => {
  const app = useBrowserApp({ width: 1280, height: 800 });
  let api: TestServer;
  let browser: Browser;
  let page: Page;
  let shelter: ShelterFeature;
  beforeAll(async () => {
    ({ api, browser, page } = app);
    shelter = isolatedShelter((await api.call('/api/layers/shelters/features?limit=10000')).body.features);
  });

  const waitReady = () => waitMapReady(page);
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  const layerIds = () => page.$$eval('[data-layer]', (els) => els.map((e) => e.getAttribute('data-layer')));
  const deckLayer = (id: string) => deckLayerOf(page, id);
  const centreOn = (lonLat: [number, number], zoom: number) => centreMap(page, lonLat, zoom);

  it('opens with the demo notice and only the public layers for an anonymous user', async () => {
    await page.goto(api.url);
    await waitReady();
    await expect.poll(() => page.locator('[data-testid="demo-notice"]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid="demo-notice"]').innerText()).toContain('演示数据');
    expect((await layerIds()).sort()).toEqual(['admin_units', 'experts', 'hazard_zones', 'roads', 'shelters']);
    expect(await page.locator('[data-legend="depots"]').count()).toBe(0);
    const shelters = await deckLayer('shelters');
    expect(shelters).toMatchObject({ visible: true });
    expect(shelters!.count).toBe((await api.call('/api/layers/shelters/features?limit=1')).body.numberMatched);
    expect(await page.evaluate(() => window.__onemap!.map.getSource('admin_units') !== undefined)).toBe(true);
    await shot('01-public');
  });

  it('hides and shows a layer on the map, not just in the panel', async () => {
    const at = await centreOn(shelter.geometry.coordinates, 15);
    expect(await page.evaluate(({ x, y }) => window.__onemap!.pick(x, y), at)).toEqual({ layer: 'shelters', fid: shelter.id });

    await page.locator('[data-layer="shelters"]').uncheck();
    await expect.poll(() => deckLayer('shelters').then((l) => l?.visible)).toBe(false);
    // Picking reads the last frame drawn: asked until the redraw has happened.
    await expect.poll(() => page.evaluate(({ x, y }) => window.__onemap!.pick(x, y), at)).toBeNull();
    await page.locator('[data-layer="shelters"]').check();
    await expect.poll(() => deckLayer('shelters').then((l) => l?.visible)).toBe(true);
    await expect.poll(() => page.evaluate(({ x, y }) => window.__onemap!.pick(x, y), at)).toEqual({ layer: 'shelters', fid: shelter.id });

    const adminVisibility = () => page.evaluate(() => window.__onemap!.map.getLayoutProperty('admin_units-fill', 'visibility'));
    await page.locator('[data-layer="admin_units"]').uncheck();
    await expect.poll(adminVisibility).toBe('none');
    await page.locator('[data-layer="admin_units"]').check();
    await expect.poll(adminVisibility).toBe('visible');
  });

  it('shows a clicked shelter with its capacity and without internal fields', async () => {
    const at = await centreOn(shelter.geometry.coordinates, 15);
    await page.mouse.click(at.x, at.y);
    const detail = page.locator('[data-testid="detail"]');
    await expect.poll(() => detail.locator('h2').innerText()).toBe(shelter.properties.name);
    const capacity = await detail.locator('[data-field="capacity"] dd').innerText();
    expect(capacity.replace(/\D/g, '')).toBe(String(shelter.properties.capacity));
    expect(await detail.locator('[data-field="capacity"] dt').innerText()).toBe('容纳人数');
    expect(await detail.locator('[data-field="class"] .basis').innerText()).toContain('GB 51143-2015');
    expect(await detail.locator('[data-field="phone"]').count()).toBe(0);
    expect(await detail.innerText()).not.toContain('联系电话');
    await shot('02-detail-public');
  });

  it('filters by district through the API', async () => {
    const county = shelter.properties.county_code;
    const expected = (await api.call(`/api/layers/shelters/features?county_code=${county}&limit=1`)).body.numberMatched;
    const total = (await api.call('/api/layers/shelters/features?limit=1')).body.numberMatched;
    expect(expected).toBeLessThan(total);
    await page.locator('[data-filter="county_code"]').selectOption(county);
    await expect.poll(() => deckLayer('shelters').then((l) => l?.count)).toBe(expected);
    expect(await page.locator('[data-count="shelters"]').innerText()).toMatch(new RegExp(`^${expected}\\s*/`));
    await page.locator('[data-filter="county_code"]').selectOption('');
    await expect.poll(() => deckLayer('shelters').then((l) => l?.count)).toBe(total);
  });

  it('finds a shelter by name and opens it', async () => {
    await page.locator('[data-testid="detail"] button.close').click();
    await page.locator('[data-testid="search"]').fill(shelter.properties.name);
    const result = page.locator('[data-testid="search-results"] button', { hasText: shelter.properties.name }).first();
    await result.click();
    await expect.poll(() => page.locator('[data-testid="detail"] h2').innerText()).toBe(shelter.properties.name);
    // The map flies there and stops with the shelter clear of the layer panel (left) and the detail panel (right).
    const settled = () =>
      page.evaluate((lonLat) => {
        const map = window.__onemap!.map;
        if (map.isMoving()) return null;
        const { x, y } = map.project(lonLat);
        return { x: Math.round(x), y: Math.round(y), zoom: map.getZoom() };
      }, shelter.geometry.coordinates);
    await expect.poll(settled, { timeout: 10_000 }).toMatchObject({ x: expect.any(Number) });
    const at = (await settled())!;
    expect(at.zoom).toBeGreaterThanOrEqual(14);
    expect(at.x).toBeGreaterThan(330);
    expect(at.x).toBeLessThan(1280 - 370);
    expect(at.y).toBeGreaterThan(70);
    expect(at.y).toBeLessThan(760);
  });

  it('shows internal layers and fields after a commander signs in', async () => {
    await page.locator('[data-testid="sign-in"]').click();
    await page.locator('[data-testid="token"]').fill('not-the-token');
    await page.locator('.sign-in-form button[type="submit"]').click();
    await expect.poll(() => page.locator('.sign-in-form [role="alert"]').innerText()).toContain('令牌无效');
    expect(await layerIds()).not.toContain('depots');

    const catalogues: string[] = [];
    const onRequest = (r: { url(): string; headers(): Record<string, string> }) => {
      if (new URL(r.url()).pathname === '/api/layers') catalogues.push(r.headers().authorization ?? 'anonymous');
    };
    page.on('request', onRequest);
    await page.locator('[data-testid="token"]').fill(TOKENS.COMMANDER_TOKEN);
    await page.locator('.sign-in-form button[type="submit"]').click();
    // Signing in loads the staff tools' chunks and every internal layer at once: on a loaded machine
    // that may take longer than the default five seconds.
    const slow = { timeout: 30_000 };
    await expect.poll(layerIds, slow).toContain('depots');
    page.off('request', onRequest);
    // The token's check is the map's own catalogue query: one request, not a check and then a fetch.
    expect(catalogues).toEqual([`Bearer ${TOKENS.COMMANDER_TOKEN}`]);
    await expect.poll(() => deckLayer('depots').then((l) => l?.count ?? 0), slow).toBeGreaterThan(0);
    // The open detail is fetched again with the token and now includes the phone field.
    await expect.poll(() => page.locator('[data-testid="detail"] [data-field="phone"]').count(), slow).toBe(1);
    await waitReady();
    await shot('03-commander');
  });

  it('switches the interface and the catalogue labels to English', async () => {
    await page.locator('[data-testid="language"]').click();
    await expect.poll(() => page.locator('[data-layer-row="shelters"] .layer-name').innerText()).toBe('Emergency shelters');
    expect(await page.locator('[data-testid="detail"] [data-field="capacity"] dt').innerText()).toBe('Capacity');
    expect(await page.locator('.topbar h1').innerText()).toMatch(/^Emergency OneMap/);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await shot('04-english');
  });

  it('restores the view and the visible layers from the URL after a reload', async () => {
    await page.locator('[data-layer="fire_stations"]').uncheck();
    await page.locator('[data-layer="geohazards"]').check();
    await centreOn([106.5, 29.6], 11.5);
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('map=11.50/29.60000/106.50000');
    const hash = await page.evaluate(() => location.hash);
    expect(hash).toMatch(/layers=[^&]*geohazards/);
    expect(hash).not.toMatch(/layers=[^&]*fire_stations/);

    await page.reload();
    await waitReady();
    const view = await page.evaluate(() => {
      const map = window.__onemap!.map;
      return { zoom: map.getZoom(), center: map.getCenter().toArray() };
    });
    expect(view.zoom).toBeCloseTo(11.5, 2);
    expect(view.center[0]).toBeCloseTo(106.5, 4);
    expect(view.center[1]).toBeCloseTo(29.6, 4);
    expect(await page.locator('[data-layer="geohazards"]').isChecked()).toBe(true);
    expect(await page.locator('[data-layer="fire_stations"]').isChecked()).toBe(false);
    expect((await deckLayer('geohazards'))?.visible).toBe(true);
    expect((await deckLayer('fire_stations'))?.visible ?? false).toBe(false);
    await shot('05-reloaded');
  });

  it('collapses the panels on a phone and shows details as a bottom sheet', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    app.watch(phone);
    try {
      await phone.goto(api.url);
      await waitMapReady(phone);
      expect(await phone.locator('[data-testid="demo-notice"]').isVisible()).toBe(true);
      expect(await phone.locator('[data-testid="panel-toggle"]').getAttribute('aria-expanded')).toBe('false');
      expect(await phone.locator('[data-layer]').count()).toBe(0);
      await phone.locator('[data-testid="panel-toggle"]').tap();
      expect(await phone.locator('[data-layer="shelters"]').isVisible()).toBe(true);

      const at = await phone.evaluate(
        ([lon, lat]) =>
          new Promise<{ x: number; y: number }>((resolve) => {
            const map = window.__onemap!.map;
            map.once('idle', () => resolve(map.project([lon, lat])));
            map.jumpTo({ center: [lon, lat], zoom: 15 });
          }),
        shelter.geometry.coordinates,
      );
      await phone.locator('[data-testid="panel-toggle"]').tap();
      await phone.touchscreen.tap(at.x, at.y);
      const sheet = phone.locator('[data-testid="detail"]');
      await expect.poll(() => sheet.locator('h2').innerText()).toBe(shelter.properties.name);
      const box = (await sheet.boundingBox())!;
      expect(box.width).toBeGreaterThan(350);
      expect(box.y + box.height).toBeGreaterThan(844 - 60);
      await phone.screenshot({ path: path.join(SCREENSHOTS, '06-phone.png') });
    } finally {
      await phone.close();
    }
  });
});
