/**
 * What the browser tests share: Debian's headless chromium (never a downloaded one), the client
 * built by Vite once per run, the app serving it (useBrowserApp), and moving the WebGL map through `window.__onemap`
 * (client/src/map/testHook.ts) the way a user would.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { startTestServer, type TestServer } from '../setup/server.js';
import { openTestStore, type TestStore } from '../setup/store.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--use-gl=angle',
  '--use-angle=gl-egl',
  '--ignore-gpu-blocklist',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export const SCREENSHOTS = path.resolve('test-output/e2e');

export function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing. The browser test drives the system chromium and never downloads one: ` +
        'install it with "apt-get install chromium fonts-noto-cjk" (CI does this in .ci/run).',
    );
  }
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/**
 * The client built by Vite, once per test run: the first browser test file to ask builds it into
 * the run's folder (tests/setup/global.ts), the others, in other workers, wait for it. Read only.
 */
export async function builtClient(): Promise<string> {
  const dir = inject('clientDir');
  const [done, failed] = [path.join(dir, '.built'), path.join(dir, '.failed')];
  let mine = true;
  try {
    fs.mkdirSync(dir);
  } catch {
    mine = false;
  }
  if (mine) {
    // Vitest runs with NODE_ENV=test, which Vite would inline into the client: React's development
    // build, with StrictMode mounting every effect twice. The tests drive the build users get.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: 'vite.config.ts', mode: 'production', build: { outDir: dir, emptyOutDir: false }, logLevel: 'warn' });
      fs.writeFileSync(done, '');
    } catch (err) {
      fs.writeFileSync(failed, String(err));
      throw err;
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    return dir;
  }
  for (const until = Date.now() + 300_000; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) {
    if (fs.existsSync(done)) return dir;
    if (fs.existsSync(failed)) throw new Error(`The client build failed in another test file: ${fs.readFileSync(failed, 'utf8')}`);
  }
  throw new Error(`The client build in ${dir} did not finish within 5 minutes.`);
}

export const waitReady = (page: Page) => page.waitForFunction(() => window.__onemap?.ready === true, null, { timeout: 30_000 });

/** Centres the map on a lon/lat at a zoom, waits for it to settle, and returns its pixel. */
export function centreOn(page: Page, [lon, lat]: [number, number], zoom: number): Promise<{ x: number; y: number }> {
  return page.evaluate(
    ({ lon, lat, zoom }) =>
      new Promise<{ x: number; y: number }>((resolve) => {
        const map = window.__onemap!.map;
        map.once('idle', () => resolve(map.project([lon, lat])));
        map.jumpTo({ center: [lon, lat], zoom });
      }),
    { lon, lat, zoom },
  );
}

/** The deck.gl layer with this id as the test hook reports it, or null. */
export const deckLayer = (page: Page, id: string) => page.evaluate((id) => window.__onemap!.deckLayers().find((l) => l.id === id) ?? null, id);

export interface ShelterFeature {
  id: string;
  geometry: { coordinates: [number, number] };
  properties: { name: string; capacity: number; county_code: string };
}

/**
 * A shelter with no other shelter within ~300 m, so a click on it cannot hit a neighbour. The
 * demo generator's names are unique, so its name also finds exactly it. `skip` passes over the
 * first isolated ones (a test that changes one can pick another).
 */
export function isolatedShelter(features: ShelterFeature[], skip = 0): ShelterFeature {
  const MIN_DEGREES = 0.003;
  const found = features.filter((f) => {
    const [x, y] = f.geometry.coordinates;
    return features.every((g) => g === f || Math.hypot(g.geometry.coordinates[0] - x, g.geometry.coordinates[1] - y) > MIN_DEGREES);
  })[skip];
  if (!found) throw new Error(`Fewer than ${skip + 1} shelters are ${MIN_DEGREES}° from every other one: the demo data has changed, pick another test feature.`);
  return found;
}

export interface BrowserApp {
  api: TestServer;
  /** The seeded store the app serves (a test may add data before opening the page). */
  store: TestStore;
  /** The built client, shared by the run's browser tests (its `.vite/chunks.json` says which source modules each chunk holds). */
  clientDir: string;
  browser: Browser;
  page: Page;
  /** Uncaught errors of any page the test opens; pushed to by `watch`. */
  pageErrors: string[];
  watch(page: Page): void;
}

/**
 * The whole set-up of a browser test for the enclosing describe block: a seeded store, the client
 * built into a temporary folder, the real app serving both, and one chromium page at `viewport`.
 * Browser console errors are echoed; an uncaught page error fails the test in which it happened.
 * Read the fields inside hooks and tests (they are set in beforeAll).
 */
export function useBrowserApp(viewport: { width: number; height: number }): BrowserApp {
  const app = { pageErrors: [] as string[] } as BrowserApp;
  let store: TestStore | undefined;
  app.watch = (page) => {
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`[browser console] ${m.text()}`);
    });
    page.on('pageerror', (e) => app.pageErrors.push(e.message));
  };
  beforeAll(async () => {
    [store, app.browser, app.clientDir] = await Promise.all([openTestStore(), launchBrowser(), builtClient()]);
    app.store = store;
    app.api = await startTestServer(store.db, { CLIENT_DIR: app.clientDir });
    app.page = await app.browser.newPage({ viewport });
    app.watch(app.page);
  });
  afterAll(async () => {
    await app.browser?.close();
    await app.api?.close();
    await store?.dispose();
  });
  afterEach(() => {
    expect(app.pageErrors, 'uncaught errors in the page').toEqual([]);
  });
  return app;
}
