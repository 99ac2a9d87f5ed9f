/**
 * Our import and GeoPackage export against GDAL's ogr2ogr, the tool bureaus reach for, on the
 * same 100 000-row shelters CSV (tests/fixtures/import/big-csv.ts, ~50 MB, in os.tmpdir()).
 * Import: our runImport (mode=replace, one transaction) into embedded PGlite and into PostgreSQL,
 * next to `ogr2ogr -f PostgreSQL` into the same PostgreSQL. Export: our GeoPackage writer for the
 * imported layer next to `ogr2ogr -f GPKG` from ogr2ogr's table. Prints seconds, rows/s, peak RSS
 * and ratios; ours does more per row than ogr2ogr (see WORK below), so the ratio is the price of
 * that, not of the same job.
 *
 * The same rows as FlatGeobuf (written by ogr2ogr) go through our GDAL reader (gdal3.js in its worker
 * thread) into PostgreSQL next to `ogr2ogr` of that file, with the event loop's longest stall
 * while each of our imports runs (what other requests wait at most).
 *
 * PostgreSQL and ogr2ogr run only when BENCH_DATABASE_URL is set and ogr2ogr is on PATH; the
 * bench works in a scratch database it creates there and drops at the end, and installs nothing.
 */
import { spawnSync } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findLayer } from '../core/catalogue/index.js';
import { seedIfEmpty } from '../seeds/load.js';
import { gdalWarm } from '../server/formats/gdal.js';
import { writeGpkg } from '../server/formats/gpkg.js';
import { runImport } from '../server/import/run.js';
import { layerExportData } from '../server/routes/export.js';
import { parseFeatureParams } from '../server/routes/feature-params.js';
import { openStore, type Db } from '../server/store/index.js';
import { writeBigCsv } from '../tests/fixtures/import/big-csv.js';
import { adminUrl, withDatabase } from '../tests/setup/postgres.js';

/** Rows of the generated CSV; BENCH_ROWS for a quicker run on a loaded machine. */
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const SETUP = `apt-get update && apt-get install -y gdal-bin postgresql-15 postgresql-15-postgis-3 && pg_ctlcluster 15 main start && su postgres -c "psql -c \\"CREATE ROLE onemap_bench LOGIN CREATEDB PASSWORD 'bench'\\" -c 'CREATE DATABASE onemap_bench OWNER onemap_bench' && psql -d onemap_bench -c 'CREATE EXTENSION postgis'"
  then: BENCH_DATABASE_URL=postgres://onemap_bench:bench@127.0.0.1:5432/onemap_bench npx tsx bench/import.bench.ts`;
const WORK = [
  'ours, per row: CSV decoding with encoding detection, column mapping to the catalogue, type/range checks',
  'with a reason for each rejected row, CRS detection against the county extents, county_code filled',
  'from admin_units, same-name-within-50 m duplicate flagging in PostGIS, audit record, all in ONE',
  'transaction (a failure leaves the layer as it was). ogr2ogr copies the columns as text + a point.',
].join('\n  ');

const layer = findLayer('shelters')!;
const load = (): string => os.loadavg().map((x) => x.toFixed(1)).join(' ');
const peakMb = (): number => process.resourceUsage().maxRSS / 1024;
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

interface Row {
  what: string;
  seconds: number;
  rows: number;
  rssMb?: number;
  bytes?: number;
  /** The event loop's longest stall during the run, ms. */
  stallMs?: number;
}

async function ourImport(db: Db, file: string, what: string): Promise<Row> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const t = performance.now();
  const r = await runImport(db, layer, { path: file, filename: path.basename(file), contentType: file.endsWith('.csv') ? 'text/csv' : undefined }, { mode: 'replace', dryRun: false, key: 'id', actor: 'bench' });
  const seconds = (performance.now() - t) / 1000;
  loop.disable();
  if (r.inserted !== ROWS || r.rejectedCount) throw new Error(`${what}: imported ${r.inserted} of ${ROWS} rows, ${r.rejectedCount} rejected (first: ${JSON.stringify(r.rejected[0])}).`);
  return { what, seconds, rows: r.inserted, rssMb: peakMb(), stallMs: loop.max / 1e6 };
}

