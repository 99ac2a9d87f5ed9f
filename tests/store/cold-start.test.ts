/**
 * A new embedded store starts from the installation's migrated template (server/store/
 * pglite-template.ts): the copy has every migration applied, PostGIS with PROJ and the layer-count
 * triggers working, and stores made from it are independent; a change to the migrations makes a new
 * template with it applied — from a copy of the old one, when the migrations only grew — and drops
 * the old one. `npm install` makes the template and the demo dataset (server/cli/prepare.ts); the
 * dataset's cache (seeds/demo-cache.ts) is keyed on its inputs and reads back what was generated. Seeding's EWKB write path stores the
 * geometries given and still refuses an invalid one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoKey, demoLayers } from '../../seeds/demo-cache.js';
import { generateDemo } from '../../seeds/demo/index.js';
import { listMigrations, type Migration } from '../../server/store/migrate.js';
import { featureCount, loadLayers, openStore, type Db, type OpenTimings } from '../../server/store/index.js';
import { fromTemplate, isNewDataDir, templateKey } from '../../server/store/pglite-template.js';
import { main as prepare } from '../../server/cli/prepare.js';

const dirs: string[] = [];
const tmp = (name: string): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `onemap-${name}-`));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const versions = async (db: Db) => (await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version);

const point = (id: string, coordinates: number[]) => ({
  type: 'Feature' as const,
  id,
  geometry: { type: 'Point' as const, coordinates },
  properties: { name: id, source: 'test' },
});

describe('the embedded store template', () => {
  const cache = tmp('template-cache');
  const migrations = listMigrations();

  it('is made once, by `npm install` (with the demo dataset); a store copied from it has every migration applied and PostGIS working', { timeout: 600_000 }, async () => {
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t) };
    expect(await prepare(['--'], io, {}, cache)).toBe(0);
    expect(out.join('')).toMatch(/^onemap: embedded store template made in [\d.]+ s; demo dataset generated \(/);
    expect(fs.readdirSync(cache).sort()).toEqual([`demo-${demoKey()}.json`, templateKey(migrations)].sort());
    // The dataset it cached is exactly what the generator makes.
    const demo = await demoLayers(cache);
    expect(demo.cached).toBe(true);
    expect(demo.layers).toEqual(generateDemo());
    expect(demo.layers.roads.length).toBeGreaterThan(1000);
    // Again: nothing to make.
    out.length = 0;
    expect(await prepare([], io, {}, cache)).toBe(0);
    expect(out.join('')).toMatch(/^onemap: embedded store template already made; demo dataset already cached/);

    const a = tmp('store-a');
    expect(isNewDataDir(a)).toBe(true);
    const first = await fromTemplate(a, migrations, cache);
    expect(first?.built).toBe(false);
    expect(path.basename(first!.dir)).toBe(templateKey(migrations));
    expect(isNewDataDir(a)).toBe(false);

    const b = tmp('store-b');
    expect((await fromTemplate(b, migrations, cache))?.built).toBe(false);

    const timings: OpenTimings = {};
    const dbA = await openStore({ dataDir: a }, timings);
    // A copied store is not new: openStore neither copies again nor migrates.
    expect(timings.template).toBeUndefined();
    expect(timings.applied).toEqual([]);
    expect(await versions(dbA)).toEqual(migrations.map((m) => m.version));
    // PostGIS with PROJ: lon 106.5° to Web Mercator x = R·λ (EPSG:3857).
    const [{ x }] = await dbA.query<{ x: number }>('SELECT ST_X(ST_Transform(ST_SetSRID(ST_Point(106.5, 29.5), 4326), 3857)) AS x');
    expect(x).toBeCloseTo((6378137 * 106.5 * Math.PI) / 180, 3);
    // The layer-count triggers (migration 005) came with the copy.
    await loadLayers(dbA, { shelters: [point('s1', [106.5, 29.6]), point('s2', [106.6, 29.7])] }, { replace: false });
    expect(await dbA.query('SELECT layer, n FROM layer_stats')).toEqual([{ layer: 'shelters', n: 2 }]);
    await dbA.close();

    // Stores made from one template share nothing.
    const dbB = await openStore({ dataDir: b });
    expect(await featureCount(dbB)).toBe(0);
    await dbB.close();
  });

  it('is made again, with the new migration applied, when the migrations change; the old one and one a stopped server left half-made are dropped', { timeout: 600_000 }, async () => {
    const changed: Migration[] = [...migrations, { version: 999, name: '999_template_probe.sql', sql: 'CREATE TABLE template_probe (x integer);' }];
    expect(templateKey(changed)).not.toBe(templateKey(migrations));
    // Editing a migration's text changes the key too.
    expect(templateKey(migrations.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited` } : m)))).not.toBe(templateKey(migrations));

    // Left half-made by a server that stopped (no process has a pid above Linux's pid_max, 2^22),
    // and being made by a running one (this test's parent process).
    const stale = `${templateKey(migrations)}.${2 ** 22 + 1}.tmp`;
    const making = `${templateKey(migrations)}.${process.ppid}.tmp`;
    fs.mkdirSync(path.join(cache, stale));
    fs.mkdirSync(path.join(cache, making));
    const c = tmp('store-c');
    const used = await fromTemplate(c, changed, cache);
    expect(used?.built).toBe(true);
    // Only the migration it lacked is applied to a copy of the old template: no initdb or PostGIS again.
    expect(path.basename(used!.base!)).toBe(templateKey(migrations));
    expect(fs.readdirSync(cache).filter((f) => f.startsWith('pglite-template-')).sort()).toEqual([templateKey(changed), making].sort());
    const db = await openStore({ dataDir: c });
    expect(await versions(db)).toEqual([...migrations.map((m) => m.version), 999]);
    expect(await db.query('SELECT count(*)::int AS n FROM template_probe')).toEqual([{ n: 0 }]);
    await db.close();
  });

  it('is what openStore uses for a new DATA_DIR', { timeout: 600_000 }, async () => {
    const timings: OpenTimings = {};
    const db = await openStore({ dataDir: path.join(tmp('store-d'), 'data') }, timings);
    expect(['built', 'upgraded', 'copied']).toContain(timings.template);
    expect(timings.applied).toEqual([]);
    expect(await versions(db)).toEqual(migrations.map((m) => m.version));
    await db.close();
  });
});

describe('seeding through the EWKB write path', () => {
  it('stores the geometries given and refuses an invalid one, writing nothing', { timeout: 600_000 }, async () => {
    const db = await openStore({ dataDir: tmp('store-e') });
    const line = { type: 'Feature' as const, id: 7, geometry: { type: 'LineString' as const, coordinates: [[106, 29], [106.5, 29.25]] }, properties: { name: 'l' } };
    const square = {
      type: 'Feature' as const,
      id: 'sq',
      geometry: { type: 'Polygon' as const, coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] },
      properties: { name: 'sq' },
    };
    expect(await loadLayers(db, { roads: [line], hazard_zones: [square] }, { replace: false })).toEqual({ roads: 1, hazard_zones: 1 });
    expect(await db.query('SELECT layer, fid, ST_AsText(geom) AS wkt, ST_SRID(geom) AS srid, properties FROM features ORDER BY layer')).toEqual([
      { layer: 'hazard_zones', fid: 'sq', wkt: 'POLYGON((0 0,1 0,1 1,0 1,0 0))', srid: 4326, properties: { name: 'sq' } },
      { layer: 'roads', fid: '7', wkt: 'LINESTRING(106 29,106.5 29.25)', srid: 4326, properties: { name: 'l' } },
    ]);
    // A bow tie (self-intersecting ring) fails the store's ST_IsValid check: the whole load is rolled back.
    const bowtie = { ...square, id: 'bow', geometry: { type: 'Polygon' as const, coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] } };
    await expect(loadLayers(db, { shelters: [point('ok', [106.5, 29.6])], hazard_zones: [bowtie] }, { replace: false })).rejects.toThrow();
    expect(await featureCount(db)).toBe(2);
    await db.close();
  });
});

describe('the demo dataset cache', () => {
  it('is keyed on every input: a changed file or a new one changes the key', () => {
    const root = tmp('demo-inputs');
    fs.mkdirSync(path.join(root, 'gen'));
    fs.writeFileSync(path.join(root, 'gen', 'a.ts'), 'export const a = 1;');
    fs.writeFileSync(path.join(root, 'lock.json'), '{}');
    const key = demoKey(root, ['gen', 'lock.json']);
    expect(demoKey(root, ['gen', 'lock.json'])).toBe(key);
    fs.writeFileSync(path.join(root, 'gen', 'a.ts'), 'export const a = 2;');
    const edited = demoKey(root, ['gen', 'lock.json']);
    expect(edited).not.toBe(key);
    fs.writeFileSync(path.join(root, 'gen', 'b.ts'), '');
    expect(demoKey(root, ['gen', 'lock.json'])).not.toBe(edited);
  });
});
