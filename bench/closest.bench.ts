/**
 * Closest facilities (core/analysis/closest): our one reversed search from the incident vs
 * pgRouting on the same graphs — `pgr_drivingDistance` on the reversed edge table (one bounded
 * search, like ours) and the many-to-one `pgr_dijkstraCost` (every facility → the incident,
 * directed; pgRouting runs one search per facility, so it is timed once, and on the synthetic
 * graph for the first incident only, with a time limit) — the synthetic ≥300k-link network (300 facilities at random nodes) and the demo road
 * network with the demo's resource layers (fire stations, rescue teams, depots, shelters). For each
 * incident it prints whether every facility's drive time agrees (same reachable set within
 * 120 minutes, largest difference in seconds), our search alone, our whole call (snapping the
 * incident and every facility, the search, ranking and routes), and pgRouting's query.
 * Goals: identical times; search < 0.5 s on 300k links; the whole call < 1 s on the demo data.
 *
 * Facilities stand exactly on nodes here, so that the off-road access leg is zero and the times
 * compare node to node. pgRouting runs only when BENCH_DATABASE_URL points at a PostgreSQL with
 * PostGIS + pgRouting (see bench/isochrone.bench.ts for the set-up command).
 */
import pg from 'pg';
import { closestFacilities, type Facility } from '../core/analysis/closest/index.js';
import { components } from '../core/network/components.js';
import { buildGraph, type Graph } from '../core/network/graph.js';
import type { ClosestGroupKey } from '../core/incident/schema.js';
import { generateDemo } from '../seeds/demo/index.js';
import { loadGeodata } from '../seeds/demo/places.js';
import { createRng } from '../seeds/demo/rng.js';
import { syntheticNetwork } from '../tests/fixtures/network/synthetic.js';
import { loadEdges, nearestNode } from './pgrouting.js';

const MAX_MINUTES = 120;
const RUNS = 5;
const WARMUP = 3;
const COST_TIMEOUT_MS = 120_000;
const GROUPS: ClosestGroupKey[] = ['fire_stations', 'micro_fire_stations', 'rescue_teams', 'depots', 'shelters'];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ms = (x: number): string => x.toFixed(1);

interface Row {
  graph: string;
  incident: string;
  facilities: number;
  reachable: number;
  pgReachable?: number;
  same?: boolean;
  maxDiffS?: number;
  searchMs: number;
  callMs: number;
  pgMs?: number;
  /** pgr_dijkstraCost many-to-one, one run: ms, or 'timeout'; times agree with ours? */
  costMs?: number | 'timeout';
  costSame?: boolean;
}

/** Compares pgRouting's node → seconds with our facility times: same reachable set, largest difference. */
function compare(facilities: Array<Facility & { node: number }>, ours: Map<string, number>, theirs: Map<number, number>) {
  let same = true;
  let maxDiff = 0;
  let reachable = 0;
  for (const f of facilities) {
    const c = theirs.get(f.node);
    const inTheirs = c !== undefined && c <= MAX_MINUTES * 60;
    const s = ours.get(f.id)!;
    if (inTheirs) reachable++;
    if (inTheirs !== s < Infinity) same = false;
    else if (inTheirs) maxDiff = Math.max(maxDiff, Math.abs(c! - s));
  }
  return { same, maxDiff, reachable };
}

/** A facility moved onto its nearest node, so both sides time the same point. */
const onNode = (g: Graph, f: Facility): Facility & { node: number } => {
  const node = nearestNode(g, f.lon, f.lat);
  return { ...f, lon: g.lon[node], lat: g.lat[node], node };
};

