/**
 * `POST /api/analysis/siting` {model, facilityLayer, county, p | coverageTarget, threshold, mode,
 * candidates, method, timeLimitSeconds, capacities, newSiteCapacity, siteClass, radii} → the new
 * sites ranked by the people each adds, coverage before and after (county and town by town), the
 * objective and whether it is proven optimal (core/analysis/planner-siting.ts).
 * `POST /api/analysis/siting/evaluate` {the same model parameters, sites} → the same answer for
 * exactly the given new sites (the planner's what-if), status 'evaluated'.
 * Both read internal layers, so they need a commander or admin token. Travel times are kept per
 * county grid and mode, so a what-if searches only from the sites that moved.
 */
import { booleanPointInPolygon } from '@turf/turf';
import { Router, type Request } from 'express';
import { findLayer, LAYERS as CATALOGUE } from '../../core/catalogue/index.js';
import { z } from 'zod';
import { evaluatePlan, gridCandidates, plannerSiting, TableTimeLimit, TravelTimes, type PlannerSite, type PlannerSitingResult } from '../../core/analysis/planner-siting.js';
import { SITING_MODELS, SitingError, type SitingModelName } from '../../core/analysis/siting/index.js';
import type { Graph, Mode } from '../../core/network/graph.js';
import type { PopulationGrid } from '../../core/population/grid.js';
import { SHELTER_CLASSES, shelterCapacity, shelterServiceMinutes, SITING_DEFAULTS, type ShelterClass } from '../../core/standards.js';
import { ApiError, badRequest } from '../errors.js';
import type { Db } from '../store/index.js';
import { analysisContext, type Site } from '../services/analysis-context.js';
import { countyCode, parseBody } from './body.js';

const LAYERS = ['fire_stations', 'shelters', 'depots'] as const;
type Layer = (typeof LAYERS)[number];
/** Point layers candidates may come from. */
const LAYERS_WITH_POINTS = CATALOGUE.filter((l) => l.geometry === 'Point').map((l) => l.id);
/** Drawn candidate sets larger than this are better served by the generated grid. */
const MAX_DRAWN = 2000;
/** A what-if is a handful of sites, not a candidate set. */
const MAX_EVALUATED = 200;
/** Models whose MILP takes capacities (core/analysis/siting: mclp, lscp, pmedian). */
const CAPACITATED: readonly SitingModelName[] = ['mclp', 'lscp', 'pmedian'];

const point = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]).optional(),
  properties: z.record(z.string(), z.unknown()).nullable().optional(),
  geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).rest(z.number()) }),
});
const lonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).rest(z.number());
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

const common = {
  model: z.enum(SITING_MODELS as [SitingModelName, ...SitingModelName[]]),
  facilityLayer: z.enum(LAYERS),
  county: countyCode,
  p: z.number().int().min(1).max(200).optional(),
  coverageTarget: z.number().gt(0).max(1).optional(),
  threshold: z.number().gt(0).max(240).optional(),
  mode: z.enum(['drive', 'walk', 'straight-line']).optional(),
  timeLimitSeconds: z.number().gt(0).max(30).default(20),
  capacities: z.union([z.literal('layer'), z.record(z.string(), persons)]).optional(),
  newSiteCapacity: persons.optional(),
  siteClass: shelterClass.optional(),
  radii: z.enum(['class', 'uniform']).optional(),
};

const solveBody = z
  .object({
    ...common,
    candidates: z
      .union([z.enum(['grid', 'planned']), z.object({ type: z.literal('FeatureCollection'), features: z.array(point).min(1).max(MAX_DRAWN) }), area, fromLayer])
      .default('grid'),
    candidateCellM: z.number().min(500).max(5000).optional(),
    method: z.enum(['auto', 'exact', 'heuristic']).default('auto'),
  })
  .strict();

const evaluateBody = z
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

type Common = z.infer<z.ZodObject<typeof common>>;

const HINT =
  'Send JSON like {"model": "mclp", "facilityLayer": "fire_stations", "county": "500117", "p": 3} or {"model": "lscp", "facilityLayer": "shelters", "county": "510802", "coverageTarget": 0.9}.';
const EVALUATE_HINT =
  'Send JSON like {"model": "mclp", "facilityLayer": "shelters", "county": "510802", "sites": [{"id": "s1", "lon": 105.84, "lat": 32.43}]}.';

