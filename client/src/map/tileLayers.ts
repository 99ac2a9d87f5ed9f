/**
 * Layers loaded by vector tile (issue 15): lines always (the road network is megabytes as GeoJSON)
 * and point layers too large to send whole. Tiles come from /api/tiles with the layer's filters
 * in the URL and the bearer token added by `transformRequest`. Below zoom 14 the server gathers
 * points into grid cells carrying a `count` (server/store/tiles.ts); MapLibre draws cells and
 * points, deck.gl writes the counts (MapLibre text needs a glyph server an offline bureau lacks).
 */
import { TextLayer } from '@deck.gl/layers';
import type { Layer as DeckLayer } from '@deck.gl/core';
import type { Map as MaplibreMap, RequestParameters } from 'maplibre-gl';
import { filterParams, type Filters } from '../api/features';
import { queryString } from '../api/http';
import type { Layer } from '../api/layers';
import { getToken } from '../api/token';
import { colorExpression, ensureLayer, selectedFilter, setVisible, type LayerSource } from './maplibreLayers';
import { LABEL_FONT, SELECTION_COLOR } from './symbols';

/** Point layers with more features than this are tiled; smaller ones are drawn whole by deck.gl. */
export const TILE_POINTS_ABOVE = 5000;
/** The tile property of a grid cell's number of points (server/store/tiles.ts COUNT). */
export const COUNT = 'count';

export const isTiled = (layer: Layer): boolean => layer.geometry === 'LineString' || (layer.geometry === 'Point' && layer.count > TILE_POINTS_ABOVE);

/** The layer's tile URL template: its filters, and its version so that an edit or import loads new tiles. */
export function tileSource(layer: Layer, filters: Filters, token: string | null): LayerSource {
  const url = `${window.location.origin}/api/tiles/${encodeURIComponent(layer.id)}/{z}/{x}/{y}.mvt${queryString({ ...filterParams(filters), v: layer.version })}`;
  return { kind: 'tiles', url, token };
}

/** MapLibre's request hook: our API's tiles get the bearer token (internal layers and fields). */
export function transformRequest(url: string): RequestParameters | undefined {
  const token = getToken();
  if (!token || !url.startsWith(`${window.location.origin}/api/`)) return undefined;
  return { url, headers: { authorization: `Bearer ${token}` } };
}

export const cellsId = (layerId: string) => `${layerId}-cells`;
export const tiledPointsId = (layerId: string) => `${layerId}-tiled-points`;
const selectedId = (layerId: string) => `${layerId}-tiled-selected`;

export function syncTiledPoints(map: MaplibreMap, layer: Layer, source: LayerSource, visible: boolean, opacity: number, selectedFid: string | undefined): void {
  const radius = layer.symbol.radius ?? 6;
  ensureLayer(
    map,
    layer,
    [
      {
        id: cellsId(layer.id),
        type: 'circle',
        source: layer.id,
        filter: ['has', COUNT],
        paint: {
          'circle-color': layer.symbol.color,
          'circle-radius': ['step', ['get', COUNT], 11, 10, 14, 100, 18, 1000, 23, 10000, 28],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2,
        },
      },
      {
        id: tiledPointsId(layer.id),
        type: 'circle',
        source: layer.id,
        filter: ['!', ['has', COUNT]],
        paint: { 'circle-color': colorExpression(layer), 'circle-radius': radius, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.2 },
      },
      {
        id: selectedId(layer.id),
        type: 'circle',
        source: layer.id,
        filter: selectedFilter(undefined),
        paint: { 'circle-opacity': 0, 'circle-radius': radius + 5, 'circle-stroke-color': SELECTION_COLOR, 'circle-stroke-width': 3.5 },
      },
    ],
    source,
  );
  setVisible(map, layer.id, visible);
  map.setPaintProperty(cellsId(layer.id), 'circle-opacity', 0.85 * opacity);
  map.setPaintProperty(tiledPointsId(layer.id), 'circle-opacity', opacity);
  map.setPaintProperty(tiledPointsId(layer.id), 'circle-stroke-opacity', opacity);
  map.setFilter(selectedId(layer.id), selectedFilter(selectedFid));
}

export interface Cell {
  position: [number, number];
  count: number;
}

/** The grid cells of the loaded tiles of a tiled point layer (a cell lies in one tile only). */
export function loadedCells(map: MaplibreMap, layerId: string): Cell[] {
  if (!map.getSource(layerId)) return [];
  const seen = new Set<string>();
  const out: Cell[] = [];
  for (const f of map.querySourceFeatures(layerId, { sourceLayer: layerId, filter: ['has', COUNT] })) {
    if (f.geometry.type !== 'Point') continue;
    const position = f.geometry.coordinates as [number, number];
    const key = `${position[0].toFixed(6)},${position[1].toFixed(6)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ position, count: Number(f.properties[COUNT]) });
  }
  return out;
}

export function cellCountLayer(layer: Layer, cells: Cell[], visible: boolean, opacity: number): DeckLayer {
  return new TextLayer<Cell>({
    id: `${layer.id}-counts`,
    data: cells,
    visible,
    opacity,
    characterSet: '0123456789',
    fontFamily: LABEL_FONT,
    fontWeight: 700,
    getPosition: (d) => d.position,
    getText: (d) => String(d.count),
    getSize: 12,
    getColor: [255, 255, 255, 255],
    sizeUnits: 'pixels',
  });
}
