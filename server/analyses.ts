/**
 * The server side of the analysis registry (core/analysis/registry.ts): for each route id, how to
 * answer a parsed request — read what the slice needs from the store (the road graph, the
 * county's towns and grid, the point layers it reads), call the slice, return its answer. The
 * rules live in the slices (core/analysis/<slice>/); what stays here is reading and caching.
 */
import type { Request } from 'express';
import { runFireCoverage, FIRE_COVERAGE_READS } from '../core/analysis/fire-coverage/index.js';
import { IsochroneError, isochrones } from '../core/analysis/isochrone/index.js';
import {
  candidateLayer,
  checkEvaluate,
  checkSolve,
  hazardZonesOf,
  runPlannerSiting,
  runWhatIf,
  SITING_HAZARD_POINTS,
  SITING_HAZARD_ZONES,
  TravelTimes,
  type Setting,
} from '../core/analysis/planner-siting/index.js';
import { findLayer } from '../core/catalogue/index.js';
import type { AnalysisRouteId, DefinitionOf } from '../core/analysis/registry.js';
import { RELIEF_REACH_READS, runReliefReach } from '../core/analysis/relief-reach/index.js';
import { runShelterCapacity, SHELTER_CAPACITY_READS } from '../core/analysis/shelter-capacity/index.js';
import type { CountyInput } from '../core/analysis/slice.js';
import type { Graph } from '../core/network/graph.js';
import type { PopulationGrid } from '../core/population/grid.js';
import { SITING_DEFAULTS } from '../core/standards.js';
import type { z } from 'zod';
import { badRequest } from './errors.js';
import type { AnalysisContext } from './services/analysis-context.js';

type Body<K extends AnalysisRouteId> = z.infer<DefinitionOf<K>['schema']>;

export interface Handler<K extends AnalysisRouteId> {
  (ctx: AnalysisContext, req: Request, body: Body<K>): Promise<unknown>;
}

/** The answer's media type, where it is not plain JSON. */
export const MEDIA_TYPE: Partial<Record<AnalysisRouteId, string>> = { isochrone: 'application/geo+json' };

/** A county analysis: the county's graph, towns and grid, and the point layers it reads (401 unless the caller may see them). */
function county<K extends 'fire' | 'shelter' | 'relief'>(
  reads: readonly string[],
  needsRoads: (body: Body<K>) => boolean,
  run: (input: CountyInput, body: Body<K>) => unknown,
): Handler<K> {
  return async (ctx, req, body) => {
    const { county: code } = body as { county: string };
    const sites: CountyInput['sites'] = {};
    for (const layer of reads) sites[layer] = await ctx.sites(req, layer, code);
    const { graph, towns, grid } = await ctx.county(code, needsRoads(body));
    return run({ graph, towns, grid, sites }, body);
  };
}

/** Travel times per county grid (rebuilt with the network) and mode, kept for what-ifs. */
const travelCache = new WeakMap<PopulationGrid, Map<string, TravelTimes>>();
function travelFor(graph: Graph | undefined, grid: PopulationGrid, s: Setting): TravelTimes {
  let byMode = travelCache.get(grid);
  if (!byMode) travelCache.set(grid, (byMode = new Map()));
  const key = `${s.mode}|${s.straightLineMode}`;
  let t = byMode.get(key);
  if (!t) byMode.set(key, (t = new TravelTimes(s.mode === 'straight-line' ? undefined : graph, grid, s.mode, s.straightLineMode, 32 * 2 ** 20)));
  return t;
}

export const HANDLERS: { [K in AnalysisRouteId]: Handler<K> } = {
  async isochrone(ctx, _req, body) {
    const { graph, population } = await ctx.network();
    try {
      return isochrones(graph, population, body);
    } catch (err) {
      if (err instanceof IsochroneError) throw badRequest(err.parameter, err.message);
      throw err;
    }
  },
  fire: county(FIRE_COVERAGE_READS, () => true, runFireCoverage),
  shelter: county(SHELTER_CAPACITY_READS, (b) => b.metric === 'network', runShelterCapacity),
  relief: county(RELIEF_REACH_READS, () => true, runReliefReach),

  async siting(ctx, req, b) {
    checkSolve(b);
    const sites: CountyInput['sites'] = { [b.facilityLayer]: await ctx.sites(req, b.facilityLayer, b.county) };
    const { graph, towns, grid } = await ctx.county(b.county, (b.mode ?? SITING_DEFAULTS[b.facilityLayer].mode) !== 'straight-line');
    const layer = candidateLayer(b);
    if (layer) sites[layer] = await ctx.sites(req, layer, b.county);
    // Candidates a hazard threatens are ruled out (core/analysis/planner-siting/hazards.ts).
    sites[SITING_HAZARD_POINTS] = await ctx.sites(req, SITING_HAZARD_POINTS, b.county);
    const zones = findLayer(SITING_HAZARD_ZONES) ? hazardZonesOf(await ctx.areas(req, SITING_HAZARD_ZONES, b.county)) : [];
    return runPlannerSiting({ graph, towns, grid, sites }, b, travelFor, zones);
  },

  async 'siting-evaluate'(ctx, req, b) {
    checkEvaluate(b);
    const sites: CountyInput['sites'] = { [b.facilityLayer]: await ctx.sites(req, b.facilityLayer, b.county) };
    const { graph, towns, grid } = await ctx.county(b.county, (b.mode ?? SITING_DEFAULTS[b.facilityLayer].mode) !== 'straight-line');
    sites[SITING_HAZARD_POINTS] = await ctx.sites(req, SITING_HAZARD_POINTS, b.county);
    const zones = findLayer(SITING_HAZARD_ZONES) ? hazardZonesOf(await ctx.areas(req, SITING_HAZARD_ZONES, b.county)) : [];
    return runWhatIf({ graph, towns, grid, sites }, b, travelFor, zones);
  },
};
