import fs from 'node:fs';
import { distance } from '@turf/turf';
import initSqlJs from 'sql.js';
import type { Geometry } from 'geojson';
import { describe, expect, it } from 'vitest';
import { fieldsFor, findLayer } from '../../core/catalogue/index.js';
import { mapPositions, parseCrs } from '../../core/geo/crs.js';
import { decodeWkb, encodeWkb, WkbError } from '../../core/geo/wkb.js';
import { writeCsv } from '../../server/formats/csv.js';
import { writeGeojson } from '../../server/formats/geojson.js';
import { decodeGpkgGeometry, encodeGpkgGeometry, GCJ02_SRS_ID, readGpkg, writeGpkg } from '../../server/formats/gpkg.js';
import { readKml, readKmz, writeKml } from '../../server/formats/kml.js';
import { catalogueColumns, inferColumns, toExportCrs, type ExportCrs, type ExportData, type ExportFeature } from '../../server/formats/table.js';
import { zipEntries } from '../../server/formats/zip.js';
import { decode } from '../../server/import/decode.js';
import { ReadError } from '../../server/formats/source.js';
import { readSource } from '../../server/import/read.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

describe('WKB against PostGIS fixtures', () => {
  const dir = 'tests/fixtures/wkb/';
  const cases = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => [f, JSON.parse(fs.readFileSync(dir + f, 'utf8'))] as const);

  it.each(cases)('%s reads in both byte orders and as EWKB', (_name, fx) => {
    expect(decodeWkb(unhex(fx.wkbLE))).toEqual(fx.geojson);
    expect(decodeWkb(unhex(fx.wkbBE))).toEqual(fx.geojson);
    expect(decodeWkb(unhex(fx.ewkbLE))).toEqual(fx.geojson);
  });

  it.each(cases.filter(([, fx]) => !/ [ZM]+\(/.test(fx.wkt)))('%s writes the bytes PostGIS writes', (_name, fx) => {
    expect(hex(encodeWkb(fx.geojson))).toBe(fx.wkbLE);
  });

  it('refuses truncated and unknown WKB with a reason', () => {
    const point = JSON.parse(fs.readFileSync(dir + 'point.json', 'utf8')).wkbLE as string;
    expect(() => decodeWkb(unhex(point.slice(0, 30)))).toThrow(/ends early/);
    expect(() => decodeWkb(unhex('0109000000'))).toThrow(WkbError);
    expect(() => decodeWkb(unhex('0701000000'))).toThrow(/byte-order/);
  });
});

describe('GeoPackage geometry header', () => {
  it('writes "GP", little-endian flags, the srs_id and an envelope for non-points', () => {
    const poly: Geometry = { type: 'Polygon', coordinates: [[[106, 29], [107, 29], [107, 30.5], [106, 29]]] };
    const blob = encodeGpkgGeometry(poly, 4490);
    expect([...blob.subarray(0, 4)]).toEqual([0x47, 0x50, 0, 0b011]);
    const view = new DataView(blob.buffer);
    expect(view.getInt32(4, true)).toBe(4490);
    expect([0, 1, 2, 3].map((i) => view.getFloat64(8 + 8 * i, true))).toEqual([106, 107, 29, 30.5]);
    expect(hex(blob.subarray(40))).toBe(hex(encodeWkb(poly)));
    expect(decodeGpkgGeometry(blob)).toEqual({ geometry: poly, empty: false, srsId: 4490 });

    const point = encodeGpkgGeometry({ type: 'Point', coordinates: [106.5, 29.5] }, 4326);
    expect(point[3]).toBe(1);
    expect(point.length).toBe(8 + 21);
  });

  it('marks empty geometries and reads big-endian headers with any envelope', () => {
    const empty = encodeGpkgGeometry({ type: 'Point', coordinates: [] }, 4326);
    expect(empty[3] & 0x10).toBe(0x10);
    expect(decodeGpkgGeometry(empty)).toMatchObject({ empty: true, geometry: undefined });

    // Big-endian header, XYZ envelope (code 2, 48 bytes), WKB after it.
    const wkb = encodeWkb({ type: 'LineString', coordinates: [[1, 2], [3, 4]] });
    const blob = new Uint8Array(8 + 48 + wkb.length);
    blob.set([0x47, 0x50, 0, 2 << 1]);
    new DataView(blob.buffer).setInt32(4, 4490, false);
    blob.set(wkb, 56);
    expect(decodeGpkgGeometry(blob)).toEqual({ geometry: { type: 'LineString', coordinates: [[1, 2], [3, 4]] }, empty: false, srsId: 4490 });
    expect(() => decodeGpkgGeometry(wkb)).toThrow(/"GP"/);
  });
});

