/**
 * The coordinate system a file declares in WKT (a shapefile's .prj, as ArcGIS and QGIS/GDAL write
 * it in ESRI WKT; also OGC WKT 1 and WKT 2) → one of the CRS core/geo/crs.ts can convert:
 * WGS84, CGCS2000 geographic, or a CGCS2000 Gauss–Krüger zone EPSG:4491–4554. The zone is found
 * from the parameters (central meridian, false easting with or without the zone prefix), not the
 * name, because Chinese surveying software writes names of its own.
 */
import { gaussKrugerOfEpsg, parseCrs, type Crs } from './crs.js';

interface Node {
  keyword: string;
  args: (string | number | Node)[];
}

function parseWktTree(wkt: string): Node {
  let i = 0;
  const s = wkt.trim();
  const space = (): void => {
    while (i < s.length && /\s/.test(s[i])) i++;
  };
  const node = (): Node => {
    space();
    const kw = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i));
    if (!kw) throw new Error(`expected a WKT keyword at character ${i + 1}`);
    i += kw[0].length;
    space();
    const open = s[i];
    if (open !== '[' && open !== '(') return { keyword: kw[0].toUpperCase(), args: [] };
    const close = open === '[' ? ']' : ')';
    i++;
    const args: Node['args'] = [];
    for (;;) {
      space();
      if (s[i] === '"') {
        const end = s.indexOf('"', i + 1);
        if (end < 0) throw new Error('a quoted name is not closed');
        args.push(s.slice(i + 1, end));
        i = end + 1;
      } else if (/[-+.\d]/.test(s[i] ?? '')) {
        const m = /^[-+]?[\d.]+(?:[eE][-+]?\d+)?/.exec(s.slice(i))!;
        args.push(Number(m[0]));
        i += m[0].length;
      } else args.push(node());
      space();
      if (s[i] === ',') i++;
      else if (s[i] === close) {
        i++;
        return { keyword: kw[0].toUpperCase(), args };
      } else throw new Error(`unexpected "${s[i] ?? 'end of text'}" at character ${i + 1}`);
    }
  };
  const root = node();
  space();
  if (i < s.length) throw new Error(`unexpected text after the WKT at character ${i + 1}`);
  return root;
}

const children = (n: Node, ...kw: string[]): Node[] => n.args.filter((a): a is Node => typeof a === 'object' && kw.includes(a.keyword));
const child = (n: Node, ...kw: string[]): Node | undefined => children(n, ...kw)[0];
const nameOf = (n: Node | undefined): string => (typeof n?.args[0] === 'string' ? n.args[0] : '');
/** Lower case, letters and digits only: "Central_Meridian" and "central meridian" compare equal. */
const key = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

type Datum = 'wgs84' | 'cgcs2000';

/** Datum by name: CGCS2000 as ESRI ("D_China_2000"), EPSG ("China_2000") and local tools write it. */
function datumOf(geog: Node): { datum?: Datum; label: string } {
  const datum = child(geog, 'DATUM', 'GEODETICDATUM', 'TRF');
  const ellipsoid = datum && child(datum, 'SPHEROID', 'ELLIPSOID');
  const names = [nameOf(geog), nameOf(datum), nameOf(ellipsoid)];
  const k = names.map(key);
  const label = `datum ${nameOf(datum) || 'unnamed'}${ellipsoid ? `, ellipsoid ${nameOf(ellipsoid)} ${ellipsoid.args.slice(1, 3).join('/')}` : ''}`;
  if (k.some((n) => /china2000|cgcs2000|chinageodeticcoordinatesystem2000/.test(n))) return { datum: 'cgcs2000', label };
  if (k.some((n) => /^(d|gcs)?wgs(19)?84$|worldgeodeticsystem1984/.test(n))) return { datum: 'wgs84', label };
  return { label };
}

const unsupported = (found: string): Error =>
  new Error(
    `The file's coordinate system is ${found}, which cannot be converted here. In QGIS, export the layer (右键 → 导出 → 要素另存为 / Export → Save Features As…) with CRS "CGCS2000" (EPSG:4490), WGS 84 (EPSG:4326) or a CGCS2000 Gauss–Krüger zone (EPSG:4491–4554), and import the new file; or, if the .prj is wrong, delete it from the zip and pass crs=… with the import.`,
  );

/** Geographic WGS84 and CGCS2000, and the CGCS2000 Gauss–Krüger zones, by EPSG code. */
export function crsFromEpsg(code: number): Crs | undefined {
  if (code === 4326 || code === 4490 || gaussKrugerOfEpsg(code)) return parseCrs(`EPSG:${code}`);
  return undefined;
}

