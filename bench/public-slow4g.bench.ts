/**
 * The public shelter finder on a slow phone link: Chromium with the network emulated as "Slow 4G"
 * (CDP Network.emulateNetworkConditions: 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency), a cold
 * cache (a new browser context per run, service workers blocked), location allowed at a town of
 * 江北 (500105). Prints, per run, the time from navigation to the first ranked answer on screen
 * and to the map's first idle (marks `shelters:answer` and `shelters:map-idle` set by the page),
 * and the bytes sent; before that, the shell's sizes, raw / gzip -9 / brotli q11, as built.
 * Goals: answer < 3 s, map < 5 s; JS before the answer ≤ 150 KB and the whole shell ≤ 450 KB
 * compressed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { decodePack, type PublicManifest } from '../core/public/pack.js';
import { seedIfEmpty } from '../seeds/load.js';
import { createApp } from '../server/app.js';
import { readConfig } from '../server/config.js';
import { openStore } from '../server/store/index.js';

const RUNS = 3;
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };
const kb = (n: number): string => (n / 1024).toFixed(1);

interface Size {
  raw: number;
  gzip: number;
  brotli: number;
}

function sizeOf(files: string[], dir: string): Size {
  const s: Size = { raw: 0, gzip: 0, brotli: 0 };
  for (const f of files) {
    const b = fs.readFileSync(path.join(dir, f));
    s.raw += b.length;
    s.gzip += zlib.gzipSync(b, { level: 9 }).length;
    s.brotli += zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return s;
}

/** The shell's files: what the page loads before its first answer, and all it can load (the service worker's precache list). */
function shellFiles(dir: string): { first: string[]; jsFirst: string[]; all: string[] } {
  const html = fs.readFileSync(path.join(dir, 'shelters/index.html'), 'utf8');
  const linked = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
  const sw = fs.readFileSync(path.join(dir, 'shelters/sw.js'), 'utf8');
  const precache = JSON.parse(/\[("assets\/[^\]]*)\]/.exec(sw)![0]) as string[];
  const first = ['shelters/index.html', ...linked];
  return { first, jsFirst: linked.filter((f) => f.endsWith('.js')), all: ['shelters/index.html', 'shelters/sw.js', ...precache] };
}

async function main(): Promise<void> {
  const clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-bench-client-'));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-bench-data-'));
  await build({ configFile: 'vite.config.ts', mode: 'production', build: { outDir: clientDir, emptyOutDir: true }, logLevel: 'warn' });

  const files = shellFiles(clientDir);
  const rows: [string, Size][] = [
    ['JS before the first answer', sizeOf(files.jsFirst, clientDir)],
    ['everything before the first answer (HTML, JS, CSS)', sizeOf(files.first, clientDir)],
    ['whole shell with the map (precache list)', sizeOf(files.all, clientDir)],
  ];
  console.log('shell size, KiB            raw     gzip   brotli');
  for (const [label, s] of rows) console.log(`${label.padEnd(52)} ${kb(s.raw).padStart(7)} ${kb(s.gzip).padStart(8)} ${kb(s.brotli).padStart(8)}`);

  const db = await openStore({ dataDir });
  await seedIfEmpty(db);
  const app = createApp(db, readConfig({ PORT: '0', HOST: '127.0.0.1', CLIENT_DIR: clientDir }), pino({ level: 'silent' }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const manifest = (await (await fetch(`${url}/shelters/data/manifest.json`)).json()) as PublicManifest;
  const area = manifest.areas.find((a) => a.code === '500105')!;
  const pack = decodePack(new Uint8Array(await (await fetch(new URL(area.url, `${url}/shelters/data/`))).arrayBuffer()));
  const town = pack.places.find((p) => p.kind === 'town')!;
  console.log(`\npack 500105: ${kb(area.bytes)} KiB; origin near ${town.name}`);

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--use-gl=angle', '--use-angle=gl-egl', '--ignore-gpu-blocklist'],
  });
  console.log('\nrun   first answer (ms)   map idle (ms)   bytes received (KiB)');
  const answers: number[] = [];
  const maps: number[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        locale: 'zh-CN',
        geolocation: { longitude: town.lon + 0.0006, latitude: town.lat + 0.0004 },
        permissions: ['geolocation'],
        // The service worker's own fetches (its precache) escape the page's network emulation:
        // blocked, every byte the page gets comes through the slow link.
        serviceWorkers: 'block',
      });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
      let received = 0;
      cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => (received += e.encodedDataLength));
      await page.goto(`${url}/shelters/`, { waitUntil: 'commit' });
      const mark = (name: string) =>
        page.waitForFunction((n) => performance.getEntriesByName(n)[0]?.startTime, name, { timeout: 60_000, polling: 50 }).then((h) => h.jsonValue() as Promise<number>);
      const [answer, map] = await Promise.all([mark('shelters:answer'), mark('shelters:map-idle')]);
      answers.push(answer);
      maps.push(map);
      console.log(`${String(run).padEnd(5)} ${answer.toFixed(0).padStart(17)} ${map.toFixed(0).padStart(15)} ${kb(received).padStart(22)}`);
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
    await db.close();
    fs.rmSync(clientDir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  console.log(`\nmedian: first answer ${median(answers).toFixed(0)} ms (goal < 3000), map idle ${median(maps).toFixed(0)} ms (goal < 5000)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
