/** Whole-layer loads for seeding: how many features the store holds, and loading layers in one transaction. */
import type { Feature, Geometry } from 'geojson';
import type { Db } from './db.js';
import { insertFeatures, type Props } from './features.js';

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

/**
 * Loads whole layers in one transaction; with `replace`, each layer's stored features are deleted
 * first. Returns the number of features written per layer.
 */
export async function loadLayers(
  db: Db,
  layers: Record<string, Feature<Geometry, Props>[]>,
  opts: { replace: boolean },
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await db.transaction(async (tx) => {
    for (const [layer, features] of Object.entries(layers)) {
      if (opts.replace) await tx.query('DELETE FROM features WHERE layer = $1', [layer]);
      counts[layer] = await insertFeatures(tx, layer, features);
    }
  });
  return counts;
}
