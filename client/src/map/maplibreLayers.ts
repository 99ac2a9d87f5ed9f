/**
 * Bookkeeping shared by the layer kinds MapLibre draws (polygons, lines): one GeoJSON source per
 * catalogue layer, its style layers kept in catalogue draw order, data set only when it changes,
 * and removal when the caller may no longer see the layer (after signing out).
 */
import type { ExpressionSpecification, GeoJSONSource, LayerSpecification, Map as MaplibreMap } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import type { FeaturePage } from '../api/features';
import type { Layer } from '../api/layers';
import { symbolOptions } from './symbols';

interface Entry {
  order: number;
  styleLayers: string[];
  data?: FeaturePage;
}

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

/** Adds the source and style layers of a catalogue layer once, below any layer drawn above it. */
export function ensureLayer(map: MaplibreMap, layer: Layer, styleLayers: LayerSpecification[]): void {
  const entries = entriesOf(map);
  if (entries.has(layer.id)) return;
  const above = [...entries.values()].filter((e) => e.order > layer.order).sort((a, b) => a.order - b.order)[0];
  map.addSource(layer.id, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  for (const spec of styleLayers) map.addLayer(spec, above?.styleLayers[0]);
  entries.set(layer.id, { order: layer.order, styleLayers: styleLayers.map((s) => s.id) });
}

export function setLayerData(map: MaplibreMap, layerId: string, data: FeaturePage | undefined): void {
  const entry = entriesOf(map).get(layerId);
  if (!entry || !data || entry.data === data) return;
  (map.getSource(layerId) as GeoJSONSource).setData(sourceData(data));
  entry.data = data;
}

export function setVisible(map: MaplibreMap, layerId: string, visible: boolean): void {
  for (const id of entriesOf(map).get(layerId)?.styleLayers ?? []) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
}

export function removeLayersExcept(map: MaplibreMap, keep: Set<string>): void {
  const entries = entriesOf(map);
  for (const [id, entry] of [...entries]) {
    if (keep.has(id)) continue;
    for (const styleLayer of entry.styleLayers) map.removeLayer(styleLayer);
    map.removeSource(id);
    entries.delete(id);
  }
}
