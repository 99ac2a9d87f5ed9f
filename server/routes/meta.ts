/** Areas, client configuration, and who is signed in. */
import { Router } from 'express';
import { AREAS } from '../../core/areas.js';
import type { Config } from '../config.js';
import { countyExtents, hasDemoData, type Db } from '../store/index.js';

export function metaRoutes(db: Db, config: Config): Router {
  const r = Router();

  r.get('/areas', async (_req, res) => {
    const extents = await countyExtents(db);
    res.json(
      AREAS.filter((a) => extents[a.code]).map((a) => {
        const bbox = extents[a.code];
        return {
          code: a.code,
          name: a.name,
          population: a.population,
          populationSource: a.populationSource,
          plan: a.plan,
          bbox,
          center: [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2],
        };
      }),
    );
  });

  r.get('/me', (req, res) => {
    res.json({ role: req.role, actor: req.actor });
  });

  r.get('/config', async (_req, res) => {
    res.json({ demo: await hasDemoData(db), basemaps: config.basemaps });
  });

  return r;
}
