/**
 * Analysis endpoints:
 * - `POST /api/analysis/isochrone` {origins: [[lon, lat], …], minutes: [15, 30, 60], mode: "drive" |
 *   "walk"} → a GeoJSON FeatureCollection, one (Multi)Polygon per threshold and method
 *   (core/analysis/isochrone.ts), plus `origins`: how each origin joined the network. Public.
 * - `POST /api/analysis/fire-coverage`, `/shelter-capacity`, `/relief-reach` {county, …settings} →
 *   per-station / per-town tables and GeoJSON (core/analysis/*.ts). They read internal layers
 *   (stations, geohazards, depots), so they need a commander or admin token.
 *
 * The road graph is built from the `roads` layer of the store and the population grid from the
 * town polygons of `admin_units` (weighted by road density: demo). Both are cached and rebuilt
 * when either layer changes (row count or latest update).
 */
import { Router } from 'express';
import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import type { Request } from 'express';
import { z } from 'zod';
import { findLayer } from '../../core/catalogue/index.js';
import { fireCoverage } from '../../core/analysis/fire-coverage.js';
import { IsochroneError, isochrones, LIMITS } from '../../core/analysis/isochrone.js';
import { reliefReach } from '../../core/analysis/relief-reach.js';
import { shelterCapacity } from '../../core/analysis/shelter-capacity.js';
import { DEFAULT_HAZARD_BUFFER_M, unsuitableShelters } from '../../core/analysis/suitability.js';
import { HAZARDS, RELIEF_ITEMS } from '../../core/catalogue/index.js';
import type { ShelterClass } from '../../core/standards.js';
import { buildGraph, MODES, NetworkError, type Graph } from '../../core/network/graph.js';
import { buildPopulationGrid, type PopulationGrid, type PopulationUnit } from '../../core/population/grid.js';
import { ROAD_DENSITY_WEIGHTING, roadDensityWeight } from '../../core/population/road-density.js';
import { ApiError, badRequest } from '../errors.js';
import { queryFeatures, type Db, type Props } from '../store/index.js';
import { visibleLayer } from './layers.js';

/** The store layer the road graph is read from. */
export const ROAD_LAYER = 'roads';

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

const countyCode = z.string().regex(/^\d{6}$/, 'a 6-digit county code such as "500105"');
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

function parseBody<T>(schema: z.ZodType<T>, body: unknown, hint = HINT): T {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('body', `The request body must be a JSON object with Content-Type: application/json. ${hint}`);
  }
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const parameter = String(issue.path[0] ?? 'body');
  const where = issue.path.length ? `"${issue.path.join('.')}"` : 'the body';
  throw badRequest(parameter, `${where}: ${issue.message}. ${hint}`);
}

interface Town extends PopulationUnit {
  name: string;
  countyCode: string;
}

interface Network {
  graph?: Graph;
  /** One grid over every town, for isochrones anywhere. */
  population?: PopulationGrid;
  towns: Town[];
  /** A grid per county, projected about the county's own centre (see core/population/grid.ts). */
  countyGrid(code: string): PopulationGrid;
}

/** Builds the road graph and the population grids from the store, once per change of either. */
function networkCache(db: Db): () => Promise<Network> {
  let key = '';
  let built: Promise<Network> | undefined;
  return async () => {
    const [s] = await db.query<{ n: number; t: string | null }>(
      `SELECT count(*)::int AS n, max(updated_at)::text AS t FROM features WHERE layer IN ($1, 'admin_units')`,
      [ROAD_LAYER],
    );
    const k = `${s.n}|${s.t}`;
    if (k !== key || !built) {
      key = k;
      built = load(db);
      built.catch(() => (key = ''));
    }
    return built;
  };
}

const ALL = { offset: 0, limit: Number.MAX_SAFE_INTEGER };

