/**
 * What a vector tile holds, read from the `features` table (issue 15). PostgreSQL encodes the tile
 * itself (ST_AsMVT / ST_AsMVTGeom); embedded PGlite's PostGIS is built without protobuf, so it
 * hands the same rows — same simplification, same clipping box, same point grid, same properties —
 * to the JS encoder (server/tiles/encode.ts). Points are aggregated on a grid below CLUSTER_BELOW.
 */
import { findLayer } from '../../core/catalogue/index.js';
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
  /** A grid tile read from every point even where the cell summary would serve (the tests' reference). */
  fromPoints?: boolean;
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
 * The caller's fields of a feature: its stored members whose keys the caller may see, null values
 * dropped, arrays and objects as their JSON text (ST_AsMVT and vt-pbf then agree). A row whose
 * members are all fields of the layer's catalogue entry, none of them a list (the common case),
 * takes one jsonb subtraction of the fields the caller may not see; any other row one pass over
 * its members (jsonb_each). Either way only the caller's keys can come out. Never one lookup per catalogue field: a street-level tile may name
 * thousands of points, each with a handful of members out of a layer's dozen or more fields.
 */
function props(layer: string, keys: string[], p: (v: unknown) => string, fid = 'fid'): string {
  const known = findLayer(layer)?.fields.map((f) => f.name) ?? [];
  const hidden = known.filter((k) => !keys.includes(k));
  const value = `CASE WHEN jsonb_typeof(value) IN ('array', 'object') THEN to_jsonb(value::text) ELSE value END`;
  const members = `coalesce((SELECT jsonb_object_agg(key, ${value}) FROM jsonb_each(properties) WHERE key = ANY(${p(keys)}::text[]) AND jsonb_typeof(value) <> 'null'), '{}'::jsonb)`;
  // The catalogue's list fields (enum[], items) are the only ones that hold arrays (core/catalogue/validate.ts checks every import and edit).
  const lists = findLayer(layer)?.fields.filter((f) => f.type === 'enum[]' || f.type === 'items').map((f) => f.name) ?? [];
  const plain = `(properties - ${p(known)}::text[]) = '{}'::jsonb AND NOT properties ?| ${p(lists)}::text[]`;
  return `CASE WHEN ${plain} THEN jsonb_strip_nulls(properties - ${p(hidden)}::text[]) ELSE ${members} END || jsonb_build_object('${FID}', ${fid})`;
}

/** One tile unit in degrees of longitude: the simplification tolerance (the tile cannot show less). */
const unitDegrees = (z: number) => 360 / (2 ** z * EXTENT);

interface Parts {
  /** A SELECT giving `properties` (jsonb) and `geom` (WGS84) per tile feature. */
  sql: string;
  params: unknown[];
}

/**
 * The summary's kept levels (migration 027): the cells of level L are the tiles of zoom L, so the
 * grid cell of a tile at zoom z (CELL of EXTENT, 1/8 of the tile) is a cell of level z + 3.
 */
export const CELL_LEVELS = [4, 7, 10, 13, 16] as const;
const CELL_SHIFT = Math.log2(EXTENT / CELL);

/** The finest kept level at or above `level` (the summary's cells merge exactly into coarser ones). */
const keptLevel = (level: number): number => CELL_LEVELS.find((l) => l >= level) ?? CELL_LEVELS[CELL_LEVELS.length - 1];

/** Web Mercator position of a longitude / latitude in [0, 1) (as cell_x / cell_y of migration 027 compute it). */
const x01 = (lon: number) => (lon + 180) / 360;
const y01 = (lat: number) => {
  const s = Math.sin((Math.max(-85.0511287798066, Math.min(85.0511287798066, lat)) * Math.PI) / 180);
  return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
};
const lonAt = (cx: number, level: number) => (cx / 2 ** level) * 360 - 180;
const latAt = (cy: number, level: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * cy) / 2 ** level))) * 180) / Math.PI;

