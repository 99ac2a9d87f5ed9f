/**
 * Fire-station coverage, urban and rural apart:
 * - urban built-up areas (towns that are 街道, and the towns a bureau marks urban): arrive within
 *   5 minutes of the call — 1 min turn-out + 4 min driving (GB 51080-2015 城市消防规划规范 §4.1.3;
 *   建标152-2017 城市消防站建设标准);
 * - the other towns (乡镇, served by 乡镇消防队 / 专职消防队): 15 minutes — 1 + 14 — a setting,
 *   see FIRE_RURAL_RESPONSE in core/standards.ts for why and its nearest national source.
 * Every covered place belongs to the station that reaches it first; a station's urban service area
 * is compared with the limit for its type (一级 7 km², 二级 4 km², 小型 2 km²; 建标152-2017).
 * A grid cell counts as reached when an engine gets to the road beside it: to the road point
 * nearest the cell's centre, when that lies within the cell; cells with no road in them are not
 * reachable by engine. A station joins the road by driving from its door to the nearest drivable
 * road, at that road's speed, and one farther than `offRoadWarnM` is flagged — the access-leg rule
 * every analysis shares (core/network/access-leg.ts).
 * Micro stations (微型消防站) are community first responders, not 消防站 in the standard's sense:
 * left out of the coverage unless asked for, and checked on their own against the 3-minute
 * arrival of 公消〔2015〕301号 and the plans' 100 % target, town by town.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { accessLeg, accessSources } from '../../network/access-leg.js';
import { dijkstra } from '../../network/dijkstra.js';
import { csrOf, type Graph, type Mode } from '../../network/graph.js';
import type { Snap } from '../../network/snap.js';
import { note, type Note } from '../../note.js';
import type { PopulationGrid } from '../../population/grid.js';
import { FIRE_OFF_ROAD_WARN_M, FIRE_RESPONSE, FIRE_RURAL_RESPONSE, FIRE_STATION_MAX_AREA_KM2, MICRO_STATION_RESPONSE } from '../../standards.js';
import { traceCells } from '../cell-polygons.js';
import { arrival, snapPlaces } from '../reach.js';

export interface FireStationSite {
  id: string;
  name: string;
  type: string;
  status: string;
  lon: number;
  lat: number;
}

export interface FireTown {
  code: string;
  name: string;
  geometry: Polygon | MultiPolygon;
}

export interface FireCoverageOptions {
  /** Urban driving minutes (default 4). */
  driveMinutes?: number;
  turnoutMinutes?: number;
  /** Rural driving minutes (default 14). */
  ruralDriveMinutes?: number;
  /** Town codes the bureau marks urban, besides the 街道. */
  urbanTowns?: readonly string[];
  /** Station types that count; default every type but `micro`. */
  types?: readonly string[];
  includePlanned?: boolean;
  /** How far a station may be from a drivable road at all, metres (default 1000). */
  maxSnapM?: number;
  /** Beyond this distance from a drivable road a station is flagged (default 200 m). */
  offRoadWarnM?: number;
  /** Micro stations' arrival target, minutes (default 3), and how they travel (default drive). */
  microMinutes?: number;
  microMode?: Mode;
}

export interface StationCoverage {
  id: string;
  name: string;
  type: string;
  status: string;
  lon: number;
  lat: number;
  population: number;
  areaKm2: number;
  /** The part of the service area in urban towns, which the type's limit applies to. */
  urbanAreaKm2: number;
  /** The standard's largest service area for this type; null where it sets none. */
  maxAreaKm2: number | null;
  exceedsArea: boolean;
  /** Metres driven from the door to the nearest drivable road; null when none lies within maxSnapM. */
  accessM: number | null;
  /** Why this station's figures need a look (off the network, far from a road). */
  notes: Note[];
}

/** Why a town is urban: it is a 街道, or the bureau marked it; null for a rural town. */
export type UrbanBy = 'street' | 'marked' | null;

