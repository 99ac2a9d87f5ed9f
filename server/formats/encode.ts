/**
 * The export formats and their encoders, by format name: what a download is written as. Runs in the
 * export worker (server/workers/export-worker.ts), off the thread that answers requests.
 */
import { CSV_TYPE, writeCsv } from './csv.js';
import { FLATGEOBUF_TYPE, SHAPEFILE_TYPE, withSpatialIndex, writeFlatgeobuf, writeShapefileZip } from './gdal-export.js';
import { GEOJSON_TYPE, writeGeojson } from './geojson.js';
import { GPKG_TYPE, writeGpkg } from './gpkg.js';
import { KML_TYPE, writeKml } from './kml.js';
import type { ExportData } from './table.js';

export const EXPORT_FORMATS = {
  geojson: { ext: 'geojson', type: GEOJSON_TYPE },
  csv: { ext: 'csv', type: CSV_TYPE },
  gpkg: { ext: 'gpkg', type: GPKG_TYPE },
  kml: { ext: 'kml', type: KML_TYPE },
  fgb: { ext: 'fgb', type: FLATGEOBUF_TYPE },
  shp: { ext: 'shp.zip', type: SHAPEFILE_TYPE },
} as const;
export type ExportFormat = keyof typeof EXPORT_FORMATS;

/** `members`: other top-level members a GeoJSON file keeps (an analysis's parameters). */
export async function encodeExport(format: ExportFormat, data: ExportData, members?: Record<string, unknown>): Promise<Uint8Array> {
  const write: Record<ExportFormat, () => Uint8Array | Promise<Uint8Array>> = {
    geojson: () => writeGeojson(data, members),
    csv: () => writeCsv(data),
    kml: () => writeKml(data),
    gpkg: async () => withSpatialIndex(await writeGpkg(data), data),
    fgb: () => writeFlatgeobuf(data),
    shp: () => writeShapefileZip(data),
  };
  return write[format]();
}
