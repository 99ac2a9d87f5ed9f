/**
 * Decodes the compressed GeoJSON of echarts map files (`"UTF8Encoding": true`): each ring is a
 * string of zig-zag encoded deltas, two UTF-16 characters per vertex, in units of 1/1024 degree,
 * starting from the ring's `encodeOffsets`. Plain files pass through unchanged.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';

type EncodedRing = string | Position[];

export function decodeRing(ring: string, offsets: [number, number], scale = 1024): Position[] {
  const out: Position[] = [];
  let [x0, y0] = offsets;
  for (let i = 0; i < ring.length; i += 2) {
    let dx = ring.charCodeAt(i) - 64;
    let dy = ring.charCodeAt(i + 1) - 64;
    dx = (dx >> 1) ^ -(dx & 1);
    dy = (dy >> 1) ^ -(dy & 1);
    x0 += dx;
    y0 += dy;
    out.push([x0 / scale, y0 / scale]);
  }
  return out;
}

interface EncodedGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: unknown;
  encodeOffsets?: unknown;
}

export function decodeEchartsMap(map: { UTF8Encoding?: boolean; features: Feature[] }): FeatureCollection<Polygon | MultiPolygon> {
  const features = map.features.map((f) => {
    const g = f.geometry as unknown as EncodedGeometry;
    if (!map.UTF8Encoding) return f as Feature<Polygon | MultiPolygon>;
    const rings = (rs: EncodedRing[], offs: [number, number][]): Position[][] =>
      rs.map((r, i) => (typeof r === 'string' ? decodeRing(r, offs[i]) : r));
    const geometry: Polygon | MultiPolygon =
      g.type === 'Polygon'
        ? { type: 'Polygon', coordinates: rings(g.coordinates as EncodedRing[], g.encodeOffsets as [number, number][]) }
        : {
            type: 'MultiPolygon',
            coordinates: (g.coordinates as EncodedRing[][]).map((p, i) => rings(p, (g.encodeOffsets as [number, number][][])[i])),
          };
    return { ...f, geometry } as Feature<Polygon | MultiPolygon>;
  });
  return { type: 'FeatureCollection', features };
}
