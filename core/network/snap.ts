/**
 * Snapping places to the road graph: the nearest usable link to a lon/lat (spatial grid index),
 * the projection onto it, and the costs that connect the place to both ends of that link.
 * The leg from a facility or origin to its snap point follows core/network/access-leg.ts; the last
 * leg from the road to a destination is on foot at the graph's walking speed.
 */
import { EARTH_RADIUS_M, haversineM, linkUsable, type Graph, type Mode } from './graph.js';

/**
 * Default refusal distance: a place more than 1 km from any mapped road is more likely a gap in
 * the road data than a place reached on foot, so callers fall back explicitly instead of
 * pretending the network reaches it.
 */
export const DEFAULT_MAX_SNAP_M = 1000;

const M_PER_DEG = (EARTH_RADIUS_M * Math.PI) / 180;

export interface SnapIndex {
  graph: Graph;
  minLon: number;
  minLat: number;
  cellLon: number;
  cellLat: number;
  cols: number;
  rows: number;
  /** Links in cell c are items[start[c]..start[c+1]]. */
  start: Int32Array;
  items: Int32Array;
  /** A lower bound of a cell's width and height in metres anywhere in the grid. */
  cellMinM: number;
}

/** Builds the grid index over all links; `cellM` is the target cell size in metres. */
export function buildSnapIndex(graph: Graph, cellM = 250): SnapIndex {
  const { lon, lat, linkFrom, linkTo, linkCount } = graph;
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (let i = 0; i < graph.nodeCount; i++) {
    if (lon[i] < minLon) minLon = lon[i];
    if (lon[i] > maxLon) maxLon = lon[i];
    if (lat[i] < minLat) minLat = lat[i];
    if (lat[i] > maxLat) maxLat = lat[i];
  }
  if (graph.nodeCount === 0) minLon = minLat = maxLon = maxLat = 0;
  const maxAbsLat = Math.min(89, Math.max(Math.abs(minLat), Math.abs(maxLat)));
  const midCos = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  // Keep the grid to about four cells per link, so a sparse, wide network does not blow it up.
  let size = cellM;
  const cellsFor = (m: number): number =>
    (Math.floor(((maxLon - minLon) * M_PER_DEG * midCos) / m) + 1) * (Math.floor(((maxLat - minLat) * M_PER_DEG) / m) + 1);
  while (cellsFor(size) > Math.max(1024, 4 * linkCount)) size *= 2;
  const cellLat = size / M_PER_DEG;
  const cellLon = size / (M_PER_DEG * midCos);
  const cols = Math.floor((maxLon - minLon) / cellLon) + 1;
  const rows = Math.floor((maxLat - minLat) / cellLat) + 1;

  // (cell, link) pairs for every cell each segment passes through (row-by-row clipping), then a
  // counting sort by cell.
  let pairCell: Int32Array = new Int32Array(linkCount * 2 + 16);
  let pairLink: Int32Array = new Int32Array(linkCount * 2 + 16);
  let n = 0;
  for (let l = 0; l < linkCount; l++) {
    const ax = lon[linkFrom[l]];
    const ay = lat[linkFrom[l]];
    const bx = lon[linkTo[l]];
    const by = lat[linkTo[l]];
    const r0 = Math.min(rows - 1, Math.floor((Math.min(ay, by) - minLat) / cellLat));
    const r1 = Math.min(rows - 1, Math.floor((Math.max(ay, by) - minLat) / cellLat));
    for (let r = r0; r <= r1; r++) {
      let x0 = Math.min(ax, bx);
      let x1 = Math.max(ax, bx);
      if (r0 !== r1) {
        const ylo = Math.max(Math.min(ay, by), minLat + r * cellLat);
        const yhi = Math.min(Math.max(ay, by), minLat + (r + 1) * cellLat);
        const xa = ax + ((ylo - ay) / (by - ay)) * (bx - ax);
        const xb = ax + ((yhi - ay) / (by - ay)) * (bx - ax);
        x0 = Math.min(xa, xb);
        x1 = Math.max(xa, xb);
      }
      const c1 = Math.min(cols - 1, Math.floor((x1 - minLon) / cellLon));
      for (let c = Math.max(0, Math.floor((x0 - minLon) / cellLon)); c <= c1; c++) {
        if (n === pairCell.length) {
          const grow = (a: Int32Array): Int32Array => {
            const b = new Int32Array(a.length * 2);
            b.set(a);
            return b;
          };
          pairCell = grow(pairCell);
          pairLink = grow(pairLink);
        }
        pairCell[n] = r * cols + c;
        pairLink[n++] = l;
      }
    }
  }
  const start = new Int32Array(cols * rows + 1);
  for (let k = 0; k < n; k++) start[pairCell[k] + 1]++;
  for (let c = 0; c < cols * rows; c++) start[c + 1] += start[c];
  const fill = start.slice(0, cols * rows);
  const items = new Int32Array(n);
  for (let k = 0; k < n; k++) items[fill[pairCell[k]]++] = pairLink[k];
  return {
    graph,
    minLon,
    minLat,
    cellLon,
    cellLat,
    cols,
    rows,
    start,
    items,
    cellMinM: Math.min(cellLat * M_PER_DEG, cellLon * M_PER_DEG * Math.cos((maxAbsLat * Math.PI) / 180)),
  };
}

const indexes = new WeakMap<Graph, SnapIndex>();

