/**
 * 1,000,000 points in one layer (issue 15), on embedded PGlite and on PostgreSQL, through the real
 * app (Express, auth, role rules, the tile service):
 *  1. the features endpoint for a county-sized box (GET /api/layers/:id/features?bbox=…, 1,000 per
 *     page with numberMatched) against the raw SQL that gives the same answer — one statement
 *     building the same GeoJSON page — on the same database (goal ≤ 2×);
 *  2. vector tiles: the store building a tile (its statement; on PGlite also the JS encoder) against
 *     plain `ST_AsMVT(ST_AsMVTGeom(…))` of every point of the tile on PostgreSQL, timed the same way
 *     (goal cold ≤ 1.5×); and the endpoint p50/p99 cold (an app with TILE_CACHE_MB=0 and FEATURE_CACHE_MB=0, so every
 *     request builds) and cached (a repeat to an app with a cache), gzip as browsers ask;
 *  3. first map idle with the layer visible in headless Chromium: the one map opened on the
 *     county (`/#map=10/30/107`), from navigation to every visible layer drawn (goal < 2 s), with
 *     the server's tile cache empty (cold) and again in a fresh browser context (cached tiles),
 *     MILLION_IDLE_RUNS times (default 3) on a new app each: the medians and every run are printed;
 *  4. pan and zoom: eight one-second camera moves from zoom 5 to 16 (MOVES), frames per second and
 *     the longest frame during each, and the wait for the new view's tiles after it — with the layer
 *     shown, and the same moves on the same map without it (the reference: what the browser's
 *     software GL gives an empty map).
 * The points are made inside the store with generate_series (no import): half spread evenly over
 * 2° × 2°, half in 200 town-sized clumps. They go into the catalogue's public point layer that the
 * map shows by default (the shelters), marked as demo data.
 *
 *   BENCH_DATABASE_URL=postgres://postgres:onemap-ci@127.0.0.1:5432/postgres npx tsx bench/million.bench.ts
 * MILLION_POINTS (default 1,000,000); MILLION_STORES (default "pglite,postgres"); MILLION_PGLITE_DIR
 * and MILLION_PG_DATABASE keep the filled stores between runs (a store that already holds exactly
 * MILLION_POINTS points in the layer is used as it is; otherwise a scratch one is filled and removed).
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { pino } from 'pino';
import { build } from 'vite';
import { DEMO_SOURCE_PREFIX, fieldsFor, LAYERS, SOURCE_FIELD, type LayerDef } from '../core/catalogue/index.js';
import { createApp } from '../server/app.js';
import { readConfig } from '../server/config.js';
import { openStore, type Db, type TileSpec } from '../server/store/index.js';
import { toTile, type TileId } from '../server/tiles/grid.js';
import { buildVersionedTile } from '../server/tiles/service.js';
import { adminUrl, withDatabase } from '../tests/setup/postgres.js';

const POINTS = Number(process.env.MILLION_POINTS ?? 1_000_000);
const STORES = (process.env.MILLION_STORES ?? 'pglite,postgres').split(',');
const CENTRE: [number, number] = [107, 30];
/** About a county (铜梁 is ≈ 0.45° × 0.4°). */
const COUNTY_BOX: [number, number, number, number] = [106.8, 29.8, 107.25, 30.2];
/** Tiles per zoom: a square block around the centre tile. */
const BLOCK: Record<number, number> = { 5: 1, 8: 3, 11: 4, 13: 5, 14: 5, 16: 5 };
const BBOX_RUNS = 15;
/** First-map-idle runs, each a new app and browser (MILLION_IDLE_RUNS, default 3). */
const IDLE_RUNS = Number(process.env.MILLION_IDLE_RUNS ?? 3);
const CHUNK = 100_000;
/** The flags of tests/e2e/browser.ts: Debian's chromium, WebGL through ANGLE. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--use-gl=angle', '--use-angle=gl-egl', '--ignore-gpu-blocklist', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** The catalogue's public point layer the map shows by default. */
const LAYER: LayerDef = (() => {
  const l = LAYERS.find((x) => x.geometry === 'Point' && x.access === 'public' && x.visible);
  if (!l) throw new Error('The catalogue has no public point layer shown by default.');
  return l;
})();

