/**
 * `POST /api/analysis/siting` {model, facilityLayer, county, p | coverageTarget, threshold, mode,
 * candidates, method, timeLimitSeconds} → the new sites ranked by the people each adds, coverage
 * before and after (county and town by town), the objective and whether it is proven optimal
 * (core/analysis/planner-siting.ts). Reads internal layers, so it needs a commander or admin token.
 */
import { Router } from 'express';
import { z } from 'zod';
import { gridCandidates, plannerSiting, type PlannerSite } from '../../core/analysis/planner-siting.js';
import { SITING_MODELS, SitingError, type SitingModelName } from '../../core/analysis/siting/index.js';
import { SITING_DEFAULTS } from '../../core/standards.js';
import { ApiError, badRequest } from '../errors.js';
import type { Db } from '../store/index.js';
import { analysisContext, countyCode, parseBody, type Site } from './analysis-context.js';

const LAYERS = ['fire_stations', 'shelters', 'depots'] as const;
type Layer = (typeof LAYERS)[number];
/** Drawn candidate sets larger than this are better served by the generated grid. */
const MAX_DRAWN = 2000;

const point = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]).optional(),
  properties: z.record(z.string(), z.unknown()).nullable().optional(),
  geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]).rest(z.number()) }),
});

const body = z
  .object({
    model: z.enum(SITING_MODELS as [SitingModelName, ...SitingModelName[]]),
    facilityLayer: z.enum(LAYERS),
    county: countyCode,
    p: z.number().int().min(1).max(200).optional(),
    coverageTarget: z.number().gt(0).max(1).optional(),
    threshold: z.number().gt(0).max(240).optional(),
    mode: z.enum(['drive', 'walk', 'straight-line']).optional(),
    candidates: z
      .union([z.enum(['grid', 'planned']), z.object({ type: z.literal('FeatureCollection'), features: z.array(point).min(1).max(MAX_DRAWN) })])
      .default('grid'),
    candidateCellM: z.number().min(500).max(5000).optional(),
    method: z.enum(['auto', 'exact', 'heuristic']).default('auto'),
    timeLimitSeconds: z.number().gt(0).max(30).default(20),
  })
  .strict();
const HINT =
  'Send JSON like {"model": "mclp", "facilityLayer": "fire_stations", "county": "500117", "p": 3} or {"model": "lscp", "facilityLayer": "shelters", "county": "510802", "coverageTarget": 0.9}.';

/** Which facilities already serve: in service (open or full shelters); micro fire stations are not 消防站 (see fire-coverage.ts). */
function inService(layer: Layer, s: Site): boolean {
  if (layer === 'shelters') return s.p.status === 'open' || s.p.status === 'full';
  if (layer === 'fire_stations' && s.p.type === 'micro') return false;
  return s.p.status === 'in_service';
}

