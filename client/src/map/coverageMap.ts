/**
 * A small MapLibre map of a siting answer: the county's towns coloured by the share of people
 * covered, before or after the new sites (the classes of analysisLayers.ts), and the new sites as
 * numbered markers. Used twice side by side (before/after) and, off screen, for the report's map image. Drawn
 * by MapLibre alone (no deck.gl), on the offline background, so its canvas can be read back.
 */
import * as maplibregl from 'maplibre-gl';
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
    el.textContent = String(c.rank);
    return new maplibregl.Marker({ element: el }).setLngLat([c.lon, c.lat]).addTo(map);
  });
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