const shelters = findLayer('shelters')!;
const depots = findLayer('depots')!;

const SHELTERS: ExportFeature[] = [
  {
    type: 'Feature',
    id: 'jb-1',
    geometry: { type: 'Point', coordinates: [106.5703, 29.5725] },
    properties: { name: '江北嘴中央公园避难场所', class: 'central', area_m2: 45000.5, capacity: 20000, hazards: ['earthquake', 'flood'], status: 'open', phone: '023-6789 0000', source: 'demo: test' },
  },
  {
    type: 'Feature',
    id: 'jb-2',
    geometry: { type: 'Point', coordinates: [106.5236, 29.6081] },
    properties: { name: '=HYPERLINK("x") "广场", 北区', class: 'emergency', capacity: 800, source: 'demo: test' },
  },
];

const data = (features: ExportFeature[], crs: ExportCrs = 'wgs84', role: 'public' | 'commander' = 'commander'): ExportData => ({
  name: 'shelters',
  title: shelters.name.zh,
  crs,
  columns: catalogueColumns(fieldsFor(shelters, role)),
  features: toExportCrs(features, crs),
});

const metres = (a: number[], b: number[]): number => distance(a as [number, number], b as [number, number], { units: 'meters' });

describe('writers read back by our readers', () => {
  it('GeoPackage: geometry, typed values, enum codes with labels, lists with ";"', async () => {
    const bytes = await writeGpkg(data(SHELTERS));
    expect(new TextDecoder().decode(bytes.subarray(0, 15))).toBe('SQLite format 3');
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(68)).toBe(0x47504b47); // application_id 'GPKG'
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(60)).toBe(10200); // user_version 1.2
    const src = await readGpkg(bytes, 'shelters.gpkg');
    expect(src.format).toBe('gpkg');
    expect(src.crs?.name).toBe('wgs84');
    expect(src.records.map((r) => r.id)).toEqual(['jb-1', 'jb-2']);
    expect(src.records[0].geometry).toEqual(SHELTERS[0].geometry);
    expect(src.records[0].values).toMatchObject({ name: '江北嘴中央公园避难场所', class: 'central', class_名称: '中心避难场所', area_m2: 45000.5, capacity: 20000, hazards: 'earthquake;flood', hazards_名称: '地震、洪涝', phone: '023-6789 0000' });
    // Text is stored as it is in a GeoPackage: no spreadsheet formula guard there.
    expect(src.records[1].values.name).toBe(SHELTERS[1].properties!.name);
    expect(src.records[1].values.area_m2).toBeNull();
  });

  it('GeoPackage: extent and geometry type in the metadata tables; mixed single and multi parts are promoted', async () => {
    const SQL = await initSqlJs();
    const mixed: ExportFeature[] = [
      { type: 'Feature', geometry: { type: 'LineString', coordinates: [[106, 29], [106.5, 29.5]] }, properties: { n: 1 } },
      { type: 'Feature', geometry: { type: 'MultiLineString', coordinates: [[[107, 30], [107.2, 30.1]]] }, properties: { n: 2.5 } },
      { type: 'Feature', geometry: null, properties: { n: null } },
    ];
    const bytes = await writeGpkg({ name: 'routes', title: '路线', crs: 'wgs84', columns: inferColumns(mixed), features: mixed });
    const db = new SQL.Database(bytes);
    const [contents] = db.exec("SELECT min_x, min_y, max_x, max_y, srs_id FROM gpkg_contents WHERE table_name = 'routes'");
    expect(contents.values[0]).toEqual([106, 29, 107.2, 30.1, 4326]);
    expect(db.exec('SELECT geometry_type_name FROM gpkg_geometry_columns')[0].values[0][0]).toBe('MULTILINESTRING');
    expect(db.exec("SELECT type FROM pragma_table_info('routes') WHERE name = 'n'")[0].values[0][0]).toBe('REAL');
    db.close();
    const src = await readGpkg(bytes, 'routes.gpkg');
    expect(src.records[0].geometry).toEqual({ type: 'MultiLineString', coordinates: [[[106, 29], [106.5, 29.5]]] });
    expect(src.records[2].geometryError).toMatch(/NULL/);
  });

  it('an empty export still has the layer geometry type and all columns', async () => {
    const empty = { ...data([]), geometry: 'Point' as const };
    const SQL = await initSqlJs();
    const db = new SQL.Database(await writeGpkg(empty));
    expect(db.exec('SELECT geometry_type_name FROM gpkg_geometry_columns')[0].values[0][0]).toBe('POINT');
    expect(db.exec("SELECT min_x FROM gpkg_contents")[0].values[0][0]).toBeNull();
    db.close();
    const text = decode(writeCsv(empty)).text;
    expect(text).toBe(`${empty.columns.map((c) => c.name).join(',')},lon(WGS84),lat(WGS84)\r\n`);
  });

  it('KML: names, SchemaData values, Multi* geometries', () => {
    const multi: ExportFeature = {
      type: 'Feature',
      id: 'm',
      geometry: { type: 'MultiPolygon', coordinates: [[[[106, 29], [106.1, 29], [106.1, 29.1], [106, 29]], [[106.02, 29.02], [106.05, 29.02], [106.05, 29.05], [106.02, 29.02]]], [[[107, 30], [107.1, 30], [107.1, 30.1], [107, 30]]]] },
      properties: { name: '两片 & <区域>' },
    };
    const text = new TextDecoder().decode(writeKml(data([...SHELTERS, multi])));
    expect(text).toContain('<SimpleField type="int" name="capacity">');
    expect(text).toContain('&amp; &lt;区域&gt;');
    const src = readKml(new TextEncoder().encode(text), 'shelters.kml');
    expect(src.crs.name).toBe('wgs84');
    expect(src.records.map((r) => r.id)).toEqual(['jb-1', 'jb-2', 'm']);
    expect(src.records[0].values).toMatchObject({ name: '江北嘴中央公园避难场所', class: 'central', class_名称: '中心避难场所', capacity: 20000, hazards: 'earthquake;flood' });
    expect(src.records[0].geometry).toEqual(SHELTERS[0].geometry);
    expect(src.records[2].geometry).toEqual(multi.geometry);
    expect(src.records[2].values.name).toBe('两片 & <区域>');
  });

  it('CSV: BOM, CRS in the coordinate headers, code and label columns, formula guard, re-readable by the CSV importer', () => {
    const bytes = writeCsv(data(SHELTERS));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const { text, encoding } = decode(bytes);
    expect(encoding).toBe('utf-8-bom');
    const header = text.split('\r\n')[0].split(',');
    expect(header.slice(0, 2)).toEqual(['id', 'name']);
    expect(header).toContain('class_名称');
    expect(header.slice(-2)).toEqual(['lon(WGS84)', 'lat(WGS84)']);
    expect(text).toContain(`"'=HYPERLINK(""x"") ""广场"", 北区"`);
    const src = readSource(text, 'csv');
    expect(src.records.map((r) => r.id)).toEqual(['jb-1', 'jb-2']);
    expect(src.records[0].geometry).toEqual(SHELTERS[0].geometry);
    expect(src.records[0].values).toMatchObject({ class: 'central', class_名称: '中心避难场所', hazards: 'earthquake;flood', hazards_名称: '地震、洪涝', capacity: '20000' });
  });

  it('CSV: WKT for lines and polygons; inventories as readable text', () => {
    const depot: ExportFeature = {
      type: 'Feature',
      id: 'd1',
      geometry: { type: 'Polygon', coordinates: [[[106, 29], [106.1, 29], [106.1, 29.1], [106, 29]]] },
      properties: { name: '区县级储备库', inventory: [{ item: depots.fields.find((f) => f.name === 'inventory')!.options![0].value, quantity: 200 }] },
    };
    const opt = depots.fields.find((f) => f.name === 'inventory')!.options![0];
    const text = decode(writeCsv({ name: 'depots', title: '储备库', crs: 'wgs84', columns: catalogueColumns(fieldsFor(depots, 'admin')), features: [depot] })).text;
    expect(text.split('\r\n')[0].endsWith(',wkt(WGS84)')).toBe(true);
    expect(text).toContain(`${opt.zh} 200${opt.unit ? ` ${opt.unit.zh}` : ''}`);
    const src = readSource(text, 'csv');
    expect(src.records[0].geometry).toEqual(depot.geometry);
  });

  it('GeoJSON: properties as stored, and the CRS as a foreign member', () => {
    const doc = JSON.parse(new TextDecoder().decode(writeGeojson(data(SHELTERS, 'gcj02'), { analysis: 'fire' })));
    expect(doc).toMatchObject({ type: 'FeatureCollection', analysis: 'fire', coordinateSystem: { name: 'GCJ-02' } });
    expect(doc.features[0].properties.hazards).toEqual(['earthquake', 'flood']);
    const src = readSource(JSON.stringify(doc), 'geojson');
    expect(src.records[0].id).toBe('jb-1');
  });

  it('public columns leave internal fields out', async () => {
    const text = decode(writeCsv(data(SHELTERS, 'wgs84', 'public'))).text;
    expect(text).not.toContain('phone');
    expect(text).not.toContain('023-6789');
    const src = await readGpkg(await writeGpkg(data(SHELTERS, 'wgs84', 'public')), 'p.gpkg');
    expect(src.columns).not.toContain('phone');
    expect(src.columns).not.toContain('manager');
  });
});

