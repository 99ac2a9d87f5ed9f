/**
 * Downloads: a layer (`GET /api/layers/:id/export`, the same filters as /features) or an analysis
 * result (`POST /api/export`, a GeoJSON FeatureCollection in WGS 84) as GeoJSON, CSV, GeoPackage
 * (with its R-tree index), KML, FlatGeobuf or a zipped Shapefile, in WGS 84 or GCJ-02; and a
 * layer's blank import template (`GET /api/layers/:id/template.xlsx`). Anonymous callers get public layers and public fields only, exactly
 * as /features serves them.
 */
import express, { Router, type Request, type Response } from 'express';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { fieldsFor, type LayerDef, type Role } from '../../core/catalogue/index.js';
import { badRequest } from '../errors.js';
import { CSV_TYPE, writeCsv } from '../formats/csv.js';
import { GEOJSON_TYPE, writeGeojson } from '../formats/geojson.js';
import { FLATGEOBUF_TYPE, SHAPEFILE_TYPE, withSpatialIndex, writeFlatgeobuf, writeShapefileZip } from '../formats/gdal-export.js';
import { GPKG_TYPE, writeGpkg } from '../formats/gpkg.js';
import { KML_TYPE, writeKml } from '../formats/kml.js';
import { writeTemplate, XLSX_TYPE } from '../formats/template.js';
import { catalogueColumns, EXPORT_CRS, inferColumns, toExportCrs, type ExportCrs, type ExportData, type ExportFeature } from '../formats/table.js';
import { queryFeatures, type Db, type FeatureQuery, type Props } from '../store/index.js';
import { MAX_LIMIT, parseFeatureParams } from './feature-params.js';
import { project, visibleLayer } from './layers.js';

export const EXPORT_LIMIT_MB = 20;

const FORMATS = {
  geojson: { ext: 'geojson', type: GEOJSON_TYPE },
  csv: { ext: 'csv', type: CSV_TYPE },
  gpkg: { ext: 'gpkg', type: GPKG_TYPE },
  kml: { ext: 'kml', type: KML_TYPE },
  fgb: { ext: 'fgb', type: FLATGEOBUF_TYPE },
  shp: { ext: 'shp.zip', type: SHAPEFILE_TYPE },
} as const;
type Format = keyof typeof FORMATS;

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

async function send(res: Response, format: Format, data: ExportData, base: { ascii: string; utf8: string }, members?: Record<string, unknown>): Promise<void> {
  const write: Record<Format, () => Uint8Array | Promise<Uint8Array>> = {
    geojson: () => writeGeojson(data, members),
    csv: () => writeCsv(data),
    kml: () => writeKml(data),
    gpkg: async () => withSpatialIndex(await writeGpkg(data), data),
    fgb: () => writeFlatgeobuf(data),
    shp: () => writeShapefileZip(data),
  };
  const bytes = await write[format]();
  const suffix = `-${today()}${data.crs === 'gcj02' ? '-gcj02' : ''}.${FORMATS[format].ext}`;
  res
    .status(200)
    .type(FORMATS[format].type)
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

/**
 * A layer's (filtered) features as `role` may see them, ready for a writer; without `limited` the
 * whole layer is read, page by page. Used by the route and by bench/import.bench.ts.
 */
export async function layerExportData(db: Db, layer: LayerDef, role: Role, query: FeatureQuery, crs: ExportCrs, limited = false): Promise<ExportData> {
  const features: ExportFeature[] = [];
  if (limited) features.push(...(await queryFeatures(db, query)).features);
  else {
    for (let offset = query.offset; ; offset += MAX_LIMIT) {
      const page = await queryFeatures(db, { ...query, limit: MAX_LIMIT, offset });
      features.push(...page.features);
      if (page.features.length < MAX_LIMIT) break;
    }
  }
  return {
    name: layer.id,
    title: layer.name.zh,
    crs,
    geometry: layer.geometry,
    columns: catalogueColumns(fieldsFor(layer, role)),
    features: toExportCrs(
      features.map((f) => project(layer, role, f as Feature<Geometry, Props>)),
      crs,
    ),
  };
}

export function exportRoutes(db: Db): Router {
  const r = Router();

  r.get('/layers/:id/export', async (req, res) => {
    const layer = visibleLayer(req.params.id, req.role);
    const format = formatOf(req);
    const crs = crsOf(req);
    const query = parseFeatureParams(layer, req.role, req.query as Record<string, unknown>, ['format', 'crs']);
    const data = await layerExportData(db, layer, req.role, query, crs, req.query.limit !== undefined);
    await send(res, format, data, { ascii: layer.id, utf8: layer.name.zh });
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
    const data: ExportData = { name: ascii.replace(/[.-]/g, '_'), title: rawName, crs, columns: inferColumns(features), features: toExportCrs(features, crs) };
    await send(res, format, data, { ascii, utf8: rawName }, members);
  });

  return r;
}
