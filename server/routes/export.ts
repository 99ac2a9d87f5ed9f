/**
 * Downloads: a layer (`GET /api/layers/:id/export`, the same filters as /features) or an analysis
 * result (`POST /api/export`, a GeoJSON FeatureCollection in WGS 84) as GeoJSON, CSV, GeoPackage
 * (with its R-tree index), KML, FlatGeobuf or a zipped Shapefile, in WGS 84 or GCJ-02; and a
 * layer's blank import template (`GET /api/layers/:id/template.xlsx`). Anonymous callers get public layers and public fields only, exactly
 * as /features serves them. Demo sources are written as their zh-CN sentences (formats/provenance.ts).
 */
import express, { Router, type Request, type Response } from 'express';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { fieldsFor, type LayerDef, type Role } from '../../core/catalogue/index.js';
import { badRequest } from '../errors.js';
import type { JobSettings } from '../config.js';
import { EXPORT_FORMATS as FORMATS, type ExportFormat as Format } from '../formats/encode.js';
import { sourcesZh } from '../formats/provenance.js';
import { writeTemplate, XLSX_TYPE } from '../formats/template.js';
import { catalogueColumns, EXPORT_CRS, toExportCrs, type ExportCrs, type ExportData, type ExportFeature } from '../formats/table.js';
import { inWorker, workerModule } from '../workers/pool.js';
import type { ExportTask } from '../workers/export-worker.js';
import { queryFeatures, type Db, type FeatureQuery, type Props } from '../store/index.js';
import { MAX_LIMIT, parseFeatureParams } from './feature-params.js';
import { project, visibleLayer } from './layers.js';

export const EXPORT_LIMIT_MB = 20;

const EXPORT_WORKER = workerModule('export-worker');

/** The JSON parser for POST /api/export, mounted in app.ts ahead of the app's 1 MB one. */
export const exportBody = express.json({ limit: `${EXPORT_LIMIT_MB}mb`, type: ['application/json', 'application/geo+json'] });

function option<T extends string>(req: Request, name: string, allowed: readonly T[], fallback: T): T {
  const v = req.query[name];
  if (v === undefined || v === '') return fallback;
  if (typeof v !== 'string' || !allowed.includes(v.toLowerCase() as T)) {
    throw badRequest(name, `"${name}" must be one of ${allowed.join(', ')}; got "${String(v)}".`);
  }
  return v.toLowerCase() as T;
}

/** Today in China (the users' calendar), as 20260301. */
const today = (): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).replace(/-/g, '');

/** RFC 6266 attachment: an ASCII fallback name and the UTF-8 one (RFC 8187) for Chinese titles. */
function disposition(ascii: string, utf8: string): string {
  return `attachment; filename="${ascii.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(utf8)}`;
}

/** Encodes in the export worker (pool busy: 503 with Retry-After; past EXPORT_TIME_LIMIT_S: 503 time_limit) and sends the file. */
async function send(res: Response, task: ExportTask, base: { ascii: string; utf8: string }, limitS: number): Promise<void> {
  const bytes = await inWorker<Uint8Array>(EXPORT_WORKER, task, limitS * 1000, 'export');
  const suffix = `-${today()}${task.crs === 'gcj02' ? '-gcj02' : ''}.${FORMATS[task.format].ext}`;
  res
    .status(200)
    .type(FORMATS[task.format].type)
    .set('Content-Disposition', disposition(base.ascii + suffix, base.utf8 + suffix))
    .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

const formatOf = (req: Request): Format => option(req, 'format', Object.keys(FORMATS) as Format[], 'geojson');
const crsOf = (req: Request): ExportCrs => option(req, 'crs', EXPORT_CRS, 'wgs84');

/** Nesting depth of positions in each geometry type's coordinates. */
const DEPTH: Record<string, number> = { Point: 0, LineString: 1, MultiPoint: 1, Polygon: 2, MultiLineString: 2, MultiPolygon: 3 };

function validGeometry(g: unknown): boolean {
  const geom = g as { type?: unknown; coordinates?: unknown; geometries?: unknown };
  if (!geom || typeof geom !== 'object' || typeof geom.type !== 'string') return false;
  if (geom.type === 'GeometryCollection') return Array.isArray(geom.geometries) && geom.geometries.every(validGeometry);
  const depth = DEPTH[geom.type];
  if (depth === undefined) return false;
  const check = (c: unknown, d: number): boolean =>
    Array.isArray(c) && (d === 0 ? c.length >= 2 && c.every((v) => typeof v === 'number' && Number.isFinite(v)) : c.every((x) => check(x, d - 1)));
  return check(geom.coordinates, depth);
}

/** Checks an analysis result enough that every writer can take it; says which feature is wrong. */
function featureCollection(body: unknown): FeatureCollection<Geometry | null, Props> {
  const fc = body as FeatureCollection;
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw badRequest('body', 'The body must be a GeoJSON FeatureCollection ({"type": "FeatureCollection", "features": [...]}) sent as application/json or application/geo+json.');
  }
  fc.features.forEach((f: Feature, i) => {
    const ok = f?.type === 'Feature' && (f.geometry === null || validGeometry(f.geometry));
    if (!ok) throw badRequest('body', `features[${i}] is not a GeoJSON Feature whose geometry (or null) is a known type with longitude/latitude numbers nested as that type needs.`);
    if (f.properties !== null && f.properties !== undefined && typeof f.properties !== 'object') {
      throw badRequest('body', `features[${i}].properties must be an object.`);
    }
  });
  return fc as FeatureCollection<Geometry | null, Props>;
}