function parts(spec: TileSpec): Parts {
  const { z } = spec.tile;
  const clustered = spec.geometry === 'Point' && z < CLUSTER_BELOW;
  if (!clustered) {
    const w = where({ layer: spec.layer, bbox: tileBounds(spec.tile, BUFFER), filters: spec.filters, limit: 0, offset: 0 });
    const params = [...w.params];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const geom = spec.geometry === 'Point' ? 'geom' : `ST_SimplifyPreserveTopology(geom, ${p(unitDegrees(z))}::float8)`;
    return { sql: `SELECT ${props(spec.layer, spec.keys, p)} AS properties, ${geom} AS geom FROM features WHERE ${w.sql}`, params };
  }
  return spec.filters.length === 0 && !spec.fromPoints ? cellsFromSummary(spec) : cellsFromPoints(spec);
}

/** The tile's grid cells as ranges of cell columns / rows at level z + 3: its own cells only, so no cell is in two tiles. */
function tileCells({ z, x, y }: TileId) {
  const side = EXTENT / CELL;
  return { level: z + CELL_SHIFT, cx: [x * side, x * side + side - 1], cy: [y * side, y * side + side - 1] };
}

/**
 * A grid tile from the features: each point's cell at level z + 3 (cell_x / cell_y, as the
 * summary files it), one row per cell — for tiles with filters, which the summary does not know.
 * The cell number is computed in a subquery kept apart by OFFSET 0: the planner then guesses a few
 * hundred groups and aggregates in a hash table, instead of sorting hundreds of thousands of
 * points (to disk) at low zoom. A cell of one point is that point with its fields, looked up by
 * key; a fuller one its mean position and count.
 */
function cellsFromPoints(spec: TileSpec): Parts {
  const cells = tileCells(spec.tile);
  // A hair beyond the tile, so a point on its edge is read; the cell test below keeps the tile's own.
  const [w0, s0, e0, n0] = tileBounds(spec.tile, 0);
  const w = where({ layer: spec.layer, bbox: [w0 - 1e-9, s0 - 1e-9, e0 + 1e-9, n0 + 1e-9], filters: spec.filters, limit: 0, offset: 0 });
  const params = [...w.params];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const [level, cx0, cx1, cy0, cy1] = [p(cells.level), p(cells.cx[0]), p(cells.cx[1]), p(cells.cy[0]), p(cells.cy[1])];
  const sql = `
    WITH pts AS (
      SELECT fid, lon, lat, cell_x(lon, ${level}::int) AS cx, cell_y(lat, ${level}::int) AS cy
        FROM (SELECT fid, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM features WHERE ${w.sql}) g OFFSET 0
    ),
    cells AS (
      SELECT count(*)::int AS n, min(fid) AS fid, avg(lon) AS lon, avg(lat) AS lat FROM pts
       WHERE cx BETWEEN ${cx0}::int AND ${cx1}::int AND cy BETWEEN ${cy0}::int AND ${cy1}::int
       GROUP BY (cx - ${cx0}::int) * 1024 + (cy - ${cy0}::int)
    )
    SELECT CASE WHEN c.n = 1 THEN ${props(spec.layer, spec.keys, p, 'c.fid')} ELSE jsonb_build_object('${COUNT}', c.n) END AS properties,
           ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326) AS geom
      FROM cells c LEFT JOIN LATERAL (SELECT properties FROM features f WHERE c.n = 1 AND f.layer = $1 AND f.fid = c.fid) f ON true`;
  return { sql, params };
}

/**
 * A grid tile from the cell summary (migration 027): the tile's cells at the nearest finer kept
 * level, merged 2^k × 2^k into its own — at most 64 × 16 summary rows, however many points the
 * tile covers. A cell of one point is that point with its fields, found by the cell's box in the
 * spatial index; a fuller one its mean position and count. The same tile as cellsFromPoints (the
 * mean is summed in another order: the same to well under a tile unit).
 */
