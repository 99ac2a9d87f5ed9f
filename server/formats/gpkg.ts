/**
 * OGC GeoPackage 1.2 (OGC 12-128r15), written and read with sql.js (SQLite compiled to WASM, so
 * no native build). A feature table, its gpkg_contents row with the extent, gpkg_geometry_columns
 * and the spatial reference systems; geometries are GeoPackage binary: the "GP" header (§2.1.3)
 * followed by little-endian WKB (core/geo/wkb.ts). sql.js has no R-tree module: the export route
 * adds the R-tree spatial index (GeoPackage §F.3, extension gpkg_rtree_index) through GDAL
 * (gdal-export.ts, GDAL's CreateSpatialIndex()).
 *
 * GCJ-02 is not an EPSG system, so a GCJ-02 file carries its own gpkg_spatial_ref_sys row
 * (organization "ONEMAP") with WGS 84's definition under the name GCJ-02 and a description saying
 * what the offset is; readers that do not know it see WGS 84 axes and the name.
 */
import initSqlJs, { type Database, type SqlJsStatic, type SqlValue } from 'sql.js';
import type { Geometry } from 'geojson';
import { parseCrs, type Crs } from '../../core/geo/crs.js';
import { note } from '../../core/note.js';
import { decodeWkbAt, encodeWkb, isEmptyGeometry, WkbError } from '../../core/geo/wkb.js';
import { ReadError, type Source, type SourceRecord } from './source.js';
import { CRS_NOTE, extent, rowOf, type ExportData, type ExportFeature } from './table.js';

export const GPKG_TYPE = 'application/geopackage+sqlite3';

/** 'GPKG' as a big-endian integer (§1.1.1.1.1) and version 1.2.0. */
const APPLICATION_ID = 0x47504b47;
const USER_VERSION = 10200;
export const GCJ02_SRS_ID = 990002;

let sqlite: Promise<SqlJsStatic> | undefined;
const openSqlite = (): Promise<SqlJsStatic> => (sqlite ??= initSqlJs());

const WGS84_WKT =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],' +
  'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],' +
  'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]';
export const GCJ02_WKT =
  'GEOGCS["GCJ-02 (WGS 84 with the Chinese obfuscation offset)",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],' +
  'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]';

/** The three rows every GeoPackage has (§1.1.2.1.2) and, when asked, GCJ-02. */
const SRS_ROWS: [string, number, string, number, string, string][] = [
  ['WGS 84 geodetic', 4326, 'EPSG', 4326, WGS84_WKT, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid'],
  ['Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'],
  ['Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'],
];
const GCJ02_ROW: [string, number, string, number, string, string] = ['GCJ-02', GCJ02_SRS_ID, 'ONEMAP', GCJ02_SRS_ID, GCJ02_WKT, CRS_NOTE.gcj02];

const SCHEMA = `
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
`;

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** GeoPackage binary (§2.1.3): "GP", version 0, flags (little-endian, envelope, empty), srs_id, envelope, WKB. */
export function encodeGpkgGeometry(g: Geometry, srsId: number): Uint8Array {
  const empty = isEmptyGeometry(g);
  const box = empty || g.type === 'Point' ? undefined : extent([{ type: 'Feature', geometry: g, properties: {} }]);
  const wkb = encodeWkb(g);
  const head = 8 + (box ? 32 : 0);
  const out = new Uint8Array(head + wkb.length);
  const view = new DataView(out.buffer);
  out[0] = 0x47;
  out[1] = 0x50;
  out[2] = 0;
  out[3] = 1 | ((box ? 1 : 0) << 1) | ((empty ? 1 : 0) << 4);
  view.setInt32(4, srsId, true);
  // Envelope code 1 is [minx, maxx, miny, maxy].
  if (box) [box[0], box[2], box[1], box[3]].forEach((v, i) => view.setFloat64(8 + 8 * i, v, true));
  out.set(wkb, head);
  return out;
}

const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

/** A GeoPackage geometry blob; `empty` when the header's empty flag is set or it has no positions. */
export function decodeGpkgGeometry(blob: Uint8Array): { geometry?: Geometry; empty: boolean; srsId: number } {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) {
    throw new WkbError('not a GeoPackage geometry: it does not start with "GP" (is it a SpatiaLite or plain WKB blob?)');
  }
  const flags = blob[3];
  if (flags & 0x20) throw new WkbError('an extended (non-standard) GeoPackage geometry type, which is not supported');
  const envelope = ENVELOPE_BYTES[(flags >> 1) & 7];
  if (envelope === undefined) throw new WkbError(`invalid envelope code ${(flags >> 1) & 7} in the GeoPackage geometry header`);
  const srsId = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getInt32(4, (flags & 1) === 1);
  const { geometry } = decodeWkbAt(blob, 8 + envelope);
  const empty = (flags & 0x10) !== 0 || isEmptyGeometry(geometry);
  return { geometry: empty ? undefined : geometry, empty, srsId };
}

