/**
 * The shells in headless chromium: the URL chooses the view, and a user downloads only the code
 * their shell and role bring. Every script a page requests is mapped back to the source modules
 * it holds through the build's `.vite/chunks.json` (vite.config.ts), so the assertions name
 * modules, never hashed file names. Each visit is a fresh browser context (empty cache).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS } from '../setup/server.js';
import { useBrowserApp, waitReady } from './browser.js';

/** Code an anonymous visitor of `/` must not download, by source path. */
const NOT_FOR_THE_PUBLIC: Record<string, RegExp> = {
  editing: /^client\/src\/edit\//,
  import: /^client\/src\/import\//,
  siting: /siting|siteMarkers/i,
  report: /^client\/src\/report\//,
};
const EDITING = 'client/src/edit/EditSession.tsx';
const IMPORT = 'client/src/import/Importer.tsx';
const ANALYSIS = 'client/src/shells/plan/AnalysisTool.tsx';

interface Chunk {
  file: string;
  modules: string[];
}

interface Visit {
  context: BrowserContext;
  page: Page;
  /** Resolves once no request has been in flight for a second (what a lazy tool loads has arrived). */
  settled(): Promise<void>;
  /** Source modules of every script requested so far. */
  modules(): string[];
  /** Every request so far, in the order the page made them: paths without the leading slash and query. */
  order(): string[];
  /** Scripts and style sheets requested so far, gzip-compressed, in kB. */
  gzipKb(): number;
}

