/** Whole-layer loads for seeding: how many features the store holds, and loading layers in one transaction. */
import type { Feature, Geometry } from 'geojson';
import type { Db } from './db.js';
import type { Props } from './features.js';
import { importSession, insertImported } from './import.js';

/** Number of features in the store, over all layers. */
export async function featureCount(db: Db): Promise<number> {
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM features');
  return n;
}

/** Whether the store holds any feature: the start-up seeding check, one index probe at any size. */
export async function hasFeatures(db: Db): Promise<boolean> {
  const [{ any }] = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM features) AS any');
  return any;
}

/** Rows per INSERT when loading layers: a few MB of EWKB and JSON per statement. */
const LOAD_CHUNK = 2000;

/**
 * Loads whole layers in one transaction; with `replace`, each layer's stored features are deleted
 * first. Returns the number of features written per layer. Written through the import's write
 * path (EWKB geometries, one multi-row INSERT per chunk), so PostGIS parses no GeoJSON; on the
 * demo dataset most of the time left goes to the indexes and the validity check. The store's ST_IsValid check still
 * refuses an invalid geometry, failing the whole load.
 */
export async function loadLayers(
  db: Db,
  layers: Record<string, Feature<Geometry, Props>[]>,
  opts: { replace: boolean },
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await db.transaction(async (tx) => {
    await importSession(tx);
    for (const [layer, features] of Object.entries(layers)) {
      if (opts.replace) await tx.query('DELETE FROM features WHERE layer = $1', [layer]);
      for (let i = 0; i < features.length; i += LOAD_CHUNK) {
        const chunk = features.slice(i, i + LOAD_CHUNK).map((f) => ({ ...f, id: String(f.id), properties: f.properties ?? {} }));
        await insertImported(tx, layer, chunk);
      }
      counts[layer] = features.length;
    }
  });
  return counts;
}
