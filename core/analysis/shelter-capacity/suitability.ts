/**
 * Hazard suitability of shelters: a shelter on or near a geological-hazard point is not a safe
 * place to shelter from that hazard — nor from an earthquake, which triggers slides and rockfall.
 * Shelter siting must keep out of ground threatened by landslides, rockfall, subsidence and
 * debris flows (GB 51143-2015 防灾避难场所设计规范, site selection; GB 21734-2008 §5 场址选择).
 * The buffer is a planner's setting (default 200 m). Where the store holds hazard zones (the layer
 * with the `hazard_zone` role), a shelter inside a zone of the hazard in question is unsuitable too.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import { haversineM } from '../../network/graph.js';
import { note, type Note } from '../../note.js';

export const DEFAULT_HAZARD_BUFFER_M = 200;

/** Shelter hazards a nearby geohazard rules out. */
export const RULED_OUT_BY_GEOHAZARD = ['geohazard', 'earthquake'] as const;

/** A geohazard point threatens its surroundings unless it is `treated` or `relocated` (no status: active). */
export const activeGeohazard = (status: unknown): boolean => status === undefined || status === 'active';

export interface HazardPoint {
  id: string;
  /** What a reader calls it (its name in the catalogue), when it has one. */
  name?: string;
  lon: number;
  lat: number;
  /** Status `treated` or `relocated` points no longer threaten their surroundings. */
  active: boolean;
}

export interface SheltersForSuitability {
  id: string;
  lon: number;
  lat: number;
}

export interface Unsuitability {
  /** Hazards this shelter must not be used for. */
  hazards: string[];
  /** The hazard points within the buffer, nearest first. */
  near: { id: string; name?: string; distanceM: number }[];
}

/** The shelters within `bufferM` of an active hazard point, with what they are unsuitable for. */
export function unsuitableShelters(
  shelters: readonly SheltersForSuitability[],
  hazards: readonly HazardPoint[],
  bufferM = DEFAULT_HAZARD_BUFFER_M,
): Map<string, Unsuitability> {
  if (!(bufferM >= 0)) throw new RangeError(`bufferM must be ≥ 0 metres, got ${bufferM}`);
  const active = hazards.filter((h) => h.active);
  // A degree of latitude is ≥ 110 km: a cheap box test before the exact distance.
  const dLat = bufferM / 110_000;
  const out = new Map<string, Unsuitability>();
  for (const s of shelters) {
    const dLon = dLat / Math.max(0.1, Math.cos((s.lat * Math.PI) / 180));
    const near = active
      .filter((h) => Math.abs(h.lat - s.lat) <= dLat && Math.abs(h.lon - s.lon) <= dLon)
      .map((h) => ({ id: h.id, ...(h.name ? { name: h.name } : {}), distanceM: haversineM(s.lon, s.lat, h.lon, h.lat) }))
      .filter((n) => n.distanceM <= bufferM)
      .sort((a, b) => a.distanceM - b.distanceM);
    if (near.length) out.set(s.id, { hazards: [...RULED_OUT_BY_GEOHAZARD], near });
  }
  return out;
}

/** A hazard zone (flood risk, geohazard threat, other risk zoning), from the layer with the `hazard_zone` role. */
export interface HazardZone {
  id: string;
  name: string;
  /** A value of the shelters' hazard list (or `other`). */
  hazard: string;
  level?: string;
  geometry: Polygon | MultiPolygon;
}

/**
 * The shelter hazards a zone of each hazard rules out: a flood zone for floods, and so on; a
 * geohazard zone also for earthquakes, as a geohazard point does (RULED_OUT_BY_GEOHAZARD).
 */
export const RULED_OUT_BY_ZONE: Readonly<Record<string, readonly string[]>> = {
  flood: ['flood'],
  geohazard: RULED_OUT_BY_GEOHAZARD,
  earthquake: ['earthquake'],
  fire: ['fire'],
  extreme_weather: ['extreme_weather'],
};

/**
 * Levels that do not rule a shelter out: a county's risk zoning covers all its ground, most of it
 * low-risk, and GB 51143-2015 asks shelters to keep out of the dangerous ground, not out of the county.
 */
export const TOLERATED_ZONE_LEVELS: readonly string[] = ['low'];

export interface ZoneUnsuitability {
  /** The zones the shelter lies in that rule it out for the hazard, highest level first as given. */
  zones: { id: string; name: string; hazard: string; level: string | null }[];
  /** Why, for the reader: the first zone by name (note `shelter_in_hazard_zone`). */
  note: Note;
}

/**
 * The shelters lying inside a zone that rules them out for `hazard` (site selection: GB 51143-2015
 * and GB 21734-2008 §5 keep shelters out of flood-prone and geohazard-threatened ground), each with
 * its zones and a Note saying why.
 */
export function sheltersInHazardZones(
  shelters: readonly SheltersForSuitability[],
  zones: readonly HazardZone[],
  hazard: string,
): Map<string, ZoneUnsuitability> {
  const ruling = zones.filter((z) => RULED_OUT_BY_ZONE[z.hazard]?.includes(hazard) && !TOLERATED_ZONE_LEVELS.includes(z.level ?? ''));
  const out = new Map<string, ZoneUnsuitability>();
  for (const s of shelters) {
    const inside = ruling.filter((z) => booleanPointInPolygon([s.lon, s.lat], z.geometry));
    if (inside.length === 0) continue;
    const first = inside[0];
    out.set(s.id, {
      zones: inside.map((z) => ({ id: z.id, name: z.name, hazard: z.hazard, level: z.level ?? null })),
      note: note('shelter_in_hazard_zone', { zone: first.name, zoneId: first.id, hazard, level: first.level ?? '', zones: inside.length }),
    });
  }
  return out;
}