export interface TownCoverage {
  code: string;
  name: string;
  rule: 'urban' | 'rural';
  urbanBy: UrbanBy;
  /** The response time applied, minutes from the call. */
  minutes: number;
  population: number;
  covered: number;
  uncovered: number;
  share: number;
}

export interface CoverageTotal {
  towns: number;
  population: number;
  covered: number;
  share: number;
}

export interface MicroTown {
  code: string;
  name: string;
  /** Micro stations inside the town. */
  stations: number;
  population: number;
  /** Residents a micro station reaches within the target minutes. */
  covered: number;
  share: number;
}

export interface MicroCoverage {
  minutes: number;
  mode: Mode;
  stations: number;
  towns: MicroTown[];
  /** Codes of the towns with no micro station. */
  townsWithout: string[];
  total: CoverageTotal;
}

export interface FireCoverageResult {
  stations: StationCoverage[];
  towns: TownCoverage[];
  totals: { urban: CoverageTotal; rural: CoverageTotal; all: CoverageTotal };
  micro: MicroCoverage;
  serviceAreas: FeatureCollection<MultiPolygon, { station: string; name: string; type: string; population: number; areaKm2: number }>;
  uncovered: FeatureCollection<Point, { population: number; town: string }>;
  /** The rules applied, each with its standard and clause. */
  basis: Note[];
  /** What a reader must know before trusting the figures. */
  warnings: Note[];
  parameters: {
    driveMinutes: number;
    turnoutMinutes: number;
    ruralDriveMinutes: number;
    urbanTowns: string[];
    types: string[];
    offRoadWarnM: number;
    microMinutes: number;
    microMode: Mode;
  };
}

const DEFAULT_TYPES = ['special', 'class1', 'class2', 'small', 'professional'];
const MICRO = 'micro';

/** Urban by the admin name (街道 are urban built-up areas), or because the bureau says so. */
export const urbanBy = (town: { code: string; name: string }, marked: ReadonlySet<string>): UrbanBy =>
  town.name.endsWith('街道') ? 'street' : marked.has(town.code) ? 'marked' : null;

/**
 * The rule of a town by its code, for every analysis that applies the urban/rural split (this one,
 * fire-station siting): urbanBy of the county's town, null (rural) for a code that is no town.
 */
export function townRule(towns: readonly { code: string; name: string }[], urbanTowns: readonly string[] = []): (code: string) => UrbanBy {
  const marked = new Set(urbanTowns);
  const byCode = new Map(towns.map((u) => [u.code, u]));
  return (code) => {
    const u = byCode.get(code);
    return u ? urbanBy(u, marked) : null;
  };
}

const total = (rows: readonly { population: number; covered: number }[]): CoverageTotal => {
  const population = rows.reduce((a, r) => a + r.population, 0);
  const covered = rows.reduce((a, r) => a + r.covered, 0);
  return { towns: rows.length, population, covered, share: population ? covered / population : 0 };
};

