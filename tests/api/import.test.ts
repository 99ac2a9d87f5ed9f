import fs from 'node:fs';
import { distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { deleteLayer, insertFeatures, type Db } from '../../server/store/index.js';
import { STORE_KINDS } from '../setup/store.js';
import { startTestServer, TOKENS, useTestApi } from '../setup/server.js';

const DIR = 'tests/fixtures/import/';
const truth = JSON.parse(fs.readFileSync(`${DIR}crs-truth.json`, 'utf8'));

async function count(db: Db, layer: string): Promise<number> {
  const [r] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM features WHERE layer = $1', [layer]);
  return r.n;
}

/** mode=replace replaces within the counties the file covers (the fixture's shelters lie in two). */
const FILE_COUNTIES: string[] = [...new Set<string>(truth.shelters.map((s: { county: string }) => s.county))];

async function countIn(db: Db, layer: string): Promise<number> {
  const [r] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM features WHERE layer = $1 AND properties ->> 'county_code' = ANY($2::text[])", [layer, FILE_COUNTIES]);
  return r.n;
}

/** Everything about a layer's stored features, to show an import left it exactly as it was. */
async function snapshot(db: Db, layer: string): Promise<string> {
  const rows = await db.query('SELECT fid, properties, ST_AsText(geom) AS g, version FROM features WHERE layer = $1 ORDER BY fid', [layer]);
  return JSON.stringify(rows);
}

describe.each(STORE_KINDS)('import API on %s', (kind) => {
  const ctx = useTestApi(kind);

  async function post(layer: string, file: string, query: string, token: string | undefined = TOKENS.ADMIN_TOKEN, body?: Buffer) {
    const data = body ?? fs.readFileSync(DIR + file);
    const res = await fetch(`${ctx.api.url}/api/layers/${layer}/import?filename=${encodeURIComponent(file)}${query ? `&${query}` : ''}`, {
      method: 'POST',
      headers: { 'content-type': file.endsWith('.csv') ? 'text/csv' : 'application/geo+json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: new Uint8Array(data),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  it('refuses anonymous callers with 401 and unknown options with 400', async () => {
    const anon = await post('shelters', 'shelters-utf8-bom.csv', '', '');
    expect(anon.status).toBe(401);
    expect(anon.body.error.message).toMatch(/commander or admin/);
    const crs = await post('shelters', 'shelters-utf8-bom.csv', 'crs=EPSG:3857');
    expect(crs.status).toBe(400);
    expect(crs.body.error.parameter).toBe('crs');
  });

  it('a dry run (the default) reports what replace would do and writes nothing', async () => {
    const before = await snapshot(ctx.store.db, 'shelters');
    expect(await count(ctx.store.db, 'shelters')).toBeGreaterThan(200);
    const demo = await countIn(ctx.store.db, 'shelters');
    expect(demo).toBeGreaterThan(50);
    const { status, body } = await post('shelters', 'shelters-gcj02-gb18030.csv', 'crs=gcj02&mode=replace', TOKENS.COMMANDER_TOKEN);
    expect(status).toBe(200);
    expect(body).toMatchObject({ encoding: 'gb18030', crs: 'gcj02', dryRun: true, rowsRead: 5, importable: 5, inserted: 5, updated: 0, deleted: demo, rejected: [] });
    expect(body.preview.features).toHaveLength(5);
    expect(body.preview.features[1].properties.name).toBe('𠮷祥公园避难场所');
    expect(await snapshot(ctx.store.db, 'shelters')).toBe(before);
  });

  it('replace swaps the demo shelters of the counties the file covers for the file, placed within 2 m of truth, with county codes filled in', async () => {
    const others = (await count(ctx.store.db, 'shelters')) - (await countIn(ctx.store.db, 'shelters'));
    const { status, body } = await post('shelters', 'shelters-gcj02-gb18030.csv', 'crs=gcj02&mode=replace&dryRun=false');
    expect(status).toBe(200);
    expect(body).toMatchObject({ dryRun: false, inserted: 5 });
    expect(await countIn(ctx.store.db, 'shelters')).toBe(5);
    expect(await count(ctx.store.db, 'shelters')).toBe(others + 5);
    const page = await ctx.api.call('/api/layers/shelters/features?limit=1000', { token: TOKENS.ADMIN_TOKEN });
    const inFile = page.body.features.filter((f: any) => FILE_COUNTIES.includes(f.properties.county_code));
    expect(inFile).toHaveLength(5);
    for (const f of inFile) {
      const t = truth.shelters.find((s: { id: string }) => s.id === f.id);
      expect(distance(f.geometry.coordinates, [t.lon, t.lat], { units: 'meters' }), f.id).toBeLessThan(2);
      expect(f.properties.county_code).toBe(t.county);
      expect(f.properties.name).toBe(t.name);
      expect(f.properties.source).toBe('import: shelters-gcj02-gb18030.csv');
    }
  });

  it('upsert by id updates the stored shelters; append of existing ids is rejected per row', async () => {
    const up = await post('shelters', 'shelters-utf8-bom.csv', 'mode=upsert&dryRun=false');
    expect(up.body).toMatchObject({ encoding: 'utf-8-bom', inserted: 0, updated: 5, deleted: 0 });
    const one = await ctx.api.call('/api/layers/shelters/features/imp-1');
    expect(one.body.properties.capacity).toBe(500);
    const again = await post('shelters', 'shelters-utf8-bom.csv', 'mode=append&dryRun=false');
    expect(again.status).toBe(422);
    expect(again.body.error.message).toMatch(/row 2 id: import_id_exists/);
    expect(await countIn(ctx.store.db, 'shelters')).toBe(5);
  });

  it('appends the good rows of a file with bad ones and reports each bad row', async () => {
    const { body } = await post('shelters', 'shelters-bad-rows.csv', 'mode=append&dryRun=false');
    expect(body).toMatchObject({ rowsRead: 6, inserted: 2 });
    expect(body.rejected.map((r: { row: number; field: string }) => `${r.row}:${r.field}`)).toEqual(['3:geometry', '4:class', '5:capacity', '6:capacity']);
    expect(await countIn(ctx.store.db, 'shelters')).toBe(7);
  });

  it('takes GeoJSON sent as plain application/json too', async () => {
    const res = await fetch(`${ctx.api.url}/api/layers/admin_units/import?filename=a.geojson`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` },
      body: fs.readFileSync(`${DIR}admin-bowtie.geojson`, 'utf8'),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ format: 'geojson', dryRun: true, rowsRead: 2, inserted: 1 });
  });

  it('rejects a self-intersecting polygon with the PostGIS reason and imports the valid one', async () => {
    const before = await count(ctx.store.db, 'admin_units');
    const { body } = await post('admin_units', 'admin-bowtie.geojson', 'mode=append&dryRun=false');
    expect(body.rejected).toEqual([{ row: 1, field: 'geometry', reason: { code: expect.stringMatching(/^import_invalid_geometry/), params: expect.objectContaining({ detail: expect.stringMatching(/^Self-intersection/) }) } }]);
    expect(body.inserted).toBe(1);
    expect(await count(ctx.store.db, 'admin_units')).toBe(before + 1);
  });

  it('refuses an empty file (400), a file with nothing importable (422) and an oversized one (413), changing nothing', async () => {
    const before = await snapshot(ctx.store.db, 'shelters');
    const empty = await post('shelters', 'empty.csv', 'dryRun=false', TOKENS.ADMIN_TOKEN, Buffer.from('名称,经度,纬度\n'));
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/no data rows/);
    const gkAsDegrees = await post('shelters', 'shelters-gk-epsg4524.csv', 'crs=wgs84&mode=replace&dryRun=false');
    expect(gkAsDegrees.status).toBe(422);
    expect(gkAsDegrees.body.error.message).toMatch(/import_position_outside_crs/);
    // The limit is IMPORT_LIMIT_MB (default 200): a server with 20 shows the 413 without sending 200 MB.
    const small = await startTestServer(ctx.store.db, { IMPORT_LIMIT_MB: '20' });
    const big = await fetch(`${small.url}/api/layers/shelters/import?filename=big.csv&dryRun=false`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` },
      body: new Uint8Array(Buffer.alloc(21 * 1024 * 1024, 0x20)),
    });
    await small.close();
    expect(big.status).toBe(413);
    expect(((await big.json()) as any).error.message).toMatch(/20 MB/);
    expect(await snapshot(ctx.store.db, 'shelters')).toBe(before);
  });

  it('imports Gauss–Krüger zone 36 with prefix within 1 m of truth', async () => {
    const { body } = await post('shelters', 'shelters-gk-epsg4524.csv', 'crs=EPSG:4524&mode=upsert');
    expect(body).toMatchObject({ crs: 'EPSG:4524', updated: 3, rejected: [] });
    for (const f of body.preview.features) {
      const t = truth.shelters.find((s: { id: string }) => s.id === f.id);
      expect(distance(f.geometry.coordinates, [t.lon, t.lat], { units: 'meters' })).toBeLessThan(1);
    }
  });

  it('a failure part-way through a replace rolls back the delete and the rows already inserted', async () => {
    const before = await snapshot(ctx.store.db, 'shelters');
    const good = Array.from({ length: 700 }, (_, i) => ({
      type: 'Feature' as const,
      id: `ok-${i}`,
      geometry: { type: 'Point' as const, coordinates: [106.5 + i * 1e-4, 29.6] },
      properties: {},
    }));
    // The 601st feature is in the second insert chunk; the table's ST_IsValid check refuses its bow tie.
    const bowtie = { type: 'Polygon', coordinates: [[[106.5, 29.5], [106.6, 29.6], [106.6, 29.5], [106.5, 29.6], [106.5, 29.5]]] };
    (good[600] as { geometry: unknown }).geometry = bowtie;
    const replace = (tx: Db) => deleteLayer(tx, 'shelters').then(() => insertFeatures(tx, 'shelters', good));
    await expect(ctx.store.db.transaction(replace)).rejects.toThrow(/features_geom_valid/);
    expect(await snapshot(ctx.store.db, 'shelters')).toBe(before);
  });
});
