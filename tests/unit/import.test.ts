import fs from 'node:fs';
import type { Point } from 'geojson';
import iconv from 'iconv-lite';
import { distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { findLayer } from '../../core/catalogue/index.js';
import { parseCrs, type Lonlat } from '../../core/geo/crs.js';
import { decode } from '../../server/import/decode.js';
import { coerce, mapColumns, parseQuantity } from '../../server/import/mapping.js';
import { prepare } from '../../server/import/prepare.js';
import { ReadError } from '../../server/formats/source.js';
import { parseCsv, parseWkt, readSource } from '../../server/import/read.js';

const metres = (a: Lonlat, b: Lonlat): number => distance(a, b, { units: 'meters' });

const DIR = 'tests/fixtures/import/';
const truth = JSON.parse(fs.readFileSync(`${DIR}crs-truth.json`, 'utf8'));
const shelters = findLayer('shelters')!;
const JIANGBEI: [number, number, number, number] = [106.451, 29.553, 106.895, 29.679];

function load(file: string, crs: string) {
  const { text, encoding } = decode(new Uint8Array(fs.readFileSync(DIR + file)));
  const src = readSource(text, 'csv');
  return { encoding, src, prep: prepare(shelters, src, { crs: parseCrs(crs)!, area: JIANGBEI, source: `import: ${file}`, idPrefix: 'x-' }) };
}

function expectAtTruth(features: { id: string; geometry: any }[], tolerance: number, n: number): void {
  expect(features).toHaveLength(n);
  for (const f of features) {
    const t = truth.shelters.find((s: { id: string }) => s.id === f.id);
    expect(metres(f.geometry.coordinates as Lonlat, [t.lon, t.lat]), f.id).toBeLessThan(tolerance);
  }
}

describe('encoding', () => {
  it('reads UTF-8, UTF-8 with BOM and GB18030 without 乱码, including 生僻字 outside GBK', () => {
    const s = '名称,𠮷,龘\n';
    expect(decode(new TextEncoder().encode(s))).toEqual({ text: s, encoding: 'utf-8' });
    expect(decode(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(s)]))).toEqual({ text: s, encoding: 'utf-8-bom' });
    expect(decode(new Uint8Array(iconv.encode(s, 'gb18030')))).toEqual({ text: s, encoding: 'gb18030' });
    expect(decode(new Uint8Array(iconv.encode('应急避难场所', 'gbk')))).toEqual({ text: '应急避难场所', encoding: 'gb18030' });
  });
});

describe('CSV and WKT', () => {
  it('parses quotes, doubled quotes, newlines in quotes, CRLF, and tab or semicolon delimiters', () => {
    expect(parseCsv('a,b\r\n"x, ""y""","1\n2"\r\n')).toEqual([['a', 'b'], ['x, "y"', '1\n2']]);
    expect(parseCsv('a\tb\n1\t2')).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsv('a;b\n1;2\n')).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('reads WKT points, lines and polygons and rejects other text', () => {
    expect(parseWkt('POINT (106.5 29.6)')).toEqual({ type: 'Point', coordinates: [106.5, 29.6] });
    expect(parseWkt('POINT Z (106.5 29.6 300)')).toEqual({ type: 'Point', coordinates: [106.5, 29.6] });
    expect(parseWkt('polygon((0 0,1 0,1 1,0 0))')).toEqual({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] });
    expect(() => parseWkt('CIRCLE(1 2)')).toThrow(ReadError);
  });

  it('finds coordinate columns from headers, and says how to name them when there are none', () => {
    expect(readSource('名称,经度（°）,纬度\na,106.5,29.6\n', 'csv').records[0].geometry).toEqual({ type: 'Point', coordinates: [106.5, 29.6] });
    expect(readSource('name,wkt\na,"POINT (1 2)"\n', 'csv').records[0].geometry).toEqual({ type: 'Point', coordinates: [1, 2] });
    expect(() => readSource('名称,地点\na,b\n', 'csv')).toThrow(/经度\/纬度/);
    expect(() => readSource('', 'csv')).toThrow(/empty/);
    expect(() => readSource('名称,经度,纬度\n', 'csv')).toThrow(/no data rows/);
  });
});

describe('field mapping and coercion', () => {
  it('maps Chinese header synonyms to catalogue fields and lists the rest', () => {
    const m = mapColumns(shelters, ['名称', '可容纳人数', '有效面积（亩）', '类别', '负责人', '电话', '乡镇', '备注']);
    expect(m.fields).toEqual({ 名称: 'name', 可容纳人数: 'capacity', '有效面积（亩）': 'area_m2', 类别: 'class', 负责人: 'manager', 电话: 'phone', 乡镇: 'town' });
    expect(m.unmapped).toEqual(['备注']);
    expect(mapColumns(findLayer('fire_stations')!, ['类型']).fields).toEqual({ 类型: 'type' });
  });

  it('reads 千分位, 万, and units from the value or the header', () => {
    expect(parseQuantity('3,500')).toBe(3500);
    expect(parseQuantity('1.2万')).toBe(12000);
    expect(parseQuantity('2.5 万人')).toBe(25000);
    expect(parseQuantity('3', '亩')).toBeCloseTo(2000, 6);
    expect(parseQuantity('1公顷')).toBe(10000);
    expect(parseQuantity('12斤')).toBeUndefined();
    expect(parseQuantity('很多')).toBeUndefined();
  });

  it('turns Chinese labels into enum values and explains what is wrong otherwise', () => {
    const cls = shelters.fields.find((f) => f.name === 'class')!;
    const hazards = shelters.fields.find((f) => f.name === 'hazards')!;
    const capacity = shelters.fields.find((f) => f.name === 'capacity')!;
    expect(coerce(cls, '紧急避难场所', '类别')).toEqual({ value: 'emergency' });
    expect(coerce(cls, '固定避难场所(短期)', '类别')).toEqual({ value: 'fixed_short' });
    expect(coerce(hazards, '地震、洪涝', '灾种')).toEqual({ value: ['earthquake', 'flood'] });
    expect(coerce(cls, '帐篷区', '类别')).toEqual({ reason: { code: 'import_not_option', params: { value: '帐篷区', options: expect.stringContaining('emergency/紧急避难场所') } } });
    expect(coerce(capacity, '10.5', '容纳人数')).toEqual({ reason: { code: 'import_not_whole', params: { value: '10.5' } } });
    expect(coerce(capacity, '', '容纳人数')).toEqual({ value: null });
  });
});

