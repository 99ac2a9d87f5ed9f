/**
 * Editing one feature (commander or admin): create, change properties and/or move, delete. Each
 * edit names the version it was made from; a stale one is answered 409 with the feature as it is
 * now, so the editor can review and retry instead of overwriting someone else's change.
 */
import crypto from 'node:crypto';
import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { Geometry } from 'geojson';
import { COUNTY_FIELD, geometryProblem, validateProperties, type FieldDef, type FieldProblem, type LayerDef } from '../../core/catalogue/index.js';
import { canEdit } from '../auth.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import {
  createFeature,
  deleteFeature,
  FeatureExists,
  FeatureMissing,
  invalidGeometries,
  updateFeature,
  VersionConflict,
  type Db,
  type Editor,
  type Props,
  type VersionedFeature,
} from '../store/index.js';
import { project, visibleLayer } from './layers.js';

/** `source` of features entered through the API without one (imports say "import: <file>"). */
export const EDIT_SOURCE = 'manual entry';
const MAX_FID_LENGTH = 200;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const HINT: Record<FieldDef['type'], string> = {
  string: 'send text in quotes',
  integer: 'send a whole number without quotes',
  number: 'send a number without quotes',
  enum: 'send one of the listed values',
  'enum[]': 'send a list of the listed values, e.g. ["…"]',
  items: 'send a list like [{"item": "tent", "quantity": 10}]',
};

/** A 400 that also lists every bad field as `error.problems: [{field, reason}]`, for a form to mark them. */
class InvalidProperties extends ApiError {
  constructor(
    message: string,
    readonly problems: FieldProblem[],
  ) {
    super(400, 'bad_parameter', message, `properties.${problems[0].field}`);
  }
}

/** `whole`: a new feature, which must carry every required field; a patch may leave them out. */
function checkProperties(layer: LayerDef, properties: Props, whole: boolean): void {
  const problems = validateProperties(layer, properties, { whole }).map(({ field, reason, note }) => {
    const def = layer.fields.find((f) => f.name === field);
    const fix = def ? HINT[def.type] : `fields of "${layer.id}" are ${layer.fields.map((f) => f.name).join(', ')}`;
    return { field, reason: `${reason} (${fix})`, note };
  });
  if (problems.length === 0) return;
  const lines = problems.map(({ field, reason }) => `"${field}": ${reason}`);
  throw new InvalidProperties(`Invalid properties for layer "${layer.id}": ${lines.join('; ')}.`, problems);
}

/** Shape and kind in JS, then topology in PostGIS (ST_IsValid, with its reason). */
async function checkGeometry(db: Db, layer: LayerDef, g: unknown): Promise<Geometry> {
  const problem = geometryProblem(layer, g);
  if (problem) throw badRequest('geometry', `Invalid geometry for layer "${layer.id}": ${problem}.`);
  let invalid: { reason: string }[];
  try {
    invalid = await invalidGeometries(db, [g as Geometry]);
  } catch (err) {
    throw badRequest('geometry', `PostGIS cannot read the geometry: ${(err as Error).message}. Send RFC 7946 GeoJSON in WGS84.`);
  }
  if (invalid.length) {
    throw badRequest('geometry', `Invalid geometry: ${invalid[0].reason} (PostGIS ST_IsValidReason). Fix the outline, e.g. remove the self-intersection, and send it again.`);
  }
  return g as Geometry;
}

function checkKeys(body: Record<string, unknown>, allowed: string[], what: string): void {
  const unknown = Object.keys(body).find((k) => !allowed.includes(k));
  if (unknown) throw badRequest(unknown, `Unknown member "${unknown}" in ${what}. Allowed: ${allowed.join(', ')}.`);
}

function version(raw: unknown, where: string): number {
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (!Number.isInteger(n) || (n as number) < 1) {
    throw badRequest('version', `"version" ${where} must be the feature's current version (a whole number ≥ 1, as GET /api/layers/:id/features/:fid returns it), got ${JSON.stringify(raw)}.`);
  }
  return n as number;
}

function conflict(res: Response, layer: LayerDef, req: Request, sent: number, current: VersionedFeature): void {
  res.status(409).json({
    error: {
      code: 'version_conflict',
      parameter: 'version',
      message: `Feature "${String(current.id)}" was changed by someone else: you sent version ${sent}, it is now at version ${current.version}. Its current state is in "current": review it and send your edit again with version ${current.version}.`,
    },
    current: project(layer, req.role, current),
  });
}