/** Our GeoPackage export of the whole layer: read from the store, convert, write, save. */
async function ourExport(db: Db, file: string, what: string): Promise<Row> {
  const t = performance.now();
  const data = await layerExportData(db, layer, 'admin', parseFeatureParams(layer, 'admin', {}), 'wgs84');
  fs.writeFileSync(file, await writeGpkg(data));
  const seconds = (performance.now() - t) / 1000;
  return { what, seconds, rows: data.features.length, rssMb: peakMb(), bytes: fs.statSync(file).size };
}

/** Runs ogr2ogr under /usr/bin/time (when present) for its peak RSS. */
function ogr2ogr(args: string[]): { seconds: number; rssMb?: number } {
  const timeBin = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const t = performance.now();
  const r = timeBin ? spawnSync(timeBin, ['-f', 'maxrss-kb %M', 'ogr2ogr', ...args], { encoding: 'utf8' }) : spawnSync('ogr2ogr', args, { encoding: 'utf8' });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`ogr2ogr ${args.join(' ')} failed (exit ${r.status ?? r.signal}):\n${r.stderr}`);
  const kb = /maxrss-kb (\d+)/.exec(r.stderr ?? '');
  return { seconds, rssMb: kb ? Number(kb[1]) / 1024 : undefined };
}

/** libpq keyword form of a postgres:// URL, as GDAL's PG: driver takes it. */
function pgConn(url: string): string {
  const u = new URL(url);
  const kv = { host: u.hostname, port: u.port || '5432', user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), dbname: u.pathname.slice(1) };
  return 'PG:' + Object.entries(kv).filter(([, v]) => v).map(([k, v]) => `${k}='${v.replace(/['\\]/g, '\\$&')}'`).join(' ');
}

