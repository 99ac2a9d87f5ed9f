/**
 * The WebMercatorQuad tile matrix set (OGC 17-083r4 Two Dimensional Tile Matrix Set, Annex D.1;
 * the XYZ / Google scheme): zoom z has 2^z × 2^z tiles of 256 px, row 0 at the north, EPSG:3857.
 */
export const TMS_ID = 'WebMercatorQuad';
export const TMS_URI = 'http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad';
/** Tile coordinates run 0…EXTENT inside a tile (MVT spec 2.1 §4.3.1; ST_AsMVT's default). */
export const EXTENT = 4096;
/** Geometry kept beyond the tile edge (tile units), so lines and symbols join across tiles. */
export const BUFFER = 64;
export const MAX_ZOOM = 20;

const HALF = 20037508.342789244;
const LAT_MAX = 85.0511287798066;

export interface TileId {
  z: number;
  x: number;
  y: number;
}

const lonOf = (x: number, n: number) => (x / n) * 360 - 180;
const latOf = (y: number, n: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;

/** The tile's bounds in WGS84 degrees [west, south, east, north], grown by `buffer` tile units. */
export function tileBounds({ z, x, y }: TileId, buffer = 0): [number, number, number, number] {
  const n = 2 ** z;
  const b = buffer / EXTENT;
  return [lonOf(x - b, n), Math.max(-LAT_MAX, latOf(y + 1 + b, n)), lonOf(x + 1 + b, n), Math.min(LAT_MAX, latOf(y - b, n))];
}

/** Position in tile units of the tile (x, y) at zoom z (may fall outside 0…EXTENT in the buffer). */
export function toTile(lon: number, lat: number, { z, x, y }: TileId): [number, number] {
  const n = 2 ** z;
  const s = Math.sin((Math.max(-LAT_MAX, Math.min(LAT_MAX, lat)) * Math.PI) / 180);
  const fx = ((lon + 180) / 360) * n - x;
  const fy = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * n - y;
  return [Math.round(fx * EXTENT), Math.round(fy * EXTENT)];
}

/** The TileMatrixSet document (OGC 17-083r4 JSON encoding), levels 0…MAX_ZOOM. */
export function tileMatrixSet() {
  return {
    id: TMS_ID,
    title: 'Google Maps Compatible for the World',
    uri: TMS_URI,
    crs: 'http://www.opengis.net/def/crs/EPSG/0/3857',
    orderedAxes: ['E', 'N'],
    wellKnownScaleSet: 'http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible',
    tileMatrices: Array.from({ length: MAX_ZOOM + 1 }, (_, z) => ({
      id: String(z),
      // 0.28 mm pixels (OGC WMTS 1.0 §6.1): scale = cell size / 0.00028.
      scaleDenominator: (2 * HALF) / 256 / 2 ** z / 0.00028,
      cellSize: (2 * HALF) / 256 / 2 ** z,
      cornerOfOrigin: 'topLeft',
      pointOfOrigin: [-HALF, HALF],
      tileWidth: 256,
      tileHeight: 256,
      matrixWidth: 2 ** z,
      matrixHeight: 2 ** z,
    })),
  };
}
