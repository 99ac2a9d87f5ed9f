/**
 * Excel 97–2003 (.xls) through the import API: a real BIFF8 census workbook written by xlwt
 * (tests/fixtures/formats/xls/generate.py: merged title row, 填报单位 line, 坐标 merged over
 * 经度/纬度, coordinates shown with two decimals) imports like its .xlsx twin: names, classes,
 * capacities, and positions within 1 m of truth.json (the stored values, not the rounded display,
 * which would be hundreds of metres off). A broken .xls is a 400; a read over its time limit ends
 * its worker.
 */
import fs from 'node:fs';
import { distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { readXlsSheet } from '../../server/formats/xls.js';
import { STORE_KINDS } from '../setup/store.js';
import { TOKENS, useTestApi } from '../setup/server.js';

const FILE = 'tests/fixtures/formats/xls/shelters-census.xls';
const truth = JSON.parse(fs.readFileSync('tests/fixtures/formats/gdal/truth.json', 'utf8'));

type Point = { geometry: { coordinates: [number, number] }; properties: Record<string, unknown> };

describe.each(STORE_KINDS)('import of an .xls census table on %s', (kind) => {
  const ctx = useTestApi(kind);

  async function post(name: string, bytes: Uint8Array, query = '') {
    const form = new FormData();
    form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
    const res = await fetch(`${ctx.api.url}/api/layers/shelters/import?${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` },
      body: form,
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  it('imports its shelters with names, positions, classes, capacities and areas', async () => {
    const { status, body } = await post('避难场所调查表.xls', new Uint8Array(fs.readFileSync(FILE)), 'mode=replace&dryRun=false');
    expect(status).toBe(200);
    expect(body).toMatchObject({ format: 'xls', crs: 'wgs84', crsFrom: 'detected', rowsRead: 4, inserted: 3 });
    expect(body.geometryFrom).toMatch(/^sheet "应急避难场所", header rows 3–4; columns "经度" \(x\/longitude\), "纬度" \(y\/latitude\)/);
    expect(body.columns).toMatchObject({ 名称: 'name', 地址: 'address', 场所类别: 'class', 容纳人数: 'capacity', '有效避难面积（亩）': 'area_m2' });
    // Row 9 of the sheet is the 填表人 line under the table: no coordinates.
    expect(new Set(body.rejected.map((r: { row: number }) => r.row))).toEqual(new Set([9]));

    const features = (await ctx.api.call('/api/layers/shelters/features?limit=1000&county_code=500105', { token: TOKENS.ADMIN_TOKEN })).body.features as Point[];
    expect(features.map((f) => f.properties.name).sort()).toEqual(truth.shelters.map((t: { name: string }) => t.name).sort());
    const classes: Record<string, string> = { 紧急避难场所: 'emergency', '固定避难场所（短期）': 'fixed_short', 中心避难场所: 'central' };
    for (const t of truth.shelters) {
      const f = features.find((x) => x.properties.name === t.name)!;
      expect(distance(f.geometry.coordinates, [t.lon, t.lat], { units: 'meters' }), t.name).toBeLessThan(1);
      // 亩 in the header: 1 亩 = 10 000/15 m².
      expect(f.properties).toMatchObject({ address: t.address, class: classes[t.class], capacity: t.capacity, area_m2: Math.round(((t.area_mu * 10000) / 15) * 100) / 100, county_code: '500105' });
    }
  });

  it('answers a broken .xls, and a text file named .xls, with 400 unreadable_file saying what to send', async () => {
    const { status, body } = await post('避难场所.xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 1, 2, 3]));
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'unreadable_file', parameter: 'file' });
    expect(body.error.message).toMatch(/could not be read as an Excel 97–2003 workbook .*save it as \.xlsx/);
    const html = await post('导出.xls', new TextEncoder().encode('<table><tr><td>名称</td><td>经度</td></tr></table>'));
    expect(html.status).toBe(400);
    expect(html.body.error).toMatchObject({ code: 'unreadable_file', parameter: 'file' });
    expect(html.body.error.message).toMatch(/is not an Excel 97–2003 workbook .*save it as \.xlsx/);
    expect(body.error.params).toEqual({ detail: 'read_xls_unreadable', file: '避难场所.xls' });
    expect(html.body.error.params).toEqual({ detail: 'read_xls_not_workbook', file: '导出.xls' });
  });
});

describe('the .xls worker', () => {
  it('is ended at its time limit, with a ReadError naming the file', async () => {
    await expect(readXlsSheet(new Uint8Array(fs.readFileSync(FILE)), 'slow.xls', 0.001)).rejects.toThrow(/slow\.xls took more than 0\.001 s/);
  });

  it('reads the stored numbers, not the two-decimal display', async () => {
    const sheet = await readXlsSheet(new Uint8Array(fs.readFileSync(FILE)), 'census.xls');
    expect(sheet.name).toBe('应急避难场所');
    expect(sheet.rows[0].cells[0]).toBe('第一次全国自然灾害综合风险普查 应急避难场所调查表');
    expect(sheet.rows[2].cells.slice(0, 6)).toEqual(['序号', '名称', '地址', '场所类别', '坐标', '']);
    expect(sheet.rows[3].cells.slice(4, 6)).toEqual(['经度', '纬度']);
    expect(sheet.rows[4].cells.slice(1, 6)).toEqual(['观音桥广场', '江北区观音桥步行街', '紧急避难场所', '106.5322', '29.5771']);
  });
});
