/**
 * Road closures marked by the commander, turned into the drive links they remove:
 * - a Point closes the nearest drivable link within POINT_CLOSURE_M (50 m);
 * - a LineString closes the links it crosses, and those it runs along: the link's midpoint within
 *   LINE_CLOSURE_M (15 m) of the line and its direction within 30° of the line's there (so a side
 *   street ending on a closed road stays open);
 * - a Polygon closes the links with an end inside it or crossing its boundary.
 * A link is one segment between two vertices of a road line (core/network/graph.ts).
 */
import { EARTH_RADIUS_M, type Graph } from '../../network/graph.js';
import { snap, snapIndexOf, type SnapIndex } from '../../network/snap.js';
import type { ClosureGeometry, ClosureReport, Message } from '../../incident/schema.js';

export const POINT_CLOSURE_M = 50;
export const LINE_CLOSURE_M = 15;
const ALONG_MAX_ANGLE = Math.cos((30 * Math.PI) / 180);

const M_PER_DEG = (EARTH_RADIUS_M * Math.PI) / 180;

type XY = [number, number];

export interface ClosedLinks {
  /** 1 for every closed link, indexed by link id. */
  closed: Uint8Array;
  reports: ClosureReport[];
  messages: Message[];
}

/** Drivable links inside the lon/lat box grown by `padM`, from the snap index's grid. */
function linksNear(ix: SnapIndex, box: [number, number, number, number], padM: number): number[] {
  const padLat = padM / M_PER_DEG;
  const padLon = padM / (M_PER_DEG * Math.cos((((box[1] + box[3]) / 2) * Math.PI) / 180));
  const c0 = Math.max(0, Math.floor((box[0] - padLon - ix.minLon) / ix.cellLon));
  const c1 = Math.min(ix.cols - 1, Math.floor((box[2] + padLon - ix.minLon) / ix.cellLon));
  const r0 = Math.max(0, Math.floor((box[1] - padLat - ix.minLat) / ix.cellLat));
  const r1 = Math.min(ix.rows - 1, Math.floor((box[3] + padLat - ix.minLat) / ix.cellLat));
  const g = ix.graph;
  const out = new Set<number>();
  for (let r = r0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++) {
      const cell = r * ix.cols + c;
      for (let k = ix.start[cell]; k < ix.start[cell + 1]; k++) {
        const l = ix.items[k];
        if (g.driveForward[l] < Infinity || g.driveBackward[l] < Infinity) out.add(l);
      }
    }
  }
  return [...out];
}

const cross = (ax: number, ay: number, bx: number, by: number): number => ax * by - ay * bx;

/** Whether segments pq and rs intersect (touching counts). */
function segmentsMeet(p: XY, q: XY, r: XY, s: XY): boolean {
  const d1 = cross(s[0] - r[0], s[1] - r[1], p[0] - r[0], p[1] - r[1]);
  const d2 = cross(s[0] - r[0], s[1] - r[1], q[0] - r[0], q[1] - r[1]);
  const d3 = cross(q[0] - p[0], q[1] - p[1], r[0] - p[0], r[1] - p[1]);
  const d4 = cross(q[0] - p[0], q[1] - p[1], s[0] - p[0], s[1] - p[1]);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  const on = (a: XY, b: XY, c: XY, d: number): boolean =>
    d === 0 && Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1]);
  return on(r, s, p, d1) || on(r, s, q, d2) || on(p, q, r, d3) || on(p, q, s, d4);
}

/** Distance from point c to segment ab, and the segment's unit direction. */
function toSegment(c: XY, a: XY, b: XY): { d: number; ux: number; uy: number } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.min(1, Math.max(0, ((c[0] - a[0]) * dx + (c[1] - a[1]) * dy) / len2)) : 0;
  const len = Math.sqrt(len2) || 1;
  return { d: Math.hypot(a[0] + t * dx - c[0], a[1] + t * dy - c[1]), ux: dx / len, uy: dy / len };
}

function inRing(p: XY, ring: XY[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function bboxOf(coords: number[][]): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of coords) {
    box[0] = Math.min(box[0], x);
    box[1] = Math.min(box[1], y);
    box[2] = Math.max(box[2], x);
    box[3] = Math.max(box[3], y);
  }
  return box;
}

/** The links each closure removes; `reports` in the order given. */
export function closeLinks(g: Graph, closures: readonly ClosureGeometry[]): ClosedLinks {
  const closed = new Uint8Array(g.linkCount);
  const reports: ClosureReport[] = [];
  const messages: Message[] = [];
  const ix = snapIndexOf(g);
  closures.forEach((geom, index) => {
    const hit: number[] = [];
    if (geom.type === 'Point') {
      const s = snap(ix, geom.coordinates[0], geom.coordinates[1], { mode: 'drive', maxDistanceM: POINT_CLOSURE_M });
      if (s.ok) hit.push(s.link);
    } else {
      const all = geom.type === 'LineString' ? geom.coordinates : geom.coordinates.flat();
      const box = bboxOf(all);
      const lat0 = (box[1] + box[3]) / 2;
      const kx = M_PER_DEG * Math.cos((lat0 * Math.PI) / 180);
      const xy = ([lon, lat]: number[]): XY => [(lon - box[0]) * kx, (lat - lat0) * M_PER_DEG];
      const node = (n: number): XY => xy([g.lon[n], g.lat[n]]);
      if (geom.type === 'LineString') {
        const line = geom.coordinates.map(xy);
        for (const l of linksNear(ix, box, LINE_CLOSURE_M)) {
          const a = node(g.linkFrom[l]);
          const b = node(g.linkTo[l]);
          const mid: XY = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
          const len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
          let take = false;
          for (let i = 1; i < line.length && !take; i++) {
            if (segmentsMeet(a, b, line[i - 1], line[i])) take = true;
            else {
              const near = toSegment(mid, line[i - 1], line[i]);
              const cos = Math.abs((near.ux * (b[0] - a[0]) + near.uy * (b[1] - a[1])) / len);
              take = near.d <= LINE_CLOSURE_M && cos >= ALONG_MAX_ANGLE;
            }
          }
          if (take) hit.push(l);
        }
      } else {
        const rings = geom.coordinates.map((r) => r.map(xy));
        const inside = (p: XY): boolean => inRing(p, rings[0]) && !rings.slice(1).some((h) => inRing(p, h));
        for (const l of linksNear(ix, box, 0)) {
          const a = node(g.linkFrom[l]);
          const b = node(g.linkTo[l]);
          const crosses = rings.some((r) => r.some((p, i) => i > 0 && segmentsMeet(a, b, r[i - 1], p)));
          if (crosses || inside(a) || inside(b)) hit.push(l);
        }
      }
    }
    for (const l of hit) closed[l] = 1;
    reports.push({ index, kind: geom.type, linksClosed: hit.length });
    if (hit.length === 0) messages.push({ code: 'closure_no_road', params: { index } });
  });
  return { closed, reports, messages };
}
