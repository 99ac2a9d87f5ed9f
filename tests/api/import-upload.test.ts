/**
 * The import API with multipart uploads: form-field parameters, progress by importId, clear 400s
 * for empty uploads, crs=auto, ST_MakeValid repair, duplicate flagging, the audit row, and roads and
 * admin units as targets that the analyses then route on.
 */
import fs from 'node:fs';
import type { Feature, LineString } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../server/store/index.js';
import { STORE_KINDS } from '../setup/store.js';
import { startTestServer, TOKENS, useTestApi, type TestServer } from '../setup/server.js';

const DIR = 'tests/fixtures/import/';
const ADMIN = TOKENS.ADMIN_TOKEN;

async function upload(api: TestServer, layer: string, filename: string, content: string | Uint8Array, fields: Record<string, string> = {}, query = '', token: string | undefined = ADMIN) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), filename);
  const res = await fetch(`${api.url}/api/layers/${layer}/import${query ? `?${query}` : ''}`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: form,
  });
  return { status: res.status, body: (await res.json()) as any };
}

async function count(db: Db, layer: string): Promise<number> {
  const [r] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM features WHERE layer = $1', [layer]);
  return r.n;
}

describe.each(STORE_KINDS)('import uploads on %s', (kind) => {
  const ctx = useTestApi(kind);

  it('imports a multipart file with form-field parameters, reports progress by importId and writes one audit row', async () => {
    const csv = fs.readFileSync(`${DIR}shelters-utf8-bom.csv`);
    const audits = async () => ctx.store.db.query<{ actor: string; detail: any }>("SELECT actor, detail FROM audit WHERE action = 'import' AND layer = 'shelters'");
    const dry = await upload(ctx.api, 'shelters', 'shelters-utf8-bom.csv', csv, { mode: 'append' });
    expect(dry.body).toMatchObject({ dryRun: true, inserted: 5, crs: 'wgs84', crsFrom: 'detected' });
    expect(await audits()).toEqual([]);
    const before = await count(ctx.store.db, 'shelters');
    const { status, body } = await upload(ctx.api, 'shelters', 'shelters-utf8-bom.csv', csv, { mode: 'append', dryRun: 'false', importId: 'mp-1' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ file: 'shelters-utf8-bom.csv', encoding: 'utf-8-bom', dryRun: false, rowsRead: 5, inserted: 5, rejectedCount: 0 });
    expect(await count(ctx.store.db, 'shelters')).toBe(before + 5);
    const progress = await ctx.api.call('/api/imports/mp-1', { token: ADMIN });
    expect(progress.body).toEqual({ importId: 'mp-1', phase: 'done', bytesReceived: expect.any(Number), rowsRead: 5, rowsWritten: 5 });
    expect(progress.body.bytesReceived).toBeGreaterThan(csv.length);
    expect((await ctx.api.call('/api/imports/mp-1')).status).toBe(401);
    expect((await ctx.api.call('/api/imports/nope', { token: ADMIN })).status).toBe(404);
    expect(await audits()).toEqual([{ actor: 'admin', detail: expect.objectContaining({ file: 'shelters-utf8-bom.csv', format: 'csv', mode: 'append', inserted: 5, updated: 0, deleted: 0 }) }]);
    const both = await upload(ctx.api, 'shelters', 'a.csv', csv, { mode: 'upsert' }, 'mode=append');
    expect(both.status).toBe(400);
    expect(both.body.error).toMatchObject({ parameter: 'mode', message: expect.stringMatching(/both in the query string/) });
  });

  it('answers an empty part, a missing part, a blank or header-only file with a 400 that says which', async () => {
    const zero = await upload(ctx.api, 'shelters', 'empty.csv', new Uint8Array(0));
    expect(zero).toMatchObject({ status: 400, body: { error: { parameter: 'file', message: expect.stringMatching(/"empty\.csv" is empty \(0 bytes\)/) } } });
    const form = new FormData();
    form.append('mode', 'append');
    const none = await fetch(`${ctx.api.url}/api/layers/shelters/import`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` }, body: form });
    expect(none.status).toBe(400);
    expect(((await none.json()) as any).error.message).toMatch(/No part named "file"/);
    const blank = await upload(ctx.api, 'shelters', 'blank.csv', '\r\n\r\n');
    expect(blank.body.error.message).toMatch(/empty: expected a header row/);
    const header = await upload(ctx.api, 'shelters', 'header.csv', '名称,经度,纬度\r\n');
    expect(header).toMatchObject({ status: 400, body: { error: { code: 'unreadable_file', message: expect.stringMatching(/header but no data rows/), params: { detail: 'read_header_only' } } } });
    expect(blank.body.error.params).toEqual({ detail: 'read_csv_empty' });
    const tiny = await startTestServer(ctx.store.db, { IMPORT_LIMIT_MB: '1' });
    const big = await upload(tiny, 'shelters', 'big.csv', new Uint8Array(1024 * 1024 + 10).fill(0x41));
    await tiny.close();
    expect(big).toMatchObject({ status: 413, body: { error: { message: expect.stringMatching(/1 MB import limit/) } } });
  });

  it('crs=auto: takes the zone from prefixed eastings, the file’s declared CRS, degrees with the GCJ-02/BD-09 caveat, and asks when it cannot tell', async () => {
    // Dry runs of replace: the ids the first test appended do not get in the way.
    const gk = await upload(ctx.api, 'shelters', 'gk.csv', fs.readFileSync(`${DIR}shelters-gk-epsg4524.csv`), { mode: 'replace' });
    expect(gk.body).toMatchObject({ crs: 'EPSG:4524', crsFrom: 'detected', crsCandidates: ['EPSG:4524'], importable: 3, crsReason: { code: 'crs_zone', params: { zone: 36, width: 3, epsg: 'EPSG:4524' } } });
    const deg = await upload(ctx.api, 'shelters', 'deg.csv', fs.readFileSync(`${DIR}shelters-utf8-bom.csv`));
    expect(deg.body).toMatchObject({ crs: 'wgs84', crsFrom: 'detected', crsCandidates: ['wgs84', 'cgcs2000', 'gcj02', 'bd09'] });
    expect(deg.body.warnings.map((w: any) => w.code)).toContain('offset_unknown');
    const stated = await upload(ctx.api, 'shelters', 'g.csv', fs.readFileSync(`${DIR}shelters-gcj02-gb18030.csv`), { crs: 'gcj02' });
    expect(stated.body).toMatchObject({ crs: 'gcj02', crsFrom: 'request', encoding: 'gb18030' });
    const noZone = await upload(ctx.api, 'shelters', 'xy.csv', fs.readFileSync(`${DIR}shelters-gk-epsg4545-surveyor-xy.csv`), {}, 'county=500105');
    expect(noZone).toMatchObject({ status: 400, body: { error: { code: 'crs_needed', parameter: 'crs', message: expect.stringMatching(/without a zone number.*crs=EPSG:4545/) } } });
    // The detail as a Note for the client: why (its own Note code) and the candidates.
    expect(noZone.body.error.params).toMatchObject({ detail: 'crs_needed_detail', reason: 'crs_no_zone', crs: expect.stringContaining('EPSG:4545') });
    const fc = {
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4545' } },
      features: [{ type: 'Feature', id: 'gk-1', properties: { name: '观音桥' }, geometry: { type: 'Point', coordinates: [361911.397, 3277287.601] } }],
    };
    const declared = await upload(ctx.api, 'shelters', 'gk.geojson', JSON.stringify(fc), { mode: 'replace' });
    expect(declared.body).toMatchObject({ crs: 'EPSG:4545', crsFrom: 'file', importable: 1 });
    const [lon, lat] = declared.body.preview.features[0].geometry.coordinates;
    expect(lon).toBeCloseTo(106.5745, 4);
    expect(lat).toBeCloseTo(29.606, 4);
  });

  it('repairs a self-touching polygon with ST_MakeValid (area kept) and rejects a bow tie with the PostGIS reason', async () => {
    // A square whose ring runs back through its corner around a clockwise diamond: one ring that
    // touches itself, i.e. a square with a hole drawn the way some CAD exports do.
    const [x, y, d] = [106.5, 29.5, 0.01];
    const ring = [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y], [x + 0.2 * d, y + 0.5 * d], [x + 0.5 * d, y + 0.8 * d], [x + 0.8 * d, y + 0.5 * d], [x + 0.5 * d, y + 0.2 * d], [x, y]];
    const bowtie = JSON.parse(fs.readFileSync(`${DIR}admin-bowtie.geojson`, 'utf8')).features[0];
    const fc = {
      type: 'FeatureCollection',
      features: [bowtie, { type: 'Feature', id: 'hole', properties: { name: '带洞', level: 'town' }, geometry: { type: 'Polygon', coordinates: [ring] } }],
    };
    const { body } = await upload(ctx.api, 'admin_units', 'units.geojson', JSON.stringify(fc), { mode: 'append', dryRun: 'false' });
    expect(body.rejected).toEqual([{ row: 1, field: 'geometry', reason: { code: expect.stringMatching(/^import_invalid_geometry_(area|no_area)$/), params: expect.objectContaining({ detail: expect.stringMatching(/^Self-intersection/) }) } }]);
    expect(body.repaired).toEqual([{ row: 2, reason: { code: 'import_repaired', params: { detail: expect.stringMatching(/^Ring Self-intersection/), areaChangePct: 0 } } }]);
    expect(body).toMatchObject({ inserted: 1, repairedCount: 1, rejectedCount: 1 });
    const [stored] = await ctx.store.db.query<{ valid: boolean; holes: number; area: number; type: string }>(
      `SELECT ST_IsValid(geom) AS valid, ST_GeometryType(geom) AS type, ST_NumInteriorRings(ST_GeometryN(geom, 1)) AS holes, ST_Area(geom) AS area
         FROM features WHERE layer = 'admin_units' AND fid = 'hole'`,
    );
    // The hole: the diamond (0.6d × 0.6d / 2 = 0.18 d²) and the triangle to the corner (0.105 d²).
    expect(stored).toMatchObject({ valid: true, type: 'ST_Polygon', holes: 1 });
    expect(stored.area / (d * d)).toBeCloseTo(1 - 0.18 - 0.105, 6);
  });

  it('flags duplicates — a repeated id, the name of a stored shelter within 50 m, a name repeated nearby — and says what it did', async () => {
    const [stored] = await ctx.store.db.query<{ fid: string; name: string; lon: number; lat: number }>(
      `SELECT fid, properties ->> 'name' AS name, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM features WHERE layer = 'shelters' AND properties ? 'name' ORDER BY fid LIMIT 1`,
    );
    const csv = [
      'id,name,lon,lat',
      `d-1,${stored.name},${stored.lon + 0.0001},${stored.lat}`, // ~10 m east
      'd-2,新建广场,106.60000,29.60000',
      'd-3,新建广场,106.60020,29.60000', // ~19 m from d-2
      'd-2,重复编号,106.61,29.61',
      'd-4,新建广场,106.61,29.61', // same name, 1.3 km away: not a duplicate
    ].join('\n');
    const before = await count(ctx.store.db, 'shelters');
    const { body } = await upload(ctx.api, 'shelters', 'dups.csv', csv, { mode: 'append', dryRun: 'false' });
    expect(body).toMatchObject({ inserted: 4, rejectedCount: 1, duplicateCount: 3 });
    expect(body.duplicates).toEqual([
      { row: 2, existing: stored.fid, reason: { code: 'import_same_name_stored', params: { name: stored.name, distanceM: 10, other: stored.fid } } },
      { row: 4, reason: { code: 'import_same_name_row', params: { name: '新建广场', distanceM: 19, other: 3 } } },
      { row: 5, reason: { code: 'import_duplicate_id', params: { id: 'd-2', earlier: 3 } } },
    ]);
    expect(await count(ctx.store.db, 'shelters')).toBe(before + 4);
  });

  it('lists the first 1000 rejected rows and counts them all', async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => `bad-${i},坏行,东经,北纬`);
    const { body } = await upload(ctx.api, 'shelters', 'bad.csv', ['id,name,lon,lat', ...rows, 'ok-1,好行,106.6,29.6'].join('\n'));
    expect(body).toMatchObject({ rowsRead: 1501, importable: 1, rejectedCount: 1500 });
    expect(body.rejected).toHaveLength(1000);
    expect(body.rejected[999].row).toBe(1001);
  });
});

describe.each(STORE_KINDS)('roads and admin units as import targets on %s', (kind) => {
  const ctx = useTestApi(kind);
  const post = (path: string, body: unknown) => ctx.api.call(`/api/analysis/${path}`, { method: 'POST', body, token: ADMIN });

  /** A 5 × 5 street grid, 0.01° apart, round (106.55, 29.58) in 江北, all at `speed` km/h. */
  function grid(speed: number): Feature<LineString>[] {
    const lines: Feature<LineString>[] = [];
    for (let i = 0; i < 5; i++) {
      const v = [0, 1, 2, 3, 4].map((j): [number, number] => [106.53 + i * 0.01, 29.56 + j * 0.01]);
      const h = [0, 1, 2, 3, 4].map((j): [number, number] => [106.53 + j * 0.01, 29.56 + i * 0.01]);
      lines.push({ type: 'Feature', id: `v${i}`, properties: { 道路名称: `纵${i}路`, 道路等级: '主干道', 车速: speed, 单行: '双向' }, geometry: { type: 'LineString', coordinates: v } });
      lines.push({ type: 'Feature', id: `h${i}`, properties: { 道路名称: `横${i}路`, 道路等级: '主干道', 车速: speed, 单行: '双向' }, geometry: { type: 'LineString', coordinates: h } });
    }
    return lines;
  }

  it('a road file with class and speed replaces the network the isochrones route on', async () => {
    const origin = [106.55, 29.58];
    const iso = async () => (await post('isochrone', { origins: [origin], minutes: [3], mode: 'drive' })).body.features[0].properties.areaKm2 as number;
    const demo = await iso();
    // The grid's streets cross at shared vertices: connectivity=vertices (end points would keep them apart).
    const roadsBefore = await count(ctx.store.db, 'roads');
    const fast = await upload(ctx.api, 'roads', 'grid.geojson', JSON.stringify({ type: 'FeatureCollection', features: grid(60) }), {
      mode: 'replace',
      dryRun: 'false',
      connectivity: 'vertices',
    });
    expect(fast.body).toMatchObject({ inserted: 10, rejectedCount: 0, duplicateCount: 0 });
    expect(fast.body.columns).toEqual({ 道路名称: 'name', 道路等级: 'class', 车速: 'speed_kmh', 单行: 'oneway' });
    // Replaced within 江北 only (and among roads without a county: grid streets past 江北's generalised boundary); the other districts' roads stay.
    expect(Object.keys(fast.body.deletedByCounty).sort()).toEqual(['', '500105']);
    expect(await count(ctx.store.db, 'roads')).toBe(roadsBefore - fast.body.deleted + 10);
    const onGrid = await iso();
    // 3 minutes at 60 km/h is 3 km of road: the 4 km grid bounds it, unlike the demo network.
    expect(onGrid).not.toBeCloseTo(demo, 3);
    expect(onGrid).toBeLessThan(0.045 * 0.045 * 111 * 97);
    await upload(ctx.api, 'roads', 'grid.geojson', JSON.stringify({ type: 'FeatureCollection', features: grid(20) }), { mode: 'replace', dryRun: 'false', connectivity: 'vertices' });
    const slow = await iso();
    expect(slow).toBeGreaterThan(0);
    expect(slow).toBeLessThan(onGrid / 2);
  });

  it('admin units with population feed the coverage analyses', async () => {
    const county = '500117';
    const total = async () => (await post('fire-coverage', { county })).body.towns.reduce((s: number, t: any) => s + t.population, 0) as number;
    const before = await total();
    const towns = await ctx.api.call(`/api/layers/admin_units/features?level=town&county_code=${county}&limit=1000`, { token: ADMIN });
    expect(towns.body.features.length).toBeGreaterThan(10);
    const doubled = towns.body.features.map((f: any) => ({ ...f, properties: { ...f.properties, population: f.properties.population * 2 } }));
    const { body } = await upload(ctx.api, 'admin_units', 'towns.geojson', JSON.stringify({ type: 'FeatureCollection', features: doubled }), { mode: 'upsert', dryRun: 'false' });
    expect(body).toMatchObject({ updated: doubled.length, inserted: 0, rejectedCount: 0 });
    expect(await total()).toBe(before * 2);
  });
});
