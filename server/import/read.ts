/**
 * Reads an uploaded file into source records: GeoJSON features, or CSV rows with lon/lat (or x/y,
 * 经度/纬度) columns or a WKT column. Coordinates stay in the source CRS here.
 */
import type { Geometry, Position } from 'geojson';

export type Format = 'csv' | 'geojson';

export interface SourceRecord {
  /** Row as a person finds it: CSV line number (header = 1), or GeoJSON feature number from 1. */
  row: number;
  id?: string;
  values: Record<string, unknown>;
  geometry?: Geometry;
  /** Why no geometry could be read, when it could not. */
  geometryError?: string;
}

export interface Source {
  format: Format;
  columns: string[];
  records: SourceRecord[];
  /** How geometry was found, e.g. 'lon/lat columns "经度", "纬度"'. */
  geometryFrom: string;
}

export class ReadError extends Error {}

const LON = ['lon', 'lng', 'long', 'longitude', 'x', '经度', '东经', 'x坐标', '东坐标'];
const LAT = ['lat', 'latitude', 'y', '纬度', '北纬', 'y坐标', '北坐标'];
const WKT = ['wkt', 'geometry', 'geom', 'the_geom', 'shape', '几何'];
const ID = ['id', 'fid', '编号', '编码'];

/** Header as compared: lower case, no spaces, no bracketed unit ("经度(°)" → "经度"). */
export const headerKey = (h: string): string =>
  h.trim().toLowerCase().replace(/[（(【\[].*?[）)】\]]/g, '').replace(/\s+/g, '');

/** Bracketed unit of a header, e.g. "面积（亩）" → "亩". */
export const headerUnit = (h: string): string | undefined => /[（(【\[]\s*(.+?)\s*[）)】\]]/.exec(h)?.[1];

/** RFC 4180 CSV (quoted fields, doubled quotes, newlines in quotes); the delimiter is , or tab or ;. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length);
  const delim = [',', '\t', ';'].reduce((best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best), ',');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === delim) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
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

function readCsv(text: string): Source {
  const all = parseCsv(text);
  const rows = all.filter((r) => r.some((v) => v.trim() !== ''));
  if (rows.length === 0) throw new ReadError('The file is empty: expected a header row and at least one data row.');
  const columns = rows[0].map((h) => h.trim());
  const keys = columns.map(headerKey);
  const find = (names: string[]): number => keys.findIndex((k) => names.includes(k));
  const lon = find(LON);
  const lat = find(LAT);
  const wkt = find(WKT);
  const id = find(ID);
  if (wkt < 0 && (lon < 0 || lat < 0)) {
    throw new ReadError(
      `No coordinate columns in header "${columns.join(',')}": name them lon/lat (or lng, longitude/latitude, x/y, 经度/纬度), or give a WKT column named wkt or geometry.`,
    );
  }
  const skip = new Set([lon, lat, wkt, id].filter((i) => i >= 0));
  // Line numbers as an editor shows them: a quoted field may span several lines.
  const records: SourceRecord[] = [];
  let line = 1;
  all.forEach((r) => {
    const thisLine = line;
    line += 1 + r.reduce((n, v) => n + (v.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
    if (r === rows[0] || !r.some((v) => v.trim() !== '')) return;
    const values: Record<string, unknown> = {};
    columns.forEach((c, j) => {
      if (!skip.has(j)) values[c] = r[j] ?? '';
    });
    const rec: SourceRecord = { row: thisLine, values, id: id >= 0 && r[id]?.trim() ? r[id].trim() : undefined };
    if (wkt >= 0 && (r[wkt] ?? '').trim() !== '') {
      try {
        rec.geometry = parseWkt(r[wkt]);
      } catch (err) {
        rec.geometryError = (err as Error).message;
      }
    } else if (lon >= 0 && lat >= 0) {
      const x = num(r[lon] ?? '');
      const y = num(r[lat] ?? '');
      if (Number.isFinite(x) && Number.isFinite(y)) rec.geometry = { type: 'Point', coordinates: [x, y] };
      else rec.geometryError = `coordinates "${r[lon] ?? ''}", "${r[lat] ?? ''}" in columns "${columns[lon]}", "${columns[lat]}" are not numbers`;
    } else rec.geometryError = `no geometry in column "${columns[wkt]}"`;
    records.push(rec);
  });
  if (records.length === 0) throw new ReadError('The file has a header but no data rows.');
  return {
    format: 'csv',
    columns,
    records,
    geometryFrom: wkt >= 0 ? `WKT column "${columns[wkt]}"` : `columns "${columns[lon]}" (x/longitude), "${columns[lat]}" (y/latitude)`,
  };
}

function readGeojson(text: string): Source {
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ReadError(`Not valid JSON: ${(err as Error).message}.`);
  }
  const features: any[] =
    doc?.type === 'FeatureCollection' && Array.isArray(doc.features) ? doc.features : doc?.type === 'Feature' ? [doc] : [];
  if (!features.length) throw new ReadError('No features: expected a GeoJSON FeatureCollection with at least one Feature.');
  const columns = new Set<string>();
  const records = features.map((f, i): SourceRecord => {
    const values = f?.properties && typeof f.properties === 'object' ? { ...f.properties } : {};
    Object.keys(values).forEach((k) => columns.add(k));
    const rawId = f?.id ?? values.id;
    delete values.id;
    const rec: SourceRecord = { row: i + 1, values, id: rawId === undefined || rawId === null ? undefined : String(rawId) };
    if (f?.geometry && typeof f.geometry.type === 'string' && Array.isArray(f.geometry.coordinates)) rec.geometry = f.geometry;
    else rec.geometryError = 'feature has no geometry (or a GeometryCollection, which is not supported)';
    return rec;
  });
  columns.delete('id');
  return { format: 'geojson', columns: [...columns], records, geometryFrom: 'GeoJSON geometry' };
}

/** Picks the reader from the file name or content type, falling back to sniffing the first character. */
export function formatOf(filename: string | undefined, contentType: string | undefined, text: string): Format {
  const ext = filename?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === 'csv' || ext === 'txt' || contentType?.includes('csv')) return 'csv';
  if (ext === 'geojson' || ext === 'json' || contentType?.includes('json')) return 'geojson';
  if (ext) throw new ReadError(`".${ext}" files are not supported yet: send GeoJSON (.geojson/.json) or CSV (.csv).`);
  return text.trimStart().startsWith('{') ? 'geojson' : 'csv';
}

export function readSource(text: string, format: Format): Source {
  if (text.trim() === '') throw new ReadError('The file is empty.');
  return format === 'csv' ? readCsv(text) : readGeojson(text);
}
