import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { fieldsFor, findLayer } from '../../core/catalogue/index.js';
import { readGpkg } from '../../server/formats/gpkg.js';
import { readKml } from '../../server/formats/kml.js';
import { zipEntries } from '../../server/formats/zip.js';
import { decode } from '../../server/import/decode.js';
import { readSource } from '../../server/import/read.js';
import { STORE_KINDS } from '../setup/store.js';
import { TOKENS, useTestApi } from '../setup/server.js';

const FORMATS = ['geojson', 'csv', 'gpkg', 'kml'] as const;
type Format = (typeof FORMATS)[number];

const hasOgrinfo = (() => {
  try {
    execFileSync('ogrinfo', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasOgrinfo) console.warn('ogrinfo is not on PATH: the GDAL validation of exported GeoPackage and KML files is skipped (CI installs gdal-bin).');

const shelters = findLayer('shelters')!;
const internalFields = shelters.fields.filter((f) => f.access === 'internal').map((f) => f.name);

/** Records of an exported file, read by our own readers. */
async function readBack(format: Format, bytes: Uint8Array) {
  if (format === 'gpkg') return (await readGpkg(bytes, 'x.gpkg')).records;
  if (format === 'kml') return readKml(bytes, 'x.kml').records;
  return readSource(decode(bytes).text, format).records;
}

/** The position of a point record. */
const xy = (r: { geometry?: unknown }): [number, number] => (r.geometry as { coordinates: [number, number] }).coordinates;

const contains = (bytes: Uint8Array, s: string): boolean => Buffer.from(bytes).includes(Buffer.from(s, 'utf8'));

describe.each(STORE_KINDS)('export API on %s', (kind) => {
  const ctx = useTestApi(kind);

  /**
   * A request on its own connection (no keep-alive): on a loaded machine a reused idle connection
   * can be closed by the server just as the next request goes out (ECONNRESET).
   */
  function download(pathAndQuery: string, token?: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
    return new Promise<{ status: number; headers: Headers; bytes: Uint8Array; json: () => any }>((resolve, reject) => {
      const req = http.request(ctx.api.url + pathAndQuery, { method: init.method ?? 'GET', agent: false, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const bytes = new Uint8Array(Buffer.concat(chunks));
          const headers = new Headers(Object.entries(res.headers).map(([k, v]) => [k, String(v)] as [string, string]));
          resolve({ status: res.statusCode!, headers, bytes, json: () => JSON.parse(new TextDecoder().decode(bytes)) });
        });
      });
      req.on('error', reject);
      req.end(init.body);
    });
  }

  async function allShelters(token?: string) {
    return (await ctx.api.call('/api/layers/shelters/features?limit=10000', { token })).body;
  }

  it.each(FORMATS)('%s: every shelter for a commander, public fields only for the public', async (format) => {
    const staff = await allShelters(TOKENS.COMMANDER_TOKEN);
    const withPhone = staff.features.find((f: any) => f.properties.phone);
    expect(withPhone).toBeDefined();
    const phone = withPhone.properties.phone as string;

    const commander = await download(`/api/layers/shelters/export?format=${format}`, TOKENS.COMMANDER_TOKEN);
    expect(commander.status).toBe(200);
    const cd = commander.headers.get('content-disposition')!;
    expect(cd).toMatch(new RegExp(`^attachment; filename="shelters-\\d{8}\\.${format}"; filename\\*=UTF-8''`));
    expect(decodeURIComponent(cd.split("UTF-8''")[1])).toMatch(new RegExp(`^应急避难场所-\\d{8}\\.${format}$`));
    const records = await readBack(format, commander.bytes);
    expect(records).toHaveLength(staff.numberMatched);
    expect(contains(commander.bytes, phone)).toBe(true);
    const one = records.find((r) => r.id === withPhone.id)!;
    expect(one.values.name).toBe(withPhone.properties.name);
    expect(distance(xy(one), withPhone.geometry.coordinates, { units: 'meters' })).toBeLessThan(0.05);

    const anon = await download(`/api/layers/shelters/export?format=${format}`);
    expect(anon.status).toBe(200);
    expect(await readBack(format, anon.bytes)).toHaveLength(staff.numberMatched);
    // The bytes themselves: no internal column name, no phone number anywhere in the file.
    for (const name of internalFields) expect(contains(anon.bytes, `"${name}"`) || contains(anon.bytes, `,${name},`) || contains(anon.bytes, `name="${name}"`), name).toBe(false);
    expect(contains(anon.bytes, phone)).toBe(false);
    for (const f of staff.features) if (f.properties.manager) expect(contains(anon.bytes, f.properties.manager)).toBe(false);
  });

  it('CSV starts with the UTF-8 byte-order mark and has code and label columns', async () => {
    const { bytes, headers } = await download('/api/layers/shelters/export?format=csv&county_code=500105');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const lines = decode(bytes).text.trim().split('\r\n');
    expect(lines).toHaveLength(1 + 48);
    const header = lines[0].split(',');
    expect(header).toEqual([...new Set(header)]);
    expect(header).toContain('class_名称');
    expect(header.slice(-2)).toEqual(['lon(WGS84)', 'lat(WGS84)']);
  });

  it('applies the /features filters', async () => {
    const q = 'county_code=500105&class=emergency,central';
    const page = (await ctx.api.call(`/api/layers/shelters/features?${q}&limit=10000`)).body;
    expect(page.numberMatched).toBeGreaterThan(0);
    const { bytes } = await download(`/api/layers/shelters/export?format=geojson&${q}`);
    const doc = JSON.parse(new TextDecoder().decode(bytes));
    expect(doc.features.map((f: any) => f.id)).toEqual(page.features.map((f: any) => f.id));
    const limited = await download('/api/layers/shelters/export?format=geojson&limit=3&offset=2');
    expect(limited.json().features.map((f: any) => f.id)).toEqual((await allShelters()).features.slice(2, 5).map((f: any) => f.id));
  });

  it.each(FORMATS)('%s in GCJ-02 is offset 100–700 m from WGS 84 and named so', async (format) => {
    const q = 'county_code=500105';
    const wgs = await readBack(format, (await download(`/api/layers/shelters/export?format=${format}&${q}`)).bytes);
    const res = await download(`/api/layers/shelters/export?format=${format}&crs=gcj02&${q}`);
    expect(res.headers.get('content-disposition')).toMatch(new RegExp(`filename="shelters-\\d{8}-gcj02\\.${format}"`));
    const gcj = await readBack(format, res.bytes);
    expect(gcj).toHaveLength(wgs.length);
    for (const [i, r] of gcj.entries()) {
      const d = distance(xy(r), xy(wgs[i]), { units: 'meters' });
      expect(d, r.id).toBeGreaterThan(100);
      expect(d, r.id).toBeLessThan(700);
    }
    if (format === 'gpkg') expect((await readGpkg(res.bytes, 'x.gpkg')).crs?.name).toBe('gcj02');
    if (format === 'geojson') expect(res.json().coordinateSystem.name).toBe('GCJ-02');
  });

  it('answers bad parameters with 400 naming them, and internal layers with 401', async () => {
    const cases: [string, string][] = [
      ['format=dwg', 'format'],
      ['format=csv&crs=bd09', 'crs'],
      ['crs=EPSG:3857', 'crs'],
      ['colour=red', 'colour'],
      ['phone=123', 'phone'],
      ['format=csv&format=kml', 'format'],
    ];
    for (const [query, parameter] of cases) {
      const res = await ctx.api.call(`/api/layers/shelters/export?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.parameter, query).toBe(parameter);
    }
    expect((await ctx.api.call('/api/layers/depots/export?format=csv')).status).toBe(401);
    const depots = await download('/api/layers/depots/export?format=csv', TOKENS.ADMIN_TOKEN);
    expect(depots.status).toBe(200);
    expect(decode(depots.bytes).text.split('\r\n')[0]).toContain('inventory');
  });

  describe('POST /api/export (an analysis result)', () => {
    const result = {
      type: 'FeatureCollection',
      analysis: 'fire',
      parameters: { county: '500105', minutes: 5 },
      features: [
        { type: 'Feature', properties: { layer: 'service_area', station: 'fs-1', areaKm2: 7.25, towns: ['观音桥', '华新街'] }, geometry: { type: 'Polygon', coordinates: [[[106.52, 29.57], [106.56, 29.57], [106.56, 29.6], [106.52, 29.57]]] } },
        { type: 'Feature', properties: { layer: 'uncovered_cell', population: 1200 }, geometry: { type: 'Point', coordinates: [106.6, 29.62] } },
      ],
    };

    it.each(FORMATS)('%s', async (format) => {
      const res = await download(`/api/export?format=${format}&crs=gcj02&name=${encodeURIComponent('消防覆盖-江北')}`, undefined, {
        method: 'POST',
        headers: { 'content-type': 'application/geo+json' },
        body: JSON.stringify(result),
      });
      expect(res.status).toBe(200);
      const cd = res.headers.get('content-disposition')!;
      expect(cd).toMatch(new RegExp(`filename="analysis-\\d{8}-gcj02\\.${format}"`));
      expect(decodeURIComponent(cd.split("UTF-8''")[1])).toMatch(/^消防覆盖-江北-\d{8}-gcj02\./);
      const records = await readBack(format, res.bytes);
      expect(records).toHaveLength(2);
      expect(records[0].geometry!.type).toBe('Polygon');
      expect(records[0].values.station).toBe('fs-1');
      expect(Number(records[0].values.areaKm2)).toBe(7.25);
      const p = xy(records[1]);
      const d = distance(p, [106.6, 29.62], { units: 'meters' });
      expect(d).toBeGreaterThan(100);
      expect(d).toBeLessThan(700);
      if (format === 'geojson') expect(res.json()).toMatchObject({ analysis: 'fire', parameters: { county: '500105' } });
      else expect(String(records[0].values.towns)).toBe('["观音桥","华新街"]');
    });

    it('accepts a body above the 1 MB limit of other endpoints', async () => {
      const many = { type: 'FeatureCollection', features: Array.from({ length: 12000 }, (_, i) => ({ type: 'Feature', properties: { i, note: '覆盖不足的人口网格单元' }, geometry: { type: 'Point', coordinates: [106.5 + i * 1e-5, 29.6] } })) };
      const body = JSON.stringify(many);
      expect(Buffer.byteLength(body)).toBeGreaterThan(1.5 * 1024 * 1024);
      const res = await download('/api/export?format=csv', undefined, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBe(200);
      expect(decode(res.bytes).text.trim().split('\r\n')).toHaveLength(12001);
    });

    it('refuses what is not a FeatureCollection, and bad names', async () => {
      const post = (query: string, body: unknown) => ctx.api.call(`/api/export?${query}`, { method: 'POST', body });
      const notFc = await post('format=csv', { type: 'Feature' });
      expect(notFc.status).toBe(400);
      expect(notFc.body.error.parameter).toBe('body');
      const badFeature = await post('format=csv', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Circle' }, properties: {} }] });
      expect(badFeature.body.error.message).toMatch(/features\[0\]/);
      const point = (coordinates: unknown) => ({ type: 'Feature', geometry: { type: 'Point', coordinates }, properties: {} });
      const badCoords = await post('format=kml', { type: 'FeatureCollection', features: [point([106, 29]), point(['106', 29])] });
      expect(badCoords.status).toBe(400);
      expect(badCoords.body.error.message).toMatch(/features\[1\]/);
      expect((await post('format=csv&name=../../etc', result)).body.error.parameter).toBe('name');
      expect((await post('format=xlsx', result)).body.error.parameter).toBe('format');
    });
  });

  it.skipIf(!hasOgrinfo)('GDAL reads the exported GeoPackage and KML: feature count, SRS, field names', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-export-'));
    try {
      const n = (await allShelters()).numberMatched;
      const publicFields = fieldsFor(shelters, 'public').map((f) => f.name);
      for (const [format, crs] of [['gpkg', 'wgs84'], ['gpkg', 'gcj02'], ['kml', 'wgs84']] as const) {
        const file = path.join(dir, `shelters-${crs}.${format}`);
        fs.writeFileSync(file, (await download(`/api/layers/shelters/export?format=${format}&crs=${crs}`)).bytes);
        const info = execFileSync('ogrinfo', ['-ro', '-al', '-so', file], { encoding: 'utf8' });
        expect(info, `${format} ${crs}`).toContain(`Feature Count: ${n}`);
        expect(info).toMatch(crs === 'gcj02' ? /GEOGCRS\["GCJ-02/ : /ID\["EPSG",4326\]/);
        // LIBKML shows <name> as its own "Name" field rather than the SimpleData of that name.
        for (const field of publicFields.filter((f) => format !== 'kml' || f !== 'name')) expect(info, `${format} ${field}`).toMatch(new RegExp(`^${field}: `, 'm'));
        if (format === 'gpkg') expect(info).toMatch(/Geometry: Point/);
        for (const field of internalFields) expect(info).not.toMatch(new RegExp(`^${field}: `, 'm'));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('importing GeoPackage and KML (dry run)', () => {
    async function importFile(file: string, body: Uint8Array = new Uint8Array(fs.readFileSync(`tests/fixtures/formats/${file}`))) {
      const res = await fetch(`${ctx.api.url}/api/layers/shelters/import?filename=${encodeURIComponent(file)}&dryRun=true`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${TOKENS.COMMANDER_TOKEN}` },
        body: new Uint8Array(body),
      });
      return { status: res.status, body: (await res.json()) as any };
    }

    it('a GIS office GeoPackage in EPSG:4490 with Chinese columns', async () => {
      const truth = JSON.parse(fs.readFileSync('tests/fixtures/formats/cgcs2000-shelters.source.geojson', 'utf8'));
      const { status, body } = await importFile('cgcs2000-shelters.gpkg');
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body).toMatchObject({ format: 'gpkg', crs: 'cgcs2000', dryRun: true, rowsRead: 3, importable: 3, rejected: [] });
      expect(body.preview.features.map((f: any) => f.id)).toEqual(['JB-001', 'JB-002', 'JB-003']);
      body.preview.features.forEach((f: any, i: number) => {
        const t = truth.features[i];
        expect(distance(f.geometry.coordinates, t.geometry.coordinates, { units: 'meters' })).toBeLessThan(0.01);
        expect(f.properties).toMatchObject({ name: t.properties.名称, capacity: t.properties.容纳人数 });
      });
      expect(body.preview.features[0].properties.class).toBe('central');
    });

    it('a phone-app KML: the points import, the route and the mixed MultiGeometry are refused with reasons', async () => {
      const { status, body } = await importFile('phone-app.kml');
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body).toMatchObject({ format: 'kml', crs: 'wgs84', rowsRead: 5, importable: 3 });
      expect(body.preview.features.map((f: any) => f.properties.name)).toEqual(['观音桥广场应急避难场所', '江北城中央公园避难场所', '寸滩小学操场']);
      expect(body.preview.features[0].geometry.coordinates).toEqual([106.5312, 29.5754]);
      expect(body.preview.features[0].properties).toMatchObject({ class: 'emergency', capacity: 3500, status: 'open' });
      expect(body.preview.features[1].properties).toMatchObject({ class: 'fixed_medium', capacity: 12000 });
      const reasons = body.rejected.filter((r: any) => r.field === 'geometry').map((r: any) => [r.row, r.reason]);
      expect(reasons).toEqual([
        [4, { code: 'import_geometry_kind', params: { type: 'MultiLineString', expected: 'Point' } }],
        [5, { code: 'geometry_kml_mixed', params: { kinds: 'Point + Polygon' } }],
      ]);
      const kmz = await importFile('phone-app.kmz', zipEntries({ 'doc.kml': new Uint8Array(fs.readFileSync('tests/fixtures/formats/phone-app.kml')) }));
      expect(kmz.body).toMatchObject({ format: 'kmz', rowsRead: 5, importable: 3 });
      const essentials = (fs: any[]) => fs.map((f) => [f.geometry, f.properties.name, f.properties.class, f.properties.capacity]);
      expect(essentials(kmz.body.preview.features)).toEqual(essentials(body.preview.features));
    });
  });
});
