/**
 * Analysis endpoints:
 * - `POST /api/analysis/isochrone` {origins: [[lon, lat], …], minutes: [15, 30, 60], mode: "drive" |
 *   "walk"} → a GeoJSON FeatureCollection, one (Multi)Polygon per threshold and method
 *   (core/analysis/isochrone.ts), plus `origins`: how each origin joined the network. Public.
 * - `POST /api/analysis/fire-coverage`, `/shelter-capacity`, `/relief-reach` {county, …settings} →
 *   per-station / per-town tables and GeoJSON (core/analysis/*.ts). They read internal layers
 *   (stations, geohazards, depots), so they need a commander or admin token.
 *
 * The road graph and the population grids come from analysis-context.ts.
 */
import { Router } from 'express';
import type { MultiPolygon, Polygon } from 'geojson';
import { z } from 'zod';
import { fireCoverage } from '../../core/analysis/fire-coverage.js';
import { IsochroneError, isochrones, LIMITS } from '../../core/analysis/isochrone.js';
import { reliefReach } from '../../core/analysis/relief-reach.js';
import { shelterCapacity } from '../../core/analysis/shelter-capacity.js';
import { activeGeohazard, DEFAULT_HAZARD_BUFFER_M, unsuitableShelters } from '../../core/analysis/suitability.js';
import { HAZARDS, RELIEF_ITEMS } from '../../core/catalogue/index.js';
import type { ShelterClass } from '../../core/standards.js';
import { MODES } from '../../core/network/graph.js';
import { badRequest } from '../errors.js';
import type { Db } from '../store/index.js';
import { analysisContext, countyCode, parseBody } from './analysis-context.js';

export { ROAD_LAYER } from './analysis-context.js';

const lonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const metres = (max: number) => z.number().min(0).max(max).optional();

const isochroneBody = z.object({
  origins: z.array(lonLat).min(1).max(LIMITS.origins),
  minutes: z.array(z.number().gt(0).max(LIMITS.maxMinutes)).min(1).max(LIMITS.thresholds),
  mode: z.enum(MODES as [string, ...string[]]).default('drive'),
  offRoadM: metres(LIMITS.maxOffRoadM),
  maxSnapM: metres(LIMITS.maxOffRoadM),
  cellSizeM: z.number().min(LIMITS.minCellM).max(LIMITS.maxCellM).optional(),
});

const SHELTER_CLASSES = ['emergency', 'fixed_short', 'fixed_medium', 'fixed_long', 'central'] as const;

const fireBody = z.object({
  county: countyCode,
  driveMinutes: z.number().gt(0).max(120).optional(),
  turnoutMinutes: z.number().min(0).max(30).optional(),
  types: z.array(z.string()).min(1).optional(),
  includePlanned: z.boolean().optional(),
});
const FIRE_HINT = 'Send JSON like {"county": "500117", "driveMinutes": 4, "turnoutMinutes": 1, "includePlanned": false}.';

const shelterBody = z.object({
  county: countyCode,
  hazard: z.enum(HAZARDS.map((h) => h.value) as [string, ...string[]]).optional(),
  areaPerResidentM2: z.number().gt(0).max(100).optional(),
  serviceRadiusM: z.partialRecord(z.enum(SHELTER_CLASSES), z.number().min(0).max(20_000)).optional(),
  metric: z.enum(['network', 'straight-line']).default('network'),
  bufferM: z.number().min(0).max(5000).default(DEFAULT_HAZARD_BUFFER_M),
  includePlanned: z.boolean().optional(),
});
const SHELTER_HINT = 'Send JSON like {"county": "500105", "hazard": "earthquake", "areaPerResidentM2": 1.5, "metric": "network", "bufferM": 200}.';

const reliefBody = z.object({
  county: countyCode,
  targetHours: z.number().gt(0).max(72).optional(),
  item: z.enum(RELIEF_ITEMS.map((i) => i.value) as [string, ...string[]]).optional(),
  dispatchHours: z.number().min(0).max(72).optional(),
});
const RELIEF_HINT = 'Send JSON like {"county": "500237", "targetHours": 10, "item": "tent"}.';