/** Which facilities already serve: in service (open or full shelters); micro fire stations are not 消防站 (see fire-coverage.ts). */
function inService(layer: Layer, s: Site): boolean {
  if (layer === 'shelters') return s.p.status === 'open' || s.p.status === 'full';
  if (layer === 'fire_stations' && s.p.type === 'micro') return false;
  return s.p.status === 'in_service';
}

const isClass = (x: unknown): x is ShelterClass => typeof x === 'string' && (SHELTER_CLASSES as string[]).includes(x);

/**
 * Persons a facility can serve per the layer: a shelter's `capacity` (GB 51143-2015: effective
 * area ÷ per-person area, computed from `area_m2` and the class when missing), a depot's
 * `supply_persons`. Undefined when the record does not say.
 */
function layerCapacity(layer: Layer, s: Site): number | undefined {
  const v = layer === 'shelters' ? s.p.capacity : s.p.supply_persons;
  if (typeof v === 'number' && v >= 0) return v;
  if (layer === 'shelters' && typeof s.p.area_m2 === 'number' && isClass(s.p.class)) return shelterCapacity(s.p.class, s.p.area_m2);
  return undefined;
}

/** The model settings both endpoints share, checked, with the county's existing facilities. */
interface Setting {
  mode: 'drive' | 'walk' | 'straight-line';
  /** Minutes of new sites without their own class. */
  threshold: number;
  classRadii: boolean;
  capacitated: boolean;
  existing: PlannerSite[];
  layerSites: Site[];
  notes: string[];
  parameters: Record<string, unknown>;
}

function checkCommon(b: Common, hint: string, method?: string): void {
  if (b.model !== 'lscp' && b.coverageTarget !== undefined) throw badRequest('coverageTarget', `coverageTarget applies to model lscp only. ${hint}`);
  const capacitated = b.capacities !== undefined || b.newSiteCapacity !== undefined;
  if (capacitated) {
    const which = b.capacities !== undefined ? 'capacities' : 'newSiteCapacity';
    if (b.facilityLayer === 'fire_stations') {
      throw badRequest(which, 'Fire stations have no capacity in persons; capacities apply to shelters (persons they hold) and depots (persons they supply).');
    }
    if (!CAPACITATED.includes(b.model)) throw badRequest(which, `Model ${b.model} does not take capacities; models ${CAPACITATED.join(', ')} do.`);
    if (method === 'heuristic') throw badRequest(which, 'The heuristic does not handle capacities; use method "exact" or "auto".');
  }
  if (b.facilityLayer !== 'shelters') {
    if (b.siteClass !== undefined) throw badRequest('siteClass', `siteClass applies to shelters only, not ${b.facilityLayer}.`);
    if (b.radii !== undefined) throw badRequest('radii', `radii applies to shelters only, not ${b.facilityLayer}.`);
  }
}

