/**
 * Polygon layers (admin_units) drawn by MapLibre: a translucent fill and an outline coloured by the
 * catalogue symbol, plus an outline for the selected feature. The options of `symbol.by` run from
 * the coarsest unit down (county before town), so the first gets the wider outline.
 */
import type { ExpressionSpecification, Map as MaplibreMap } from 'maplibre-gl';
import type { FeaturePage } from '../api/features';
import type { Layer } from '../api/layers';
import { colorExpression, ensureLayer, selectedFilter, setLayerData, setVisible, type LayerSource } from './maplibreLayers';
import { SELECTION_COLOR, symbolOptions } from './symbols';

export const fillId = (layerId: string) => `${layerId}-fill`;
const lineId = (layerId: string) => `${layerId}-line`;
const selectedId = (layerId: string) => `${layerId}-selected`;

const FILL_OPACITY = 0.08;

function lineWidth(layer: Layer): ExpressionSpecification | number {
  const options = symbolOptions(layer);
  if (!layer.symbol.by || options.length < 2) return 1.2;
  return ['match', ['get', layer.symbol.by], options[0].value, 2.2, 0.8] as ExpressionSpecification;
}

export function syncPolygonLayer(
  map: MaplibreMap,
  layer: Layer,
  data: FeaturePage | undefined,
  visible: boolean,
  opacity: number,
  selectedFid: string | undefined,
  source?: LayerSource,
): void {
  const color = colorExpression(layer);
  ensureLayer(map, layer, [
    { id: fillId(layer.id), type: 'fill', source: layer.id, paint: { 'fill-color': color, 'fill-opacity': FILL_OPACITY } },
    { id: lineId(layer.id), type: 'line', source: layer.id, paint: { 'line-color': color, 'line-width': lineWidth(layer) }, layout: { 'line-join': 'round' } },
    { id: selectedId(layer.id), type: 'line', source: layer.id, filter: selectedFilter(undefined), paint: { 'line-color': SELECTION_COLOR, 'line-width': 3.5 } },
  ], source);
  setLayerData(map, layer.id, data);
  setVisible(map, layer.id, visible);
  map.setPaintProperty(fillId(layer.id), 'fill-opacity', FILL_OPACITY * opacity);
  map.setPaintProperty(lineId(layer.id), 'line-opacity', opacity);
  map.setFilter(selectedId(layer.id), selectedFilter(selectedFid));
}
