/**
 * Travel time from a network search to every place: a raster of square cells (local
 * equirectangular metres) holding, for each cell centre p, the least time over all links of
 *
 *     τ(s) + |p − x(s)| / v_walk     for points x(s) along a link with |p − x(s)| ≤ offRoadM,
 *
 * where τ(s) is the time at which the vehicle (or walker) can be at x(s): entering from either
 * end, τ(s) = min(t_from + s·c_fwd, t_to + (L − s)·c_back), with c the link's seconds per metre
 * in that direction (∞ where one-way forbids it). So a place is reached by going along the road
 * to the best point and walking the rest in a straight line, no farther than offRoadM.
 *
 * For each straight piece the best s has a closed form: with k = c·v_walk < 1 the walk leaves the
 * road at s* = u − h·k/√(1 − k²) (u, h: the place's along/across offsets), clamped to the link and
 * to the stretch within offRoadM; with k ≥ 1 (walking along the road is no faster) at the nearest
 * allowed point to the entry end. Origins also reach cells directly on foot, and the part-links
 * from an origin's snap point are evaluated as two extra pieces starting at the snap point.
 */
import { EARTH_RADIUS_M, type Graph, type Mode } from '../network/graph.js';
import type { Snap } from '../network/snap.js';

const M_PER_DEG = (EARTH_RADIUS_M * Math.PI) / 180;

/** Cap on raster cells (2 M × 8 bytes = 16 MB); a given cell size doubles until the extent fits. */
export const MAX_RASTER_CELLS = 2_000_000;

/**
 * Without a given cell size: the finest of 25, 50, 100, 200 … m that keeps the raster within
 * 250 k cells — 25–50 m for a fire station's minutes, 200 m for a county-wide hour.
 */
export const AUTO_CELL_M = 25;
export const AUTO_MAX_CELLS = 250_000;

export interface TimeRaster {
  lon0: number;
  lat0: number;
  kx: number;
  ky: number;
  /** Lower-left corner of cell (0, 0) in projected metres. */
  x0: number;
  y0: number;
  cellSizeM: number;
  cols: number;
  rows: number;
  /** Seconds per cell (row 0 at the south); Infinity where not reached within the bound. */
  time: Float64Array;
}

export interface RasterOrigin {
  lon: number;
  lat: number;
  snap: Snap;
}

export interface RasterOptions {
  mode: Mode;
  maxSeconds: number;
  offRoadM: number;
  /** Undefined: automatic (AUTO_CELL_M, doubled to fit AUTO_MAX_CELLS). */
  cellSizeM?: number;
}

/** Raster cell index of a lon/lat, or -1 outside the raster. */
export function cellAt(r: TimeRaster, lon: number, lat: number): number {
  const c = Math.floor(((lon - r.lon0) * r.kx - r.x0) / r.cellSizeM);
  const row = Math.floor(((lat - r.lat0) * r.ky - r.y0) / r.cellSizeM);
  return c < 0 || row < 0 || c >= r.cols || row >= r.rows ? -1 : row * r.cols + c;
}

/** Lon/lat of raster vertex (i, j), the lower-left corner of cell (i, j). */
export function vertexLonLat(r: TimeRaster, i: number, j: number): [number, number] {
  return [r.lon0 + (r.x0 + i * r.cellSizeM) / r.kx, r.lat0 + (r.y0 + j * r.cellSizeM) / r.ky];
}

interface Grid {
  time: Float64Array;
  cols: number;
  rows: number;
  x0: number;
  y0: number;
  size: number;
  /** Off-road limit (m), time bound (s), walking speed (m/s). */
  D: number;
  T: number;
  v: number;
}

/**
 * One straight piece a→b of length L: enter at a at time ta and move at ca s/m towards b, or
 * enter at b at time tb and move at cb s/m towards a (Infinity where impossible). A plain
 * module-level function (not a closure per call) so that V8 optimises it once for all calls.
 */
