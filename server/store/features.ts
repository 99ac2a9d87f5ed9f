/** Feature queries over the `features` table: bbox, attribute filters, text search, paging. */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { boundaryRole, DEMO_SOURCE_PREFIX, SOURCE_FIELD, type FieldDef } from '../../core/catalogue/index.js';
import type { Db } from './db.js';

export type Props = Record<string, unknown>;

export interface FieldFilter {
  field: FieldDef;
  /** Any of these values matches (OR); for enum[] fields, any shared value matches. */
  values: string[];
}

export interface FeatureQuery {
  layer: string;
  bbox?: [number, number, number, number];
  q?: string;
  /** Fields `q` is matched against. */
  searchFields?: string[];
  filters?: FieldFilter[];
  limit: number;
  offset: number;
  /** Add each feature's `version` and `updated_at` (for editors; public and OGC output leave them out). */
  versions?: boolean;
}

/** A feature with its edit version (optimistic concurrency) and last change, as top-level members. */
export type VersionedFeature = Feature<Geometry, Props> & { version: number; updated_at: string };

export interface FeaturePage extends FeatureCollection<Geometry, Props> {
  numberMatched: number;
  numberReturned: number;
}

interface Row {
  fid: string;
  properties: Props;
  geometry: string;
  version: number;
  updated_at: Date | string;
}

const COLUMNS = 'fid, properties, ST_AsGeoJSON(geom, 7) AS geometry, version, updated_at';

const toFeature = (r: Row): Feature<Geometry, Props> => ({
  type: 'Feature',
  id: r.fid,
  geometry: JSON.parse(r.geometry) as Geometry,
  properties: r.properties,
});

const toVersioned = (r: Row): VersionedFeature => ({ ...toFeature(r), version: r.version, updated_at: new Date(r.updated_at).toISOString() });

/** Builds the WHERE clause with numbered parameters; values never enter the SQL text. */
export function where(query: FeatureQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = [query.layer];
  const clauses = ['layer = $1'];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  if (query.bbox) {
    const [a, b, c, d] = query.bbox;
    clauses.push(`geom && ST_MakeEnvelope(${p(a)}, ${p(b)}, ${p(c)}, ${p(d)}, 4326)`);
  }
  for (const { field, values } of query.filters ?? []) {
    if (field.type === 'enum[]') {
      clauses.push(`(properties -> ${p(field.name)}) ?| ${p(values)}::text[]`);
    } else if (field.type === 'integer' || field.type === 'number') {
      clauses.push(`(properties ->> ${p(field.name)})::float8 = ANY(${p(values.map(Number))}::float8[])`);
    } else {
      clauses.push(`(properties ->> ${p(field.name)}) = ANY(${p(values)}::text[])`);
    }
  }
  if (query.q && query.searchFields?.length) {
    const pattern = p(`%${query.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    const ors = query.searchFields.map((name) => `(properties ->> ${p(name)}) ILIKE ${pattern}`);
    clauses.push(`(${ors.join(' OR ')})`);
  }
  return { sql: clauses.join(' AND '), params };
}

export async function queryFeatures(db: Db, query: FeatureQuery): Promise<FeaturePage> {
  const w = where(query);
  const n = w.params.length;
  const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM features WHERE ${w.sql}`, w.params);
  const rows = await db.query<Row>(
    `SELECT ${COLUMNS} FROM features WHERE ${w.sql} ORDER BY fid LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...w.params, query.limit, query.offset],
  );
  return {
    type: 'FeatureCollection',
    numberMatched: count.n,
    numberReturned: rows.length,
    features: rows.map(query.versions ? toVersioned : toFeature),
  };
}

export async function getFeature(db: Db, layer: string, fid: string): Promise<Feature<Geometry, Props> | undefined> {
  const rows = await db.query<Row>(`SELECT ${COLUMNS} FROM features WHERE layer = $1 AND fid = $2`, [layer, fid]);
  return rows[0] && toFeature(rows[0]);
}

export async function getVersionedFeature(db: Db, layer: string, fid: string): Promise<VersionedFeature | undefined> {
  const rows = await db.query<Row>(`SELECT ${COLUMNS} FROM features WHERE layer = $1 AND fid = $2`, [layer, fid]);
  return rows[0] && toVersioned(rows[0]);
}

/** Rows per layer, as the triggers of migration 005 keep them (no count over the rows). */
export async function countByLayer(db: Db): Promise<Record<string, number>> {
  const rows = await db.query<{ layer: string; n: number }>('SELECT layer, n FROM layer_stats WHERE n > 0');
  return Object.fromEntries(rows.map((r) => [r.layer, r.n]));
}

/** Bounding box of each layer's features, for OGC API collection extents. */
export async function layerExtents(db: Db): Promise<Record<string, [number, number, number, number]>> {
  const rows = await db.query<{ layer: string; x0: number; y0: number; x1: number; y1: number }>(
    `SELECT layer, ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1
       FROM (SELECT layer, ST_Extent(geom)::geometry AS e FROM features GROUP BY layer) x`,
  );
  return Object.fromEntries(rows.map((r) => [r.layer, [r.x0, r.y0, r.x1, r.y1]]));
}

/** Bounding box of each county, from the boundary layer. */
export async function countyExtents(db: Db): Promise<Record<string, [number, number, number, number]>> {
  const b = boundaryRole();
  const rows = await db.query<{ code: string; x0: number; y0: number; x1: number; y1: number }>(
    `SELECT properties ->> $1 AS code, ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1
       FROM (SELECT properties, ST_Envelope(geom) AS e FROM features
              WHERE layer = $2 AND properties ->> $3 = $4) c`,
    [b.code, b.layer, b.level, b.county],
  );
  return Object.fromEntries(rows.map((r) => [r.code, [r.x0, r.y0, r.x1, r.y1]]));
}

const INSERT_CHUNK = 500;

/**
 * Inserts features into a layer inside the caller's transaction. Geometries are parsed by PostGIS
 * (ST_GeomFromGeoJSON), so an invalid one fails the whole write rather than being stored.
 */
export async function insertFeatures(tx: Db, layer: string, features: Feature<Geometry, Props>[]): Promise<number> {
  for (let i = 0; i < features.length; i += INSERT_CHUNK) {
    const chunk = features.slice(i, i + INSERT_CHUNK).map((f) => ({
      fid: String(f.id),
      properties: f.properties ?? {},
      geometry: f.geometry,
    }));
    await tx.query(
      `INSERT INTO features (layer, fid, properties, geom)
       SELECT $1, x ->> 'fid', x -> 'properties', ST_SetSRID(ST_GeomFromGeoJSON(x ->> 'geometry'), 4326)
         FROM jsonb_array_elements($2::jsonb) AS x`,
      [layer, JSON.stringify(chunk)],
    );
  }
  return features.length;
}

/** True when any stored record is generated demo data (isDemo in core/catalogue/roles.ts, as SQL). */
export async function hasDemoData(db: Db): Promise<boolean> {
  const rows = await db.query<{ demo: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM features WHERE starts_with(properties ->> $1, $2)) AS demo`,
    [SOURCE_FIELD, DEMO_SOURCE_PREFIX],
  );
  return rows[0]?.demo === true;
}
