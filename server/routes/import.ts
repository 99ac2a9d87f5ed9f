/**
 * `POST /api/layers/:id/import`: the file as the `file` part of a multipart/form-data body, or as
 * the raw body (Content-Type text/csv or application/geo+json, `?filename=`). Parameters come as
 * query string or form fields. `GET /api/imports/:importId` tells how far an import has got.
 * Commander or admin only. (A raw body sent as application/json is parsed by the app's JSON
 * parser first, so its limit is 1 MB.)
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { LayerDef } from '../../core/catalogue/index.js';
import { parseCrs, type Crs } from '../../core/geo/crs.js';
import { ApiError, badRequest, detailParams, notFound } from '../errors.js';
import { receiveUpload, type Received } from '../import/multipart.js';
import { IMPORT_ID, ImportTracker, type ImportProgress } from '../import/progress.js';
import { ReadError } from '../formats/source.js';
import { CrsNeeded, NothingToImport, runImport, type ImportOptions } from '../import/run.js';
import { IMPORT_MODES } from '../../core/import-report.js';
import { CONNECTIVITIES, type Connectivity } from '../../core/network/graph.js';
import { isNetworkLayer } from '../import/network.js';
import type { Db, ImportMode } from '../store/index.js';
import { visibleLayer } from './layers.js';

const MODES: readonly ImportMode[] = IMPORT_MODES;
const PARAMS = ['crs', 'mode', 'dryRun', 'key', 'filename', 'county', 'importId', 'connectivity'];

type Get = (name: string) => string | undefined;

/** The import parameters, validated; the same rules for the query string and form fields. */
function importParams(layer: LayerDef, get: Get): Pick<ImportOptions, 'crs' | 'mode' | 'dryRun' | 'key' | 'county' | 'filename' | 'connectivity'> {
  const crsRaw = get('crs') ?? 'auto';
  let crs: Crs | undefined;
  if (crsRaw.trim().toLowerCase() !== 'auto') {
    crs = parseCrs(crsRaw);
    if (!crs) {
      throw badRequest('crs', `Unknown crs "${crsRaw}". Use auto (the default: the file's own, else detected), wgs84, cgcs2000, gcj02 (Amap/Tencent), bd09 (Baidu), or a CGCS2000 Gauss–Krüger code EPSG:4491–4554 (e.g. EPSG:4524 = 3° zone 36 with zone prefix, EPSG:4545 = 3° zone 108°E without).`);
    }
  }
  const mode = (get('mode') ?? 'append') as ImportMode;
  if (!MODES.includes(mode)) throw badRequest('mode', `"mode" must be one of ${MODES.join(', ')}, got "${mode}".`);
  const dry = get('dryRun') ?? 'true';
  if (dry !== 'true' && dry !== 'false') throw badRequest('dryRun', `"dryRun" must be true or false, got "${dry}".`);
  const key = get('key') ?? 'id';
  if (key !== 'id' && !layer.fields.some((f) => f.name === key)) {
    throw badRequest('key', `Upsert key "${key}" is not "id" or a field of layer "${layer.id}".`);
  }
  const connectivity = get('connectivity') as Connectivity | undefined;
  if (connectivity !== undefined) {
    if (!isNetworkLayer(layer)) throw badRequest('connectivity', `"connectivity" applies to the road network only, not to layer "${layer.id}".`);
    if (!CONNECTIVITIES.includes(connectivity)) {
      throw badRequest('connectivity', `"connectivity" must be one of ${CONNECTIVITIES.join(', ')} (endpoints: lines join at their ends only; vertices: at any shared vertex; osm: OpenStreetMap rules), got "${connectivity}".`);
    }
  }
  return { crs, mode, dryRun: dry === 'true', key, county: get('county'), filename: get('filename'), connectivity };
}

