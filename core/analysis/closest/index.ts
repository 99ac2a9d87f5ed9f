/**
 * Closest facilities by drive time (ArcGIS "Closest Facility", 周边资源查询): ONE bounded Dijkstra
 * from the incident over the REVERSED drive graph gives every node's time TO the incident, so all
 * facilities of all layers are ranked from a single search, and one-way roads count in the
 * direction the engines drive them (facility → incident).
 *
 * Joining the network: the incident and every facility snap to the nearest drivable link
 * (core/network/snap.ts, as core/analysis/reach.ts does). Vehicles stop at the road point nearest
 * the incident (the last metres are on foot and not part of an ETA). A facility's access leg,
 * from its door to its road, is DRIVEN at the speed of the road it joins — an engine leaves its
 * yard by car — by the rule every analysis shares (core/network/access-leg.ts).
 *
 * Routes come from the search's predecessor tree, listed facility → incident. Closures
 * (closures.ts) remove links before the search.
 */
import { dijkstra, type Source } from '../../network/dijkstra.js';
import { accessLeg } from '../../network/access-leg.js';
import { haversineM, type Csr, type Graph } from '../../network/graph.js';
import { DEFAULT_MAX_SNAP_M, snap, snapIndexOf, type Snap } from '../../network/snap.js';
import { GROUP_LAYER, type ClosestGroup, type ClosestGroupKey, type ClosestItem } from '../../incident/schema.js';

export class ClosestError extends Error {
  constructor(
    readonly code: 'no_road_nearby' | 'origin_disconnected',
    message: string,
    readonly params: Record<string, number>,
  ) {
    super(message);
  }
}

export interface Facility {
  id: string;
  name: string;
  lon: number;
  lat: number;
  group: ClosestGroupKey;
  layer: string;
  properties: Record<string, unknown>;
}

export interface ClosestOptions {
  maxMinutes: number;
  /** Ascending minutes. */
  tiers: number[];
  /** Items per group. */
  limit: number;
  /** Links removed by closures (closures.ts). */
  closed?: Uint8Array;
  /** How far the incident may be from a drivable road, metres. */
  maxSnapM?: number;
}

export interface ClosestAnswer {
  road: [number, number];
  snapDistanceM: number;
  groups: ClosestGroup[];
  /** Per facility id (all groups), seconds to the incident; Infinity when not reachable. */
  seconds: Map<string, number>;
  /** Facilities with no drivable road within 1 km, per group. */
  unsnapped: Map<ClosestGroupKey, number>;
  searchMs: number;
}

const reversed = new WeakMap<Graph, Csr>();

/** The drive arcs turned around (u→v becomes v→u, same cost and link), built once per graph. */
export function reversedDrive(g: Graph): Csr {
  let r = reversed.get(g);
  if (r) return r;
  const { offsets, targets, costs, links } = g.drive;
  const n = g.nodeCount;
  const off = new Int32Array(n + 1);
  for (let k = 0; k < targets.length; k++) off[targets[k] + 1]++;
  for (let v = 0; v < n; v++) off[v + 1] += off[v];
  const fill = off.slice(0, n);
  const t = new Int32Array(targets.length);
  const c = new Float64Array(targets.length);
  const l = new Int32Array(targets.length);
  for (let u = 0; u < n; u++) {
    for (let k = offsets[u]; k < offsets[u + 1]; k++) {
      const j = fill[targets[k]]++;
      t[j] = u;
      c[j] = costs[k];
      l[j] = links[k];
    }
  }
  reversed.set(g, (r = { offsets: off, targets: t, costs: c, links: l }));
  return r;
}

/**
 * Seconds for a fraction of a link: 0 at the very end even when that direction is not allowed or
 * the link is closed (a place exactly at a junction is not cut off by a closure of one street).
 */
const part = (fraction: number, cost: number, closed: boolean): number => (fraction === 0 ? 0 : closed ? Infinity : fraction * cost);

/** Reversed-search sources: the link ends from which a vehicle drives on to the incident's road point. */
function incidentSources(g: Graph, s: Snap, closed?: Uint8Array): Source[] {
  const shut = closed?.[s.link] === 1;
  const out: Source[] = [];
  const fromFrom = part(s.t, g.driveForward[s.link], shut);
  const fromTo = part(1 - s.t, g.driveBackward[s.link], shut);
  if (fromFrom < Infinity) out.push({ node: g.linkFrom[s.link], cost: fromFrom });
  if (fromTo < Infinity) out.push({ node: g.linkTo[s.link], cost: fromTo });
  return out;
}

interface Leg {
  seconds: number;
  /** Node the route enters the network at, or -1 when it runs along the incident's own link. */
  node: number;
}

/** Seconds from a snapped facility to the incident, given reversed-search node times. */
function facilityLeg(g: Graph, f: Snap, o: Snap, time: Float64Array, closed?: Uint8Array): Leg {
  const shut = closed?.[f.link] === 1;
  const access = accessLeg(g, f, 'drive').seconds;
  const viaFrom = part(f.t, g.driveBackward[f.link], shut) + time[g.linkFrom[f.link]];
  const viaTo = part(1 - f.t, g.driveForward[f.link], shut) + time[g.linkTo[f.link]];
  let best: Leg = viaFrom <= viaTo ? { seconds: viaFrom, node: g.linkFrom[f.link] } : { seconds: viaTo, node: g.linkTo[f.link] };
  if (f.link === o.link) {
    // Both on one link: straight along it when its direction allows.
    const direct = f.t <= o.t ? part(o.t - f.t, g.driveForward[f.link], shut) : part(f.t - o.t, g.driveBackward[f.link], shut);
    if (direct < best.seconds) best = { seconds: direct, node: -1 };
  }
  return { seconds: best.seconds + access, node: best.node };
}