/** The EPSG code of a CGCS2000 Gauss–Krüger grid with these parameters, or undefined. */
function gaussKrugerEpsg(lon0: number, falseEasting: number, threeDegreeName: boolean): number | undefined {
  if (falseEasting === 500000) {
    const six = (lon0 + 3) % 6 === 0 && lon0 >= 75 && lon0 <= 135;
    const three = lon0 % 3 === 0 && lon0 >= 75 && lon0 <= 135;
    // A 6° zone's meridian is also a 3° one; the grids are then identical, so the name only picks the label.
    if (six && !threeDegreeName) return 4502 + (lon0 - 75) / 6;
    if (three) return 4534 + (lon0 - 75) / 3;
    return undefined;
  }
  const zone = Math.floor(falseEasting / 1e6);
  if (falseEasting !== zone * 1e6 + 500000) return undefined;
  if (zone >= 25 && zone <= 45 && lon0 === zone * 3) return 4513 + zone - 25;
  if (zone >= 13 && zone <= 23 && lon0 === zone * 6 - 3) return 4491 + zone - 13;
  return undefined;
}

/**
 * The CRS a WKT text declares. Throws an Error saying which CRS was found and what to do when it
 * is not WGS84, CGCS2000, or a CGCS2000 Gauss–Krüger zone (e.g. Xian 1980, Beijing 1954, Web Mercator, UTM).
 */
export function crsFromPrj(wkt: string): Crs {
  if (wkt.trim() === '') throw new Error('The .prj file is empty: delete it from the zip and pass crs=… with the import, or export the layer again from QGIS/ArcGIS.');
  let root: Node;
  try {
    root = parseWktTree(wkt.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new Error(`The .prj file is not WKT (${(err as Error).message}): "${wkt.slice(0, 60)}…". Export the layer again from QGIS/ArcGIS, or delete the .prj and pass crs=… with the import.`);
  }
  const kw = root.keyword;
  const geographic = ['GEOGCS', 'GEOGCRS', 'GEODCRS', 'GEOGRAPHICCRS', 'GEODETICCRS'];
  if (geographic.includes(kw)) {
    // GCJ-02 has no EPSG code: our exports name it in a WGS 84 definition (server/formats/gpkg.ts GCJ02_WKT).
    if (/GCJ.?02/i.test(nameOf(root))) return parseCrs('gcj02')!;
    const { datum, label } = datumOf(root);
    if (!datum) throw unsupported(`"${nameOf(root)}" (geographic; ${label})`);
    return parseCrs(datum)!;
  }
  if (kw !== 'PROJCS' && kw !== 'PROJCRS' && kw !== 'PROJECTEDCRS') throw unsupported(`a ${kw} ("${nameOf(root)}")`);
  const name = nameOf(root);
  const geog = child(root, 'GEOGCS', 'BASEGEOGCRS', 'BASEGEODCRS');
  const { datum, label } = geog ? datumOf(geog) : { datum: undefined, label: 'no datum given' };
  // WKT 1 has PROJECTION and PARAMETERs at the top; WKT 2 has METHOD and PARAMETERs inside CONVERSION.
  const conv = child(root, 'CONVERSION') ?? root;
  const method = nameOf(child(root, 'PROJECTION') ?? child(conv, 'METHOD', 'PROJECTION'));
  if (!datum) throw unsupported(`"${name}" (projected; ${label})`);
  if (!/^(gausskruger|transversemercator)$/.test(key(method))) throw unsupported(`"${name}" (${method || 'unknown'} projection; ${label})`);
  const params = new Map<string, number>();
  for (const p of children(conv, 'PARAMETER')) if (typeof p.args[1] === 'number') params.set(key(nameOf(p)), p.args[1]);
  const param = (...names: string[]): number | undefined => names.map((n) => params.get(n)).find((v) => v !== undefined);
  const lon0 = param('centralmeridian', 'longitudeofnaturalorigin', 'longitudeoforigin');
  const fe = param('falseeasting');
  const fn = param('falsenorthing') ?? 0;
  const k0 = param('scalefactor', 'scalefactoratnaturalorigin') ?? 1;
  const lat0 = param('latitudeoforigin', 'latitudeofnaturalorigin') ?? 0;
  const unit = child(root, 'UNIT', 'LENGTHUNIT');
  const metres = !unit || unit.args[1] === 1;
  const grid = `"${name}" (Transverse Mercator; ${label}; central meridian ${lon0}, false easting ${fe}, scale ${k0}${metres ? '' : `, unit ${nameOf(unit)}`})`;
  if (datum !== 'cgcs2000' || lon0 === undefined || fe === undefined || fn !== 0 || k0 !== 1 || lat0 !== 0 || !metres) throw unsupported(grid);
  const epsg = gaussKrugerEpsg(lon0, fe, /3.?deg|3度|三度/i.test(name));
  if (epsg === undefined) throw unsupported(`${grid}, not one of the CGCS2000 3° or 6° zones`);
  return crsFromEpsg(epsg)!;
}
