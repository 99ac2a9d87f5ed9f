/**
 * GeoJSON geometry → hex EWKB (SRID 4326), the text form PostGIS's geometry type reads directly.
 * The import sends its geometries this way: ST_GeomFromGeoJSON parses JSON for every row and cost
 * more than the rest of a point's insert. XY only (the import's positions are 2-D after prepare).
 */
import type { Geometry, Position } from 'geojson';

/** OGC Simple Features type codes (WKB), and EWKB's has-SRID flag. */
const CODE = { Point: 1, LineString: 2, Polygon: 3, MultiPoint: 4, MultiLineString: 5, MultiPolygon: 6, GeometryCollection: 7 } as const;
const SRID_FLAG = 0x20000000;
const SRID = 4326;

function size(g: Geometry): number {
  switch (g.type) {
    case 'Point':
      return 5 + 16;
    case 'LineString':
    case 'MultiPoint':
      return 9 + g.coordinates.length * (g.type === 'MultiPoint' ? 21 : 16);
    case 'Polygon':
      return 9 + g.coordinates.reduce((n, ring) => n + 4 + ring.length * 16, 0);
    case 'MultiLineString':
      return 9 + g.coordinates.reduce((n, line) => n + 9 + line.length * 16, 0);
    case 'MultiPolygon':
      return 9 + g.coordinates.reduce((n, poly) => n + 9 + poly.reduce((m, ring) => m + 4 + ring.length * 16, 0), 0);
    case 'GeometryCollection':
      return 9 + g.geometries.reduce((n, x) => n + size(x), 0);
  }
}

class Writer {
  at = 0;
  constructor(readonly view: DataView) {}
  head(code: number, srid: boolean): void {
    this.view.setUint8(this.at, 1);
    this.view.setUint32(this.at + 1, srid ? code | SRID_FLAG : code, true);
    this.at += 5;
    if (srid) {
      this.view.setUint32(this.at, SRID, true);
      this.at += 4;
    }
  }
  count(n: number): void {
    this.view.setUint32(this.at, n, true);
    this.at += 4;
  }
  positions(ps: Position[]): void {
    this.count(ps.length);
    for (const p of ps) this.position(p);
  }
  position(p: Position): void {
    this.view.setFloat64(this.at, p[0], true);
    this.view.setFloat64(this.at + 8, p[1], true);
    this.at += 16;
  }
  geometry(g: Geometry, srid: boolean): void {
    this.head(CODE[g.type], srid);
    if (g.type === 'Point') this.position(g.coordinates);
    else if (g.type === 'LineString') this.positions(g.coordinates);
    else if (g.type === 'Polygon') {
      this.count(g.coordinates.length);
      for (const ring of g.coordinates) this.positions(ring);
    } else if (g.type === 'MultiPoint') {
      this.count(g.coordinates.length);
      for (const p of g.coordinates) this.geometry({ type: 'Point', coordinates: p }, false);
    } else if (g.type === 'MultiLineString') {
      this.count(g.coordinates.length);
      for (const l of g.coordinates) this.geometry({ type: 'LineString', coordinates: l }, false);
    } else if (g.type === 'MultiPolygon') {
      this.count(g.coordinates.length);
      for (const p of g.coordinates) this.geometry({ type: 'Polygon', coordinates: p }, false);
    } else {
      this.count(g.geometries.length);
      for (const x of g.geometries) this.geometry(x, false);
    }
  }
}

/** Hex EWKB of a WGS84 geometry; the SRID adds 4 bytes to the outermost geometry only. */
export function ewkbHex(g: Geometry): string {
  const bytes = Buffer.allocUnsafe(size(g) + 4);
  new Writer(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)).geometry(g, true);
  return bytes.toString('hex');
}