function tiles(): TileId[] {
  const out: TileId[] = [];
  for (const [zs, side] of Object.entries(BLOCK)) {
    const z = Number(zs);
    const [fx, fy] = toTile(...CENTRE, { z, x: 0, y: 0 });
    const [cx, cy] = [Math.floor(fx / 4096), Math.floor(fy / 4096)];
    const h = Math.floor(side / 2);
    for (let dx = -h; dx < side - h; dx++) for (let dy = -h; dy < side - h; dy++) out.push({ z, x: cx + dx, y: cy + dy });
  }
  return out;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (v: number) => (v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString('en'));
const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const v = await fn();
  return [performance.now() - t, v];
}

/** Fills the layer with POINTS points unless it holds exactly that many; returns seconds spent (0: reused). */
async function fill(db: Db): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM features WHERE layer = $1', [LAYER.id]);
  if (row.n === POINTS) return 0;
  const t = performance.now();
  await db.query('DELETE FROM features WHERE layer = $1', [LAYER.id]);
  await db.query('SELECT setseed(0.15)');
  for (let from = 1; from <= POINTS; from += CHUNK) {
    await db.query(
      `INSERT INTO features (layer, fid, properties, geom)
       SELECT $1, 'p' || i, jsonb_build_object('name', '点' || i, $6::text, $7::text),
              ST_SetSRID(CASE WHEN i % 2 = 0
                THEN ST_MakePoint($2 - 1 + 2 * random(), $3 - 1 + 2 * random())
                ELSE ST_MakePoint($2 - 1 + 2 * ((i % 200) / 200.0) + 0.02 * random(), $3 - 1 + 2 * (((i * 7) % 200) / 200.0) + 0.02 * random()) END, 4326)
         FROM generate_series($4::int, $5::int) AS i`,
      [LAYER.id, CENTRE[0], CENTRE[1], from, Math.min(POINTS, from + CHUNK - 1), SOURCE_FIELD, `${DEMO_SOURCE_PREFIX}bench`],
    );
    console.log(`  ${Math.min(POINTS, from + CHUNK - 1).toLocaleString('en')} points, ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }
  await db.query('ANALYZE features');
  return (performance.now() - t) / 1000;
}

/** The raw SQL for the endpoint's answer: the same count, the same first page, as one GeoJSON text. */
async function rawBbox(db: Db): Promise<number> {
  const [row] = await db.query<{ page: string }>(
    `SELECT json_build_object(
       'type', 'FeatureCollection',
       'numberMatched', (SELECT count(*) FROM features WHERE layer = $1 AND geom && ST_MakeEnvelope($2, $3, $4, $5, 4326)),
       'features', (SELECT coalesce(json_agg(json_build_object('type', 'Feature', 'id', fid, 'geometry', ST_AsGeoJSON(geom, 7)::json, 'properties', properties)), '[]')
                      FROM (SELECT fid, geom, properties FROM features WHERE layer = $1 AND geom && ST_MakeEnvelope($2, $3, $4, $5, 4326) ORDER BY fid LIMIT 1000) p)
     )::text AS page`,
    [LAYER.id, ...COUNTY_BOX],
  );
  return row.page.length;
}

/** Plain ST_AsMVT of every point in the (buffered) tile, as pg_tileserv / Martin serve it. */
async function referenceTile(db: Db, { z, x, y }: TileId): Promise<number> {
  const [row] = await db.query<{ mvt: Uint8Array | null }>(
    `SELECT ST_AsMVT(t, $1::text, 4096, 'geom') AS mvt FROM (
       SELECT ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope($2, $3, $4), 4096, 64, true) AS geom, properties
         FROM features WHERE layer = $1 AND geom && ST_Transform(ST_TileEnvelope($2, $3, $4, margin => 64.0 / 4096), 4326)
     ) t WHERE geom IS NOT NULL`,
    [LAYER.id, z, x, y],
  );
  return row?.mvt?.byteLength ?? 0;
}

interface Served {
  url: string;
  close(): Promise<void>;
}

function serve(db: Db, env: Record<string, string>): Promise<Served> {
  const config = readConfig({ RATE_LIMIT_PUBLIC: '0', RATE_LIMIT_ANALYSIS: '0', RATE_LIMIT_SIGNIN: '0', PORT: '0', HOST: '127.0.0.1', ...env });
  const app = createApp(db, config, pino({ level: 'silent' }));
  const server = app.listen(0, '127.0.0.1');
  // A cold low-zoom tile on PGlite takes longer than Node's 5 s keep-alive: the bench's idle
  // connection must not be closed under it (ECONNRESET on its next request).
  server.keepAliveTimeout = 600_000;
  return new Promise((resolve) =>
    server.once('listening', async () => {
      // As server/main.ts does at start-up: the client's files compressed once before anyone asks, so
      // a first view measures the map and its tiles, not brotli at quality 11 over the bundle.
      if (env.CLIENT_DIR) await app.warm();
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

async function get(url: string): Promise<number> {
  const res = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
  const bytes = (await res.arrayBuffer()).byteLength;
  if (res.status !== 200 && res.status !== 204) throw new Error(`${url}: ${res.status}`);
  return bytes;
}

interface Result {
  store: string;
  fillSeconds: number;
  bbox: { endpoint: number; raw: number; matched: number; bytes: number };
  /** The store building the tile (its SQL, and on PGlite the JS encoder), as the reference is timed. */
  build: Map<number, number[]>;
  /** The endpoint, cold and cached. */
  cold: Map<number, number[]>;
  cached: Map<number, number[]>;
  kb: Map<number, number[]>;
  ref?: Map<number, number[]>;
  refKb?: Map<number, number[]>;
  /** Every run's first map idle, ms. */
  idle?: { cold: number[]; cached: number[] };
  /** Pan and zoom, with the layer shown and without it. */
  moves?: { shown: Move[]; empty: Move[] };
}

const push = (m: Map<number, number[]>, z: number, v: number) => m.set(z, [...(m.get(z) ?? []), v]);

async function measure(store: string, db: Db, clientDir: string | undefined, reference: Db | undefined): Promise<Result> {
  console.log(`\n${store}: filling ${POINTS.toLocaleString('en')} points (load ${load()})`);
  const fillSeconds = await fill(db);
  // Nothing kept: every request builds its tile or page (the features endpoint is compared uncached with its SQL).
  const cold = await serve(db, { TILE_CACHE_MB: '0', FEATURE_CACHE_MB: '0' });
  const cachedApp = await serve(db, {});
  try {
    // 1. Features in a county box: endpoint vs raw SQL, alternated, after one warm-up of each.
    const q = `${cold.url}/api/layers/${LAYER.id}/features?bbox=${COUNTY_BOX.join(',')}`;
    const first = (await (await fetch(q)).json()) as { numberMatched: number; numberReturned: number };
    await rawBbox(db);
    const endpoint: number[] = [];
    const raw: number[] = [];
    let bytes = 0;
    for (let i = 0; i < BBOX_RUNS; i++) {
      const [te, b] = await timed(async () => (await fetch(q)).text());
      endpoint.push(te);
      bytes = b.length;
      raw.push((await timed(() => rawBbox(db)))[0]);
    }
    const bbox = { endpoint: pct(endpoint, 50), raw: pct(raw, 50), matched: first.numberMatched, bytes };
    console.log(`  bbox: endpoint p50 ${ms(bbox.endpoint)} ms, raw SQL p50 ${ms(bbox.raw)} ms, ${bbox.matched} matched (load ${load()})`);

    // 2. Tiles. The store's statement(s) for a tile against the ST_AsMVT statement, alternating which
    // goes first (the second reads pages the first brought in); then the endpoint cold (no cache) and cached, gzip.
    const r: Result = { store, fillSeconds, bbox, build: new Map(), cold: new Map(), cached: new Map(), kb: new Map() };
    if (reference) {
      r.ref = new Map();
      r.refKb = new Map();
    }
    await get(`${cold.url}/api/tiles/${LAYER.id}/16/0/0.mvt`);
    for (const [i, id] of tiles().entries()) {
      const spec: TileSpec = { layer: LAYER.id, geometry: LAYER.geometry, tile: id, keys: fieldsFor(LAYER, 'public').map((f) => f.name), filters: [] };
      const ours = async () => push(r.build, id.z, (await timed(() => buildVersionedTile(db, spec)))[0]);
      const theirs = async () => {
        if (!reference || !r.ref || !r.refKb) return;
        const [tr, rb] = await timed(() => referenceTile(reference, id));
        push(r.ref, id.z, tr);
        push(r.refKb, id.z, rb / 1024);
      };
      if (i % 2 === 0) {
        await ours();
        await theirs();
      } else {
        await theirs();
        await ours();
      }
      const path = `/api/tiles/${LAYER.id}/${id.z}/${id.x}/${id.y}.mvt`;
      const [tc, kb] = await timed(() => get(cold.url + path));
      push(r.cold, id.z, tc);
      push(r.kb, id.z, kb / 1024);
      await get(cachedApp.url + path);
      push(r.cached, id.z, (await timed(() => get(cachedApp.url + path)))[0]);
    }
    console.log(`  tiles done (load ${load()})`);

    // 3. First map idle in headless Chromium, tile cache empty, then again with the server's tiles
    // cached; IDLE_RUNS times, each on a new app (its caches empty), as one 2 s sample on two
    // cores shared with the browser's software GL moves by ± 0.3 s.
    if (clientDir) {
      const cold: number[] = [];
      const cached: number[] = [];
      for (let i = 0; i < IDLE_RUNS; i++) {
        const browserApp = await serve(db, { CLIENT_DIR: clientDir });
        try {
          cold.push(await firstIdle(browserApp.url));
          cached.push(await firstIdle(browserApp.url));
        } finally {
          await browserApp.close();
        }
      }
      r.idle = { cold, cached };
      console.log(`  first map idle: ${cold.map(ms).join(', ')} ms cold, ${cached.map(ms).join(', ')} ms cached (load ${load()})`);
      // 4. Pan and zoom with the layer shown, and the same moves on the map without it (the reference).
      const browserApp = await serve(db, { CLIENT_DIR: clientDir });
      try {
        r.moves = { shown: await panZoom(browserApp.url, LAYER.id), empty: await panZoom(browserApp.url, '') };
      } finally {
        await browserApp.close();
      }
    }
    return r;
  } finally {
    await cold.close();
    await cachedApp.close();
  }
}

/** The camera moves of the pan-and-zoom run: one second each (the fly 1.5 s), from the county view at zoom 10. */
const MOVES: { label: string; zoom?: number; east?: number; north?: number }[] = [
  { label: 'zoom in to 12', zoom: 12 },
  { label: 'pan east 0.1°', east: 0.1 },
  { label: 'zoom in to 14', zoom: 14 },
  { label: 'zoom in to 16', zoom: 16 },
  { label: 'zoom out to 8', zoom: 8 },
  { label: 'pan north 1°', north: 1 },
  { label: 'zoom out to 5', zoom: 5 },
  { label: 'back to 11 at the centre', zoom: 11, east: 0, north: 0 },
];

interface Move {
  label: string;
  /** Frames drawn per second during the move. */
  fps: number;
  /** The longest gap between two frames, ms. */
  worstFrame: number;
  /** From the move's end until its tiles were in and drawn, ms. */
  settle: number;
}

/** Each of MOVES as MapLibre's easeTo: frames counted during it, then the wait for the new view's tiles. */
async function panZoom(url: string, layers: string): Promise<Move[]> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(`${url}/#map=10/${CENTRE[1]}/${CENTRE[0]}&layers=${layers}`);
    const settled = () =>
      page.waitForFunction(() => window.__onemap?.ready === true && window.__onemap.map.loaded() && window.__onemap.map.areTilesLoaded(), null, { timeout: 60_000, polling: 20 });
    await settled();
    const moves: Move[] = [];
    for (const move of MOVES) {
      const frames = await page.evaluate(
        async ({ move, centre }) => {
          const m = window.__onemap!.map;
          const at = m.getCenter();
          const back = move.east === 0 && move.north === 0;
          const center: [number, number] = back ? centre : [at.lng + (move.east ?? 0), at.lat + (move.north ?? 0)];
          const times: number[] = [];
          let moving = true;
          m.once('moveend', () => (moving = false));
          m.easeTo({ center, zoom: move.zoom ?? m.getZoom(), duration: back ? 1500 : 1000 });
          // A loop, not a named callback: tsx would wrap a named function in a helper the page lacks.
          while (moving) times.push(await new Promise<number>((r) => requestAnimationFrame(r)));
          const gaps = times.slice(1).map((t, i) => t - times[i]);
          return { ms: times[times.length - 1] - times[0], frames: times.length, worst: Math.max(...gaps) };
        },
        { move, centre: CENTRE },
      );
      const t = performance.now();
      await settled();
      moves.push({ label: move.label, fps: (frames.frames - 1) / (frames.ms / 1000), worstFrame: frames.worst, settle: performance.now() - t });
    }
    return moves;
  } finally {
    await browser.close();
  }
}

