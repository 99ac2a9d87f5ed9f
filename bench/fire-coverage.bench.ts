/**
 * Fire coverage over all stations of a county on a 500 m population grid (goal: < 1 s), next to
 * pgRouting's multi-origin pgr_drivingDistance(equicost) on the same demo road graph: the nodes
 * each station reaches first within 4 minutes. Sets must be identical; times are side by side.
 * Like isochrone.bench.ts it reads BENCH_DATABASE_URL and installs nothing.
 */
import pg from 'pg';
import { fireCoverage } from '../core/analysis/fire-coverage/index.js';
import { dijkstra } from '../core/network/dijkstra.js';
import { buildGraph } from '../core/network/graph.js';
import { buildPopulationGrid } from '../core/population/grid.js';
import { ROAD_DENSITY_WEIGHTING, roadDensityWeight } from '../core/population/road-density.js';
import { FIRE_RESPONSE } from '../core/standards.js';
import { generateDemo } from '../seeds/demo/index.js';
import { loadEdges, nearestNode } from './pgrouting.js';

const RUNS = 3;
const LIMIT_S = FIRE_RESPONSE.driveMinutes * 60;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main(): Promise<void> {
  const demo = generateDemo();
  const graph = buildGraph(demo.roads);
  const weight = roadDensityWeight(graph);
  const url = process.env.BENCH_DATABASE_URL;
  const db = url ? new pg.Client({ connectionString: url }) : undefined;
  if (db) {
    await db.connect();
    await loadEdges(db, 'bench_fire_edges', graph);
  } else {
    console.log('BENCH_DATABASE_URL is not set: the pgRouting column is skipped (see isochrone.bench.ts for the set-up command).');
  }
  const rows: string[][] = [];
  for (const county of demo.admin_units.filter((f) => f.properties.level === 'county')) {
    const code = String(county.properties.code);
    const towns = demo.admin_units
      .filter((f) => f.properties.level === 'town' && f.properties.county_code === code)
      .map((f) => ({ code: String(f.properties.code), name: String(f.properties.name), population: f.properties.population as number, geometry: f.geometry as never }));
    const grid = buildPopulationGrid(towns, { weight, weighting: ROAD_DENSITY_WEIGHTING });
    const stations = demo.fire_stations
      .filter((f) => f.properties.county_code === code && f.properties.status !== 'planned' && f.properties.type !== 'micro')
      .map((f) => {
        const [lon, lat] = (f.geometry as { coordinates: number[] }).coordinates;
        return { id: String(f.id), name: String(f.properties.name), type: String(f.properties.type), status: String(f.properties.status), lon, lat };
      });
    fireCoverage(graph, grid, towns, stations);
    const ours = median(Array.from({ length: RUNS }, () => {
      const t = performance.now();
      fireCoverage(graph, grid, towns, stations);
      return performance.now() - t;
    }));
    let pgMs = '–';
    let same = '–';
    if (db) {
      const starts = stations.map((s) => nearestNode(graph, s.lon, s.lat));
      const reached = new Set(dijkstra(graph.drive, starts.map((node) => ({ node, cost: 0 })), LIMIT_S).reached);
      const sql = `SELECT node FROM pgr_drivingDistance('SELECT id, source, target, cost, reverse_cost FROM bench_fire_edges', $1::bigint[], $2::float8, directed => true, equicost => true)`;
      await db.query(sql, [starts.map((v) => v + 1), LIMIT_S]);
      const runs: number[] = [];
      let theirs = new Set<number>();
      for (let k = 0; k < RUNS; k++) {
        const t = performance.now();
        const r = await db.query(sql, [starts.map((v) => v + 1), LIMIT_S]);
        runs.push(performance.now() - t);
        theirs = new Set(r.rows.map((x: { node: string }) => Number(x.node) - 1));
      }
      pgMs = median(runs).toFixed(1);
      same = theirs.size === reached.size && [...theirs].every((v) => reached.has(v)) ? 'yes' : 'NO';
    }
    rows.push([String(county.properties.name), String(stations.length), String(grid.count), ours.toFixed(1), pgMs, same, ours < 1000 ? 'yes' : 'NO']);
  }
  if (db) {
    await db.query('DROP TABLE IF EXISTS bench_fire_edges');
    await db.end();
  }
  console.log(`\nFire coverage, ${FIRE_RESPONSE.driveMinutes}-min drive from every station of a county (median of ${RUNS}, ms)`);
  const head = ['county', 'stations', 'grid cells', 'our coverage', 'pgr equicost', 'same nodes', '< 1 s'];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => c.padEnd(width[i])).join('  ');
  console.log(fmt(head));
  for (const r of rows) console.log(fmt(r));
  if (rows.some((r) => r[5] === 'NO')) process.exitCode = 1;
}

await main();
