/**
 * Bookkeeping shared by the layer kinds MapLibre draws (polygons, lines, tiled points): one source
 * per catalogue layer — GeoJSON set whole, or vector tiles from /api/tiles (tileLayers.ts) — its
 * style layers kept in catalogue draw order, data or tile URL set only when it changes, and removal
 * when the caller may no longer see the layer (after signing out).
 */
import type { ExpressionSpecification, GeoJSONSource, LayerSpecification, Map as MaplibreMap, VectorTileSource } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import type { FeaturePage } from '../api/features';
import type { Layer } from '../api/layers';
import { symbolOptions } from './symbols';

interface Entry {
  order: number;
  styleLayers: string[];
  data?: FeaturePage;
  /** Vector tile sources: the tile URL and the token it was loaded with. */
  tiles?: { url: string; token: string | null };
}

/** Where a layer's features come from: its GeoJSON (set later with setLayerData) or a tile URL template. */
export type LayerSource = { kind: 'geojson' } | { kind: 'tiles'; url: string; token: string | null };

/** Tiles carry the feature id as `_fid` (server/store/tiles.ts); MapLibre takes it as the feature id. */
const TILE_MAX_ZOOM = 16;

const registry = new WeakMap<MaplibreMap, Map<string, Entry>>();
const entriesOf = (map: MaplibreMap) => {
  let entries = registry.get(map);
  if (!entries) registry.set(map, (entries = new Map()));
  return entries;
};

/** MapLibre keeps only numeric feature ids, so the feature id is copied into `_fid`. */
const withFid = new WeakMap<FeaturePage, FeatureCollection>();
function sourceData(page: FeaturePage): FeatureCollection {
  let fc = withFid.get(page);
  if (!fc) {
    fc = { type: 'FeatureCollection', features: page.features.map((f) => ({ ...f, properties: { ...f.properties, _fid: f.id } })) };
    withFid.set(page, fc);
  }
  return fc;
}

export const NO_SELECTION = '';
export const selectedFilter = (fid: string | undefined): ExpressionSpecification => ['==', ['get', '_fid'], fid ?? NO_SELECTION];

/** The colour of each feature: the option colour of `symbol.by`, else the layer colour. */
export function colorExpression(layer: Layer): ExpressionSpecification | string {
  const options = symbolOptions(layer).filter((o) => o.color);
  if (!layer.symbol.by || options.length === 0) return layer.symbol.color;
  return ['match', ['get', layer.symbol.by], ...options.flatMap((o) => [o.value, o.color!]), layer.symbol.color] as unknown as ExpressionSpecification;
}

/**
 * Adds the source and style layers of a catalogue layer once, below any layer drawn above it; a
 * tiled layer whose URL or token changed reloads its tiles (other filters, other fields).
 */
export function ensureLayer(map: MaplibreMap, layer: Layer, styleLayers: LayerSpecification[], source: LayerSource = { kind: 'geojson' }): void {
  const entries = entriesOf(map);
  let entry = entries.get(layer.id);
  // A layer that grew past the tiling threshold (or shrank below it) changes its kind of source.
  if (entry && Boolean(entry.tiles) !== (source.kind === 'tiles')) {
    removeEntry(map, layer.id, entry);
    entry = undefined;
  }
  if (entry) {
    if (source.kind === 'tiles' && entry.tiles && (entry.tiles.url !== source.url || entry.tiles.token !== source.token)) {
      (map.getSource(layer.id) as VectorTileSource).setTiles([source.url]);
      entry.tiles = { url: source.url, token: source.token };
    }
    return;
  }
  const above = [...entries.values()].filter((e) => e.order > layer.order).sort((a, b) => a.order - b.order)[0];
  if (source.kind === 'tiles') {
    map.addSource(layer.id, { type: 'vector', tiles: [source.url], minzoom: 0, maxzoom: TILE_MAX_ZOOM, promoteId: '_fid' });
  } else {
    map.addSource(layer.id, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  }
  const specs = source.kind === 'tiles' ? styleLayers.map((s) => ({ ...s, 'source-layer': layer.id }) as LayerSpecification) : styleLayers;
  for (const spec of specs) map.addLayer(spec, above?.styleLayers[0]);
  entries.set(layer.id, {
    order: layer.order,
    styleLayers: styleLayers.map((s) => s.id),
    tiles: source.kind === 'tiles' ? { url: source.url, token: source.token } : undefined,
  });
}


export function setLayerData(map: MaplibreMap, layerId: string, data: FeaturePage | undefined): void {
  const entry = entriesOf(map).get(layerId);
  if (!entry || entry.tiles || !data || entry.data === data) return;
  (map.getSource(layerId) as GeoJSONSource).setData(sourceData(data));
  entry.data = data;
}

export function setVisible(map: MaplibreMap, layerId: string, visible: boolean): void {
  for (const id of entriesOf(map).get(layerId)?.styleLayers ?? []) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
}

export function removeLayersExcept(map: MaplibreMap, keep: Set<string>): void {
  const entries = entriesOf(map);
  for (const [id, entry] of [...entries]) {
    if (!keep.has(id)) removeEntry(map, id, entry);
  }
}

function removeEntry(map: MaplibreMap, id: string, entry: Entry): void {
  for (const styleLayer of entry.styleLayers) map.removeLayer(styleLayer);
  map.removeSource(id);
  entriesOf(map).delete(id);
}
