/**
 * The public's question, answered on the phone: which shelters can I walk to for this hazard, how
 * long does it take, and which way. The same walking search the server's coverage analyses run
 * (core/network + core/analysis/reach.ts: snap to the nearest walkable link, walk the off-road leg
 * at the graph's walking speed, one-way streets ignored on foot), plus the route itself.
 */
import { dijkstra } from '../network/dijkstra.js';
import { buildGraph, haversineM, type Graph } from '../network/graph.js';
import { accessSources } from '../network/access-leg.js';
import { DEFAULT_MAX_SNAP_M, snap, snapIndexOf, type Snap } from '../network/snap.js';
import { arrival } from '../analysis/reach.js';
import type { PackShelter, PublicPack } from './pack.js';

export type Lonlat = [number, number];

/** Ranking groups, in the order they are listed: only `open` shelters are somewhere to go now. */
export const GROUPS = ['open', 'full', 'closed', 'planned', 'unsuitable'] as const;
export type RankGroup = (typeof GROUPS)[number];

/** Why a shelter is unsuitable: the pack's own reasons (e.g. "near_geohazard", "in_hazard_zone"), or this one. */
export const NOT_DECLARED = 'hazard_not_declared';

export interface RankedShelter {
  shelter: PackShelter;
  walkSeconds: number;
  walkMetres: number;
  /** Origin → shelter, as LineString coordinates. */
  route: Lonlat[];
  group: RankGroup;
  /** For `unsuitable`: why (a reason code). */
  reason?: string;
  /** The reason's message params (e.g. the hazard zone's name), when it has any. */
  reasonParams?: Record<string, string | number>;
  /**
   * True when the walk is a straight line, not on the road network: the origin (or the shelter)
   * has no walkable road within the snap distance. The UI says so.
   */
  straightLine: boolean;
}

export interface RankOptions {
  /** At most this many shelters of EACH group (so closed ones are never crowded out by open ones). */
  limit?: number;
  /** Snap distance, metres (default core/network/snap DEFAULT_MAX_SNAP_M). */
  maxSnapM?: number;
}

/** The walking graph of a pack: its roads as core/network/graph.ts features. */
export function graphOfPack(pack: PublicPack): Graph {
  return buildGraph(
    pack.roads.map((r) => ({
      type: 'Feature' as const,
      geometry: { type: 'LineString' as const, coordinates: r.coords },
      properties: { class: r.class, oneway: r.oneway, speed_kmh: r.speedKmh },
    })),
  );
}

/**
 * The group of a shelter for a hazard. Unsuitability wins over status: a shelter declared for
 * other hazards, or ruled out for this one (geohazard buffer or hazard zone,
 * core/analysis/shelter-capacity/suitability.ts), is not a place to go even when open. A shelter
 * that declares no hazards is not ruled out for any.
 */
export function groupOf(s: PackShelter, hazard: string): { group: RankGroup; reason?: string; reasonParams?: Record<string, string | number> } {
  const ruledOut = s.unsuitable.find((u) => u.hazard === hazard);
  if (ruledOut) return { group: 'unsuitable', reason: ruledOut.reason, ...(ruledOut.params ? { reasonParams: ruledOut.params } : {}) };
  if (s.hazards.length > 0 && !s.hazards.includes(hazard)) return { group: 'unsuitable', reason: NOT_DECLARED };
  return { group: s.status };
}

/** Appends a point unless it repeats the last one. */
const push = (line: Lonlat[], p: Lonlat): void => {
  const last = line[line.length - 1];
  if (!last || last[0] !== p[0] || last[1] !== p[1]) line.push(p);
};

/** Nodes from a search source to `node`, following predecessors. */
function pathTo(pred: Int32Array, node: number): number[] {
  const nodes: number[] = [];
  for (let v = node; v >= 0; v = pred[v]) nodes.push(v);
  return nodes.reverse();
}

interface Search {
  origin: Snap;
  time: Float64Array;
  pred: Int32Array;
}

