/**
 * Zipped ESRI shapefiles: one layer's .shp (geometry), .dbf (attributes), .prj (coordinate system)
 * and .cpg (text encoding), at any folder depth in the zip. Geometry stays in the file's CRS; the
 * .prj says which one (core/geo/prj.ts). Specification: ESRI Shapefile Technical Description (1998).
 */
import type { Geometry, Position } from 'geojson';
import type { Crs } from '../../core/geo/crs.js';
import { crsFromPrj } from '../../core/geo/prj.js';
import { note } from '../../core/note.js';
import { decode } from '../import/decode.js';
import { ReadError, type Source, type SourceRecord } from './source.js';
import { readDbf } from './dbf.js';
import { unzipEntries } from './zip.js';

export interface ShapefileSource extends Source {
  /** What the .prj declares; absent without a .prj (the import's crs applies). */
  crs?: Crs;
  crsFrom?: string;
  encoding: string;
  encodingFrom: string;
}

const TYPES: Record<number, string> = {
  0: 'Null', 1: 'Point', 3: 'PolyLine', 5: 'Polygon', 8: 'MultiPoint',
  11: 'PointZ', 13: 'PolyLineZ', 15: 'PolygonZ', 18: 'MultiPointZ',
  21: 'PointM', 23: 'PolyLineM', 25: 'PolygonM', 28: 'MultiPointM', 31: 'MultiPatch',
};

