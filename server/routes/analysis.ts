/**
 * `POST /api/analysis/<route>` for every analysis of the registry (core/analysis/registry.ts):
 * parse the body by the slice's schema (400 naming the parameter), call its handler
 * (server/analyses.ts), send the answer. Analyses with access "token" read internal layers, so
 * they need a commander or admin token (401 first, before the body is read).
 *
 * The road graph and the population grids come from analysis-context.ts. Answers of the analyses
 * in NETWORK_ANSWERS (the isochrone) are kept by ResponseCache under the network they read and the
 * parsed request, bounded by ANALYSIS_CACHE_MB: the same request again — or many at once, which
 * share one run — is sent from memory, compressed once, until the roads or the towns change.
 */
import { Router } from 'express';
import type { z } from 'zod';
import { ANALYSIS_ROUTES, type AnalysisRouteId } from '../../core/analysis/registry.js';
import { parseRequest } from '../../core/analysis/slice.js';
import { HANDLERS, MEDIA_TYPE, NETWORK_ANSWERS, type Handler } from '../analyses.js';
import { ApiError } from '../errors.js';
import { contentCoding, etagOf, ResponseCache, sendCached } from '../response-cache.js';
import type { Db } from '../store/index.js';
import { analysisContext } from '../services/analysis-context.js';

export { ROAD_LAYER } from '../services/analysis-context.js';

export function analysisRoutes(db: Db, cacheMb: number): Router {
  const r = Router();
  const ctx = analysisContext(db);
  const answers = new ResponseCache(cacheMb * 1024 * 1024);
  for (const def of ANALYSIS_ROUTES) {
    const handler = HANDLERS[def.id] as Handler<AnalysisRouteId>;
    r.post(`/analysis/${def.route}`, async (req, res) => {
      if (def.access === 'token' && req.role === 'public') {
        throw new ApiError(401, 'unauthorized', `This analysis reads internal layers: send "Authorization: Bearer <token>" with a commander or admin token.`);
      }
      const body = parseRequest<z.ZodType>(def, req.body) as never;
      const networkKey = NETWORK_ANSWERS[def.id];
      if (networkKey) {
        const key = JSON.stringify([def.id, await networkKey(ctx), body]);
        const answer = await answers.get(key, async () => Buffer.from(JSON.stringify(await handler(ctx, req, body))), contentCoding(req.get('accept-encoding')));
        sendCached(res, etagOf(key), answer, `${MEDIA_TYPE[def.id] ?? 'application/json'}; charset=utf-8`, 'X-Analysis-Cache');
        return;
      }
      const answer = await handler(ctx, req, body);
      if (MEDIA_TYPE[def.id]) res.type(MEDIA_TYPE[def.id]!);
      res.json(answer);
    });
  }
  return r;
}
