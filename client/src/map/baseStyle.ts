/**
 * The embedded base style: a plain background that works without internet, plus the configured
 * online basemaps as raster layers, hidden until chosen. Tiles of a hidden layer are never fetched.
 * No glyphs or sprites: labels are drawn by deck.gl (see labelLayers.ts).
 */
import type { Map as MaplibreMap, StyleSpecification } from 'maplibre-gl';
import type { Basemap } from '../api/config';

export const OFFLINE = 'offline';
const BACKGROUND = '#eef2f0';

const rasterLayerIds = (b: Basemap): string[] => [`basemap-${b.id}`, ...(b.labels ? [`basemap-${b.id}-labels`] : [])];

export function baseStyle(basemaps: Basemap[]): StyleSpecification {
  const style: StyleSpecification = {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND } }],
  };
  for (const b of basemaps) {
    const source = { type: 'raster' as const, tileSize: 256, maxzoom: b.maxzoom, attribution: b.attribution };
    style.sources[`basemap-${b.id}`] = { ...source, tiles: b.tiles };
    style.layers.push({ id: `basemap-${b.id}`, type: 'raster', source: `basemap-${b.id}`, layout: { visibility: 'none' } });
    if (b.labels) {
      style.sources[`basemap-${b.id}-labels`] = { ...source, tiles: b.labels };
      style.layers.push({ id: `basemap-${b.id}-labels`, type: 'raster', source: `basemap-${b.id}-labels`, layout: { visibility: 'none' } });
    }
  }
  return style;
}

/** Shows the chosen basemap (or none, for the offline background). */
export function showBasemap(map: MaplibreMap, basemaps: Basemap[], id: string): void {
  for (const b of basemaps) {
    for (const layerId of rasterLayerIds(b)) {
      if (map.getLayer(layerId)) map.setLayoutProperty(layerId, 'visibility', b.id === id ? 'visible' : 'none');
    }
  }
}
