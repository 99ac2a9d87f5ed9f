import fs from 'node:fs';
import { distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../server/store/index.js';
import { STORE_KINDS } from '../setup/store.js';
import { TOKENS, useTestApi } from '../setup/server.js';

const DIR = 'tests/fixtures/formats/';
const truth = JSON.parse(fs.readFileSync(`${DIR}truth.json`, 'utf8'));
const CLASS: Record<string, string> = { 紧急避难场所: 'emergency', '固定避难场所（短期）': 'fixed_short', 中心避难场所: 'central' };

/** Everything about a layer's stored features, to show an import left it exactly as it was. */
async function snapshot(db: Db, layer: string): Promise<string> {
  return JSON.stringify(await db.query('SELECT fid, properties, ST_AsText(geom) AS g, version FROM features WHERE layer = $1 ORDER BY fid', [layer]));
}

/** Checks features against the shelter truth, matched by name: within 1 m, names exactly as written. */
function expectAtTruth(features: { geometry: { coordinates: [number, number] }; properties: Record<string, unknown> }[]): void {
  expect(features.map((f) => f.properties.name).sort()).toEqual(truth.shelters.map((t: { name: string }) => t.name).sort());
  for (const f of features) {
    const t = truth.shelters.find((s: { name: string }) => s.name === f.properties.name);
    expect(distance(f.geometry.coordinates, [t.lon, t.lat], { units: 'meters' }), t.name).toBeLessThan(1);
    expect(f.properties).toMatchObject({ capacity: t.capacity, class: CLASS[t.class] });
  }
}

describe.each(STORE_KINDS)('shapefile import API on %s', (kind) => {
  const ctx = useTestApi(kind);

  /** The zip as the raw request body with ?filename=, as curl --data-binary sends it. */
  async function post(layer: string, file: string, query: string) {
    const res = await fetch(`${ctx.api.url}/api/layers/${layer}/import?filename=${encodeURIComponent(file)}${query ? `&${query}` : ''}`, {
      method: 'POST',
      headers: { 'content-type': 'application/zip', authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` },
      body: new Uint8Array(fs.readFileSync(DIR + file)),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  it('a dry run of a zone-35 (prefixed) GB18030 shapefile takes the CRS from the .prj and writes nothing', async () => {
    const before = await snapshot(ctx.store.db, 'shelters');
    const { status, body } = await post('shelters', 'shelters-gk35-gb18030.zip', 'mode=replace');
    expect(status).toBe(200);
    expect(body).toMatchObject({ format: 'shapefile', crs: 'EPSG:4523', crsFrom: 'file', dryRun: true, rowsRead: 4, importable: 4, inserted: 4, rejected: [] });
    expect(body.geometryFrom).toMatch(/shapefile 应急数据\/避难场所\/shelters\.shp \(Point\)/);
    expectAtTruth(body.preview.features);
    expect(await snapshot(ctx.store.db, 'shelters')).toBe(before);
  });

  it('the real import stores the shelters within 1 m of truth, 生僻字 intact', async () => {
    const { status, body } = await post('shelters', 'shelters-gk35-gb18030.zip', 'mode=replace&dryRun=false');
    expect(status).toBe(200);
    expect(body).toMatchObject({ dryRun: false, inserted: 4 });
    // Replace is scoped to the counties the file covers: there, only the file's shelters are left.
    const page = await ctx.api.call('/api/layers/shelters/features?limit=1000', { token: TOKENS.ADMIN_TOKEN });
    const imported = page.body.features.filter((f: any) => f.properties.source === 'import: shelters-gk35-gb18030.zip');
    const counties = new Set(imported.map((f: any) => f.properties.county_code));
    const inCounties = page.body.features.filter((f: any) => counties.has(f.properties.county_code));
    expect(inCounties).toHaveLength(4);
    expectAtTruth(inCounties);
    expect(inCounties.map((f: any) => f.properties.name)).toContain('𠮷祥公园避难场所');
    expect(inCounties.every((f: any) => f.properties.source === 'import: shelters-gk35-gb18030.zip')).toBe(true);
  });

  it('takes the zip as a multipart file part too (as the browser sends it): GBK named by the language driver byte', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(fs.readFileSync(`${DIR}shelters-gk105-gbk-ldid.zip`))], { type: 'application/zip' }), '避难场所-gbk.zip');
    form.append('mode', 'replace');
    const res = await fetch(`${ctx.api.url}/api/layers/shelters/import`, { method: 'POST', headers: { authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` }, body: form });
    const body = (await res.json()) as any;
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ format: 'shapefile', file: '避难场所-gbk.zip', crs: 'EPSG:4544', crsFrom: 'file', encoding: 'gb18030', dryRun: true, importable: 3, rejected: [] });
    for (const f of body.preview.features) {
      const t = truth.shelters.find((x: { name: string }) => x.name === f.properties.name);
      expect(distance(f.geometry.coordinates, [t.lon, t.lat], { units: 'meters' }), t.name).toBeLessThan(1);
    }
  });

  it('refuses a zip with a path-traversal entry with 400 and the reason, changing nothing', async () => {
    const before = await snapshot(ctx.store.db, 'shelters');
    const { status, body } = await post('shelters', 'traversal.zip', 'mode=replace&dryRun=false');
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'unreadable_file', parameter: 'file' });
    expect(body.error.message).toMatch(/traversal\.zip holds an entry named "\.\.\/\.\.\/etc\/passwd", which climbs out of the archive/);
    expect(body.error.params).toEqual({ detail: 'read_zip_unsafe_name', file: 'traversal.zip', name: '../../etc/passwd' });
    expect(await snapshot(ctx.store.db, 'shelters')).toBe(before);
  });

  it('refuses a Xian 1980 .prj and a zip without .dbf with 400, saying what to do', async () => {
    const xian = await post('shelters', 'xian80.zip', 'mode=replace&dryRun=false');
    expect(xian.status).toBe(400);
    expect(xian.body.error.message).toMatch(/Xian_1980_3_Degree_GK_CM_114E.*QGIS/);
    const noDbf = await post('shelters', 'no-dbf.zip', 'mode=replace&dryRun=false');
    expect(noDbf.status).toBe(400);
    expect(noDbf.body.error.message).toMatch(/shelters\.shp has no shelters\.dbf next to it/);
    expect(noDbf.body.error.params).toMatchObject({ detail: 'read_shp_no_dbf', shp: 'shelters.shp', dbf: 'shelters.dbf' });
    expect(xian.body.error.params).toMatchObject({ detail: 'read_shp_prj', file: 'xian80.zip' });
  });
});
