/**
 * Which coordinate system a file's numbers are in, when the file does not say (crs=auto):
 * - degrees → WGS84/CGCS2000, but GCJ-02 (Amap, Tencent) and BD-09 (Baidu) are degrees too, offset
 *   300–600 m, and cannot be told apart from WGS84 by the numbers: they stay candidates;
 * - Gauss–Krüger metres whose easting carries the zone number (×10⁶ m, the usual surveying practice):
 *   zones 13–23 are 6° zones and 25–45 are 3° zones over China, so the number names the EPSG code;
 * - metres without the zone number: any central meridian fits, so the user must choose; the
 *   candidates are the zones that put the points inside the expected area.
 */
import { note, type Note } from '../note.js';
import { gaussKrugerOfEpsg, parseCrs, unswap, fromGaussKruger, type Bbox, type Crs, type CrsName } from './crs.js';

export interface CrsGuess {
  /** The CRS the numbers show, when they show one. */
  crs?: Crs;
  /** Every CRS that fits the numbers. */
  candidates: CrsName[];
  /** Why, in English, for an error's message. */
  reason: string;
  /** Why, for a reader: crs_no_coordinates · crs_degrees · crs_zone_unknown {zone} · crs_zone {zone, width, epsg} · crs_no_zone {candidates} · crs_no_zone_fits. */
  note: Note;
}

const DEGREE_CANDIDATES: CrsName[] = ['wgs84', 'cgcs2000', 'gcj02', 'bd09'];
const isDegrees = ([x, y]: [number, number]): boolean => Math.abs(x) <= 180 && Math.abs(y) <= 90;

/** EPSG code of a CGCS2000 Gauss–Krüger zone given with its number prefix. */
export function prefixedZoneEpsg(zone: number): number | undefined {
  if (zone >= 13 && zone <= 23) return 4491 + zone - 13;
  if (zone >= 25 && zone <= 45) return 4513 + zone - 25;
  return undefined;
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const inBox = ([x, y]: [number, number], b: Bbox): boolean => x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];

/** China's extent: where a zone must put the points when no area is given. */
const CHINA: Bbox = [73, 3, 136, 54];

export function detectCrs(points: [number, number][], area: Bbox = CHINA): CrsGuess {
  if (points.length === 0) return { candidates: [], reason: 'no coordinates to look at', note: note('crs_no_coordinates') };
  const wgs84 = parseCrs('wgs84')!;
  const degrees = points.filter((p) => isDegrees(unswap(p, wgs84))).length;
  if (degrees * 2 >= points.length) {
    return {
      crs: wgs84,
      candidates: DEGREE_CANDIDATES,
      reason: 'the coordinates are degrees, read as WGS84/CGCS2000; GCJ-02 (Amap, Tencent) and BD-09 (Baidu) are degrees too and cannot be told apart by the numbers',
      note: note('crs_degrees'),
    };
  }
  const grid = parseCrs('EPSG:4534')!;
  const metres = points.filter((p) => !isDegrees(p)).map((p) => unswap(p, grid));
  const zones = new Map<number, number>();
  for (const [e] of metres) if (e >= 1e7) zones.set(Math.floor(e / 1e6), (zones.get(Math.floor(e / 1e6)) ?? 0) + 1);
  const prefixed = [...zones.values()].reduce((a, b) => a + b, 0);
  if (prefixed * 2 >= metres.length) {
    const [zone] = [...zones.entries()].sort((a, b) => b[1] - a[1])[0];
    const code = prefixedZoneEpsg(zone);
    if (!code) {
      return {
        candidates: [],
        reason: `the eastings start with zone number ${zone}, which is no CGCS2000 Gauss–Krüger zone over China (6° zones 13–23, 3° zones 25–45)`,
        note: note('crs_zone_unknown', { zone }),
      };
    }
    const crs = parseCrs(`EPSG:${code}`)!;
    const kind = zone <= 23 ? `6° zone ${zone}` : `3° zone ${zone}`;
    return {
      crs,
      candidates: [crs.name],
      reason: `the eastings carry the zone number ${zone}: CGCS2000 Gauss–Krüger ${kind} (EPSG:${code})`,
      note: note('crs_zone', { zone, width: zone <= 23 ? 6 : 3, epsg: `EPSG:${code}` }),
    };
  }
  const centre: [number, number] = [median(metres.map((p) => p[0])), median(metres.map((p) => p[1]))];
  const candidates: CrsName[] = [];
  for (let code = 4534; code <= 4554; code++) if (inBox(fromGaussKruger(centre, gaussKrugerOfEpsg(code)!), area)) candidates.push(`EPSG:${code}`);
  for (let code = 4502; code <= 4512; code++) if (inBox(fromGaussKruger(centre, gaussKrugerOfEpsg(code)!), area)) candidates.push(`EPSG:${code}`);
  return {
    candidates,
    reason:
      'the coordinates are Gauss–Krüger metres without a zone number, so the central meridian cannot be told from the numbers' +
      (candidates.length ? `; zones that put them in the expected area: ${candidates.map(describe).join(', ')}` : '; no zone puts them in the expected area'),
    note: candidates.length ? note('crs_no_zone', { candidates: candidates.join(', ') }) : note('crs_no_zone_fits'),
  };
}

/** "EPSG:4545 (3° zone, central meridian 108°E)". */
export function describe(name: CrsName): string {
  const gk = gaussKrugerOfEpsg(Number(name.slice(5)));
  if (!gk) return name;
  const width = Number(name.slice(5)) <= 4512 ? '6°' : '3°';
  return `${name} (${width} zone, central meridian ${gk.lon0}°E)`;
}
