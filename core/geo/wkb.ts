/**
 * Well-Known Binary (OGC 06-103r4 / ISO 13249-3) for the six GeoJSON geometry types, 2-D.
 * Writes little-endian 2-D WKB; reads either byte order, ISO Z/M/ZM type codes (1000/2000/3000 +)
 * and the EWKB high-bit flags PostGIS writes (Z/M values and an SRID are skipped, not kept).
 * An empty geometry reads as its type with empty coordinates (an empty point as `[]`).
 */
import type { Geometry, Position } from 'geojson';

type Simple = Exclude<Geometry, { type: 'GeometryCollection' }>;

const CODES = { Point: 1, LineString: 2, Polygon: 3, MultiPoint: 4, MultiLineString: 5, MultiPolygon: 6 } as const;
const TYPES = ['', 'Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon', 'GeometryCollection'] as const;

class Writer {
  private buf = new DataView(new ArrayBuffer(256));
  length = 0;

  private grow(n: number): void {
    if (this.length + n <= this.buf.byteLength) return;
    const next = new DataView(new ArrayBuffer(Math.max(this.buf.byteLength * 2, this.length + n)));
    new Uint8Array(next.buffer).set(new Uint8Array(this.buf.buffer, 0, this.length));
    this.buf = next;
  }
  byte(v: number): void {
    this.grow(1);
    this.buf.setUint8(this.length, v);
    this.length += 1;
  }
  uint32(v: number): void {
    this.grow(4);
    this.buf.setUint32(this.length, v, true);
    this.length += 4;
  }
  double(v: number): void {
    this.grow(8);
    this.buf.setFloat64(this.length, v, true);
    this.length += 8;
  }
  bytes(): Uint8Array {
    return new Uint8Array(this.buf.buffer.slice(0, this.length));
  }
}

function writeGeometry(w: Writer, g: Geometry): void {
  w.byte(1);
  if (g.type === 'GeometryCollection') {
    w.uint32(7);
    w.uint32(g.geometries.length);
    g.geometries.forEach((c) => writeGeometry(w, c));
    return;
  }
  w.uint32(CODES[g.type]);
  const point = (p: Position): void => {
    w.double(p[0]);
    w.double(p[1]);
  };
  const line = (ps: Position[]): void => {
    w.uint32(ps.length);
    ps.forEach(point);
  };
  const polygon = (rings: Position[][]): void => {
    w.uint32(rings.length);
    rings.forEach(line);
  };
  const part = (type: number, write: () => void): void => {
    w.byte(1);
    w.uint32(type);
    write();
  };
  switch (g.type) {
    case 'Point':
      // WKB has no empty point: the convention (GeoPackage §2.1.3.1.1, GEOS) is NaN, NaN.
      point(g.coordinates.length ? g.coordinates : [NaN, NaN]);
      break;
    case 'LineString':
      line(g.coordinates);
      break;
    case 'Polygon':
      polygon(g.coordinates);
      break;
    case 'MultiPoint':
      w.uint32(g.coordinates.length);
      g.coordinates.forEach((p) => part(1, () => point(p)));
      break;
    case 'MultiLineString':
      w.uint32(g.coordinates.length);
      g.coordinates.forEach((l) => part(2, () => line(l)));
      break;
    case 'MultiPolygon':
      w.uint32(g.coordinates.length);
      g.coordinates.forEach((p) => part(3, () => polygon(p)));
      break;
  }
}

/** Little-endian 2-D WKB of a GeoJSON geometry (any third coordinate is dropped). */
export function encodeWkb(g: Geometry): Uint8Array {
  const w = new Writer();
  writeGeometry(w, g);
  return w.bytes();
}

export class WkbError extends Error {}

/** Reads one geometry from `bytes` at `offset`; returns it and the offset just past it. */
export function decodeWkbAt(bytes: Uint8Array, offset = 0): { geometry: Geometry; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = offset;
  const need = (n: number): void => {
    if (at + n > bytes.byteLength) throw new WkbError(`WKB ends early: needs ${n} more bytes at byte ${at} of ${bytes.byteLength}`);
  };
  const read = (): Geometry => {
    need(5);
    const order = view.getUint8(at);
    if (order > 1) throw new WkbError(`WKB byte-order flag at byte ${at} is ${order}; expected 0 or 1`);
    const le = order === 1;
    const raw = view.getUint32(at + 1, le);
    at += 5;
    // EWKB: 0x80000000 Z, 0x40000000 M, 0x20000000 SRID follows; ISO: +1000 Z, +2000 M, +3000 ZM.
    let dims = 2 + (raw & 0x80000000 ? 1 : 0) + (raw & 0x40000000 ? 1 : 0);
    if (raw & 0x20000000) {
      need(4);
      at += 4;
    }
    const base = raw & 0x0fffffff;
    const iso = Math.floor(base / 1000);
    if (iso > 3) throw new WkbError(`unknown WKB geometry type ${base}`);
    dims += iso === 3 ? 2 : iso > 0 ? 1 : 0;
    const code = base % 1000;
    const type = TYPES[code];
    if (!type) throw new WkbError(`unknown WKB geometry type ${base}; expected 1–7 (Point … GeometryCollection), optionally +1000/2000/3000`);
    const u32 = (): number => {
      need(4);
      const v = view.getUint32(at, le);
      at += 4;
      return v;
    };
    const point = (): Position => {
      need(8 * dims);
      const p = [view.getFloat64(at, le), view.getFloat64(at + 8, le)];
      at += 8 * dims;
      return p;
    };
    const line = (): Position[] => Array.from({ length: u32() }, point);
    const polygon = (): Position[][] => Array.from({ length: u32() }, line);
    const parts = (want: string): Simple[] =>
      Array.from({ length: u32() }, () => {
        const g = read();
        if (g.type !== want) throw new WkbError(`a ${type} holds a ${g.type}; expected ${want}`);
        return g as Simple;
      });
    switch (type) {
      case 'Point': {
        const p = point();
        return { type, coordinates: Number.isNaN(p[0]) && Number.isNaN(p[1]) ? [] : p };
      }
      case 'LineString':
        return { type, coordinates: line() };
      case 'Polygon':
        return { type, coordinates: polygon() };
      case 'MultiPoint':
        return { type, coordinates: parts('Point').map((g) => g.coordinates as Position) };
      case 'MultiLineString':
        return { type, coordinates: parts('LineString').map((g) => g.coordinates as Position[]) };
      case 'MultiPolygon':
        return { type, coordinates: parts('Polygon').map((g) => g.coordinates as Position[][]) };
      case 'GeometryCollection':
        return { type, geometries: Array.from({ length: u32() }, read) };
    }
  };
  const geometry = read();
  return { geometry, end: at };
}

export const decodeWkb = (bytes: Uint8Array): Geometry => decodeWkbAt(bytes).geometry;

/** True when the geometry has no coordinates at all. */
export function isEmptyGeometry(g: Geometry): boolean {
  if (g.type === 'GeometryCollection') return g.geometries.every(isEmptyGeometry);
  const flat = (c: unknown): boolean => !Array.isArray(c) || c.length === 0 || (typeof c[0] !== 'number' && c.every(flat));
  return flat(g.coordinates);
}
