/**
 * The shelter finder's map, loaded only after the first answer is on screen (dynamic import of
 * maplibre-gl). Everything it draws comes from the pack — county and town boundaries, streets
 * with their names, the route, the shelters — so it needs no internet: no tiles, no sprites, and
 * labels drawn by the browser's own CJK font (`localIdeographFontFamily`), never a glyph server.
 */
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { Feature, FeatureCollection, LineString } from 'geojson';
import type { PublicPack } from '../../../../core/public/pack';
import type { RankedShelter } from '../../../../core/public/nearest';

/**
 * The map's worker runs from a blob of its script fetched by the page: the page's fetch is
 * answered by the service worker's cache offline, which a worker's own script request may not be.
 */
async function loadWorkerFromPage(): Promise<void> {
  const res = await fetch(workerUrl);
  maplibregl.setWorkerUrl(URL.createObjectURL(new Blob([await res.text()], { type: 'text/javascript' })));
}

/**
 * MapLibre draws only CJK and fullwidth characters with the local font (U+3000–30FF, U+4E00…,
 * U+FF00–FFEF); any other would be fetched from a glyph server. Labels are therefore written in
 * fullwidth forms: ASCII → U+FF01–FF5E, space → U+3000, dashes → U+FF0D.
 */
export function localLabel(text: string): string {
  return text.replace(/[\u0020-\u007e\u2010-\u2015]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code === 0x20) return '\u3000';
    if (code >= 0x2010) return '\uff0d';
    return String.fromCharCode(code + 0xfee0);
  });
}

const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };

export interface ShelterMap {
  map: maplibregl.Map;
  setPack(pack: PublicPack): void;
  setOrigin(origin: [number, number] | undefined, label: string): void;
  /** Numbered markers for the listed shelters; the selected one's route. */
  setResults(ranked: RankedShelter[], selected: string | undefined, labelOf: (r: RankedShelter, n: number) => string): void;
  /** A PNG of the map as drawn now (for the printed notice). */
  snapshot(): Promise<string>;
}

export interface MapEvents {
  onTap(p: [number, number]): void;
  onPick(shelterId: string): void;
}

/** Line width by zoom, wider for arterials; `extra` widens it for the casing. */
const roadWidth = (extra: number): maplibregl.ExpressionSpecification => [
  'interpolate', ['linear'], ['zoom'],
  10, ['match', ['get', 'class'], ['primary', 'trunk', 'secondary'], 1.5 + extra, 0.5 + extra],
  16, ['match', ['get', 'class'], ['primary', 'trunk', 'secondary'], 9 + extra, 5 + extra],
];

