/** Writes of an import (checks, replace, upsert, duplicates) inside the caller's transaction. */
import type { Feature, Geometry } from 'geojson';
import { boundaryRole, COUNTY_FIELD } from '../../core/catalogue/index.js';
import type { Db } from './db.js';
import { ewkbHex } from './ewkb.js';
import { insertFeatures, type Props } from './features.js';

export type { ImportMode } from '../../core/import-report.js';

type Keyed = Feature<Geometry, Props> & { id: string };

export interface GeometryProblem {
  /** Index into the checked geometries. */
  index: number;
  /** ST_IsValidReason, e.g. "Self-intersection[106.55 29.55]". */
  reason: string;
  /** ST_MakeValid's result, when it is safe to use (see checkGeometries). */
  repaired?: Geometry;
  /** Relative area change |A(repaired) − A(input)| / A(input), for polygons. */
  areaChange?: number;
}

/** A repaired polygon may differ from the input's area by less than this fraction. */
export const REPAIR_AREA_TOLERANCE = 0.01;

/**
 * The geometries PostGIS finds invalid, with its reason. With `repair`, polygons are mended with
 * ST_MakeValid where that is safe: the result is still a Polygon/MultiPolygon (nothing collapsed to
 * lines or points) and its area is within 1 % of the input's (shoelace area, where the two lobes of
 * a bow tie cancel, so a bow tie — which could be meant either way — is never "repaired").
 */
export async function checkGeometries(db: Db, geometries: Geometry[], repair = false): Promise<GeometryProblem[]> {
  if (geometries.length === 0) return [];
  const rows = await db.query<{ index: number; reason: string; repaired: string | null; before: number; after: number | null }>(
    `WITH s AS (SELECT (i - 1)::int AS index, ST_GeomFromGeoJSON(x) AS g
                  FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS t(x, i)),
          bad AS (SELECT index, g, ST_IsValidReason(g) AS reason, CASE WHEN $2 THEN ST_MakeValid(g) END AS r
                    FROM s WHERE NOT ST_IsValid(g))
     SELECT index, reason, ST_Area(g) AS before, ST_Area(r) AS after,
            CASE WHEN ST_GeometryType(r) IN ('ST_Polygon', 'ST_MultiPolygon')
                  AND ST_IsValid(ST_GeomFromGeoJSON(ST_AsGeoJSON(r, 15))) THEN ST_AsGeoJSON(r, 15) END AS repaired
       FROM bad ORDER BY index`,
    [JSON.stringify(geometries.map((g) => JSON.stringify(g))), repair],
  );
  return rows.map((r) => {
    const p: GeometryProblem = { index: r.index, reason: r.reason };
    if (r.after === null) return p;
    p.areaChange = r.before > 0 ? Math.abs(r.after - r.before) / r.before : Infinity;
    if (r.repaired && p.areaChange < REPAIR_AREA_TOLERANCE) p.repaired = JSON.parse(r.repaired) as Geometry;
    return p;
  });
}

/** Indexes (into `geometries`) of those PostGIS finds invalid, with its reason. */
export async function invalidGeometries(db: Db, geometries: Geometry[]): Promise<{ index: number; reason: string }[]> {
  return (await checkGeometries(db, geometries)).map(({ index, reason }) => ({ index, reason }));
}

/** Ids among `ids` that already exist in the layer. */
export async function existingIds(db: Db, layer: string, ids: string[]): Promise<string[]> {
  const rows = await db.query<{ fid: string }>('SELECT fid FROM features WHERE layer = $1 AND fid = ANY($2::text[])', [layer, ids]);
  return rows.map((r) => r.fid);
}

/** Deletes every feature of the layer (a replace of a layer without county codes); returns how many. */
export async function deleteLayer(tx: Db, layer: string): Promise<number> {
  const [d] = await tx.query<{ n: number }>('WITH d AS (DELETE FROM features WHERE layer = $1 RETURNING 1) SELECT count(*)::int AS n FROM d', [layer]);
  return d.n;
}

/** The scope of features without a county code in a scoped replace. */
export const NO_COUNTY = '';

/**
 * Deletes the layer's features of the given counties (NO_COUNTY: those without a county code),
 * the step of a replace before the file's features of those counties are written; returns how
 * many per county (every asked county is listed, 0 included).
 */
export async function deleteCounties(tx: Db, layer: string, counties: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = Object.fromEntries(counties.map((c) => [c, 0]));
  if (counties.length === 0) return out;
  const rows = await tx.query<{ county: string; n: number }>(
    `WITH d AS (DELETE FROM features WHERE layer = $1 AND coalesce(properties ->> $2, '') = ANY($3::text[]) RETURNING coalesce(properties ->> $2, '') AS county)
     SELECT county, count(*)::int AS n FROM d GROUP BY county`,
    [layer, COUNTY_FIELD, counties],
  );
  for (const r of rows) out[r.county] = r.n;
  return out;
}

