/**
 * The server side of the analysis registry (core/analysis/registry.ts): for each route id, how to
 * answer a parsed request — read what the slice needs from the store (the road graph, the
 * county's towns and grid, the point layers it reads), call the slice, return its answer. The
 * rules live in the slices (core/analysis/<slice>/); what stays here is reading and caching.
 */
import type { Request } from 'express';
import { FIRE_COVERAGE_READS } from '../core/analysis/fire-coverage/index.js';
import { candidateLayer, checkEvaluate, checkSolve, SITING_HAZARD_POINTS, SITING_HAZARD_ZONES } from '../core/analysis/planner-siting/index.js';
import type { AnalysisRouteId, DefinitionOf } from '../core/analysis/registry.js';
import { RELIEF_REACH_READS } from '../core/analysis/relief-reach/index.js';
import { hazardZonesOf, SHELTER_CAPACITY_READS } from '../core/analysis/shelter-capacity/index.js';
import type { CountyInput } from '../core/analysis/slice.js';
import { islandNotes, placesOnNetwork } from '../core/network/components.js';
import type { Note } from '../core/note.js';
import { findLayer } from '../core/catalogue/index.js';
import type { PopulationGrid } from '../core/population/grid.js';
import { SITING_DEFAULTS } from '../core/standards.js';
import type { z } from 'zod';
import { badRequest } from './errors.js';
import type { AnalysisContext, Network } from './services/analysis-context.js';
import type { CountyAnalysis, CountyTask } from './workers/county-worker.js';
import type { IsochroneOutcome, IsochroneTask } from './workers/isochrone-worker.js';
import { answerOf, type Outcome } from './workers/outcome.js';
import { inWorker, workerModule } from './workers/pool.js';
import { handOver } from './workers/shared.js';
import type { SitingTask } from './workers/siting-worker.js';

type Body<K extends AnalysisRouteId> = z.infer<DefinitionOf<K>['schema']>;

export interface Handler<K extends AnalysisRouteId> {
  (ctx: AnalysisContext, req: Request, body: Body<K>): Promise<unknown>;
}

/**
 * The answer with `networkNotes` added when an origin or a facility reaches the roads on a small
 * island (core/network/components.ts): its reach ends at the island's edge, which must be said.
 */
function withIslandNotes(answer: unknown, notes: Note[]): unknown {
  if (notes.length === 0 || answer === null || typeof answer !== 'object' || Array.isArray(answer)) return answer;
  return { ...answer, networkNotes: notes };
}

/** Notes for the sites of a county input that sit on islands of the graph, each named as the reader knows it. */
async function siteIslandNotes(ctx: AnalysisContext, sites: CountyInput['sites']): Promise<Note[]> {
  const net = await ctx.network();
  const pieces = net.components();
  if (!net.graph || !pieces) return [];
  const places = Object.values(sites).flatMap((list) => list.map((s) => ({ ref: typeof s.p.name === 'string' && s.p.name ? s.p.name : s.id, kind: 'facility' as const, lon: s.lon, lat: s.lat })));
  return islandNotes(pieces, placesOnNetwork(net.graph, places, 'drive'));
}

/** The answer's media type, where it is not plain JSON. */
export const MEDIA_TYPE: Partial<Record<AnalysisRouteId, string>> = { isochrone: 'application/geo+json' };

const COUNTY_WORKER = workerModule('county-worker');
/** A county analysis reads a few thousand sites and one county's grid; past this its worker is stopped. */
export const COUNTY_LIMIT_MS = 60_000;

/**
 * A county analysis: the county's graph, towns and grid, and the point and area layers it reads
 * (401 unless the caller may see them), run in the worker pool (server/workers/county-worker.ts).
 */
function county<K extends CountyAnalysis>(analysis: K, reads: readonly string[], needsRoads: (body: Body<K>) => boolean): Handler<K> {
  return async (ctx, req, body) => {
    const { county: code } = body as { county: string };
    const sites: CountyInput['sites'] = {};
    const areas: NonNullable<CountyInput['areas']> = {};
    for (const layer of reads) {
      if (findLayer(layer)?.geometry === 'Polygon') areas[layer] = await ctx.areas(req, layer, code);
      else sites[layer] = await ctx.sites(req, layer, code);
    }
    const { graph, towns, grid } = await ctx.county(code, needsRoads(body));
    const task: CountyTask = { analysis, input: { towns, sites, areas }, graph: handOver(graph), grid: handOver(grid)!, body };
    const answer = answerOf(await inWorker<Outcome>(COUNTY_WORKER, task, COUNTY_LIMIT_MS));
    return withIslandNotes(answer, await siteIslandNotes(ctx, sites));
  };
}

const SITING_WORKER = workerModule('siting-worker');

/** A key per object, for as long as it lives: a rebuilt network or grid is a new object, so a new key. */
function keyPerObject<T extends object>(prefix: string): (o: T) => string {
  const keys = new WeakMap<T, string>();
  let next = 0;
  return (o) => {
    let k = keys.get(o);
    if (!k) keys.set(o, (k = `${prefix}-${++next}`));
    return k;
  };
}