export async function createMap(container: HTMLElement, pack: PublicPack, events: MapEvents): Promise<ShelterMap> {
  await loadWorkerFromPage();
  const [w, s, e, n] = bboxOf(pack);
  const map = new maplibregl.Map({
    container,
    bounds: [w, s, e, n],
    fitBoundsOptions: { padding: 16 },
    attributionControl: false,
    localIdeographFontFamily: "'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif",
    style: {
      version: 8,
      // Required by the style spec for text; never fetched, every label being local (localLabel).
      glyphs: `${location.origin}${location.pathname}glyphs/{fontstack}/{range}.pbf`,
      sources: {
        boundary: { type: 'geojson', data: empty },
        towns: { type: 'geojson', data: empty },
        streets: { type: 'geojson', data: empty },
        route: { type: 'geojson', data: empty },
      },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': '#f3f1ec' } },
        { id: 'county-fill', type: 'fill', source: 'boundary', paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.6 } },
        { id: 'towns-line', type: 'line', source: 'towns', paint: { 'line-color': '#8c93c4', 'line-width': 1, 'line-dasharray': [3, 2] } },
        { id: 'streets-casing', type: 'line', source: 'streets', layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': '#c9c3b6', 'line-width': roadWidth(1.5) } },
        { id: 'streets', type: 'line', source: 'streets', layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': ['match', ['get', 'class'], ['primary', 'trunk'], '#fbd38d', '#ffffff'], 'line-width': roadWidth(0) } },
        { id: 'county-line', type: 'line', source: 'boundary', paint: { 'line-color': '#3949ab', 'line-width': 2.5 } },
        { id: 'route-casing', type: 'line', source: 'route', layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': 9 } },
        { id: 'route', type: 'line', source: 'route', filter: ['!', ['get', 'straight']], layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': '#0d47a1', 'line-width': 5 } },
        // A straight-line fallback is dashed: it is not a way to walk.
        { id: 'route-straight', type: 'line', source: 'route', filter: ['get', 'straight'], paint: { 'line-color': '#0d47a1', 'line-width': 4, 'line-dasharray': [1, 1.5] } },
        {
          id: 'street-labels', type: 'symbol', source: 'streets', minzoom: 14,
          layout: { 'symbol-placement': 'line', 'text-field': ['get', 'label'], 'text-size': 13, 'text-font': ['sans-serif'] },
          paint: { 'text-color': '#3d3d3d', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
        },
        {
          id: 'town-labels', type: 'symbol', source: 'towns', maxzoom: 15,
          layout: { 'text-field': ['get', 'label'], 'text-size': 14, 'text-font': ['sans-serif'] },
          paint: { 'text-color': '#283593', 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
        },
      ],
    },
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.on('click', (ev) => events.onTap([ev.lngLat.lng, ev.lngLat.lat]));

  let origin: maplibregl.Marker | undefined;
  let markers: maplibregl.Marker[] = [];
  const src = (id: string) => map.getSource(id) as maplibregl.GeoJSONSource;

  const api: ShelterMap = {
    map,
    setPack(p) {
      src('boundary').setData({ type: 'Feature', geometry: p.boundary, properties: {} });
      src('towns').setData({ type: 'FeatureCollection', features: p.towns.map((t) => ({ type: 'Feature', geometry: t.geometry, properties: { label: localLabel(t.name) } })) });
      src('streets').setData({
        type: 'FeatureCollection',
        features: p.roads.map((r): Feature<LineString> => ({ type: 'Feature', geometry: { type: 'LineString', coordinates: r.coords }, properties: { class: r.class, label: r.name ? localLabel(r.name) : '' } })),
      });
      const [w2, s2, e2, n2] = bboxOf(p);
      map.fitBounds([w2, s2, e2, n2], { padding: 16, animate: false });
    },
    setOrigin(p, label) {
      origin?.remove();
      origin = undefined;
      if (!p) return;
      const el = document.createElement('div');
      el.className = 'you-are-here';
      el.setAttribute('role', 'img');
      el.setAttribute('aria-label', label);
      el.title = label;
      origin = new maplibregl.Marker({ element: el }).setLngLat(p).addTo(map);
    },
    setResults(ranked, selected, labelOf) {
      for (const m of markers) m.remove();
      markers = ranked.map((r, i) => {
        const el = document.createElement('button');
        el.type = 'button';
        el.className = `shelter-marker group-${r.group}${r.shelter.id === selected ? ' selected' : ''}`;
        el.append(Object.assign(document.createElement('span'), { className: 'disc', textContent: String(i + 1) }));
        el.setAttribute('aria-label', labelOf(r, i + 1));
        el.addEventListener('click', (ev) => {
          ev.stopPropagation();
          events.onPick(r.shelter.id);
        });
        return new maplibregl.Marker({ element: el }).setLngLat([r.shelter.lon, r.shelter.lat]).addTo(map);
      });
      const chosen = ranked.find((r) => r.shelter.id === selected);
      src('route').setData(
        chosen ? { type: 'Feature', geometry: { type: 'LineString', coordinates: chosen.route }, properties: { shelter: chosen.shelter.id, straight: chosen.straightLine } } : empty,
      );
      if (chosen) {
        const b = new maplibregl.LngLatBounds();
        for (const c of chosen.route) b.extend(c);
        // Clear of the zoom buttons at the top right.
        map.fitBounds(b, { padding: { top: 40, bottom: 40, left: 40, right: 64 }, maxZoom: 16.5, animate: false });
      }
    },
    snapshot: () =>
      new Promise((resolve) => {
        map.once('render', () => resolve(map.getCanvas().toDataURL('image/png')));
        map.triggerRepaint();
      }),
  };
  return new Promise((resolve) => {
    map.once('load', () => {
      api.setPack(pack);
      resolve(api);
    });
  });
}

function bboxOf(pack: PublicPack): [number, number, number, number] {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const polys = pack.boundary.type === 'Polygon' ? [pack.boundary.coordinates] : pack.boundary.coordinates;
  for (const poly of polys) for (const [x, y] of poly[0] ?? []) (w = Math.min(w, x)), (s = Math.min(s, y)), (e = Math.max(e, x)), (n = Math.max(n, y));
  return Number.isFinite(w) ? [w, s, e, n] : [-180, -85, 180, 85];
}