/**
 * The walk to a snapped shelter: the end of its link reached first (as destinationTime chooses
 * it), the path there, and the legs at both ends.
 */
function routeTo(g: Graph, search: Search, from: Lonlat, place: Snap, to: Lonlat): { seconds: number; metres: number; route: Lonlat[] } {
  const { origin, time, pred } = search;
  const a = g.linkFrom[place.link];
  const b = g.linkTo[place.link];
  const viaA = time[a] + place.t * g.walk[place.link];
  const viaB = time[b] + (1 - place.t) * g.walk[place.link];
  const end = viaA <= viaB ? a : b;
  const nodes = pathTo(pred, end);
  const route: Lonlat[] = [];
  push(route, from);
  push(route, [origin.lon, origin.lat]);
  for (const v of nodes) push(route, [g.lon[v], g.lat[v]]);
  push(route, [place.lon, place.lat]);
  push(route, to);
  let metres = origin.distanceM + place.distanceM;
  // The part-links from the origin's snap point to the first node and from the last node to the
  // shelter's snap point, then every link between.
  metres += haversineM(origin.lon, origin.lat, g.lon[nodes[0]], g.lat[nodes[0]]);
  metres += haversineM(g.lon[end], g.lat[end], place.lon, place.lat);
  for (let i = 1; i < nodes.length; i++) metres += haversineM(g.lon[nodes[i - 1]], g.lat[nodes[i - 1]], g.lon[nodes[i]], g.lat[nodes[i]]);
  return { seconds: arrival(g, place, 'walk', time), metres, route };
}

function straight(g: Graph, from: Lonlat, to: Lonlat): { seconds: number; metres: number; route: Lonlat[] } {
  const metres = haversineM(from[0], from[1], to[0], to[1]);
  return { seconds: metres / g.walkSpeedMs, metres, route: [from, to] };
}

/**
 * Shelters of a pack ranked for someone at `origin` facing `hazard`: open and suitable first by
 * walking time, then full, closed, planned and unsuitable ones, each group by walking time —
 * none dropped (bar `limit`). The walk follows the road network on foot; an origin with no
 * walkable road within the snap distance, or a shelter likewise, gets a straight line, flagged.
 */
export function rankShelters(pack: PublicPack, graph: Graph, origin: Lonlat, hazard: string, opts: RankOptions = {}): RankedShelter[] {
  const maxSnapM = opts.maxSnapM ?? DEFAULT_MAX_SNAP_M;
  const ix = snapIndexOf(graph);
  const o = snap(ix, origin[0], origin[1], { mode: 'walk', maxDistanceM: maxSnapM });
  let search: Search | null = null;
  if (o.ok) {
    const r = dijkstra(graph.walkCsr, accessSources(graph, o, 'walk'), Infinity, { predecessors: true });
    search = { origin: o, time: r.time, pred: r.pred! };
  }
  const ranked = pack.shelters.map((shelter): RankedShelter => {
    const to: Lonlat = [shelter.lon, shelter.lat];
    const place = search ? snap(ix, shelter.lon, shelter.lat, { mode: 'walk', maxDistanceM: maxSnapM }) : null;
    const onNetwork = search && place?.ok && arrival(graph, place, 'walk', search.time) < Infinity;
    const walk = onNetwork ? routeTo(graph, search!, origin, place as Snap, to) : straight(graph, origin, to);
    return {
      shelter,
      walkSeconds: walk.seconds,
      walkMetres: walk.metres,
      route: walk.route,
      ...groupOf(shelter, hazard),
      straightLine: !onNetwork,
    };
  });
  ranked.sort((x, y) => GROUPS.indexOf(x.group) - GROUPS.indexOf(y.group) || x.walkSeconds - y.walkSeconds || x.shelter.id.localeCompare(y.shelter.id));
  if (opts.limit === undefined) return ranked;
  const kept = new Map<RankGroup, number>();
  return ranked.filter((r) => {
    const n = kept.get(r.group) ?? 0;
    kept.set(r.group, n + 1);
    return n < opts.limit!;
  });
}
