/**
 * Which reader takes an uploaded file, by its extension: our own readers where they are measured
 * better or know more (CSV and GeoJSON streamed, shapefiles with their .prj and GBK rules, KML,
 * GeoPackage), GDAL (gdal-read.ts) for the rest. A zip goes to the shapefile reader when it holds
 * a .shp, else to GDAL (a zipped .gdb folder, a MapInfo table, one file of a GDAL format).
 */
import { note } from '../../core/note.js';
import { readGpkg } from '../formats/gpkg.js';
import { readKml, readKmz } from '../formats/kml.js';
import { readShapefile } from '../formats/shapefile.js';
import { ReadError } from '../formats/source.js';
import { readXlsSheet } from '../formats/xls.js';
import { zipNames } from '../formats/zip.js';
import { GDAL_EXTENSIONS, readWithGdal, sheetSource, type ReadHint, type StreamedSource } from './gdal-read.js';
import { extension, textFormat, type FileSource } from './read.js';

type BinaryReader = (bytes: Uint8Array, filename: string, hint: ReadHint) => FileSource | Promise<FileSource | StreamedSource>;

const readZip: BinaryReader = (bytes, filename, hint) =>
  zipNames(bytes, filename).some((n) => /\.shp$/i.test(n) && !n.startsWith('__MACOSX/')) ? readShapefile(bytes, filename) : readWithGdal(bytes, filename, hint);

/** Excel 97–2003, which GDAL for WebAssembly cannot read: the first sheet through SheetJS (server/formats/xls.ts). */
const readXls: BinaryReader = async (bytes, filename) => {
  const sheet = await readXlsSheet(bytes, filename);
  return sheetSource(sheet.rows, sheet.name, 'xls', filename);
};

/** Binary formats by file extension. These are read whole; CSV and GeoJSON are streamed (stream.ts). */
const BINARY_READERS: Record<string, BinaryReader> = {
  kml: readKml,
  kmz: readKmz,
  gpkg: readGpkg,
  zip: readZip,
  xls: readXls,
  ...Object.fromEntries(Object.keys(GDAL_EXTENSIONS).filter((e) => e !== 'gdb').map((e) => [e, readWithGdal])),
};

/** The reader for a binary format, by the file's extension; undefined for text formats. */
export const binaryReader = (filename: string | undefined): BinaryReader | undefined => {
  const ext = extension(filename);
  return ext ? BINARY_READERS[ext] : undefined;
};

/** The text reader from the file name or content type, falling back to sniffing the first character. */
export function formatOf(filename: string | undefined, contentType: string | undefined, head: string): 'csv' | 'geojson' {
  const format = textFormat(filename, contentType, head);
  if (format) return format;
  const ext = extension(filename);
  const binary = Object.keys(BINARY_READERS).map((e) => `.${e}`);
  throw new ReadError(`".${ext}" files are not supported: send CSV (.csv), GeoJSON (.geojson/.json) or ${binary.join(', ')}.`, note('read_format_unsupported', { ext: ext ?? '', formats: binary.join('、') }));
}
