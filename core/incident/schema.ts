/**
 * The commander's incident view, typed once for server and client: the request schemas (zod; the
 * server validates with them, the client builds requests from their `z.infer` types) and the
 * answers of POST /api/analysis/closest, POST /api/analysis/incident and /api/incidents.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { z } from 'zod';
import type { Note } from '../note.js';

export const INCIDENT_HAZARDS = ['earthquake', 'flood', 'geohazard', 'fire', 'hazmat', 'other'] as const;
export type IncidentHazard = (typeof INCIDENT_HAZARDS)[number];

/** Coordinate systems an origin may be typed in (converted to WGS84 with core/geo/crs.ts). */
export const ORIGIN_CRS = ['wgs84', 'gcj02', 'bd09'] as const;

/** The resource groups the closest-facility search ranks, in display order. */
export const CLOSEST_GROUPS = ['fire_stations', 'micro_fire_stations', 'rescue_teams', 'depots', 'shelters', 'experts'] as const;
export type ClosestGroupKey = (typeof CLOSEST_GROUPS)[number];

/** The store layer each group is read from. */
export const GROUP_LAYER: Readonly<Record<ClosestGroupKey, string>> = {
  fire_stations: 'fire_stations',
  micro_fire_stations: 'fire_stations',
  rescue_teams: 'rescue_teams',
  depots: 'depots',
  shelters: 'shelters',
  experts: 'experts',
};

/** Store layers a request may name in `layers` (micro stations are part of `fire_stations`). */
export const CLOSEST_LAYERS = ['fire_stations', 'rescue_teams', 'depots', 'shelters', 'experts'] as const;

export const DEFAULT_TIERS = [30, 60, 120] as const;
export const DEFAULT_MAX_MINUTES = 120;
export const DEFAULT_LIMIT = 10;

const lonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);

/** A road closure: a point on a road, a drawn line along or across roads, or an area. */
export const closureGeometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: position }),
  z.object({ type: z.literal('LineString'), coordinates: z.array(position).min(2).max(1000) }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(position).min(4).max(5000)).min(1).max(50) }),
]);
export type ClosureGeometry = z.infer<typeof closureGeometry>;

const closureFeature = z.object({
  type: z.literal('Feature'),
  geometry: closureGeometry,
  properties: z.record(z.string(), z.unknown()).nullable().optional(),
});

/** Closures as a FeatureCollection or a plain array of Features (WGS84). */
export const closures = z.union([
  z.object({ type: z.literal('FeatureCollection'), features: z.array(closureFeature).max(100) }),
  z.array(closureFeature).max(100),
]);
export type Closures = z.infer<typeof closures>;

export const closestRequest = z.object({
  origin: lonLat,
  crs: z.enum(ORIGIN_CRS).default('wgs84'),
  layers: z.array(z.enum(CLOSEST_LAYERS)).min(1).optional(),
  maxMinutes: z.number().gt(0).max(240).default(DEFAULT_MAX_MINUTES),
  tiers: z.array(z.number().gt(0).max(240)).min(1).max(6).optional(),
  closures: closures.optional(),
  limit: z.number().int().min(1).max(100).default(DEFAULT_LIMIT),
});
export type ClosestRequest = z.input<typeof closestRequest>;
export type ClosestRequestParsed = z.output<typeof closestRequest>;

/** The affected area: a circle, or what is reached from the incident within some minutes. */
export const incidentArea = z.union([
  z.object({ radiusM: z.number().gt(0).max(50_000) }).strict(),
  z.object({ driveMinutes: z.number().gt(0).max(120) }).strict(),
  z.object({ walkMinutes: z.number().gt(0).max(120) }).strict(),
]);
export type IncidentArea = z.infer<typeof incidentArea>;

export const DEFAULT_AREA: IncidentArea = { radiusM: 1000 };

/** Per-person rates, overriding the defaults of core/incident/rates.ts (item → quantity per person). */
export const rateOverrides = z.record(z.string(), z.number().min(0).max(1000));

export const assessmentRequest = closestRequest.extend({
  hazard: z.enum(INCIDENT_HAZARDS),
  /** Typed by the commander; estimated from the population surface within `area` when absent. */
  affectedPersons: z.number().int().min(0).max(10_000_000).optional(),
  area: incidentArea.optional(),
  /** Share of the affected persons who need a shelter place (0–1). */
  evacuateShare: z.number().min(0).max(1).optional(),
  /** How far people walk to a shelter, minutes. */
  shelterWalkMinutes: z.number().gt(0).max(120).optional(),
  /** Days of supplies the need covers. */
  days: z.number().gt(0).max(30).optional(),
  rates: rateOverrides.optional(),
});
export type AssessmentRequest = z.input<typeof assessmentRequest>;
export type AssessmentRequestParsed = z.output<typeof assessmentRequest>;

/**
 * Error codes of these endpoints (HTTP 4xx `{error: {code, parameter, message, params}}`):
 * - outside_area (400, parameter origin; params lon, lat): the origin lies in no county of the store;
 * - no_road_nearby (400, parameter origin; params nearestRoadM, maxSnapM): no drivable road within the snap distance;
 * - origin_disconnected (409, parameter closures; params closures): the closures cut the incident off;
 * - bad_parameter (400, with parameter): e.g. an unknown hazard;
 * - version_conflict (409; params version = the stored one), not_found (404), unauthorized (401).
 */
export const INCIDENT_ERRORS = ['outside_area', 'no_road_nearby', 'origin_disconnected', 'bad_parameter', 'version_conflict', 'not_found'] as const;