async function load(db: Db): Promise<Network> {
  const roads = await queryFeatures(db, { layer: ROAD_LAYER, ...ALL });
  let graph: Graph | undefined;
  if (roads.features.length > 0) {
    try {
      graph = buildGraph(roads.features);
    } catch (err) {
      if (err instanceof NetworkError && err.feature !== undefined) {
        throw new ApiError(500, 'bad_road_data', `Road layer "${ROAD_LAYER}", feature ${roads.features[err.feature]?.id}: ${err.message}`);
      }
      throw err;
    }
  }
  const level = findLayer('admin_units')?.fields.find((f) => f.name === 'level');
  const unitsOf = async (value: string): Promise<Town[]> =>
    level
      ? (await queryFeatures(db, { layer: 'admin_units', filters: [{ field: level, values: [value] }], ...ALL })).features
          .filter((f) => Number.isInteger(f.properties.population) && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon'))
          .map((f) => ({
            code: String(f.properties.code),
            name: String(f.properties.name),
            countyCode: String(f.properties.county_code),
            population: f.properties.population as number,
            geometry: f.geometry as Polygon | MultiPolygon,
          }))
      : [];
  let towns = await unitsOf('town');
  if (towns.length === 0) towns = await unitsOf('county');
  const options = graph ? { weight: roadDensityWeight(graph), weighting: ROAD_DENSITY_WEIGHTING } : {};
  const population = towns.length ? buildPopulationGrid(towns, options) : undefined;
  const grids = new Map<string, PopulationGrid>();
  return {
    graph,
    population,
    towns,
    countyGrid(code) {
      let grid = grids.get(code);
      if (!grid) grids.set(code, (grid = buildPopulationGrid(towns.filter((t) => t.countyCode === code), options)));
      return grid;
    },
  };
}

export function analysisRoutes(db: Db): Router {
  const r = Router();
  const network = networkCache(db);

  r.post('/analysis/isochrone', async (req, res) => {
    const body = parseBody(isochroneBody, req.body);
    const { graph, population } = await network();
    try {
      const result = isochrones(graph, population, { ...body, origins: body.origins as Array<[number, number]>, mode: body.mode as 'drive' | 'walk' });
      res.type('application/geo+json').json(result);
    } catch (err) {
      if (err instanceof IsochroneError) throw badRequest(err.parameter, err.message);
      throw err;
    }
  });

  /** The county's towns and grid; 400 when the store has no such county, 409 without roads. */
  async function county(code: string, needRoads: boolean) {
    const net = await network();
    const towns = net.towns.filter((t) => t.countyCode === code);
    if (towns.length === 0) {
      const known = [...new Set(net.towns.map((t) => t.countyCode))].join(', ');
      throw badRequest('county', `No towns of county "${code}" in the store. Known counties: ${known}.`);
    }
    if (needRoads && !net.graph) {
      throw new ApiError(409, 'no_road_network', `The store has no road network (layer "${ROAD_LAYER}"): import one before running this analysis.`);
    }
    return { graph: net.graph!, towns, grid: net.countyGrid(code) };
  }

  /** Point features of a layer in a county, as plain sites; the caller must be allowed to see the layer. */
  async function sites(req: Request, layer: string, code: string) {
    const def = visibleLayer(layer, req.role);
    const countyField = def.fields.find((f) => f.name === 'county_code')!;
    const page = await queryFeatures(db, { layer, filters: [{ field: countyField, values: [code] }], ...ALL });
    return page.features
      .filter((f): f is Feature<Point, Props> => f.geometry.type === 'Point')
      .map((f) => ({ id: String(f.id), lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1], p: f.properties }));
  }

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
      hazards.map((h) => ({ id: h.id, lon: h.lon, lat: h.lat, active: h.p.status === 'active' || h.p.status === undefined })),
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
    const names = new Map(shelters.map((s) => [s.id, String(s.p.name)]));
    res.json({ ...result, unsuitable: [...unsuitable].map(([id, u]) => ({ id, name: names.get(id), ...u })) });
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
    res.json(reliefReach(graph, grid, towns, sitesOf, body));
  });

  return r;
}
