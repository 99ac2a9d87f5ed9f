/**
 * `POST /api/analysis/<route>` for every analysis of the registry (core/analysis/registry.ts):
 * parse the body by the slice's schema (400 naming the parameter), call its handler
 * (server/analyses.ts), send the answer. Analyses with access "token" read internal layers, so
 * they need a commander or admin token (401 first, before the body is read).
 *
 * The road graph and the population grids come from analysis-context.ts.
 */
import { Router } from 'express';
import type { z } from 'zod';
import { ANALYSIS_ROUTES, type AnalysisRouteId } from '../../core/analysis/registry.js';
import { parseRequest } from '../../core/analysis/slice.js';
import { HANDLERS, MEDIA_TYPE, type Handler } from '../analyses.js';
import { ApiError } from '../errors.js';
import type { Db } from '../store/index.js';
import { analysisContext } from '../services/analysis-context.js';

export { ROAD_LAYER } from '../services/analysis-context.js';

export function analysisRoutes(db: Db): Router {
  const r = Router();
  const ctx = analysisContext(db);
  for (const def of ANALYSIS_ROUTES) {
    const handler = HANDLERS[def.id] as Handler<AnalysisRouteId>;
    r.post(`/analysis/${def.route}`, async (req, res) => {
      if (def.access === 'token' && req.role === 'public') {
        throw new ApiError(401, 'unauthorized', `This analysis reads internal layers: send "Authorization: Bearer <token>" with a commander or admin token.`);
      }
      const answer = await handler(ctx, req, parseRequest<z.ZodType>(def, req.body) as never);
      if (MEDIA_TYPE[def.id]) res.type(MEDIA_TYPE[def.id]!);
      res.json(answer);
    });
  }
  return r;
}
