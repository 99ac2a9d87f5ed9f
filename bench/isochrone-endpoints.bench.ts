/**
 * The 60-minute drive reach on an END-POINT-connected network vs pgRouting, where pgRouting builds
 * the topology itself: the demo road network's lines are loaded one row per line (LINESTRING
 * geometry), `pgr_createTopology` joins them at their end points (as ArcGIS "end point"
 * connectivity and vendor networks do — a vertex shared mid-line is not a node), and
 * `pgr_drivingDistance` runs on it. Ours: buildGraph(…, { connectivity: 'endpoints' }). The costs
 * per line are ours (sum of haversine link lengths / speed), so the comparison is of topology and
 * search: the reachable line end points must be identical. It also prints how many nodes the
 * line ends the `vertices` rule reaches from the same origin (through shared mid-line vertices).
 *
 * Needs BENCH_DATABASE_URL (PostgreSQL with PostGIS + pgRouting); without it, it says so and stops.
 */
import pg from 'pg';
import { dijkstra } from '../core/network/dijkstra.js';
import { buildGraph, type Graph } from '../core/network/graph.js';
import { loadGeodata } from '../seeds/demo/places.js';
import { generateRoads } from '../seeds/demo/roads.js';

const SECONDS = 3600;
const TABLE = 'bench_endpoint_lines';
const key = (lon: number, lat: number): string => `${Math.round(lon * 1e7)},${Math.round(lat * 1e7)}`;

/** Per input line: its end nodes and its forward/backward seconds (sum over its links; -1 = no way). */
function lineCosts(g: Graph, features: number): { fwd: Float64Array; bwd: Float64Array; first: Int32Array; last: Int32Array } {
  const fwd = new Float64Array(features);
  const bwd = new Float64Array(features);
  const first = new Int32Array(features).fill(-1);
  const last = new Int32Array(features).fill(-1);
  for (let l = 0; l < g.linkCount; l++) {
    const f = g.linkFeature[l];
    fwd[f] += g.driveForward[l];
    bwd[f] += g.driveBackward[l];
    if (first[f] < 0) first[f] = g.linkFrom[l];
    last[f] = g.linkTo[l];
  }
  return { fwd, bwd, first, last };
}

