/**
 * Candidates screened by hazards before the solver sees them: a new facility must not be placed
 * where the hazard it is meant to answer (or any other) threatens it.
 * - Within the geohazard buffer the shelter analysis applies (shelter-capacity/suitability.ts: an
 *   active landslide, rockfall, debris-flow or subsidence point, default 200 m; GB 51143-2015
 *   防灾避难场所设计规范 site selection; GB 21734-2008 §5 场址选择) — for every facility layer: a
 *   fire station or relief depot on a sliding slope is lost with it.
 * - Inside a hazard zone (a polygon with `hazard` and `level`) relevant to the facility, unless
 *   its level is low (ZONE_RULES below).
 * Every ruled-out candidate carries its reasons as Notes (which point or zone, how far).
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { note, type Note } from '../../note.js';
import { DEFAULT_HAZARD_BUFFER_M, unsuitableShelters, type HazardPoint, type HazardZone } from '../shelter-capacity/suitability.js';

export type { HazardZone };
import type { PlannerSite } from './planner-siting.js';
import type { SitingLayer } from './request.js';

/**
 * Which zones rule out a facility: any hazard but those listed as `notFor` (a fire station is
 * placed near forest-fire risk, not away from it), at any level but `low`. A county that grades
 * zones differently overrides it here.
 */
export const ZONE_RULES: Record<SitingLayer, { notFor: readonly string[]; lowLevels: readonly string[] }> = {
  shelters: { notFor: [], lowLevels: ['low'] },
  fire_stations: { notFor: ['forest_fire', 'fire'], lowLevels: ['low'] },
  depots: { notFor: ['forest_fire', 'fire'], lowLevels: ['low'] },
};

export interface ExcludedSite {
  id: string;
  lon: number;
  lat: number;
  reasons: Note[];
}

export interface Screened {
  kept: PlannerSite[];
  excluded: ExcludedSite[];
}

/** Whether a zone rules out a facility of `layer`. */
export const zoneRulesOut = (layer: SitingLayer, z: Pick<HazardZone, 'hazard' | 'level'>): boolean =>
  !ZONE_RULES[layer].notFor.includes(z.hazard) && !(z.level !== undefined && ZONE_RULES[layer].lowLevels.includes(z.level));

/** The candidates that stay, and those ruled out with their reasons (nearest geohazard first, then zones). */
export function screenCandidates(
  candidates: readonly PlannerSite[],
  layer: SitingLayer,
  points: readonly HazardPoint[],
  zones: readonly HazardZone[] = [],
  bufferM = DEFAULT_HAZARD_BUFFER_M,
): Screened {
  const near = unsuitableShelters(candidates, points, bufferM);
  const relevant = zones.filter((z) => zoneRulesOut(layer, z));
  const kept: PlannerSite[] = [];
  const excluded: ExcludedSite[] = [];
  for (const c of candidates) {
    const reasons: Note[] = (near.get(c.id)?.near ?? []).map((h) => note('siting_excluded_geohazard', { point: h.id, distanceM: Math.round(h.distanceM), bufferM }));
    for (const z of relevant) {
      if (booleanPointInPolygon([c.lon, c.lat], z.geometry)) reasons.push(note('siting_excluded_zone', { zone: z.name ?? z.id, hazard: z.hazard, level: z.level ?? '—' }));
    }
    if (reasons.length) excluded.push({ id: c.id, lon: c.lon, lat: c.lat, reasons });
    else kept.push(c);
  }
  return { kept, excluded };
}
