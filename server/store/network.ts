/** The road network's connectivity rule per county (migration 011_roads_connectivity.sql). */
import type { Connectivity } from '../../core/network/graph.js';
import type { Db } from './db.js';

/** The key of the rule for roads without a county code. */
export const ANY_COUNTY = '*';

/** County code (or ANY_COUNTY) → rule, for the counties that have one. */
export async function roadConnectivity(db: Db): Promise<Record<string, Connectivity>> {
  const rows = await db.query<{ county: string; connectivity: Connectivity }>('SELECT county, connectivity FROM road_connectivity ORDER BY county');
  return Object.fromEntries(rows.map((r) => [r.county, r.connectivity]));
}

export async function setRoadConnectivity(db: Db, counties: string[], connectivity: Connectivity): Promise<void> {
  if (counties.length === 0) return;
  await db.query(
    `INSERT INTO road_connectivity (county, connectivity) SELECT c, $2 FROM unnest($1::text[]) AS c
     ON CONFLICT (county) DO UPDATE SET connectivity = EXCLUDED.connectivity, updated_at = now()`,
    [counties, connectivity],
  );
}

/** Changes whenever a rule is set: part of the road graph's cache key. */
export async function connectivityStamp(db: Db): Promise<string> {
  const [s] = await db.query<{ n: number; t: string | null }>('SELECT count(*)::int AS n, max(updated_at)::text AS t FROM road_connectivity');
  return `${s.n}|${s.t}`;
}
