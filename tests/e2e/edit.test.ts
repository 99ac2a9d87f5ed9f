/**
 * Editing in a real browser, checked through the API: a commander edits a shelter's capacity
 * (the version goes up), meets a conflict with a change made meanwhile (shown, never overwritten),
 * moves a point by dragging it, edits in the table, adds and deletes a feature; an admin reads
 * those writes in the audit log; layers are exported as GeoJSON and CSV downloads.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Download, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, type TestServer } from '../setup/server.js';
import { SCREENSHOTS, centreOn, isolatedShelter, useBrowserApp, waitReady, type ShelterFeature } from './browser.js';

const COMMANDER = TOKENS.COMMANDER_TOKEN;
const ADMIN = TOKENS.ADMIN_TOKEN;
const digits = (text: string) => Number(text.replace(/\D/g, ''));
/** Waits for what the page shows after a request; generous, as the shared test machine can be slow. */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

describe('editing, table, audit log and export in headless chromium', () => {
  const app = useBrowserApp({ width: 1280, height: 800 });
  let api: TestServer;
  let page: Page;
  let shelter: ShelterFeature;
  let other: ShelterFeature;
  let total: number;
  let createdFid: string;

  beforeAll(async () => {
    ({ api, page } = app);
    const all = (await api.call('/api/layers/shelters/features?limit=10000')).body;
    total = all.numberMatched;
    shelter = isolatedShelter(all.features);
    other = isolatedShelter(all.features, 1);
  });

  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  const current = async (fid: string) => (await api.call(`/api/layers/shelters/features/${encodeURIComponent(fid)}`, { token: COMMANDER })).body;
  const detail = () => page.locator('[data-testid="detail"]');
  const capacityInput = () => page.locator('[data-form-field="capacity"] input');

  async function signIn(token: string) {
    if ((await page.locator('[data-testid="role"]').count()) > 0) await page.locator('.signed-in button').click();
    await page.locator('[data-testid="sign-in"]').click();
    await page.locator('[data-testid="token"]').fill(token);
    await page.locator('.sign-in-form button[type="submit"]').click();
    await poll(() => page.locator('[data-testid="role"]').count()).toBe(1);
  }

  async function open(feature: ShelterFeature) {
    const at = await centreOn(page, feature.geometry.coordinates, 15);
    await page.mouse.click(at.x, at.y);
    await poll(() => detail().locator('h2').innerText()).toBe(feature.properties.name);
    return at;
  }

  async function saved(download: Promise<Download>): Promise<Buffer> {
    return fs.readFileSync((await (await download).path())!);
  }

  async function exportShelters(format: string, crs = 'wgs84'): Promise<Buffer> {
    const menu = page.locator('[data-export="shelters"]');
    if ((await menu.locator('.export-options').count()) === 0) await page.locator('[data-testid="export-shelters"]').click();
    await menu.locator(`[data-format="${format}"]`).check();
    await menu.locator(`[data-crs="${crs}"]`).check();
    return saved(Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-shelters-download"]').click()]).then(([d]) => d));
  }

  async function expandShelters() {
    const toggle = page.locator('[data-layer-row="shelters"] .layer-line button[aria-expanded]');
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  }

  it('offers no editing to the public, and the edit form to a commander', async () => {
    await page.goto(api.url);
    await waitReady(page);
    await open(shelter);
    expect(await page.locator('[data-testid="edit-feature"]').count()).toBe(0);
    await expandShelters();
    expect(await page.locator('[data-testid="add-shelters"]').count()).toBe(0);

    await signIn(COMMANDER);
    await poll(() => page.locator('[data-testid="edit-feature"]').count()).toBe(1);
    await page.locator('[data-testid="edit-feature"]').click();
    await poll(() => capacityInput().inputValue()).toBe(String(shelter.properties.capacity));
    // Typed fields are checked before anything is sent.
    await capacityInput().fill('很多');
    await page.locator('[data-testid="form-save"]').click();
    expect(await page.locator('[data-field-error="capacity"]').innerText()).toBe('请输入数字');
    expect((await current(shelter.id)).properties.capacity).toBe(shelter.properties.capacity);
  });

  it('saves a new capacity: the panel shows it and the version goes up', async () => {
    const before = await current(shelter.id);
    const capacity = shelter.properties.capacity + 123;
    await capacityInput().fill(String(capacity));
    await shot('edit-01-form');
    await page.locator('[data-testid="form-save"]').click();
    await poll(() => detail().locator('[data-field="capacity"] dd').innerText().then(digits)).toBe(capacity);
    const after = await current(shelter.id);
    expect(after.properties.capacity).toBe(capacity);
    expect(after.version).toBe(before.version + 1);
    // Only the changed field was sent: the rest is as it was.
    expect({ ...after.properties, capacity: before.properties.capacity }).toEqual(before.properties);
  });

  it('shows a conflict instead of overwriting a change made meanwhile, then reloads or re-applies', async () => {
    const mine = shelter.properties.capacity + 200;
    const theirs = shelter.properties.capacity + 300;
    await page.locator('[data-testid="edit-feature"]').click();
    await capacityInput().fill(String(mine));
    const base = await current(shelter.id);
    const patched = await api.call(`/api/layers/shelters/features/${shelter.id}`, { method: 'PATCH', token: ADMIN, body: { version: base.version, properties: { capacity: theirs } } });
    expect(patched.status).toBe(200);

    await page.locator('[data-testid="form-save"]').click();
    const dialog = page.locator('[data-testid="conflict-dialog"]');
    await poll(() => dialog.isVisible()).toBe(true);
    const row = dialog.locator('[data-conflict-field="capacity"]');
    expect(digits(await row.locator('[data-value="current"]').innerText())).toBe(theirs);
    expect(digits(await row.locator('[data-value="yours"]').innerText())).toBe(mine);
    expect((await current(shelter.id)).properties.capacity).toBe(theirs);
    await shot('edit-02-conflict');

    // Reload: the form now starts from their value; nothing was written.
    await page.locator('[data-testid="conflict-reload"]').click();
    await poll(() => dialog.count()).toBe(0);
    await poll(() => capacityInput().inputValue()).toBe(String(theirs));
    expect((await current(shelter.id)).version).toBe(patched.body.version);

    // Re-apply: a second change meanwhile, and this time the user keeps theirs on top of it.
    await capacityInput().fill(String(mine));
    await api.call(`/api/layers/shelters/features/${shelter.id}`, { method: 'PATCH', token: ADMIN, body: { version: patched.body.version, properties: { status: 'full' } } });
    await page.locator('[data-testid="form-save"]').click();
    await poll(() => dialog.isVisible()).toBe(true);
    await page.locator('[data-testid="conflict-reapply"]').click();
    await poll(() => dialog.count()).toBe(0);
    const now = await current(shelter.id);
    expect(now.properties.capacity).toBe(mine);
    expect(now.properties.status).toBe('full');
    expect(now.version).toBe(patched.body.version + 2);
  });

  it('moves the shelter by dragging its marker', async () => {
    const at = await open(shelter);
    await page.locator('[data-testid="move-feature"]').click();
    const marker = page.locator('[data-testid="edit-marker"]');
    await poll(() => marker.isVisible()).toBe(true);
    const box = (await marker.boundingBox())!;
    const start = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const delta = { x: 80, y: -50 };
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.mouse.move(start.x + delta.x, start.y + delta.y, { steps: 8 });
    await page.mouse.up();
    await poll(() => page.locator('[data-testid="move-save"]').isEnabled()).toBe(true);
    // Where the pointer let go (the map did not move meanwhile).
    const dropped = await page.evaluate(({ x, y }) => window.__onemap!.map.unproject([x, y]).toArray(), { x: at.x + delta.x, y: at.y + delta.y });
    await shot('edit-03-move');
    const version = (await current(shelter.id)).version;
    await page.locator('[data-testid="move-save"]').click();
    await poll(() => page.locator('[data-testid="move-bar"]').count()).toBe(0);

    const moved = await current(shelter.id);
    expect(moved.version).toBe(version + 1);
    // To a pixel (about 5 m at zoom 15).
    expect(Math.abs(moved.geometry.coordinates[0] - dropped[0])).toBeLessThan(0.00005);
    expect(Math.abs(moved.geometry.coordinates[1] - dropped[1])).toBeLessThan(0.00005);
    shelter = { ...shelter, geometry: moved.geometry };
  });

  it('lists the layer in a table; a row click selects the feature, a cell edit saves', async () => {
    await expandShelters();
    await page.locator('[data-testid="table-shelters"]').click();
    const drawer = page.locator('[data-testid="table-drawer"]');
    await poll(() => drawer.locator('tbody tr').count()).toBe(Math.min(total, 500));
    expect(await drawer.locator('thead th').first().innerText()).toContain('名称');

    await drawer.locator('[data-testid="table-search"]').fill(other.properties.name);
    await poll(() => drawer.locator('tbody tr').count()).toBe(1);
    await drawer.locator(`[data-row="${other.id}"] [data-cell="name"]`).click();
    await poll(() => detail().locator('h2').innerText()).toBe(other.properties.name);
    expect(await drawer.locator(`[data-row="${other.id}"]`).getAttribute('aria-selected')).toBe('true');

    const capacity = other.properties.capacity + 7;
    await drawer.locator(`[data-row="${other.id}"] [data-cell="capacity"]`).dblclick();
    await drawer.locator('.cell-editor input').fill(String(capacity));
    await drawer.locator('.cell-editor input').press('Enter');
    await poll(() => current(other.id).then((f) => f.properties.capacity)).toBe(capacity);
    // The table shows it once the layer has been fetched again.
    await poll(() => drawer.locator(`[data-row="${other.id}"] [data-cell="capacity"]`).innerText().then(digits)).toBe(capacity);
    await shot('edit-04-table');
    await drawer.locator('button.close').click();
  });

  it('adds a shelter where the map is clicked, then deletes it after confirming', async () => {
    const at = await centreOn(page, shelter.geometry.coordinates, 15);
    await expandShelters();
    await page.locator('[data-testid="add-shelters"]').click();
    const panel = page.locator('[data-testid="create-panel"]');
    await poll(() => panel.isVisible()).toBe(true);
    const click = { x: at.x - 120, y: at.y + 90 };
    await page.mouse.click(click.x, click.y);
    const lonLat = await page.evaluate(({ x, y }) => window.__onemap!.map.unproject([x, y]).toArray(), click);
    const name = '浏览器测试避难场所';
    await panel.locator('[data-form-field="name"] input').fill(name);
    await panel.locator('[data-form-field="class"] select').selectOption('emergency');
    await panel.locator('[data-form-field="capacity"] input').fill('150');
    await shot('edit-05-create');
    await panel.locator('[data-testid="form-save"]').click();
    await poll(() => detail().locator('h2').innerText()).toBe(name);

    const found = (await api.call(`/api/layers/shelters/features?q=${encodeURIComponent(name)}`, { token: COMMANDER })).body.features;
    expect(found).toHaveLength(1);
    createdFid = found[0].id;
    expect(found[0].properties).toMatchObject({ name, class: 'emergency', capacity: 150 });
    expect(found[0].geometry.coordinates[0]).toBeCloseTo(lonLat[0], 5);
    expect(found[0].geometry.coordinates[1]).toBeCloseTo(lonLat[1], 5);

    await page.locator('[data-testid="delete-feature"]').click();
    expect(await page.locator('[data-testid="delete-confirm"]').innerText()).toContain(name);
    await page.locator('[data-testid="delete-confirm-yes"]').click();
    await poll(() => detail().count()).toBe(0);
    expect((await api.call(`/api/layers/shelters/features/${createdFid}`, { token: COMMANDER })).status).toBe(404);
  });

  it('shows an admin the audit log of those writes, filtered, with before and after', async () => {
    expect(await page.locator('[data-testid="open-audit"]').count()).toBe(0);
    await signIn(ADMIN);
    await page.locator('[data-testid="open-audit"]').click();
    const log = page.locator('[data-testid="audit-log"]');
    const entries = (fid: string, action: string) => log.locator(`[data-audit-entry][data-fid="${fid}"][data-action="${action}"]`);
    // Edit, two conflicting API writes, the re-applied edit, the move.
    await poll(() => entries(shelter.id, 'update').count()).toBe(5);
    expect(await entries(other.id, 'update').count()).toBe(1);
    expect(await entries(createdFid, 'create').count()).toBe(1);
    expect(await entries(createdFid, 'delete').count()).toBe(1);

    await log.locator('[data-audit-filter="action"]').selectOption('delete');
    // The filtered list is refetched: an empty list while it loads has no other actions either.
    await poll(() => entries(createdFid, 'delete').count()).toBe(1);
    expect(await log.locator('[data-audit-entry]:not([data-action="delete"])').count()).toBe(0);
    await log.locator('[data-audit-filter="action"]').selectOption('');

    // The table edit: capacity before → after.
    const entry = entries(other.id, 'update');
    await entry.locator('.audit-summary').click();
    const diff = entry.locator('[data-diff="capacity"]');
    expect(digits(await diff.locator('.before').innerText())).toBe(other.properties.capacity);
    expect(digits(await diff.locator('.after').innerText())).toBe(other.properties.capacity + 7);
    await shot('edit-06-audit');
    await log.locator('button.close').click();
  });

  it('exports the layer as GeoJSON and as CSV for Excel; the public gets public fields only', async () => {
    await expandShelters();
    const geojson = JSON.parse((await exportShelters('geojson')).toString('utf8'));
    expect(geojson.type).toBe('FeatureCollection');
    expect(geojson.features).toHaveLength(total);
    const edited = geojson.features.find((f: { id: string }) => f.id === other.id);
    expect(edited.properties.capacity).toBe(other.properties.capacity + 7);

    const csv = (await exportShelters('csv')).toString('utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(total + 1);
    const header = lines[0].split(',');
    expect(header).toEqual(expect.arrayContaining(['name', 'capacity', 'phone', 'lon(WGS84)', 'lat(WGS84)']));
    const row = lines.find((l) => l.includes(other.properties.name))!.split(',');
    expect(Number(row[header.indexOf('capacity')])).toBe(other.properties.capacity + 7);

    // GCJ-02 moves every point by the national offset (hundreds of metres), and says so in the name.
    const gcj = JSON.parse((await exportShelters('geojson', 'gcj02')).toString('utf8'));
    const shifted = gcj.features.find((f: { id: string }) => f.id === other.id).geometry.coordinates;
    const shift = Math.hypot(shifted[0] - edited.geometry.coordinates[0], shifted[1] - edited.geometry.coordinates[1]);
    expect(shift).toBeGreaterThan(0.001);
    expect(shift).toBeLessThan(0.01);

    await page.locator('.signed-in button').click();
    await poll(() => page.locator('[data-testid="sign-in"]').count()).toBe(1);
    await expandShelters();
    await page.locator('[data-testid="export-shelters"]').click();
    await page.locator('[data-export="shelters"] [data-crs="gcj02"]').check();
    await shot('edit-07-export');
    const publicCsv = (await exportShelters('csv')).toString('utf8');
    const publicHeader = publicCsv.slice(1).split('\r\n')[0].split(',');
    expect(publicHeader).toContain('capacity');
    expect(publicHeader).not.toContain('phone');
    expect(publicHeader).not.toContain('manager');
  });

  it('fits the edit form on a phone', async () => {
    const phone = await app.browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    app.watch(phone);
    try {
      await phone.goto(api.url);
      await phone.evaluate((token) => localStorage.setItem('onemap.token', token), COMMANDER);
      await phone.reload();
      await waitReady(phone);
      const at = await centreOn(phone, other.geometry.coordinates, 15);
      await phone.touchscreen.tap(at.x, at.y);
      await poll(() => phone.locator('[data-testid="detail"] h2').innerText()).toBe(other.properties.name);
      await phone.locator('[data-testid="edit-feature"]').tap();
      const input = phone.locator('[data-form-field="capacity"] input');
      await poll(() => input.isVisible()).toBe(true);
      const box = (await input.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      await phone.screenshot({ path: path.join(SCREENSHOTS, 'edit-08-phone.png') });

      // The table drawer takes the lower part of the screen and scrolls sideways.
      await phone.locator('[data-testid="feature-form"] .form-actions button:not([type="submit"])').tap();
      await phone.locator('[data-testid="panel-toggle"]').tap();
      await phone.locator('[data-layer-row="shelters"] .layer-line button[aria-expanded]').tap();
      await phone.locator('[data-testid="table-shelters"]').tap();
      // The layer panel makes room for the table.
      expect(await phone.locator('[data-testid="panel-toggle"]').getAttribute('aria-expanded')).toBe('false');
      const drawer = phone.locator('[data-testid="table-drawer"]');
      await poll(() => drawer.locator('tbody tr').count()).toBeGreaterThan(0);
      const table = (await drawer.boundingBox())!;
      expect(table.width).toBeLessThanOrEqual(390);
      expect(table.y + table.height).toBeLessThanOrEqual(844);
      await phone.screenshot({ path: path.join(SCREENSHOTS, 'edit-09-phone-table.png') });
    } finally {
      await phone.close();
    }
  });
});