function routeOf(g: Graph, pred: Int32Array, door: Facility, f: Snap, o: Snap, leg: Leg): [number, number][] {
  const pts: [number, number][] = [
    [door.lon, door.lat],
    [f.lon, f.lat],
  ];
  for (let v = leg.node; v >= 0; v = pred[v]) pts.push([g.lon[v], g.lat[v]]);
  pts.push([o.lon, o.lat]);
  return pts.map(([x, y]) => [Math.round(x * 1e7) / 1e7, Math.round(y * 1e7) / 1e7]);
}

const lengthM = (pts: [number, number][]): number => pts.reduce((s, p, i) => (i ? s + haversineM(pts[i - 1][0], pts[i - 1][1], p[0], p[1]) : 0), 0);

/** Snaps the incident; throws ClosestError('no_road_nearby') with the nearest road's distance. */
export function snapIncident(g: Graph, lon: number, lat: number, maxSnapM = DEFAULT_MAX_SNAP_M): Snap {
  const ix = snapIndexOf(g);
  const s = snap(ix, lon, lat, { mode: 'drive', maxDistanceM: maxSnapM });
  if (s.ok) return s;
  const any = snap(ix, lon, lat, { mode: 'drive', maxDistanceM: Infinity });
  const nearestRoadM = any.ok ? Math.round(any.distanceM) : -1;
  throw new ClosestError('no_road_nearby', `No drivable road within ${maxSnapM} m of the incident; the nearest is ${nearestRoadM} m away.`, {
    nearestRoadM,
    maxSnapM,
  });
}

/**
 * Ranks `facilities` per group by drive time to the incident at `origin`. Throws ClosestError:
 * `no_road_nearby` when no drivable road is within maxSnapM of the incident; `origin_disconnected`
 * when closures cut the incident off (its own road is closed, or no facility can reach it any
 * more while some could without the closures).
 */
export function closestFacilities(g: Graph, origin: [number, number], facilities: readonly Facility[], groupKeys: readonly ClosestGroupKey[], o: ClosestOptions): ClosestAnswer {
  const o0 = snapIncident(g, origin[0], origin[1], o.maxSnapM);
  const csr = reversedDrive(g);
  const maxSeconds = o.maxMinutes * 60;
  const ix = snapIndexOf(g);
  const snaps = facilities.map((f) => {
    const s = snap(ix, f.lon, f.lat, { mode: 'drive', maxDistanceM: DEFAULT_MAX_SNAP_M });
    return s.ok ? s : null;
  });

  const t0 = performance.now();
  const sources = incidentSources(g, o0, o.closed);
  const disconnected = (): ClosestError =>
    new ClosestError('origin_disconnected', 'The road closures cut the incident off: no resource can reach it by road.', {});
  if (sources.length === 0 && o.closed) throw disconnected();
  const search = dijkstra(csr, sources, maxSeconds, { closedLinks: o.closed, predecessors: true });
  const searchMs = performance.now() - t0;
  const legs = snaps.map((s) => (s ? facilityLeg(g, s, o0, search.time, o.closed) : { seconds: Infinity, node: -1 }));

  const within = (l: Leg): boolean => l.seconds <= maxSeconds;
  if (o.closed && facilities.length > 0 && !legs.some(within)) {
    // Nothing reaches the incident: was it the closures?
    const open = dijkstra(csr, incidentSources(g, o0), maxSeconds);
    if (snaps.some((s) => s && within(facilityLeg(g, s, o0, open.time)))) throw disconnected();
  }

  const seconds = new Map<string, number>();
  const unsnapped = new Map<ClosestGroupKey, number>();
  const groups: ClosestGroup[] = groupKeys.map((key) => {
    const members = facilities.map((f, i) => ({ f, i })).filter(({ f }) => f.group === key);
    const reach = members.filter(({ i }) => within(legs[i])).sort((a, b) => legs[a.i].seconds - legs[b.i].seconds || a.f.id.localeCompare(b.f.id));
    const off = members.filter(({ i }) => !snaps[i]).length;
    if (off) unsnapped.set(key, off);
    for (const { f, i } of members) seconds.set(f.id, within(legs[i]) ? legs[i].seconds : Infinity);
    const items: ClosestItem[] = reach.slice(0, o.limit).map(({ f, i }) => {
      const route = routeOf(g, search.pred!, f, snaps[i]!, o0, legs[i]);
      const s = legs[i].seconds;
      return {
        id: f.id,
        name: f.name,
        etaMinutes: Math.round((s / 60) * 10) / 10,
        distanceM: Math.round(lengthM(route)),
        tier: o.tiers.find((m) => s <= m * 60) ?? null,
        route,
        properties: f.properties,
      };
    });
    return { key, layer: GROUP_LAYER[key], items, reachable: reach.length, unreachable: members.length - reach.length };
  });
  return { road: [o0.lon, o0.lat], snapDistanceM: Math.round(o0.distanceM * 10) / 10, groups, seconds, unsnapped, searchMs };
}