describe('fixtures', () => {
  it('GB18030 CSV in GCJ-02 with Chinese headers: every shelter within 2 m of its WGS84 truth, names intact', () => {
    const { encoding, prep } = load('shelters-gcj02-gb18030.csv', 'gcj02');
    expect(encoding).toBe('gb18030');
    expect(prep.rejected).toEqual([]);
    expectAtTruth(prep.features, 2, 5);
    const one = prep.features.find((f) => f.id === 'imp-1')!.properties;
    expect(one).toEqual({
      name: '龘龘广场紧急避难场所',
      address: '重庆市某路1号, 近地铁站',
      class: 'emergency',
      area_m2: 2333.33,
      capacity: 1200,
      status: 'open',
      phone: '023-60000000',
      manager: '张三',
      town: '观音桥街道',
      source: 'import: shelters-gcj02-gb18030.csv',
    });
    expect(prep.features.find((f) => f.id === 'imp-2')!.properties).toMatchObject({ name: '𠮷祥公园避难场所', capacity: 12000, class: 'fixed_short' });
    expect(prep.features.find((f) => f.id === 'imp-4')!.properties).toMatchObject({ capacity: 25000, class: 'central' });
    // The Wushan shelters are outside the Jiangbei area given here.
    expect(prep.warnings.map((w) => w.code)).toEqual(['outside_area']);
    expect(prep.warnings[0].params).toMatchObject({ count: 2, points: 5 });
  });

  it('the same points read as WGS84 land 300–700 m off, with a warning that they may be GCJ-02', () => {
    const { prep } = load('shelters-gcj02-gb18030.csv', 'wgs84');
    expect(prep.warnings.map((w) => w.code)).toContain('offset_unknown');
    const t = truth.shelters[0];
    const d = metres((prep.features[0].geometry as Point).coordinates as Lonlat, [t.lon, t.lat]);
    expect(d).toBeGreaterThan(300);
    expect(d).toBeLessThan(700);
  });

  it('UTF-8 with BOM, English headers, multi-line address: exact positions and line-numbered rows', () => {
    const { encoding, src, prep } = load('shelters-utf8-bom.csv', 'wgs84');
    expect(encoding).toBe('utf-8-bom');
    expect(src.columns[0]).toBe('id');
    expect(src.records.map((r) => r.row)).toEqual([2, 4, 6, 8, 10]);
    expectAtTruth(prep.features, 0.01, 5);
    expect(prep.features[0].properties.address).toBe('第一行\n第二行');
  });

  it('swapped columns are swapped back, with a warning', () => {
    const { prep } = load('shelters-swapped.csv', 'wgs84');
    expectAtTruth(prep.features, 0.01, 5);
    expect(prep.warnings.map((w) => w.code)).toContain('swapped_lat_lon');
  });

  it('Gauss–Krüger zone 36 with prefix (EPSG:4524, values from PostGIS) within 1 m of truth; as degrees, rejected', () => {
    expectAtTruth(load('shelters-gk-epsg4524.csv', 'EPSG:4524').prep.features, 1, 3);
    const wrong = load('shelters-gk-epsg4524.csv', 'wgs84').prep;
    expect(wrong.features).toEqual([]);
    expect(wrong.rejected[0]).toMatchObject({ row: 2, field: 'geometry', reason: { code: 'import_position_outside_crs', params: { crs: 'wgs84' } } });
    expect(wrong.warnings.map((w) => w.code)).toContain('projected_as_degrees');
  });

  it("Gauss–Krüger without prefix (EPSG:4545) in the surveyors' X = north order: read the right way round, within 1 m", () => {
    const { prep } = load('shelters-gk-epsg4545-surveyor-xy.csv', 'EPSG:4545');
    expectAtTruth(prep.features, 1, 3);
    expect(prep.warnings.map((w) => w.code)).toEqual(['swapped_northing_first']);
  });

  it('the empty file is refused with a reason', () => {
    expect(() => load('empty.csv', 'wgs84')).toThrow(/empty/);
  });

  it('bad rows are rejected with row, field and reason; the good rows stay importable', () => {
    const { prep } = load('shelters-bad-rows.csv', 'wgs84');
    expect(prep.features.map((f) => f.id)).toEqual(['bad-ok-1', 'bad-ok-2']);
    expect(prep.features[1].properties).toMatchObject({ class: 'central', capacity: 15000 });
    expect(prep.rejected.map((r) => [r.row, r.field])).toEqual([
      [3, 'geometry'],
      [4, 'class'],
      [5, 'capacity'],
      [6, 'capacity'],
    ]);
    expect(prep.rejected[0].reason.code).toBe('import_coordinates_not_numbers');
    expect(prep.rejected[1].reason).toMatchObject({ code: 'import_not_option', params: { column: expect.any(String), value: '临时帐篷区' } });
    expect(prep.rejected.map((r) => r.reason.code).slice(2)).toEqual(['import_not_number', 'import_not_whole']);
  });
});
