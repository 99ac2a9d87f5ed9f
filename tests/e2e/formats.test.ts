/**
 * The GDAL formats in a real browser: a commander picks a census xlsx in the import wizard, gets
 * the layer's blank template from the wizard's link, sees the dry run's preview of the sheet's
 * shelters; then exports the shelters as FlatGeobuf from the layer's export menu, which gdal-bin's
 * ogrinfo reads back with every shelter.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Download, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, type TestServer } from '../setup/server.js';
import { useBrowserApp } from './browser.js';

const XLSX = path.resolve('tests/fixtures/formats/gdal/shelters-census.xlsx');
/** Lazily loaded chunks and GDAL's first start are slow on the shared 2-core machine. */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 60_000 });
const SLOW = 240_000;

describe('GDAL formats in headless chromium', () => {
  const app = useBrowserApp({ width: 1280, height: 800 });
  let api: TestServer;
  let page: Page;

  beforeAll(() => {
    ({ api, page } = app);
  });

  const saved = async (download: Promise<Download>): Promise<Buffer> => fs.readFileSync((await (await download).path())!);

  it(
    'imports a census xlsx through the wizard, with the blank template one click away',
    async () => {
      await page.goto(api.url);
      // waitReady's fixed 30 s is too short for a first load on the loaded test machine.
      await poll(() => page.locator('[data-testid="sign-in"]').count()).toBe(1);
      await page.locator('[data-testid="sign-in"]').click();
      await page.locator('[data-testid="token"]').fill(TOKENS.COMMANDER_TOKEN);
      await page.locator('.sign-in-form button[type="submit"]').click();
      await poll(() => page.locator('[data-testid="import-open"]').count()).toBe(1);
      await page.locator('[data-testid="import-input"]').setInputFiles(XLSX);
      await poll(() => page.locator('[data-testid="import-wizard"]').getAttribute('data-step')).toBe('setup');
      await page.locator('[data-testid="import-layer"]').selectOption('shelters');

      const template = await saved(Promise.all([page.waitForEvent('download'), page.locator('[data-testid="import-template"]').click()]).then(([d]) => d));
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(template as unknown as ArrayBuffer);
      expect(wb.worksheets[0].getCell('A1').value).toBe('应急避难场所调查表');

      await page.locator('[data-testid="import-dry-run"]').click();
      await poll(() => page.locator('[data-testid="import-wizard"]').getAttribute('data-step')).toBe('preview');
      await poll(() => page.locator('[data-testid="import-report"]').getAttribute('data-crs')).toBe('wgs84');
      expect(await page.locator('[data-testid="import-report"]').innerText()).toContain('XLSX');
      expect(await page.locator('[data-testid="import-wizard"] [role="alert"]').count()).toBe(0);
    },
    SLOW,
  );

  it(
    'exports the shelters as FlatGeobuf from the export menu',
    async () => {
      const toggle = page.locator('[data-layer-row="shelters"] .layer-line button[aria-expanded]');
      if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
      const menu = page.locator('[data-export="shelters"]');
      if ((await menu.locator('.export-options').count()) === 0) await page.locator('[data-testid="export-shelters"]').click();
      await menu.locator('[data-format="fgb"]').check();
      const bytes = await saved(Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-shelters-download"]').click()]).then(([d]) => d));
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-fgb-')), 'shelters.fgb');
      fs.writeFileSync(file, bytes);
      const total = (await api.call('/api/layers/shelters/features?limit=1', { token: TOKENS.COMMANDER_TOKEN })).body.numberMatched;
      expect(execFileSync('ogrinfo', ['-ro', '-al', '-so', file], { encoding: 'utf8' })).toMatch(new RegExp(`Feature Count: ${total}\\b`));
    },
    SLOW,
  );
});
