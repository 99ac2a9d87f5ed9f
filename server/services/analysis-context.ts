/**
 * What every county analysis reads from the store: the road graph and the population grids
 * (cached per database, rebuilt when a feature of the road-network or boundary layer changes,
 * server/store/layer-memo.ts), a county's towns, and a layer's point sites. Shared by the analysis routers so
 * that they build the graph once.
 *
 * The layers are the catalogue's by role (core/catalogue/roles.ts): the population grid is spread
 * from the town polygons of the boundary layer's population field, weighted by road density (demo).
 */
import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import type { AreaRecord } from '../../core/analysis/slice.js';
import { COUNTY_FIELD, layerWithRole, type Role } from '../../core/catalogue/index.js';
import { components, type Components } from '../../core/network/components.js';
import { buildGraph, DEFAULT_CONNECTIVITY, NetworkError, type Connectivity, type Graph } from '../../core/network/graph.js';
import { buildPopulationGrid, type PopulationGrid, type PopulationUnit } from '../../core/population/grid.js';
import { ROAD_DENSITY_WEIGHTING, roadDensityWeight } from '../../core/population/road-density.js';
import { ApiError, badRequest } from '../errors.js';
import { visibleLayer } from '../routes/layers.js';
import { ANY_COUNTY, memoOnLayers, queryFeatures, roadConnectivity, type Db, type Props } from '../store/index.js';

/** The store layer the road graph is read from. */
export const ROAD_LAYER = layerWithRole('network').id;

export interface Town extends PopulationUnit {
  name: string;
  countyCode: string;
}

export interface Network {
  graph?: Graph;
  /** The county code of each road feature (graph.linkFeature indexes it). */
  roadCounty: (string | undefined)[];
  /** The graph's pieces, ignoring direction (computed on first use). */
  components(): Components | undefined;
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
  /** Point features of a layer in a county, as plain sites; 401 unless the caller (a request) may see the layer. */
  sites(caller: { role: Role }, layer: string, code: string): Promise<Site[]>;
  /** Area features of a layer in a county (hazard zones); 401 unless the caller may see the layer. */
  areas(caller: { role: Role }, layer: string, code: string): Promise<AreaRecord[]>;
}

const contexts = new WeakMap<Db, AnalysisContext>();

export function analysisContext(db: Db): AnalysisContext {
  let ctx = contexts.get(db);
  if (ctx) return ctx;
  // A connectivity rule set moves the road layer's version too (server/store/network.ts).
  const network = memoOnLayers(db, [ROAD_LAYER, layerWithRole('boundary').id], () => load(db));
  const inCounty = async (caller: { role: Role }, layer: string, code: string) => {
    const def = visibleLayer(layer, caller.role);
    const countyField = def.fields.find((f) => f.name === COUNTY_FIELD)!;
    return (await queryFeatures(db, { layer, filters: [{ field: countyField, values: [code] }], ...ALL })).features;
  };
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
    async sites(caller, layer, code) {
      return (await inCounty(caller, layer, code))
        .filter((f): f is Feature<Point, Props> => f.geometry.type === 'Point')
        .map((f) => ({ id: String(f.id), lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1], p: f.properties }));
    },
    async areas(caller, layer, code) {
      return (await inCounty(caller, layer, code))
        .filter((f): f is Feature<Polygon | MultiPolygon, Props> => f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon')
        .map((f) => ({ id: String(f.id), geometry: f.geometry, p: f.properties }));
    },
  };
  contexts.set(db, ctx);
  return ctx;
}

const ALL = { offset: 0, limit: Number.MAX_SAFE_INTEGER };

async function load(db: Db): Promise<Network> {
  const roads = await queryFeatures(db, { layer: ROAD_LAYER, ...ALL });
  const roadCounty = roads.features.map((f) => (f.properties[COUNTY_FIELD] === undefined ? undefined : String(f.properties[COUNTY_FIELD])));
  const rules = await roadConnectivity(db);
  const fallback: Connectivity = rules[ANY_COUNTY] ?? DEFAULT_CONNECTIVITY;
  let graph: Graph | undefined;
  if (roads.features.length > 0) {
    try {
      graph = buildGraph(roads.features, { connectivity: (_f, i) => rules[roadCounty[i] ?? ANY_COUNTY] ?? fallback });
    } catch (err) {
      if (err instanceof NetworkError && err.feature !== undefined) {
        throw new ApiError(500, 'bad_road_data', `Road layer "${ROAD_LAYER}", feature ${roads.features[err.feature]?.id}: ${err.message}`);
      }
      throw err;
    }
  }
  const units = layerWithRole('boundary');
  const b = units.roles.boundary;
  const population = layerWithRole('population').roles.population.field;
  const level = units.fields.find((f) => f.name === b.level)!;
  const unitsOf = async (value: string): Promise<Town[]> =>
    (await queryFeatures(db, { layer: units.id, filters: [{ field: level, values: [value] }], ...ALL })).features
      .filter((f) => Number.isInteger(f.properties[population]) && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon'))
      .map((f) => ({
        code: String(f.properties[b.code]),
        name: String(f.properties[b.name]),
        countyCode: String(f.properties[b.countyCode]),
        population: f.properties[population] as number,
        geometry: f.geometry as Polygon | MultiPolygon,
      }));
  let towns = await unitsOf(b.town);
  if (towns.length === 0) towns = await unitsOf(b.county);
  const options = graph ? { weight: roadDensityWeight(graph), weighting: ROAD_DENSITY_WEIGHTING } : {};
  const grid = towns.length ? buildPopulationGrid(towns, options) : undefined;
  const grids = new Map<string, PopulationGrid>();
  let pieces: Components | undefined;
  return {
    graph,
    roadCounty,
    components: () => (graph ? (pieces ??= components(graph)) : undefined),
    population: grid,
    towns,
    countyGrid(code) {
      let grid = grids.get(code);
      if (!grid) grids.set(code, (grid = buildPopulationGrid(towns.filter((t) => t.countyCode === code), options)));
      return grid;
    },
  };
}
