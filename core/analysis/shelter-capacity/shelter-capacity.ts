/**
 * Shelter capacity and reach per town (GB 51143-2015, GB 21734-2008):
 *  - effective shelter area per resident against a threshold (default 1.5 m², the 江北 plan's
 *    commitment), the shortfall in m² and in persons;
 *  - residents within the walking service distance of a suitable shelter, by the shelter's class
 *    (紧急 500 m … 长期/中心 2.5 km, core/standards.ts), along the walking network or, when asked,
 *    in a straight line.
 * Only shelters in use count (open or full; planned ones on request), and only those suitable
 * for the hazard in question: declared for it and not ruled out by a nearby geohazard.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import { haversineM, type Graph } from '../../network/graph.js';
import { note, type Note } from '../../note.js';
import type { PopulationGrid } from '../../population/grid.js';
import { PLAN_AREA_PER_RESIDENT_M2, SHELTER_SERVICE_RADIUS_M, type ShelterClass } from '../../standards.js';
import { arrival, searchFrom, snapPlaces } from '../reach.js';
import type { Unsuitability, ZoneUnsuitability } from './suitability.js';

export interface CapacityTown {
  code: string;
  name: string;
  population: number;
  geometry: Polygon | MultiPolygon;
}

export interface CapacityShelter {
  id: string;
  name: string;
  lon: number;
  lat: number;
  class: ShelterClass;
  areaM2: number;
  capacity: number;
  hazards: readonly string[];
  status: string;
}

export interface ShelterCapacityOptions {
  /** Count only shelters suitable for this hazard (e.g. "flood"); all in-use shelters when absent. */
  hazard?: string;
  areaPerResidentM2?: number;
  serviceRadiusM?: Partial<Record<ShelterClass, number>>;
  includePlanned?: boolean;
  /** From suitability.unsuitableShelters. */
  unsuitable?: ReadonlyMap<string, Unsuitability>;
  /** "network" needs `graph`; "straight-line" measures as the crow flies. */
  metric: 'network' | 'straight-line';
  graph?: Graph;
  /** How far a population cell may be from a walkable road, metres (default 500). */
  maxSnapM?: number;
}

export interface TownCapacityRow {
  code: string;
  name: string;
  population: number;
  shelters: number;
  areaM2: number;
  capacity: number;
  areaPerResidentM2: number;
  requiredAreaM2: number;
  shortfallM2: number;
  /** Residents the town lacks sheltering area for, at the threshold. */
  shortfallPersons: number;
  meetsStandard: boolean;
  populationInReach: number;
  populationOutOfReach: number;
}

export interface ExcludedShelter {
  id: string;
  name: string;
  /**
   * shelter_not_in_use {status} · shelter_not_for_hazard {hazard} · shelter_near_geohazard
   * {geohazard, distanceM} · shelter_outside_towns. status and hazard are catalogue values.
   */
  reason: Note;
  /** For a shelter inside hazard zones (suitability.sheltersInHazardZones): which. */
  zones?: ZoneUnsuitability['zones'];
}

export interface ShelterCapacityResult {
  towns: TownCapacityRow[];
  /** Population cells outside the service distance of every counted shelter. */
  uncovered: FeatureCollection<Point, { population: number; town: string }>;
  excluded: ExcludedShelter[];
  parameters: { hazard: string | null; areaPerResidentM2: number; serviceRadiusM: Record<ShelterClass, number>; metric: string; basis: Note };
}

/**
 * GB 51143-2015 (effective area per person by class), GB 21734-2008 (service radius: emergency
 * 500 m, fixed 2–3 km); the threshold per resident (1.5 m²: 江北区“十四五”应急管理规划).
 */
export const shelterBasis = (areaPerResidentM2: number): Note => note('shelter_capacity_basis', { areaPerResidentM2 });

function excludedReason(s: CapacityShelter, o: ShelterCapacityOptions): Note | undefined {
  const inUse = s.status === 'open' || s.status === 'full' || (o.includePlanned && s.status === 'planned');
  if (!inUse) return note('shelter_not_in_use', { status: s.status });
  if (o.hazard && !s.hazards.includes(o.hazard)) return note('shelter_not_for_hazard', { hazard: o.hazard });
  const ruled = o.hazard ? o.unsuitable?.get(s.id) : undefined;
  if (ruled?.hazards.includes(o.hazard!)) {
    const near = ruled.near[0];
    return note('shelter_near_geohazard', { geohazard: near.name ?? near.id, distanceM: Math.round(near.distanceM) });
  }
  return undefined;
}