/** Navigation to the map drawn with every visible layer's data in (the test hook's `ready`) and the layer's tiles loaded. */
async function firstIdle(url: string): Promise<number> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    // The API requests the first view makes, slowest first: what the map waited for.
    const api: [number, string][] = [];
    page.on('requestfinished', (req) => {
      const path = req.url().replace(url, '');
      if (path.startsWith('/api/')) api.push([req.timing().responseEnd, path]);
    });
    const t = performance.now();
    await page.goto(`${url}/#map=10/${CENTRE[1]}/${CENTRE[0]}&layers=${LAYER.id}`);
    await page.waitForFunction(
      (layer) => {
        const hook = window.__onemap;
        return hook?.ready === true && hook.map.isSourceLoaded(layer) && hook.map.querySourceFeatures(layer, { sourceLayer: layer }).length > 0;
      },
      LAYER.id,
      { timeout: 300_000, polling: 20 },
    );
    const idle = performance.now() - t;
    const slowest = api.sort((a, b) => b[0] - a[0]).slice(0, 4);
    console.log(`    ${api.length} API requests; slowest: ${slowest.map(([ms, path]) => `${Math.round(ms)} ms ${path.slice(0, 70)}`).join('; ')}`);
    return idle;
  } finally {
    await browser.close();
  }
}