function evalPiece(st: Grid, ax: number, ay: number, bx: number, by: number, ta: number, tb: number, ca: number, cb: number): void {
  const { time, cols, rows, x0, y0, size, D, T, v } = st;
  const D2 = D * D;
  const L = Math.hypot(bx - ax, by - ay);
  const first = Math.min(ta, tb);
  if (!(first <= T)) return;
  const reach = Math.min(D, (T - first) * v);
  const ux = L > 0 ? (bx - ax) / L : 1;
  const uy = L > 0 ? (by - ay) / L : 0;
  const ka = ca * v;
  const kb = cb * v;
  const sa = ka < 1 ? ka / Math.sqrt(1 - ka * ka) : Infinity;
  const sb = kb < 1 ? kb / Math.sqrt(1 - kb * kb) : Infinity;
  const c0 = Math.max(0, Math.floor((Math.min(ax, bx) - reach - x0) / size));
  const c1 = Math.min(cols - 1, Math.floor((Math.max(ax, bx) + reach - x0) / size));
  const r0 = Math.max(0, Math.floor((Math.min(ay, by) - reach - y0) / size));
  const r1 = Math.min(rows - 1, Math.floor((Math.max(ay, by) + reach - y0) / size));
  const reach2 = reach * reach;
  for (let r = r0; r <= r1; r++) {
    const dy = y0 + (r + 0.5) * size - ay;
    for (let c = c0; c <= c1; c++) {
      const k = r * cols + c;
      const current = time[k];
      if (current <= first) continue;
      const dx = x0 + (c + 0.5) * size - ax;
      const u = dx * ux + dy * uy; // along, from a
      const h2 = Math.max(0, dx * dx + dy * dy - u * u); // across, squared
      if (h2 > reach2) continue;
      const slack = (current - first) * v; // walking further than this cannot improve the cell
      if (slack * slack <= h2) continue;
      const w = Math.sqrt(D2 - Math.min(h2, D2)); // the stretch u ± w lies within offRoadM
      const lo = Math.max(0, u - w);
      const hi = Math.min(L, u + w);
      if (lo > hi) continue;
      const h = Math.sqrt(h2);
      let best = current;
      if (ta < Infinity) {
        // From a: s* = u − h·sa; with ca = ∞ only a itself (s = 0) is usable.
        if (ca < Infinity) {
          const s = Math.min(hi, Math.max(lo, sa < Infinity ? u - h * sa : lo));
          const d = u - s;
          const t = ta + s * ca + Math.sqrt(d * d + h2) / v;
          if (t < best) best = t;
        } else if (lo === 0) {
          const t = ta + Math.sqrt(u * u + h2) / v;
          if (t < best) best = t;
        }
      }
      if (tb < Infinity) {
        const ub = L - u;
        if (cb < Infinity) {
          const s = Math.min(L - lo, Math.max(L - hi, sb < Infinity ? ub - h * sb : L - hi));
          const d = ub - s;
          const t = tb + s * cb + Math.sqrt(d * d + h2) / v;
          if (t < best) best = t;
        } else if (hi === L) {
          const t = tb + Math.sqrt(ub * ub + h2) / v;
          if (t < best) best = t;
        }
      }
      if (best <= T) time[k] = best;
    }
  }
}

