/** The road network's connectivity rule per county (migration 011_roads_connectivity.sql). */
import type { Connectivity } from '../../core/network/graph.js';
import { layerWithRole } from '../../core/catalogue/index.js';
import type { Db } from './db.js';
import { LAYERS_CHANNEL } from './layer-watch.js';

/** The key of the rule for roads without a county code. */
export const ANY_COUNTY = '*';

/** County code (or ANY_COUNTY) → rule, for the counties that have one. */
export async function roadConnectivity(db: Db): Promise<Record<string, Connectivity>> {
  const rows = await db.query<{ county: string; connectivity: Connectivity }>('SELECT county, connectivity FROM road_connectivity ORDER BY county');
  return Object.fromEntries(rows.map((r) => [r.county, r.connectivity]));
}

/**
 * Sets the rule of these counties. A rule decides where roads join, so it changes the network as
 * an edit of its roads does: the road layer's version moves and its NOTIFY goes out (migration
 * 005's), and every cache keyed by that version (the road graph, the islands, the tiles) follows.
 */
export async function setRoadConnectivity(db: Db, counties: string[], connectivity: Connectivity): Promise<void> {
  if (counties.length === 0) return;
  const roads = layerWithRole('network').id;
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO road_connectivity (county, connectivity) SELECT c, $2 FROM unnest($1::text[]) AS c
       ON CONFLICT (county) DO UPDATE SET connectivity = EXCLUDED.connectivity, updated_at = now()`,
      [counties, connectivity],
    );
    await tx.query(
      `INSERT INTO layer_stats AS s (layer, n, changes, changed_at) VALUES ($1, 0, 1, now())
       ON CONFLICT (layer) DO UPDATE SET changes = s.changes + 1, changed_at = now()`,
      [roads],
    );
    await tx.query('SELECT pg_notify($1, $2)', [LAYERS_CHANNEL, roads]);
  });
}
