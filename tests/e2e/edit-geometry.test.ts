/**
 * Line and polygon editing in a real browser, checked through the API: a commander draws a road
 * by clicking its vertices (undoing one with Backspace, finishing with a double-click), then
 * reshapes a town's boundary by dragging a vertex and deletes another with a right-click; each
 * save lands in the database with the version going up.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, type TestServer } from '../setup/server.js';
import { SCREENSHOTS, centreOn, useBrowserApp, waitReady } from './browser.js';

const COMMANDER = TOKENS.COMMANDER_TOKEN;
/** About 5 m: a pixel at zoom 15–16. */
const CLOSE = 5e-5;
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

type Area = Feature<Polygon | MultiPolygon, { name: string; level: string }> & { id: string; version: number };

/** The outer ring of the first polygon, closing vertex included. */
const outerRing = (g: Polygon | MultiPolygon): Position[] => (g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0][0]);
const vertexCount = (g: Polygon | MultiPolygon) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).flat().reduce((n, ring) => n + ring.length - 1, 0);
const near = (a: Position, b: Position) => Math.abs(a[0] - b[0]) < CLOSE && Math.abs(a[1] - b[1]) < CLOSE;

describe('drawing and reshaping lines and polygons in headless chromium', () => {
  const app = useBrowserApp({ width: 1280, height: 800 });
  let api: TestServer;
  let page: Page;
  let town: Area;
  let inside: [number, number];

  beforeAll(async () => {
    ({ api, page } = app);
    const all = (await api.call('/api/layers/admin_units/features?limit=10000', { token: COMMANDER })).body.features as Area[];
    // A simple town (few handles, each far from the next) that still has vertices to spare.
    town = all.filter((f) => f.properties.level === 'town' && vertexCount(f.geometry) >= 8).sort((a, b) => vertexCount(a.geometry) - vertexCount(b.geometry))[0];
    inside = turf.pointOnFeature(town).geometry.coordinates as [number, number];
  });

  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  const lonLatAt = (p: { x: number; y: number }) => page.evaluate(({ x, y }) => window.__onemap!.map.unproject([x, y]).toArray() as [number, number], p);
  const currentTown = async (): Promise<Area> => (await api.call(`/api/layers/admin_units/features/${encodeURIComponent(town.id)}`, { token: COMMANDER })).body;

  /** Selects the town by clicking inside it, and starts reshaping it. */
  async function reshapeTown() {
    const at = await centreOn(page, inside, 14);
    await page.mouse.click(at.x, at.y);
    await poll(() => page.locator('[data-testid="detail"] h2').innerText()).toBe(town.properties.name);
    await page.locator('[data-testid="move-feature"]').click();
    await poll(() => page.locator('[data-testid="reshape-bar"]').isVisible()).toBe(true);
  }

  /** Centres the map on a ring vertex and returns its handle's centre (checked to be where the vertex is). */
  async function handleOf(ref: string, vertex: Position) {
    const px = await centreOn(page, vertex as [number, number], 16);
    const box = (await page.locator(`[data-vertex="${ref}"]`).boundingBox())!;
    const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    expect(Math.hypot(centre.x - px.x, centre.y - px.y)).toBeLessThan(2);
    return centre;
  }

  it('draws a three-vertex road by clicking, with Backspace undoing a vertex and a double-click finishing', async () => {
    await page.goto(api.url);
    await waitReady(page);
    await page.evaluate((token) => localStorage.setItem('onemap.token', token), COMMANDER);
    await page.reload();
    await waitReady(page);
    const at = await centreOn(page, inside, 15);

    const toggle = page.locator('[data-layer-row="roads"] .layer-line button[aria-expanded]');
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await page.locator('[data-testid="add-roads"]').click();
    const panel = page.locator('[data-testid="create-panel"]');
    await poll(() => panel.isVisible()).toBe(true);
    const count = () => panel.locator('[data-testid="draw-count"]').innerText().then((t) => parseInt(t, 10));

    const clicks = [
      { x: at.x - 200, y: at.y + 120 },
      { x: at.x - 60, y: at.y + 40 },
      { x: at.x + 90, y: at.y + 110 },
    ];
    await page.mouse.click(clicks[0].x, clicks[0].y);
    await page.mouse.click(clicks[1].x, clicks[1].y);
    // A stray vertex, taken back with Backspace.
    await page.mouse.click(at.x + 150, at.y - 150);
    await poll(count).toBe(3);
    await page.keyboard.press('Backspace');
    await poll(count).toBe(2);
    expect(await panel.locator('[data-testid="draw-finish"]').isEnabled()).toBe(true);
    await page.mouse.dblclick(clicks[2].x, clicks[2].y);
    // The double-click added one vertex and ended the drawing: the form shows.
    await poll(() => panel.locator('[data-testid="feature-form"]').isVisible()).toBe(true);
    expect(await count()).toBe(3);
    const expected = await Promise.all(clicks.map(lonLatAt));

    const name = '浏览器测试道路';
    await panel.locator('[data-form-field="name"] input').fill(name);
    await panel.locator('[data-form-field="class"] select').selectOption({ index: 1 });
    await shot('edit-geometry-01-draw-road');
    await panel.locator('[data-testid="form-save"]').click();
    await poll(() => page.locator('[data-testid="detail"] h2').innerText()).toBe(name);

    const found = (await api.call(`/api/layers/roads/features?q=${encodeURIComponent(name)}`, { token: COMMANDER })).body.features;
    expect(found).toHaveLength(1);
    const coordinates = found[0].geometry.type === 'MultiLineString' ? found[0].geometry.coordinates[0] : found[0].geometry.coordinates;
    expect(coordinates).toHaveLength(3);
    coordinates.forEach((c: Position, i: number) => expect(near(c, expected[i]), `vertex ${i}: ${c} vs ${expected[i]}`).toBe(true));

    // Only the boundaries stay on the map: a click inside the town must hit the town, not a point or road on it.
    await page.locator('[data-testid="detail"] button.close').click();
    for (const box of await page.locator('input[data-layer]:not([data-layer="admin_units"])').all()) if (await box.isChecked()) await box.uncheck();
  });

  it('reshapes a town boundary by dragging a vertex; the version goes up', async () => {
    await reshapeTown();
    const before = await currentTown();
    const ring = outerRing(before.geometry);
    // A vertex other than the first (which the closing vertex repeats), away from its neighbours.
    const k = Math.max(1, Math.floor(ring.length / 3));
    const start = await handleOf(`0:${k}`, ring[k]);
    const delta = { x: 70, y: -45 };
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.mouse.move(start.x + delta.x, start.y + delta.y, { steps: 8 });
    await page.mouse.up();
    const dropped = await lonLatAt({ x: start.x + delta.x, y: start.y + delta.y });
    await poll(() => page.locator('[data-testid="reshape-save"]').isEnabled()).toBe(true);
    await shot('edit-geometry-02-reshape-town');
    await page.locator('[data-testid="reshape-save"]').click();
    await poll(() => page.locator('[data-testid="reshape-bar"]').count()).toBe(0);

    const after = await currentTown();
    expect(after.version).toBe(before.version + 1);
    const moved = outerRing(after.geometry);
    expect(moved).toHaveLength(ring.length);
    expect(moved.some((v) => near(v, dropped))).toBe(true);
    expect(moved.some((v) => near(v, ring[k]))).toBe(false);
    // Every other vertex is where it was.
    expect(ring.filter((v, i) => i !== k && !moved.some((w) => near(w, v)))).toEqual([]);
  });

  it('deletes a vertex with a right-click and inserts one at a segment middle', async () => {
    await reshapeTown();
    const before = await currentTown();
    const ring = outerRing(before.geometry);
    const k = Math.max(1, Math.floor((2 * ring.length) / 3));
    const count = () => page.locator('[data-testid="reshape-count"]').innerText().then((t) => parseInt(t, 10));
    const total = vertexCount(before.geometry);
    expect(await count()).toBe(total);
    const at = await handleOf(`0:${k}`, ring[k]);
    await page.mouse.click(at.x, at.y, { button: 'right' });
    await poll(count).toBe(total - 1);
    // The middle of the first segment (k is further on: unaffected by the deletion).
    const middle: Position = [(ring[0][0] + ring[1][0]) / 2, (ring[0][1] + ring[1][1]) / 2];
    const px = await centreOn(page, middle as [number, number], 16);
    const box = (await page.locator('[data-midpoint="0:1"]').boundingBox())!;
    expect(Math.hypot(box.x + box.width / 2 - px.x, box.y + box.height / 2 - px.y)).toBeLessThan(2);
    await page.mouse.click(px.x, px.y);
    await poll(count).toBe(total);
    await shot('edit-geometry-03-insert-vertex');
    await page.locator('[data-testid="reshape-save"]').click();
    await poll(() => page.locator('[data-testid="reshape-bar"]').count()).toBe(0);

    const after = await currentTown();
    expect(after.version).toBe(before.version + 1);
    expect(vertexCount(after.geometry)).toBe(total);
    const now = outerRing(after.geometry);
    expect(now.some((v) => near(v, ring[k]))).toBe(false);
    expect(now.some((v) => near(v, middle))).toBe(true);
  });

  it('shows the server\'s refusal of a self-intersecting polygon and creates nothing', async () => {
    const at = await centreOn(page, inside, 15);
    const toggle = page.locator('[data-layer-row="admin_units"] .layer-line button[aria-expanded]');
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    const before = (await api.call('/api/layers/admin_units/features?limit=1', { token: COMMANDER })).body.numberMatched;
    await page.locator('[data-testid="add-admin_units"]').click();
    const panel = page.locator('[data-testid="create-panel"]');
    await poll(() => panel.isVisible()).toBe(true);
    // A bow tie: its second and fourth edges cross.
    for (const [dx, dy] of [[-100, -100], [100, 100], [100, -100], [-100, 100]]) await page.mouse.click(at.x + dx, at.y + dy);
    await page.locator('[data-testid="draw-finish"]').click();
    await panel.locator('[data-form-field="name"] input').fill('蝴蝶结');
    await panel.locator('[data-form-field="level"] select').selectOption('town');
    await panel.locator('[data-testid="form-save"]').click();
    await poll(() => panel.locator('[data-testid="form-error"]').innerText()).toMatch(/Self-intersection/);
    await shot('edit-geometry-04-self-intersection');
    expect((await api.call('/api/layers/admin_units/features?limit=1', { token: COMMANDER })).body.numberMatched).toBe(before);
  });
});
