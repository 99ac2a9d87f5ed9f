/**
 * Hazard suitability of shelters: a shelter on or near a geological-hazard point is not a safe
 * place to shelter from that hazard — nor from an earthquake, which triggers slides and rockfall.
 * Shelter siting must keep out of ground threatened by landslides, rockfall, subsidence and
 * debris flows (GB 51143-2015 防灾避难场所设计规范, site selection; GB 21734-2008 §5 场址选择).
 * The buffer is a planner's setting (default 200 m).
 */
import { haversineM } from '../../network/graph.js';

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
