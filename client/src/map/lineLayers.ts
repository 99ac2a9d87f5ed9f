/**
 * Line layers (the road network) drawn by MapLibre from the server's vector tiles (tileLayers.ts). Coloured by the catalogue symbol; earlier options of `symbol.by` (motorway before path)
 * are the more important lines, drawn wider and on top.
 */
import type { ExpressionSpecification, Map as MaplibreMap } from 'maplibre-gl';
import type { FeaturePage } from '../api/features';
import type { Layer } from '../api/layers';
import { colorExpression, ensureLayer, selectedFilter, setLayerData, setVisible, type LayerSource } from './maplibreLayers';
import { SELECTION_COLOR, symbolOptions } from './symbols';

export const lineLayerId = (layerId: string) => `${layerId}-lines`;
const selectedId = (layerId: string) => `${layerId}-selected`;

/** Width in pixels from the option's rank: the first option 3.5 px, tapering to 0.8 px. */
function width(layer: Layer): ExpressionSpecification | number {
  const options = symbolOptions(layer);
  if (!layer.symbol.by || options.length < 2) return 1.5;
  const w = (i: number) => Math.max(0.8, 3.5 - (i * 2.7) / (options.length - 1));
  return ['match', ['get', layer.symbol.by], ...options.flatMap((o, i) => [o.value, w(i)]), 0.8] as unknown as ExpressionSpecification;
}

function sortKey(layer: Layer): ExpressionSpecification | number {
  const options = symbolOptions(layer);
  if (!layer.symbol.by || options.length < 2) return 0;
  return ['match', ['get', layer.symbol.by], ...options.flatMap((o, i) => [o.value, options.length - i]), 0] as unknown as ExpressionSpecification;
}

export function syncLineLayer(
  map: MaplibreMap,
  layer: Layer,
  data: FeaturePage | undefined,
  visible: boolean,
  opacity: number,
  selectedFid: string | undefined,
  source?: LayerSource,
): void {
  ensureLayer(map, layer, [
    {
      id: lineLayerId(layer.id),
      type: 'line',
      source: layer.id,
      paint: { 'line-color': colorExpression(layer), 'line-width': width(layer) },
      layout: { 'line-join': 'round', 'line-cap': 'round', 'line-sort-key': sortKey(layer) },
    },
    { id: selectedId(layer.id), type: 'line', source: layer.id, filter: selectedFilter(undefined), paint: { 'line-color': SELECTION_COLOR, 'line-width': 5 } },
  ], source);
  setLayerData(map, layer.id, data);
  setVisible(map, layer.id, visible);
  map.setPaintProperty(lineLayerId(layer.id), 'line-opacity', opacity);
  map.setFilter(selectedId(layer.id), selectedFilter(selectedFid));
}