/**
 * Where each feature lies among the county polygons of the boundary layer, in one statement for
 * the batch: `code`, the county holding its ST_PointOnSurface (the lowest fid where polygons
 * overlap; null outside all), and `inside`, whether it meets any county polygon (or the given
 * county's) — the import's county_code fill and its "outside the area" check. Every geometry is
 * inside when the store has no county polygons (or none of the given county). With `stored`, also
 * the county code ('' for none) of the stored feature of the layer with the same id, null when
 * there is none: what a scoped replace needs to know which ids other counties hold.
 *
 * The few county polygons are read once into memory (ST_Force2D makes a detoasted copy) and
 * joined with the batch polygon by polygon, so PostGIS reuses its prepared polygon for every point
 * of the batch; an index probe per point into the features table cost 30 times as much.
 */
export async function countyPlaces(
  db: Db,
  layer: string,
  features: Keyed[],
  opts: { county?: string; stored?: boolean } = {},
): Promise<{ code: string | null; inside: boolean; stored: string | null }[]> {
  if (features.length === 0) return [];
  const b = boundaryRole();
  const rows = await db.query<{ index: number; code: string | null; inside: boolean; stored: string | null }>(
    `WITH c AS MATERIALIZED (SELECT fid, properties ->> $2 AS code, ST_Force2D(geom) AS geom FROM features WHERE layer = $3 AND properties ->> $4 = $5),
          s AS MATERIALIZED (SELECT (i - 1)::int AS index, fid, g, pt, CASE WHEN pt THEN g ELSE ST_PointOnSurface(g) END AS p
                               FROM (SELECT i, fid, g, ST_GeometryType(g) = 'ST_Point' AS pt
                                       FROM (SELECT i, fid, x::geometry AS g FROM unnest($1::text[], $7::text[]) WITH ORDINALITY AS t(x, fid, i)) t) t),
          codes AS (SELECT DISTINCT ON (s.index) s.index, c.code FROM c JOIN s ON ST_Intersects(c.geom, s.p) ORDER BY s.index, c.fid),
          -- A point meets a county where its code was found: tested again only for a given county.
          meets AS (SELECT DISTINCT s.index FROM c JOIN s ON ($6::text IS NULL OR c.code = $6) AND NOT (s.pt AND $6::text IS NULL) AND ST_Intersects(c.geom, s.g))
     SELECT s.index, codes.code,
            NOT EXISTS (SELECT 1 FROM c WHERE $6::text IS NULL OR c.code = $6) OR meets.index IS NOT NULL OR (s.pt AND $6::text IS NULL AND codes.index IS NOT NULL) AS inside,
            CASE WHEN $10 THEN (SELECT coalesce(f.properties ->> $9, '') FROM features f WHERE f.layer = $8 AND f.fid = s.fid) END AS stored
       FROM s LEFT JOIN codes USING (index) LEFT JOIN meets USING (index)
      ORDER BY s.index`,
    [features.map((f) => ewkbHex(f.geometry)), b.code, b.layer, b.level, b.county, opts.county ?? null, features.map((f) => f.id), layer, COUNTY_FIELD, opts.stored === true],
  );
  return rows.map((r) => ({ code: r.code, inside: r.inside, stored: r.stored }));
}

/**
 * Inserts the import's features, one statement for the batch; geometries go as EWKB and
 * properties as JSON text per row, so the server parses no GeoJSON.
 */
export async function insertImported(tx: Db, layer: string, features: Keyed[]): Promise<number> {
  if (features.length === 0) return 0;
  await tx.query(
    `INSERT INTO features (layer, fid, properties, geom)
     SELECT $1, f, p::jsonb, g::geometry FROM unnest($2::text[], $3::text[], $4::text[]) AS x(f, p, g)`,
    [layer, features.map((f) => f.id), features.map((f) => JSON.stringify(f.properties)), features.map((f) => ewkbHex(f.geometry))],
  );
  return features.length;
}

/**
 * Settings for the import's transaction: PostgreSQL's JIT compiles a query whose estimated cost
 * passes jit_above_cost, which the import's set-based statements do, and the compile (≈0.7 s a
 * statement measured) cost more than the statement itself.
 */
export async function importSession(tx: Db): Promise<void> {
  if (tx.kind === 'postgres') await tx.exec('SET LOCAL jit = off');
}

export interface UpsertResult {
  inserted: number;
  updated: number;
  /** Features (by index) whose key matches several stored features; they were not written. */
  ambiguous: { index: number; fids: string[] }[];
}

/**
 * Updates the stored features `features` match and inserts the rest, in three statements however
 * many features. `key` is "id" (match by fid) or a property name (match by its value). Run inside
 * a transaction.
 */
