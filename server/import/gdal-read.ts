/**
 * Files read through GDAL (server/formats/gdal.ts) fed into the same pipeline as our own readers:
 * GDAL writes the chosen layer as GeoJSON in the file's own coordinates and we take it from there
 * with the GeoJSON and CSV record code (read.ts), so the CRS rules (the file's declaration through
 * core/geo/prj.ts, else detection from the numbers), the column mapping, the checks, the report
 * and the one transaction are the ones every format gets.
 *
 * - Spreadsheets (.xlsx, .ods): the first sheet, every cell as text, the header found by
 *   server/formats/sheet.ts (title rows, merged two-row headers), then exactly the CSV rules:
 *   lon/lat, x/y or 经度/纬度 columns, or a WKT column.
 * - MapInfo (.tab with .dat/.map/.id, or .mif with .mid, zipped together), File Geodatabase (the
 *   .gdb folder zipped), DXF, FlatGeobuf, OpenStreetMap (.osm.pbf, .osm): the layer that holds the
 *   target layer's kind of geometry. A zip may also hold one such file; a zip with a .shp still
 *   goes to our shapefile reader.
 * - OpenStreetMap: for a line layer the `lines` of GDAL's OSM driver, highways only, with the tags
 *   a road network needs as columns — name, highway, oneway, maxspeed, layer, bridge, tunnel, and
 *   `class` (highway without `_link`), `speed_kmh` (a numeric maxspeed) for the catalogue fields;
 *   the id is the way's, `way/<osm id>`.
 * - DXF: the text drawn at a point (a TEXT/MTEXT entity) is its `name`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Geometry } from 'geojson';
import type { GeometryKind } from '../../core/catalogue/index.js';
import { note, type Note } from '../../core/note.js';
import { ID_COLUMNS } from '../../core/import-report.js';
import { crsFromPrj } from '../../core/geo/prj.js';
import { GdalError, gdalFeatureBatch, gdalInfo, gdalOpenFeatures, gdalRelease, type GdalFeatures, type GdalLayer } from '../formats/gdal.js';
import { sheetHeader, type SheetRow } from '../formats/sheet.js';
import { ReadError, type Format, type SourceRecord } from '../formats/source.js';
import { isEncryptedOoxml } from '../formats/xls.js';
import { unzipEntries } from '../formats/zip.js';
import { csvLayout, csvRecord, geojsonCrs, geojsonRecord, hasValues, type FileSource } from './read.js';

/** Rows of a sheet taken from the worker per message. */
const SHEET_BATCH = 5000;

/** What the GDAL reader is told besides the bytes: the kind of geometry the target layer holds. */
export interface ReadHint {
  geometry?: GeometryKind;
}

/** File extensions GDAL reads for us, by the format they are. */
export const GDAL_EXTENSIONS: Record<string, Format> = {
  xlsx: 'xlsx',
  ods: 'ods',
  tab: 'mapinfo',
  mif: 'mapinfo',
  dxf: 'dxf',
  fgb: 'flatgeobuf',
  pbf: 'osm',
  osm: 'osm',
  gdb: 'filegdb',
};

const SPREADSHEET = new Set<Format>(['xlsx', 'ods']);
const KINDS: Record<GeometryKind, string[]> = {
  Point: ['Point', 'MultiPoint'],
  LineString: ['LineString', 'MultiLineString'],
  Polygon: ['Polygon', 'MultiPolygon'],
};
const OSM_LAYER: Record<GeometryKind, string> = { Point: 'points', LineString: 'lines', Polygon: 'multipolygons' };

const ext = (name: string): string => name.slice(name.lastIndexOf('.') + 1).toLowerCase();

/** A format as a refusal names it (a proper name, the same in both languages). */
const FORMAT_NAMES: Partial<Record<Format, string>> = {
  xlsx: 'Excel (.xlsx)',
  ods: 'OpenDocument (.ods)',
  mapinfo: 'MapInfo',
  filegdb: 'File Geodatabase',
  dxf: 'DXF',
  flatgeobuf: 'FlatGeobuf',
  osm: 'OpenStreetMap',
};

/** The files a MapInfo table needs beside its .tab (or .mif), by the extension that names it. */
const MAPINFO_PARTS: Record<string, string[]> = { tab: ['dat', 'map', 'id'], mif: ['mid'] };