/** A layer's (filtered) features as `role` may see them, in WGS 84; without `limited` the whole layer, read page by page. */
async function layerFeatures(db: Db, layer: LayerDef, role: Role, query: FeatureQuery, limited: boolean): Promise<ExportFeature[]> {
  const features: ExportFeature[] = [];
  if (limited) features.push(...(await queryFeatures(db, query)).features);
  else {
    for (let offset = query.offset; ; offset += MAX_LIMIT) {
      const page = await queryFeatures(db, { ...query, limit: MAX_LIMIT, offset });
      features.push(...page.features);
      if (page.features.length < MAX_LIMIT) break;
    }
  }
  return sourcesZh(features.map((f) => project(layer, role, f as Feature<Geometry, Props>)));
}

/** A layer's (filtered) features as `role` may see them, ready for a writer on this thread (bench/import.bench.ts). */
export async function layerExportData(db: Db, layer: LayerDef, role: Role, query: FeatureQuery, crs: ExportCrs, limited = false): Promise<ExportData> {
  return {
    name: layer.id,
    title: layer.name.zh,
    crs,
    geometry: layer.geometry,
    columns: catalogueColumns(fieldsFor(layer, role)),
    features: toExportCrs(await layerFeatures(db, layer, role, query, limited), crs),
  };
}

export function exportRoutes(db: Db, jobs: JobSettings): Router {
  const r = Router();

  r.get('/layers/:id/export', async (req, res) => {
    const layer = visibleLayer(req.params.id, req.role);
    const format = formatOf(req);
    const crs = crsOf(req);
    const query = parseFeatureParams(layer, req.role, req.query as Record<string, unknown>, ['format', 'crs']);
    const features = await layerFeatures(db, layer, req.role, query, req.query.limit !== undefined);
    const task: ExportTask = { format, name: layer.id, title: layer.name.zh, crs, geometry: layer.geometry, columns: { layer: layer.id, role: req.role }, features };
    await send(res, task, { ascii: layer.id, utf8: layer.name.zh }, jobs.exportTimeLimitS);
  });

  // A blank census-shaped workbook to fill in and import (server/formats/template.ts).
  r.get('/layers/:id/template.xlsx', async (req, res) => {
    const layer = visibleLayer(req.params.id, req.role);
    const bytes = await writeTemplate(layer, fieldsFor(layer, req.role));
    res
      .status(200)
      .type(XLSX_TYPE)
      .set('Content-Disposition', disposition(`${layer.id}-template.xlsx`, `${layer.name.zh}-导入模板.xlsx`))
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  r.post('/export', async (req, res) => {
    const format = formatOf(req);
    const crs = crsOf(req);
    const rawName = typeof req.query.name === 'string' && req.query.name !== '' ? req.query.name : 'analysis';
    if (!/^[\p{L}\p{N}_.-]{1,80}$/u.test(rawName)) {
      throw badRequest('name', `"name" becomes the file name: use 1–80 letters, digits, "_", "-" or "." (Chinese is fine), got "${rawName.slice(0, 100)}".`);
    }
    const fc = featureCollection(req.body);
    // Other top-level members (an analysis's parameters) are kept in GeoJSON; a bbox or old-style crs would be wrong after conversion.
    const { type: _type, features, bbox: _bbox, crs: _crs, ...members } = fc as FeatureCollection<Geometry | null, Props> & Record<string, unknown>;
    const ascii = /^[\w.-]+$/.test(rawName) ? rawName : 'analysis';
    const task: ExportTask = { format, name: ascii.replace(/[.-]/g, '_'), title: rawName, crs, columns: 'inferred', features: sourcesZh(features), members };
    await send(res, task, { ascii, utf8: rawName }, jobs.exportTimeLimitS);
  });

  return r;
}