describe('shells and what each user downloads', () => {
  const app = useBrowserApp({ width: 1440, height: 900 });
  let chunks: Map<string, Chunk>;
  const contexts: BrowserContext[] = [];
  const sizes: string[] = [];
  beforeAll(() => {
    const list: Chunk[] = JSON.parse(fs.readFileSync(path.join(app.clientDir, '.vite/chunks.json'), 'utf8'));
    chunks = new Map(list.map((c) => [c.file, c]));
  });
  afterEach(async () => {
    for (const c of contexts.splice(0)) await c.close();
  });
  afterAll(() => console.log(`downloads (gzip):\n${sizes.join('\n')}`));

  async function visit(pathname: string, token?: string): Promise<Visit> {
    const context = await app.browser.newContext({ viewport: { width: 1440, height: 900 } });
    contexts.push(context);
    if (token) await context.addInitScript((t) => localStorage.setItem('onemap.token', t), token);
    const page = await context.newPage();
    app.watch(page);
    const files = new Set<string>();
    const order: string[] = [];
    const pending = new Set<string>();
    let lastChange = Date.now();
    page.on('request', (r) => {
      const file = new URL(r.url()).pathname.slice(1);
      order.push(file);
      if (/\.(js|css)$/.test(file)) files.add(file);
      pending.add(r.url());
      lastChange = Date.now();
    });
    const done = (r: { url(): string }) => {
      pending.delete(r.url());
      lastChange = Date.now();
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    const settled = () =>
      expect
        .poll(() => (pending.size === 0 && Date.now() - lastChange > 1000 ? 'settled' : [...pending].join(' ') || 'quiet for less than 1 s'), { timeout: 30_000, interval: 250 })
        .toBe('settled');
    await page.goto(app.api.url + pathname);
    await waitReady(page);
    await settled();
    const scripts = () => [...files].filter((f) => f.endsWith('.js'));
    return {
      context,
      page,
      settled,
      modules: () => scripts().flatMap((f) => chunks.get(f)?.modules ?? [`${f}: not a chunk of this build`]),
      order: () => [...order],
      gzipKb: () => [...files].reduce((kb, f) => kb + zlib.gzipSync(fs.readFileSync(path.join(app.clientDir, f))).length / 1024, 0),
    };
  }
  const record = (label: string, v: Visit) => sizes.push(`  ${label}: ${v.gzipKb().toFixed(0)} kB`);
  const matching = (modules: string[], re: RegExp) => modules.filter((m) => re.test(m));

  it("is React's production build, as users get it (browser.ts builds with NODE_ENV=production)", () => {
    const js = [...chunks.keys()].filter((f) => f.endsWith('.js')).map((f) => fs.readFileSync(path.join(app.clientDir, f), 'utf8')).join('\n');
    // The production react-dom reports errors by number; the development one warns about strict mode.
    expect(js.includes('Minified React error'), 'the production react-dom').toBe(true);
    expect(js.includes('in a strict mode tree'), 'the development react-dom').toBe(false);
  });

  it('an anonymous visit of / downloads the one map, and no editing, import, siting or report code', async () => {
    const v = await visit('/');
    const modules = v.modules();
    expect(modules).toContain('client/src/shells/command/index.tsx');
    expect(modules).toContain('client/src/map/MapView.tsx');
    expect(modules.filter((m) => m.includes('not a chunk'))).toEqual([]);
    for (const [what, re] of Object.entries(NOT_FOR_THE_PUBLIC)) expect(matching(modules, re), what).toEqual([]);
    expect(matching(modules, /^client\/src\/shells\/(plan|admin)\//)).toEqual([]);
    expect(await v.page.locator('[data-shell]').count()).toBe(0);
    record('anonymous, /', v);

    // The analysis tab brings its tools when it is opened, not before.
    await v.page.locator('[data-tab="analysis"]').click();
    await expect.poll(() => v.page.locator('[data-analysis]').count(), { timeout: 15_000 }).toBe(1);
    expect(v.modules()).toContain(ANALYSIS);
  });

  it('asks for the map code every shell needs and for the first data before the shell itself (vite.config.ts, api/startup.ts)', async () => {
    const v = await visit('/', TOKENS.COMMANDER_TOKEN);
    const order = v.order();
    const holding = (module: string | RegExp) => order.findIndex((f) => chunks.get(f)?.modules.some((m) => (typeof module === 'string' ? m === module : module.test(m))));
    const shell = holding('client/src/shells/command/index.tsx');
    expect(shell).toBeGreaterThan(0);
    // Preloaded from the page: the map frame and MapLibre come while main.js runs, not after the shell.
    for (const module of ['client/src/map/MapView.tsx', /node_modules\/maplibre-gl\//]) {
      expect(holding(module), String(module)).toBeGreaterThanOrEqual(0);
      expect(holding(module), String(module)).toBeLessThan(shell);
    }
    // Asked for by main.tsx, with the commander's token: once each, the hooks find the answers kept.
    for (const api of ['api/config', 'api/areas', 'api/layers']) {
      expect(order.indexOf(api), api).toBeGreaterThanOrEqual(0);
      expect(order.indexOf(api), api).toBeLessThan(shell);
      expect(order.filter((f) => f === api), api).toHaveLength(1);
    }
    expect(await v.page.locator('[data-testid="import-open"]').count()).toBe(1);
  });

  it('a commander on / gets editing and import on signing in, and the links to the other shells', async () => {
    const v = await visit('/', TOKENS.COMMANDER_TOKEN);
    await expect.poll(() => v.page.locator('[data-testid="import-open"]').count()).toBe(1);
    await v.settled();
    const modules = v.modules();
    expect(modules).toContain(EDITING);
    expect(modules).toContain(IMPORT);
    expect(matching(modules, NOT_FOR_THE_PUBLIC.siting)).toEqual([]);
    expect(matching(modules, NOT_FOR_THE_PUBLIC.report)).toEqual([]);
    expect(await v.page.$$eval('[data-shell]', (els) => els.map((e) => [e.getAttribute('data-shell'), e.getAttribute('aria-current')]))).toEqual([
      ['command', 'page'],
      ['plan', null],
      ['admin', null],
    ]);
    record('commander, /', v);
  });

  it('/plan/ opens on the analyses, without editing or import, and its links keep the map view', async () => {
    const v = await visit('/plan/', TOKENS.COMMANDER_TOKEN);
    expect(await v.page.locator('[data-tab="analysis"]').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => v.page.$$eval('[data-analysis]', (els) => els.map((e) => e.getAttribute('data-analysis')))).toEqual(['fire', 'shelter', 'relief', 'siting', 'isochrone']);
    await v.settled();
    const modules = v.modules();
    expect(modules).toContain(ANALYSIS);
    expect(matching(modules, NOT_FOR_THE_PUBLIC.siting).length).toBeGreaterThan(0);
    expect(modules).not.toContain(EDITING);
    expect(modules).not.toContain(IMPORT);
    expect(await v.page.locator('[data-testid="import-open"]').count()).toBe(0);
    record('commander, /plan/', v);

    const hash = new URL(v.page.url()).hash;
    expect(hash).toMatch(/^#map=/);
    await v.page.locator('[data-shell="admin"]').click();
    await v.page.waitForURL(`${app.api.url}/admin/${hash}`);
    await waitReady(v.page);
    expect(await v.page.locator('[data-shell="admin"]').getAttribute('aria-current')).toBe('page');
  });

  it('/admin/ gives an administrator import, editing and the audit log, and no analyses', async () => {
    const v = await visit('/admin/', TOKENS.ADMIN_TOKEN);
    await expect.poll(() => v.page.locator('[data-testid="open-audit"]').count()).toBe(1);
    await expect.poll(() => v.page.locator('[data-testid="import-open"]').count()).toBe(1);
    await v.settled();
    expect(await v.page.locator('[data-tab]').count()).toBe(0);
    const modules = v.modules();
    expect(modules).toContain(EDITING);
    expect(modules).not.toContain(ANALYSIS);
    expect(matching(modules, NOT_FOR_THE_PUBLIC.siting)).toEqual([]);
    expect(matching(modules, NOT_FOR_THE_PUBLIC.report)).toEqual([]);
    record('admin, /admin/', v);
  });
});