function cellsFromSummary(spec: TileSpec): Parts {
  const cells = tileCells(spec.tile);
  const kept = keptLevel(cells.level);
  const shift = kept - cells.level;
  const params: unknown[] = [spec.layer];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const [level, k, s, n] = [p(cells.level), p(kept), p(shift), p(2 ** cells.level)];
  // Each column by key (cx = ANY): a range on cx would read every summary row of those columns,
  // the whole layer's height of them, and filter cy (0.34 against 0.06 ms at zoom 13 over 1,000,000
  // points).
  const firstColumn = cells.cx[0] << shift;
  const columns = p(Array.from({ length: ((cells.cx[1] + 1) << shift) - firstColumn }, (_, i) => firstColumn + i));
  const [cy0, cy1] = [p(cells.cy[0] << shift), p(((cells.cy[1] + 1) << shift) - 1)];
  // The cell's box in degrees, a hair larger: the cell test then keeps exactly the cell's points.
  const lon = (cx: string) => `(${cx})::float8 / ${n}::float8 * 360 - 180`;
  const lat = (cy: string) => `degrees(atan(sinh(pi() * (1 - 2 * (${cy})::float8 / ${n}::float8))))`;
  const sql = `
    WITH c AS (
      SELECT cx >> ${s}::int AS cx, cy >> ${s}::int AS cy, sum(n)::int AS n, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat
        FROM point_cells
       WHERE layer = $1 AND level = ${k}::smallint AND cx = ANY (${columns}::int[]) AND cy BETWEEN ${cy0}::int AND ${cy1}::int
       GROUP BY 1, 2
    )
    SELECT CASE WHEN c.n = 1 THEN ${props(spec.layer, spec.keys, p, 'f.fid')} ELSE jsonb_build_object('${COUNT}', c.n) END AS properties,
           CASE WHEN c.n = 1 THEN f.geom ELSE ST_SetSRID(ST_MakePoint(c.sum_lon / c.n, c.sum_lat / c.n), 4326) END AS geom
      FROM c LEFT JOIN LATERAL (
        SELECT fid, properties, geom FROM features f
         WHERE c.n = 1 AND f.layer = $1
           AND f.geom && ST_MakeEnvelope(${lon('c.cx')} - 1e-9, ${lat('c.cy + 1')} - 1e-9, ${lon('c.cx + 1')} + 1e-9, ${lat('c.cy')} + 1e-9, 4326)
           AND cell_x(ST_X(f.geom), ${level}::int) = c.cx AND cell_y(ST_Y(f.geom), ${level}::int) = c.cy
         LIMIT 1
      ) f ON true
     WHERE c.n > 0`;
  return { sql, params };
}

/**
 * How many features of a layer match its filters, in all or in a box (the layer panel's counts),
 * as the features endpoint counts them (`geom && box`). Without filters the total is the kept
 * count of layer_stats (migration 005), and a point layer's count in a box comes from the cell
 * summary: the cells wholly inside the box at a kept level (the finest at which the box spans at
 * most COUNT_SPAN cells) summed, plus the points of the strips along the box's edges that those
 * cells leave out, counted one by one. Anything else is counted row by row.
 */
export async function countFeatures(db: Db, layer: string, geometry: TileSpec['geometry'], bbox: [number, number, number, number] | undefined, filters: FieldFilter[]): Promise<number> {
  if (!bbox) {
    if (filters.length > 0) {
      const q = where({ layer, filters, limit: 0, offset: 0 });
      const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM features WHERE ${q.sql}`, q.params);
      return row.n;
    }
    const [row] = await db.query<{ n: number }>('SELECT n FROM layer_stats WHERE layer = $1', [layer]);
    return row ? Number(row.n) : 0;
  }
  const [w, s, e, n] = bbox;
  const span = Math.max(x01(e) - x01(w), y01(s) - y01(n));
  const level = [...CELL_LEVELS].reverse().find((l) => span * 2 ** l <= COUNT_SPAN) ?? CELL_LEVELS[0];
  const scale = 2 ** level;
  // Cells wholly inside, with a margin far beyond any rounding difference between JS and SQL.
  const [cx0, cx1] = [Math.ceil(x01(w) * scale + 1e-6), Math.floor(x01(e) * scale - 1e-6) - 1];
  const [cy0, cy1] = [Math.ceil(y01(n) * scale + 1e-6), Math.floor(y01(s) * scale - 1e-6) - 1];
  if (geometry !== 'Point' || filters.length > 0 || cx0 > cx1 || cy0 > cy1) {
    const q = where({ layer, bbox, filters, limit: 0, offset: 0 });
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM features WHERE ${q.sql}`, q.params);
    return row.n;
  }
  const [iw, ie, iN, iS] = [lonAt(cx0, level), lonAt(cx1 + 1, level), latAt(cy0, level), latAt(cy1 + 1, level)];
  const eps = 1e-7;
  const strips = [
    [w, s, Math.min(e, iw + eps), n],
    [Math.max(w, ie - eps), s, e, n],
    [w, s, e, Math.min(n, iS + eps)],
    [w, Math.max(s, iN - eps), e, n],
  ];
  const params: unknown[] = [layer, level, cx0, cx1, cy0, cy1];
  const envelope = (b: number[]) => {
    params.push(...b);
    const i = params.length;
    return `geom && ST_MakeEnvelope($${i - 3}, $${i - 2}, $${i - 1}, $${i}, 4326)`;
  };
  const [row] = await withoutJit(db, (d) => d.query<{ n: number }>(
    `SELECT (SELECT coalesce(sum(n), 0) FROM point_cells WHERE layer = $1 AND level = $2::smallint AND cx BETWEEN $3::int AND $4::int AND cy BETWEEN $5::int AND $6::int)::int
          + (SELECT count(*) FROM features WHERE layer = $1 AND (${strips.map(envelope).join(' OR ')})
               AND NOT (cell_x(ST_X(geom), $2::int) BETWEEN $3::int AND $4::int AND cell_y(ST_Y(geom), $2::int) BETWEEN $5::int AND $6::int))::int AS n`,
    params,
  ));
  return row.n;
}