describe('GCJ-02 exports', () => {
  it.each(['gpkg', 'kml', 'csv'] as const)('%s: offset 100–700 m, says GCJ-02, and imports back with crs=gcj02 within 2 m', async (format) => {
    const out = data(SHELTERS, 'gcj02');
    for (const [i, f] of out.features.entries()) {
      const d = metres((f.geometry as { coordinates: number[] }).coordinates, (SHELTERS[i].geometry as { coordinates: number[] }).coordinates);
      expect(d).toBeGreaterThan(100);
      expect(d).toBeLessThan(700);
    }
    let records;
    if (format === 'gpkg') {
      const src = await readGpkg(await writeGpkg(out), 'x-gcj02.gpkg');
      expect(src.crs?.name).toBe('gcj02');
      records = src.records;
      const SQL = await initSqlJs();
      const db = new SQL.Database(await writeGpkg(out));
      const [srs] = db.exec(`SELECT srs_name, organization, description FROM gpkg_spatial_ref_sys WHERE srs_id = ${GCJ02_SRS_ID}`);
      expect(srs.values[0][0]).toBe('GCJ-02');
      expect(String(srs.values[0][2])).toMatch(/not an EPSG system/);
      db.close();
    } else if (format === 'kml') {
      const bytes = writeKml(out);
      expect(new TextDecoder().decode(bytes)).toMatch(/<description>坐标系 Coordinates: GCJ-02/);
      records = readKml(bytes, 'x.kml').records;
    } else {
      const text = decode(writeCsv(out)).text;
      expect(text.split('\r\n')[0]).toMatch(/lon\(GCJ-02\),lat\(GCJ-02\)$/);
      records = readSource(text, 'csv').records;
    }
    const gcj = parseCrs('gcj02')!;
    for (const [i, r] of records.entries()) {
      const back = mapPositions(r.geometry!, gcj.toWgs84) as { coordinates: number[] };
      expect(metres(back.coordinates, (SHELTERS[i].geometry as { coordinates: number[] }).coordinates)).toBeLessThan(2);
    }
  });
});

