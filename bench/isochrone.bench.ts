/**
 * Our 60-minute drive isochrone vs pgRouting's pgr_drivingDistance, on the same graphs: a
 * synthetic network of ≥300k links and the demo road network. For each origin (a node) it prints
 * whether the reachable node sets are identical, the largest travel-time difference, and the
 * times: our search alone, our whole isochrone (search + travel-time raster + polygons + area),
 * and pgRouting's query (which reads the edge table through SQL on every call, as pgRouting
 * always does). Goal: identical sets; our isochrone on ≥300k links under 0.3 s.
 *
 * pgRouting runs only when BENCH_DATABASE_URL points at a PostgreSQL with PostGIS + pgRouting;
 * this script installs and starts nothing — without it, it prints the command that sets one up.
 */
import pg from 'pg';
import { isochrones } from '../core/analysis/isochrone/index.js';
import { components } from '../core/network/components.js';
import { dijkstra } from '../core/network/dijkstra.js';
import { buildGraph, type Graph } from '../core/network/graph.js';
import { loadGeodata } from '../seeds/demo/places.js';
import { generateRoads } from '../seeds/demo/roads.js';
import { createRng } from '../seeds/demo/rng.js';
import { syntheticNetwork } from '../tests/fixtures/network/synthetic.js';
import { loadEdges, nearestNode } from './pgrouting.js';

const SECONDS = 3600;
const RUNS = 5;
const WARMUP = 3;

const SETUP = `apt-get update && apt-get install -y postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting && pg_ctlcluster 15 main start && su postgres -c "psql -c \\"CREATE ROLE onemap_bench LOGIN PASSWORD 'bench'\\" -c 'CREATE DATABASE onemap_bench OWNER onemap_bench' && psql -d onemap_bench -c 'CREATE EXTENSION postgis; CREATE EXTENSION pgrouting'"
  then: BENCH_DATABASE_URL=postgres://onemap_bench:bench@127.0.0.1:5432/onemap_bench npm run bench`;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ms = (x: number): string => x.toFixed(1);

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t };
}

interface Row {
  graph: string;
  origin: string;
  reached: number;
  pgReached?: number;
  same?: boolean;
  maxDiffS?: number;
  searchMs: number;
  isochroneMs: number;
  pgMs?: number;
}

async function benchGraph(name: string, g: Graph, origins: Array<[string, number]>, db: pg.Client | undefined, rows: Row[]): Promise<void> {
  const table = `bench_edges_${name.replace(/\W+/g, '_')}`;
  if (db) console.log(`${name}: loaded ${g.linkCount} edges into ${table} in ${ms(await loadEdges(db, table, g))} ms`);
  for (const [label, node] of origins) {
    const from = [{ node, cost: 0 }];
    for (let k = 0; k < WARMUP; k++) dijkstra(g.drive, from, SECONDS);
    const searches = Array.from({ length: RUNS }, () => timed(() => dijkstra(g.drive, from, SECONDS)));
    const { time, reached } = searches[0].value;
    const at: [number, number] = [g.lon[node], g.lat[node]];
    for (let k = 0; k < WARMUP; k++) isochrones(g, undefined, { origins: [at], minutes: [60], mode: 'drive' });
    const isoMs = median(Array.from({ length: RUNS }, () => timed(() => isochrones(g, undefined, { origins: [at], minutes: [60], mode: 'drive' })).ms));
    const row: Row = { graph: name, origin: label, reached: reached.length, searchMs: median(searches.map((s) => s.ms)), isochroneMs: isoMs };
    if (db) {
      const sql = `SELECT node, agg_cost FROM pgr_drivingDistance('SELECT id, source, target, cost, reverse_cost FROM ${table}', $1::bigint, $2::float8, directed => true)`;
      for (let k = 0; k < WARMUP; k++) await db.query(sql, [node + 1, SECONDS]);
      const runs: Array<{ ms: number; rows: Array<{ node: string | number; agg_cost: number }> }> = [];
      for (let k = 0; k < RUNS; k++) {
        const t = performance.now();
        const r = await db.query(sql, [node + 1, SECONDS]);
        runs.push({ ms: performance.now() - t, rows: r.rows });
      }
      const theirs = new Map(runs[0].rows.map((r) => [Number(r.node) - 1, r.agg_cost]));
      const ours = new Set(reached);
      let same = theirs.size === ours.size;
      let maxDiff = 0;
      for (const [v, c] of theirs) {
        if (!ours.has(v)) same = false;
        else maxDiff = Math.max(maxDiff, Math.abs(c - time[v]));
      }
      Object.assign(row, { pgReached: theirs.size, same, maxDiffS: maxDiff, pgMs: median(runs.map((r) => r.ms)) });
    }
    rows.push(row);
  }
  if (db) await db.query(`DROP TABLE IF EXISTS ${table}`);
}

