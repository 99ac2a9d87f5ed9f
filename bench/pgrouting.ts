/** What the benches share to compare our graph with pgRouting on the same data. */
import type pg from 'pg';
import type { Graph } from '../core/network/graph.js';

/** The node nearest a position, by brute force (benches pick a handful of origins). */
export function nearestNode(g: Graph, lon: number, lat: number): number {
  let best = 0;
  let bestD = Infinity;
  const k = Math.cos((lat * Math.PI) / 180) ** 2;
  for (let v = 0; v < g.nodeCount; v++) {
    const d = (g.lon[v] - lon) ** 2 * k + (g.lat[v] - lat) ** 2;
    if (d < bestD) (bestD = d), (best = v);
  }
  return best;
}

/**
 * Writes the graph's drive links into a pgRouting edge table (ids and node ids from 1; a negative
 * cost means no such direction, as pgRouting reads it). Returns the milliseconds it took.
 */
export async function loadEdges(db: pg.Client, table: string, g: Graph): Promise<number> {
  const t = performance.now();
  await db.query(`DROP TABLE IF EXISTS ${table}`);
  await db.query(`CREATE TABLE ${table} (id integer PRIMARY KEY, source integer, target integer, cost float8, reverse_cost float8)`);
  const fin = (c: number): number => (c < Infinity ? c : -1);
  await db.query(`INSERT INTO ${table} SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::float8[], $5::float8[])`, [
    Array.from({ length: g.linkCount }, (_, l) => l + 1),
    Array.from(g.linkFrom, (v) => v + 1),
    Array.from(g.linkTo, (v) => v + 1),
    Array.from(g.driveForward, fin),
    Array.from(g.driveBackward, fin),
  ]);
  await db.query(`ANALYZE ${table}`);
  return performance.now() - t;
}
