/**
 * Relief reach in a real browser over the seeded store: with the 巫山 4-hour preset the heading,
 * legend and basis say 4 hours; the per-item table, the binding item and the 铜梁 reserve-standard
 * check show the API's own figures, in Chinese.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, type TestServer } from '../setup/server.js';
import { useBrowserApp } from './browser.js';

const WUSHAN = '500237';

describe('relief reach in headless chromium', () => {
  const app = useBrowserApp({ width: 1440, height: 900 });
  let api: TestServer;
  let page: Page;
  beforeAll(() => {
    ({ api, page } = app);
  });

  it('runs 巫山 with its 4-hour target and says 4 hours everywhere, with the items and the reserve standard', async () => {
    await page.goto(api.url);
    // The machine the suite shares may be loaded: a generous wait for the map to be ready.
    await page.waitForFunction(() => window.__onemap?.ready === true, null, { timeout: 120_000 });
    await page.locator('[data-testid="sign-in"]').click();
    await page.locator('[data-testid="token"]').fill(TOKENS.COMMANDER_TOKEN);
    await page.locator('.sign-in-form button[type="submit"]').click();
    await page.locator('[data-tab="analysis"]').click();
    await expect.poll(() => page.locator('[data-analysis="relief"]').count(), { timeout: 60_000 }).toBe(1);
    await page.locator('[data-testid="area"]').selectOption(WUSHAN);
    await page.locator('[data-analysis="relief"]').check();
    if (!(await page.locator('details.params').evaluate((d) => (d as HTMLDetailsElement).open))) await page.locator('[data-testid="params-toggle"]').click();
    await page.locator('[data-preset="wushan"]').click();
    expect(await page.locator('[data-param="targetHours"] input').inputValue()).toBe('4');
    await page.locator('[data-testid="run-analysis"]').click();
    await expect
      .poll(() => page.locator('[data-testid="analysis-results"]').getAttribute('data-kind').catch(() => null), { timeout: 120_000 })
      .toBe('relief');

    const answer = (await api.call('/api/analysis/relief-reach', { method: 'POST', body: { county: WUSHAN, targetHours: 4 }, token: TOKENS.COMMANDER_TOKEN })).body;
    expect(await page.locator('[data-testid="analysis-title"]').innerText()).toContain('救灾物资 4 小时可达与保障');
    const legend = await page.locator('[data-testid="analysis-legend"]').first().innerText();
    expect(legend).toContain('4 小时内物资保障率');
    expect(legend).not.toContain('10 小时');
    const summary = await page.locator('[data-testid="analysis-summary"]').innerText();
    expect(summary).toContain('时限 4 小时。');
    expect(summary).toContain('多灾易灾或偏远镇（街道）应达到 200 人以上');
    expect(summary).not.toMatch(/relief_|Sphere Handbook|⟦/);

    // The per-item table as the API counts it: 26 towns × 6 items, the first row's figures.
    const rows = page.locator('[data-testid="table-town-items"] tbody tr');
    await expect.poll(() => rows.count()).toBe(26 * 6);
    const first = answer.towns[0];
    const cells = await rows.first().locator('td').allInnerTexts();
    expect(cells[0]).toBe(first.name);
    expect(cells[1]).toBe('救灾帐篷');
    expect(Number(cells[2].replace(/,/g, ''))).toBe(first.items[0].need);
    expect(Number(cells[3].replace(/,/g, ''))).toBe(first.items[0].supply);
    // The binding item by name, and the reserve standard: the county row first (the plan's 3,000).
    const binding = page.locator(`[data-testid="table-towns"] [data-row="${first.code}"] td[data-col="binding"]`);
    expect((await binding.innerText()).length).toBeGreaterThan(0);
    expect(await binding.innerText()).not.toMatch(/[a-z_]/);
    const standard = page.locator('[data-testid="table-standard"] tbody tr');
    expect(await standard.count()).toBe(1 + 26);
    expect(await standard.first().innerText()).toContain('3,000');
    const short = answer.standard.towns.filter((t: any) => !t.meets).length;
    expect(summary).toContain(`未达标的乡镇（街道）${short} / 26`);
  }, 300_000);
});