async function setting(ctx: ReturnType<typeof analysisContext>, req: Request, b: Common): Promise<Setting> {
  const defaults = SITING_DEFAULTS[b.facilityLayer];
  const mode = b.mode ?? defaults.mode;
  // Class radii are walking distances (GB 21734-2008): they apply to shelters reached on foot.
  const classRadii = b.facilityLayer === 'shelters' && mode !== 'drive' && b.radii !== 'uniform';
  const siteClass = b.siteClass ?? 'fixed_short';
  const threshold = b.threshold ?? (classRadii ? shelterServiceMinutes(siteClass) : defaults.minutes);
  const capacitated = b.capacities !== undefined || b.newSiteCapacity !== undefined;
  const layerSites = await ctx.sites(req, b.facilityLayer, b.county);
  const notes: string[] = [];
  const given = typeof b.capacities === 'object' ? b.capacities : undefined;
  const inUse = layerSites.filter((s) => inService(b.facilityLayer, s));
  if (given) {
    const ids = new Set(inUse.map((s) => s.id));
    const unknown = Object.keys(given).filter((id) => !ids.has(id));
    if (unknown.length) {
      throw badRequest('capacities', `No ${b.facilityLayer} in service in county ${b.county} with id ${unknown.slice(0, 5).map((x) => `"${x}"`).join(', ')}; capacities are given by existing facility id (or send "layer").`);
    }
  }
  let missing = 0;
  const existing = inUse.map(({ id, lon, lat, p }): PlannerSite => {
    const site: PlannerSite = { id, lon, lat };
    if (classRadii) site.minutes = isClass(p.class) ? shelterServiceMinutes(p.class) : threshold;
    if (b.capacities === 'layer') {
      const c = layerCapacity(b.facilityLayer, { id, lon, lat, p });
      if (c === undefined) missing++;
      else site.capacity = c;
    } else if (given?.[id] !== undefined) site.capacity = given[id];
    return site;
  });
  if (missing) notes.push(`${missing} existing ${b.facilityLayer} record no capacity and are taken as unlimited`);
  if (capacitated && b.newSiteCapacity === undefined) notes.push('new sites have no capacity limit (send newSiteCapacity)');
  const radii = classRadii ? Object.fromEntries(SHELTER_CLASSES.map((c) => [c, shelterServiceMinutes(c)])) : null;
  const basis = classRadii
    ? `existing shelters: their class's service radius (GB 21734-2008: 紧急 500 m, 固定 2–2.5 km) walked at 5 km/h; new sites ${threshold} min${b.threshold === undefined ? ` (${siteClass})` : ' set by the request'}`
    : threshold === defaults.minutes
      ? defaults.basis
      : `threshold ${threshold} min set by the request (default ${defaults.minutes} min — ${defaults.basis})`;
  return {
    mode,
    threshold,
    classRadii,
    capacitated,
    existing,
    layerSites,
    notes,
    parameters: {
      model: b.model,
      facilityLayer: b.facilityLayer,
      county: b.county,
      p: b.p ?? null,
      coverageTarget: b.model === 'lscp' ? (b.coverageTarget ?? 1) : null,
      threshold,
      mode,
      timeLimitSeconds: b.timeLimitSeconds,
      capacities: b.capacities === 'layer' ? 'layer' : given ? 'given' : null,
      newSiteCapacity: b.newSiteCapacity ?? null,
      siteClass: b.facilityLayer === 'shelters' ? siteClass : null,
      radii,
      basis,
      ...(mode === 'straight-line' ? { speed: defaults.mode === 'walk' ? 'straight line at 5 km/h walking' : 'straight line at 30 km/h' } : {}),
    },
  };
}

/** Travel times per county grid (rebuilt with the network) and mode, kept for what-ifs. */
const travelCache = new WeakMap<PopulationGrid, Map<string, TravelTimes>>();
function travelFor(graph: Graph | undefined, grid: PopulationGrid, mode: Setting['mode'], straightLineMode: Mode): TravelTimes {
  let byMode = travelCache.get(grid);
  if (!byMode) travelCache.set(grid, (byMode = new Map()));
  const key = `${mode}|${straightLineMode}`;
  let t = byMode.get(key);
  if (!t) byMode.set(key, (t = new TravelTimes(mode === 'straight-line' ? undefined : graph, grid, mode, straightLineMode, 32 * 2 ** 20)));
  return t;
}

/** Runs an analysis, turning the core's complaints into answers that say what to change. */
async function answer(run: () => Promise<PlannerSitingResult>, b: Common, hint: string, capacitated: boolean): Promise<PlannerSitingResult> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof TableTimeLimit) {
      throw new ApiError(
        503,
        'time_limit',
        `Building the travel-time table did not finish within timeLimitSeconds = ${b.timeLimitSeconds}: ${err.message}. Raise timeLimitSeconds (up to 30), use a coarser candidateCellM, fewer candidates, or mode "straight-line".`,
        'timeLimitSeconds',
      );
    }
    if (err instanceof SitingError && capacitated && /nonzeros/.test(err.message)) {
      // The solver's advice (heuristic, nearest) does not apply with capacities.
      throw badRequest(
        'candidates',
        `${err.message.replace(/;.*/, '')}: with capacities only the exact model applies, so give fewer candidates (planned or drawn sites) or a coarser candidateCellM.`,
      );
    }
    if (err instanceof SitingError) throw badRequest(parameterOf(err.message), `${err.message}. ${hint}`);
    throw err;
  }
}

