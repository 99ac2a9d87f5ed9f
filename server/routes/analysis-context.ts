/**
 * What every county analysis reads from the store: the road graph and the population grids
 * (cached per database, rebuilt when the `roads` or `admin_units` layer changes: row count or
 * latest update), a county's towns, and a layer's point sites. Shared by the analysis routers so
 * that they build the graph once.
 *
 * The population grid is spread from the town polygons of `admin_units`, weighted by road
 * density (demo).
 */
import type { Request } from 'express';
import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import { z } from 'zod';
import { findLayer } from '../../core/catalogue/index.js';
import { buildGraph, NetworkError, type Graph } from '../../core/network/graph.js';
import { buildPopulationGrid, type PopulationGrid, type PopulationUnit } from '../../core/population/grid.js';
import { ROAD_DENSITY_WEIGHTING, roadDensityWeight } from '../../core/population/road-density.js';
import { ApiError, badRequest } from '../errors.js';
import { memoOnLayers, queryFeatures, type Db, type Props } from '../store/index.js';
import { visibleLayer } from './layers.js';

/** The store layer the road graph is read from. */
export const ROAD_LAYER = 'roads';

export const countyCode = z.string().regex(/^\d{6}$/, 'a 6-digit county code such as "500105"');

/** Validates a JSON body; the first problem becomes a 400 naming the parameter, with `hint`. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, hint: string): T {
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

export interface Town extends PopulationUnit {
  name: string;
  countyCode: string;
}

export interface Network {
  graph?: Graph;
  /** One grid over every town, for isochrones anywhere. */
  population?: PopulationGrid;
  towns: Town[];
  /** A grid per county, projected about the county's own centre (see core/population/grid.ts). */
  countyGrid(code: string): PopulationGrid;
}

export interface Site {
  id: string;
  lon: number;
  lat: number;
  p: Props;
}

export interface AnalysisContext {
  network(): Promise<Network>;
  /** The county's towns and grid; 400 when the store has no such county, 409 without roads. */
  county(code: string, needRoads: boolean): Promise<{ graph: Graph; towns: Town[]; grid: PopulationGrid }>;
  /** Point features of a layer in a county, as plain sites; 401 unless the caller may see the layer. */
  sites(req: Request, layer: string, code: string): Promise<Site[]>;
}

const contexts = new WeakMap<Db, AnalysisContext>();

export function analysisContext(db: Db): AnalysisContext {
  let ctx = contexts.get(db);
  if (ctx) return ctx;
  const network = memoOnLayers(db, [ROAD_LAYER, 'admin_units'], () => load(db));
  ctx = {
    network,
    async county(code, needRoads) {
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
    },
    async sites(req, layer, code) {
      const def = visibleLayer(layer, req.role);
      const countyField = def.fields.find((f) => f.name === 'county_code')!;
      const page = await queryFeatures(db, { layer, filters: [{ field: countyField, values: [code] }], ...ALL });
      return page.features
        .filter((f): f is Feature<Point, Props> => f.geometry.type === 'Point')
        .map((f) => ({ id: String(f.id), lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1], p: f.properties }));
    },
  };
  contexts.set(db, ctx);
  return ctx;
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