async function main(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL;
  let db: pg.Client | undefined;
  if (url) {
    db = new pg.Client({ connectionString: url });
    await db.connect();
    const [v] = (await db.query(`SELECT pgr_version() AS v`)).rows;
    console.log(`pgRouting ${v.v} at ${new URL(url).host}`);
  } else {
    console.log(`BENCH_DATABASE_URL is not set: pgRouting columns are skipped. To set one up (Debian 12):\n  ${SETUP}\n`);
  }
  const rows: Row[] = [];

  const roads = syntheticNetwork({ side: 395 });
  const built = timed(() => buildGraph(roads));
  const big = built.value;
  console.log(`synthetic: built ${big.linkCount} links, ${big.nodeCount} nodes in ${ms(built.ms)} ms`);
  const comp = components(big, 'drive');
  const rng = createRng('bench:isochrone');
  const inMain: number[] = [];
  for (let v = 0; v < big.nodeCount; v++) if (comp.componentOf[v] === 0) inMain.push(v);
  const mid = (xs: Float64Array): number => (xs.reduce((a, b) => Math.min(a, b)) + xs.reduce((a, b) => Math.max(a, b))) / 2;
  const centre = nearestNode(big, mid(big.lon), mid(big.lat));
  await benchGraph('synthetic', big, [['centre', centre], ...rng.sample(inMain, 2).map((v, i) => [`random ${i + 1}`, v] as [string, number])], db, rows);

  const geodata = loadGeodata();
  const demoBuilt = timed(() => buildGraph(generateRoads(geodata)));
  const demo = demoBuilt.value;
  console.log(`demo: built ${demo.linkCount} links, ${demo.nodeCount} nodes in ${ms(demoBuilt.ms)} ms`);
  await benchGraph('demo', demo, geodata.counties.map((c) => [`${c.name} seat`, nearestNode(demo, c.seat[0], c.seat[1])] as [string, number]), db, rows);
  await db?.end();

  console.log('\n60-minute drive reach from a node: ours vs pgr_drivingDistance (median of 5 runs after 3 warm-up runs, ms)');
  const head = ['graph', 'origin', 'nodes ours', 'nodes pgr', 'same set', 'max Δt s', 'our search', 'our isochrone', 'pgRouting', 'pgr / our search', 'pgr / our isochrone'];
  const table = rows.map((r) => [
    r.graph,
    r.origin,
    String(r.reached),
    r.pgReached === undefined ? '–' : String(r.pgReached),
    r.same === undefined ? '–' : r.same ? 'yes' : 'NO',
    r.maxDiffS === undefined ? '–' : r.maxDiffS.toExponential(1),
    ms(r.searchMs),
    ms(r.isochroneMs),
    r.pgMs === undefined ? '–' : ms(r.pgMs),
    r.pgMs === undefined ? '–' : `${(r.pgMs / r.searchMs).toFixed(1)}×`,
    r.pgMs === undefined ? '–' : `${(r.pgMs / r.isochroneMs).toFixed(1)}×`,
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => c.padEnd(width[i])).join('  ');
  console.log(fmt(head));
  for (const r of table) console.log(fmt(r));
  if (rows.some((r) => r.same === false)) {
    console.error('Reachable sets differ from pgRouting.');
    process.exitCode = 1;
  }
}

await main();
