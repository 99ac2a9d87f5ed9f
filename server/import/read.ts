/**
 * Reads an uploaded file into source records: GeoJSON features, or CSV rows with lon/lat (or x/y,
 * 经度/纬度) columns or a WKT column; binary formats through their readers in server/formats (C1).
 * Coordinates stay in the source CRS here. The pieces are also what the streaming reader
 * (stream.ts) uses, a batch at a time.
 */
import type { Geometry, Position } from 'geojson';
import { parseCrs, type Crs } from '../../core/geo/crs.js';
import { ID_COLUMNS } from '../../core/import-report.js';
import { note, type Note } from '../../core/note.js';
import { ReadError, type Source, type SourceRecord } from '../formats/source.js';


const LON = ['lon', 'lng', 'long', 'longitude', 'x', '经度', '东经', 'x坐标', '东坐标'];
const LAT = ['lat', 'latitude', 'y', '纬度', '北纬', 'y坐标', '北坐标'];
const WKT = ['wkt', 'geometry', 'geom', 'the_geom', 'shape', '几何'];

/** Header as compared: lower case, no spaces, no bracketed unit ("经度(°)" → "经度"). */
export const headerKey = (h: string): string =>
  h.trim().toLowerCase().replace(/[（(【[].*?[）)】\]]/g, '').replace(/\s+/g, '');

/** Bracketed unit of a header, e.g. "面积（亩）" → "亩". */
export const headerUnit = (h: string): string | undefined => /[（(【[]\s*(.+?)\s*[）)】\]]/.exec(h)?.[1];

/**
 * RFC 4180 CSV read incrementally (quoted fields, doubled quotes, newlines in quotes, a CRLF split
 * across chunks): push text as it arrives, take the complete rows. The delimiter is , or tab or ;,
 * whichever the first line has most of.
 */
export class CsvParser {
  private delim: string | undefined;
  private head = '';
  private row: string[] = [];
  private field = '';
  private quoted = false;
  /** The field was quoted and its closing quote seen; a following quote is a doubled quote. */
  private quoteClosed = false;
  private lastCr = false;

  push(text: string): string[][] {
    if (this.delim === undefined) {
      this.head += text;
      const nl = this.head.search(/[\r\n]/);
      if (nl < 0) return [];
      const first = this.head.slice(0, nl);
      this.delim = [',', '\t', ';'].reduce((best, d) => (first.split(d).length > first.split(best).length ? d : best), ',');
      text = this.head;
      this.head = '';
    }
    return this.scan(text);
  }

  end(): string[][] {
    const rows = this.delim === undefined ? ((this.delim = ','), this.scan(this.head)) : [];
    if (this.field !== '' || this.row.length || this.quoted || this.quoteClosed) {
      this.row.push(this.field);
      rows.push(this.row);
    }
    this.row = [];
    this.field = '';
    return rows;
  }

  private scan(text: string): string[][] {
    const rows: string[][] = [];
    const delim = this.delim!;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (this.lastCr) {
        this.lastCr = false;
        if (c === '\n') {
          start = i + 1;
          continue;
        }
      }
      if (this.quoted) {
        if (c === '"') {
          this.field += text.slice(start, i);
          this.quoted = false;
          this.quoteClosed = true;
          start = i + 1;
        }
        continue;
      }
      if (c === '"') {
        if (this.quoteClosed) {
          this.field += '"';
          this.quoted = true;
          this.quoteClosed = false;
          start = i + 1;
        } else if (this.field === '' && start === i) {
          this.quoted = true;
          start = i + 1;
        }
        continue;
      }
      this.quoteClosed = false;
      if (c === delim) {
        this.row.push(this.field + text.slice(start, i));
        this.field = '';
        start = i + 1;
      } else if (c === '\n' || c === '\r') {
        this.row.push(this.field + text.slice(start, i));
        rows.push(this.row);
        this.row = [];
        this.field = '';
        this.lastCr = c === '\r';
        start = i + 1;
      }
    }
    this.field += text.slice(start);
    return rows;
  }
}

export function parseCsv(text: string): string[][] {
  const p = new CsvParser();
  return [...p.push(text), ...p.end()];
}

const num = (s: string): number => (s.trim() === '' ? NaN : Number(s.trim()));

