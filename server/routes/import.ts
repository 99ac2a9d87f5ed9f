/**
 * `POST /api/layers/:id/import`: the file as the `file` part of a multipart/form-data body, or as
 * the raw body (Content-Type text/csv or application/geo+json, `?filename=`). Parameters come as
 * query string or form fields. `GET /api/imports/:importId` tells how far an import has got. A large
 * upload (or `?async=1`, `Prefer: respond-async`) is answered 202 and imported as a job to poll.
 * Commander or admin only. (A raw body sent as application/json is parsed by the app's JSON
 * parser first, so its limit is 1 MB.)
 */
import { randomUUID } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { LayerDef } from '../../core/catalogue/index.js';
import { parseCrs, type Crs } from '../../core/geo/crs.js';
import { ApiError, badRequest, detailParams, notFound } from '../errors.js';
import { receiveUpload, type Received } from '../import/multipart.js';
import { IMPORT_ID, ImportTracker, type ImportFailure, type ImportProgress } from '../import/progress.js';
import { ReadError } from '../formats/source.js';
import { CrsNeeded, NothingToImport, runImport, type ImportOptions } from '../import/run.js';
import { IMPORT_MODES, type ImportReport } from '../../core/import-report.js';
import type { JobSettings } from '../config.js';
import { CONNECTIVITIES, type Connectivity } from '../../core/network/graph.js';
import { isNetworkLayer } from '../import/network.js';
import type { Db, ImportMode } from '../store/index.js';
import { visibleLayer } from './layers.js';

const MODES: readonly ImportMode[] = IMPORT_MODES;
const PARAMS = ['crs', 'mode', 'dryRun', 'key', 'filename', 'county', 'importId', 'connectivity', 'async'];

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

/** A failed import as its answer: the same for the synchronous form and for a job's poll. */
function importError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof ReadError) return new ApiError(400, 'unreadable_file', err.message, 'file', detailParams(err.note));
  if (err instanceof CrsNeeded) return new ApiError(400, 'crs_needed', err.message, 'crs', detailParams(err.note));
  if (err instanceof NothingToImport) return new ApiError(422, 'nothing_to_import', err.message, 'file', detailParams(err.note));
  return undefined;
}

const failureOf = (e: ApiError): ImportFailure => ({ status: e.status, error: { code: e.code, message: e.message, parameter: e.parameter, params: e.params } });

const timeLimit = (seconds: number): ApiError =>
  new ApiError(503, 'time_limit', `The import did not finish within ${seconds} s and was stopped; nothing of it was written. Split the file, or ask the administrator to raise IMPORT_TIME_LIMIT_S.`, undefined, { seconds });

/** `?async=1` or `Prefer: respond-async` (RFC 7240 §4.1) asks for a job whatever the file's size. */
function asksAsync(req: Request, get: Get): boolean {
  const v = get('async');
  if (v !== undefined && !['0', '1', 'true', 'false'].includes(v)) throw badRequest('async', `"async" must be 1 or 0 (true or false), got "${v}".`);
  return v === '1' || v === 'true' || /(^|[,;\s])respond-async\b/i.test(req.get('prefer') ?? '');
}

/**
 * `limitMb`: largest upload (config IMPORT_LIMIT_MB). An upload larger than `jobs.importAsyncMb`,
 * or one the client asks to run as a job, is answered 202 with the import's id once the file has
 * arrived; the import goes on after the response, and `GET /api/imports/:importId` gives its
 * progress, then the report or the error the synchronous form would have answered.
 */
export function importRoutes(db: Db, limitMb: number, jobs: JobSettings, log: Logger): Router {
  const r = Router();
  const board = new ImportTracker(db);
  // Imports a crash left 'running' are marked failed (a GET does the same for one asked about first).
  board.recover().catch((err) => log.warn({ err }, 'could not mark interrupted imports as failed'));
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
    // Past the deadline the next batch of rows throws, which rolls the import's transaction back.
    let deadline = Number.POSITIVE_INFINITY;
    const update = (change: Partial<Omit<ImportProgress, 'importId'>>): void => {
      if (progress) board.update(progress, change);
      if (Date.now() > deadline) throw timeLimit(jobs.importTimeLimitS);
    };
    const queryId = query('importId');
    if (queryId) {
      track(queryId);
      if (idProblem) throw idProblem;
    }
    let upload: Received | undefined;
    /** Set once a job owns the upload (and deletes it when it ends). */
    let handedOver = false;
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
      const get: Get = (name) => {
        const q = query(name);
        if (q !== undefined && fields[name] !== undefined && q !== fields[name]) {
          throw badRequest(name, `"${name}" is given both in the query string ("${q}") and as a form field ("${fields[name]}"): give it once.`);
        }
        return q ?? fields[name];
      };
      const params = importParams(layer, get);
      if (upload.size === 0) {
        throw badRequest('file', 'The request body is empty: send the file as multipart/form-data (curl -F file=@shelters.csv) or as the body itself (curl --data-binary @shelters.csv -H "Content-Type: text/csv").');
      }
      const job = asksAsync(req, get) || upload.size > jobs.importAsyncMb * 1024 * 1024;
      if (job && !progress) track(`imp-${randomUUID()}`);
      if (progress && !(await board.claim(progress))) {
        const id = progress.importId;
        progress = undefined;
        throw new ApiError(409, 'import_running', `An import with importId "${id}" is running on another server: choose another id.`);
      }
      const received = upload;
      deadline = Date.now() + jobs.importTimeLimitS * 1000;
      const run = (): Promise<ImportReport> => {
        // Also stops a wait for rows a reading worker is stuck on (one batch that never ends).
        const stop = new AbortController();
        const timer = setTimeout(() => stop.abort(timeLimit(jobs.importTimeLimitS)), jobs.importTimeLimitS * 1000).unref();
        return runImport(
          db,
          layer,
          { path: received.path, filename: params.filename ?? received.filename, contentType: received.contentType },
          { ...params, filename: params.filename ?? received.filename, contentType: received.contentType, actor: req.actor ?? req.role, role: req.role, progress: update, signal: stop.signal },
        ).finally(() => clearTimeout(timer));
      };
      if (job) {
        const id = progress!.importId;
        const poll = `/api/imports/${id}`;
        res.status(202).location(poll);
        if (/respond-async/i.test(req.get('prefer') ?? '')) res.set('Preference-Applied', 'respond-async');
        res.json({ importId: id, status: 'running', poll });
        handedOver = true;
        runJob(progress!, run, received, req.log ?? log);
        return;
      }
      const report = await run();
      if (progress) board.update(progress, { phase: 'done' });
      res.json(report);
    } catch (err) {
      if (progress) board.update(progress, { phase: 'failed', error: (err as Error).message });
      throw importError(err) ?? err;
    } finally {
      if (!handedOver) await upload?.dispose();
    }
  });

  /** An import answered 202: its report or error goes to its progress; the upload is deleted when it ends. */
  function runJob(progress: ImportProgress, run: () => Promise<ImportReport>, upload: Received, jobLog: Logger): void {
    run()
      .then((report) => board.update(progress, { phase: 'done', report }))
      .catch((err: unknown) => {
        const known = importError(err);
        if (!known) jobLog.error({ err, importId: progress.importId }, 'import job failed');
        const failure = known ? failureOf(known) : { status: 500, error: { code: 'internal', message: 'Internal server error; the details are in the server log.' } };
        board.update(progress, { phase: 'failed', error: failure.error.message, failure });
      })
      .finally(() => upload.dispose())
      .catch((err: unknown) => jobLog.warn({ err }, 'could not delete an import upload'));
  }

  return r;
}