export function sitingRoutes(db: Db): Router {
  const r = Router();
  const ctx = analysisContext(db);
  const needToken = (req: Request): void => {
    if (req.role === 'public') {
      throw new ApiError(401, 'unauthorized', 'Siting reads internal layers: send "Authorization: Bearer <token>" with a commander or admin token.');
    }
  };

  r.post('/analysis/siting', async (req, res) => {
    needToken(req);
    const b = parseBody(solveBody, req.body, HINT);
    if (b.model !== 'lscp' && b.p === undefined) throw badRequest('p', `model ${b.model} needs p, the number of new sites to open. ${HINT}`);
    if (b.model === 'lscp' && b.p !== undefined) throw badRequest('p', `model lscp finds the number of sites itself; send coverageTarget (a share 0–1) instead of p. ${HINT}`);
    checkCommon(b, HINT, b.method);
    const s = await setting(ctx, req, b);
    const { graph, towns, grid } = await ctx.county(b.county, s.mode !== 'straight-line');
    let candidates: PlannerSite[];
    let candidateKind: string;
    if (b.candidates === 'grid') {
      candidates = gridCandidates(grid, s.mode === 'straight-line' ? undefined : graph, s.mode, b.candidateCellM);
      candidateKind = `grid: populated ${b.candidateCellM ?? 1500} m cells${s.mode === 'straight-line' ? '' : ', moved to the nearest road'}`;
    } else if (b.candidates === 'planned') {
      // A planned shelter keeps its own class's radius.
      candidates = s.layerSites
        .filter((x) => x.p.status === 'planned')
        .map(({ id, lon, lat, p }) => ({ id, lon, lat, ...(s.classRadii && isClass(p.class) ? { minutes: shelterServiceMinutes(p.class) } : {}) }));
      candidateKind = `planned ${b.facilityLayer}`;
      if (candidates.length === 0) throw badRequest('candidates', `County ${b.county} has no planned ${b.facilityLayer}; use "grid" or draw candidate points. ${HINT}`);
    } else if ('geometry' in b.candidates) {
      const inside = b.candidates;
      candidates = gridCandidates(grid, s.mode === 'straight-line' ? undefined : graph, s.mode, b.candidateCellM).filter((c) => booleanPointInPolygon([c.lon, c.lat], inside.geometry));
      candidateKind = `grid inside the drawn area: populated ${b.candidateCellM ?? 1500} m cells`;
      if (candidates.length === 0) throw badRequest('candidates', `The drawn area holds no populated grid cell of county ${b.county}: draw it over where people live, or use a finer candidateCellM. ${HINT}`);
    } else if ('layer' in b.candidates) {
      const { layer, where = {} } = b.candidates;
      const def = findLayer(layer);
      if (!def || def.geometry !== 'Point') throw badRequest('candidates', `candidates.layer "${layer}" is not a point layer; use one of ${LAYERS_WITH_POINTS.join(', ')}.`);
      for (const field of Object.keys(where)) {
        if (!def.fields.some((f) => f.name === field)) throw badRequest('candidates', `candidates.where: layer "${layer}" has no field "${field}".`);
      }
      const taken = new Set(s.existing.map((e) => e.id));
      const sites = await ctx.sites(req, layer, b.county);
      candidates = sites
        .filter((x) => !taken.has(x.id) && Object.entries(where).every(([f, values]) => values.includes(String(x.p[f]))))
        .map(({ id, lon, lat }) => ({ id, lon, lat }));
      candidateKind = `${layer}${Object.keys(where).length ? ` where ${Object.entries(where).map(([f, v]) => `${f} ∈ {${v.join(', ')}}`).join(' and ')}` : ''}`;
      if (candidates.length === 0) throw badRequest('candidates', `No ${candidateKind} in county ${b.county} (existing facilities excluded). ${HINT}`);
    } else {
      candidates = b.candidates.features.map((f, k) => ({
        id: String(f.id ?? f.properties?.id ?? `drawn-${k + 1}`),
        lon: f.geometry.coordinates[0],
        lat: f.geometry.coordinates[1],
      }));
      candidateKind = 'drawn';
      const ids = new Set(s.existing.map((e) => e.id));
      for (const c of candidates) {
        if (ids.has(c.id)) throw badRequest('candidates', `Candidate id "${c.id}" appears twice (or is an existing facility's id): give each point a distinct id.`);
        ids.add(c.id);
      }
    }
    if (b.p !== undefined && b.p > candidates.length) {
      throw badRequest('p', `p = ${b.p} but there are only ${candidates.length} candidate sites; lower p or give more candidates.`);
    }
    for (const c of candidates) {
      if (s.classRadii) c.minutes ??= s.threshold;
      if (b.newSiteCapacity !== undefined) c.capacity = b.newSiteCapacity;
    }
    const defaults = SITING_DEFAULTS[b.facilityLayer];
    const result = await answer(
      () =>
        plannerSiting(graph, grid, towns, s.existing, candidates, {
          model: b.model,
          p: b.p,
          coverageTarget: b.coverageTarget,
          thresholdMinutes: s.threshold,
          mode: s.mode,
          straightLineMode: defaults.mode,
          method: b.method,
          timeLimitSeconds: b.timeLimitSeconds,
          candidateCellM: b.candidateCellM,
          travel: travelFor(graph, grid, s.mode, defaults.mode),
        }),
      b,
      HINT,
      s.capacitated,
    );
    if (result.status === 'infeasible') {
      throw new ApiError(
        422,
        'infeasible',
        `No choice of sites meets the model: ${result.notes.join('; ')}.`,
        s.capacitated && b.model === 'pmedian' ? 'capacities' : b.model === 'lscp' ? 'coverageTarget' : 'p',
      );
    }
    res.json({
      ...result,
      notes: [...s.notes, ...result.notes],
      parameters: { ...s.parameters, candidates: candidateKind, method: b.method },
    });
  });

  r.post('/analysis/siting/evaluate', async (req, res) => {
    needToken(req);
    const b = parseBody(evaluateBody, req.body, EVALUATE_HINT);
    checkCommon(b, EVALUATE_HINT);
    if (b.facilityLayer !== 'shelters' && b.sites.some((x) => x.class !== undefined)) {
      throw badRequest('sites', `A site's class applies to shelters only, not ${b.facilityLayer}.`);
    }
    if (b.facilityLayer === 'fire_stations' && b.sites.some((x) => x.capacity !== undefined)) {
      throw badRequest('sites', 'Fire stations have no capacity in persons; leave out the sites\' capacity.');
    }
    if (!CAPACITATED.includes(b.model) && b.sites.some((x) => x.capacity !== undefined)) {
      throw badRequest('sites', `Model ${b.model} does not take capacities; models ${CAPACITATED.join(', ')} do.`);
    }
    const s = await setting(ctx, req, b);
    const { graph, towns, grid } = await ctx.county(b.county, s.mode !== 'straight-line');
    const ids = new Set(s.existing.map((e) => e.id));
    const sites = b.sites.map((x): PlannerSite => {
      if (ids.has(x.id)) throw badRequest('sites', `Site id "${x.id}" appears twice (or is an existing facility's id): give each new site a distinct id.`);
      ids.add(x.id);
      const site: PlannerSite = { id: x.id, lon: x.lon, lat: x.lat };
      if (s.classRadii) site.minutes = x.class ? shelterServiceMinutes(x.class) : s.threshold;
      const capacity = x.capacity ?? b.newSiteCapacity;
      if (capacity !== undefined) site.capacity = capacity;
      return site;
    });
    const defaults = SITING_DEFAULTS[b.facilityLayer];
    const result = await answer(
      () =>
        evaluatePlan(graph, grid, towns, s.existing, sites, {
          model: b.model,
          coverageTarget: b.coverageTarget,
          thresholdMinutes: s.threshold,
          mode: s.mode,
          straightLineMode: defaults.mode,
          timeLimitSeconds: b.timeLimitSeconds,
          travel: travelFor(graph, grid, s.mode, defaults.mode),
        }),
      b,
      EVALUATE_HINT,
      s.capacitated,
    );
    res.json({
      ...result,
      notes: [...s.notes, ...result.notes],
      parameters: { ...s.parameters, candidates: 'given sites', method: null },
    });
  });

  return r;
}

/** The request parameter a solver complaint is about. */
function parameterOf(message: string): string {
  if (/capacit/.test(message)) return 'capacities';
  if (/^p\b|\bp = /.test(message)) return 'p';
  if (/target/.test(message)) return 'coverageTarget';
  if (/threshold/.test(message)) return 'threshold';
  if (/time/.test(message)) return 'timeLimitSeconds';
  if (/method|heuristic/.test(message)) return 'method';
  return 'candidates';
}
