/**
 * Planner siting's requests: `POST /api/analysis/siting` (solve) and `POST
 * /api/analysis/siting/evaluate` (the what-if for given sites). One schema each, for the server and
 * the client.
 */
import { z } from 'zod';
import { SHELTER_CLASSES, type ShelterClass } from '../../standards.js';
import { SITING_MODELS, type SitingModelName } from '../siting/model.js';
import { countyCode, defineAnalysis } from '../slice.js';

/** The facility layers siting plans for. */
export const SITING_LAYERS = ['fire_stations', 'shelters', 'depots'] as const;
export type SitingLayer = (typeof SITING_LAYERS)[number];
/** Drawn candidate sets larger than this are better served by the generated grid. */
export const MAX_DRAWN = 2000;
/** A what-if is a handful of sites, not a candidate set. */
export const MAX_EVALUATED = 200;

const lonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).rest(z.number());
const point = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]).optional(),
  properties: z.record(z.string(), z.unknown()).nullable().optional(),
  geometry: z.object({ type: z.literal('Point'), coordinates: lonLat }),
});
/** A drawn area: the generated grid's candidates inside it. */
const area = z.object({
  type: z.literal('Feature'),
  properties: z.record(z.string(), z.unknown()).nullable().optional(),
  geometry: z.union([
    z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(lonLat).min(4)).min(1) }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(lonLat).min(4)).min(1)).min(1) }),
  ]),
});
/** The points of a catalogue layer (e.g. shelters: the parks, squares and schools a station could go on), optionally filtered by field values. */
const fromLayer = z.object({ layer: z.string().min(1), where: z.record(z.string(), z.array(z.string()).min(1)).optional() }).strict();
const shelterClass = z.enum(SHELTER_CLASSES as [ShelterClass, ...ShelterClass[]]);
const persons = z.number().min(0).max(1e8);

/** The model settings both endpoints take. */
const common = {
  model: z.enum(SITING_MODELS as [SitingModelName, ...SitingModelName[]]),
  facilityLayer: z.enum(SITING_LAYERS),
  county: countyCode,
  p: z.number().int().min(1).max(200).optional(),
  coverageTarget: z.number().gt(0).max(1).optional(),
  /** One threshold, minutes, for every cell (fire stations: instead of the urban/rural rule). */
  threshold: z.number().gt(0).max(240).optional(),
  /**
   * Fire stations, the urban/rural rule of fire coverage (core/analysis/fire-coverage/): driving
   * minutes in urban towns (default 4, GB 51080-2015 §4.1.3) and in the others (default 14, a
   * setting: FIRE_RURAL_RESPONSE), and the towns a bureau marks urban besides the 街道.
   */
  urbanDriveMinutes: z.number().gt(0).max(120).optional(),
  ruralDriveMinutes: z.number().gt(0).max(120).optional(),
  urbanTowns: z.array(z.string().min(1)).max(500).optional(),
  mode: z.enum(['drive', 'walk', 'straight-line']).optional(),
  timeLimitSeconds: z.number().gt(0).max(30).default(20),
  capacities: z.union([z.literal('layer'), z.record(z.string(), persons)]).optional(),
  newSiteCapacity: persons.optional(),
  siteClass: shelterClass.optional(),
  radii: z.enum(['class', 'uniform']).optional(),
};
const commonSchema = z.object(common);
export type SitingCommon = z.infer<typeof commonSchema>;

export const sitingRequest = z
  .object({
    ...common,
    candidates: z
      .union([z.enum(['grid', 'planned']), z.object({ type: z.literal('FeatureCollection'), features: z.array(point).min(1).max(MAX_DRAWN) }), area, fromLayer])
      .default('grid'),
    candidateCellM: z.number().min(500).max(5000).optional(),
    method: z.enum(['auto', 'exact', 'heuristic']).default('auto'),
  })
  .strict();
export type SitingRequest = z.infer<typeof sitingRequest>;
/** The request as a caller may send it (defaults not yet applied). */
export type SitingBody = z.input<typeof sitingRequest>;

export const evaluateRequest = z
  .object({
    ...common,
    sites: z
      .array(
        z
          .object({
            id: z.string().min(1).max(100),
            lon: z.number().min(-180).max(180),
            lat: z.number().min(-90).max(90),
            capacity: persons.optional(),
            class: shelterClass.optional(),
          })
          .strict(),
      )
      .max(MAX_EVALUATED),
  })
  .strict();
export type EvaluateRequest = z.infer<typeof evaluateRequest>;
export type EvaluateBody = z.input<typeof evaluateRequest>;

export const PLANNER_SITING = defineAnalysis({
  id: 'siting',
  slice: 'planner-siting',
  route: 'siting',
  // Reads the facility layers' internal fields (status, capacity).
  access: 'token',
  label: { zh: '规划选址', en: 'Planner siting' },
  schema: sitingRequest,
  example:
    '{"model": "mclp", "facilityLayer": "fire_stations", "county": "500117", "p": 3} or {"model": "lscp", "facilityLayer": "shelters", "county": "510802", "coverageTarget": 0.9}',
});

/** The what-if on a siting answer: the same model for exactly the given new sites. */
export const SITING_EVALUATE = defineAnalysis({
  id: 'siting-evaluate',
  slice: 'planner-siting',
  route: 'siting/evaluate',
  access: 'token',
  label: { zh: '规划选址：假设方案', en: 'Planner siting: what-if' },
  schema: evaluateRequest,
  example: '{"model": "mclp", "facilityLayer": "shelters", "county": "510802", "sites": [{"id": "s1", "lon": 105.84, "lat": 32.43}]}',
});