export function travelTimeRaster(g: Graph, nodeTime: Float64Array, origins: readonly RasterOrigin[], o: RasterOptions): TimeRaster {
  const v = g.walkSpeedMs;
  const D = o.offRoadM;
  const T = o.maxSeconds;
  const lat0 = origins.reduce((s, p) => s + p.lat, 0) / origins.length;
  const lon0 = origins.reduce((s, p) => s + p.lon, 0) / origins.length;
  const kx = M_PER_DEG * Math.cos((lat0 * Math.PI) / 180);
  const ky = M_PER_DEG;
  const px = (lon: number): number => (lon - lon0) * kx;
  const py = (lat: number): number => (lat - lat0) * ky;

  let xmin = Infinity;
  let ymin = Infinity;
  let xmax = -Infinity;
  let ymax = -Infinity;
  const grow = (x: number, y: number): void => {
    xmin = Math.min(xmin, x);
    xmax = Math.max(xmax, x);
    ymin = Math.min(ymin, y);
    ymax = Math.max(ymax, y);
  };
  for (let n = 0; n < g.nodeCount; n++) if (nodeTime[n] <= T) grow(px(g.lon[n]), py(g.lat[n]));
  for (const p of origins) grow(px(p.lon), py(p.lat));
  const maxCells = o.cellSizeM ? MAX_RASTER_CELLS : AUTO_MAX_CELLS;
  const span = (lo: number, hi: number, s: number): number => Math.floor((hi + D) / s) - Math.floor((lo - D) / s) + 1;
  let fit = o.cellSizeM ?? AUTO_CELL_M;
  while (span(xmin, xmax, fit) * span(ymin, ymax, fit) > maxCells) fit *= 2;
  const size = fit;
  const x0 = Math.floor((xmin - D) / size) * size;
  const y0 = Math.floor((ymin - D) / size) * size;
  const cols = span(xmin, xmax, size);
  const rows = span(ymin, ymax, size);
  const time = new Float64Array(cols * rows).fill(Infinity);

  const st: Grid = { time, cols, rows, x0, y0, size, D, T, v };
  const piece = (ax: number, ay: number, bx: number, by: number, ta: number, tb: number, ca: number, cb: number): void =>
    evalPiece(st, ax, ay, bx, by, ta, tb, ca, cb);

  const fwd = o.mode === 'walk' ? g.walk : g.driveForward;
  const bwd = o.mode === 'walk' ? g.walk : g.driveBackward;
  // Origins first, then links roughly in order of first arrival (64 time buckets), so that most
  // cells already hold a near-final time when later links pass and are skipped cheaply.
  for (const p of origins) {
    const s = p.snap;
    const t0 = s.distanceM / v;
    const a = g.linkFrom[s.link];
    const b = g.linkTo[s.link];
    const L = g.linkLengthM[s.link];
    const sx = px(s.lon);
    const sy = py(s.lat);
    // Straight from the origin on foot, and from its snap point to each end of the snapped link.
    piece(px(p.lon), py(p.lat), px(p.lon), py(p.lat), 0, 0, Infinity, Infinity);
    piece(sx, sy, px(g.lon[b]), py(g.lat[b]), t0, nodeTime[b], fwd[s.link] / L, bwd[s.link] / L);
    piece(sx, sy, px(g.lon[a]), py(g.lat[a]), t0, nodeTime[a], bwd[s.link] / L, fwd[s.link] / L);
  }
  const BUCKETS = 64;
  const bucketOf = new Uint8Array(g.linkCount);
  const counts = new Int32Array(BUCKETS + 1);
  for (let l = 0; l < g.linkCount; l++) {
    const first = Math.min(nodeTime[g.linkFrom[l]], nodeTime[g.linkTo[l]]);
    if (!(first <= T)) continue;
    const bucket = Math.min(BUCKETS - 1, Math.floor((first / (T || 1)) * BUCKETS));
    bucketOf[l] = bucket + 1;
    counts[bucket + 1]++;
  }
  for (let k = 0; k < BUCKETS; k++) counts[k + 1] += counts[k];
  const order = new Int32Array(counts[BUCKETS]);
  for (let l = 0; l < g.linkCount; l++) if (bucketOf[l] > 0) order[counts[bucketOf[l] - 1]++] = l;
  for (const l of order) {
    const a = g.linkFrom[l];
    const b = g.linkTo[l];
    const L = g.linkLengthM[l];
    piece(px(g.lon[a]), py(g.lat[a]), px(g.lon[b]), py(g.lat[b]), nodeTime[a], nodeTime[b], fwd[l] / L, bwd[l] / L);
  }
  return { lon0, lat0, kx, ky, x0, y0, cellSizeM: size, cols, rows, time };
}
