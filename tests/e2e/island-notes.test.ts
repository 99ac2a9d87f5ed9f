/**
 * An isochrone from an origin on a small island of the road network: the server's
 * `network_island_origin` Note must be shown in the analysis panel, in zh-CN, by the shared
 * client/src/panels/AnalysisNotes.tsx — the test fails if the panel stops showing it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { TOKENS, type TestServer } from '../setup/server.js';
import { centreOn, useBrowserApp } from './browser.js';

// A 1-link road in 合川 that touches no other road (as in tests/fixtures/roads/two-districts.geojson).
const FRAGMENT = {
  type: 'FeatureCollection',
  features: [{ type: 'Feature', id: 'island-1', properties: { name: '合川孤立路段', class: 'tertiary' }, geometry: { type: 'LineString', coordinates: [[106.3, 30.02], [106.301, 30.02]] } }],
};
const ON_FRAGMENT: [number, number] = [106.3005, 30.02];

describe('island notes in the analysis panel (headless chromium)', () => {
  const app = useBrowserApp({ width: 1440, height: 900 });
  let api: TestServer;
  let page: Page;
  beforeAll(() => {
    ({ api, page } = app);
  });

  it('warns in zh-CN that the isochrone origin is on an island', async () => {
    const imported = await fetch(`${api.url}/api/layers/roads/import?filename=island.geojson&mode=append&dryRun=false`, {
      method: 'POST',
      headers: { 'content-type': 'application/geo+json', authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` },
      body: JSON.stringify(FRAGMENT),
    });
    expect(imported.status, await imported.clone().text()).toBe(200);
    // The server's answer for the same origin carries the Note the panel must show.
    const answer = await api.call('/api/analysis/isochrone', { method: 'POST', body: { origins: [ON_FRAGMENT], minutes: [10] } });
    expect(answer.body.networkNotes).toEqual([{ code: 'network_island_origin', params: { ref: 0, nodes: 2, networkNodes: expect.any(Number) } }]);
    const networkNodes: number = answer.body.networkNotes[0].params.networkNodes;

    await page.goto(api.url);
    // As browser.ts waitReady, with room for a loaded machine.
    await page.waitForFunction(() => window.__onemap?.ready === true, null, { timeout: 120_000 });
    await page.locator('[data-tab="analysis"]').click();
    await expect.poll(() => page.locator('[data-analysis="isochrone"]').count(), { timeout: 30_000 }).toBe(1);
    const at = await centreOn(page, ON_FRAGMENT, 16);
    await page.locator('[data-testid="pick-origin"]').click();
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => page.locator('.origins li').count()).toBe(1);
    await page.locator('[data-testid="run-analysis"]').click();
    await expect.poll(() => page.locator('[data-testid="analysis-results"]').getAttribute('data-kind').catch(() => null), { timeout: 60_000 }).toBe('isochrone');

    const notes = page.locator('[data-testid="analysis-results"] [data-testid="analysis-notes"]');
    await expect.poll(() => notes.count(), { timeout: 30_000 }).toBe(1);
    const text = await notes.innerText();
    expect(text).toContain('道路连通性提示');
    // The origin counted from 1, the piece's and the network's node counts formatted for zh-CN.
    expect(text).toContain(`起点 1 接入的是道路网中一个孤立的小块（2 个节点，全网 ${networkNodes.toLocaleString('zh-CN')} 个）`);
  }, 240_000);
});
