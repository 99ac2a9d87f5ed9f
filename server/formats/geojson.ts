/**
 * GeoJSON export (RFC 7946). The RFC fixes coordinates to WGS 84 and has no `crs` member, so a
 * GCJ-02 file says so twice: in its filename (`…-gcj02.geojson`, see routes/export.ts) and in the
 * top-level foreign member `coordinateSystem` (RFC 7946 §6.1), which RFC readers ignore.
 */
import { CRS_NOTE, type ExportData } from './table.js';

export const GEOJSON_TYPE = 'application/geo+json';

/**
 * The features with their properties as stored (enum codes, arrays, inventories as objects).
 * `members` are further top-level foreign members, e.g. an analysis's parameters.
 */
export function writeGeojson(data: ExportData, members: Record<string, unknown> = {}): Uint8Array {
  const doc = {
    type: 'FeatureCollection',
    name: data.name,
    title: data.title,
    ...members,
    coordinateSystem: { name: data.crs === 'gcj02' ? 'GCJ-02' : 'WGS 84', note: CRS_NOTE[data.crs] },
    features: data.features.map((f) => ({
      type: 'Feature',
      ...(f.id === undefined ? {} : { id: f.id }),
      geometry: f.geometry,
      properties: f.properties ?? {},
    })),
  };
  return new TextEncoder().encode(JSON.stringify(doc));
}
