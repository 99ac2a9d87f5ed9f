/**
 * The new sites of a siting answer as MapLibre markers (DOM elements over the map): numbered by
 * rank, dragged to move a site, removed by right-click (or Delete when focused). deck.gl would need
 * the map's panning switched off around each drag; a marker does this itself.
 */
import * as maplibregl from 'maplibre-gl';
import type { PlanSite, SitingResult } from '../analyses/planner-siting/goals';
import type { ResultMarker } from '../analyses/types';
import { isManualSite } from '../analyses/planner-siting/usePlan';

export interface SiteMarker extends PlanSite {
  /** The site's number, kept through moves (goals.ts siteNumbers). */
  label: string;
  manual: boolean;
  /** Not yet in the answer on screen: moved or added, being evaluated. */
  pending: boolean;
}

export interface SiteHandlers {
  move(id: string, lonLat: [number, number]): void;
  remove(id: string): void;
  /** Tooltip: how to move and remove. */
  title: string;
}

/**
 * Markers for the planner's sites (or the answer's, untouched), labelled by their numbers, which a
 * drag does not change; a site the answer on screen does not hold yet is marked pending.
 */
export function siteMarkers(result: SitingResult, sites: readonly PlanSite[] | undefined, numbers?: ReadonlyMap<string, number>): SiteMarker[] {
  const shown = new Map(result.chosen.map((c) => [c.id, c]));
  return (sites ?? result.chosen).map(({ id, lon, lat }) => {
    const c = shown.get(id);
    const number = numbers?.get(id) ?? c?.number;
    return { id, lon, lat, label: number === undefined ? '…' : String(number), manual: isManualSite(id), pending: !c || c.lon !== lon || c.lat !== lat };
  });
}

/** Adds, moves, relabels and removes markers so that `markers` shows `sites`. */
export function syncSiteMarkers(map: maplibregl.Map, markers: Map<string, maplibregl.Marker>, sites: readonly ResultMarker[] | undefined, handlers: () => SiteHandlers | undefined): void {
  const wanted = new Map((sites ?? []).map((s) => [s.id, s]));
  for (const [id, marker] of markers) {
    if (!wanted.has(id)) {
      marker.remove();
      markers.delete(id);
    }
  }
  for (const site of wanted.values()) {
    let marker = markers.get(site.id);
    if (!marker) {
      const el = document.createElement('div');
      el.className = 'site-marker';
      el.tabIndex = 0;
      el.setAttribute('role', 'button');
      el.dataset.site = site.id;
      el.addEventListener('contextmenu', (e) => {
        e.preventDefault();
        handlers()?.remove(site.id);
      });
      el.addEventListener('keydown', (e) => {
        if (e.key === 'Delete' || e.key === 'Backspace') handlers()?.remove(site.id);
      });
      marker = new maplibregl.Marker({ element: el, draggable: true }).setLngLat([site.lon, site.lat]).addTo(map);
      const m = marker;
      m.on('dragend', () => {
        const p = m.getLngLat();
        handlers()?.move(site.id, [p.lng, p.lat]);
      });
      markers.set(site.id, marker);
    }
    const el = marker.getElement();
    el.classList.toggle('manual', site.manual);
    el.classList.toggle('pending', Boolean(site.pending));
    el.textContent = site.label;
    el.title = handlers()?.title ?? '';
    const at = marker.getLngLat();
    if (at.lng !== site.lon || at.lat !== site.lat) marker.setLngLat([site.lon, site.lat]);
  }
}
