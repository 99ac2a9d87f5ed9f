/** The per-town table of a county analysis as GeoJSON: each town's polygon carrying its row, for GIS users. */
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';

export type TownAreas<R> = FeatureCollection<Polygon | MultiPolygon, R | { code: string }>;

export function townAreas<R extends { code: string }>(towns: readonly { code: string; geometry: Polygon | MultiPolygon }[], rows: readonly R[]): TownAreas<R> {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  return {
    type: 'FeatureCollection',
    features: towns.map((t) => ({ type: 'Feature', id: t.code, geometry: t.geometry, properties: byCode.get(t.code) ?? { code: t.code } })),
  };
}
