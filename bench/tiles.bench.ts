/**
 * Vector tiles over 1,000,000 points in one layer (issue 15), embedded PGlite and PostgreSQL:
 * tile time p50/p99 cold (built) and cached (the service's ETag key + cache), over tiles around
 * the data's centre at zooms 5–16; the reference is plain `ST_AsMVT(ST_AsMVTGeom(...))` of the
 * same tile on PostgreSQL (what pg_tileserv and Martin serve: every point, no grid). Below zoom 14
 * our points are gathered into grid cells, so those tiles are smaller than the reference's.
 *
 * PostgreSQL runs when BENCH_DATABASE_URL is set (a scratch database is created there and dropped).
 * TILES_BENCH_POINTS changes the number of points (default 1,000,000); TILES_BENCH_STORES picks the
 * stores (default "pglite,postgres"). On PostgreSQL the reference ratio also tells what our grid costs.
 *   BENCH_DATABASE_URL=postgres://postgres:onemap-ci@127.0.0.1:5432/postgres npx tsx bench/tiles.bench.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LayerDef } from '../core/catalogue/index.js';
import { openStore, type Db, type TileSpec } from '../server/store/index.js';
import { toTile, type TileId } from '../server/tiles/grid.js';
import { buildTile, tileService } from '../server/tiles/service.js';
import { adminUrl, withDatabase } from '../tests/setup/postgres.js';

const POINTS = Number(process.env.TILES_BENCH_POINTS ?? 1_000_000);
const LAYER = 'bench_points';
const CENTRE: [number, number] = [107, 30];
/** Tiles per zoom: a square block around the centre tile. */
const BLOCK: Record<number, number> = { 5: 1, 8: 3, 11: 4, 13: 5, 14: 5, 16: 5 };

/** A layer definition for the bench layer (not in the catalogue): one public field. */
const layerDef = {
  id: LAYER,
  geometry: 'Point',
  access: 'public',
  fields: [{ name: 'name', type: 'string', access: 'public', label: { zh: '名称', en: 'Name' } }],
} as unknown as LayerDef;

function tiles(): TileId[] {
  const out: TileId[] = [];
  for (const [zs, side] of Object.entries(BLOCK)) {
    const z = Number(zs);
    const [fx, fy] = toTile(...CENTRE, { z, x: 0, y: 0 });
    const cx = Math.floor(fx / 4096);
    const cy = Math.floor(fy / 4096);
    const h = Math.floor(side / 2);
    for (let dx = -h; dx < side - h; dx++) for (let dy = -h; dy < side - h; dy++) out.push({ z, x: cx + dx, y: cy + dy });
  }
  return out;
}

/** 1M points over 2° × 2° around the centre: half spread evenly, half in 200 town-sized clumps. */
async function fill(db: Db): Promise<number> {
  await db.query(`DELETE FROM features WHERE layer = $1`, [LAYER]);
  const t = performance.now();
  await db.query('SELECT setseed(0.15)');
  await db.query(
    `INSERT INTO features (layer, fid, properties, geom)
     SELECT $1, 'p' || i, jsonb_build_object('name', '点' || i),
            ST_SetSRID(CASE WHEN i % 2 = 0
              THEN ST_MakePoint($2 - 1 + 2 * random(), $3 - 1 + 2 * random())
              ELSE ST_MakePoint($2 - 1 + 2 * ((i % 200) / 200.0) + 0.02 * random(), $3 - 1 + 2 * (((i * 7) % 200) / 200.0) + 0.02 * random()) END, 4326)
       FROM generate_series(1, $4::int) AS i`,
    [LAYER, CENTRE[0], CENTRE[1], POINTS],
  );
  await db.query('ANALYZE features');
  return (performance.now() - t) / 1000;
}

/** Plain ST_AsMVT of every point in the (buffered) tile, as pg_tileserv / Martin do. */
async function reference(db: Db, { z, x, y }: TileId): Promise<number> {
  const [row] = await db.query<{ mvt: Uint8Array | null }>(
    `SELECT ST_AsMVT(t, $1::text, 4096, 'geom') AS mvt FROM (
       SELECT ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope($2, $3, $4), 4096, 64, true) AS geom, properties
         FROM features WHERE layer = $1 AND geom && ST_Transform(ST_TileEnvelope($2, $3, $4, margin => 64.0 / 4096), 4326)
     ) t WHERE geom IS NOT NULL`,
    [LAYER, z, x, y],
  );
  return row?.mvt?.byteLength ?? 0;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (v: number) => v.toFixed(v < 10 ? 2 : 0);

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const v = await fn();
  return [performance.now() - t, v];
}

