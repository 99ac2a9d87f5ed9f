/**
 * What a vector tile holds, read from the `features` table (issue 15). PostgreSQL encodes the tile
 * itself (ST_AsMVT / ST_AsMVTGeom); embedded PGlite's PostGIS is built without protobuf, so it
 * hands the same rows — same simplification, same clipping box, same point grid, same properties —
 * to the JS encoder (server/tiles/encode.ts). Points are aggregated on a grid below CLUSTER_BELOW.
 */
import { BUFFER, EXTENT, tileBounds, type TileId } from '../tiles/grid.js';
import type { Db } from './db.js';
import { where, type FieldFilter, type Props } from './features.js';

export interface TileSpec {
  layer: string;
  geometry: 'Point' | 'LineString' | 'Polygon';
  tile: TileId;
  /** The property keys the caller may see (the catalogue's fields for its role). */
  keys: string[];
  filters: FieldFilter[];
}

/** Below this zoom points are aggregated on a grid; from it on, every point is in its tile. */
export const CLUSTER_BELOW = 14;
/** Grid cell in tile units: 512 of 4096 is 64 px on a 512 px tile, 8 × 8 cells a tile. */
export const CELL = 512;
/** The property that carries a cell's number of points; single points carry `_fid` and their fields. */
export const COUNT = 'count';
export const FID = '_fid';

/** A feature of a tile before encoding: its properties and its geometry in WGS84 (GeoJSON). */
export interface TileRow {
  properties: Props;
  /** Points: [lon, lat]; lines and polygons: GeoJSON geometry text. */
  point?: [number, number];
  geometry?: string;
}

/**
 * The caller's fields of a feature, named one by one (no per-row set-returning subquery): null and
 * missing values dropped, arrays and objects as their JSON text (ST_AsMVT and vt-pbf then agree).
 * jsonb_build_object takes at most 100 arguments, so the fields are built in groups.
 */
function props(keys: string[], p: (v: unknown) => string, fid = 'fid'): string {
  const value = (k: string) => {
    const v = `(properties -> ${p(k)}::text)`;
    return `CASE WHEN jsonb_typeof(${v}) IN ('array', 'object') THEN to_jsonb(${v}::text) ELSE ${v} END`;
  };
  const groups: string[] = [];
  for (let i = 0; i < keys.length; i += 40) {
    groups.push(`jsonb_build_object(${keys.slice(i, i + 40).map((k) => `${p(k)}::text, ${value(k)}`).join(', ')})`);
  }
  return `jsonb_strip_nulls(${[...groups, `jsonb_build_object('${FID}', ${fid})`].join(' || ')})`;
}

/** One tile unit in degrees of longitude: the simplification tolerance (the tile cannot show less). */
const unitDegrees = (z: number) => 360 / (2 ** z * EXTENT);

/** Mercator tile-unit coordinates of `lon`/`lat` SQL expressions, relative to tile ($z: 2^z, $x, $y). */
const tileX = (lon: string, n: string, x: string) => `(((${lon}) + 180) / 360 * ${n} - ${x}) * ${EXTENT}`;
const tileY = (lat: string, n: string, y: string) =>
  `((0.5 - ln((1 + sin(radians(${lat}))) / (1 - sin(radians(${lat})))) / (4 * pi())) * ${n} - ${y}) * ${EXTENT}`;

interface Parts {
  /** A SELECT giving `properties` (jsonb) and `geom` (WGS84) per tile feature. */
  sql: string;
  params: unknown[];
}