/** One geometry type for the column: the common one, Multi* when single and multi parts mix, else GEOMETRY. */
function columnType(features: ExportFeature[], hint: ExportData['geometry']): { name: string; promote: boolean } {
  const types = new Set(features.map((f) => f.geometry?.type).filter((t): t is Geometry['type'] => t !== undefined));
  if (types.size === 0) return { name: hint?.toUpperCase() ?? 'GEOMETRY', promote: false };
  if (types.size === 1) return { name: [...types][0].toUpperCase(), promote: false };
  const kinds = ['Point', 'LineString', 'Polygon'] as const;
  const kind = kinds.find((k) => [...types].every((t) => t === k || t === `Multi${k}`));
  return kind ? { name: `MULTI${kind.toUpperCase()}`, promote: true } : { name: 'GEOMETRY', promote: false };
}

function promoted(g: Geometry): Geometry {
  if (g.type === 'Point') return { type: 'MultiPoint', coordinates: [g.coordinates] };
  if (g.type === 'LineString') return { type: 'MultiLineString', coordinates: [g.coordinates] };
  if (g.type === 'Polygon') return { type: 'MultiPolygon', coordinates: [g.coordinates] };
  return g;
}

/** The feature table's name: the export's name when it is a plain identifier. */
export const gpkgTable = (data: ExportData): string => (/^[A-Za-z_]\w*$/.test(data.name) ? data.name : 'features');
/** The geometry column of the feature table. */
export const GPKG_GEOMETRY = 'geom';