/** WKT POINT, LINESTRING, POLYGON and their MULTI forms (2-D; Z/M values are dropped). */
export function parseWkt(wkt: string): Geometry {
  const m = /^\s*(point|linestring|polygon|multipoint|multilinestring|multipolygon)\s*(?:z|m|zm)?\s*(\(.*\))\s*$/is.exec(wkt);
  if (!m) throw new ReadError(`not WKT: "${wkt.slice(0, 40)}"; expected e.g. POINT (106.55 29.58)`);
  const body = m[2];
  // Turn "(1 2, 3 4)" into nested arrays by rewriting to JSON.
  let json: unknown;
  try {
    json = JSON.parse(
      body
        .replace(/\(/g, '[')
        .replace(/\)/g, ']')
        .replace(/([-+\d.eE]+)\s+([-+\d.eE]+)(?:\s+[-+\d.eE]+)*/g, '[$1,$2]'),
    );
  } catch {
    throw new ReadError(`cannot read the coordinates of "${wkt.slice(0, 40)}"`);
  }
  const type = ({ point: 'Point', linestring: 'LineString', polygon: 'Polygon', multipoint: 'MultiPoint', multilinestring: 'MultiLineString', multipolygon: 'MultiPolygon' } as const)[
    m[1].toLowerCase() as 'point'
  ];
  const c = json as Position[][];
  return (type === 'Point' ? { type, coordinates: c[0] } : { type, coordinates: c }) as Geometry;
}

/** Where a CSV's columns are: found from its header. */
export interface CsvLayout {
  columns: string[];
  lon: number;
  lat: number;
  wkt: number;
  id: number;
  geometryFrom: string;
  geometryNote: Note;
}

export function csvLayout(header: string[]): CsvLayout {
  const columns = header.map((h) => h.trim());
  const keys = columns.map(headerKey);
  const find = (names: readonly string[]): number => keys.findIndex((k) => names.includes(k));
  const lon = find(LON);
  const lat = find(LAT);
  const wkt = find(WKT);
  const id = find(ID_COLUMNS);
  if (wkt < 0 && (lon < 0 || lat < 0)) {
    throw new ReadError(
      `No coordinate columns in header "${columns.join(',')}": name them lon/lat (or lng, longitude/latitude, x/y, 经度/纬度), or give a WKT column named wkt or geometry.`,
      note('read_no_coordinate_columns', { header: columns.join('、') }),
    );
  }
  const geometryFrom = wkt >= 0 ? `WKT column "${columns[wkt]}"` : `columns "${columns[lon]}" (x/longitude), "${columns[lat]}" (y/latitude)`;
  const geometryNote = wkt >= 0 ? note('import_geometry_wkt', { column: columns[wkt] }) : note('import_geometry_columns', { lon: columns[lon], lat: columns[lat] });
  return { columns, lon, lat, wkt, id, geometryFrom, geometryNote };
}

/** True for a row with some non-blank value; blank rows are skipped everywhere. */
export const hasValues = (r: string[]): boolean => r.some((v) => v.trim() !== '');

/** Lines a CSV row takes in an editor: a quoted field may span several. */
export const rowLines = (r: string[]): number => 1 + r.reduce((n, v) => n + (v.match(/\r\n|\r|\n/g)?.length ?? 0), 0);

/** One data row → a source record; `line` is where the row starts (header = 1). */
export function csvRecord(layout: CsvLayout, r: string[], line: number): SourceRecord {
  const { columns, lon, lat, wkt, id } = layout;
  const values: Record<string, unknown> = {};
  columns.forEach((c, j) => {
    if (j !== lon && j !== lat && j !== wkt && j !== id) values[c] = r[j] ?? '';
  });
  const rec: SourceRecord = { row: line, values, id: id >= 0 && r[id]?.trim() ? r[id].trim() : undefined };
  if (wkt >= 0 && (r[wkt] ?? '').trim() !== '') {
    try {
      rec.geometry = parseWkt(r[wkt]);
    } catch (err) {
      rec.geometryError = (err as Error).message;
      rec.geometryNote = note('import_wkt_unreadable', { column: columns[wkt], detail: rec.geometryError });
    }
  } else if (lon >= 0 && lat >= 0) {
    const x = num(r[lon] ?? '');
    const y = num(r[lat] ?? '');
    if (Number.isFinite(x) && Number.isFinite(y)) rec.geometry = { type: 'Point', coordinates: [x, y] };
    else {
      rec.geometryError = `coordinates "${r[lon] ?? ''}", "${r[lat] ?? ''}" in columns "${columns[lon]}", "${columns[lat]}" are not numbers`;
      rec.geometryNote = note('import_coordinates_not_numbers', { x: r[lon] ?? '', y: r[lat] ?? '', lon: columns[lon], lat: columns[lat] });
    }
  } else {
    rec.geometryError = `no geometry in column "${columns[wkt]}"`;
    rec.geometryNote = note('import_no_geometry_in_column', { column: columns[wkt] });
  }
  return rec;
}