/**
 * Message codes (warnings in an answer), with their params:
 * - closure_no_road {index}: a closure touched no drivable road (a point: none within 50 m);
 * - no_layer {layer}: the catalogue has no such layer;
 * - facility_no_road {group, count}: facilities with no drivable road within 1 km, left out;
 * - population_demo {weighting}: affected persons estimated from a demo population surface;
 * - no_population: no population surface, so nothing was estimated.
 */
export const MESSAGE_CODES = ['closure_no_road', 'no_layer', 'facility_no_road', 'population_demo', 'no_population'] as const;

/** A warning or note, as a code with parameters the client renders in zh-CN or English. */
export interface Message {
  code: string;
  params: Record<string, string | number>;
}

export interface ClosestItem {
  id: string;
  name: string;
  /** Minutes from the facility's door to the road point nearest the incident. */
  etaMinutes: number;
  distanceM: number;
  /** The smallest tier the ETA falls within, or null beyond the largest. */
  tier: number | null;
  /** Facility → incident, WGS84. */
  route: [number, number][];
  /** What the caller may see: members, specialty, equipment, inventory, capacity, status, suitability, contact, phone. */
  properties: Record<string, unknown>;
}

export interface ClosestGroup {
  key: ClosestGroupKey;
  layer: string;
  items: ClosestItem[];
  /** Facilities of the group not reachable within maxMinutes (or with no road near them). */
  unreachable: number;
  /** Facilities reachable within maxMinutes, before `limit` cut the list. */
  reachable: number;
}

export type ClosureKind = 'Point' | 'LineString' | 'Polygon';

export interface ClosureReport {
  index: number;
  kind: ClosureKind;
  /** Road links the closure removed (0: it touched no road — see messages). */
  linksClosed: number;
}

export interface ClosestResult {
  origin: { lon: number; lat: number; snapDistanceM: number; county: string | null; road: [number, number] };
  tiers: number[];
  maxMinutes: number;
  closures: ClosureReport[];
  groups: ClosestGroup[];
  messages: Message[];
  /** The incident reaches the roads on a small island (core/network/components.ts islandNotes). */
  networkNotes?: Note[];
  /** Milliseconds spent in the network search (one reversed search for all layers). */
  searchMs: number;
}

export interface SupplyRate {
  item: string;
  /** Quantity of `unit` per person (per day for consumables). */
  perPerson: number;
  unit: string;
  perDay: boolean;
  /** The standard or norm the rate comes from, with its clause. */
  source: string;
}

export interface SupplyLine {
  item: string;
  available: number;
  need: number;
  /** need − available where positive, else 0. */
  shortfall: number;
}

export interface IncidentAssessment {
  closest: ClosestResult;
  hazard: IncidentHazard;
  area: IncidentArea;
  /** The affected area drawn on the map (circle or isochrone). */
  areaGeometry: Polygon | MultiPolygon | null;
  affected: { persons: number; estimated: boolean; method: 'typed' | 'radius' | 'drive' | 'walk'; weighting?: string };
  supply: { days: number; rates: SupplyRate[]; tiers: { minutes: number; items: SupplyLine[] }[] };
  shelterPlaces: { walkMinutes: number; places: number; toEvacuate: number; shortfall: number; evacuateShare: number; shelters: number };
  threatened: {
    residents: number;
    towns: { code: string; name: string; residents: number }[];
    geohazards: { id: string; name: string; type: string; risk: string; threatenedPersons: number; threatenedProperty: number }[];
    /** `note`: for `in_hazard_zone`, the zone that rules the shelter out (suitability.ts `shelter_in_hazard_zone`). */
    unsuitableShelters: { id: string; name: string; reason: 'not_rated_for_hazard' | 'near_geohazard' | 'in_hazard_zone' | 'closed'; note?: Note }[];
  };
  warn: {
    towns: { code: string; name: string; population: number; residentsInArea: number }[];
    monitors: { name: string; phone: string; geohazardId: string; geohazardName: string; town: string }[];
    shelterManagers: { name: string; phone: string; shelterId: string; shelterName: string; town: string }[];
  };
  messages: Message[];
}

export const INCIDENT_STATUS = ['open', 'closed'] as const;

export const incidentCreate = z.object({
  title: z.string().trim().min(1).max(200),
  hazard: z.enum(INCIDENT_HAZARDS),
  origin: lonLat,
  crs: z.enum(ORIGIN_CRS).default('wgs84'),
  /** ISO 8601; defaults to now. */
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  affectedPersons: z.number().int().min(0).max(10_000_000).optional(),
  area: incidentArea.optional(),
  closures: closures.optional(),
  notes: z.string().max(4000).optional(),
});
export type IncidentCreate = z.input<typeof incidentCreate>;

export const incidentPatch = z.object({
  version: z.number().int().min(1),
  title: z.string().trim().min(1).max(200).optional(),
  hazard: z.enum(INCIDENT_HAZARDS).optional(),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
  affectedPersons: z.number().int().min(0).max(10_000_000).nullable().optional(),
  area: incidentArea.nullable().optional(),
  closures: closures.nullable().optional(),
  notes: z.string().max(4000).nullable().optional(),
  status: z.enum(INCIDENT_STATUS).optional(),
});
export type IncidentPatch = z.input<typeof incidentPatch>;

/** A stored incident; lon/lat are WGS84 (converted from `crs` on the way in; `crs` says what was typed). */
export interface Incident {
  id: string;
  title: string;
  hazard: IncidentHazard;
  lon: number;
  lat: number;
  crs: (typeof ORIGIN_CRS)[number];
  county: string | null;
  occurredAt: string;
  affectedPersons: number | null;
  area: IncidentArea | null;
  closures: Closures | null;
  notes: string | null;
  status: (typeof INCIDENT_STATUS)[number];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  version: number;
}
