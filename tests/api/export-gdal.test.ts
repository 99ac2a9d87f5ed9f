/**
 * The exports GDAL writes (FlatGeobuf, zipped Shapefile) and the GeoPackage's R-tree index, re-read
 * by gdal-bin's ogrinfo (an independent GDAL build) and re-imported through our API.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { distance } from '@turf/turf';
import ExcelJS from 'exceljs';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { unzipEntries } from '../../server/formats/zip.js';
import { STORE_KINDS } from '../setup/store.js';
import { TOKENS, useTestApi } from '../setup/server.js';

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'export-gdal-'));

/** ogrinfo's summary of a file (all layers). */
function ogrinfo(file: string): string {
  return execFileSync('ogrinfo', ['-ro', '-al', '-so', file], { encoding: 'utf8' });
}

describe.each(STORE_KINDS)('GDAL-written exports on %s', (kind) => {
  const ctx = useTestApi(kind);

  /** On its own connection (no keep-alive), as export.test.ts does: a reused idle one may be reset on a loaded machine. */
  function download(query: string, token?: string): Promise<{ status: number; bytes: Uint8Array; name: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(`${ctx.api.url}/api/layers/shelters/export?${query}`, { agent: false, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode!, bytes: new Uint8Array(Buffer.concat(chunks)), name: String(res.headers['content-disposition'] ?? '') }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** JSON from the API, on its own connection too. */
  function api(pathAndQuery: string, token?: string): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
      http
        .get(ctx.api.url + pathAndQuery, { agent: false, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
        })
        .on('error', reject);
    });
  }

  const count = async (token?: string): Promise<number> => (await api('/api/layers/shelters/features?limit=1', token)).body.numberMatched;

  it('FlatGeobuf: every shelter, the catalogue columns, WGS 84; the public gets no internal field', async () => {
    const n = await count(TOKENS.ADMIN_TOKEN);
    const admin = await download('format=fgb', TOKENS.ADMIN_TOKEN);
    expect(admin.status).toBe(200);
    expect(admin.name).toMatch(/filename="shelters-\d{8}\.fgb"/);
    const file = path.join(TMP, `${kind}-admin.fgb`);
    fs.writeFileSync(file, admin.bytes);
    const info = ogrinfo(file);
    expect(info).toMatch(new RegExp(`Feature Count: ${n}\\b`));
    expect(info).toMatch(/Geometry: Point/);
    expect(info).toMatch(/class_名称: String/);
    expect(info).toMatch(/phone: String/);
    expect(info).toMatch(/WGS 84/);
    const pub = await download('format=fgb');
    const pubFile = path.join(TMP, `${kind}-public.fgb`);
    fs.writeFileSync(pubFile, pub.bytes);
    const pubInfo = ogrinfo(pubFile);
    expect(pubInfo).toMatch(new RegExp(`Feature Count: ${await count()}\\b`));
    expect(pubInfo).not.toMatch(/phone|manager|source/);
  });

  it('zipped Shapefile: .shp/.shx/.dbf with a .prj and a .cpg of UTF-8; Chinese names survive', async () => {
    const res = await download('format=shp', TOKENS.ADMIN_TOKEN);
    expect(res.status).toBe(200);
    expect(res.name).toMatch(/filename="shelters-\d{8}\.shp\.zip"/);
    const entries = unzipEntries(res.bytes, 'x.zip');
    expect([...entries.keys()].sort()).toEqual(['shelters.cpg', 'shelters.dbf', 'shelters.prj', 'shelters.shp', 'shelters.shx']);
    expect(new TextDecoder().decode(entries.get('shelters.cpg'))).toMatch(/^UTF-8/);
    expect(new TextDecoder().decode(entries.get('shelters.prj'))).toMatch(/WGS_1984|WGS 84/);
    const dir = path.join(TMP, `${kind}-shp`);
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, bytes] of entries) fs.writeFileSync(path.join(dir, name), bytes);
    const info = execFileSync('ogrinfo', ['-ro', '-al', path.join(dir, 'shelters.shp')], { encoding: 'utf8' });
    const some = (await api('/api/layers/shelters/features?limit=1', TOKENS.ADMIN_TOKEN)).body.features[0];
    expect(info).toContain(some.properties.name);
    expect(info).toMatch(new RegExp(`Feature Count: ${await count(TOKENS.ADMIN_TOKEN)}\\b`));
  });

  it('GeoPackage: the R-tree index is there (gpkg_extensions, rtree table) and ogrinfo reads the file', async () => {
    for (const crs of ['wgs84', 'gcj02']) {
      const res = await download(`format=gpkg&crs=${crs}`, TOKENS.ADMIN_TOKEN);
      expect(res.status).toBe(200);
      const SQL = await initSqlJs();
      const db = new SQL.Database(res.bytes);
      const names = db.exec("SELECT name FROM sqlite_master WHERE name LIKE 'rtree_%'")[0].values.flat();
      expect(names).toEqual(expect.arrayContaining(['rtree_shelters_geom', 'rtree_shelters_geom_node']));
      expect(db.exec("SELECT extension_name FROM gpkg_extensions WHERE table_name = 'shelters'")[0].values.flat()).toEqual(['gpkg_rtree_index']);
      // Our GCJ-02 srs row stays as written.
      if (crs === 'gcj02') expect(db.exec('SELECT srs_id FROM gpkg_geometry_columns')[0].values[0][0]).toBe(990002);
      db.close();
      const file = path.join(TMP, `${kind}-${crs}.gpkg`);
      fs.writeFileSync(file, res.bytes);
      const n = await count(TOKENS.ADMIN_TOKEN);
      expect(ogrinfo(file)).toMatch(new RegExp(`Feature Count: ${n}\\b`));
      // GDAL uses the index: a spatial filter around the first shelter finds it.
      const first = (await api('/api/layers/shelters/features?limit=1', TOKENS.ADMIN_TOKEN)).body.features[0];
      const [x, y] = first.geometry.coordinates;
      const near = execFileSync('ogrinfo', ['-ro', '-al', '-spat', String(x - 1), String(y - 1), String(x + 1), String(y + 1), '--debug', 'on', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(near).toMatch(/Feature Count: [1-9]/);
    }
  });

  it('a GCJ-02 FlatGeobuf says so and re-imports as GCJ-02 at the same place', async () => {
    const res = await download('format=fgb&crs=gcj02&limit=5', TOKENS.ADMIN_TOKEN);
    expect(res.status).toBe(200);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(res.bytes)]), 'shelters-gcj02.fgb');
    const imp = await fetch(`${ctx.api.url}/api/layers/shelters/import`, { method: 'POST', headers: { authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` }, body: form });
    const body = (await imp.json()) as any;
    expect(imp.status).toBe(200);
    expect(body).toMatchObject({ format: 'flatgeobuf', crs: 'gcj02', crsFrom: 'file', importable: 0 });
    // Every row repeats a stored id (append), and each is back where it was stored.
    const stored = (await api('/api/layers/shelters/features?limit=5', TOKENS.ADMIN_TOKEN)).body.features;
    expect(body.rejected.filter((r: any) => r.field === 'id')).toHaveLength(5);
    const dry = await fetch(`${ctx.api.url}/api/layers/shelters/import?mode=upsert`, { method: 'POST', headers: { authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` }, body: form });
    const up = (await dry.json()) as any;
    expect(up).toMatchObject({ updated: 5, rejected: [] });
    for (const f of up.preview.features) {
      const s = stored.find((x: any) => x.id === f.id);
      expect(distance(f.geometry.coordinates, s.geometry.coordinates, { units: 'meters' })).toBeLessThan(0.5);
    }
  });

  it('the blank xlsx template: census layout, every header maps; empty it is refused clearly, filled it imports', async () => {
    const res = await new Promise<{ status: number; bytes: Buffer; type: string }>((resolve, reject) => {
      http
        .get(`${ctx.api.url}/api/layers/depots/template.xlsx`, { agent: false, headers: { authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` } }, (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => resolve({ status: r.statusCode!, bytes: Buffer.concat(chunks), type: String(r.headers['content-type']) }));
        })
        .on('error', reject);
    });
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getCell('A1').value).toBe('物资储备库调查表');
    const header = (ws.getRow(3).values as unknown[]).slice(1);
    // The census table of 救灾物资储备库（点）: 名称, 地址, 等级, 类型, 有效库容, then one column per item.
    expect(header).toEqual(expect.arrayContaining(['名称', '地址', '等级', '类型', '有效库容', '救灾帐篷', '棉被', '经度', '纬度']));
    expect(header.at(-2)).toBe('经度');

    const post = async (bytes: Uint8Array, query = '') => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)]), '储备库模板.xlsx');
      const r = await fetch(`${ctx.api.url}/api/layers/depots/import?${query}`, { method: 'POST', headers: { authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` }, body: form });
      return { status: r.status, body: (await r.json()) as any };
    };
    const empty = await post(new Uint8Array(res.bytes));
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'unreadable_file', parameter: 'file' });
    expect(empty.body.error.message).toMatch(/has a header \(row 3\) but no data rows/);

    const col = (name: string): number => header.indexOf(name) + 1;
    const row = ws.getRow(4);
    row.getCell(col('名称')).value = '模板测试储备点';
    row.getCell(col('等级')).value = '乡镇（街道）级';
    row.getCell(col('经度')).value = 106.5321;
    row.getCell(col('纬度')).value = 29.5765;
    const filled = await post(new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(filled.status).toBe(200);
    // Every field column maps; 经度/纬度 are the geometry (listed as unmapped, as for a CSV).
    expect(filled.body).toMatchObject({ format: 'xlsx', rowsRead: 1, importable: 1, unmappedColumns: ['经度', '纬度'], rejected: [] });
    expect(Object.keys(filled.body.columns).sort()).toEqual(header.filter((h) => h !== '经度' && h !== '纬度').sort());
    expect(filled.body.preview.features[0].properties).toMatchObject({ name: '模板测试储备点', level: 'town', county_code: '500105' });

    const anonymous = await api('/api/layers/depots/template.xlsx');
    expect(anonymous.status).toBe(401);
  });
});
