/**
 * Every answer in the reader's language: a commander and a planner walk every analysis (isochrone
 * with a straight-line fallback, fire coverage, shelter capacity, relief reach, planner siting and
 * its one-page report), the import wizard's report of a CSV with problems, refused imports (a KML
 * that is not KML, a CAD file GDAL cannot open) and the edit form of a demo feature, in zh-CN, and
 * the visible text of result panels, legends, reports, the import report and the form must hold no English
 * sentence (a run of three or more Latin words) and no ⟦code⟧ (noteText's mark for a note code
 * the client cannot say). Codes, units, standard numbers and proper names are allowed.
 * One `it` per analysis, so that a failure names the slice it comes from.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, type TestServer } from '../setup/server.js';
import { centreOn, isolatedShelter, useBrowserApp, type ShelterFeature } from './browser.js';
import { foreign } from './english.js';

const HECHUAN = '500117';
const JIANGBEI = '500105';
const WUSHAN = '500237';
/** These walk whole counties on a loaded 2-core machine. */
const SLOW = 240_000;

describe('every answer in zh-CN (headless chromium)', () => {
  const app = useBrowserApp({ width: 1440, height: 900 });
  let api: TestServer;
  let page: Page;
  beforeAll(async () => {
    ({ api, page } = app);
    // The planner's report is drawn on a canvas: what it writes is recorded as it is drawn.
    await page.context().addInitScript(() => {
      const drawn: string[] = [];
      (window as unknown as { __drawnText: string[] }).__drawnText = drawn;
      const fill = CanvasRenderingContext2D.prototype.fillText;
      CanvasRenderingContext2D.prototype.fillText = function (text: string, ...rest: [number, number, number?]) {
        if (String(text).length > 1) drawn.push(String(text));
        return fill.call(this, text, ...rest);
      };
    });
    await page.context().addInitScript((token) => {
      localStorage.setItem('onemap.token', token);
      localStorage.setItem('onemap.lang', 'zh');
    }, TOKENS.COMMANDER_TOKEN);
  });

  /** The map has drawn its data (generous: the first load on a loaded machine is slow). */
  const ready = () => page.waitForFunction(() => window.__onemap?.ready === true, null, { timeout: 120_000 });

  /** The visible text of the analysis' result panel and legends, every folded detail opened. */
  async function panelText(): Promise<string> {
    await page.$$eval('[data-testid="analysis-results"] details, [data-testid="analysis-legend"] details', (els) => els.forEach((d) => ((d as HTMLDetailsElement).open = true)));
    const parts = await page.locator('[data-testid="analysis-results"], [data-testid="analysis-legend"]').allInnerTexts();
    return parts.join('\n');
  }

  /** Opens a shell on its analysis tab; each test opens its own, so one failing leaves the next unharmed. */
  async function open(pathname: string): Promise<void> {
    await page.goto(api.url + pathname);
    await ready();
    await page.locator('[data-tab="analysis"]').click();
    await expect.poll(() => page.locator('[data-analysis]').count(), { timeout: 60_000 }).toBeGreaterThan(1);
  }

  /** Runs the chosen analysis in `county` and waits for its result. */
  async function run(kind: string, county?: string): Promise<void> {
    if (county) await page.locator('[data-testid="area"]').selectOption(county);
    await page.locator(`[data-analysis="${kind}"]`).check();
    await page.locator('[data-testid="run-analysis"]').click();
    await expect.poll(() => page.locator('[data-testid="analysis-results"]').getAttribute('data-kind').catch(() => null), { timeout: 120_000 }).toBe(kind);
    await expect.poll(() => page.locator('[data-testid="run-status"] .spinner').count(), { timeout: 120_000 }).toBe(0);
  }

  it('isochrone / 1-hour rescue circle, with an origin far from any road', async () => {
    await open('/');
    await page.locator('[data-analysis="isochrone"]').check();
    const shelter = (await api.call(`/api/layers/shelters/features?county_code=${JIANGBEI}&limit=1`)).body.features[0];
    for (const where of [shelter.geometry.coordinates, [100, 30]] as [number, number][]) {
      const at = await centreOn(page, where, 12);
      await page.locator('[data-testid="pick-origin"]').click();
      await page.mouse.click(at.x, at.y);
    }
    await expect.poll(() => page.locator('.origins li').count()).toBe(2);
    await run('isochrone');
    const text = await panelText();
    // The fallback's reason and the population weighting are shown, in Chinese.
    expect(text).toContain('1,000 m 内没有可驾车的道路');
    expect(text).toContain('演示数据');
    expect(text).toContain('60 分钟');
    expect(foreign(text)).toEqual([]);
  }, SLOW);

  it('fire coverage', async () => {
    await open('/');
    await run('fire', HECHUAN);
    expect(foreign(await panelText())).toEqual([]);
  }, SLOW);

  it('shelter capacity: the shelters left out and why, and the count agrees with the table', async () => {
    await open('/');
    await page.locator('[data-analysis="shelter"]').check();
    await page.$eval('details.params', (d) => ((d as HTMLDetailsElement).open = true));
    await page.locator('[data-form="shelter"] select').first().selectOption('earthquake');
    await run('shelter', JIANGBEI);
    const text = await panelText();
    expect(text).toContain('未计入的场所');
    expect(foreign(text)).toEqual([]);
    const result = (await api.call('/api/analysis/shelter-capacity', { method: 'POST', body: { county: JIANGBEI, hazard: 'earthquake' }, token: TOKENS.COMMANDER_TOKEN })).body;
    const counted = result.towns.reduce((a: number, t: { shelters: number }) => a + t.shelters, 0);
    const total = (await api.call(`/api/layers/shelters/features?county_code=${JIANGBEI}&limit=1`)).body.numberMatched;
    expect(counted + result.excluded.length).toBe(total);
    expect(text).toContain(`未计入的场所：${result.excluded.length} 处`);
  }, SLOW);

  it('relief reach', async () => {
    await open('/');
    await run('relief', WUSHAN);
    const text = await panelText();
    expect(foreign(text)).toEqual([]);
    // Times are durations (minutes below two hours), never "0.38 小时".
    expect(text).toMatch(/\d 分钟/);
    expect(text).not.toMatch(/\d\.\d+ ?小时/);
  }, SLOW);

  it('planner siting and its one-page report', async () => {
    await open('/plan/');
    await page.evaluate(() => ((window as unknown as { __drawnText: string[] }).__drawnText.length = 0));
    await run('siting', HECHUAN);
    expect(foreign(await panelText())).toEqual([]);
    await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.locator('[data-testid="export-report-png"]').click()]);
    const drawn = await page.evaluate(() => (window as unknown as { __drawnText: string[] }).__drawnText.join('\n'));
    expect(drawn.length).toBeGreaterThan(100);
    expect(foreign(drawn)).toEqual([]);
  }, SLOW);

  it('the import report of a CSV with bad rows, duplicates and degrees that may be GCJ-02', async () => {
    await page.goto(api.url);
    await ready();
    await expect.poll(() => page.locator('[data-testid="import-open"]').count(), { timeout: 60_000 }).toBe(1);
    const csv = [
      'id,名称,类别,容纳人数,经度,纬度',
      'lang-1,语言测试广场,紧急避难场所,100,106.58,29.61',
      'lang-2,语言测试广场,紧急避难场所,200,106.5801,29.61', // same name ~10 m away
      'lang-3,缺坐标,紧急避难场所,100,,29.61',
      'lang-4,错类别,临时帐篷区,100,106.57,29.60',
      'lang-5,人数非数,紧急避难场所,很多,106.56,29.60',
      'lang-6,人数带小数,紧急避难场所,10.5,106.55,29.60',
      'lang-1,重复编号,紧急避难场所,100,106.54,29.60',
    ].join('\n');
    // Dragged over the page (the drop overlay shows), then dropped, as from the desktop.
    await page.evaluate(
      ({ csv }) => {
        const dt = new DataTransfer();
        dt.items.add(new File([csv], 'shelters-lang.csv', { type: 'text/csv' }));
        (window as unknown as { __drag: DataTransfer }).__drag = dt;
        const map = document.querySelector('[data-testid="map"]')!;
        map.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: dt }));
        map.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
      },
      { csv },
    );
    await expect.poll(() => page.locator('[data-testid="drop-overlay"]').count()).toBe(1);
    await page.evaluate(() => {
      const dt = (window as unknown as { __drag: DataTransfer }).__drag;
      document.querySelector('[data-testid="drop-overlay"]')!.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
    });
    await expect.poll(() => page.locator('[data-testid="import-wizard"]').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.locator('[data-testid="import-layer"]').inputValue()).toBe('shelters');
    await page.locator('[data-testid="import-dry-run"]').click();
    const report = page.locator('[data-testid="import-report"]');
    await expect.poll(() => report.count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => page.locator('[data-testid="import-updating"]').count()).toBe(0);
    await page.$$eval('[data-testid="import-report"] details', (els) => els.forEach((d) => ((d as HTMLDetailsElement).open = true)));
    const text = await report.innerText();
    // The GCJ-02 hint, a bad row, a repeated id and a namesake nearby, all said in Chinese.
    expect(text).toContain('crs=gcj02');
    expect(text).toContain('不是数字');
    expect(text).toContain('与第 2 行重复');
    expect(text).toContain('同名“语言测试广场”');
    expect(foreign(text)).toEqual([]);
  }, SLOW);

  it('a refused import: a KML file that is not KML, its detail in Chinese', async () => {
    await page.goto(api.url);
    await ready();
    await expect.poll(() => page.locator('[data-testid="import-open"]').count(), { timeout: 60_000 }).toBe(1);
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['<?xml version="1.0"?><gpx version="1.1"></gpx>'], 'shelters-gpx.kml', { type: 'application/vnd.google-earth.kml+xml' }));
      (window as unknown as { __drag: DataTransfer }).__drag = dt;
      const map = document.querySelector('[data-testid="map"]')!;
      map.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: dt }));
      map.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
    });
    await expect.poll(() => page.locator('[data-testid="drop-overlay"]').count()).toBe(1);
    await page.evaluate(() => {
      const dt = (window as unknown as { __drag: DataTransfer }).__drag;
      document.querySelector('[data-testid="drop-overlay"]')!.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
    });
    await expect.poll(() => page.locator('[data-testid="import-wizard"]').count(), { timeout: 30_000 }).toBe(1);
    await page.locator('[data-testid="import-layer"]').selectOption('shelters');
    await page.locator('[data-testid="import-dry-run"]').click();
    const error = page.locator('[data-testid="import-error"]');
    await expect.poll(() => error.count(), { timeout: 60_000 }).toBe(1);
    const text = await error.innerText();
    expect(text).toContain('shelters-gpx.kml 是 XML 但不是 KML：根元素为 <gpx>，应为 <kml>');
    expect(foreign(text)).toEqual([]);
  }, SLOW);

  /** Drops `file` on the map as from the desktop and asks for a dry run into `layer`. */
  async function dryRun(file: { name: string; type: string; bytes: number[] }, layer: string): Promise<void> {
    await page.goto(api.url);
    await ready();
    await expect.poll(() => page.locator('[data-testid="import-open"]').count(), { timeout: 60_000 }).toBe(1);
    await page.evaluate((f) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
      (window as unknown as { __drag: DataTransfer }).__drag = dt;
      const map = document.querySelector('[data-testid="map"]')!;
      map.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: dt }));
      map.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
    }, file);
    await expect.poll(() => page.locator('[data-testid="drop-overlay"]').count()).toBe(1);
    await page.evaluate(() => {
      const dt = (window as unknown as { __drag: DataTransfer }).__drag;
      document.querySelector('[data-testid="drop-overlay"]')!.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
    });
    await expect.poll(() => page.locator('[data-testid="import-wizard"]').count(), { timeout: 30_000 }).toBe(1);
    await page.locator('[data-testid="import-layer"]').selectOption(layer);
    await page.locator('[data-testid="import-dry-run"]').click();
  }

  /** The import error's text, every folded detail opened, once `file` is refused. */
  async function refusedImport(file: { name: string; type: string; bytes: number[] }, layer: string): Promise<string> {
    await dryRun(file, layer);
    const error = page.locator('[data-testid="import-error"]');
    await expect.poll(() => error.count(), { timeout: 60_000 }).toBe(1);
    await page.$$eval('[data-testid="import-error"] details', (els) => els.forEach((d) => ((d as HTMLDetailsElement).open = true)));
    return error.innerText();
  }

  it('the import report of a census .xlsx read by GDAL: where its geometry came from, in Chinese', async () => {
    const bytes = [...fs.readFileSync('tests/fixtures/formats/gdal/shelters-census.xlsx')];
    await dryRun({ name: '避难场所普查表.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', bytes }, 'shelters');
    const report = page.locator('[data-testid="import-report"]');
    await expect.poll(() => report.count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => page.locator('[data-testid="import-updating"]').count()).toBe(0);
    await page.$$eval('[data-testid="import-report"] details', (els) => els.forEach((d) => ((d as HTMLDetailsElement).open = true)));
    const text = await report.innerText();
    expect(text).toContain('工作表 “应急避难场所”，表头第 3–4 行；经度列“经度”、纬度列“纬度”');
    expect(foreign(text)).toEqual([]);
  }, SLOW);

  it('a refused import read by GDAL: a drawing GDAL cannot open, its detail in Chinese with no English folded under it', async () => {
    const junk = Array.from({ length: 300 }, (_, i) => (i * 37 + 11) % 256);
    const text = await refusedImport({ name: '消防站.dxf', type: 'image/vnd.dxf', bytes: junk }, 'fire_stations');
    expect(text).toContain('消防站.dxf 无法按 DXF 格式读取：文件已损坏、不完整，或并不是这种格式');
    expect(text).not.toContain('技术细节');
    expect(foreign(text)).toEqual([]);
  }, SLOW);

  it('the edit form of a demo shelter: its source read in Chinese with the plan quote, never the stored code', async () => {
    type Sourced = ShelterFeature & { properties: { source: string } };
    const all = (await api.call('/api/layers/shelters/features?limit=10000', { token: TOKENS.COMMANDER_TOKEN })).body.features as Sourced[];
    // One that stands apart from every other shelter (a click finds it alone) and counts from a plan figure.
    let shelter = isolatedShelter(all) as Sourced;
    for (let skip = 1; !shelter.properties.source.startsWith('demo:count_from_plan '); skip++) shelter = isolatedShelter(all, skip) as Sourced;
    const { quote } = JSON.parse(shelter.properties.source.slice('demo:count_from_plan '.length)) as { quote: string };
    await page.goto(api.url);
    await ready();
    const at = await centreOn(page, shelter.geometry.coordinates, 15);
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => page.locator('[data-testid="detail"] h2').innerText(), { timeout: 30_000 }).toBe(shelter.properties.name);
    await expect.poll(() => page.locator('[data-testid="edit-feature"]').count(), { timeout: 30_000 }).toBe(1);
    await page.locator('[data-testid="edit-feature"]').click();
    const form = page.locator('[data-testid="feature-form"]');
    await expect.poll(() => form.count(), { timeout: 30_000 }).toBe(1);
    const source = form.locator('[data-form-field="source"]');
    const text = await form.innerText();
    expect(await source.innerText()).toContain(`演示数据：位置和属性为生成（固定种子）；数量取自规划`);
    expect(text).toContain(quote);
    expect(text).not.toContain('demo:');
    expect(foreign(text)).toEqual([]);
    // Saving another field keeps the stored source: the record stays marked demo.
    await form.locator('[data-form-field="capacity"] input').fill(String(Number(shelter.properties.capacity) + 1));
    await page.locator('[data-testid="form-save"]').click();
    await expect.poll(() => form.count(), { timeout: 30_000 }).toBe(0);
    const after = (await api.call(`/api/layers/shelters/features/${encodeURIComponent(shelter.id)}`, { token: TOKENS.COMMANDER_TOKEN })).body;
    expect(after.properties.capacity).toBe(Number(shelter.properties.capacity) + 1);
    expect(after.properties.source).toBe(shelter.properties.source);
  }, SLOW);
});