/**
 * A grid tile that merges 2^k × 2^k summary cells into each of its own (k > 0): the planner expects
 * hundreds of cells there. At k = 0 (64 cells at most) its estimate stays below jit_above_cost, and
 * the tile is one statement without a transaction around it.
 */
function mergesCells(spec: TileSpec): boolean {
  if (spec.geometry !== 'Point' || spec.tile.z >= CLUSTER_BELOW) return false;
  if (spec.filters.length > 0 || spec.fromPoints) return true;
  const { level } = tileCells(spec.tile);
  return keptLevel(level) > level;
}

/**
 * Runs a summary read with PostgreSQL's JIT compiler off. The planner prices each lone cell's
 * index lookup as if it ran for every cell, so the estimate crosses jit_above_cost and ~100 ms goes
 * to compiling a statement that runs in a few; PGlite has no JIT (and one connection, no need).
 */
async function withoutJit<T>(db: Db, run: (d: Db) => Promise<T>): Promise<T> {
  if (db.kind !== 'postgres') return run(db);
  return db.transaction(async (tx) => {
    await tx.exec('SET LOCAL jit = off');
    return run(tx);
  });
}

/** The count in a box reads the summary at the finest kept level where the box spans at most this many cells. */
const COUNT_SPAN = 256;

/**
 * PostgreSQL: the tile encoded by PostGIS (ST_AsMVTGeom clips to the buffered tile and snaps to its
 * grid), and the layer's version read by the same statement — one round trip, and the version is
 * that of the snapshot the tile was built from. A prepared statement: parsed and planned once per
 * connection (zoom 13 over 1,000,000 points: 1.28 ms against 2.03 ms planned each time, and
 * 1.12 ms for plain ST_AsMVT of every point).
 */
export async function mvtTile(db: Db, spec: TileSpec): Promise<{ tile: Uint8Array; version: number }> {
  const q = parts(spec);
  const { z, x, y } = spec.tile;
  const n = q.params.length;
  const statement = (d: Db) => d.query<{ mvt: Uint8Array | null; version: string | null }>(
    `SELECT (SELECT changes FROM layer_stats WHERE layer = $1) AS version, ST_AsMVT(t, $${n + 1}::text, ${EXTENT}, 'geom') AS mvt FROM (
       SELECT properties, ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope($${n + 2}::int, $${n + 3}::int, $${n + 4}::int), ${EXTENT}, ${BUFFER}, true) AS geom
         FROM (${q.sql}) s
     ) t WHERE geom IS NOT NULL`,
    [...q.params, spec.layer, z, x, y],
    // One text per zoom, fields and filters: planning it each time cost more than running it.
    { prepare: true },
  );
  const [row] = mergesCells(spec) ? await withoutJit(db, statement) : await statement(db);
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
