/**
 * CSV export (RFC 4180): UTF-8 with a byte-order mark so that Excel on Chinese Windows opens it as
 * UTF-8 rather than GBK, CRLF line ends. Points get two coordinate columns, anything else one WKT
 * column; the CRS is in those headers, e.g. `lon(GCJ-02)`, which our importer (and most people)
 * read as `lon`. Columns: see table.ts.
 */
import type { Geometry, Position } from 'geojson';
import { rowOf, type Cell, type ExportData } from './table.js';

export const CSV_TYPE = 'text/csv; charset=utf-8';
const BOM = '\uFEFF';

const number = (v: number): string => String(Number(v.toFixed(7)));

/** WKT of a GeoJSON geometry (2-D), as OGC Simple Features 1.2.1 §7 writes it. */
export function toWkt(g: Geometry): string {
  const pos = (p: Position): string => `${number(p[0])} ${number(p[1])}`;
  const list = (ps: Position[]): string => `(${ps.map(pos).join(', ')})`;
  const rings = (rs: Position[][]): string => `(${rs.map(list).join(', ')})`;
  const body = (s: string): string => (s === '()' ? ' EMPTY' : ` ${s}`);
  switch (g.type) {
    case 'Point':
      return g.coordinates.length ? `POINT (${pos(g.coordinates)})` : 'POINT EMPTY';
    case 'LineString':
      return `LINESTRING${body(list(g.coordinates))}`;
    case 'Polygon':
      return `POLYGON${body(rings(g.coordinates))}`;
    case 'MultiPoint':
      return `MULTIPOINT${body(`(${g.coordinates.map((p) => `(${pos(p)})`).join(', ')})`)}`;
    case 'MultiLineString':
      return `MULTILINESTRING${body(rings(g.coordinates))}`;
    case 'MultiPolygon':
      return `MULTIPOLYGON${body(`(${g.coordinates.map(rings).join(', ')})`)}`;
    case 'GeometryCollection':
      return g.geometries.length ? `GEOMETRYCOLLECTION (${g.geometries.map(toWkt).join(', ')})` : 'GEOMETRYCOLLECTION EMPTY';
  }
}

function field(v: Cell, isText: boolean): string {
  if (v === null) return '';
  let s = typeof v === 'number' ? String(v) : v;
  // A text starting like a formula would run as one in a spreadsheet (OWASP CSV injection).
  if (isText && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A plain table (header row first) as the same CSV: BOM, CRLF, text cells guarded against formulas. */
export function writeRows(rows: readonly (readonly Cell[])[]): Uint8Array {
  const lines = rows.map((r) => r.map((c) => field(c, typeof c === 'string')).join(','));
  return new TextEncoder().encode(`${BOM}${lines.join('\r\n')}\r\n`);
}

export function writeCsv(data: ExportData): Uint8Array {
  const crs = data.crs === 'gcj02' ? 'GCJ-02' : 'WGS84';
  const points = data.features.length > 0 ? data.features.every((f) => !f.geometry || f.geometry.type === 'Point') : data.geometry === 'Point';
  const geomHeader = points ? [`lon(${crs})`, `lat(${crs})`] : [`wkt(${crs})`];
  const lines = [[...data.columns.map((c) => field(c.name, true)), ...geomHeader].join(',')];
  for (const f of data.features) {
    const row = rowOf(f);
    const cells = data.columns.map((c) => field(c.value(row), c.type === 'text'));
    const g = f.geometry;
    if (points) {
      const p = g?.type === 'Point' ? g.coordinates : [];
      cells.push(p.length ? number(p[0]) : '', p.length ? number(p[1]) : '');
    } else cells.push(g ? field(toWkt(g), false) : '');
    lines.push(cells.join(','));
  }
  return new TextEncoder().encode(`${BOM}${lines.join('\r\n')}\r\n`);
}