async function buildClient(): Promise<string | undefined> {
  if (!fs.existsSync(CHROMIUM)) {
    console.log(`${CHROMIUM} is missing: first map idle is not measured.`);
    return undefined;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-bench-client-'));
  await build({ configFile: 'vite.config.ts', mode: 'production', build: { outDir: dir, emptyOutDir: true }, logLevel: 'warn' });
  return dir;
}

function report(results: Result[]) {
  console.log(`\n${POINTS.toLocaleString('en')} points in "${LAYER.id}", ${tiles().length} tiles, load ${load()}, ${os.cpus().length} CPUs`);
  const ref = results.find((r) => r.ref);
  for (const r of results) {
    console.log(`\n${r.store}: ${r.fillSeconds ? `filled in ${r.fillSeconds.toFixed(0)} s` : 'store reused'}`);
    console.log(
      `  features in a county box (${r.bbox.matched.toLocaleString('en')} matched, first 1,000, ${(r.bbox.bytes / 1024).toFixed(0)} KB): endpoint p50 ${ms(r.bbox.endpoint)} ms, raw SQL p50 ${ms(r.bbox.raw)} ms, ratio ${(r.bbox.endpoint / r.bbox.raw).toFixed(2)}`,
    );
    const all = (m: Map<number, number[]>) => [...m.values()].flat();
    console.log(
      `  tiles: built p50 ${ms(pct(all(r.build), 50))} ms p99 ${ms(pct(all(r.build), 99))} ms; endpoint cold p50 ${ms(pct(all(r.cold), 50))} ms p99 ${ms(pct(all(r.cold), 99))} ms; cached p50 ${ms(pct(all(r.cached), 50))} ms p99 ${ms(pct(all(r.cached), 99))} ms`,
    );
    console.log('  | zoom | tiles | built p50 | ST_AsMVT p50 | built / ST_AsMVT | endpoint cold p50 / p99 | endpoint cached p50 / p99 | KB gzip (ST_AsMVT KB) |');
    console.log('  |---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const [z, built] of r.build) {
      const refT = ref?.ref?.get(z);
      const refKb = ref?.refKb?.get(z);
      const [c, h] = [r.cold.get(z)!, r.cached.get(z)!];
      console.log(
        `  | ${z} | ${built.length} | ${ms(pct(built, 50))} ms | ${refT ? `${ms(pct(refT, 50))} ms` : '–'} | ${refT ? (pct(built, 50) / pct(refT, 50)).toFixed(2) : '–'} | ` +
          `${ms(pct(c, 50))} / ${ms(pct(c, 99))} ms | ${ms(pct(h, 50))} / ${ms(pct(h, 99))} ms | ${pct(r.kb.get(z)!, 50).toFixed(1)} (${refKb ? pct(refKb, 50).toFixed(0) : '–'}) |`,
      );
    }
    if (r.moves) {
      const { shown, empty } = r.moves;
      console.log(`  pan and zoom (headless Chromium, software GL), with the layer / the same map without it:`);
      console.log('  | move | frames/s | longest frame ms | tiles drawn after the move ms |');
      console.log('  |---|---:|---:|---:|');
      for (const [i, m] of shown.entries()) {
        const e = empty[i];
        console.log(`  | ${m.label} | ${m.fps.toFixed(0)} / ${e.fps.toFixed(0)} | ${ms(m.worstFrame)} / ${ms(e.worstFrame)} | ${ms(m.settle)} / ${ms(e.settle)} |`);
      }
      const mean = (xs: Move[]) => xs.reduce((a, m) => a + m.fps, 0) / xs.length;
      console.log(`  frames/s over all moves: ${mean(shown).toFixed(1)} with the layer, ${mean(empty).toFixed(1)} without (ratio ${(mean(shown) / mean(empty)).toFixed(2)})`);
    }
    if (r.idle) {
      console.log(
        `  first map idle (county view, z10), median of ${r.idle.cold.length}: ${ms(pct(r.idle.cold, 50))} ms with the tile cache empty, ${ms(pct(r.idle.cached, 50))} ms with it filled (each run: ${r.idle.cold.map(ms).join(', ')} / ${r.idle.cached.map(ms).join(', ')} ms)`,
      );
    }
  }
}

const url = process.env.BENCH_DATABASE_URL;
const clientDir = process.env.MILLION_BROWSER === '0' ? undefined : await buildClient();
const results: Result[] = [];
let pg: Db | undefined;
let dropPg: (() => Promise<void>) | undefined;
try {
  if (url && STORES.includes('postgres')) {
    const keep = process.env.MILLION_PG_DATABASE;
    const name = keep ?? `onemap_bench_million_${process.pid}`;
    const exists = await adminUrl(url, async (a) => (await a.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount);
    if (!exists) await adminUrl(url, (a) => a.query(`CREATE DATABASE ${name}`));
    if (!keep) dropPg = () => adminUrl(url, (a) => a.query(`DROP DATABASE IF EXISTS ${name}`)).then(() => undefined);
    pg = await openStore({ dataDir: '', databaseUrl: withDatabase(url, name) });
    results.push(await measure('PostgreSQL 15 + PostGIS (ST_AsMVT)', pg, clientDir, pg));
  } else {
    console.log('BENCH_DATABASE_URL is not set: PostgreSQL and the ST_AsMVT reference are skipped.');
  }
  if (STORES.includes('pglite')) {
    const keep = process.env.MILLION_PGLITE_DIR;
    const dir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-bench-million-'));
    fs.mkdirSync(dir, { recursive: true });
    try {
      const [openMs, lite] = await timed(() => openStore({ dataDir: dir }));
      console.log(`\nPGlite opened in ${(openMs / 1000).toFixed(0)} s`);
      try {
        // The reference stays PostgreSQL's ST_AsMVT: PGlite's PostGIS has none.
        results.push(await measure('PGlite (JS encoder)', lite, clientDir, undefined));
      } finally {
        await lite.close();
      }
    } finally {
      if (!keep) fs.rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  await pg?.close();
  await dropPg?.();
  if (clientDir) fs.rmSync(clientDir, { recursive: true, force: true });
}
report(results);