/** What is to be opened inside the temporary folder, and as which format. */
interface Target {
  file: string;
  format: Format;
  label: string;
}

/** Unpacks a zip (our checks: traversal, encryption, bombs) and finds the one dataset in it. */
function unpackZip(bytes: Uint8Array, filename: string, dir: string): Target {
  const files = unzipEntries(bytes, filename);
  const names = [...files.keys()].filter((n) => !n.startsWith('__MACOSX/') && !/(^|\/)\._/.test(n));
  for (const n of names) {
    const to = path.join(dir, n);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, files.get(n)!);
  }
  const gdbs = [...new Set(names.map((n) => /^(.*?\.gdb)\//i.exec(n)?.[1]).filter((g): g is string => g !== undefined))];
  if (gdbs.length > 1) {
    throw new ReadError(`${filename} holds ${gdbs.length} File Geodatabases (${gdbs.join(', ')}): zip one .gdb folder per file.`, note('read_zip_gdb_many', { file: filename, count: gdbs.length, names: gdbs.join('、') }));
  }
  if (gdbs.length === 1) return { file: path.join(dir, gdbs[0]), format: 'filegdb', label: gdbs[0] };
  const candidates = names.filter((n) => GDAL_EXTENSIONS[ext(n)] && ext(n) !== 'gdb');
  // A MapInfo table is the .tab (or .mif); its .dat/.map/.id (or .mid) sit beside it.
  if (candidates.length === 0) {
    throw new ReadError(
      `${filename} holds no file this app reads (it has: ${names.slice(0, 10).join(', ') || 'nothing'}). A zip may hold a shapefile (.shp, .shx, .dbf, .prj), a File Geodatabase (.gdb folder), a MapInfo table (.tab with .dat, .map, .id; or .mif with .mid), or one .xlsx, .ods, .dxf, .fgb or .osm.pbf file.`,
      note('read_zip_nothing_known', { file: filename, seen: names.slice(0, 10).join('、') || '—' }),
    );
  }
  if (candidates.length > 1) {
    throw new ReadError(`${filename} holds ${candidates.length} datasets (${candidates.join(', ')}): import them one at a time, one per zip.`, note('read_zip_datasets_many', { file: filename, count: candidates.length, names: candidates.join('、') }));
  }
  const [found] = candidates;
  const stem = found.slice(0, found.lastIndexOf('.') + 1).toLowerCase();
  const missing = (MAPINFO_PARTS[ext(found)] ?? []).filter((e) => !names.some((n) => n.toLowerCase() === stem + e)).map((e) => `.${e}`);
  if (missing.length) {
    throw new ReadError(
      `${filename}: the MapInfo table ${found} lacks its ${missing.join(', ')} (the data beside it): zip all of the table's files together.`,
      note('read_mapinfo_incomplete', { file: filename, table: found, missing: missing.join('、') }),
    );
  }
  return { file: path.join(dir, found), format: GDAL_EXTENSIONS[ext(found)], label: found };
}

/** The layer to import: the one holding the target's kind of geometry. */
function chooseLayer(layers: GdalLayer[], format: Format, label: string, hint: ReadHint): GdalLayer {
  if (layers.length === 0) throw new ReadError(`${label} has no layers: nothing to import.`, note('read_gdal_no_layers', { file: label }));
  if (SPREADSHEET.has(format)) return layers[0];
  if (format === 'osm') {
    const wanted = OSM_LAYER[hint.geometry ?? 'Point'];
    return layers.find((l) => l.name === wanted) ?? layers[0];
  }
  if (layers.length === 1) return layers[0];
  const kinds = hint.geometry ? KINDS[hint.geometry] : [];
  const matching = layers.filter((l) => kinds.includes(l.geometryType));
  if (matching.length === 1) return matching[0];
  const list = layers.map((l) => `"${l.name}" (${l.geometryType}, ${l.featureCount} features)`).join(', ');
  throw new ReadError(
    `${label} holds ${layers.length} layers: ${list}${matching.length > 1 ? `, ${matching.length} of them with ${hint.geometry} geometry` : ''}. Import one layer at a time: save it alone with e.g. ogr2ogr -f GPKG one.gpkg ${label} "${layers[0].name}".`,
    note('read_gdal_many_layers', { file: label, count: layers.length, layers: layers.map((l) => l.name).join('、'), first: layers[0].name }),
  );
}

/** GDAL's "key"=>"value" list of the tags that have no column of their own. */
export function parseOtherTags(s: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof s !== 'string') return out;
  for (const m of s.matchAll(/"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"/g)) out[m[1].replace(/\\(.)/g, '$1')] = m[2].replace(/\\(.)/g, '$1');
  return out;
}

/** OSM highway values that are not roads one travels on (yet, or any more). */
const NOT_ROADS = new Set(['proposed', 'construction', 'abandoned', 'disused', 'platform', 'bus_stop', 'raceway', 'razed', 'elevator', 'corridor', 'rest_area', 'services']);
/** OSM highway values the catalogue's classes do not have, to the class they travel as. */
const HIGHWAY_CLASS: Record<string, string> = {
  living_street: 'residential',
  road: 'unclassified',
  busway: 'service',
  footway: 'path',
  pedestrian: 'path',
  cycleway: 'path',
  bridleway: 'path',
  steps: 'path',
};

/**
 * An OSM way's properties as the road network reads them. `oneway` follows the OSM wiki's Key:oneway:
 * yes/true/1 = along the drawn direction, -1/reverse = against it; roundabouts and motorways are
 * one-way unless tagged otherwise. `maxspeed` in km/h (a bare number) or mph.
 */
export function osmRoad(p: Record<string, unknown>): Record<string, unknown> | undefined {
  const tags = { ...parseOtherTags(p.other_tags) };
  const highway = typeof p.highway === 'string' ? p.highway : undefined;
  if (!highway || NOT_ROADS.has(highway) || tags.area === 'yes') return undefined;
  const raw = (tags.oneway ?? '').toLowerCase();
  const implied = tags.junction === 'roundabout' || tags.junction === 'circular' || highway === 'motorway';
  const oneway = ['yes', 'true', '1'].includes(raw) ? 'yes' : ['-1', 'reverse'].includes(raw) ? '-1' : raw === 'no' || raw === '' ? (raw === '' && implied ? 'yes' : 'no') : 'no';
  const mph = /^(\d+(?:\.\d+)?)\s*mph$/.exec(tags.maxspeed ?? '');
  const kmh = /^(\d+(?:\.\d+)?)(\s*km\/h)?$/.exec(tags.maxspeed ?? '');
  const speed = mph ? Number(mph[1]) * 1.609344 : kmh ? Number(kmh[1]) : undefined;
  return {
    ...(p.name != null && { name: p.name }),
    class: HIGHWAY_CLASS[highway] ?? highway.replace(/_link$/, ''),
    ...(speed !== undefined && { speed_kmh: Math.round(speed) }),
    oneway,
    highway,
    ...(tags.maxspeed !== undefined && { maxspeed: tags.maxspeed }),
    ...(tags.layer !== undefined && { layer: tags.layer }),
    ...(tags.bridge !== undefined && { bridge: tags.bridge }),
    ...(tags.tunnel !== undefined && { tunnel: tags.tunnel }),
    ...(p.osm_id != null && { id: `way/${p.osm_id}` }),
  };
}

/** A feature as GDAL's GeoJSON driver writes it. */
interface GdalFeature {
  properties?: Record<string, unknown> | null;
  geometry?: Geometry | null;
}

function spreadsheetSource(features: GdalFeature[], layer: GdalLayer, format: Format, label: string): FileSource {
  const rows: SheetRow[] = features.map((f, i) => {
    const cells: string[] = [];
    for (const [k, v] of Object.entries(f.properties ?? {})) {
      const j = Number(/^Field(\d+)$/.exec(k)?.[1]) - 1;
      if (j >= 0) cells[j] = v === null || v === undefined ? '' : String(v).trim();
    }
    return { row: i + 1, cells: Array.from(cells, (c) => c ?? '') };
  });
  return sheetSource(rows, layer.name, format, label);
}

/** A sheet's rows as an import source: its header found (title rows, merged two-row headers), then the CSV rules. */
export function sheetSource(rows: SheetRow[], sheet: string, format: Format, label: string): FileSource {
  const header = sheetHeader(rows);
  if (!header) throw new ReadError(`Sheet "${sheet}" of ${label} has no header row: put the column names (名称, 经度, 纬度 …) in one row above the data.`, note('read_sheet_no_header', { file: label, sheet }));
  const layout = csvLayout(header.columns);
  const records = rows.slice(header.dataStart).filter((r) => hasValues(r.cells)).map((r) => csvRecord(layout, r.cells, r.row));
  if (records.length === 0) {
    throw new ReadError(`Sheet "${sheet}" of ${label} has a header (row ${header.headerRows.join('–')}) but no data rows.`, note('read_sheet_no_rows', { file: label, sheet, rows: header.headerRows.join('–') }));
  }
  const rowsText = header.headerRows.length > 1 ? `rows ${header.headerRows[0]}–${header.headerRows.at(-1)}` : `row ${header.headerRows[0]}`;
  const where = { sheet, rows: header.headerRows.length > 1 ? `${header.headerRows[0]}–${header.headerRows.at(-1)}` : String(header.headerRows[0]) };
  const geometryNote =
    layout.wkt >= 0 ? note('import_geometry_sheet_wkt', { ...where, column: layout.columns[layout.wkt] }) : note('import_geometry_sheet_columns', { ...where, ...layout.geometryNote.params });
  return { format, columns: layout.columns, records, geometryFrom: `sheet "${sheet}", header ${rowsText}; ${layout.geometryFrom}`, geometryNote };
}

/**
 * A source whose records arrive in batches: GDAL's features taken from its worker `size` at a time
 * and turned into records here, so no step holds or parses the whole layer on the main thread.
 */
export type StreamedSource = Omit<FileSource, 'records'> & {
  /** The batches; `into.columns` grows as columns appear, `into.geometryFrom` is final after the last. */
  batches(size: number, into: { columns: string[]; geometryFrom: string; geometryNote?: Note }): AsyncGenerator<SourceRecord[]>;
  /** Frees what the worker holds; called once the import is done with the source, read or not. */
  close(): Promise<void>;
};

/** Every feature of an opened layer, taken a batch at a time. */
async function* featureBatches(opened: GdalFeatures, size: number): AsyncGenerator<GdalFeature[]> {
  for (let start = 0; start < opened.count; start += size) yield (await gdalFeatureBatch(opened.handle, start, size)) as GdalFeature[];
}

function featureSource(opened: GdalFeatures, layer: GdalLayer, format: Format, label: string, hint: ReadHint): StreamedSource {
  const kinds = hint.geometry ? KINDS[hint.geometry] : undefined;
  let crs: FileSource['crs'];
  let crsFrom: string | undefined;
  if (layer.wkt) {
    try {
      crs = crsFromPrj(layer.wkt);
      crsFrom = `file (${format === 'mapinfo' ? 'MapInfo CoordSys' : format === 'filegdb' ? 'geodatabase spatial reference' : 'layer CRS'}, read by GDAL)`;
    } catch (err) {
      throw new ReadError(`${label}: ${(err as Error).message}`, note('read_gdal_crs', { file: label }));
    }
  } else if (opened.crs) {
    crs = geojsonCrs(opened.crs);
    crsFrom = crs && 'file (layer CRS, read by GDAL)';
  }
  const described = (skipped: number): string => {
    const skippedText = skipped ? `; ${skipped} ${format === 'osm' ? 'OSM features that are not roads' : 'features of other kinds'} left out` : '';
    return `${label} layer "${layer.name}" (${layer.geometryType}, read by GDAL)${skippedText}`;
  };
  const said = (skipped: number): Note => {
    const where = { file: label, layer: layer.name, type: layer.geometryType };
    if (!skipped) return note('import_geometry_gdal', where);
    return note(format === 'osm' ? 'import_geometry_gdal_not_roads' : 'import_geometry_gdal_other_kinds', { ...where, skipped });
  };
  return {
    format,
    columns: [],
    geometryFrom: described(0),
    geometryNote: said(0),
    ...(crs && { crs, crsFrom }),
    async *batches(size, into) {
      const columns = new Set<string>();
      let skipped = 0;
      let row = 0;
      let read = 0;
      for await (const features of featureBatches(opened, size)) {
        const records: SourceRecord[] = [];
        for (const f of features) {
          row++;
          let props: Record<string, unknown> | undefined = f.properties ?? {};
          if (format === 'osm' && layer.name === 'lines') props = osmRoad(props!);
          // A drawing has no attribute table: the text drawn at a point is what it is called.
          if (format === 'dxf' && props && typeof props.Text === 'string') {
            const { Text, ...rest } = props;
            props = { name: Text, ...rest };
          }
          // A drawing or an OSM extract mixes kinds; only the target's kind is read from them.
          const other = f.geometry && kinds && !kinds.includes(f.geometry.type) && (format === 'dxf' || format === 'osm');
          if (!props || other) {
            skipped++;
            continue;
          }
          const idColumn = Object.keys(props).find((k) => ID_COLUMNS.includes(k.toLowerCase()));
          const values = { ...props };
          if (idColumn && idColumn !== 'id') {
            values.id = values[idColumn];
            delete values[idColumn];
          }
          const rec = geojsonRecord({ type: 'Feature', properties: values, geometry: f.geometry as Geometry | null }, row);
          if (rec.id === 'null' || rec.id === '') rec.id = undefined;
          for (const k of Object.keys(rec.values)) {
            if (!columns.has(k)) {
              columns.add(k);
              into.columns = [...columns];
            }
          }
          records.push(rec);
        }
        read += records.length;
        into.geometryFrom = described(skipped);
        into.geometryNote = said(skipped);
        if (records.length) yield records;
      }
      if (read === 0) {
        const roads = format === 'osm' && hint.geometry === 'LineString';
        throw new ReadError(
          format === 'osm'
            ? `${label} has no ${roads ? 'roads (ways tagged highway=*)' : `features of the kind this layer holds (${hint.geometry})`}.`
            : `${label} layer "${layer.name}" has no ${hint.geometry ?? ''} features to import.`,
          roads ? note('read_osm_no_roads', { file: label }) : note('read_gdal_layer_empty', { file: label, layer: layer.name }),
        );
      }
    },
    close: async () => {
      await gdalRelease(opened.handle);
    },
  };
}

/** Reads a file through GDAL (in its worker thread) into source records. */
export async function readWithGdal(bytes: Uint8Array, filename: string, hint: ReadHint = {}): Promise<FileSource | StreamedSource> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'onemap-gdal-'));
  try {
    let target: Target;
    if (ext(filename) === 'zip') target = unpackZip(bytes, filename, dir);
    else {
      const format = GDAL_EXTENSIONS[ext(filename)];
      if (ext(filename) === 'tab') {
        throw new ReadError(
          `${filename} is the index of a MapInfo table, whose data are in the .dat, .map and .id files beside it: zip the .tab with them and import the zip.`,
          note('read_tab_alone', { file: filename }),
        );
      }
      if (SPREADSHEET.has(format) && isEncryptedOoxml(bytes)) {
        throw new ReadError(`${filename} is password-protected: open it in Excel or WPS, remove the password (save without encryption) and import that.`, note('read_sheet_encrypted', { file: filename }));
      }
      // The upload's own name may not be a safe file name; only its extension matters to GDAL.
      const file = path.join(dir, `upload.${/\.osm\.pbf$/i.test(filename) ? 'osm.pbf' : ext(filename)}`);
      await fs.promises.writeFile(file, bytes);
      target = { file, format, label: filename };
    }
    const label = target.label === filename ? filename : `${filename}: ${target.label}`;
    const spreadsheet = SPREADSHEET.has(target.format);
    const openOptions = spreadsheet ? ['HEADERS=DISABLE', 'FIELD_TYPES=STRING'] : [];
    let layers: GdalLayer[];
    try {
      layers = await gdalInfo(target.file, openOptions);
    } catch (err) {
      if (err instanceof GdalError) {
        throw new ReadError(`${label} cannot be read as ${target.format}: ${err.message}`, note('read_gdal_unreadable', { file: label, format: FORMAT_NAMES[target.format] ?? target.format }));
      }
      throw err;
    }
    const layer = chooseLayer(layers, target.format, label, hint);
    const opened = await gdalOpenFeatures(target.file, ['-f', 'GeoJSON', '-dim', 'XY', layer.name], openOptions);
    if (!spreadsheet) {
      try {
        return featureSource(opened, layer, target.format, label, hint);
      } catch (err) {
        await gdalRelease(opened.handle);
        throw err;
      }
    }
    // A sheet's header is found among its first rows (title rows, merged headers): read it whole.
    try {
      const features: GdalFeature[] = [];
      for await (const batch of featureBatches(opened, SHEET_BATCH)) features.push(...batch);
      return spreadsheetSource(features, layer, target.format, label);
    } finally {
      await gdalRelease(opened.handle);
    }
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