export function sitingRoutes(db: Db): Router {
  const r = Router();
  const { county, sites } = analysisContext(db);

  r.post('/analysis/siting', async (req, res) => {
    if (req.role === 'public') {
      throw new ApiError(401, 'unauthorized', 'Siting reads internal layers: send "Authorization: Bearer <token>" with a commander or admin token.');
    }
    const b = parseBody(body, req.body, HINT);
    if (b.model !== 'lscp' && b.p === undefined) throw badRequest('p', `model ${b.model} needs p, the number of new sites to open. ${HINT}`);
    if (b.model === 'lscp' && b.p !== undefined) throw badRequest('p', `model lscp finds the number of sites itself; send coverageTarget (a share 0–1) instead of p. ${HINT}`);
    if (b.model !== 'lscp' && b.coverageTarget !== undefined) throw badRequest('coverageTarget', `coverageTarget applies to model lscp only. ${HINT}`);
    const defaults = SITING_DEFAULTS[b.facilityLayer];
    const mode = b.mode ?? defaults.mode;
    const threshold = b.threshold ?? defaults.minutes;

    const layerSites = await sites(req, b.facilityLayer, b.county);
    const { graph, towns, grid } = await county(b.county, mode !== 'straight-line');
    const existing: PlannerSite[] = layerSites.filter((s) => inService(b.facilityLayer, s)).map(({ id, lon, lat }) => ({ id, lon, lat }));
    let candidates: PlannerSite[];
    let candidateKind: string;
    if (b.candidates === 'grid') {
      candidates = gridCandidates(grid, mode === 'straight-line' ? undefined : graph, mode, b.candidateCellM);
      candidateKind = `grid: populated ${b.candidateCellM ?? 1500} m cells${mode === 'straight-line' ? '' : ', moved to the nearest road'}`;
    } else if (b.candidates === 'planned') {
      candidates = layerSites.filter((s) => s.p.status === 'planned').map(({ id, lon, lat }) => ({ id, lon, lat }));
      candidateKind = `planned ${b.facilityLayer}`;
      if (candidates.length === 0) throw badRequest('candidates', `County ${b.county} has no planned ${b.facilityLayer}; use "grid" or draw candidate points. ${HINT}`);
    } else {
      candidates = b.candidates.features.map((f, k) => ({
        id: String(f.id ?? f.properties?.id ?? `drawn-${k + 1}`),
        lon: f.geometry.coordinates[0],
        lat: f.geometry.coordinates[1],
      }));
      candidateKind = 'drawn';
      const ids = new Set(existing.map((e) => e.id));
      for (const c of candidates) {
        if (ids.has(c.id)) throw badRequest('candidates', `Candidate id "${c.id}" appears twice (or is an existing facility's id): give each point a distinct id.`);
        ids.add(c.id);
      }
    }
    if (b.p !== undefined && b.p > candidates.length) {
      throw badRequest('p', `p = ${b.p} but there are only ${candidates.length} candidate sites; lower p or give more candidates.`);
    }
    try {
      const result = await plannerSiting(graph, grid, towns, existing, candidates, {
        model: b.model,
        p: b.p,
        coverageTarget: b.coverageTarget,
        thresholdMinutes: threshold,
        mode,
        straightLineMode: defaults.mode,
        method: b.method,
        timeLimitSeconds: b.timeLimitSeconds,
        candidateCellM: b.candidateCellM,
      });
      if (result.status === 'infeasible') {
        throw new ApiError(
          422,
          'infeasible',
          `No choice of sites meets the model: ${result.notes.join('; ')}.`,
          b.model === 'lscp' ? 'coverageTarget' : 'p',
        );
      }
      res.json({
        ...result,
        parameters: {
          model: b.model,
          facilityLayer: b.facilityLayer,
          county: b.county,
          p: b.p ?? null,
          coverageTarget: b.model === 'lscp' ? (b.coverageTarget ?? 1) : null,
          threshold,
          mode,
          candidates: candidateKind,
          method: b.method,
          timeLimitSeconds: b.timeLimitSeconds,
          basis:
            threshold === defaults.minutes
              ? defaults.basis
              : `threshold ${threshold} min set by the request (default ${defaults.minutes} min — ${defaults.basis})`,
          ...(mode === 'straight-line' ? { speed: defaults.mode === 'walk' ? 'straight line at 5 km/h walking' : 'straight line at 30 km/h' } : {}),
        },
      });
    } catch (err) {
      if (err instanceof SitingError) throw badRequest(parameterOf(err.message), `${err.message}. ${HINT}`);
      throw err;
    }
  });

  return r;
}

/** The request parameter a solver complaint is about. */
function parameterOf(message: string): string {
  if (/^p\b|\bp = /.test(message)) return 'p';
  if (/target/.test(message)) return 'coverageTarget';
  if (/threshold/.test(message)) return 'threshold';
  if (/time/.test(message)) return 'timeLimitSeconds';
  if (/method|heuristic/.test(message)) return 'method';
  return 'candidates';
}