async function benchGraph(
  name: string,
  g: Graph,
  incidents: Array<[string, number]>,
  facilities: Array<Facility & { node: number }>,
  db: pg.Client | undefined,
  rows: Row[],
  manyToOne: 'all' | 'first',
): Promise<void> {
  const table = `bench_closest_${name.replace(/\W+/g, '_')}`;
  if (db) console.log(`${name}: loaded ${g.linkCount} edges into ${table} in ${ms(await loadEdges(db, table, g))} ms`);
  const opts = { maxMinutes: MAX_MINUTES, tiers: [30, 60, 120], limit: 10 };
  for (const [label, node] of incidents) {
    const at: [number, number] = [g.lon[node], g.lat[node]];
    for (let k = 0; k < WARMUP; k++) closestFacilities(g, at, facilities, GROUPS, opts);
    const runs = Array.from({ length: RUNS }, () => {
      const t = performance.now();
      const answer = closestFacilities(g, at, facilities, GROUPS, opts);
      return { answer, ms: performance.now() - t };
    });
    const ours = runs[0].answer.seconds;
    const reachable = [...ours.values()].filter((s) => s < Infinity).length;
    const row: Row = {
      graph: name,
      incident: label,
      facilities: facilities.length,
      reachable,
      searchMs: median(runs.map((r) => r.answer.searchMs)),
      callMs: median(runs.map((r) => r.ms)),
    };
    if (db) {
      // The edge table turned round: source and target swapped, each cost staying with its link direction.
      const sql = `SELECT node, agg_cost FROM pgr_drivingDistance('SELECT id, target AS source, source AS target, cost, reverse_cost FROM ${table}', $1::bigint, $2::float8, directed => true)`;
      for (let k = 0; k < WARMUP; k++) await db.query(sql, [node + 1, MAX_MINUTES * 60]);
      const pgRuns: Array<{ ms: number; rows: Array<{ node: string | number; agg_cost: number }> }> = [];
      for (let k = 0; k < RUNS; k++) {
        const t = performance.now();
        const r = await db.query(sql, [node + 1, MAX_MINUTES * 60]);
        pgRuns.push({ ms: performance.now() - t, rows: r.rows });
      }
      const c = compare(facilities, ours, new Map(pgRuns[0].rows.map((r) => [Number(r.node) - 1, r.agg_cost])));
      Object.assign(row, { pgReachable: c.reachable, same: c.same, maxDiffS: c.maxDiff, pgMs: median(pgRuns.map((r) => r.ms)) });
      if (manyToOne === 'all' || (manyToOne === 'first' && label === incidents[0][0])) {
        const nodes = [...new Set(facilities.map((f) => f.node + 1))];
        const costSql = `SELECT start_vid, agg_cost FROM pgr_dijkstraCost('SELECT id, source, target, cost, reverse_cost FROM ${table}', $1::bigint[], $2::bigint, directed => true)`;
        await db.query(`SET statement_timeout = ${COST_TIMEOUT_MS}`);
        const t = performance.now();
        try {
          const r = await db.query(costSql, [nodes, node + 1]);
          const theirs = new Map(r.rows.map((x: { start_vid: string | number; agg_cost: number }) => [Number(x.start_vid) - 1, x.agg_cost]));
          theirs.set(node, 0); // a facility on the incident's own node is absent from the answer
          const cc = compare(facilities, ours, theirs);
          Object.assign(row, { costMs: performance.now() - t, costSame: cc.same && cc.maxDiff <= 1e-6 });
        } catch {
          row.costMs = 'timeout';
        }
        await db.query('SET statement_timeout = 0');
      }
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
    console.log('BENCH_DATABASE_URL is not set: pgRouting columns are skipped (set-up: see bench/isochrone.bench.ts).');
  }
  const rows: Row[] = [];
  const rng = createRng('bench:closest');

  const big = buildGraph(syntheticNetwork({ side: 395 }));
  console.log(`synthetic: ${big.linkCount} links, ${big.nodeCount} nodes`);
  const comp = components(big, 'drive');
  const inMain: number[] = [];
  for (let v = 0; v < big.nodeCount; v++) if (comp.componentOf[v] === 0) inMain.push(v);
  const bigFacilities = rng.sample(inMain, 300).map((node, i) => ({
    id: `f${i}`,
    name: `f${i}`,
    lon: big.lon[node],
    lat: big.lat[node],
    group: GROUPS[i % GROUPS.length],
    layer: 'bench',
    properties: {},
    node,
  }));
  const mid = (xs: Float64Array): number => (xs.reduce((a, b) => Math.min(a, b)) + xs.reduce((a, b) => Math.max(a, b))) / 2;
  const centre = nearestNode(big, mid(big.lon), mid(big.lat));
  await benchGraph('synthetic', big, [['centre', centre], ...rng.sample(inMain, 2).map((v, i) => [`random ${i + 1}`, v] as [string, number])], bigFacilities, db, rows, 'first');

  const geodata = loadGeodata();
  const demoData = generateDemo(geodata);
  const demo = buildGraph(demoData.roads);
  console.log(`demo: ${demo.linkCount} links, ${demo.nodeCount} nodes`);
  const layerGroups: Array<[string, ClosestGroupKey]> = [
    ['fire_stations', 'fire_stations'],
    ['rescue_teams', 'rescue_teams'],
    ['depots', 'depots'],
    ['shelters', 'shelters'],
  ];
  const demoFacilities = layerGroups.flatMap(([layer, group]) =>
    demoData[layer]
      .filter((f) => f.properties.status !== 'planned')
      .map((f) =>
        onNode(demo, {
          id: String(f.id),
          name: String(f.properties.name),
          lon: (f.geometry as { coordinates: number[] }).coordinates[0],
          lat: (f.geometry as { coordinates: number[] }).coordinates[1],
          group: group === 'fire_stations' && f.properties.type === 'micro' ? 'micro_fire_stations' : group,
          layer,
          properties: f.properties,
        }),
      ),
  );
  const incidents = geodata.counties.map((c) => [`${c.name} seat`, nearestNode(demo, c.seat[0], c.seat[1])] as [string, number]);
  await benchGraph('demo', demo, incidents, demoFacilities, db, rows, 'all');
  await db?.end();

  console.log(`\nClosest facilities within ${MAX_MINUTES} min: ours (one reversed search) vs pgr_drivingDistance on the reversed edges (median of ${RUNS} runs after ${WARMUP} warm-up runs, ms)`);
  const head = ['graph', 'incident', 'facilities', 'reached ours', 'reached pgr', 'same times', 'max Δt s', 'our search', 'our whole call', 'pgr_drivingDistance', 'pgr / our search', 'pgr / our call', 'pgr_dijkstraCost (1 run)', 'same'];
  const table = rows.map((r) => [
    r.graph,
    r.incident,
    String(r.facilities),
    String(r.reachable),
    r.pgReachable === undefined ? '–' : String(r.pgReachable),
    r.same === undefined ? '–' : r.same ? 'yes' : 'NO',
    r.maxDiffS === undefined ? '–' : r.maxDiffS.toExponential(1),
    ms(r.searchMs),
    ms(r.callMs),
    r.pgMs === undefined ? '–' : ms(r.pgMs),
    r.pgMs === undefined ? '–' : `${(r.pgMs / r.searchMs).toFixed(1)}×`,
    r.pgMs === undefined ? '–' : `${(r.pgMs / r.callMs).toFixed(1)}×`,
    r.costMs === undefined ? '–' : r.costMs === 'timeout' ? `> ${COST_TIMEOUT_MS / 1000} s` : ms(r.costMs),
    r.costSame === undefined ? '–' : r.costSame ? 'yes' : 'NO',
  ]);
  const width = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => c.padEnd(width[i])).join('  ');
  console.log(fmt(head));
  for (const r of table) console.log(fmt(r));
  if (rows.some((r) => r.same === false || (r.maxDiffS ?? 0) > 1e-6 || r.costSame === false)) {
    console.error('Drive times differ from pgRouting.');
    process.exitCode = 1;
  }
}

await main();
