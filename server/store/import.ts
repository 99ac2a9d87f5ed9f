/** Writes of an import: replace, append or upsert a layer's features inside the caller's transaction. */
import type { Feature, Geometry } from 'geojson';
import type { Db } from './db.js';
import { insertFeatures, type Props } from './features.js';

export type ImportMode = 'append' | 'upsert' | 'replace';

export interface ImportCounts {
  inserted: number;
  updated: number;
  deleted: number;
}

type Keyed = Feature<Geometry, Props> & { id: string };

/** Indexes (into `geometries`) of those PostGIS finds invalid, with its reason (e.g. "Self-intersection[…]"). */
export async function invalidGeometries(db: Db, geometries: Geometry[]): Promise<{ index: number; reason: string }[]> {
  if (geometries.length === 0) return [];
  return db.query<{ index: number; reason: string }>(
    `SELECT (i - 1)::int AS index, ST_IsValidReason(g) AS reason
       FROM (SELECT i, ST_GeomFromGeoJSON(x) AS g FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS t(x, i)) s
      WHERE NOT ST_IsValid(g)`,
    [JSON.stringify(geometries.map((g) => JSON.stringify(g)))],
  );
}

/** Ids among `ids` that already exist in the layer. */
export async function existingIds(db: Db, layer: string, ids: string[]): Promise<string[]> {
  const rows = await db.query<{ fid: string }>('SELECT fid FROM features WHERE layer = $1 AND fid = ANY($2::text[])', [layer, ids]);
  return rows.map((r) => r.fid);
}

/**
 * Writes features into `layer`. `key` (upsert only) is "id" to match stored features by id, or a
 * property name (e.g. "name") to match by that property's value. Must run inside a transaction:
 * a failure part-way must roll back the delete of a replace as well.
 */
export async function writeImport(tx: Db, layer: string, mode: ImportMode, features: Keyed[], key = 'id'): Promise<ImportCounts> {
  const counts: ImportCounts = { inserted: 0, updated: 0, deleted: 0 };
  if (mode === 'replace') {
    const [d] = await tx.query<{ n: number }>('WITH d AS (DELETE FROM features WHERE layer = $1 RETURNING 1) SELECT count(*)::int AS n FROM d', [layer]);
    counts.deleted = d.n;
  }
  if (mode !== 'upsert') {
    counts.inserted = await insertFeatures(tx, layer, features);
    return counts;
  }
  const fresh: Keyed[] = [];
  for (const f of features) {
    const match =
      key === 'id'
        ? await tx.query<{ fid: string }>('SELECT fid FROM features WHERE layer = $1 AND fid = $2', [layer, f.id])
        : await tx.query<{ fid: string }>('SELECT fid FROM features WHERE layer = $1 AND properties ->> $2 = $3', [layer, key, String(f.properties[key])]);
    if (match.length > 1) throw new Error(`${match.length} stored features have ${key} = "${String(f.properties[key])}"; upsert needs a unique key`);
    if (match.length === 0) {
      fresh.push(f);
      continue;
    }
    await tx.query(
      `UPDATE features SET properties = $3::jsonb, geom = ST_SetSRID(ST_GeomFromGeoJSON($4), 4326), version = version + 1, updated_at = now()
        WHERE layer = $1 AND fid = $2`,
      [layer, match[0].fid, JSON.stringify(f.properties), JSON.stringify(f.geometry)],
    );
    counts.updated++;
  }
  counts.inserted = await insertFeatures(tx, layer, fresh);
  return counts;
}

/** Fills `county_code` of the given features from the county polygon that contains them, where missing. */
export async function fillCountyCodes(tx: Db, layer: string, ids: string[]): Promise<void> {
  await tx.query(
    `UPDATE features f SET properties = f.properties || jsonb_build_object('county_code', a.properties ->> 'code')
       FROM features a
      WHERE a.layer = 'admin_units' AND a.properties ->> 'level' = 'county' AND ST_Intersects(a.geom, ST_PointOnSurface(f.geom))
        AND f.layer = $1 AND f.fid = ANY($2::text[]) AND NOT (f.properties ? 'county_code')`,
    [layer, ids],
  );
}
