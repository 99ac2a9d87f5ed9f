/**
 * `POST /api/layers/:id/import`: the file is the raw request body (multipart is not parsed yet),
 * with Content-Type text/csv or application/geo+json and `?filename=`. Commander or admin only.
 * (A body sent as application/json is parsed by the app's JSON parser first, so its limit is 1 MB.)
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { parseCrs } from '../../core/geo/crs.js';
import { ApiError, badRequest } from '../errors.js';
import { ReadError } from '../import/read.js';
import { NothingToImport, runImport } from '../import/run.js';
import type { Db, ImportMode } from '../store/index.js';
import { visibleLayer } from './layers.js';

export const IMPORT_LIMIT_MB = 20;
const MODES: ImportMode[] = ['append', 'upsert', 'replace'];

function param(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badRequest(name, `"${name}" must be given once.`);
  return v;
}

export function importRoutes(db: Db): Router {
  const r = Router();
  const onlyStaff = (req: Request, _res: Response, next: NextFunction): void => {
    if (req.role === 'public') throw new ApiError(401, 'unauthorized', 'Importing needs a commander or admin token: send "Authorization: Bearer <token>".');
    next();
  };
  const body = express.raw({ type: () => true, limit: `${IMPORT_LIMIT_MB}mb` });
  const tooLarge = (err: any, _req: Request, _res: Response, next: NextFunction): void => {
    if (err?.type === 'entity.too.large') {
      next(new ApiError(413, 'too_large', `The file is larger than the ${IMPORT_LIMIT_MB} MB import limit: split it into several files and import them with mode=append.`));
    } else next(err);
  };

  r.post('/layers/:id/import', onlyStaff, body, tooLarge, async (req: Request, res: Response) => {
    const layer = visibleLayer(req.params.id as string, req.role);
    const allowed = ['crs', 'mode', 'dryRun', 'key', 'filename', 'county'];
    const unknown = Object.keys(req.query).find((k) => !allowed.includes(k));
    if (unknown) throw badRequest(unknown, `Unknown parameter "${unknown}". Allowed: ${allowed.join(', ')}.`);
    const crsRaw = param(req, 'crs') ?? 'wgs84';
    const crs = parseCrs(crsRaw);
    if (!crs) {
      throw badRequest('crs', `Unknown crs "${crsRaw}". Use wgs84, cgcs2000, gcj02 (Amap/Tencent), bd09 (Baidu), or a CGCS2000 Gauss–Krüger code EPSG:4491–4554 (e.g. EPSG:4524 = 3° zone 36 with zone prefix, EPSG:4545 = 3° zone 108°E without).`);
    }
    const mode = (param(req, 'mode') ?? 'append') as ImportMode;
    if (!MODES.includes(mode)) throw badRequest('mode', `"mode" must be one of ${MODES.join(', ')}, got "${mode}".`);
    const dry = param(req, 'dryRun') ?? 'true';
    if (dry !== 'true' && dry !== 'false') throw badRequest('dryRun', `"dryRun" must be true or false, got "${dry}".`);
    const key = param(req, 'key') ?? 'id';
    if (key !== 'id' && !layer.fields.some((f) => f.name === key)) {
      throw badRequest('key', `Upsert key "${key}" is not "id" or a field of layer "${layer.id}".`);
    }
    // The app's JSON parser has already read an application/json body (up to its 1 MB limit).
    const bytes = Buffer.isBuffer(req.body) ? req.body : req.body && typeof req.body === 'object' ? Buffer.from(JSON.stringify(req.body)) : Buffer.alloc(0);
    if (bytes.length === 0) throw badRequest('file', 'The request body is empty: send the file itself as the body, e.g. curl --data-binary @shelters.csv -H "Content-Type: text/csv".');
    try {
      const report = await runImport(db, layer, new Uint8Array(bytes), {
        filename: param(req, 'filename'),
        contentType: req.get('content-type'),
        crs,
        mode,
        dryRun: dry === 'true',
        key,
        county: param(req, 'county'),
      });
      res.json(report);
    } catch (err) {
      if (err instanceof ReadError) throw new ApiError(400, 'unreadable_file', err.message, 'file');
      if (err instanceof NothingToImport) throw new ApiError(422, 'nothing_to_import', err.message, 'file');
      throw err;
    }
  });
  return r;
}
