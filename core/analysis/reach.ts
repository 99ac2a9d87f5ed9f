/**
 * Network reach shared by the coverage analyses: search outward from a set of facilities, then
 * read the arrival time at any place (a population cell, a town centre). Places and facilities
 * join the network by their nearest usable link; a facility's leg to it is driven by vehicles and
 * walked by people (core/network/access-leg.ts), a place's last leg from the road is walked.
 */
import { dijkstra } from '../network/dijkstra.js';
import { csrOf, type Graph, type Mode } from '../network/graph.js';
import { accessSources } from '../network/access-leg.js';
import { destinationTime, snap, snapIndexOf, type Snap } from '../network/snap.js';

export type LonLat = readonly [number, number];

/** Snaps places to the network; null where no usable link lies within `maxSnapM`. */
export function snapPlaces(g: Graph, places: readonly LonLat[], mode: Mode, maxSnapM: number): (Snap | null)[] {
  const ix = snapIndexOf(g);
  return places.map(([lon, lat]) => {
    const s = snap(ix, lon, lat, { mode, maxDistanceM: maxSnapM });
    return s.ok ? s : null;
  });
}

/** Seconds from the nearest facility to every node, searched up to `maxSeconds`. */
export function searchFrom(g: Graph, facilities: readonly (Snap | null)[], mode: Mode, maxSeconds: number): Float64Array {
  const sources = facilities.flatMap((s) => (s ? accessSources(g, s, mode) : []));
  return dijkstra(csrOf(g, mode), sources, maxSeconds).time;
}

/**
 * How a trip ends off the road: `walk` adds the walk from the road to the place (a person going
 * to a shelter); `none` stops at the road point nearest the place (a fire engine or a supply truck
 * serves a cell once it reaches the road beside it).
 */
export type OffRoad = 'walk' | 'none';

/** Seconds to reach a snapped place given node times; Infinity when unsnapped or unreached. */
export function arrival(g: Graph, place: Snap | null, mode: Mode, nodeTime: Float64Array, offRoad: OffRoad = 'walk'): number {
  if (!place) return Infinity;
  const t = destinationTime(g, place, mode, nodeTime);
  return offRoad === 'walk' ? t : t - place.distanceM / g.walkSpeedMs;
}
