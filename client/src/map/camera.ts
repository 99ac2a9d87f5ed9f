/** Moving the map to an area or a feature. */
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { Geometry, Position } from 'geojson';
import type { Bbox } from '../api/areas';

interface Padding {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * Room for the panels that float over the map (top bar, layer panel, and with `detail` the detail
 * panel or, on a phone, its bottom sheet), so the target is not hidden under them. Matches the
 * layout in styles.css; the side panel is measured, as it widens for the analysis tab.
 */
export function mapPadding(map: MaplibreMap, detail: boolean): Padding {
  const { clientWidth: w, clientHeight: h } = map.getContainer();
  if (w < 720) return { top: 150, bottom: detail ? Math.round(h * 0.55) + 40 : 40, left: 20, right: 20 };
  const side = document.querySelector('.side-panel')?.getBoundingClientRect().right;
  return { top: 80, bottom: 40, left: side ? Math.round(side) + 22 : 340, right: detail ? 390 : 40 };
}

/** The same room as a camera offset: unlike `padding`, an offset does not stay on the map afterwards. */
const offset = (p: Padding): [number, number] => [(p.left - p.right) / 2, (p.top - p.bottom) / 2];

/** Fits the map to a bbox; `detail`: leave room for the detail panel too. */
export function fitBbox(map: MaplibreMap, bbox: Bbox, animate = true, detail = false): void {
  map.fitBounds(
    [
      [bbox[0], bbox[1]],
      [bbox[2], bbox[3]],
    ],
    { padding: mapPadding(map, detail), duration: animate ? 800 : 0, maxZoom: 16 },
  );
}

function positions(g: Geometry): Position[] {
  switch (g.type) {
    case 'Point':
      return [g.coordinates];
    case 'MultiPoint':
    case 'LineString':
      return g.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.flat();
    case 'MultiPolygon':
      return g.coordinates.flat(2);
    case 'GeometryCollection':
      return g.geometries.flatMap(positions);
  }
}

export function geometryBbox(g: Geometry): Bbox {
  const b: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of positions(g)) {
    b[0] = Math.min(b[0], x);
    b[1] = Math.min(b[1], y);
    b[2] = Math.max(b[2], x);
    b[3] = Math.max(b[3], y);
  }
  return b;
}

/** Flies to a selected point (zooming in to street level) or fits a polygon. */
export function flyToGeometry(map: MaplibreMap, g: Geometry): void {
  if (g.type === 'Point') {
    map.flyTo({ center: g.coordinates as [number, number], zoom: Math.max(map.getZoom(), 14), offset: offset(mapPadding(map, true)), duration: 1000 });
  } else {
    fitBbox(map, geometryBbox(g));
  }
}

/** Pans a selected point out from under the panels (on a phone, the detail sheet), if it is under one. */
export function revealPoint(map: MaplibreMap, lonLat: [number, number]): void {
  const p = mapPadding(map, true);
  const { x, y } = map.project(lonLat);
  const { clientWidth: w, clientHeight: h } = map.getContainer();
  if (x >= p.left && x <= w - p.right && y >= p.top && y <= h - p.bottom) return;
  map.easeTo({ center: lonLat, offset: offset(p), duration: 500 });
}