describe('reading GeoPackages from elsewhere', () => {
  const truth = JSON.parse(fs.readFileSync('tests/fixtures/formats/cgcs2000-shelters.source.geojson', 'utf8'));

  it('reads a GDAL-written EPSG:4490 table with Chinese columns and an R-tree index', async () => {
    const src = await readGpkg(fs.readFileSync('tests/fixtures/formats/cgcs2000-shelters.gpkg'), 'cgcs2000-shelters.gpkg');
    expect(src.crs?.name).toBe('cgcs2000');
    expect(src.crsFrom).toMatch(/EPSG:4490/);
    expect(src.columns).toEqual(['名称', '类别', '容纳人数', '有效面积']);
    expect(src.records.map((r) => r.id)).toEqual(truth.features.map((f: any) => f.properties.编号));
    src.records.forEach((r, i) => {
      expect(r.geometry).toEqual(truth.features[i].geometry);
      expect(r.values.名称).toBe(truth.features[i].properties.名称);
      expect(r.values.容纳人数).toBe(truth.features[i].properties.容纳人数);
    });
  });

  it('refuses a file with several feature tables, listing them', async () => {
    const SQL = await initSqlJs();
    const db = new SQL.Database(await writeGpkg(data(SHELTERS)));
    db.run(`CREATE TABLE roads AS SELECT * FROM shelters;
      INSERT INTO gpkg_contents (table_name, data_type, srs_id) VALUES ('roads', 'features', 4326);
      INSERT INTO gpkg_geometry_columns VALUES ('roads', 'geom', 'POINT', 4326, 0, 0);`);
    const two = db.export();
    db.close();
    await expect(readGpkg(two, 'two.gpkg')).rejects.toThrow(/2 feature tables: "roads" \(2 features\), "shelters" \(2 features\)/);
  });

  it('refuses what is not a GeoPackage, and a CRS it cannot convert', async () => {
    await expect(readGpkg(new TextEncoder().encode('name,lon,lat\n'), 'x.gpkg')).rejects.toThrow(ReadError);
    const SQL = await initSqlJs();
    const db = new SQL.Database(await writeGpkg(data(SHELTERS)));
    db.run(`INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 / Pseudo-Mercator', 3857, 'EPSG', 3857, 'x', '');
      UPDATE gpkg_geometry_columns SET srs_id = 3857;`);
    await expect(readGpkg(db.export(), 'm.gpkg')).rejects.toThrow(/EPSG:3857 "WGS 84 \/ Pseudo-Mercator".*ogr2ogr -t_srs EPSG:4490/);
    db.close();
  });

  it('reports an empty geometry on its row', async () => {
    const bytes = await writeGpkg(data([{ ...SHELTERS[0], geometry: { type: 'Point', coordinates: [] } }, SHELTERS[1]]));
    const src = await readGpkg(bytes, 'e.gpkg');
    expect(src.records[0].geometryError).toMatch(/empty/);
    expect(src.records[1].geometry).toEqual(SHELTERS[1].geometry);
  });
});