/** A county grid's key: it changes when the network or the population is rebuilt, so the worker's travel tables do too. */
const gridKey = keyPerObject<PopulationGrid>('grid');
const networkKey = keyPerObject<Network>('network');

/**
 * Analyses whose answer follows from the request and the road network with its population alone —
 * no layer a role hides, no clock — with the key of the network they would read: the route keeps
 * their answers (server/routes/analysis.ts), so a crowd asking the same isochrone costs one run.
 */
export const NETWORK_ANSWERS: Partial<Record<AnalysisRouteId, (ctx: AnalysisContext) => Promise<string>>> = {
  isochrone: async (ctx) => networkKey(await ctx.network()),
};

/**
 * A siting run in the worker pool. Its limit: the solver's own timeLimitSeconds (default 20, at
 * most 30) plus 30 s for the travel-time table, after which the worker is stopped.
 */
async function siteInWorker(kind: SitingTask['kind'], input: CountyInput, body: { timeLimitSeconds?: number }, zones: SitingTask['zones']): Promise<unknown> {
  const limitMs = ((body.timeLimitSeconds ?? 20) + 30) * 1000;
  return answerOf(await inWorker<Outcome>(SITING_WORKER, { kind, input, body, zones, gridKey: gridKey(input.grid) } satisfies SitingTask, limitMs));
}

/** A siting run on the road network (not straight lines). */
const onRoads = (b: { mode?: string; facilityLayer: keyof typeof SITING_DEFAULTS }): boolean => (b.mode ?? SITING_DEFAULTS[b.facilityLayer].mode) !== 'straight-line';
const ISOCHRONE_WORKER = workerModule('isochrone-worker');
/** An isochrone request is bounded (LIMITS in core/analysis/isochrone/request.ts); past this its worker is stopped. */
export const ISOCHRONE_LIMIT_MS = 60_000;

export const HANDLERS: { [K in AnalysisRouteId]: Handler<K> } = {
  async isochrone(ctx, _req, body) {
    const net = await ctx.network();
    const { graph, population } = net;
    const pieces = net.components();
    const notes =
      graph && pieces
        ? islandNotes(pieces, placesOnNetwork(graph, body.origins.map(([lon, lat], i) => ({ ref: i, kind: 'origin' as const, lon, lat })), body.mode))
        : [];
    const task: IsochroneTask = { graph: handOver(graph), population: handOver(population), body };
    const outcome = await inWorker<IsochroneOutcome>(ISOCHRONE_WORKER, task, ISOCHRONE_LIMIT_MS, 'isochrone');
    if ('error' in outcome) throw badRequest(outcome.error.parameter, outcome.error.message);
    return withIslandNotes(outcome.answer, notes);
  },
  fire: county('fire', FIRE_COVERAGE_READS, () => true),
  shelter: county('shelter', SHELTER_CAPACITY_READS, (b) => b.metric === 'network'),
  relief: county('relief', RELIEF_REACH_READS, () => true),

  async siting(ctx, req, b) {
    checkSolve(b);
    const sites: CountyInput['sites'] = { [b.facilityLayer]: await ctx.sites(req, b.facilityLayer, b.county) };
    const { graph, towns, grid } = await ctx.county(b.county, onRoads(b));
    const layer = candidateLayer(b);
    if (layer) sites[layer] = await ctx.sites(req, layer, b.county);
    // Candidates a hazard threatens are ruled out (core/analysis/planner-siting/hazards.ts).
    sites[SITING_HAZARD_POINTS] = await ctx.sites(req, SITING_HAZARD_POINTS, b.county);
    const zones = hazardZonesOf(await ctx.areas(req, SITING_HAZARD_ZONES, b.county));
    const notes = onRoads(b) ? await siteIslandNotes(ctx, { [b.facilityLayer]: sites[b.facilityLayer] }) : [];
    return withIslandNotes(await siteInWorker('siting', { graph, towns, grid, sites }, b, zones), notes);
  },

  async 'siting-evaluate'(ctx, req, b) {
    checkEvaluate(b);
    const sites: CountyInput['sites'] = { [b.facilityLayer]: await ctx.sites(req, b.facilityLayer, b.county) };
    const { graph, towns, grid } = await ctx.county(b.county, onRoads(b));
    sites[SITING_HAZARD_POINTS] = await ctx.sites(req, SITING_HAZARD_POINTS, b.county);
    const zones = hazardZonesOf(await ctx.areas(req, SITING_HAZARD_ZONES, b.county));
    const notes = onRoads(b) ? await siteIslandNotes(ctx, { [b.facilityLayer]: sites[b.facilityLayer] }) : [];
    return withIslandNotes(await siteInWorker('siting-evaluate', { graph, towns, grid, sites }, b, zones), notes);
  },
};
