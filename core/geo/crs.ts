/**
 * Coordinate systems a Chinese county's data arrives in, converted to WGS84 longitude/latitude.
 *
 * - WGS84 (EPSG:4326) and CGCS2000 (EPSG:4490) are treated as identical: their ellipsoids differ by
 *   0.1 mm in the semi-minor axis and the frames by a few centimetres, far below the metre-level
 *   accuracy of county emergency data.
 * - GCJ-02 (国测局坐标, used by Amap/Tencent) and BD-09 (Baidu) are obfuscated web-map offsets of
 *   300–600 m. They cannot be recognised from the numbers alone, so the caller must state them.
 * - CGCS2000 Gauss–Krüger 3° and 6° zones (EPSG:4491–4554): Transverse Mercator on the CGCS2000
 *   ellipsoid, k0 = 1, false easting 500 km, optionally prefixed by the zone number (×10⁶ m).
 */

import type { Geometry } from 'geojson';

export type Lonlat = [number, number];

// ---------------------------------------------------------------- GCJ-02 / BD-09

/**
 * GCJ-02 forward formula as published by the open-source eviltransform project
 * (github.com/googollee/eviltransform), itself a reconstruction of the official obfuscation on the
 * Krasovsky 1940 ellipsoid; points outside its China rectangle are not offset.
 */
const KRASOVSKY_A = 6378245.0;
// biome-ignore lint/correctness/noPrecisionLoss: the constant as the GCJ-02 algorithm publishes it
const KRASOVSKY_EE = 0.00669342162296594323;

const outOfChina = ([lon, lat]: Lonlat): boolean => lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;

function offsetLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function offsetLon(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

export function wgs84ToGcj02(p: Lonlat): Lonlat {
  if (outOfChina(p)) return [p[0], p[1]];
  const [lon, lat] = p;
  const radLat = (lat / 180) * Math.PI;
  const s = Math.sin(radLat);
  const magic = 1 - KRASOVSKY_EE * s * s;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (offsetLat(lon - 105, lat - 35) * 180) / (((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLon = (offsetLon(lon - 105, lat - 35) * 180) / ((KRASOVSKY_A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

/**
 * Inverts a forward offset by fixed-point iteration, w ← w − (forward(w) − target): the offsets
 * vary slowly (well under 10⁻³ per degree), so each step gains about three decimal places; stop
 * at 10⁻¹⁰ degrees (~0.01 mm). This is eviltransform's "exact" inverse.
 */
function invert(forward: (p: Lonlat) => Lonlat, target: Lonlat): Lonlat {
  let w: Lonlat = [target[0], target[1]];
  for (let i = 0; i < 30; i++) {
    const f = forward(w);
    const dx = f[0] - target[0];
    const dy = f[1] - target[1];
    w = [w[0] - dx, w[1] - dy];
    if (Math.abs(dx) < 1e-10 && Math.abs(dy) < 1e-10) break;
  }
  return w;
}

export const gcj02ToWgs84 = (p: Lonlat): Lonlat => invert(wgs84ToGcj02, p);

const X_PI = (Math.PI * 3000) / 180;

/** BD-09 from GCJ-02: Baidu's published-by-reverse-engineering rotation and shift (same source). */
export function gcj02ToBd09([lon, lat]: Lonlat): Lonlat {
  const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * X_PI);
  const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * X_PI);
  return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
}

export const bd09ToGcj02 = (p: Lonlat): Lonlat => invert(gcj02ToBd09, p);
export const bd09ToWgs84 = (p: Lonlat): Lonlat => gcj02ToWgs84(bd09ToGcj02(p));
export const wgs84ToBd09 = (p: Lonlat): Lonlat => gcj02ToBd09(wgs84ToGcj02(p));

// ---------------------------------------------------------------- Gauss–Krüger

/** CGCS2000 ellipsoid (GB/T 2000 国家大地坐标系). */
const A = 6378137;
const F = 1 / 298.257222101;

/**
 * Transverse Mercator by the Krüger series to n⁶ (C. F. F. Karney, "Transverse Mercator with an
 * accuracy of a few nanometers", J. Geodesy 85 (2011), eqs. 7–11, 35–36): error < 1 mm within
 * 3 000 km of the central meridian, far beyond a 3° or 6° zone.
 */
const N = F / (2 - F);
const E = Math.sqrt(F * (2 - F));
const N2 = N * N, N3 = N2 * N, N4 = N3 * N, N5 = N4 * N, N6 = N5 * N;
const RECT = (A / (1 + N)) * (1 + N2 / 4 + N4 / 64 + N6 / 256);
const ALPHA = [
  N / 2 - (2 * N2) / 3 + (5 * N3) / 16 + (41 * N4) / 180 - (127 * N5) / 288 + (7891 * N6) / 37800,
  (13 * N2) / 48 - (3 * N3) / 5 + (557 * N4) / 1440 + (281 * N5) / 630 - (1983433 * N6) / 1935360,
  (61 * N3) / 240 - (103 * N4) / 140 + (15061 * N5) / 26880 + (167603 * N6) / 181440,
  (49561 * N4) / 161280 - (179 * N5) / 168 + (6601661 * N6) / 7257600,
  (34729 * N5) / 80640 - (3418889 * N6) / 1995840,
  (212378941 * N6) / 319334400,
];
const BETA = [
  N / 2 - (2 * N2) / 3 + (37 * N3) / 96 - N4 / 360 - (81 * N5) / 512 + (96199 * N6) / 604800,
  N2 / 48 + N3 / 15 - (437 * N4) / 1440 + (46 * N5) / 105 - (1118711 * N6) / 3870720,
  (17 * N3) / 480 - (37 * N4) / 840 - (209 * N5) / 4480 + (5569 * N6) / 90720,
  (4397 * N4) / 161280 - (11 * N5) / 504 - (830251 * N6) / 7257600,
  (4583 * N5) / 161280 - (108847 * N6) / 3991680,
  (20648693 * N6) / 638668800,
];
const RAD = Math.PI / 180;

/** Gauss–Krüger grid: central meridian in degrees and false easting in metres (with any zone prefix). */
export interface GaussKruger {
  lon0: number;
  falseEasting: number;
}

/** Geographic CGCS2000 → grid easting/northing in metres. */
export function toGaussKruger([lon, lat]: Lonlat, gk: GaussKruger): [number, number] {
  const phi = lat * RAD;
  const lam = (lon - gk.lon0) * RAD;
  const s = Math.sin(phi);
  const t = Math.sinh(Math.atanh(s) - E * Math.atanh(E * s));
  const xi1 = Math.atan2(t, Math.cos(lam));
  const eta1 = Math.atanh(Math.sin(lam) / Math.sqrt(1 + t * t));
  let xi = xi1;
  let eta = eta1;
  ALPHA.forEach((a, j) => {
    const k = 2 * (j + 1);
    xi += a * Math.sin(k * xi1) * Math.cosh(k * eta1);
    eta += a * Math.cos(k * xi1) * Math.sinh(k * eta1);
  });
  return [gk.falseEasting + RECT * eta, RECT * xi];
}

/** Grid easting/northing in metres → geographic CGCS2000. */
export function fromGaussKruger([x, y]: [number, number], gk: GaussKruger): Lonlat {
  const xi = y / RECT;
  const eta = (x - gk.falseEasting) / RECT;
  let xi1 = xi;
  let eta1 = eta;
  BETA.forEach((b, j) => {
    const k = 2 * (j + 1);
    xi1 -= b * Math.sin(k * xi) * Math.cosh(k * eta);
    eta1 -= b * Math.cos(k * xi) * Math.sinh(k * eta);
  });
  const sh = Math.sinh(eta1);
  const cx = Math.cos(xi1);
  const tau1 = Math.sin(xi1) / Math.hypot(sh, cx);
  // Conformal → geodetic latitude by Newton's method on τ (Karney 2011, eqs. 19–21).
  let tau = tau1;
  for (let i = 0; i < 10; i++) {
    const sigma = Math.sinh(E * Math.atanh((E * tau) / Math.sqrt(1 + tau * tau)));
    const taui = tau * Math.sqrt(1 + sigma * sigma) - sigma * Math.sqrt(1 + tau * tau);
    const d = ((tau1 - taui) / Math.sqrt(1 + taui * taui)) * ((1 + (1 - E * E) * tau * tau) / ((1 - E * E) * Math.sqrt(1 + tau * tau)));
    tau += d;
    if (Math.abs(d) < 1e-14) break;
  }
  return [gk.lon0 + Math.atan2(sh, cx) / RAD, Math.atan(tau) / RAD];
}

/**
 * The CGCS2000 Gauss–Krüger EPSG codes:
 * 4491–4501 6° zones 13–23 with zone prefix; 4502–4512 6° zones by central meridian 75°–135°E;
 * 4513–4533 3° zones 25–45 with prefix; 4534–4554 3° zones by central meridian 75°–135°E.
 */
export function gaussKrugerOfEpsg(code: number): GaussKruger | undefined {
  if (code >= 4491 && code <= 4501) {
    const zone = code - 4491 + 13;
    return { lon0: zone * 6 - 3, falseEasting: zone * 1e6 + 500000 };
  }
  if (code >= 4502 && code <= 4512) return { lon0: 75 + (code - 4502) * 6, falseEasting: 500000 };
  if (code >= 4513 && code <= 4533) {
    const zone = code - 4513 + 25;
    return { lon0: zone * 3, falseEasting: zone * 1e6 + 500000 };
  }
  if (code >= 4534 && code <= 4554) return { lon0: 75 + (code - 4534) * 3, falseEasting: 500000 };
  return undefined;
}

// ---------------------------------------------------------------- named CRS

export type CrsName = 'wgs84' | 'cgcs2000' | 'gcj02' | 'bd09' | `EPSG:${number}`;

export interface Crs {
  name: CrsName;
  /** Metres (a grid) or degrees. */
  projected: boolean;
  toWgs84(p: [number, number]): Lonlat;
  fromWgs84(p: Lonlat): [number, number];
}

const same = (p: [number, number]): Lonlat => [p[0], p[1]];

/** Parses a CRS option: wgs84, cgcs2000, gcj02, bd09, EPSG:4326, EPSG:4490, or a Gauss–Krüger EPSG code. */
export function parseCrs(raw: string): Crs | undefined {
  const s = raw.trim().toLowerCase().replace(/[-_ ]/g, '');
  if (s === 'wgs84' || s === 'epsg:4326') return { name: 'wgs84', projected: false, toWgs84: same, fromWgs84: same };
  if (s === 'cgcs2000' || s === 'epsg:4490') return { name: 'cgcs2000', projected: false, toWgs84: same, fromWgs84: same };
  if (s === 'gcj02') return { name: 'gcj02', projected: false, toWgs84: gcj02ToWgs84, fromWgs84: wgs84ToGcj02 };
  if (s === 'bd09') return { name: 'bd09', projected: false, toWgs84: bd09ToWgs84, fromWgs84: wgs84ToBd09 };
  const m = /^epsg:(\d+)$/.exec(s);
  const gk = m ? gaussKrugerOfEpsg(Number(m[1])) : undefined;
  if (!gk) return undefined;
  return {
    name: `EPSG:${Number(m![1])}`,
    projected: true,
    toWgs84: (p) => fromGaussKruger(p, gk),
    fromWgs84: (p) => toGaussKruger(p, gk),
  };
}

// ---------------------------------------------------------------- detection

export type Bbox = [number, number, number, number];

/**
 * A Note (core/note.ts) about the coordinates, counted: projected_as_degrees {count, points},
 * degrees_as_projected {count, points}, swapped_lat_lon {count, points} and
 * swapped_northing_first {count, points}, offset_unknown, outside_area {count, points, bbox}.
 */
export interface CoordinateWarning {
  code: 'projected_as_degrees' | 'degrees_as_projected' | 'swapped_lat_lon' | 'swapped_northing_first' | 'outside_area' | 'offset_unknown';
  params?: Record<string, string | number>;
}

const inside = ([x, y]: [number, number], b: Bbox): boolean => x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];

/** How many source points fall foul of each check; the counts of several batches add up. */
export interface CoordinateCounts {
  points: number;
  /** Read as degrees but beyond ±180/±90. */
  notDegrees: number;
  /** Read as metres but within ±180/±90. */
  degrees: number;
  swapped: number;
  outside: number;
}

export function countCoordinates(points: [number, number][], crs: Crs, area?: Bbox): CoordinateCounts {
  const degrees = (p: [number, number]): boolean => Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90;
  const c: CoordinateCounts = { points: points.length, notDegrees: 0, degrees: 0, swapped: 0, outside: 0 };
  for (const p of points) {
    const [x, y] = p;
    if (!crs.projected) {
      if (!degrees(unswap(p, crs))) c.notDegrees++;
      // China lies at lon 73–136, lat 3–54: a lon that fits as lat and a lat that fits as lon means swapped columns.
      if (x >= 3 && x <= 54 && y >= 73 && y <= 136) c.swapped++;
    } else {
      if (degrees(p)) c.degrees++;
      if (northing(x) && !northing(y)) c.swapped++;
    }
    if (area && !inside(crs.toWgs84(unswap(p, crs)), area)) c.outside++;
  }
  return c;
}

export const addCoordinateCounts = (a: CoordinateCounts, b: CoordinateCounts): CoordinateCounts => ({
  points: a.points + b.points,
  notDegrees: a.notDegrees + b.notDegrees,
  degrees: a.degrees + b.degrees,
  swapped: a.swapped + b.swapped,
  outside: a.outside + b.outside,
});

/**
 * Checks source coordinates (before conversion) against what the stated CRS can hold and, after
 * conversion, against the target area. Returns one warning per kind with how many points it hit.
 */
export function checkCoordinates(points: [number, number][], crs: Crs, area?: Bbox): CoordinateWarning[] {
  return coordinateWarnings(countCoordinates(points, crs, area), crs, area);
}

export function coordinateWarnings(c: CoordinateCounts, crs: Crs, area?: Bbox): CoordinateWarning[] {
  const warnings: CoordinateWarning[] = [];
  if (c.points === 0) return warnings;
  const of = (count: number) => ({ count, points: c.points });
  // Beyond ±180/±90: not degrees, they look like projected metres (choose crs=EPSG:45xx).
  if (c.notDegrees > 0) warnings.push({ code: 'projected_as_degrees', params: of(c.notDegrees) });
  // Within ±180/±90: degrees, not Gauss–Krüger metres (choose crs=wgs84, gcj02 or bd09).
  if (c.degrees > 0) warnings.push({ code: 'degrees_as_projected', params: of(c.degrees) });
  // Surveyors write X = north, Y = east; degrees with x like a latitude were swapped back.
  if (c.swapped > 0) warnings.push({ code: crs.projected ? 'swapped_northing_first' : 'swapped_lat_lon', params: of(c.swapped) });
  // GCJ-02 (Amap, Tencent) and BD-09 (Baidu) are offset 300–600 m and look like WGS84: say so, with crs=gcj02/bd09.
  if (crs.name === 'wgs84' || crs.name === 'cgcs2000') warnings.push({ code: 'offset_unknown' });
  if (area && c.outside > 0) warnings.push({ code: 'outside_area', params: { ...of(c.outside), bbox: area.map((v) => v.toFixed(3)).join(', ') } });
  return warnings;
}

/** A Gauss–Krüger northing in China (latitude ~9°–55°); eastings are below 10⁶ m or, prefixed, above 10⁷ m. */
const northing = (v: number): boolean => v >= 1e6 && v <= 7e6;

/**
 * Puts easting/longitude first when a pair is plainly the other way round: lat, lon; or the
 * surveyors' convention X = north, Y = east (测量坐标系) for Gauss–Krüger grids.
 */
export function unswap(p: [number, number], crs: Crs): [number, number] {
  const [x, y] = p;
  if (crs.projected) return northing(x) && !northing(y) ? [y, x] : p;
  return x >= 3 && x <= 54 && y >= 73 && y <= 136 ? [y, x] : p;
}

/** The geometry with every position passed through `fn` (e.g. a Crs's fromWgs84); extra ordinates are dropped. */
export function mapPositions<G extends Geometry>(g: G, fn: (p: [number, number]) => [number, number]): G {
  if (g.type === 'GeometryCollection') return { ...g, geometries: g.geometries.map((c) => mapPositions(c, fn)) };
  const walk = (c: unknown): unknown =>
    Array.isArray(c) && typeof c[0] === 'number' ? fn([c[0], c[1] as number]) : (c as unknown[]).map(walk);
  return { ...g, coordinates: walk((g as { coordinates: unknown }).coordinates) };
}
