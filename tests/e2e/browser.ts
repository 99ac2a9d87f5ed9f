/**
 * What the browser tests share: Debian's headless chromium (never a downloaded one), the client
 * built by Vite into a temporary folder, and moving the WebGL map through `window.__onemap`
 * (client/src/map/testHook.ts) the way a user would.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';

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

/** Builds the client into a new temporary folder; returns the folder. */
export async function buildClient(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-client-'));
  await build({ configFile: 'vite.config.ts', mode: 'production', build: { outDir: dir, emptyOutDir: true }, logLevel: 'warn' });
  return dir;
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