export async function upsertFeatures(tx: Db, layer: string, features: Keyed[], key = 'id'): Promise<UpsertResult> {
  const rows = JSON.stringify(features.map((f) => (key === 'id' ? f.id : f.properties[key] === undefined ? null : String(f.properties[key]))));
  const on = key === 'id' ? 'f.fid = x.k' : 'f.properties ->> $3 = x.k';
  const matches = await tx.query<{ index: number; fids: string[] }>(
    `SELECT (x.i - 1)::int AS index, array_agg(f.fid ORDER BY f.fid) AS fids
       FROM jsonb_array_elements_text($2::jsonb) WITH ORDINALITY AS x(k, i)
       JOIN features f ON f.layer = $1 AND ${on}
      GROUP BY x.i`,
    key === 'id' ? [layer, rows] : [layer, rows, key],
  );
  const target = new Map<number, string>();
  const ambiguous: UpsertResult['ambiguous'] = [];
  for (const m of matches) {
    if (m.fids.length > 1) ambiguous.push(m);
    else target.set(m.index, m.fids[0]);
  }
  if (target.size) {
    const updates = [...target].map(([i, fid]) => ({ fid, properties: features[i].properties, geometry: JSON.stringify(features[i].geometry) }));
    await tx.query(
      `UPDATE features f SET properties = x -> 'properties', geom = ST_SetSRID(ST_GeomFromGeoJSON(x ->> 'geometry'), 4326),
              version = f.version + 1, updated_at = now()
         FROM jsonb_array_elements($2::jsonb) AS x
        WHERE f.layer = $1 AND f.fid = x ->> 'fid'`,
      [layer, JSON.stringify(updates)],
    );
  }
  const skip = new Set(ambiguous.map((a) => a.index));
  const fresh = features.filter((_, i) => !target.has(i) && !skip.has(i));
  return { inserted: await insertFeatures(tx, layer, fresh), updated: target.size, ambiguous };
}

/**
 * Rows an import checks and writes per statement (and namesakes probes per statement). Both stores
 * run statements off the thread that answers requests (PGlite in its own thread, pglite-thread.ts),
 * so the batch is sized for round trips alone.
 */
export const IMPORT_BATCH_ROWS = 2000;

/** Lets the event loop run what waits (other requests) before the import's next statement. */
export const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Within `metres` of each other with the same name: a feature of `fids` (the import's, written)
 * and any other of the layer, nearest first per feature. The layer's named features are copied
 * once into a temporary table with its own GiST index and name statistics, so the planner joins by
 * name (a hash) when names are distinct and by position when a name repeats (a file of 2,000
 * "应急避难场所"), instead of one probe into the whole features table per feature.
 */
export async function namesakesAmong(tx: Db, layer: string, fids: string[], metres: number): Promise<{ fid: string; name: string; other: string; distance: number }[]> {
  if (fids.length === 0) return [];
  await tx.query(
    `CREATE TEMP TABLE import_names ON COMMIT DROP AS
       SELECT fid, properties ->> 'name' AS name, geom FROM features WHERE layer = $1 AND properties ->> 'name' IS NOT NULL`,
    [layer],
  );
  await breathe();
  await tx.exec('CREATE INDEX ON import_names USING gist (geom); ANALYZE import_names');
  const out: { fid: string; name: string; other: string; distance: number }[] = [];
  const chunk = IMPORT_BATCH_ROWS;
  for (let i = 0; i < fids.length; i += chunk) {
    await breathe();
    // ST_Expand by 0.001° (≥ 64 m up to 55°N) lets the GiST index find the candidates.
    const rows = await tx.query<{ fid: string; name: string; other: string; distance: number }>(
      `SELECT x.fid, x.name, m.fid AS other, ST_Distance(x.geom::geography, m.geom::geography) AS distance
         FROM import_names x JOIN import_names m ON m.name = x.name AND m.fid <> x.fid AND m.geom && ST_Expand(x.geom, 0.001)
        WHERE x.fid = ANY($1::text[]) AND ST_DWithin(x.geom::geography, m.geom::geography, $2)
        ORDER BY x.fid, distance, m.fid`,
      [fids.slice(i, i + chunk), metres],
    );
    out.push(...rows);
  }
  await tx.exec('DROP TABLE import_names');
  return out;
}

/** Fills the county field of the given features from the county polygon that contains them, where missing. */
export async function fillCountyCodes(tx: Db, layer: string, ids: string[]): Promise<void> {
  const b = boundaryRole();
  await tx.query(
    `UPDATE features f SET properties = f.properties || jsonb_build_object($3::text, a.properties ->> $4)
       FROM features a
      WHERE a.layer = $5 AND a.properties ->> $6 = $7 AND ST_Intersects(a.geom, ST_PointOnSurface(f.geom))
        AND f.layer = $1 AND f.fid = ANY($2::text[]) AND NOT (f.properties ? $3)`,
    [layer, ids, COUNTY_FIELD, b.code, b.layer, b.level, b.county],
  );
}
