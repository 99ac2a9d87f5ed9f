import fs from 'node:fs';
import type { Geometry, Point, Position } from 'geojson';
import iconv from 'iconv-lite';
import { distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { crsFromEpsg, crsFromPrj } from '../../core/geo/prj.js';
import { readDbf } from '../../server/formats/dbf.js';
import { polygonOf, readShapefile } from '../../server/formats/shapefile.js';
import { MAX_RATIO, unzipEntries, zipEntries } from '../../server/formats/zip.js';
import { ReadError } from '../../server/formats/source.js';

const DIR = 'tests/fixtures/formats/';
const truth = JSON.parse(fs.readFileSync(`${DIR}truth.json`, 'utf8'));
const file = (name: string): Uint8Array => new Uint8Array(fs.readFileSync(DIR + name));
const metres = (a: Position, b: Position): number => distance(a, b, { units: 'meters' });
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const pointOf = (g: Geometry | undefined): [number, number] => (g as Point).coordinates as [number, number];

describe('.prj → CRS', () => {
  const ok: [string, string][] = [
    ['esri-4490.prj', 'cgcs2000'], ['ogc-4490.prj', 'cgcs2000'], ['wkt2-4490.prj', 'cgcs2000'],
    ['esri-4326.prj', 'wgs84'], ['ogc-4326.prj', 'wgs84'],
    // 3° with zone prefix (35500000), by central meridian (500000), in ESRI, OGC and WKT 2 spelling.
    ['esri-4523.prj', 'EPSG:4523'], ['ogc-4523.prj', 'EPSG:4523'], ['wkt2-4523.prj', 'EPSG:4523'], ['handwritten-arcgis-tm-zone35.prj', 'EPSG:4523'],
    ['esri-4544.prj', 'EPSG:4544'], ['esri-4545.prj', 'EPSG:4545'], ['ogc-4545.prj', 'EPSG:4545'], ['esri-4554.prj', 'EPSG:4554'],
    // 6°: zone 13 with prefix, central meridians 75°E and 105°E (the latter also a 3° meridian: the name decides).
    ['esri-4491.prj', 'EPSG:4491'], ['esri-4502.prj', 'EPSG:4502'], ['esri-4508.prj', 'EPSG:4508'],
  ];
  it.each(ok)('%s → %s', (name, crs) => {
    expect(crsFromPrj(fs.readFileSync(`${DIR}prj/${name}`, 'utf8')).name).toBe(crs);
  });

  it('the grid found converts like the EPSG code it names (zone 35 prefix vs central meridian 105°E)', () => {
    const prefixed = crsFromPrj(fs.readFileSync(`${DIR}prj/esri-4523.prj`, 'utf8'));
    const plain = crsFromPrj(fs.readFileSync(`${DIR}prj/esri-4544.prj`, 'utf8'));
    const [x, y] = prefixed.fromWgs84([106.5745, 29.606]);
    expect(Math.floor(x / 1e6)).toBe(35);
    const [px, py] = plain.fromWgs84([106.5745, 29.606]);
    expect(px).toBeCloseTo(x - 35e6, 6);
    expect(py).toBe(y);
  });

  const refused: [string, RegExp][] = [
    ['esri-2383.prj', /Xian_1980_3_Degree_GK_CM_114E/],
    ['esri-2435.prj', /"Beijing_1954_3_Degree_GK_CM_114E" \(projected; datum D_Beijing_1954, ellipsoid Krasovsky_1940/],
    ['esri-4610.prj', /"GCS_Xian_1980" \(geographic; datum D_Xian_1980, ellipsoid Xian_1980 6378140\/298\.257\)/],
    ['esri-3857.prj', /Web_Mercator.*Mercator_Auxiliary_Sphere projection/],
    ['esri-32648.prj', /WGS_1984_UTM_Zone_48N.*scale 0\.9996/],
    ['handwritten-wrong-prefix.prj', /central meridian 105, false easting 36500000.*not one of the CGCS2000 3° or 6° zones/],
  ];
  it.each(refused)('%s is refused naming the CRS and saying what to do', (name, found) => {
    const run = (): unknown => crsFromPrj(fs.readFileSync(`${DIR}prj/${name}`, 'utf8'));
    expect(run).toThrow(found);
    expect(run).toThrow(/QGIS.*EPSG:4490.*crs=/s);
  });

  it('says so when the .prj is empty or not WKT', () => {
    expect(() => crsFromPrj('  \n')).toThrow(/empty/);
    expect(() => crsFromPrj('+proj=tmerc +lon_0=105')).toThrow(/not WKT/);
    expect(() => crsFromPrj('GEOGCS["x",DATUM["D_China_2000"')).toThrow(/not WKT/);
  });

  it('crsFromEpsg knows 4326, 4490 and the Gauss–Krüger codes only', () => {
    expect(crsFromEpsg(4326)?.name).toBe('wgs84');
    expect(crsFromEpsg(4490)?.name).toBe('cgcs2000');
    expect(crsFromEpsg(4513)?.name).toBe('EPSG:4513');
    expect(crsFromEpsg(3857)).toBeUndefined();
    expect(crsFromEpsg(4555)).toBeUndefined();
  });
});

/** A zip's bytes with one stretch replaced (same length), e.g. to change an entry name or size in place. */
function patch(bytes: Uint8Array, at: number, data: number[]): Uint8Array {
  const out = bytes.slice();
  out.set(data, at);
  return out;
}
const centralDirectory = (z: Uint8Array): number => new DataView(z.buffer, z.byteOffset).getUint32(z.length - 22 + 16, true);
const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];

describe('zip', () => {
  it('round-trips names (UTF-8 flagged) and contents', () => {
    const files = { '数据/避难场所.shp': enc('shp'), 'a.txt': new Uint8Array(5000).fill(65) };
    const back = unzipEntries(zipEntries(files), 'x.zip');
    expect(Object.fromEntries(back)).toEqual(files);
  });

  it('reads GBK entry names written without the UTF-8 flag (zips made on Chinese Windows)', () => {
    const gbk = [...iconv.encode('避难.txt', 'gbk')];
    const z = zipEntries({ 'xxxx.txt': enc('hi') });
    expect(z[6] & 0x800 ? 1 : 0).toBe(0);
    const cd = centralDirectory(z);
    const fixed = patch(patch(z, 30, gbk), cd + 46, gbk);
    expect([...unzipEntries(fixed, 'x.zip').keys()]).toEqual(['避难.txt']);
  });

  it.each(['../../etc/passwd', '/etc/passwd', 'C:/Windows/evil.dll', '..\\..\\evil.bat', 'layers/../../evil'])('refuses the entry name %s', (name) => {
    const run = (): unknown => unzipEntries(zipEntries({ 'ok.txt': enc('x'), [name]: enc('evil') }), 'up.zip');
    expect(run).toThrow(ReadError);
    expect(run).toThrow(`up.zip holds an entry named "${name}"`);
  });

  it('refuses the traversal fixture as a whole, not only the bad entry', () => {
    expect(() => readShapefile(file('traversal.zip'), 'traversal.zip')).toThrow(/"\.\.\/\.\.\/etc\/passwd", which climbs out of the archive/);
  });

  it('refuses zip bombs by ratio and by total size before inflating them', () => {
    const zeros = zipEntries({ 'big.dbf': new Uint8Array(4 * 1024 * 1024) });
    expect(() => unzipEntries(zeros, 'b.zip')).toThrow(new RegExp(`would expand \\d+ times.*more than the ${MAX_RATIO}×`));
    // A central directory that claims 600 MB for a small entry.
    const z = zipEntries({ 'a.shp': enc('x'.repeat(100)) });
    const lying = patch(z, centralDirectory(z) + 24, u32(600 * 1024 * 1024));
    expect(() => unzipEntries(lying, 'b.zip')).toThrow(/unpacks to more than 500 MB/);
  });

  it('refuses damaged zips with a clear message', () => {
    const z = zipEntries({ 'a.shp': new Uint8Array(2000).map((_, i) => (i * 7919) % 251) });
    expect(() => unzipEntries(z.subarray(0, z.length - 30), 'cut.zip')).toThrow(/cut\.zip is not a readable zip \(no end-of-archive record/);
    expect(() => unzipEntries(enc('名称,经度,纬度\n'), 'csv.zip')).toThrow(/not a readable zip/);
    const flipped = patch(z, 60, [z[60] ^ 0xff]);
    expect(() => unzipEntries(flipped, 'bad.zip')).toThrow(/bad\.zip is not a readable zip \(the entry "a\.shp" (fails its checksum|cannot be decompressed)/);
    // A size that lies low: the data no longer fits and the checksum fails.
    const short = patch(z, centralDirectory(z) + 24, u32(1000));
    expect(() => unzipEntries(short, 'short.zip')).toThrow(/fails its checksum/);
    const encrypted = patch(z, centralDirectory(z) + 8, [1, 0]);
    expect(() => unzipEntries(encrypted, 'pw.zip')).toThrow(/encrypted/);
  });
});

/** A dBASE III table written byte by byte: fields [name, type, length, decimals]. */
function dbf(ldid: number, fields: [string, string, number, number][], rows: { deleted?: boolean; cells: string[] }[], encoding = 'gbk'): Uint8Array {
  const recordLength = 1 + fields.reduce((s, f) => s + f[2], 0);
  const headerLength = 32 + 32 * fields.length + 1;
  const out = new Uint8Array(headerLength + rows.length * recordLength + 1).fill(0x20, headerLength);
  const v = new DataView(out.buffer);
  out[0] = 3;
  v.setUint32(4, rows.length, true);
  v.setUint16(8, headerLength, true);
  v.setUint16(10, recordLength, true);
  out[29] = ldid;
  fields.forEach(([name, type, len, dec], i) => {
    out.fill(0, 32 + 32 * i, 64 + 32 * i);
    out.set(iconv.encode(name, encoding).subarray(0, 10), 32 + 32 * i);
    out[32 + 32 * i + 11] = type.charCodeAt(0);
    out[32 + 32 * i + 16] = len;
    out[32 + 32 * i + 17] = dec;
  });
  out[headerLength - 1] = 0x0d;
  rows.forEach((r, k) => {
    let p = headerLength + k * recordLength;
    out[p++] = r.deleted ? 0x2a : 0x20;
    r.cells.forEach((c, j) => {
      out.set(iconv.encode(c, encoding).subarray(0, fields[j][2]), p);
      p += fields[j][2];
    });
  });
  out[out.length - 1] = 0x1a;
  return out;
}

describe('dBASE', () => {
  const FIELDS: [string, string, number, number][] = [['名称', 'C', 20, 0], ['人数', 'N', 8, 0], ['面积', 'F', 12, 3], ['开放', 'L', 1, 0], ['日期', 'D', 8, 0]];
  const ROWS = [
    { cells: ['堃元广场', '    1200', '    3500.500', 'T', '20190501'] },
    { deleted: true, cells: ['已删除', '1', '1', 'F', '20000101'] },
    { cells: ['犇牛', '        ', '************', '?', '        '] },
    { cells: ['', '      -5', '       0.250', 'n', '00000000'] },
  ];

  it('reads C/N/F/L/D fields, skips deleted records, and takes blanks and overflow as no value', () => {
    const t = readDbf(dbf(0x4d, FIELDS, ROWS), 't.dbf');
    expect(t.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['名称:C', '人数:N', '面积:F', '开放:L', '日期:D']);
    expect(t.records).toEqual([
      { 名称: '堃元广场', 人数: 1200, 面积: 3500.5, 开放: true, 日期: '2019-05-01' },
      null,
      { 名称: '犇牛', 人数: null, 面积: null, 开放: null, 日期: null },
      { 名称: null, 人数: -5, 面积: 0.25, 开放: false, 日期: null },
    ]);
    expect(t).toMatchObject({ encoding: 'gb18030', encodingFrom: 'language driver 0x4D' });
  });

  it('takes the encoding from the .cpg first, then the language driver, else from the bytes', () => {
    const gbk = dbf(0x57, FIELDS.slice(0, 1), [{ cells: ['鎏金湖公园'] }]);
    expect(readDbf(gbk, 't.dbf', 'GBK')).toMatchObject({ encoding: 'gb18030', encodingFrom: '.cpg "GBK"', records: [{ 名称: '鎏金湖公园' }] });
    expect(readDbf(gbk, 't.dbf', '936\r\n')).toMatchObject({ encodingFrom: '.cpg "936"', records: [{ 名称: '鎏金湖公园' }] });
    // 0x57 means "the writer's ANSI code page", which says nothing: detected as GB18030.
    expect(readDbf(gbk, 't.dbf')).toMatchObject({ encoding: 'gb18030', encodingFrom: 'detected', records: [{ 名称: '鎏金湖公园' }] });
    const utf8 = dbf(0, FIELDS.slice(0, 1), [{ cells: ['𠮷祥'] }], 'utf-8');
    expect(readDbf(utf8, 't.dbf')).toMatchObject({ encoding: 'utf-8', encodingFrom: 'detected', records: [{ 名称: '𠮷祥' }] });
    expect(readDbf(utf8, 't.dbf', 'UTF-8')).toMatchObject({ encoding: 'utf-8', records: [{ 名称: '𠮷祥' }] });
    // A GBK language driver on UTF-8 text (a writer that got it wrong) is overruled by the bytes.
    expect(readDbf(dbf(0x4d, FIELDS.slice(0, 1), [{ cells: ['应急避难场所'] }], 'utf-8'), 't.dbf')).toMatchObject({ encoding: 'utf-8', records: [{ 名称: '应急避难场所' }] });
    expect(readDbf(gbk, 't.dbf', 'no-such-codepage')).toMatchObject({ encodingFrom: 'detected (.cpg "no-such-codepage" not understood)', records: [{ 名称: '鎏金湖公园' }] });
  });

  it('reads a UTF-8 field name cut mid-character at 10 bytes (as GDAL writes "道路名称") without spoiling detection', () => {
    const t = readDbf(dbf(0, [['道路名称', 'C', 20, 0], ['车速', 'N', 4, 0]], [{ cells: ['北滨路', '  60'] }], 'utf-8'), 'roads.dbf');
    expect(t).toMatchObject({ encoding: 'utf-8', encodingFrom: 'detected', records: [{ 道路名: '北滨路', 车速: 60 }] });
    // GBK names are left whole: 4 Chinese characters fit in 8 bytes.
    expect(readDbf(dbf(0, [['道路名称', 'C', 20, 0]], [{ cells: ['北滨路'] }]), 'roads.dbf').records).toEqual([{ 道路名称: '北滨路' }]);
  });

  it('refuses a damaged header', () => {
    expect(() => readDbf(new Uint8Array(10), 'x.dbf')).toThrow(/x\.dbf is too short/);
    const bad = dbf(0, FIELDS, ROWS);
    new DataView(bad.buffer).setUint16(10, 5, true);
    expect(() => readDbf(bad, 'x.dbf')).toThrow(/the fields take 50 bytes but a record is 5/);
  });
});

describe('shapefile reader', () => {
  it('reads zone-35 (prefixed) points in GB18030 from two folders deep, within 1 m of truth, 生僻字 intact', () => {
    const src = readShapefile(file('shelters-gk35-gb18030.zip'), 'shelters.zip');
    expect(src).toMatchObject({ format: 'shapefile', encoding: 'gb18030', encodingFrom: '.cpg "GB18030"', crsFrom: 'file (.prj)' });
    expect(src.crs?.name).toBe('EPSG:4523');
    expect(src.geometryFrom).toBe('shapefile 应急数据/避难场所/shelters.shp (Point), CRS from 应急数据/避难场所/shelters.prj');
    expect(src.columns).toEqual(['编号', '名称', '类别', '容纳人数', '面积', '建成日期']);
    expect(src.records).toHaveLength(truth.shelters.length);
    src.records.forEach((r, i) => {
      const t = truth.shelters[i];
      expect(r.row).toBe(i + 1);
      expect(r.values).toEqual({ 编号: t.id, 名称: t.name, 类别: t.class, 容纳人数: t.capacity, 面积: t.area, 建成日期: t.built });
      const [x] = pointOf(r.geometry);
      expect(Math.floor(x / 1e6)).toBe(35);
      expect(metres(src.crs!.toWgs84(pointOf(r.geometry)), [t.lon, t.lat])).toBeLessThan(1);
    });
    expect(src.records[0].values.名称).toBe('𠮷祥公园避难场所');
  });

  it('reads GBK named only by the language driver byte, central meridian 105°E without prefix', () => {
    const src = readShapefile(file('shelters-gk105-gbk-ldid.zip'), 'gbk.zip');
    expect(src).toMatchObject({ encoding: 'gb18030', encodingFrom: 'language driver 0x4D' });
    expect(src.crs?.name).toBe('EPSG:4544');
    src.records.forEach((r, i) => {
      const t = truth.shelters[i + 1];
      expect(r.values.名称).toBe(t.name);
      expect(metres(src.crs!.toWgs84(pointOf(r.geometry)), [t.lon, t.lat])).toBeLessThan(1);
    });
  });

  it('reads PolyLineZ roads as 2-D lines and multi-lines, detects UTF-8 without a .cpg, and reports the null shape', () => {
    const src = readShapefile(file('roads-gk108-utf8-nocpg.zip'), 'roads.zip');
    expect(src).toMatchObject({ encoding: 'utf-8', encodingFrom: 'detected' });
    expect(src.crs?.name).toBe('EPSG:4545');
    expect(src.geometryFrom).toMatch(/\(PolyLineZ\)/);
    expect(src.records.map((r) => r.geometry?.type ?? r.geometryError)).toEqual(['LineString', 'MultiLineString', 'shape 3 is empty (a null shape in roads/roads.shp)']);
    expect(src.records.map((r) => r.values.名称)).toEqual(truth.roads.map((r: { name: string }) => r.name));
    const lines = (g: any): Position[][] => (g.type === 'LineString' ? [g.coordinates] : g.coordinates);
    src.records.slice(0, 2).forEach((r, i) => {
      const got = lines(r.geometry);
      expect(got.map((l) => l.length)).toEqual(truth.roads[i].coords.map((l: Position[]) => l.length));
      got.flat().forEach((p, k) => {
        expect(p).toHaveLength(2);
        const t = truth.roads[i].coords.flat()[k];
        expect(metres(src.crs!.toWgs84(p as [number, number]), [t[0], t[1]])).toBeLessThan(1);
      });
    });
  });

  it('reads a polygon with a hole and a two-part polygon in CGCS2000 degrees, rings as RFC 7946 orders them', () => {
    const src = readShapefile(file('towns-cgcs2000-cp936.zip'), 'towns.zip');
    expect(src.crs?.name).toBe('cgcs2000');
    expect(src.encodingFrom).toBe('.cpg "936"');
    expect(src.records.map((r) => r.values)).toEqual(truth.towns.map((t: { name: string; code: string }) => ({ 名称: t.name, 代码: t.code })));
    expect(src.records[0].geometry).toEqual({ type: 'Polygon', coordinates: truth.towns[0].polygons[0] });
    expect(src.records[1].geometry).toEqual({ type: 'MultiPolygon', coordinates: truth.towns[1].polygons });
  });

  it('skips records deleted in the .dbf and keeps the row numbers of the rest', () => {
    const files = unzipEntries(file('towns-cgcs2000-cp936.zip'), 't');
    const table = files.get('towns.dbf')!;
    table[new DataView(table.buffer, table.byteOffset).getUint16(8, true)] = 0x2a;
    const src = readShapefile(zipEntries(Object.fromEntries(files)), 'towns.zip');
    expect(src.records.map((r) => [r.row, r.values.名称])).toEqual([[2, '飞地街道']]);
  });

  it('assigns holes by containment and falls back to nesting when all rings run one way', () => {
    const square = (x: number, y: number, s: number, cw: boolean): Position[] => {
      const r = [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
      return cw ? r.reverse() : r;
    };
    // Two clockwise outers; the counter-clockwise hole lies in the second.
    expect(polygonOf([square(0, 0, 1, true), square(10, 0, 5, true), square(11, 1, 1, false)])).toEqual({
      type: 'MultiPolygon',
      coordinates: [[square(0, 0, 1, false)], [square(10, 0, 5, false), square(11, 1, 1, true)]],
    });
    // Every ring counter-clockwise (a writer that ignored the rule): the inner one is still a hole.
    expect(polygonOf([square(0, 0, 10, false), square(2, 2, 2, false)])).toEqual({ type: 'Polygon', coordinates: [square(0, 0, 10, false), square(2, 2, 2, true)] });
  });

  it('refuses zips that are not one whole shapefile, naming what is wrong', () => {
    expect(() => readShapefile(file('no-dbf.zip'), 'no-dbf.zip')).toThrow(/no-dbf\.zip: shelters\.shp has no shelters\.dbf next to it/);
    expect(() => readShapefile(file('two-layers.zip'), 'two.zip')).toThrow('two.zip holds 2 shapefiles (a/shelters.shp, b/roads.shp)');
    expect(() => readShapefile(file('xian80.zip'), 'xian80.zip')).toThrow(/xian80\.zip: shelters\.prj: .*"Xian_1980_3_Degree_GK_CM_114E"/);
    expect(() => readShapefile(zipEntries({ 'readme.txt': enc('hi') }), 'r.zip')).toThrow("r.zip holds no .shp file (it has: readme.txt). A shapefile zip needs the layer's .shp");
    expect(() => readShapefile(zipEntries({ 'data/避难场所.gpkg': enc('x') }), 'g.zip')).toThrow('Unzip it and import data/避难场所.gpkg itself.');
  });

  it('refuses a .shp cut short, and reports a shape type it cannot read on its record', () => {
    const files = unzipEntries(file('towns-cgcs2000-cp936.zip'), 't');
    const shp = files.get('towns.shp')!;
    files.set('towns.shp', shp.subarray(0, shp.length - 10));
    expect(() => readShapefile(zipEntries(Object.fromEntries(files)), 'cut.zip')).toThrow(/cut\.zip: towns\.shp is damaged at shape 2 \(byte \d+\): the record runs past the end/);
    const patch = shp.slice();
    patch[108] = 31; // first record's shape type → MultiPatch
    files.set('towns.shp', patch);
    const src = readShapefile(zipEntries(Object.fromEntries(files)), 'mp.zip');
    expect(src.records.map((r) => r.geometryError ?? r.geometry?.type)).toEqual(['shape 1 in towns.shp: shape type MultiPatch is not supported (only points, lines and polygons)', 'MultiPolygon']);
  });

  it('without a .prj leaves the CRS to the request and says so', () => {
    const files = unzipEntries(file('towns-cgcs2000-cp936.zip'), 't');
    files.delete('towns.prj');
    const src = readShapefile(zipEntries(Object.fromEntries(files)), 'towns.zip');
    expect(src.crs).toBeUndefined();
    expect(src.crsFrom).toBeUndefined();
    expect(src.geometryFrom).toMatch(/no \.prj: coordinates read in the crs of the request/);
  });

  it('refuses a .shp and .dbf that do not belong together', () => {
    const files = unzipEntries(file('towns-cgcs2000-cp936.zip'), 't');
    const roads = unzipEntries(file('roads-gk108-utf8-nocpg.zip'), 'r');
    files.set('towns.dbf', roads.get('roads/roads.dbf')!);
    expect(() => readShapefile(zipEntries(Object.fromEntries(files)), 'mixed.zip')).toThrow(/towns\.shp has 2 shapes but towns\.dbf has 3 rows/);
    files.set('towns.shp', roads.get('roads/roads.shp')!);
    files.set('towns.dbf', unzipEntries(file('towns-cgcs2000-cp936.zip'), 't').get('towns.dbf')!);
    expect(() => readShapefile(zipEntries(Object.fromEntries(files)), 'mixed.zip')).toThrow(/towns\.shp has 3 shapes but towns\.dbf has 2 rows/);
  });
});