/** Twice the signed area (shoelace): negative for a clockwise ring (y up). */
function signedArea2(ring: Position[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return s;
}

function inRing([x, y]: Position, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Shapefile rings → GeoJSON polygons. Outer rings are clockwise, holes counter-clockwise
 * (spec p. 8); a hole belongs to the smallest outer ring that contains it. Rings are turned to the
 * RFC 7946 orientation (outer counter-clockwise). A hole inside no outer ring, or a file whose rings
 * all run one way (some writers ignore the rule), is read by nesting instead.
 */
export function polygonOf(rings: Position[][]): Geometry {
  const closed = rings.map((r) => (r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1] ? r : [...r, r[0]]));
  const area = closed.map(signedArea2);
  let outers = closed.map((_, i) => i).filter((i) => area[i] < 0);
  let holes = closed.map((_, i) => i).filter((i) => area[i] >= 0);
  if (outers.length === 0 || holes.length === 0) {
    // Nesting depth decides: a ring inside an odd number of others is a hole.
    const depth = closed.map((r, i) => closed.filter((o, j) => j !== i && Math.abs(area[j]) > Math.abs(area[i]) && inRing(r[0], o)).length);
    outers = closed.map((_, i) => i).filter((i) => depth[i] % 2 === 0);
    holes = closed.map((_, i) => i).filter((i) => depth[i] % 2 === 1);
  }
  const polys = new Map<number, Position[][]>(outers.map((i) => [i, [closed[i]]]));
  for (const h of holes) {
    const owner = outers
      .filter((o) => inRing(closed[h][0], closed[o]) || inRing(closed[h][1], closed[o]))
      .sort((a, b) => Math.abs(area[a]) - Math.abs(area[b]))[0];
    if (owner === undefined) polys.set(h, [closed[h]]);
    else polys.get(owner)!.push(closed[h]);
  }
  const oriented = [...polys.values()].map((rs) =>
    rs.map((r, k) => ((signedArea2(r) > 0) === (k === 0) ? r : [...r].reverse())),
  );
  return oriented.length === 1 ? { type: 'Polygon', coordinates: oriented[0] } : { type: 'MultiPolygon', coordinates: oriented };
}

/** One record's shape; Z and M values are dropped. Throws a plain Error for a damaged shape. */
function shapeOf(view: DataView, at: number, length: number): Geometry | null {
  if (length < 4) throw new Error('record is too short');
  const type = view.getInt32(at, true);
  // Z (1x) and M (2x) variants share the 2-D layout up to the end of the x/y points.
  const base = type === 31 ? type : type % 10;
  const xy = (p: number): Position => [view.getFloat64(p, true), view.getFloat64(p + 8, true)];
  const need = (n: number): void => {
    if (n > length) throw new Error(`record content is ${length} bytes, the shape needs ${n}`);
  };
  if (type === 0) return null;
  if (base === 1) {
    need(20);
    return { type: 'Point', coordinates: xy(at + 4) };
  }
  if (base === 8) {
    need(40);
    const n = view.getInt32(at + 36, true);
    need(40 + 16 * n);
    if (n === 0) return null;
    const pts = Array.from({ length: n }, (_, i) => xy(at + 40 + 16 * i));
    return n === 1 ? { type: 'Point', coordinates: pts[0] } : { type: 'MultiPoint', coordinates: pts };
  }
  if (base === 3 || base === 5) {
    need(44);
    const parts = view.getInt32(at + 36, true);
    const points = view.getInt32(at + 40, true);
    need(44 + 4 * parts + 16 * points);
    if (parts === 0 || points === 0) return null;
    const starts = Array.from({ length: parts }, (_, i) => view.getInt32(at + 44 + 4 * i, true));
    const p0 = at + 44 + 4 * parts;
    const lines = starts.map((s, i) => {
      const e = i + 1 < parts ? starts[i + 1] : points;
      if (s < 0 || e > points || e <= s) throw new Error(`part ${i + 1} points ${s}–${e} lie outside the ${points} points`);
      return Array.from({ length: e - s }, (_, k) => xy(p0 + 16 * (s + k)));
    });
    if (base === 3) {
      if (lines.some((l) => l.length < 2)) throw new Error('a line part has fewer than 2 points');
      return lines.length === 1 ? { type: 'LineString', coordinates: lines[0] } : { type: 'MultiLineString', coordinates: lines };
    }
    if (lines.some((l) => l.length < 3)) throw new Error('a polygon ring has fewer than 3 points');
    return polygonOf(lines);
  }
  throw new Error(`shape type ${TYPES[type] ?? type} is not supported (only points, lines and polygons)`);
}

const ext = (name: string): string => name.slice(name.lastIndexOf('.') + 1).toLowerCase();
const stem = (name: string): string => name.slice(0, name.lastIndexOf('.')).toLowerCase();

/** Reads the one shapefile in a zip. `filename` names the upload in messages. */
export function readShapefile(bytes: Uint8Array, filename: string): ShapefileSource {
  const files = unzipEntries(bytes, filename);
  // Mac Finder adds __MACOSX/ resource forks; they are not layers.
  const names = [...files.keys()].filter((n) => !n.startsWith('__MACOSX/') && !/(^|\/)\._/.test(n));
  const shps = names.filter((n) => ext(n) === 'shp');
  if (shps.length === 0) {
    const seen = names.slice(0, 10).join(', ') + (names.length > 10 ? ', …' : '');
    const other = names.find((n) => ['csv', 'geojson', 'json', 'kml', 'kmz', 'gpkg'].includes(ext(n)));
    throw new ReadError(
      `${filename} holds no .shp file (it has: ${seen || 'nothing'}). ${other ? `Unzip it and import ${other} itself.` : "A shapefile zip needs the layer's .shp, .shx, .dbf and .prj together."}`,
      other ? note('read_shp_none_other', { file: filename, other }) : note('read_shp_none', { file: filename, seen: seen || '—' }),
    );
  }
  if (shps.length > 1) {
    throw new ReadError(`${filename} holds ${shps.length} shapefiles (${shps.join(', ')}): import them one at a time, one layer's files per zip.`, note('read_shp_many', { file: filename, count: shps.length, names: shps.join('、') }));
  }
  const shpName = shps[0];
  const sibling = (e: string): string | undefined => names.find((n) => stem(n) === stem(shpName) && ext(n) === e);
  const dbfName = sibling('dbf');
  if (!dbfName) {
    const dbf = shpName.replace(/\.shp$/i, '.dbf');
    throw new ReadError(
      `${filename}: ${shpName} has no ${dbf} next to it, so its attributes (names, capacities…) are missing. Zip all the layer's files together: .shp, .shx, .dbf, .prj and .cpg.`,
      note('read_shp_no_dbf', { file: filename, shp: shpName, dbf }),
    );
  }
  const prjName = sibling('prj');
  const cpgName = sibling('cpg');
  let crs: Crs | undefined;
  if (prjName) {
    try {
      crs = crsFromPrj(decode(files.get(prjName)!).text);
    } catch (err) {
      throw new ReadError(`${filename}: ${prjName}: ${(err as Error).message}`, note('read_shp_prj', { file: filename, prj: prjName }));
    }
  }
  const cpg = cpgName ? decode(files.get(cpgName)!).text : undefined;
  const dbf = readDbf(files.get(dbfName)!, `${filename}: ${dbfName}`, cpg);

  const shp = files.get(shpName)!;
  const view = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
  if (shp.length < 100 || view.getInt32(0, false) !== 9994) throw new ReadError(`${filename}: ${shpName} is not a shapefile (its header is missing or wrong). Export the layer again.`, note('read_shp_header', { file: filename, shp: shpName }));
  const shapeType = view.getInt32(32, true);
  const records: SourceRecord[] = [];
  let p = 100;
  let index = 0;
  while (p + 8 <= shp.length) {
    const contentBytes = view.getInt32(p + 4, false) * 2;
    const at = p + 8;
    if (contentBytes < 4 || at + contentBytes > shp.length) {
      throw new ReadError(
        `${filename}: ${shpName} is damaged at shape ${index + 1} (byte ${p}): the record runs past the end of the file. Export the layer again.`,
        note('read_shp_damaged', { file: filename, shp: shpName, shape: index + 1 }),
      );
    }
    p = at + contentBytes;
    const values = dbf.records[index];
    index++;
    if (values === null) continue; // deleted in the .dbf
    const rec: SourceRecord = { row: index, values: values ?? {} };
    try {
      const g = shapeOf(view, at, contentBytes);
      if (g) rec.geometry = g;
      else [rec.geometryError, rec.geometryNote] = [`shape ${index} is empty (a null shape in ${shpName})`, note('geometry_shp_null', { shape: index })];
    } catch (err) {
      rec.geometryError = `shape ${index} in ${shpName}: ${(err as Error).message}`;
      rec.geometryNote = note('geometry_shp_unreadable', { shape: index });
    }
    records.push(rec);
  }
  if (index !== dbf.records.length) {
    throw new ReadError(
      `${filename}: ${shpName} has ${index} shapes but ${dbfName} has ${dbf.records.length} rows; the files do not belong together. Export the layer again.`,
      note('read_shp_dbf_mismatch', { file: filename, shp: shpName, shapes: index, dbf: dbfName, rows: dbf.records.length }),
    );
  }
  const prjNote = crs ? `, CRS from ${prjName}` : ', no .prj: coordinates read in the crs of the request';
  return {
    format: 'shapefile',
    columns: dbf.fields.map((f) => f.name),
    records,
    geometryFrom: `shapefile ${shpName} (${TYPES[shapeType] ?? shapeType})${prjNote}`,
    geometryNote: note(crs ? 'import_geometry_shapefile' : 'import_geometry_shapefile_no_prj', { shp: shpName, type: TYPES[shapeType] ?? shapeType, ...(crs && { prj: prjName }) }),
    crs,
    crsFrom: crs ? 'file (.prj)' : undefined,
    encoding: dbf.encoding,
    encodingFrom: dbf.encodingFrom,
  };
}