function print(title: string, rows: Row[], reference: Row | undefined, extra: (r: Row) => string[], extraHead: string[]): void {
  console.log(`\n${title}`);
  const head = ['', 'seconds', 'rows/s', 'peak RSS MB', ...extraHead, 'time ÷ ogr2ogr'];
  const table = rows.map((r) => [
    r.what,
    r.seconds.toFixed(1),
    String(Math.round(r.rows / r.seconds)),
    r.rssMb === undefined ? '–' : r.rssMb.toFixed(0),
    ...extra(r),
    reference ? `${(r.seconds / reference.seconds).toFixed(1)}×` : '–',
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => c.padEnd(width[i])).join('  ');
  console.log(fmt(head));
  for (const r of table) console.log(fmt(r));
}

async function main(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL;
  const hasOgr = spawnSync('ogr2ogr', ['--version'], { encoding: 'utf8' });
  const withReference = Boolean(url) && hasOgr.status === 0;
  console.log(`node ${process.version}, ${os.cpus().length} cores, load average ${load()}${hasOgr.status === 0 ? `, ${hasOgr.stdout.trim()}` : ''}`);
  if (!withReference) {
    console.log(`${url ? 'ogr2ogr is not on PATH' : 'BENCH_DATABASE_URL is not set'}: only the PGlite row runs. To set up PostgreSQL + GDAL (Debian 12):\n  ${SETUP}`);
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-bench-import-'));
  const csv = path.join(tmp, `shelters-${ROWS}.csv`);
  const scratch = `onemap_bench_import_${process.pid}`;
  const imports: Row[] = [];
  const exports: Row[] = [];
  let ogrImport: Row | undefined;
  const gdalImports: Row[] = [];
  let ogrFgb: Row | undefined;
  let ogrExport: Row | undefined;
  let gdalStartSeconds: number | undefined;
  try {
    writeBigCsv(csv, ROWS);
    const csvBytes = fs.statSync(csv).size;
    console.log(`CSV: ${ROWS} rows, ${mb(csvBytes)} MB in ${csv}; peak RSS before importing ${peakMb().toFixed(0)} MB`);

    const lite = await openStore({ dataDir: path.join(tmp, 'pglite') });
    try {
      await seedIfEmpty(lite);
      imports.push(await ourImport(lite, csv, 'ours → PGlite (embedded)'));
      exports.push(await ourExport(lite, path.join(tmp, 'ours-pglite.gpkg'), 'ours ← PGlite'));
    } finally {
      await lite.close();
    }

    if (withReference) {
      await adminUrl(url!, (c) => c.query(`CREATE DATABASE ${scratch}`));
      const scratchUrl = withDatabase(url!, scratch);
      try {
        await adminUrl(scratchUrl, (c) => c.query('CREATE EXTENSION IF NOT EXISTS postgis'));
        const conn = pgConn(scratchUrl);
        const xy = ['-oo', 'X_POSSIBLE_NAMES=经度', '-oo', 'Y_POSSIBLE_NAMES=纬度', '-a_srs', 'EPSG:4326'];
        // Each of our imports is followed at once by ogr2ogr of the same file: on a shared machine
        // the load changes by the minute, and the ratio should compare like with like.
        const pg = await openStore({ dataDir: '', databaseUrl: scratchUrl });
        try {
          await seedIfEmpty(pg);
          imports.push(await ourImport(pg, csv, 'ours → PostgreSQL'));
          const imp = ogr2ogr(['-f', 'PostgreSQL', conn, csv, ...xy, '-nln', 'bench_shelters', '-overwrite']);
          const [{ n }] = (await adminUrl(scratchUrl, (c) => c.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_shelters WHERE wkb_geometry IS NOT NULL'))).rows;
          if (n !== ROWS) throw new Error(`ogr2ogr loaded ${n} of ${ROWS} rows with a point.`);
          ogrImport = { what: 'ogr2ogr → PostgreSQL', rows: n, ...imp };
          exports.push(await ourExport(pg, path.join(tmp, 'ours-pg.gpkg'), 'ours ← PostgreSQL'));
        } finally {
          await pg.close();
        }
        const fgb = path.join(tmp, `shelters-${ROWS}.fgb`);
        ogr2ogr(['-f', 'FlatGeobuf', fgb, csv, ...xy, '-nln', 'shelters']);
        // GDAL's WebAssembly module starts once per process (gdal.ts); timed apart, not in the import.
        const warm = performance.now();
        await gdalWarm();
        gdalStartSeconds = (performance.now() - warm) / 1000;
        const pg2 = await openStore({ dataDir: '', databaseUrl: scratchUrl });
        try {
          gdalImports.push(await ourImport(pg2, fgb, 'ours (GDAL reader) → PostgreSQL'));
        } finally {
          await pg2.close();
        }
        const fgbImp = ogr2ogr(['-f', 'PostgreSQL', conn, fgb, '-nln', 'bench_shelters_fgb', '-overwrite']);
        ogrFgb = { what: 'ogr2ogr → PostgreSQL', rows: ROWS, ...fgbImp };
        const gpkg = path.join(tmp, 'ogr2ogr.gpkg');
        const exp = ogr2ogr(['-f', 'GPKG', gpkg, conn, 'bench_shelters']);
        ogrExport = { what: 'ogr2ogr ← PostgreSQL', rows: ROWS, ...exp, bytes: fs.statSync(gpkg).size };
      } finally {
        await adminUrl(url!, (c) => c.query(`DROP DATABASE IF EXISTS ${scratch}`));
      }
    }

    const ref = (r: Row, of: Row | undefined): string[] => [r.bytes === undefined ? '–' : mb(r.bytes), r.bytes && of?.bytes ? `${(r.bytes / of.bytes).toFixed(2)}×` : '–'];
    print(`Import of ${ROWS} shelters from a ${mb(csvBytes)} MB CSV (peak RSS: ours is this process's peak so far, ogr2ogr its own)`, [...imports, ...(ogrImport ? [ogrImport] : [])], ogrImport, () => [], []);
    console.log(`  ${WORK}`);
    if (gdalImports.length) {
      print(`Import of the same ${ROWS} shelters from FlatGeobuf (ours: GDAL in its worker thread, then the same pipeline)`, [...gdalImports, ...(ogrFgb ? [ogrFgb] : [])], ogrFgb, () => [], []);
      console.log(`  GDAL's start in its worker before that (once per process, not in the import's time): ${gdalStartSeconds?.toFixed(1)} s`);
    }
    for (const r of [...imports, ...gdalImports]) if (r.stallMs !== undefined) console.log(`  event loop, longest stall during "${r.what}": ${r.stallMs.toFixed(0)} ms`);
    print(
      `GeoPackage export of the ${ROWS} imported shelters (ours: query + convert + sql.js writer + save; ogr2ogr: its table, with an R-tree index)`,
      [...exports, ...(ogrExport ? [ogrExport] : [])],
      ogrExport,
      (r) => ref(r, ogrExport),
      ['file MB', 'size ÷ ogr2ogr'],
    );
    console.log(`load average at the end ${load()}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