const HINT = 'Send JSON like {"origins": [[106.55, 29.57]], "minutes": [15, 30, 60], "mode": "drive"}.';


/** The per-town table as GeoJSON: each town's polygon carrying its row, for GIS users. */
function townAreas<R extends { code: string }>(towns: readonly { code: string; geometry: Polygon | MultiPolygon }[], rows: readonly R[]) {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  return {
    type: 'FeatureCollection' as const,
    features: towns.map((t) => ({ type: 'Feature' as const, id: t.code, geometry: t.geometry, properties: byCode.get(t.code) ?? { code: t.code } })),
  };
}

export function analysisRoutes(db: Db): Router {
  const r = Router();
  const { network, county, sites } = analysisContext(db);

  r.post('/analysis/isochrone', async (req, res) => {
    const body = parseBody(isochroneBody, req.body, HINT);
    const { graph, population } = await network();
    try {
      const result = isochrones(graph, population, { ...body, origins: body.origins as Array<[number, number]>, mode: body.mode as 'drive' | 'walk' });
      res.type('application/geo+json').json(result);
    } catch (err) {
      if (err instanceof IsochroneError) throw badRequest(err.parameter, err.message);
      throw err;
    }
  });

  r.post('/analysis/fire-coverage', async (req, res) => {
    const body = parseBody(fireBody, req.body, FIRE_HINT);
    const stations = await sites(req, 'fire_stations', body.county);
    const { graph, towns, grid } = await county(body.county, true);
    const sitesOf = stations.map((s) => ({ id: s.id, lon: s.lon, lat: s.lat, name: String(s.p.name), type: String(s.p.type), status: String(s.p.status) }));
    res.json(fireCoverage(graph, grid, towns, sitesOf, body));
  });

  r.post('/analysis/shelter-capacity', async (req, res) => {
    const body = parseBody(shelterBody, req.body, SHELTER_HINT);
    const [shelters, hazards] = [await sites(req, 'shelters', body.county), await sites(req, 'geohazards', body.county)];
    const { graph, towns, grid } = await county(body.county, body.metric === 'network');
    const unsuitable = unsuitableShelters(
      shelters,
      hazards.map((h) => ({ id: h.id, lon: h.lon, lat: h.lat, active: activeGeohazard(h.p.status) })),
      body.bufferM,
    );
    const result = shelterCapacity(
      towns,
      shelters.map((s) => ({
        id: s.id,
        lon: s.lon,
        lat: s.lat,
        name: String(s.p.name),
        class: s.p.class as ShelterClass,
        areaM2: Number(s.p.area_m2 ?? 0),
        capacity: Number(s.p.capacity ?? 0),
        hazards: (s.p.hazards as string[] | undefined) ?? [],
        status: String(s.p.status),
      })),
      grid,
      { ...body, graph, unsuitable },
    );
    const byId = new Map(shelters.map((s) => [s.id, s]));
    res.json({
      ...result,
      townAreas: townAreas(towns, result.towns),
      unsuitable: [...unsuitable].map(([id, u]) => ({ id, name: String(byId.get(id)!.p.name), lon: byId.get(id)!.lon, lat: byId.get(id)!.lat, ...u })),
    });
  });

  r.post('/analysis/relief-reach', async (req, res) => {
    const body = parseBody(reliefBody, req.body, RELIEF_HINT);
    const depots = await sites(req, 'depots', body.county);
    const { graph, towns, grid } = await county(body.county, true);
    const sitesOf = depots.map((d) => ({
      id: d.id,
      lon: d.lon,
      lat: d.lat,
      name: String(d.p.name),
      status: String(d.p.status),
      inventory: (d.p.inventory as { item: string; quantity: number }[] | undefined) ?? [],
    }));
    const result = reliefReach(graph, grid, towns, sitesOf, body);
    res.json({ ...result, townAreas: townAreas(towns, result.towns) });
  });

  return r;
}
