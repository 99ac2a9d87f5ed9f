/**
 * An export encoded in a worker thread (server/workers/pool.ts): building a 19 MB GeoPackage in
 * sql.js, or the flat GeoJSON GDAL turns into FlatGeobuf or a Shapefile, takes seconds of CPU that
 * would otherwise stall every other request. The main thread reads the rows (page by page) and
 * hands over plain features; the columns are rebuilt here from the catalogue (functions do not
 * cross threads), the CRS converted, the file encoded and its bytes moved back without a copy.
 */
import { Piscina } from 'piscina';
import { fieldsFor, findLayer, type GeometryKind, type Role } from '../../core/catalogue/index.js';
import { encodeExport, type ExportFormat } from '../formats/encode.js';
import { catalogueColumns, inferColumns, toExportCrs, type ExportCrs, type ExportFeature } from '../formats/table.js';

export interface ExportTask {
  format: ExportFormat;
  name: string;
  title: string;
  crs: ExportCrs;
  geometry?: GeometryKind;
  /** A catalogue layer's columns as `role` sees them, or columns inferred from the properties (an analysis result). */
  columns: { layer: string; role: Role } | 'inferred';
  /** In WGS 84, with only the properties the caller may see. */
  features: ExportFeature[];
  members?: Record<string, unknown>;
}

export default async function encode(task: ExportTask): Promise<Uint8Array> {
  const layer = task.columns === 'inferred' ? undefined : findLayer(task.columns.layer);
  if (task.columns !== 'inferred' && !layer) throw new Error(`No layer "${task.columns.layer}" in the catalogue.`);
  const columns = layer && task.columns !== 'inferred' ? catalogueColumns(fieldsFor(layer, task.columns.role)) : inferColumns(task.features);
  const data = { name: task.name, title: task.title, crs: task.crs, geometry: task.geometry, columns, features: toExportCrs(task.features, task.crs) };
  const bytes = await encodeExport(task.format, data, task.members);
  // Only a buffer of its own is moved (a small file read from disk may sit in Node's shared pool).
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  return Piscina.move(own) as unknown as Uint8Array;
}