export const EMPTY_CSV = 'The file is empty: expected a header row and at least one data row.';
export const HEADER_ONLY = 'The file has a header but no data rows.';

function readCsv(text: string): Source {
  const all = parseCsv(text);
  const header = all.find(hasValues);
  if (!header) throw new ReadError(EMPTY_CSV, note('read_csv_empty'));
  const layout = csvLayout(header);
  const records: SourceRecord[] = [];
  let line = 1;
  for (const r of all) {
    const thisLine = line;
    line += rowLines(r);
    if (r !== header && hasValues(r)) records.push(csvRecord(layout, r, thisLine));
  }
  if (records.length === 0) throw new ReadError(HEADER_ONLY, note('read_header_only'));
  return { format: 'csv', columns: layout.columns, records, geometryFrom: layout.geometryFrom, geometryNote: layout.geometryNote };
}

/** One GeoJSON feature (already parsed) → a source record; `row` counts features from 1. */
export function geojsonRecord(f: any, row: number): SourceRecord {
  const values: Record<string, unknown> = f?.properties && typeof f.properties === 'object' ? { ...f.properties } : {};
  const rawId = f?.id ?? values.id;
  delete values.id;
  const rec: SourceRecord = { row, values, id: rawId === undefined || rawId === null ? undefined : String(rawId) };
  if (f?.geometry && typeof f.geometry.type === 'string' && Array.isArray(f.geometry.coordinates)) rec.geometry = f.geometry;
  else {
    rec.geometryError = 'feature has no geometry (or a GeometryCollection, which is not supported)';
    rec.geometryNote = note('import_feature_without_geometry');
  }
  return rec;
}

/**
 * The CRS a GeoJSON document declares in the (2008-spec) `crs` member, e.g.
 * {"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4490"}} as QGIS and ogr2ogr write it.
 * RFC 7946 GeoJSON has no `crs` and is WGS84.
 */
export function geojsonCrs(crs: any): Crs | undefined {
  const name = crs?.properties?.name;
  if (typeof name !== 'string') return undefined;
  if (/crs84$/i.test(name)) return parseCrs('wgs84');
  const code = /epsg:{1,2}(\d+)$/i.exec(name)?.[1];
  const parsed = code ? parseCrs(`EPSG:${code}`) : undefined;
  if (!parsed) throw new ReadError(`The GeoJSON declares crs "${name}", which is not supported: use WGS84/CGCS2000 (EPSG:4326/4490) or a CGCS2000 Gauss–Krüger zone (EPSG:4491–4554).`, note('read_crs_unsupported', { crs: name }));
  return parsed;
}

function readGeojson(text: string): FileSource {
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ReadError(`Not valid JSON: ${(err as Error).message}.`, note('read_json_invalid'));
  }
  const features: any[] =
    doc?.type === 'FeatureCollection' && Array.isArray(doc.features) ? doc.features : doc?.type === 'Feature' ? [doc] : [];
  if (!features.length) throw new ReadError(NO_FEATURES, note('read_no_features'));
  const columns = new Set<string>();
  const records = features.map((f, i) => {
    const rec = geojsonRecord(f, i + 1);
    Object.keys(rec.values).forEach((k) => columns.add(k));
    return rec;
  });
  const crs = geojsonCrs(doc.crs);
  return { format: 'geojson', columns: [...columns], records, geometryFrom: 'GeoJSON geometry', ...(crs && { crs, crsFrom: 'GeoJSON "crs" member' }) };
}

export const NO_FEATURES = 'No features: expected a GeoJSON FeatureCollection with at least one Feature.';

/** A reader's answer: coordinates in the file's CRS, and that CRS when the file declares it (C1). */
export type FileSource = Source & { crs?: Crs; crsFrom?: string; encoding?: string };

/** The text reader by the file name or content type, falling back to the first character (binary formats: readers.ts). */
export function textFormat(filename: string | undefined, contentType: string | undefined, head: string): 'csv' | 'geojson' | undefined {
  const ext = extension(filename);
  if (ext === 'csv' || ext === 'txt' || contentType?.includes('csv')) return 'csv';
  if (ext === 'geojson' || ext === 'json' || contentType?.includes('json')) return 'geojson';
  if (ext) return undefined;
  return head.trimStart().startsWith('{') ? 'geojson' : 'csv';
}

export const extension = (filename: string | undefined): string | undefined => filename?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];

export function readSource(text: string, format: 'csv' | 'geojson'): FileSource {
  if (text.trim() === '') throw new ReadError('The file is empty.', note('read_empty'));
  return format === 'csv' ? readCsv(text) : readGeojson(text);
}