interface Result {
  store: string;
  fillSeconds: number;
  cold: Map<number, number[]>;
  cached: number[];
  bytes: Map<number, number[]>;
  ref?: Map<number, number[]>;
  refBytes?: Map<number, number[]>;
}

async function run(store: string, db: Db): Promise<Result> {
  const fillSeconds = await fill(db);
  const service = tileService(db);
  const r: Result = { store, fillSeconds, cold: new Map(), cached: [], bytes: new Map() };
  if (db.kind === 'postgres') {
    r.ref = new Map();
    r.refBytes = new Map();
  }
  const push = (m: Map<number, number[]>, z: number, v: number) => m.set(z, [...(m.get(z) ?? []), v]);
  // Warm the planner and the shared buffers once, so "cold" means "not in our cache", not "first query".
  await buildTile(db, { layer: LAYER, geometry: 'Point', tile: { z: 16, x: 0, y: 0 }, keys: ['name'], filters: [] });
  for (const id of tiles()) {
    const spec: TileSpec = { layer: LAYER, geometry: 'Point', tile: id, keys: ['name'], filters: [] };
    const [t, tile] = await timed(() => buildTile(db, spec));
    push(r.cold, id.z, t);
    push(r.bytes, id.z, tile.byteLength);
    const answer = await service.tile(layerDef, 'public', id, []);
    await answer.tile();
    const [tc] = await timed(async () => (await service.tile(layerDef, 'public', id, [])).tile());
    r.cached.push(tc);
    if (r.ref && r.refBytes) {
      const [tr, bytes] = await timed(() => reference(db, id));
      push(r.ref, id.z, tr);
      push(r.refBytes, id.z, bytes);
    }
  }
  return r;
}

function report(results: Result[]) {
  const pgRef = results.find((r) => r.ref)?.ref;
  console.log(`\n${POINTS.toLocaleString('en')} points, ${tiles().length} tiles, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}, ${os.cpus().length} CPUs`);
  for (const r of results) {
    const all = [...r.cold.values()].flat();
    console.log(`\n${r.store}: filled in ${r.fillSeconds.toFixed(1)} s; cold p50 ${ms(pct(all, 50))} ms p99 ${ms(pct(all, 99))} ms; cached p50 ${ms(pct(r.cached, 50))} ms p99 ${ms(pct(r.cached, 99))} ms`);
    console.log('  zoom  tiles  cold p50 ms  cold max ms  KB p50   ST_AsMVT p50 ms  ST_AsMVT KB p50  cold / ST_AsMVT');
    for (const [z, times] of r.cold) {
      const ref = pgRef?.get(z);
      const refKb = results.find((x) => x.refBytes)?.refBytes?.get(z);
      console.log(
        `  ${String(z).padStart(4)}  ${String(times.length).padStart(5)}  ${ms(pct(times, 50)).padStart(11)}  ${ms(Math.max(...times)).padStart(11)}  ${(pct(r.bytes.get(z)!, 50) / 1024).toFixed(1).padStart(6)}` +
          (ref ? `  ${ms(pct(ref, 50)).padStart(15)}  ${(pct(refKb!, 50) / 1024).toFixed(1).padStart(15)}  ${(pct(times, 50) / pct(ref, 50)).toFixed(2).padStart(15)}` : ''),
      );
    }
  }
}

const results: Result[] = [];
const stores = (process.env.TILES_BENCH_STORES ?? 'pglite,postgres').split(',');
if (stores.includes('pglite')) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-bench-tiles-'));
  try {
    const lite = await openStore({ dataDir: dir });
    results.push(await run('PGlite (JS encoder)', lite));
    await lite.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
const url = process.env.BENCH_DATABASE_URL;
if (url && stores.includes('postgres')) {
  const name = `onemap_bench_tiles_${process.pid}`;
  await adminUrl(url, (a) => a.query(`CREATE DATABASE ${name}`));
  try {
    const pg = await openStore({ dataDir: '', databaseUrl: withDatabase(url, name) });
    results.push(await run('PostgreSQL (ST_AsMVT)', pg));
    await pg.close();
  } finally {
    await adminUrl(url, (a) => a.query(`DROP DATABASE IF EXISTS ${name}`));
  }
} else {
  console.log('BENCH_DATABASE_URL is not set: PostgreSQL and the ST_AsMVT reference are skipped.');
}
report(results);