describe('reading KML from phone apps and KMZ', () => {
  const bytes = fs.readFileSync('tests/fixtures/formats/phone-app.kml');

  it('keeps names, descriptions as text, ExtendedData and folders; drops altitude and styles', () => {
    const src = readKml(bytes, 'phone-app.kml');
    expect(src.format).toBe('kml');
    expect(src.crsFrom).toMatch(/WGS 84 by definition/);
    expect(src.columns).toEqual(['name', 'description', '类别', '容纳人数', '状态', 'folder']);
    expect(src.records.map((r) => r.values.name)).toEqual(['观音桥广场应急避难场所', '江北城中央公园避难场所', '寸滩小学操场', '北滨路巡查线', '鸿恩寺公园（标注与范围）']);
    expect(src.records[0].values).toEqual({ name: '观音桥广场应急避难场所', description: '核查人 张三\n核查日期 2025-03-01', 类别: '紧急避难场所', 容纳人数: '3,500', 状态: '开放', folder: '避难场所' });
    expect(src.records[2].values.folder).toBe('避难场所 / 待核实');
    expect(src.records[2].geometry).toEqual({ type: 'Point', coordinates: [106.6201, 29.6012] });
    expect(src.records[3].geometry).toEqual({
      type: 'MultiLineString',
      coordinates: [[[106.5501, 29.5702], [106.5603, 29.5721], [106.5712, 29.5698]], [[106.5801, 29.5689], [106.5902, 29.575]]],
    });
    expect(src.records[4].geometry).toBeUndefined();
    expect(src.records[4].geometryError).toMatch(/mixing Point and Polygon/);
  });

  it('reads the KML inside a KMZ', () => {
    const kmz = zipEntries({ 'doc.kml': new Uint8Array(bytes), 'files/icon.png': new Uint8Array([137, 80, 78, 71]) });
    const src = readKmz(kmz, 'phone-app.kmz');
    expect(src.format).toBe('kmz');
    expect(src.records).toEqual(readKml(bytes, 'phone-app.kml').records);
    expect(() => readKmz(zipEntries({ 'a.txt': new Uint8Array([65]) }), 'x.kmz')).toThrow(/without a \.kml/);
  });

  it('says what is wrong with broken or foreign XML', () => {
    expect(() => readKml(new TextEncoder().encode('<kml><Placemark>'), 'broken.kml')).toThrow(/not well-formed XML/);
    expect(() => readKml(new TextEncoder().encode('<gpx version="1.1"></gpx>'), 'track.kml')).toThrow(/root element is <gpx>/);
    expect(() => readKml(new TextEncoder().encode('<kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>'), 'e.kml')).toThrow(/no Placemarks/);
  });
});
