/**
 * Fire-station coverage (GB 51080-2015 城市消防规划规范 §4.1.3; 建标152-2017 城市消防站建设标准):
 * a place is covered when a fire engine reaches it within 5 minutes of the call — 1 minute to
 * turn out, 4 minutes of driving (both configurable). Every covered place belongs to the station
 * that reaches it first; a station's service area is its share of the populated grid, and is
 * compared with the standard's limit for its type (一级 7 km², 二级 4 km², 小型 2 km²).
 * A grid cell counts as reached when an engine gets to the road beside it: to the road point
 * nearest the cell's centre, when that lies within the cell; cells with no road in them are not
 * reachable by engine. Micro stations (微型消防站) are community first responders, not 消防站 in the standard's
 * sense: left out unless asked for.
 */
import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson';
import type { Graph } from '../../network/graph.js';
import type { PopulationGrid } from '../../population/grid.js';
import { FIRE_RESPONSE, FIRE_STATION_MAX_AREA_KM2 } from '../../standards.js';
import { traceCells } from '../cell-polygons.js';
import { arrival, searchFrom, snapPlaces } from '../reach.js';

export interface FireStationSite {
  id: string;
  name: string;
  type: string;
  status: string;
  lon: number;
  lat: number;
}

export interface FireCoverageOptions {
  driveMinutes?: number;
  turnoutMinutes?: number;
  /** Station types that count; default every type but `micro`. */
  types?: readonly string[];
  includePlanned?: boolean;
  /** How far a station may be from a drivable road, metres (default 1000). */
  maxSnapM?: number;
}

export interface StationCoverage {
  id: string;
  name: string;
  type: string;
  status: string;
  population: number;
  areaKm2: number;
  /** The standard's largest service area for this type; null where it sets none. */
  maxAreaKm2: number | null;
  exceedsArea: boolean;
  /** Set when the station is off the network and so covers nothing. */
  problem?: string;
}

export interface TownCoverage {
  code: string;
  name: string;
  population: number;
  covered: number;
  uncovered: number;
  share: number;
}

export interface FireCoverageResult {
  stations: StationCoverage[];
  towns: TownCoverage[];
  serviceAreas: FeatureCollection<MultiPolygon, { station: string; name: string; type: string; population: number; areaKm2: number }>;
  uncovered: FeatureCollection<Point, { population: number; town: string }>;
  parameters: { driveMinutes: number; turnoutMinutes: number; types: string[]; basis: string };
}

export const FIRE_BASIS = 'GB 51080-2015 §4.1.3: arrive within 5 min of the call (1 min turn-out + 4 min drive); 建标152-2017: service area 一级 ≤ 7 km², 二级 ≤ 4 km², 小型 ≤ 2 km²';
const DEFAULT_TYPES = ['special', 'class1', 'class2', 'small', 'professional'];