export async function writeGpkg(data: ExportData): Promise<Uint8Array> {
  const SQL = await openSqlite();
  const db = new SQL.Database();
  try {
    const table = gpkgTable(data);
    const srsId = data.crs === 'gcj02' ? GCJ02_SRS_ID : 4326;
    db.run(`PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = ${USER_VERSION};`);
    db.run(SCHEMA);
    for (const row of data.crs === 'gcj02' ? [...SRS_ROWS, GCJ02_ROW] : SRS_ROWS) {
      db.run('INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, definition, description) VALUES (?, ?, ?, ?, ?, ?)', row);
    }
    // Our columns may not reuse the primary key's or geometry's names.
    const columns = data.columns.map((c) => ({ ...c, sqlName: ['fid', 'geom'].includes(c.name.toLowerCase()) ? `${c.name}_` : c.name }));
    const kind = columnType(data.features, data.geometry);
    const decl = columns.map((c) => `${quote(c.sqlName)} ${c.type === 'text' ? 'TEXT' : c.type === 'integer' ? 'INTEGER' : 'REAL'}`);
    db.run(`CREATE TABLE ${quote(table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom ${kind.name}${decl.map((d) => `, ${d}`).join('')})`);
    const box = extent(data.features);
    db.run(
      `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id)
       VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, ?)`,
      [table, data.title, `${data.title} — ${CRS_NOTE[data.crs]}`, new Date().toISOString(), ...(box ?? [null, null, null, null]), srsId],
    );
    db.run('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)', [table, 'geom', kind.name, srsId]);
    const insert = db.prepare(
      `INSERT INTO ${quote(table)} (geom${columns.map((c) => `, ${quote(c.sqlName)}`).join('')}) VALUES (?${', ?'.repeat(columns.length)})`,
    );
    db.run('BEGIN');
    for (const f of data.features) {
      const row = rowOf(f);
      const g = f.geometry && (kind.promote ? promoted(f.geometry) : f.geometry);
      insert.run([g ? encodeGpkgGeometry(g, srsId) : null, ...columns.map((c) => c.value(row))]);
    }
    db.run('COMMIT');
    insert.free();
    return db.export();
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------- reading

const ID_COLUMNS = ['id', '编号', '编码'];

function all(db: Database, sql: string, params: SqlValue[] = []): Record<string, SqlValue>[] {
  const stmt = db.prepare(sql, params);
  const rows: Record<string, SqlValue>[] = [];
  while (stmt.step()) rows.push(stmt.getAsObject());
  stmt.free();
  return rows;
}

/** The CRS a srs row names: ours for GCJ-02, EPSG codes core/geo/crs.ts knows, none for the undefined rows. */
function crsOfSrs(srs: Record<string, SqlValue> | undefined, srsId: number, label: string, where: { file: string; table: string }): { crs?: Crs; crsFrom: string } {
  if (!srs) throw new ReadError(`${label}: srs_id ${srsId} is not in gpkg_spatial_ref_sys; the file is damaged. Re-export it (e.g. ogr2ogr -f GPKG out.gpkg in.gpkg).`, note('read_gpkg_srs_missing', { ...where, srsId: String(srsId) }));
  const org = String(srs.organization ?? '').toUpperCase();
  const name = String(srs.srs_name ?? '');
  if (srsId === 0 || srsId === -1) return { crsFrom: `GeoPackage srs_id ${srsId} (${name}): the file does not say` };
  if (/GCJ.?02/i.test(name)) return { crs: parseCrs('gcj02')!, crsFrom: `GeoPackage srs "${name}"` };
  const code = Number(srs.organization_coordsys_id);
  const crs = org === 'EPSG' ? parseCrs(`EPSG:${code}`) : undefined;
  if (!crs) {
    throw new ReadError(
      `${label} is in ${org}:${code} "${name}", which this app cannot convert. Reproject it to CGCS2000 first, e.g. ogr2ogr -t_srs EPSG:4490 out.gpkg in.gpkg (or a Gauss–Krüger zone EPSG:4491–4554).`,
      note('read_gpkg_crs_unsupported', { ...where, crs: `${org}:${code}`, name }),
    );
  }
  return { crs, crsFrom: `GeoPackage srs_id ${srsId} (${org}:${code} ${name})` };
}

/**
 * The GeoPackage's feature table as source records: the one there is, else an error listing them
 * (import them one at a time). Coordinates stay in the table's srs.
 */
export async function readGpkg(bytes: Uint8Array, filename: string): Promise<Source & { crs?: Crs; crsFrom: string }> {
  const SQL = await openSqlite();
  let db: Database;
  try {
    db = new SQL.Database(bytes);
    db.exec('SELECT count(*) FROM sqlite_master');
  } catch (err) {
    throw new ReadError(`${filename} is not a GeoPackage (not an SQLite database: ${(err as Error).message}).`, note('read_gpkg_not_sqlite', { file: filename }));
  }
  try {
    const hasContents = all(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_contents'").length > 0;
    if (!hasContents) throw new ReadError(`${filename} is an SQLite database but not a GeoPackage: it has no gpkg_contents table.`, note('read_gpkg_no_contents', { file: filename }));
    const tables = all(db, "SELECT table_name, srs_id FROM gpkg_contents WHERE lower(data_type) = 'features' ORDER BY table_name");
    if (tables.length === 0) throw new ReadError(`${filename} has no feature tables (only tiles or attributes): nothing to import.`, note('read_gpkg_no_features', { file: filename }));
    if (tables.length > 1) {
      const list = tables.map((t) => `"${t.table_name}" (${all(db, `SELECT count(*) AS n FROM ${quote(String(t.table_name))}`)[0].n} features)`).join(', ');
      throw new ReadError(
        `${filename} holds ${tables.length} feature tables: ${list}. Import one table at a time: save it alone with e.g. ogr2ogr -f GPKG one.gpkg ${filename} ${String(tables[0].table_name)}.`,
        note('read_gpkg_many_tables', { file: filename, count: tables.length, tables: tables.map((t) => String(t.table_name)).join('、') }),
      );
    }
    const table = String(tables[0].table_name);
    const label = `${filename} table "${table}"`;
    const where = { file: filename, table };
    const geomCol = all(db, 'SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?', [table])[0];
    if (!geomCol) throw new ReadError(`${label} has no row in gpkg_geometry_columns, so its geometry column is unknown; the file is damaged.`, note('read_gpkg_no_geometry_column', where));
    const srsId = Number(geomCol.srs_id);
    const { crs, crsFrom } = crsOfSrs(all(db, 'SELECT * FROM gpkg_spatial_ref_sys WHERE srs_id = ?', [srsId])[0], srsId, label, where);
    const info = all(db, `PRAGMA table_info(${quote(table)})`);
    const geomName = String(geomCol.column_name);
    const pk = info.find((c) => Number(c.pk) === 1)?.name;
    const columns = info.map((c) => String(c.name)).filter((n) => n !== geomName && n !== pk);
    const idColumn = columns.find((c) => ID_COLUMNS.includes(c.toLowerCase()));
    const stmt = db.prepare(`SELECT ${pk ? `${quote(String(pk))} AS __fid, ` : ''}* FROM ${quote(table)}`);
    const records: SourceRecord[] = [];
    while (stmt.step()) {
      const r = stmt.getAsObject();
      const values: Record<string, unknown> = {};
      for (const c of columns) if (c !== idColumn && !(r[c] instanceof Uint8Array)) values[c] = r[c];
      const rec: SourceRecord = {
        row: pk ? Number(r.__fid) : records.length + 1,
        id: idColumn && r[idColumn] !== null && r[idColumn] !== '' ? String(r[idColumn]) : undefined,
        values,
      };
      const blob = r[geomName];
      if (!(blob instanceof Uint8Array)) [rec.geometryError, rec.geometryNote] = ['the geometry is NULL', note('geometry_null')];
      else {
        try {
          const g = decodeGpkgGeometry(blob);
          if (g.empty) [rec.geometryError, rec.geometryNote] = ['the geometry is empty', note('geometry_empty')];
          else if (g.geometry!.type === 'GeometryCollection') [rec.geometryError, rec.geometryNote] = ['a GeometryCollection, which is not supported', note('geometry_collection')];
          else rec.geometry = g.geometry;
        } catch (err) {
          rec.geometryError = `unreadable geometry: ${(err as Error).message}`;
          rec.geometryNote = note('geometry_unreadable_blob');
        }
      }
      records.push(rec);
    }
    stmt.free();
    if (records.length === 0) throw new ReadError(`${label} has no rows: nothing to import.`, note('read_gpkg_no_rows', where));
    return {
      format: 'gpkg',
      columns: columns.filter((c) => c !== idColumn),
      records,
      geometryFrom: `GeoPackage column "${geomName}" of table "${table}"`,
      geometryNote: note('import_geometry_gpkg', { column: geomName, table }),
      crs,
      crsFrom,
    };
  } finally {
    db.close();
  }
}
