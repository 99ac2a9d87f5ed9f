/**
 * Export writers that GDAL does for us (server/formats/gdal.ts, in its worker thread), from the same
 * flat columns as CSV and GeoPackage (table.ts):
 * - FlatGeobuf (one file, with its packed Hilbert R-tree index, GDAL's default);
 * - a zipped ESRI Shapefile: .shp/.shx/.dbf, a .prj and a .cpg saying UTF-8; one shapefile per
 *   geometry kind (a shapefile holds one), named `<name>` or `<name>_point|_line|_polygon`;
 *   dBASE limits column names to 10 bytes, so GDAL shortens longer ones (GeoPackage keeps them);
 * - the R-tree spatial index (GeoPackage 1.2 Annex F.3, gpkg_rtree_index) added to our GeoPackage.
 * GCJ-02 is not an EPSG system: its files carry the WKT named "GCJ-02 …" (as our GeoPackage's srs
 * row), which core/geo/prj.ts reads back as GCJ-02.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Geometry } from 'geojson';
import { gdalSql, gdalTranslate } from './gdal.js';
import { GCJ02_WKT, GPKG_GEOMETRY, gpkgTable } from './gpkg.js';
import { rowOf, type ExportData, type ExportFeature } from './table.js';
import { zipEntries } from './zip.js';

export const FLATGEOBUF_TYPE = 'application/flatgeobuf';
export const SHAPEFILE_TYPE = 'application/zip';

const srs = (data: ExportData): string => (data.crs === 'gcj02' ? GCJ02_WKT : 'EPSG:4326');
const NLT: Record<string, string> = { Point: 'POINT', LineString: 'LINESTRING', Polygon: 'POLYGON' };
type Kind = 'Point' | 'LineString' | 'Polygon';
const kindOf = (g: Geometry): Kind | undefined =>
  g.type === 'GeometryCollection' ? undefined : (g.type.replace(/^Multi/, '') as Kind);

async function withTemp<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'onemap-export-'));
  try {
    return await run(dir);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/** The features with the flat columns as properties, as GeoJSON for GDAL to read. */
async function flatGeojson(dir: string, data: ExportData, features: ExportFeature[], file = 'in.geojson'): Promise<string> {
  const doc = {
    type: 'FeatureCollection',
    features: features.map((f) => {
      const row = rowOf(f);
      return { type: 'Feature', geometry: f.geometry, properties: Object.fromEntries(data.columns.map((c) => [c.name, c.value(row)])) };
    }),
  };
  const p = path.join(dir, file);
  await fs.promises.writeFile(p, JSON.stringify(doc));
  return p;
}

/** Geometry type option: the layer's kind for an empty file, multi-part when parts mix. */
function nlt(kind: Kind | undefined, features: ExportFeature[]): string[] {
  if (!kind) return [];
  const multi = features.some((f) => f.geometry?.type.startsWith('Multi'));
  return ['-nlt', multi ? 'PROMOTE_TO_MULTI' : NLT[kind]];
}

export async function writeFlatgeobuf(data: ExportData): Promise<Uint8Array> {
  return withTemp(async (dir) => {
    const input = await flatGeojson(dir, data, data.features);
    const kinds = new Set(data.features.map((f) => f.geometry && kindOf(f.geometry)).filter(Boolean));
    const kind = kinds.size === 1 ? ([...kinds][0] as Kind) : kinds.size === 0 ? data.geometry : undefined;
    const out = await gdalTranslate(input, ['-f', 'FlatGeobuf', '-a_srs', srs(data), '-nln', data.name, ...nlt(kind, data.features)]);
    return Object.values(out)[0];
  });
}

export async function writeShapefileZip(data: ExportData): Promise<Uint8Array> {
  return withTemp(async (dir) => {
    const byKind = new Map<Kind, ExportFeature[]>();
    for (const f of data.features) {
      const k = f.geometry ? kindOf(f.geometry) : undefined;
      if (k) (byKind.get(k) ?? byKind.set(k, []).get(k)!).push(f);
    }
    if (byKind.size === 0) byKind.set(data.geometry ?? 'Point', []);
    const files: Record<string, Uint8Array> = {};
    const suffix: Record<Kind, string> = { Point: '_point', LineString: '_line', Polygon: '_polygon' };
    for (const [kind, features] of byKind) {
      const name = byKind.size === 1 ? data.name : `${data.name}${suffix[kind]}`;
      const input = await flatGeojson(dir, data, features, `${name}.geojson`);
      const out = await gdalTranslate(input, ['-f', 'ESRI Shapefile', '-a_srs', srs(data), '-lco', 'ENCODING=UTF-8', '-nln', name, ...nlt(kind, features)]);
      for (const [file, bytes] of Object.entries(out)) files[`${name}${file.slice(file.indexOf('.'))}`] = bytes;
    }
    return zipEntries(files);
  });
}

/** Our GeoPackage with GDAL's R-tree spatial index on its geometry column. */
export async function withSpatialIndex(gpkg: Uint8Array, data: ExportData): Promise<Uint8Array> {
  return withTemp(async (dir) => {
    const file = path.join(dir, 'out.gpkg');
    await fs.promises.writeFile(file, gpkg);
    await gdalSql(file, `SELECT CreateSpatialIndex('${gpkgTable(data)}', '${GPKG_GEOMETRY}')`);
    return new Uint8Array(await fs.promises.readFile(file));
  });
}