async function main(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    console.log('BENCH_DATABASE_URL is not set: this bench compares with pgRouting only (see bench/isochrone.bench.ts for the set-up).');
    return;
  }
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const geodata = loadGeodata();
  const roads = generateRoads(geodata).filter((f) => f.geometry.type === 'LineString');
  const g = buildGraph(roads, { connectivity: 'endpoints' });
  const shared = buildGraph(roads, { connectivity: 'vertices' });
  const c = lineCosts(g, roads.length);
  const fin = (x: number): number => (x < Infinity ? x : -1);
  let t = performance.now();
  await db.query(`DROP TABLE IF EXISTS ${TABLE}; DROP TABLE IF EXISTS ${TABLE}_vertices_pgr`);
  await db.query(`CREATE TABLE ${TABLE} (id integer PRIMARY KEY, source bigint, target bigint, cost float8, reverse_cost float8, geom geometry(LineString, 4326))`);
  await db.query(
    `INSERT INTO ${TABLE} (id, cost, reverse_cost, geom)
     SELECT i, c, r, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) FROM unnest($1::int[], $2::float8[], $3::float8[], $4::text[]) AS x(i, c, r, g)`,
    [roads.map((_, i) => i + 1), Array.from(c.fwd, fin), Array.from(c.bwd, fin), roads.map((f) => JSON.stringify(f.geometry))],
  );
  const topo = (await db.query(`SELECT pgr_createTopology('${TABLE}', 0.0000001, 'geom', 'id') AS r`)).rows[0].r;
  const loadMs = performance.now() - t;
  const [{ n: vertices }] = (await db.query(`SELECT count(*)::int AS n FROM ${TABLE}_vertices_pgr`)).rows;
  console.log(`demo: ${roads.length} lines; ours (endpoints) ${g.nodeCount} nodes, ${g.linkCount} links; pgr_createTopology ${topo}: ${vertices} vertices; loaded in ${loadMs.toFixed(0)} ms`);

  const ends = new Set<number>();
  for (let f = 0; f < roads.length; f++) if (c.first[f] >= 0) ends.add(c.first[f]).add(c.last[f]);
  const endKeys = new Set([...ends].map((v) => key(g.lon[v], g.lat[v])));
  const rows: string[][] = [];
  let allSame = true;
  for (const county of geodata.counties) {
    let origin = -1;
    let best = Infinity;
    for (const v of ends) {
      const d = (g.lon[v] - county.seat[0]) ** 2 + (g.lat[v] - county.seat[1]) ** 2;
      if (d < best) (best = d), (origin = v);
    }
    t = performance.now();
    const ours = dijkstra(g.drive, [{ node: origin, cost: 0 }], SECONDS);
    const ourMs = performance.now() - t;
    const ourEnds = new Map<string, number>();
    for (const v of ours.reached) if (ends.has(v)) ourEnds.set(key(g.lon[v], g.lat[v]), ours.time[v]);
    const [{ id: start }] = (
      await db.query(`SELECT id FROM ${TABLE}_vertices_pgr ORDER BY the_geom <-> ST_SetSRID(ST_MakePoint($1, $2), 4326) LIMIT 1`, [g.lon[origin], g.lat[origin]])
    ).rows;
    t = performance.now();
    const theirs = (
      await db.query(
        `SELECT ST_X(v.the_geom) AS lon, ST_Y(v.the_geom) AS lat, d.agg_cost
           FROM pgr_drivingDistance('SELECT id, source, target, cost, reverse_cost FROM ${TABLE}', $1::bigint, $2::float8, directed => true) d
           JOIN ${TABLE}_vertices_pgr v ON v.id = d.node`,
        [start, SECONDS],
      )
    ).rows as { lon: number; lat: number; agg_cost: number }[];
    const pgMs = performance.now() - t;
    let same = theirs.length === ourEnds.size;
    let maxDiff = 0;
    for (const r of theirs) {
      const mine = ourEnds.get(key(r.lon, r.lat));
      if (mine === undefined) same = false;
      else maxDiff = Math.max(maxDiff, Math.abs(mine - r.agg_cost));
    }
    allSame &&= same;
    const sharedOrigin = [...Array(shared.nodeCount).keys()].find((v) => key(shared.lon[v], shared.lat[v]) === key(g.lon[origin], g.lat[origin]))!;
    const viaShared = [...dijkstra(shared.drive, [{ node: sharedOrigin, cost: 0 }], SECONDS).reached].filter((v) => endKeys.has(key(shared.lon[v], shared.lat[v]))).length;
    rows.push([county.name, String(ourEnds.size), String(theirs.length), same ? 'yes' : 'NO', maxDiff.toExponential(1), ourMs.toFixed(1), pgMs.toFixed(1), String(viaShared)]);
  }
  await db.query(`DROP TABLE IF EXISTS ${TABLE}; DROP TABLE IF EXISTS ${TABLE}_vertices_pgr`);
  await db.end();
  const head = ['origin (county seat)', 'ends ours', 'vertices pgr', 'same set', 'max Δt s', 'our search ms', 'pgRouting ms', 'ends reached, vertices rule'];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (cells: string[]): string => cells.map((x, i) => x.padEnd(width[i])).join('  ');
  console.log(`\n60-minute drive reach on the end-point network: ours vs pgr_drivingDistance on pgr_createTopology`);
  console.log(fmt(head));
  for (const r of rows) console.log(fmt(r));
  if (!allSame) {
    console.error('Reachable sets differ from pgRouting.');
    process.exitCode = 1;
  }
}

await main();
