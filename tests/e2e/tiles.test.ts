/**
 * A large point layer in the browser (issue 15): loaded by vector tile, gathered into grid cells
 * with their counts at low zoom, single points (clickable, with their detail) when zoomed in; the
 * layer panel counts the features in view.
 */
import { describe, expect, it } from 'vitest';
import { insertFeatures } from '../../server/store/index.js';
import { TILE_POINTS_ABOVE } from '../../client/src/map/tileLayers.js';
import { centreOn, deckLayer, useBrowserApp } from './browser.js';

const CENTRE: [number, number] = [106.3, 29.6];
/** Far from the grid of added points: alone in its cell at every zoom. */
const LONE: [number, number] = [106.55, 29.45];
const N = TILE_POINTS_ABOVE + 1000;

describe('a large point layer by tile', () => {
  const app = useBrowserApp({ width: 1280, height: 800 });

  it('shows grid cells with counts at low zoom and single points when zoomed in', async () => {
    // N points on a 0.2° square grid around CENTRE, plus one alone.
    const side = Math.ceil(Math.sqrt(N));
    const features = Array.from({ length: N }, (_, i) => ({
      type: 'Feature' as const,
      id: `tile-test-${i}`,
      geometry: { type: 'Point' as const, coordinates: [CENTRE[0] - 0.1 + (0.2 * (i % side)) / side, CENTRE[1] - 0.1 + (0.2 * Math.floor(i / side)) / side] },
      properties: { name: `瓦片测试点${i}`, source: 'demo: tile test' },
    }));
    features.push({ type: 'Feature', id: 'tile-test-lone', geometry: { type: 'Point', coordinates: LONE }, properties: { name: '瓦片测试孤点', source: 'demo: tile test' } });
    await app.store.db.transaction((tx) => insertFeatures(tx, 'shelters', features));

    const { page } = app;
    await page.goto(app.api.url);
    // Every cold tile is built on first sight by the embedded store: give the first view time on a busy machine.
    await page.waitForFunction(() => window.__onemap?.ready === true, null, { timeout: 180_000 });
    console.info('tiles e2e: map ready');
    expect(await page.evaluate(() => window.__onemap!.map.getSource('shelters')?.type)).toBe('vector');

    await centreOn(page, CENTRE, 9);
    await expect.poll(() => deckLayer(page, 'shelters-counts').then((l) => l?.count ?? 0), { timeout: 60_000 }).toBeGreaterThan(0);
    const cells = await page.evaluate(() =>
      window.__onemap!.map.querySourceFeatures('shelters', { sourceLayer: 'shelters', filter: ['has', 'count'] }).map((f) => Number(f.properties.count)),
    );
    // The added grid is dense: at zoom 9 hundreds of its points share a cell.
    expect(Math.max(...cells)).toBeGreaterThan(100);
    // The panel counts what is in view: at least the added points, fewer than the whole layer.
    const inView = async () => Number((await page.locator('[data-in-view="shelters"]').innerText()).replace(/\D/g, ''));
    await expect.poll(inView, { timeout: 60_000 }).toBeGreaterThanOrEqual(N);

    console.info('tiles e2e: cells and counts in view shown');
    const at = await centreOn(page, LONE, 16);
    await expect.poll(() => deckLayer(page, 'shelters-counts').then((l) => l?.count), { timeout: 60_000 }).toBe(0);
    const single = await page.evaluate(() =>
      window.__onemap!.map.querySourceFeatures('shelters', { sourceLayer: 'shelters' }).map((f) => f.properties._fid as string),
    );
    expect(single).toContain('tile-test-lone');
    await expect.poll(inView, { timeout: 60_000 }).toBeLessThan(N);

    await page.mouse.click(at.x, at.y);
    await expect.poll(() => page.locator('[data-testid="detail"] h2').innerText(), { timeout: 30_000 }).toBe('瓦片测试孤点');
  }, 400_000);
});
