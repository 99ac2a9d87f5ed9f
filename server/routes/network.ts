/**
 * The road network as the analyses see it: `GET /api/network/components?county=` (its pieces per
 * county; every piece but each county's largest as a line feature, the islands map layer),
 * `GET /api/network/connectivity` and `PUT /api/network/connectivity` (how lines join, per county —
 * the setting a road import writes). The pieces are internal (commanders and admins): they show
 * where the road data is broken, which is the bureau's business, not the public's.
 */
import { Router, type Request, type Response } from 'express';
import type { Feature, MultiLineString } from 'geojson';
import { componentsOf, islandFeatures, summarize, type ComponentSummary } from '../../core/network/components.js';
import type { IslandProps, NetworkPieces } from '../../core/network/islands.js';
import { CONNECTIVITIES, DEFAULT_CONNECTIVITY, type Connectivity } from '../../core/network/graph.js';
import { ApiError, badRequest } from '../errors.js';
import { analysisContext, type Network } from '../services/analysis-context.js';
import { ANY_COUNTY, countyExtents, roadConnectivity, setRoadConnectivity, type Db } from '../store/index.js';

/** At most this many islands of a county are drawn; the summary counts all. */
const ISLAND_LIMIT = 2000;

const countyOfLink = (net: Network, link: number): string => net.roadCounty[net.graph!.linkFeature[link]] ?? ANY_COUNTY;

/** A county's pieces: its summary and every piece but the largest as a feature. */
function countyPieces(net: Network, county: string): { summary: ComponentSummary; features: Feature<MultiLineString, IslandProps>[] } {
  const g = net.graph!;
  const pieces = componentsOf(g, (l) => countyOfLink(net, l) === county);
  const features = islandFeatures(g, pieces, ISLAND_LIMIT).map((f) => ({
    ...f,
    properties: { county, component: f.properties.component, nodes: f.properties.nodes, links: f.geometry.coordinates.length, share: f.properties.share },
  }));
  return { summary: summarize(pieces), features };
}

export function networkRoutes(db: Db): Router {
  const r = Router();
  const ctx = analysisContext(db);

  r.get('/network/components', async (req: Request, res: Response) => {
    if (req.role === 'public') {
      throw new ApiError(401, 'unauthorized', 'The road network\'s pieces are internal: send "Authorization: Bearer <token>" with a commander or admin token.');
    }
    const county = req.query.county;
    if (county !== undefined && typeof county !== 'string') throw badRequest('county', '"county" must be given once.');
    if (county !== undefined && county !== ANY_COUNTY && !(await countyExtents(db))[county]) {
      throw badRequest('county', `No county "${county}" in the store.`);
    }
    const net = await ctx.network();
    if (!net.graph) throw new ApiError(409, 'no_road_network', 'The store has no road network: import one first.');
    const counties = county !== undefined ? [county] : [...new Set(net.roadCounty.map((c) => c ?? ANY_COUNTY))].sort();
    const byCounty: Record<string, ComponentSummary> = {};
    const features: Feature<MultiLineString, IslandProps>[] = [];
    for (const c of counties) {
      const p = countyPieces(net, c);
      byCounty[c] = p.summary;
      features.push(...p.features);
    }
    // Without a county the summary is the whole graph's (every county's network in one).
    const summary = county !== undefined ? byCounty[county] : summarize(net.components()!);
    const answer: NetworkPieces = { type: 'FeatureCollection', summary, counties: byCounty, features };
    res.json(answer);
  });

  r.get('/network/connectivity', async (_req: Request, res: Response) => {
    const rules = await roadConnectivity(db);
    // What a county without a rule of its own is built with (analysis-context.ts).
    res.json({ rules, fallback: rules[ANY_COUNTY] ?? DEFAULT_CONNECTIVITY, choices: CONNECTIVITIES });
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
    // The graph is rebuilt now (its cache key holds the rules), and the county's pieces under the new rule answered.
    const net = await ctx.network();
    const network = net.graph && net.roadCounty.some((c) => (c ?? ANY_COUNTY) === county) ? countyPieces(net, county).summary : null;
    res.json({ rules: await roadConnectivity(db), county, connectivity: body.connectivity, network });
  });
  return r;
}
