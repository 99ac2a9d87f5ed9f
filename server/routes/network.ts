/**
 * The road network as the analyses see it: `GET /api/network/components?county=` (its pieces; the
 * islands as line features, for a map layer), `GET /api/network/connectivity` and
 * `PUT /api/network/connectivity` (how lines join, per county — the setting a road import writes).
 */
import { Router, type Request, type Response } from 'express';
import { componentsOf, islandFeatures, summarize } from '../../core/network/components.js';
import { CONNECTIVITIES, type Connectivity } from '../../core/network/graph.js';
import { ApiError, badRequest } from '../errors.js';
import { analysisContext } from '../services/analysis-context.js';
import { ANY_COUNTY, countyExtents, roadConnectivity, setRoadConnectivity, type Db } from '../store/index.js';

/** At most this many islands are drawn; the summary counts all. */
const ISLAND_LIMIT = 2000;

export function networkRoutes(db: Db): Router {
  const r = Router();
  const ctx = analysisContext(db);

  r.get('/network/components', async (req: Request, res: Response) => {
    const county = req.query.county;
    if (county !== undefined && typeof county !== 'string') throw badRequest('county', '"county" must be given once.');
    if (county !== undefined && !(await countyExtents(db))[county]) throw badRequest('county', `No county "${county}" in the store.`);
    const net = await ctx.network();
    const g = net.graph;
    if (!g) throw new ApiError(409, 'no_road_network', 'The store has no road network: import one first.');
    const pieces = county === undefined ? net.components()! : componentsOf(g, (l) => net.roadCounty[g.linkFeature[l]] === county);
    res.json({ type: 'FeatureCollection', summary: summarize(pieces), features: islandFeatures(g, pieces, ISLAND_LIMIT) });
  });

  r.get('/network/connectivity', async (_req: Request, res: Response) => {
    res.json({ rules: await roadConnectivity(db), choices: CONNECTIVITIES });
  });

  r.put('/network/connectivity', async (req: Request, res: Response) => {
    if (req.role !== 'admin') throw new ApiError(401, 'unauthorized', 'Changing the road connectivity needs an admin token: send "Authorization: Bearer <token>".');
    const body = (req.body ?? {}) as { county?: unknown; connectivity?: unknown };
    if (!CONNECTIVITIES.includes(body.connectivity as Connectivity)) {
      throw badRequest('connectivity', `"connectivity" must be one of ${CONNECTIVITIES.join(', ')}.`);
    }
    const county = body.county ?? ANY_COUNTY;
    if (typeof county !== 'string' || (county !== ANY_COUNTY && !(await countyExtents(db))[county])) {
      throw badRequest('county', `"county" must be a county code of the store, or "${ANY_COUNTY}" for roads without one.`);
    }
    await setRoadConnectivity(db, [county], body.connectivity as Connectivity);
    res.json({ rules: await roadConnectivity(db) });
  });
  return r;
}