function queryGetter(req: Request): Get {
  const unknown = Object.keys(req.query).find((k) => !PARAMS.includes(k));
  if (unknown) throw badRequest(unknown, `Unknown parameter "${unknown}". Allowed: ${PARAMS.join(', ')}.`);
  return (name) => {
    const v = req.query[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw badRequest(name, `"${name}" must be given once.`);
    return v;
  };
}

/** `limitMb`: largest upload (config IMPORT_LIMIT_MB). */
export function importRoutes(db: Db, limitMb: number): Router {
  const r = Router();
  const board = new ImportTracker(db);
  const onlyStaff = (req: Request, _res: Response, next: NextFunction): void => {
    if (req.role === 'public') throw new ApiError(401, 'unauthorized', 'Importing needs a commander or admin token: send "Authorization: Bearer <token>".');
    next();
  };

  r.get('/imports/:importId', onlyStaff, async (req: Request, res: Response) => {
    const id = req.params.importId as string;
    const p = await board.get(id);
    if (!p) throw notFound(`No import "${id}" is known: pass importId=${id} when you start it; an import is forgotten 10 minutes after it ends.`);
    res.json(p);
  });

  r.post('/layers/:id/import', onlyStaff, async (req: Request, res: Response) => {
    const layer = visibleLayer(req.params.id as string, req.role);
    const query = queryGetter(req);
    importParams(layer, query);
    let progress: ImportProgress | undefined;
    let idProblem: ApiError | undefined;
    let bytes = 0;
    const track = (id: string): void => {
      if (!IMPORT_ID.test(id)) idProblem = badRequest('importId', `"importId" must be 1–64 letters, digits, "-" or "_", got "${id.slice(0, 70)}".`);
      else if (!(progress = board.start(id))) idProblem = new ApiError(409, 'import_running', `An import with importId "${id}" is still running: choose another id.`);
      else board.update(progress, { bytesReceived: bytes });
    };
    const update = (change: Partial<Omit<ImportProgress, 'importId'>>): void => {
      if (progress) board.update(progress, change);
    };
    const queryId = query('importId');
    if (queryId) {
      track(queryId);
      if (idProblem) throw idProblem;
    }
    let upload: Received | undefined;
    try {
      upload = await receiveUpload(req, {
        limitBytes: limitMb * 1024 * 1024,
        onBytes: (n) => update({ bytesReceived: (bytes = n) }),
        onField: (name, value) => {
          if (name === 'importId' && !queryId && !progress && !idProblem) track(value);
        },
      });
      if (idProblem) throw idProblem;
      const fields = upload.fields;
      const unknown = Object.keys(fields).find((k) => !PARAMS.includes(k));
      if (unknown) throw badRequest(unknown, `Unknown form field "${unknown}". Allowed: file, ${PARAMS.join(', ')}.`);
      const params = importParams(layer, (name) => {
        const q = query(name);
        if (q !== undefined && fields[name] !== undefined && q !== fields[name]) {
          throw badRequest(name, `"${name}" is given both in the query string ("${q}") and as a form field ("${fields[name]}"): give it once.`);
        }
        return q ?? fields[name];
      });
      if (upload.size === 0) {
        throw badRequest('file', 'The request body is empty: send the file as multipart/form-data (curl -F file=@shelters.csv) or as the body itself (curl --data-binary @shelters.csv -H "Content-Type: text/csv").');
      }
      if (progress && !(await board.claim(progress))) {
        const id = progress.importId;
        progress = undefined;
        throw new ApiError(409, 'import_running', `An import with importId "${id}" is running on another server: choose another id.`);
      }
      const report = await runImport(
        db,
        layer,
        { path: upload.path, filename: params.filename ?? upload.filename, contentType: upload.contentType },
        { ...params, filename: params.filename ?? upload.filename, contentType: upload.contentType, actor: req.actor ?? req.role, role: req.role, progress: update },
      );
      update({ phase: 'done' });
      res.json(report);
    } catch (err) {
      update({ phase: 'failed', error: (err as Error).message });
      if (err instanceof ReadError) throw new ApiError(400, 'unreadable_file', err.message, 'file', detailParams(err.note));
      if (err instanceof CrsNeeded) throw new ApiError(400, 'crs_needed', err.message, 'crs', detailParams(err.note));
      if (err instanceof NothingToImport) throw new ApiError(422, 'nothing_to_import', err.message, 'file', detailParams(err.note));
      throw err;
    } finally {
      await upload?.dispose();
    }
  });
  return r;
}
