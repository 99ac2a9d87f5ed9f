/**
 * An uploaded file on disk as batches of source records: CSV and GeoJSON are decoded, parsed and
 * handed on a batch at a time, so only one batch of rows is in memory however long the file;
 * binary formats (shapefile, KML/KMZ, GPKG) are read whole by their readers and then batched; those
 * GDAL reads come from its worker a batch at a time (gdal-read.ts).
 */
import fs from 'node:fs';
import type { Crs } from '../../core/geo/crs.js';
import { note, type Note } from '../../core/note.js';
import { fileEncoding, textChunks, type Encoding } from './decode.js';
import { GeojsonScanner } from './geojson-scan.js';
import type { GeometryKind } from '../../core/catalogue/index.js';
import { binaryReader, formatOf } from './readers.js';
import {
  csvLayout,
  csvRecord,
  CsvParser,
  EMPTY_CSV,
  geojsonCrs,
  geojsonRecord,
  hasValues,
  HEADER_ONLY,
  NO_FEATURES,
  rowLines,
  type CsvLayout,
} from './read.js';
import { ReadError, type Format, type SourceRecord } from '../formats/source.js';

export interface SourceStream {
  format: Format;
  encoding?: Encoding | string;
  /** How geometry was found; known once the first batch is read. */
  geometryFrom: string;
  /** The same for a reader, when the reader says it as a Note. */
  geometryNote?: Note;
  /** A CSV's header; GeoJSON property names as features arrive. */
  columns: string[];
  /** The CRS the file declares, once read (a GeoJSON `crs` member after the features shows up only at the end). */
  crs?: Crs;
  crsFrom?: string;
  batches: AsyncGenerator<SourceRecord[]>;
  /** Frees what the reader holds outside this thread (GDAL's worker); call once done, read or not. */
  close(): Promise<void>;
}

export interface Upload {
  path: string;
  filename?: string;
  contentType?: string;
  /** The target layer's geometry: which layer of a multi-layer file (OSM, DXF, a geodatabase) to read. */
  geometry?: GeometryKind;
}

const nothing = async (): Promise<void> => undefined;

async function head(path: string): Promise<string> {
  const fd = await fs.promises.open(path, 'r');
  try {
    const buf = Buffer.alloc(64);
    const { bytesRead } = await fd.read(buf, 0, 64, 0);
    return buf.subarray(0, bytesRead).toString('latin1');
  } finally {
    await fd.close();
  }
}

export async function openSource(upload: Upload, batchSize: number): Promise<SourceStream> {
  const size = (await fs.promises.stat(upload.path)).size;
  if (size === 0) throw new ReadError('The file is empty (0 bytes).', note('read_empty'));
  const binary = binaryReader(upload.filename);
  if (binary) {
    const bytes = new Uint8Array(await fs.promises.readFile(upload.path));
    const src = await binary(bytes, upload.filename!, { geometry: upload.geometry });
    const stream: SourceStream = {
      format: src.format,
      encoding: src.encoding,
      geometryFrom: src.geometryFrom,
      geometryNote: src.geometryNote,
      columns: src.columns,
      crs: src.crs,
      crsFrom: src.crsFrom,
      batches: undefined!,
      close: 'close' in src ? src.close : nothing,
    };
    stream.batches =
      'records' in src
        ? (async function* () {
            for (let i = 0; i < src.records.length; i += batchSize) yield src.records.slice(i, i + batchSize);
          })()
        : src.batches(batchSize, stream);
    return stream;
  }
  const format = formatOf(upload.filename, upload.contentType, await head(upload.path));
  const encoding = await fileEncoding(upload.path);
  const stream: SourceStream = {
    format,
    encoding,
    geometryFrom: format === 'csv' ? '' : 'GeoJSON geometry',
    ...(format === 'csv' ? {} : { geometryNote: note('import_geometry_geojson') }),
    columns: [],
    batches: undefined!,
    close: nothing,
  };
  stream.batches = format === 'csv' ? csvBatches(upload.path, encoding, batchSize, stream) : geojsonBatches(upload.path, encoding, batchSize, stream);
  return stream;
}

async function* csvBatches(path: string, encoding: Encoding, size: number, stream: SourceStream): AsyncGenerator<SourceRecord[]> {
  const parser = new CsvParser();
  let layout: CsvLayout | undefined;
  let line = 1;
  const batch: SourceRecord[] = [];
  let yielded = false;
  const take = (rows: string[][]): void => {
    for (const r of rows) {
      const thisLine = line;
      line += rowLines(r);
      if (!hasValues(r)) continue;
      if (!layout) {
        layout = csvLayout(r);
        stream.columns = layout.columns;
        stream.geometryFrom = layout.geometryFrom;
        stream.geometryNote = layout.geometryNote;
      } else batch.push(csvRecord(layout, r, thisLine));
    }
  };
  for await (const text of textChunks(path, encoding)) {
    take(parser.push(text));
    while (batch.length >= size) {
      yielded = true;
      yield batch.splice(0, size);
    }
  }
  take(parser.end());
  if (!layout) throw new ReadError(EMPTY_CSV, note('read_csv_empty'));
  if (batch.length) yield batch;
  else if (!yielded) throw new ReadError(HEADER_ONLY, note('read_header_only'));
}

async function* geojsonBatches(path: string, encoding: Encoding, size: number, stream: SourceStream): AsyncGenerator<SourceRecord[]> {
  const scanner = new GeojsonScanner();
  const columns = new Set<string>();
  let row = 0;
  const batch: SourceRecord[] = [];
  const declare = (): void => {
    if (scanner.members.crs !== undefined && !stream.crs) {
      stream.crs = geojsonCrs(scanner.members.crs);
      if (stream.crs) stream.crsFrom = 'GeoJSON "crs" member';
    }
  };
  const take = (texts: string[]): void => {
    declare();
    for (const text of texts) {
      row++;
      let f: unknown;
      try {
        f = JSON.parse(text);
      } catch (err) {
        throw new ReadError(`Not valid JSON in feature ${row}: ${(err as Error).message}.`, note('read_json_invalid_feature', { row }));
      }
      const rec = geojsonRecord(f, row);
      for (const k of Object.keys(rec.values)) {
        if (!columns.has(k)) {
          columns.add(k);
          stream.columns = [...columns];
        }
      }
      batch.push(rec);
    }
  };
  for await (const text of textChunks(path, encoding)) {
    take(scanner.push(text));
    while (batch.length >= size) yield batch.splice(0, size);
  }
  scanner.end();
  declare();
  if (!scanner.sawFeatures && scanner.members.type === 'Feature') take([JSON.stringify(scanner.members)]);
  if (row === 0) throw new ReadError(NO_FEATURES, note('read_no_features'));
  if (batch.length) yield batch;
}
