/**
 * The public shelter finder (`/shelters/`) on a phone (390×844) in headless chromium, served by
 * the real app over the seeded store. The expected answer is computed here with the same
 * core/public code on the pack the page downloads, from a town centre of 江北 (500105).
 */
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodePack, type PublicManifest, type PublicPack } from '../../core/public/pack.js';
import { graphOfPack, rankShelters, type RankedShelter } from '../../core/public/nearest.js';
import type { TestServer } from '../setup/server.js';
import { SCREENSHOTS, useBrowserApp } from './browser.js';

const PHONE = { width: 390, height: 844 };

describe('public shelter finder on a phone', () => {
  const app = useBrowserApp(PHONE);
  let api: TestServer;
  let browser: Browser;
  let pack: PublicPack;
  let here: [number, number];
  let expected: RankedShelter[];

  beforeAll(async () => {
    ({ api, browser } = app);
    const manifest = (await (await fetch(`${api.url}/shelters/data/manifest.json`)).json()) as PublicManifest;
    const area = manifest.areas.find((a) => a.code === '500105')!;
    pack = decodePack(new Uint8Array(await (await fetch(new URL(area.url, `${api.url}/shelters/data/`))).arrayBuffer()));
    const town = pack.places.find((p) => p.kind === 'town')!;
    // 80 m north-east of a town centre: a place someone stands, not a node of the network.
    here = [town.lon + 0.0006, town.lat + 0.0004];
    expected = rankShelters(pack, graphOfPack(pack), here, 'earthquake', { limit: 5 });
  });

  const minutes = (r: RankedShelter) => Math.max(1, Math.ceil(r.walkSeconds / 60));
  const metres = (r: RankedShelter) => Math.round(r.walkMetres / 10) * 10;

  async function phone(options: { located?: boolean; clipboard?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const permissions = [...(options.located ? ['geolocation'] : []), ...(options.clipboard ? ['clipboard-read', 'clipboard-write'] : [])];
    const context = await browser.newContext({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      geolocation: { longitude: here[0], latitude: here[1] },
      permissions,
    });
    const page = await context.newPage();
    app.watch(page);
    return { context, page };
  }

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `public-${name}.png`) });
  const summary = (page: Page) => page.locator('#summary').innerText();
  const answered = (page: Page) => expect.poll(() => summary(page), { timeout: 20_000 }).toMatch(/步行 \d+ 分钟/);
  /** Waits until MapLibre is loaded and idle. */
  const mapIdle = (page: Page) =>
    page.waitForFunction(() => {
      const map = window.__shelters?.map;
      return !!map && map.loaded() && map.areTilesLoaded() && !map.isMoving();
    }, null, { timeout: 30_000 });
  const routeOnMap = (page: Page) =>
    page.evaluate(() => {
      const map = window.__shelters!.map!;
      const data = (map.getSource('route') as unknown as { serialize(): { data: GeoJSON.Feature<GeoJSON.LineString> } }).serialize().data;
      return { shelter: data.properties?.shelter as string, coordinates: data.geometry.coordinates, drawn: map.queryRenderedFeatures(undefined, { layers: ['route'] }).length };
    });

  it('locates the phone, ranks the shelters by walking time and draws the route to the nearest open one', async () => {
    const { context, page } = await phone({ located: true });
    await page.goto(`${api.url}/shelters/`);
    // Location already allowed: the answer comes without a tap.
    await answered(page);
    const best = expected[0];
    expect(best.group).toBe('open');
    expect(await summary(page)).toBe(`最近的地震避难场所：${best.shelter.name}，步行 ${minutes(best)} 分钟，${metres(best)} 米，开放`);
    expect(await page.locator('#summary').getAttribute('aria-live')).toBe('polite');

    const cards = page.locator('#results > li');
    expect(await cards.count()).toBe(expected.length);
    for (const [i, r] of expected.entries()) {
      const text = await cards.nth(i).innerText();
      expect(text).toContain(r.shelter.name);
      expect(text).toContain(`步行 ${minutes(r)} 分钟`);
      expect(text).toContain(`${metres(r)} 米`);
    }
    expect(await cards.first().locator('.pick').getAttribute('aria-pressed')).toBe('true');

    await mapIdle(page);
    const route = await routeOnMap(page);
    expect(route.shelter).toBe(best.shelter.id);
    expect(route.coordinates).toEqual(best.route);
    expect(route.coordinates[0]).toEqual(here);
    expect(route.drawn).toBeGreaterThan(0);
    expect(await page.locator('.you-are-here').count()).toBe(1);
    expect(await page.locator('.shelter-marker').count()).toBe(expected.length);
    await shot(page, '01-located');
    await context.close();
  });

  it('shows full, closed and unsuitable shelters after the open ones, each with its own text, symbol and colour', async () => {
    const { context, page } = await phone({ located: true });
    await page.goto(`${api.url}/shelters/`);
    await answered(page);
    const groups = expected.map((r) => r.group);
    // Open ones first, never after another group.
    expect(groups.indexOf('open')).toBe(0);
    expect(groups.lastIndexOf('open')).toBeLessThan(groups.findIndex((g) => g !== 'open'));
    const present = [...new Set(groups)];
    expect(present.length).toBeGreaterThanOrEqual(2);
    const looks = await page.$$eval('#results .badge', (badges) =>
      badges.map((b) => ({ group: b.className.replace('badge badge-', ''), text: (b as HTMLElement).innerText, background: getComputedStyle(b).backgroundColor })),
    );
    const byGroup = new Map(looks.map((l) => [l.group, l]));
    expect([...byGroup.keys()].sort()).toEqual([...present].sort());
    const first = (s: string) => [...s][0];
    expect(new Set([...byGroup.values()].map((l) => first(l.text))).size).toBe(present.length);
    expect(new Set([...byGroup.values()].map((l) => l.text.slice(1).trim())).size).toBe(present.length);
    expect(new Set([...byGroup.values()].map((l) => l.background)).size).toBe(present.length);
    const nonOpen = expected.findIndex((r) => r.group !== 'open');
    await page.locator('#results > li').nth(nonOpen).scrollIntoViewIfNeeded();
    await shot(page, '02-groups');
    await context.close();
  });

  it('does not offer a shelter inside a flood zone for floods, and says which zone', async () => {
    // The first demo shelter any pack marks unsuitable for floods by a hazard zone (found, not named).
    const manifest = (await (await fetch(`${api.url}/shelters/data/manifest.json`)).json()) as PublicManifest;
    let zoned: PublicPack['shelters'][number] | undefined;
    for (const area of manifest.areas) {
      const p = decodePack(new Uint8Array(await (await fetch(new URL(area.url, `${api.url}/shelters/data/`))).arrayBuffer()));
      zoned = p.shelters.find((s) => s.unsuitable.some((u) => u.hazard === 'flood' && u.reason === 'in_hazard_zone'));
      if (zoned) break;
    }
    expect(zoned, 'a demo shelter in a demo flood zone').toBeDefined();
    const why = zoned!.unsuitable.find((u) => u.hazard === 'flood')!;
    const { context, page } = await phone();
    // Standing at the shelter itself: it is the nearest, yet not the answer.
    await page.goto(`${api.url}/shelters/#o=${zoned!.lon},${zoned!.lat}&h=flood`);
    const card = page.locator(`#results > li[data-shelter="${zoned!.id}"]`);
    await expect.poll(() => card.count(), { timeout: 30_000 }).toBe(1);
    expect(await card.getAttribute('class')).toContain('group-unsuitable');
    expect(await card.locator('.badge').innerText()).toContain('不适用于洪涝');
    expect(await card.locator('.reason').innerText()).toBe(`位于灾害风险区“${why.params?.zone}”内`);
    expect(await summary(page)).not.toContain(zoned!.name);
    await card.scrollIntoViewIfNeeded();
    await shot(page, '02b-flood-zone');
    await context.close();
  });

  it('shares a link that reopens the same shelter, hazard and origin', async () => {
    const { context, page } = await phone({ located: true, clipboard: true });
    await page.goto(`${api.url}/shelters/`);
    await answered(page);
    await page.getByRole('radio', { name: '洪涝' }).click();
    const flood = rankShelters(pack, graphOfPack(pack), here, 'flood', { limit: 5 });
    const second = flood[1];
    await page.locator(`#results > li[data-shelter="${second.shelter.id}"] .pick`).click();
    await page.getByRole('button', { name: '分享' }).click();
    await expect.poll(() => page.locator('#notice').innerText()).toBe('链接已复制');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toContain(`h=flood`);
    expect(link).toContain(`s=${encodeURIComponent(second.shelter.id)}`);
    await context.close();

    // Someone else, location not allowed, opens it.
    const other = await phone();
    await other.page.goto(link);
    await answered(other.page);
    expect(await other.page.getByRole('radio', { name: '洪涝' }).getAttribute('aria-checked')).toBe('true');
    const chosen = other.page.locator(`#results > li[data-shelter="${second.shelter.id}"]`);
    expect(await chosen.locator('.pick').getAttribute('aria-pressed')).toBe('true');
    expect(await chosen.innerText()).toContain(`步行 ${minutes(second)} 分钟`);
    await mapIdle(other.page);
    const route = await routeOnMap(other.page);
    expect(route.shelter).toBe(second.shelter.id);
    for (const [i, c] of route.coordinates[0].entries()) expect(c).toBeCloseTo(here[i], 6);
    await other.context.close();
  });

  it('says clearly when location is refused, and takes a tap on the map instead', async () => {
    const { context, page } = await phone();
    await page.goto(`${api.url}/shelters/`);
    await expect.poll(() => summary(page)).toContain('定位我');
    await page.getByRole('button', { name: '定位我' }).click();
    await expect.poll(() => page.locator('#notice').innerText()).toContain('您拒绝了定位');
    await mapIdle(page);
    await shot(page, '03-refused');
    const box = (await page.locator('#map').boundingBox())!;
    const px = await page.evaluate((p) => window.__shelters!.map!.project(p), here);
    await page.mouse.click(box.x + px.x, box.y + px.y);
    await answered(page);
    expect(await page.locator('#results > li').count()).toBeGreaterThan(0);
    await context.close();
  });

  it('still locates, ranks and routes offline after the first visit', async () => {
    const { context, page } = await phone({ located: true });
    await page.goto(`${api.url}/shelters/`);
    await answered(page);
    await mapIdle(page);
    // The service worker has taken over and cached the page, its assets, the manifest and the pack.
    const cached = () =>
      page.evaluate(async () => {
        const r = await navigator.serviceWorker.getRegistration();
        const data = (await caches.has('shelters-data')) ? (await (await caches.open('shelters-data')).keys()).map((k) => k.url) : [];
        const ok = !!navigator.serviceWorker.controller && data.some((u) => u.includes('/data/packs/')) && data.some((u) => u.endsWith('manifest.json'));
        return ok ? 'cached' : JSON.stringify({ controller: !!navigator.serviceWorker.controller, active: r?.active?.state, installing: r?.installing?.state, caches: await caches.keys(), data });
      });
    await expect.poll(cached, { timeout: 30_000, interval: 500 }).toBe('cached');
    await context.setOffline(true);
    await page.reload();
    await answered(page);
    expect(await summary(page)).toContain(expected[0].shelter.name);
    expect(await page.locator('#status').innerText()).toMatch(/^离线，数据更新于 /);
    await mapIdle(page);
    expect((await routeOnMap(page)).drawn).toBeGreaterThan(0);
    await shot(page, '04-offline');
    await context.close();
  });

  it('has no serious or critical accessibility violations, and 44 px tap targets', async () => {
    const { context, page } = await phone({ located: true });
    await page.goto(`${api.url}/shelters/`);
    await answered(page);
    await mapIdle(page);
    const result = await new AxeBuilder({ page }).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    const small = await page.$$eval('main button, main a, main summary, main input, main select', (els) =>
      els
        .filter((e) => (e as HTMLElement).offsetParent !== null && !e.closest('.maplibregl-ctrl-attrib'))
        .map((e) => ({ e: e.outerHTML.slice(0, 80), r: e.getBoundingClientRect() }))
        .filter(({ r }) => r.width < 44 || r.height < 44)
        .map(({ e }) => e),
    );
    expect(small).toEqual([]);
    await context.close();
  });
});
