/**
 * The embedded store's tile encoder (PGlite's PostGIS has no ST_AsMVT): rows from the store become
 * a Mapbox Vector Tile 2.1 with @maplibre/geojson-vt (lines and polygons: projection, clipping to
 * the buffered tile, quantising to the tile grid) and @maplibre/vt-pbf (the protobuf). Points
 * arrive already gridded by the store and are placed directly.
 */
import { geoJSONToTile, type GeoJSONVTFeature, type GeoJSONVTTile } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { Feature, Geometry } from 'geojson';
import type { TileRow } from '../store/index.js';
import { BUFFER, EXTENT, toTile, type TileId } from './grid.js';

/** Tiles with no feature are sent as no bytes, as ST_AsMVT gives for an empty set. */
export function encodeTile(layer: string, tile: TileId, rows: TileRow[]): Uint8Array {
  if (rows.length === 0) return new Uint8Array();
  let features: GeoJSONVTFeature[];
  if (rows[0].point) {
    features = rows.map((r) => ({ type: 1, geometry: [toTile(r.point![0], r.point![1], tile)], tags: r.properties }));
  } else {
    const collection = {
      type: 'FeatureCollection' as const,
      features: rows.map((r): Feature<Geometry> => ({ type: 'Feature', geometry: JSON.parse(r.geometry!) as Geometry, properties: r.properties })),
    };
    // Tolerance 1 unit: the store already simplified to one tile unit; this only drops what the grid merges.
    features = geoJSONToTile(collection, tile.z, tile.x, tile.y, { extent: EXTENT, buffer: BUFFER, tolerance: 1, clip: true })?.features ?? [];
  }
  if (features.length === 0) return new Uint8Array();
  const layerTile = { features, transformed: true } as unknown as GeoJSONVTTile;
  return fromGeojsonVt({ [layer]: layerTile }, { version: 2, extent: EXTENT });
}