function parts(spec: TileSpec): Parts {
  const { z, x, y } = spec.tile;
  const clustered = spec.geometry === 'Point' && z < CLUSTER_BELOW;
  // Clustered tiles take their own points only, so a cell is never counted by two tiles.
  const w = where({ layer: spec.layer, bbox: tileBounds(spec.tile, clustered ? 0 : BUFFER), filters: spec.filters, limit: 0, offset: 0 });
  const params = [...w.params];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (!clustered) {
    const geom = spec.geometry === 'Point' ? 'geom' : `ST_SimplifyPreserveTopology(geom, ${p(unitDegrees(z))}::float8)`;
    return { sql: `SELECT ${props(spec.keys, p)} AS properties, ${geom} AS geom FROM features WHERE ${w.sql}`, params };
  }
  const [n, tx, ty, cell] = [p(2 ** z), p(x), p(y), p(CELL)];
  // One integer per cell (column × 1024 + row), computed in a subquery kept apart by OFFSET 0: the
  // planner then guesses a few hundred groups and aggregates in a hash table, instead of taking
  // each point for its own group and sorting hundreds of thousands of them (to disk) at low zoom.
  // A cell of one point is that point with its fields, looked up by key (a nested index lookup per
  // cell, never a join over the layer); a fuller one its mean position and count.
  const sql = `
    WITH pts AS (
      SELECT fid, lon, lat, floor(${tileX('lon', `${n}::float8`, `${tx}::float8`)} / ${cell})::int * 1024 + floor(${tileY('lat', `${n}::float8`, `${ty}::float8`)} / ${cell})::int AS cell
        FROM (SELECT fid, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM features WHERE ${w.sql}) g OFFSET 0
    ),
    cells AS (SELECT count(*)::int AS n, min(fid) AS fid, avg(lon) AS lon, avg(lat) AS lat FROM pts GROUP BY cell)
    SELECT CASE WHEN c.n = 1 THEN ${props(spec.keys, p, 'c.fid')} ELSE jsonb_build_object('${COUNT}', c.n) END AS properties,
           ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326) AS geom
      FROM cells c LEFT JOIN LATERAL (SELECT properties FROM features f WHERE c.n = 1 AND f.layer = $1 AND f.fid = c.fid) f ON true`;
  return { sql, params };
}

/**
 * PostgreSQL: the tile encoded by PostGIS (ST_AsMVTGeom clips to the buffered tile and snaps to its
 * grid), and the layer's version read by the same statement — one round trip, and the version is
 * that of the snapshot the tile was built from.
 */
export async function mvtTile(db: Db, spec: TileSpec): Promise<{ tile: Uint8Array; version: number }> {
  const q = parts(spec);
  const { z, x, y } = spec.tile;
  const n = q.params.length;
  const [row] = await db.query<{ mvt: Uint8Array | null; version: string | null }>(
    `SELECT (SELECT changes FROM layer_stats WHERE layer = $1) AS version, ST_AsMVT(t, $${n + 1}::text, ${EXTENT}, 'geom') AS mvt FROM (
       SELECT properties, ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope($${n + 2}::int, $${n + 3}::int, $${n + 4}::int), ${EXTENT}, ${BUFFER}, true) AS geom
         FROM (${q.sql}) s
     ) t WHERE geom IS NOT NULL`,
    [...q.params, spec.layer, z, x, y],
  );
  return { tile: row?.mvt ? new Uint8Array(row.mvt) : new Uint8Array(), version: Number(row?.version ?? 0) };
}

/** PGlite: the tile's features for the JS encoder; lines and polygons cut to the buffered tile, coordinates rounded to a tile unit. */
export async function tileRows(db: Db, spec: TileSpec): Promise<TileRow[]> {
  const q = parts(spec);
  const n = q.params.length;
  if (spec.geometry === 'Point') {
    const rows = await db.query<{ properties: Props; lon: number; lat: number }>(
      `SELECT properties, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM (${q.sql}) s`,
      q.params,
    );
    return rows.map((r) => ({ properties: r.properties, point: [r.lon, r.lat] }));
  }
  const [w, s, e, nn] = tileBounds(spec.tile, BUFFER);
  // Digits enough for a tenth of a tile unit: precision the tile cannot show is not sent to the encoder.
  const digits = Math.min(9, Math.max(1, Math.ceil(-Math.log10(unitDegrees(spec.tile.z) / 10))));
  const rows = await db.query<{ properties: Props; geometry: string }>(
    `SELECT properties, ST_AsGeoJSON(g, ${digits}) AS geometry FROM (
       SELECT properties, ST_ClipByBox2D(geom, ST_MakeEnvelope($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, 4326)) AS g FROM (${q.sql}) s
     ) c WHERE NOT ST_IsEmpty(g)`,
    [...q.params, w, s, e, nn],
  );
  return rows.map((r) => ({ properties: r.properties, geometry: r.geometry }));
}

/** Each layer's version: the change counter of layer_stats, bumped by every statement that writes its features (migration 005). */
export async function layerVersion(db: Db, layer: string): Promise<number> {
  const [row] = await db.query<{ version: number }>('SELECT changes AS version FROM layer_stats WHERE layer = $1', [layer]);
  return row ? Number(row.version) : 0;
}

/** Every layer's version, for clients to put in their tile URLs (a new version, new URLs: no stale tile). */
export async function layerVersions(db: Db): Promise<Record<string, number>> {
  const rows = await db.query<{ layer: string; version: number }>('SELECT layer, changes AS version FROM layer_stats');
  return Object.fromEntries(rows.map((r) => [r.layer, Number(r.version)]));
}
