/**
 * What every reader produces: source records in the file's own CRS, and the error a reader throws
 * when a file cannot be read. Below both the format readers and the import pipeline, so that
 * neither imports the other's internals.
 */
import type { Geometry } from 'geojson';
import type { Note } from '../../core/note.js';

/** Our own readers' formats, then those read through GDAL (server/formats/gdal.ts). */
export type Format = 'csv' | 'geojson' | 'shapefile' | 'kml' | 'kmz' | 'gpkg' | 'xlsx' | 'xls' | 'ods' | 'mapinfo' | 'filegdb' | 'dxf' | 'osm' | 'flatgeobuf';

export interface SourceRecord {
  /** Row as a person finds it: CSV line number (header = 1), or GeoJSON feature number from 1. */
  row: number;
  id?: string;
  values: Record<string, unknown>;
  geometry?: Geometry;
  /** Why no geometry could be read, when it could not. */
  geometryError?: string;
  /** The same for a reader, when the reader says it as a Note (import_* codes). */
  geometryNote?: Note;
}

export interface Source {
  format: Format;
  columns: string[];
  records: SourceRecord[];
  /** How geometry was found, e.g. 'lon/lat columns "经度", "纬度"'. */
  geometryFrom: string;
  /** The same for a reader, when the reader says it as a Note. */
  geometryNote?: Note;
}

/** A file that cannot be read; `note` says why in the reader's language (the answer's `params.detail`). */
export class ReadError extends Error {
  constructor(
    message: string,
    readonly note?: Note,
  ) {
    super(message);
  }
}
