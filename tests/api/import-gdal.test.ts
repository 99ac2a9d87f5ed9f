/**
 * The formats read through GDAL (gdal3.js in its worker thread), end to end through the import
 * API: each fixture in tests/fixtures/formats/gdal/ (written by ogr2ogr, exceljs, osmium; see its
 * generate.ts) lands within 1 m of truth.json with its names and classes.
 */
import fs from 'node:fs';
import { distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../setup/store.js';
import { TOKENS, useTestApi } from '../setup/server.js';

const DIR = 'tests/fixtures/formats/gdal/';
const truth = JSON.parse(fs.readFileSync(`${DIR}truth.json`, 'utf8'));

type Point = { geometry: { coordinates: [number, number] }; properties: Record<string, unknown> };

/** Every feature lies within 1 m of the truth row of the same name, and every truth row is there. */
function expectAt(features: Point[], rows: { name: string; lon: number; lat: number }[]): void {
  expect(features.map((f) => f.properties.name).sort()).toEqual(rows.map((r) => r.name).sort());
  for (const f of features) {
    const t = rows.find((r) => r.name === f.properties.name)!;
    expect(distance(f.geometry.coordinates, [t.lon, t.lat], { units: 'meters' }), t.name).toBeLessThan(1);
  }
}

describe.each(STORE_KINDS)('import through GDAL on %s', (kind) => {
  const ctx = useTestApi(kind);

  async function post(layer: string, file: string, query = '') {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(fs.readFileSync(DIR + file))]), file);
    const res = await fetch(`${ctx.api.url}/api/layers/${layer}/import?${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` },
      body: form,
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  // The fixtures lie in 江北: a replace replaces that county's features only.
  const stored = async (layer: string) =>
    (await ctx.api.call(`/api/layers/${layer}/features?limit=1000&county_code=500105`, { token: TOKENS.ADMIN_TOKEN })).body.features as Point[];

  it('a census xlsx (merged title row, 填报单位 line, 坐标 merged over 经度/纬度) imports its shelters with classes and capacities', async () => {
    const { status, body } = await post('shelters', 'shelters-census.xlsx', 'mode=replace&dryRun=false');
    expect(status).toBe(200);
    expect(body).toMatchObject({ format: 'xlsx', crs: 'wgs84', crsFrom: 'detected', rowsRead: 4, inserted: 3 });
    expect(body.geometryFrom).toMatch(/^sheet "应急避难场所", header rows 3–4; columns "经度" \(x\/longitude\), "纬度" \(y\/latitude\)/);
    expect(body.columns).toMatchObject({ 名称: 'name', 地址: 'address', 场所类别: 'class', 容纳人数: 'capacity', '有效避难面积（亩）': 'area_m2' });
    // The 填表人 line under the table is read as a row and rejected (no coordinates; 审核人 is no capacity): row 9 of the sheet.
    expect(new Set(body.rejected.map((r: { row: number }) => r.row))).toEqual(new Set([9]));
    expect(body.rejected).toContainEqual(expect.objectContaining({ row: 9, field: 'geometry' }));
    const features = await stored('shelters');
    expectAt(features, truth.shelters);
    const classes: Record<string, string> = { 紧急避难场所: 'emergency', '固定避难场所（短期）': 'fixed_short', 中心避难场所: 'central' };
    for (const t of truth.shelters) {
      const f = features.find((x) => x.properties.name === t.name)!;
      // 亩 in the header: 1 亩 = 10 000/15 m².
      expect(f.properties).toMatchObject({ class: classes[t.class], capacity: t.capacity, area_m2: Math.round(((t.area_mu * 10000) / 15) * 100) / 100, county_code: '500105' });
    }
  });

  it('an .ods sheet with a plain header reads the same way', async () => {
    const { status, body } = await post('shelters', 'shelters.ods');
    expect(status).toBe(200);
    expect(body).toMatchObject({ format: 'ods', dryRun: true, importable: 3, rejected: [] });
    expectAt(body.preview.features, truth.shelters);
  });

  it('a zipped MapInfo .tab and a GBK .mif/.mid of depots import with their levels', async () => {
    const levels: Record<string, string> = { 区县级: 'county', '乡镇（街道）级': 'town', '村（社区）级': 'community' };
    for (const file of ['depots-tab.zip', 'depots-mif.zip']) {
      const { status, body } = await post('depots', file, 'mode=replace&dryRun=false');
      expect(status, file).toBe(200);
      expect(body, file).toMatchObject({ format: 'mapinfo', crsFrom: 'file', inserted: 3, rejected: [] });
      const features = await stored('depots');
      expectAt(features, truth.depots);
      for (const t of truth.depots) expect(features.find((f) => f.properties.name === t.name)!.properties).toMatchObject({ level: levels[t.level], address: t.address });
    }
  });

  it('a zipped File Geodatabase of fire stations imports with types, personnel and vehicles', async () => {
    const { status, body } = await post('fire_stations', 'stations.gdb.zip', 'mode=replace&dryRun=false');
    expect(status).toBe(200);
    expect(body).toMatchObject({ format: 'filegdb', crs: 'cgcs2000', crsFrom: 'file', inserted: 3, rejected: [] });
    const types: Record<string, string> = { 特勤消防站: 'special', 一级普通消防站: 'class1', 专职消防队: 'professional' };
    const features = await stored('fire_stations');
    expectAt(features, truth.stations);
    for (const t of truth.stations) {
      expect(features.find((f) => f.properties.name === t.name)!.properties).toMatchObject({ type: types[t.type], personnel: t.personnel, vehicles: t.vehicles });
    }
  });

  it('a DXF in Gauss–Krüger metres: the zone from the prefix, the labels as names, the road polyline left out', async () => {
    const { status, body } = await post('fire_stations', 'micro-stations.dxf');
    expect(status).toBe(200);
    expect(body).toMatchObject({ format: 'dxf', crs: 'EPSG:4523', crsFrom: 'detected', rowsRead: 2, importable: 2 });
    expect(body.geometryFrom).toMatch(/1 features of other kinds left out/);
    expectAt(body.preview.features, truth.micro);
  });

  it('a FlatGeobuf of rescue teams imports with team types', async () => {
    const { status, body } = await post('rescue_teams', 'teams.fgb');
    expect(status).toBe(200);
    expect(body).toMatchObject({ format: 'flatgeobuf', crs: 'cgcs2000', crsFrom: 'file', importable: 2, rejected: [] });
    expectAt(body.preview.features, truth.teams);
    expect(body.preview.features.map((f: Point) => f.properties.type).sort()).toEqual(['comprehensive', 'social']);
  });

  it('an OSM PBF extract: highways only, class from highway, oneway from the tags and the OSM defaults, way ids', async () => {
    const { status, body } = await post('roads', 'roads.osm.pbf');
    expect(status).toBe(200);
    expect(body).toMatchObject({ format: 'osm', crs: 'wgs84', crsFrom: 'file', rowsRead: 7, importable: 7, rejected: [] });
    expect(body.geometryFrom).toMatch(/2 OSM features that are not roads left out/);
    const byId = Object.fromEntries(body.preview.features.map((f: any) => [f.id, f.properties]));
    expect(byId['way/101']).toMatchObject({ name: '建新北路', class: 'primary', speed_kmh: 40, oneway: 'no' });
    expect(byId['way/102']).toMatchObject({ class: 'secondary', oneway: 'yes' });
    expect(byId['way/103']).toMatchObject({ name: '黄花园大桥', class: 'trunk', speed_kmh: 60 });
    expect(byId['way/105']).toMatchObject({ oneway: 'yes' });
    expect(byId['way/106']).toMatchObject({ class: 'path' });
    // motorway_link travels as motorway; 30 mph = 48 km/h; oneway=-1 is against the drawn direction.
    expect(byId['way/109']).toMatchObject({ class: 'motorway', speed_kmh: 48, oneway: '-1' });
    // The bridge and the road under it cross without a shared vertex: both come through whole.
    expect(byId['way/103'] && byId['way/104']).toBeTruthy();
  });

  it('refuses a bare .tab and an .xls with 400 saying what to send', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([1, 2, 3])]), 'depots.tab');
    const tab = await fetch(`${ctx.api.url}/api/layers/depots/import`, { method: 'POST', headers: { authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` }, body: form });
    const tabBody = (await tab.json()) as any;
    expect(tab.status).toBe(400);
    expect(tabBody.error).toMatchObject({ code: 'unreadable_file', parameter: 'file' });
    expect(tabBody.error.message).toMatch(/zip the \.tab with them/);
    // The form says it in the reader's language from the Note (tests/unit/import-refusal-notes.test.ts has every case).
    expect(tabBody.error.params).toEqual({ detail: 'read_tab_alone', file: 'depots.tab' });
    const xls = new FormData();
    xls.append('file', new Blob([new Uint8Array([0xd0, 0xcf, 0x11, 0xe0])]), '避难场所.xls');
    const res = await fetch(`${ctx.api.url}/api/layers/shelters/import`, { method: 'POST', headers: { authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` }, body: xls });
    const body = (await res.json()) as any;
    expect(res.status).toBe(400);
    expect(body.error.message).toMatch(/save it as \.xlsx/);
    expect(body.error.params).toEqual({ detail: 'read_xls_not_workbook', file: '避难场所.xls' });
  });
});
