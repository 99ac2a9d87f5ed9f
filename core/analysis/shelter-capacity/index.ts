/**
 * The shelter-capacity slice: the request (request.ts), the pure functions (shelter-capacity.ts,
 * and suitability.ts for the shelters a geohazard rules out), and here the adapter from the
 * catalogue's shelters and geohazards to their inputs and the shaping of the answer: the towns as
 * GeoJSON and the ruled-out shelters with their names and places.
 */
import type { ShelterClass } from '../../standards.js';
import { layerWithRole } from '../../catalogue/roles.js';
import type { AreaRecord, CountyInput, SiteRecord } from '../slice.js';
import { townAreas, type TownAreas } from '../town-areas.js';
import type { ShelterCapacityRequest } from './request.js';
import { shelterCapacity, type CapacityShelter, type ShelterCapacityResult, type TownCapacityRow } from './shelter-capacity.js';
import { activeGeohazard, sheltersInHazardZones, unsuitableShelters, type HazardPoint, type HazardZone, type Unsuitability } from './suitability.js';

export * from './request.js';
export * from './shelter-capacity.js';
export * from './suitability.js';

/** The hazard-zone layer (by its role): shelters inside a zone of the hazard in question do not count. */
const HAZARD_ZONES = layerWithRole('hazard_zone');

export const SHELTER_CAPACITY_READS = ['shelters', 'geohazards', HAZARD_ZONES.id] as const;

/** Hazard zones as the suitability check takes them, read through the role's fields. */
export const hazardZonesOf = (areas: readonly AreaRecord[]): HazardZone[] => {
  const { hazard, level } = HAZARD_ZONES.roles.hazard_zone;
  return areas.map((a) => ({
    id: a.id,
    name: String(a.p.name ?? a.id),
    hazard: String(a.p[hazard]),
    level: typeof a.p[level] === 'string' ? (a.p[level] as string) : undefined,
    geometry: a.geometry,
  }));
};

export const capacitySheltersOf = (sites: readonly SiteRecord[]): CapacityShelter[] =>
  sites.map((s) => ({
    id: s.id,
    lon: s.lon,
    lat: s.lat,
    name: String(s.p.name),
    class: s.p.class as ShelterClass,
    areaM2: Number(s.p.area_m2 ?? 0),
    capacity: Number(s.p.capacity ?? 0),
    hazards: (s.p.hazards as string[] | undefined) ?? [],
    status: String(s.p.status),
  }));

/** A geohazard point threatens its surroundings until it is treated or relocated (no status: active). */
export const hazardPointsOf = (sites: readonly SiteRecord[]): HazardPoint[] =>
  sites.map((h) => ({ id: h.id, ...(h.p.name ? { name: String(h.p.name) } : {}), lon: h.lon, lat: h.lat, active: activeGeohazard(h.p.status) }));

/** A shelter a geohazard rules out for some hazards; `counted` when the hazard asked about is not one of them. */
export type UnsuitableShelter = { id: string; name: string; lon: number; lat: number; counted: boolean } & Unsuitability;

export interface ShelterCapacityAnswer extends ShelterCapacityResult {
  townAreas: TownAreas<TownCapacityRow>;
  unsuitable: UnsuitableShelter[];
}

/** A town of no population has no area per resident: JSON carries the analysis' Infinity as null. */
export type ShelterTownRow = Omit<TownCapacityRow, 'areaPerResidentM2'> & { areaPerResidentM2: number | null };
/** The answer as the client receives it. */
export type ShelterCapacityJson = Omit<ShelterCapacityAnswer, 'towns' | 'townAreas'> & { towns: ShelterTownRow[]; townAreas: TownAreas<ShelterTownRow> };

export function runShelterCapacity(input: CountyInput, request: ShelterCapacityRequest): ShelterCapacityAnswer {
  const shelters = input.sites.shelters ?? [];
  const unsuitable = unsuitableShelters(shelters, hazardPointsOf(input.sites.geohazards ?? []), request.bufferM);
  const zoned = request.hazard ? sheltersInHazardZones(shelters, hazardZonesOf(input.areas?.[HAZARD_ZONES.id] ?? []), request.hazard) : new Map();
  const counted = shelters.filter((s) => !zoned.has(s.id));
  const result = shelterCapacity(input.towns, capacitySheltersOf(counted), input.grid, { ...request, graph: input.graph, unsuitable });
  const byId = new Map(shelters.map((s) => [s.id, s]));
  const excluded = new Set(result.excluded.map((e) => e.id));
  return {
    ...result,
    excluded: [...result.excluded, ...[...zoned].map(([id, z]) => ({ id, name: String(byId.get(id)!.p.name), reason: z.note, zones: z.zones }))],
    townAreas: townAreas(input.towns, result.towns),
    unsuitable: [...unsuitable].map(([id, u]) => ({ id, name: String(byId.get(id)!.p.name), lon: byId.get(id)!.lon, lat: byId.get(id)!.lat, counted: !excluded.has(id), ...u })),
  };
}
