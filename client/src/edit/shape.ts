/**
 * A line or polygon geometry as the editor holds it: a flat list of parts (each line of a
 * MultiLineString, each ring of each polygon), polygon rings kept open (no repeated first
 * vertex), so that every vertex edit is the same list operation whatever the GeoJSON type.
 */
import type { Geometry, LineString, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';

export type LonLat = [number, number];
export type ShapeType = 'LineString' | 'MultiLineString' | 'Polygon' | 'MultiPolygon';

export interface Shape {
  type: ShapeType;
  parts: LonLat[][];
  /** MultiPolygon only: how many rings each polygon has (its parts in order). */
  rings?: number[];
}

/** Where a vertex is: part, then index in that part. */
export interface VertexRef {
  part: number;
  index: number;
}

export const isArea = (s: Shape) => s.type === 'Polygon' || s.type === 'MultiPolygon';
/** The fewest vertices a part may keep: 2 for a line, 3 for an (open) ring. */
export const minVertices = (s: Shape) => (isArea(s) ? 3 : 2);

const lonLat = (p: Position): LonLat => [p[0], p[1]];
const open = (ring: Position[]): LonLat[] => {
  const r = ring.map(lonLat);
  const [a, b] = [r[0], r[r.length - 1]];
  return r.length > 1 && a[0] === b[0] && a[1] === b[1] ? r.slice(0, -1) : r;
};
const close = (ring: LonLat[]): LonLat[] => (ring.length > 0 ? [...ring, ring[0]] : ring);

/** The editable shape of a line or polygon geometry, or undefined for anything else. */
export function toShape(g: Geometry | null | undefined): Shape | undefined {
  switch (g?.type) {
    case 'LineString':
      return { type: g.type, parts: [(g as LineString).coordinates.map(lonLat)] };
    case 'MultiLineString':
      return { type: g.type, parts: (g as MultiLineString).coordinates.map((l) => l.map(lonLat)) };
    case 'Polygon':
      return { type: g.type, parts: (g as Polygon).coordinates.map(open) };
    case 'MultiPolygon': {
      const polys = (g as MultiPolygon).coordinates;
      return { type: g.type, parts: polys.flatMap((p) => p.map(open)), rings: polys.map((p) => p.length) };
    }
    default:
      return undefined;
  }
}

/** The GeoJSON geometry of a shape (rings closed again). */
export function fromShape(s: Shape): Geometry {
  switch (s.type) {
    case 'LineString':
      return { type: s.type, coordinates: s.parts[0] };
    case 'MultiLineString':
      return { type: s.type, coordinates: s.parts };
    case 'Polygon':
      return { type: s.type, coordinates: s.parts.map(close) };
    case 'MultiPolygon': {
      let at = 0;
      return { type: s.type, coordinates: (s.rings ?? [s.parts.length]).map((n) => s.parts.slice(at, (at += n)).map(close)) };
    }
  }
}

const withPart = (s: Shape, part: number, f: (p: LonLat[]) => LonLat[]): Shape => ({ ...s, parts: s.parts.map((p, i) => (i === part ? f(p) : p)) });

export const moveVertex = (s: Shape, { part, index }: VertexRef, to: LonLat): Shape => withPart(s, part, (p) => p.map((v, i) => (i === index ? to : v)));

/** Inserts `at` before vertex `index` of the part (index = length appends). */
export const insertVertex = (s: Shape, { part, index }: VertexRef, at: LonLat): Shape => withPart(s, part, (p) => [...p.slice(0, index), at, ...p.slice(index)]);

/** Removes a vertex unless the part would fall below its minimum; then the shape is returned as it was. */
export function deleteVertex(s: Shape, { part, index }: VertexRef): Shape {
  if (s.parts[part].length <= minVertices(s)) return s;
  return withPart(s, part, (p) => p.filter((_, i) => i !== index));
}

/** The middle of each segment (a ring's closing one too), with where a vertex put there goes. */
export function midpoints(s: Shape): { at: LonLat; ref: VertexRef }[] {
  const out: { at: LonLat; ref: VertexRef }[] = [];
  s.parts.forEach((p, part) => {
    const segments = isArea(s) ? p.length : p.length - 1;
    for (let i = 0; i < segments; i++) {
      const [a, b] = [p[i], p[(i + 1) % p.length]];
      out.push({ at: [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2], ref: { part, index: i + 1 } });
    }
  });
  return out;
}

/** The shape drawn so far from clicked vertices: a single line or polygon. */
export const drawnShape = (kind: 'LineString' | 'Polygon', vertices: LonLat[]): Shape => ({ type: kind, parts: [vertices] });
