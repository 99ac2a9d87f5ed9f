/**
 * A small MapLibre map of a siting answer: the county's towns coloured by the share of people
 * covered, before or after the new sites (the classes of analysisLayers.ts), the existing
 * facilities, the new sites as numbered markers, and what makes a map readable on paper: town
 * names, a scale bar and a north arrow (labelled in DOM or on the report's canvas: MapLibre has
 * no glyphs offline). Used twice side by side (before/after) and, off screen, for the report's map image. Drawn
 * by MapLibre alone (no deck.gl), on the offline background, so its canvas can be read back.
 */
import * as maplibregl from 'maplibre-gl';
import { pointOnFeature } from '@turf/turf';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { Bbox } from '../api/areas';
import type { FeaturePage } from '../api/features';
import type { SitingResult } from '../analyses/planner-siting/goals';
import { isManualSite } from '../analyses/planner-siting/usePlan';
import { baseStyle } from './baseStyle';
import { coverageColor, joinTowns } from './analysisLayers';

export type Moment = 'before' | 'after';

export const TOWNS_LAYER = 'coverage-towns';

export function townCollection(result: SitingResult, adminUnits: FeaturePage | undefined, moment: Moment): FeatureCollection<Polygon | MultiPolygon> {
  return {
    type: 'FeatureCollection',
    features: joinTowns(adminUnits, result.towns).map((f) => ({
      ...f,
      properties: { ...f.properties, fill: coverageColor(moment === 'before' ? f.properties.coveredBefore : f.properties.coveredAfter, f.properties.population) },
    })),
  };
}

/** Sets (or replaces) the towns. */
export function showCoverage(map: maplibregl.Map, towns: FeatureCollection): void {
  const source = map.getSource('towns') as maplibregl.GeoJSONSource | undefined;
  if (source) {
    source.setData(towns);
    return;
  }
  map.addSource('towns', { type: 'geojson', data: towns });
  map.addLayer({ id: TOWNS_LAYER, type: 'fill', source: 'towns', paint: { 'fill-color': ['get', 'fill'], 'fill-opacity': 0.85 } });
  map.addLayer({ id: 'coverage-town-lines', type: 'line', source: 'towns', paint: { 'line-color': '#ffffff', 'line-width': 1.2 } });
}

/** The new sites as numbered markers (not draggable; the main map is where sites move); returns them for removal. */
export function siteBadges(map: maplibregl.Map, result: SitingResult): maplibregl.Marker[] {
  return result.chosen.map((c) => {
    const el = document.createElement('div');
    el.className = `site-marker static${isManualSite(c.id) ? ' manual' : ''}`;
    el.textContent = String(c.number ?? c.rank);
    return new maplibregl.Marker({ element: el }).setLngLat([c.lon, c.lat]).addTo(map);
  });
}

/** The colour of the existing facilities on these maps (a dark dot ringed white). */
export const EXISTING_COLOR = '#37474f';

/** Sets (or replaces) the existing facilities, drawn under the new sites. */
export function showExisting(map: maplibregl.Map, result: SitingResult): void {
  const data: FeatureCollection = {
    type: 'FeatureCollection',
    features: (result.existingSites ?? []).map((x) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [x.lon, x.lat] } })),
  };
  const source = map.getSource('existing') as maplibregl.GeoJSONSource | undefined;
  if (source) {
    source.setData(data);
    return;
  }
  map.addSource('existing', { type: 'geojson', data });
  map.addLayer({ id: 'coverage-existing', type: 'circle', source: 'existing', paint: { 'circle-radius': 4, 'circle-color': EXISTING_COLOR, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 } });
}

/** Where each town's name goes: a point inside it. */
export function townLabels(result: SitingResult, adminUnits: FeaturePage | undefined): { name: string; lon: number; lat: number }[] {
  return joinTowns(adminUnits, result.towns).map((f) => {
    const [lon, lat] = pointOnFeature(f).geometry.coordinates;
    return { name: f.properties.name, lon, lat };
  });
}

/** Town names as DOM labels (not draggable, not clickable); returns them for removal. */
export function townNameMarkers(map: maplibregl.Map, result: SitingResult, adminUnits: FeaturePage | undefined): maplibregl.Marker[] {
  return townLabels(result, adminUnits).map((x) => {
    const el = document.createElement('div');
    el.className = 'compare-town-name';
    el.textContent = x.name;
    return new maplibregl.Marker({ element: el }).setLngLat([x.lon, x.lat]).addTo(map);
  });
}

/**
 * A scale bar's length: the longest round distance (1, 2 or 5 × 10^k metres) that fits in
 * `maxPx` at this latitude and zoom (512-pixel tiles, as MapLibre draws them).
 */
export function scaleBar(lat: number, zoom: number, maxPx: number): { metres: number; px: number; label: string } {
  const metresPerPx = (40_075_016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);
  const most = metresPerPx * maxPx;
  const pow = 10 ** Math.floor(Math.log10(most));
  const metres = [5, 2, 1].map((k) => k * pow).find((m) => m <= most) ?? pow;
  return { metres, px: metres / metresPerPx, label: metres >= 1000 ? `${metres / 1000} km` : `${metres} m` };
}

/** The scale bar and north arrow of a compare map, as map controls. */
export function mapFurniture(map: maplibregl.Map, north: string): void {
  map.addControl(new maplibregl.ScaleControl({ maxWidth: 120, unit: 'metric' }), 'bottom-left');
  const arrow: maplibregl.IControl = {
    onAdd() {
      const el = document.createElement('div');
      el.className = 'maplibregl-ctrl north-arrow';
      el.setAttribute('aria-label', north);
      el.innerHTML = `<span aria-hidden="true">▲</span><span>${north}</span>`;
      return el;
    },
    onRemove() {},
  };
  map.addControl(arrow, 'top-right');
}

export interface CoverageMapOptions {
  bbox: Bbox;
  interactive?: boolean;
  /** Keep the drawn frame, so the canvas can be read (the report). */
  preserveDrawingBuffer?: boolean;
  pixelRatio?: number;
}

export function coverageMap(container: HTMLElement, o: CoverageMapOptions): maplibregl.Map {
  const map = new maplibregl.Map({
    container,
    style: baseStyle([]),
    bounds: [
      [o.bbox[0], o.bbox[1]],
      [o.bbox[2], o.bbox[3]],
    ],
    fitBoundsOptions: { padding: 16 },
    interactive: o.interactive ?? true,
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
    maxPitch: 0,
    pixelRatio: o.pixelRatio,
    canvasContextAttributes: { preserveDrawingBuffer: o.preserveDrawingBuffer ?? false },
  });
  map.touchZoomRotate.disableRotation();
  return map;
}