export function fireCoverage(
  graph: Graph,
  grid: PopulationGrid,
  units: readonly FireTown[],
  stations: readonly FireStationSite[],
  options: FireCoverageOptions = {},
): FireCoverageResult {
  const drive = options.driveMinutes ?? FIRE_RESPONSE.driveMinutes;
  const turnout = options.turnoutMinutes ?? FIRE_RESPONSE.turnoutMinutes;
  const ruralDrive = options.ruralDriveMinutes ?? FIRE_RURAL_RESPONSE.driveMinutes;
  const microMinutes = options.microMinutes ?? MICRO_STATION_RESPONSE.minutes;
  const microMode = options.microMode ?? 'drive';
  const offRoadWarnM = options.offRoadWarnM ?? FIRE_OFF_ROAD_WARN_M;
  for (const [name, v] of [['driveMinutes', drive], ['ruralDriveMinutes', ruralDrive], ['microMinutes', microMinutes]] as const) {
    if (!(v > 0 && v <= 120)) throw new RangeError(`${name} must be above 0 and at most 120, got ${v}`);
  }
  if (!(turnout >= 0 && turnout <= 30)) throw new RangeError(`turnoutMinutes must be 0–30, got ${turnout}`);
  const types = [...(options.types ?? DEFAULT_TYPES)];
  const live = (s: FireStationSite) => s.status !== 'planned' || options.includePlanned;
  const counted = stations.filter((s) => types.includes(s.type) && live(s));
  const micros = stations.filter((s) => s.type === MICRO && live(s));
  const maxSnap = options.maxSnapM ?? 1000;
  const marked = new Set(options.urbanTowns ?? []);

  // The rule of each unit of the grid: its drive limit in seconds.
  const byCode = new Map(units.map((u) => [u.code, u]));
  const ruleOf = townRule(units, options.urbanTowns);
  const unitLimit = grid.units.map((code) => (ruleOf(code) ? drive : ruralDrive) * 60);

  // A cell is reached when an engine reaches the road point nearest its centre, provided that
  // point lies within the cell (half its diagonal); the hose lay from the road is not timed.
  const cellReach = (grid.cellSizeM * Math.SQRT2) / 2;
  const cells = Array.from({ length: grid.count }, (_, i) => [grid.lon[i], grid.lat[i]] as const);
  const places = snapPlaces(graph, cells, 'drive', cellReach);
  const snapped = snapPlaces(graph, counted.map((s) => [s.lon, s.lat] as const), 'drive', maxSnap);
  const best = new Float64Array(grid.count).fill(Infinity);
  const owner = new Int32Array(grid.count).fill(-1);
  const horizon = Math.max(drive, ruralDrive) * 60;
  counted.forEach((_, k) => {
    if (!snapped[k]) return;
    const time = dijkstra(csrOf(graph, 'drive'), accessSources(graph, snapped[k], 'drive'), horizon).time;
    for (let i = 0; i < grid.count; i++) {
      const t = arrival(graph, places[i], 'drive', time, 'none');
      // Ties go to the station listed first, so the result does not depend on timing noise.
      if (t <= unitLimit[grid.unit[i]] && t < best[i]) {
        best[i] = t;
        owner[i] = k;
      }
    }
  });

  const cellKm2 = (grid.cellSizeM * grid.cellSizeM) / 1e6;
  const warnings: Note[] = [];
  const result: StationCoverage[] = counted.map((s, k) => {
    let population = 0;
    let cellCount = 0;
    let urbanCells = 0;
    for (let i = 0; i < grid.count; i++) {
      if (owner[i] !== k) continue;
      population += grid.population[i];
      cellCount++;
      if (ruleOf(grid.units[grid.unit[i]])) urbanCells++;
    }
    const maxAreaKm2 = FIRE_STATION_MAX_AREA_KM2[s.type] ?? null;
    const urbanAreaKm2 = urbanCells * cellKm2;
    const snap = snapped[k];
    const accessM = snap ? Math.round(snap.distanceM) : null;
    const notes = !snap
      ? [note('fire_station_no_road', { station: s.name, maxM: maxSnap })]
      : accessLeg(graph, snap, 'drive', offRoadWarnM).offRoad
        ? [note('fire_station_off_road', { station: s.name, distanceM: Math.round(snap.distanceM), limitM: offRoadWarnM })]
        : [];
    warnings.push(...notes);
    return {
      id: s.id,
      name: s.name,
      type: s.type,
      status: s.status,
      lon: s.lon,
      lat: s.lat,
      population,
      areaKm2: cellCount * cellKm2,
      urbanAreaKm2,
      maxAreaKm2,
      exceedsArea: maxAreaKm2 !== null && urbanAreaKm2 > maxAreaKm2,
      accessM,
      notes,
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
  const towns: TownCoverage[] = units.map((u) => {
    const t = byTown.get(u.code)!;
    const by = ruleOf(u.code);
    return {
      code: u.code,
      name: u.name,
      rule: by ? 'urban' : 'rural',
      urbanBy: by,
      minutes: turnout + (by ? drive : ruralDrive),
      population: t.total,
      covered: t.covered,
      uncovered: t.total - t.covered,
      share: t.total ? t.covered / t.total : 0,
    };
  });

  const micro = microCoverage(graph, grid, units, micros, places, cells, { minutes: microMinutes, mode: microMode, maxSnap });
  if (micro.townsWithout.length) {
    const names = micro.townsWithout.map((c) => byCode.get(c)!.name);
    warnings.push(note('fire_micro_towns_without', { count: names.length, towns: names.join('、') }));
  }

  return {
    stations: result,
    towns,
    totals: { urban: total(towns.filter((t) => t.rule === 'urban')), rural: total(towns.filter((t) => t.rule === 'rural')), all: total(towns) },
    micro,
    serviceAreas: { type: 'FeatureCollection', features: serviceAreas(grid, owner, counted, result) },
    uncovered: { type: 'FeatureCollection', features: uncovered },
    basis: [
      note('fire_basis_urban', { minutes: turnout + drive, turnout, drive }),
      note('fire_basis_rural', { minutes: turnout + ruralDrive, turnout, drive: ruralDrive }),
      note('fire_basis_area'),
      note('fire_basis_access', { limitM: offRoadWarnM }),
      note('fire_basis_micro', { minutes: microMinutes }),
    ],
    warnings,
    parameters: { driveMinutes: drive, turnoutMinutes: turnout, ruralDriveMinutes: ruralDrive, urbanTowns: [...marked], types, offRoadWarnM, microMinutes, microMode },
  };
}

/**
 * Micro stations town by town: how many stand in each town, and the residents any of them reaches
 * within the target minutes (no turn-out: “3分钟到场” counts from the alarm). A cell is reached at
 * the road beside it, as for engines; on foot the walk from the road is counted too.
 */
function microCoverage(
  graph: Graph,
  grid: PopulationGrid,
  units: readonly FireTown[],
  micros: readonly FireStationSite[],
  drivePlaces: readonly (Snap | null)[],
  cells: readonly (readonly [number, number])[],
  o: { minutes: number; mode: Mode; maxSnap: number },
): MicroCoverage {
  const limit = o.minutes * 60;
  const snapped = snapPlaces(graph, micros.map((s) => [s.lon, s.lat] as const), o.mode, o.maxSnap);
  const sources = snapped.flatMap((s) => (s ? accessSources(graph, s, o.mode) : []));
  const time = dijkstra(csrOf(graph, o.mode), sources, limit).time;
  const places = o.mode === 'drive' ? drivePlaces : snapPlaces(graph, cells, 'walk', (grid.cellSizeM * Math.SQRT2) / 2);
  const covered = new Map(units.map((u) => [u.code, { population: 0, covered: 0 }]));
  for (let i = 0; i < grid.count; i++) {
    const t = covered.get(grid.units[grid.unit[i]]);
    if (!t) continue;
    t.population += grid.population[i];
    if (arrival(graph, places[i], o.mode, time, o.mode === 'walk' ? 'walk' : 'none') <= limit) t.covered += grid.population[i];
  }
  const towns: MicroTown[] = units.map((u) => {
    const t = covered.get(u.code)!;
    const stations = micros.filter((s) => booleanPointInPolygon([s.lon, s.lat], u.geometry)).length;
    return { code: u.code, name: u.name, stations, population: t.population, covered: t.covered, share: t.population ? t.covered / t.population : 0 };
  });
  return {
    minutes: o.minutes,
    mode: o.mode,
    stations: micros.length,
    towns,
    townsWithout: towns.filter((t) => t.stations === 0).map((t) => t.code),
    total: total(towns),
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