export function shelterCapacity(
  towns: readonly CapacityTown[],
  shelters: readonly CapacityShelter[],
  population: PopulationGrid,
  options: ShelterCapacityOptions,
): ShelterCapacityResult {
  const threshold = options.areaPerResidentM2 ?? PLAN_AREA_PER_RESIDENT_M2;
  if (!(threshold > 0)) throw new RangeError(`areaPerResidentM2 must be > 0, got ${threshold}`);
  const radius = { ...SHELTER_SERVICE_RADIUS_M, ...options.serviceRadiusM };
  for (const [cls, r] of Object.entries(radius)) if (!(r >= 0)) throw new RangeError(`serviceRadiusM.${cls} must be ≥ 0 metres, got ${r}`);
  if (options.metric === 'network' && !options.graph) throw new RangeError('metric "network" needs a road network; load one or ask for metric "straight-line"');

  const excluded: ExcludedShelter[] = [];
  const counted: (CapacityShelter & { town: number })[] = [];
  for (const s of shelters) {
    const reason = excludedReason(s, options);
    const town = towns.findIndex((t) => booleanPointInPolygon([s.lon, s.lat], t.geometry));
    if (reason) excluded.push({ id: s.id, name: s.name, reason });
    else if (town < 0) excluded.push({ id: s.id, name: s.name, reason: note('shelter_outside_towns') });
    else counted.push({ ...s, town });
  }

  const reached = reachedEntries(population, counted, radius, options);
  const inReach = new Map<string, number>();
  const uncovered: Feature<Point, { population: number; town: string }>[] = [];
  for (let i = 0; i < population.count; i++) {
    const code = population.units[population.unit[i]];
    if (reached[i]) inReach.set(code, (inReach.get(code) ?? 0) + population.population[i]);
    else
      uncovered.push({
        type: 'Feature',
        properties: { population: population.population[i], town: code },
        geometry: { type: 'Point', coordinates: [population.lon[i], population.lat[i]] },
      });
  }

  const rows = towns.map((t, ti): TownCapacityRow => {
    const own = counted.filter((s) => s.town === ti);
    const areaM2 = own.reduce((a, s) => a + s.areaM2, 0);
    const required = t.population * threshold;
    const shortfallM2 = Math.max(0, required - areaM2);
    const within = inReach.get(t.code) ?? 0;
    return {
      code: t.code,
      name: t.name,
      population: t.population,
      shelters: own.length,
      areaM2,
      capacity: own.reduce((a, s) => a + s.capacity, 0),
      areaPerResidentM2: t.population > 0 ? areaM2 / t.population : Infinity,
      requiredAreaM2: required,
      shortfallM2,
      shortfallPersons: shortfallM2 > 0 ? Math.ceil(shortfallM2 / threshold - 1e-9) : 0,
      meetsStandard: shortfallM2 === 0,
      populationInReach: within,
      populationOutOfReach: t.population - within,
    };
  });
  return {
    towns: rows,
    uncovered: { type: 'FeatureCollection', features: uncovered },
    excluded,
    parameters: { hazard: options.hazard ?? null, areaPerResidentM2: threshold, serviceRadiusM: radius, metric: options.metric, basis: shelterBasis(threshold) },
  };
}

/** Which population entries lie within the service distance of a counted shelter of any class. */
function reachedEntries(
  grid: PopulationGrid,
  shelters: readonly CapacityShelter[],
  radius: Record<ShelterClass, number>,
  o: ShelterCapacityOptions,
): Uint8Array {
  const reached = new Uint8Array(grid.count);
  const classes = [...new Set(shelters.map((s) => s.class))];
  if (o.metric === 'straight-line') {
    for (let i = 0; i < grid.count; i++) {
      reached[i] = shelters.some((s) => haversineM(grid.lon[i], grid.lat[i], s.lon, s.lat) <= radius[s.class]) ? 1 : 0;
    }
    return reached;
  }
  const g = o.graph!;
  const places = snapPlaces(g, Array.from({ length: grid.count }, (_, i) => [grid.lon[i], grid.lat[i]] as const), 'walk', o.maxSnapM ?? 500);
  for (const cls of classes) {
    const bound = radius[cls] / g.walkSpeedMs;
    const facilities = snapPlaces(g, shelters.filter((s) => s.class === cls).map((s) => [s.lon, s.lat] as const), 'walk', o.maxSnapM ?? 500);
    const time = searchFrom(g, facilities, 'walk', bound);
    for (let i = 0; i < grid.count; i++) if (!reached[i] && arrival(g, places[i], 'walk', time) <= bound) reached[i] = 1;
  }
  return reached;
}