/** The graph's snap index, built on first use and kept as long as the graph. */
export function snapIndexOf(graph: Graph): SnapIndex {
  let ix = indexes.get(graph);
  if (!ix) indexes.set(graph, (ix = buildSnapIndex(graph)));
  return ix;
}

export interface Snap {
  ok: true;
  link: number;
  /** Position along the link, 0 at `linkFrom`, 1 at `linkTo`. */
  t: number;
  /** The snap point on the link. */
  lon: number;
  lat: number;
  /** Off-road distance from the place to the snap point, metres. */
  distanceM: number;
}

export interface SnapRefused {
  ok: false;
  /** Why, in words a user can act on. */
  message: string;
}

export interface SnapOptions {
  mode: Mode;
  maxDistanceM?: number;
}

/**
 * The nearest point on a link usable in `mode`, or a refusal when none lies within
 * `maxDistanceM`. Distances are measured in a local equirectangular projection around the place
 * (exact to well under a metre at snapping distances), then reported as haversine metres.
 */
export function snap(ix: SnapIndex, lon: number, lat: number, { mode, maxDistanceM = DEFAULT_MAX_SNAP_M }: SnapOptions): Snap | SnapRefused {
  const g = ix.graph;
  const kx = M_PER_DEG * Math.cos((lat * Math.PI) / 180);
  const ky = M_PER_DEG;
  const cq = Math.floor((lon - ix.minLon) / ix.cellLon);
  const rq = Math.floor((lat - ix.minLat) / ix.cellLat);
  let best = -1;
  let bestD2 = Infinity;
  let bestT = 0;
  const maxRing = Math.max(ix.cols, ix.rows) + Math.abs(cq) + Math.abs(rq);
  for (let ring = 0; ring <= maxRing; ring++) {
    const bound = Math.max(0, ring - 1) * ix.cellMinM;
    if (bound > maxDistanceM || bound * bound > bestD2) break;
    for (let r = rq - ring; r <= rq + ring; r++) {
      if (r < 0 || r >= ix.rows) continue;
      const edge = r === rq - ring || r === rq + ring;
      for (let c = cq - ring; c <= cq + ring; c += edge ? 1 : 2 * ring) {
        if (c >= 0 && c < ix.cols) {
          const cell = r * ix.cols + c;
          for (let k = ix.start[cell]; k < ix.start[cell + 1]; k++) {
            const l = ix.items[k];
            if (!linkUsable(g, l, mode)) continue;
            const a = g.linkFrom[l];
            const b = g.linkTo[l];
            const ax = (g.lon[a] - lon) * kx;
            const ay = (g.lat[a] - lat) * ky;
            const dx = (g.lon[b] - lon) * kx - ax;
            const dy = (g.lat[b] - lat) * ky - ay;
            const len2 = dx * dx + dy * dy;
            const t = len2 > 0 ? Math.min(1, Math.max(0, -(ax * dx + ay * dy) / len2)) : 0;
            const px = ax + t * dx;
            const py = ay + t * dy;
            const d2 = px * px + py * py;
            if (d2 < bestD2 || (d2 === bestD2 && l < best)) {
              bestD2 = d2;
              best = l;
              bestT = t;
            }
          }
        }
      }
    }
  }
  const where = `[${lon}, ${lat}]`;
  if (best < 0 || Math.sqrt(bestD2) > maxDistanceM) {
    return { ok: false, message: `No ${mode === 'drive' ? 'drivable' : 'walkable'} road within ${maxDistanceM} m of ${where}.` };
  }
  const a = g.linkFrom[best];
  const b = g.linkTo[best];
  const slon = g.lon[a] + bestT * (g.lon[b] - g.lon[a]);
  const slat = g.lat[a] + bestT * (g.lat[b] - g.lat[a]);
  return { ok: true, link: best, t: bestT, lon: slon, lat: slat, distanceM: haversineM(lon, lat, slon, slat) };
}

/** A fraction of a link cost; 0 at the very end even when that direction is closed (0·∞). */
const part = (fraction: number, cost: number): number => (fraction === 0 ? 0 : fraction * cost);

/** Seconds along the snapped link from the snap point to its `linkFrom` end and to its `linkTo` end. */
export function partialCosts(g: Graph, s: Snap, mode: Mode): { toFrom: number; toTo: number } {
  if (mode === 'walk') return { toFrom: part(s.t, g.walk[s.link]), toTo: part(1 - s.t, g.walk[s.link]) };
  return { toFrom: part(s.t, g.driveBackward[s.link]), toTo: part(1 - s.t, g.driveForward[s.link]) };
}

/**
 * Travel time to a snapped destination, given node times from a search: arrive at either end,
 * run along the link to the snap point in an allowed direction, walk the off-road leg. A
 * destination on the same link as an origin is reached through a link end, never directly.
 */
export function destinationTime(g: Graph, s: Snap, mode: Mode, time: Float64Array): number {
  const off = s.distanceM / g.walkSpeedMs;
  const fromEnd = part(s.t, mode === 'walk' ? g.walk[s.link] : g.driveForward[s.link]);
  const toEnd = part(1 - s.t, mode === 'walk' ? g.walk[s.link] : g.driveBackward[s.link]);
  return Math.min(time[g.linkFrom[s.link]] + fromEnd, time[g.linkTo[s.link]] + toEnd) + off;
}