export function fireCoverage(
  graph: Graph,
  grid: PopulationGrid,
  units: readonly { code: string; name: string }[],
  stations: readonly FireStationSite[],
  options: FireCoverageOptions = {},
): FireCoverageResult {
  const drive = options.driveMinutes ?? FIRE_RESPONSE.driveMinutes;
  const turnout = options.turnoutMinutes ?? FIRE_RESPONSE.turnoutMinutes;
  if (!(drive > 0 && drive <= 120)) throw new RangeError(`driveMinutes must be above 0 and at most 120, got ${drive}`);
  if (!(turnout >= 0 && turnout <= 30)) throw new RangeError(`turnoutMinutes must be 0–30, got ${turnout}`);
  const types = [...(options.types ?? DEFAULT_TYPES)];
  const counted = stations.filter((s) => types.includes(s.type) && (s.status !== 'planned' || options.includePlanned));
  const maxSnap = options.maxSnapM ?? 1000;
  const limit = drive * 60;

  // A cell is reached when an engine reaches the road point nearest its centre, provided that
  // point lies within the cell (half its diagonal); the hose lay from the road is not timed.
  const cellReach = (grid.cellSizeM * Math.SQRT2) / 2;
  const places = snapPlaces(graph, Array.from({ length: grid.count }, (_, i) => [grid.lon[i], grid.lat[i]] as const), 'drive', cellReach);
  const snapped = snapPlaces(graph, counted.map((s) => [s.lon, s.lat] as const), 'drive', maxSnap);
  const best = new Float64Array(grid.count).fill(Infinity);
  const owner = new Int32Array(grid.count).fill(-1);
  counted.forEach((_, k) => {
    if (!snapped[k]) return;
    const time = searchFrom(graph, [snapped[k]], 'drive', limit);
    for (let i = 0; i < grid.count; i++) {
      const t = arrival(graph, places[i], 'drive', time, 'none');
      // Ties go to the station listed first, so the result does not depend on timing noise.
      if (t <= limit && t < best[i]) {
        best[i] = t;
        owner[i] = k;
      }
    }
  });

  const cellKm2 = (grid.cellSizeM * grid.cellSizeM) / 1e6;
  const result: StationCoverage[] = counted.map((s, k) => {
    let population = 0;
    let cells = 0;
    for (let i = 0; i < grid.count; i++) if (owner[i] === k) (population += grid.population[i]), cells++;
    const maxAreaKm2 = FIRE_STATION_MAX_AREA_KM2[s.type] ?? null;
    const areaKm2 = cells * cellKm2;
    return {
      id: s.id,
      name: s.name,
      type: s.type,
      status: s.status,
      population,
      areaKm2,
      maxAreaKm2,
      exceedsArea: maxAreaKm2 !== null && areaKm2 > maxAreaKm2,
      ...(snapped[k] ? {} : { problem: `no drivable road within ${maxSnap} m` }),
    };
  });

  const byTown = new Map(units.map((u) => [u.code, { covered: 0, total: 0 }]));
  const uncovered: Feature<Point, { population: number; town: string }>[] = [];
  for (let i = 0; i < grid.count; i++) {
    const code = grid.units[grid.unit[i]];
    const t = byTown.get(code) ?? byTown.set(code, { covered: 0, total: 0 }).get(code)!;
    t.total += grid.population[i];
    if (owner[i] >= 0) t.covered += grid.population[i];
    else uncovered.push({ type: 'Feature', properties: { population: grid.population[i], town: code }, geometry: { type: 'Point', coordinates: [grid.lon[i], grid.lat[i]] } });
  }

  return {
    stations: result,
    towns: units.map((u) => {
      const t = byTown.get(u.code)!;
      return { code: u.code, name: u.name, population: t.total, covered: t.covered, uncovered: t.total - t.covered, share: t.total ? t.covered / t.total : 0 };
    }),
    serviceAreas: { type: 'FeatureCollection', features: serviceAreas(grid, owner, counted, result) },
    uncovered: { type: 'FeatureCollection', features: uncovered },
    parameters: { driveMinutes: drive, turnoutMinutes: turnout, types, basis: FIRE_BASIS },
  };
}

/** Each station's cells traced into polygons on the population grid. */
function serviceAreas(grid: PopulationGrid, owner: Int32Array, stations: readonly FireStationSite[], rows: readonly StationCoverage[]) {
  const toLonLat = ([i, j]: [number, number]): [number, number] => [
    +(grid.lon0 + (grid.x0 + i * grid.cellSizeM) / grid.kx).toFixed(7),
    +(grid.lat0 + (grid.y0 + j * grid.cellSizeM) / grid.ky).toFixed(7),
  ];
  return stations.flatMap((s, k) => {
    const mask = new Uint8Array(grid.cols * grid.rows);
    let any = false;
    for (let i = 0; i < grid.count; i++) if (owner[i] === k) (mask[grid.cell[i]] = 1), (any = true);
    if (!any) return [];
    const polygons = traceCells({ cols: grid.cols, rows: grid.rows, mask }).map((p) => p.map((ring) => ring.map(toLonLat)));
    return [
      {
        type: 'Feature' as const,
        properties: { station: s.id, name: s.name, type: s.type, population: rows[k].population, areaKm2: rows[k].areaKm2 },
        geometry: { type: 'MultiPolygon' as const, coordinates: polygons },
      },
    ];
  });
}