export function editRoutes(db: Db): Router {
  const r = Router();

  /** The layer, for an editor; 401 for the public. */
  const editable = (req: Request): LayerDef => {
    if (!canEdit(req.role)) {
      throw new ApiError(401, 'unauthorized', 'Editing needs a commander or admin token: send "Authorization: Bearer <token>".');
    }
    return visibleLayer(req.params.id as string, req.role);
  };
  const editor = (req: Request): Editor => ({ actor: req.actor, role: req.role });
  const fillCounty = (layer: LayerDef): boolean => layer.fields.some((f) => f.name === COUNTY_FIELD);
  const missing = (layer: LayerDef, fid: string): ApiError =>
    notFound(`No feature "${fid}" in layer "${layer.id}" (it may have been deleted). GET /api/layers/${layer.id}/features lists them.`);

  r.post('/layers/:id/features', async (req, res) => {
    const layer = editable(req);
    const body: unknown = req.body;
    if (!isObject(body) || body.type !== 'Feature') {
      throw badRequest('body', 'Send one GeoJSON Feature as JSON: {"type": "Feature", "geometry": {…}, "properties": {…}} with Content-Type: application/json.');
    }
    checkKeys(body, ['type', 'id', 'geometry', 'properties'], 'a Feature');
    if (body.properties !== undefined && body.properties !== null && !isObject(body.properties)) {
      throw badRequest('properties', '"properties" must be an object of field values, e.g. {"name": "…"}.');
    }
    if (body.id !== undefined && !(typeof body.id === 'string' || Number.isInteger(body.id))) {
      throw badRequest('id', '"id" must be text or a whole number; leave it out to have one generated.');
    }
    const fid = body.id === undefined ? `${layer.id}-${crypto.randomBytes(6).toString('hex')}` : String(body.id).trim();
    if (!fid || fid.length > MAX_FID_LENGTH || /[\u0000-\u001f]/.test(fid)) {
      throw badRequest('id', `"id" must be 1–${MAX_FID_LENGTH} characters without control characters; leave it out to have one generated.`);
    }
    const properties: Props = Object.fromEntries(Object.entries((body.properties as Props | null) ?? {}).filter(([, v]) => v !== null));
    checkProperties(layer, properties, true);
    if (layer.fields.some((f) => f.name === 'source') && properties.source === undefined) properties.source = EDIT_SOURCE;
    const geometry = await checkGeometry(db, layer, body.geometry);
    try {
      const created = await createFeature(db, layer.id, { id: fid, properties, geometry }, editor(req), { fillCounty: fillCounty(layer) });
      res.status(201).location(`${req.baseUrl}/layers/${layer.id}/features/${encodeURIComponent(fid)}`);
      res.type('application/geo+json').json(project(layer, req.role, created));
    } catch (err) {
      if (err instanceof FeatureExists) {
        throw new ApiError(409, 'exists', `Layer "${layer.id}" already has a feature "${fid}": leave "id" out to have a new one generated, or PATCH /api/layers/${layer.id}/features/${encodeURIComponent(fid)} to change it.`, 'id');
      }
      throw err;
    }
  });

  r.patch('/layers/:id/features/:fid', async (req, res) => {
    const layer = editable(req);
    const fid = req.params.fid as string;
    const body: unknown = req.body;
    if (!isObject(body)) throw badRequest('body', 'Send JSON {"version": n, "properties": {…changed fields}, "geometry": {…new geometry}} with Content-Type: application/json.');
    checkKeys(body, ['version', 'properties', 'geometry'], 'an edit');
    const sent = version(body.version, 'in the body');
    if (body.properties === undefined && body.geometry === undefined) {
      throw badRequest('properties', 'Nothing to change: send "properties" (the fields to change; null removes one) and/or "geometry" (to move the feature).');
    }
    if (body.properties !== undefined && !isObject(body.properties)) {
      throw badRequest('properties', '"properties" must be an object of the fields to change, e.g. {"capacity": 800}; null removes a field.');
    }
    const entries = Object.entries((body.properties as Props | undefined) ?? {});
    const set = Object.fromEntries(entries.filter(([, v]) => v !== null));
    checkProperties(layer, Object.fromEntries(entries), false);
    const geometry = body.geometry === undefined ? undefined : await checkGeometry(db, layer, body.geometry);
    const patch = { set, unset: entries.filter(([, v]) => v === null).map(([k]) => k), geometry };
    try {
      const after = await updateFeature(db, layer.id, fid, sent, patch, editor(req), { fillCounty: fillCounty(layer) });
      res.type('application/geo+json').json(project(layer, req.role, after));
    } catch (err) {
      if (err instanceof VersionConflict && err.current) return conflict(res, layer, req, sent, err.current);
      if (err instanceof VersionConflict || err instanceof FeatureMissing) throw missing(layer, fid);
      throw err;
    }
  });

  r.delete('/layers/:id/features/:fid', async (req, res) => {
    const layer = editable(req);
    const fid = req.params.fid as string;
    checkKeys(req.query as Record<string, unknown>, ['version'], 'the query string');
    if (req.query.version === undefined) throw badRequest('version', `Deleting needs the version you saw: DELETE /api/layers/${layer.id}/features/${encodeURIComponent(fid)}?version=n.`);
    const sent = version(req.query.version, 'in the query string');
    try {
      await deleteFeature(db, layer.id, fid, sent, editor(req));
      res.status(204).end();
    } catch (err) {
      if (err instanceof VersionConflict && err.current) return conflict(res, layer, req, sent, err.current);
      if (err instanceof VersionConflict || err instanceof FeatureMissing) throw missing(layer, fid);
      throw err;
    }
  });

  const problems: ErrorRequestHandler = (err, _req, res, next) => {
    if (!(err instanceof InvalidProperties)) return next(err);
    res.status(400).json({ error: { code: err.code, message: err.message, parameter: err.parameter, problems: err.problems } });
  };
  r.use(problems);

  return r;
}
