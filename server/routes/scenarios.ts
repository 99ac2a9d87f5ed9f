/**
 * Saved siting scenarios (commander or admin): `GET /api/scenarios?county=`, `GET /api/scenarios/:id`,
 * `POST /api/scenarios` {name, request, result, sites} → 201, `DELETE /api/scenarios/:id` → 204.
 * The request is the siting request the plan started from; the result the answer shown when saved.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import { ApiError, badRequest, notFound } from '../errors.js';
import { createScenario, deleteScenario, getScenario, listScenarios, type Db } from '../store/index.js';
import { countyCode } from '../../core/analysis/slice.js';
import { parseBody } from './body.js';

const HINT =
  'Send JSON like {"name": "合川 3 new stations", "request": {"model": "mclp", "facilityLayer": "fire_stations", "county": "500117", "p": 3}, "result": {…the siting answer…}, "sites": [{"id": "grid-3-4", "lon": 106.27, "lat": 29.99}]}.';

const body = z
  .object({
    name: z.string().trim().min(1).max(200),
    request: z.object({ county: countyCode, model: z.string().min(1).max(20), facilityLayer: z.string().min(1).max(50) }).passthrough(),
    result: z.record(z.string(), z.unknown()),
    sites: z.array(z.object({ id: z.string().min(1).max(100), lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) }).passthrough()).max(2000),
  })
  .strict();

export function scenarioRoutes(db: Db): Router {
  const r = Router();
  const staff = (req: Request): void => {
    if (req.role === 'public') throw new ApiError(401, 'unauthorized', 'Scenarios are internal plans: send "Authorization: Bearer <token>" with a commander or admin token.');
  };

  r.get('/scenarios', async (req, res) => {
    staff(req);
    const county = req.query.county;
    if (county !== undefined && (typeof county !== 'string' || !countyCode.safeParse(county).success)) {
      throw badRequest('county', 'county must be a 6-digit county code such as "500117", or left out for every county.');
    }
    res.json({ scenarios: await listScenarios(db, county) });
  });

  r.get('/scenarios/:id', async (req, res) => {
    staff(req);
    const s = await getScenario(db, req.params.id);
    if (!s) throw notFound(`No scenario "${req.params.id}"; GET /api/scenarios lists them.`);
    res.json(s);
  });

  r.post('/scenarios', async (req, res) => {
    staff(req);
    const b = parseBody(body, req.body, HINT);
    const s = await createScenario(db, {
      name: b.name,
      county: b.request.county,
      model: b.request.model,
      facilityLayer: b.request.facilityLayer,
      request: b.request,
      result: b.result,
      sites: b.sites,
      createdBy: req.actor ?? req.role,
    });
    res.status(201).json(s);
  });

  r.delete('/scenarios/:id', async (req, res) => {
    staff(req);
    if (!(await deleteScenario(db, req.params.id))) throw notFound(`No scenario "${req.params.id}"; GET /api/scenarios lists them.`);
    res.status(204).end();
  });

  return r;
}
