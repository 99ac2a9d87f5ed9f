/**
 * The cell summary of point features (migration 027, issue 15) on each store: kept right through
 * every kind of write — seeding's insert, an edit's create / move / field change / delete, an
 * import's replace, a bulk delete across layers (one emptied, one not) and a TRUNCATE-free reset — with hand-checked counts and mean
 * positions; a low-zoom grid tile read from the summary is the tile read from every point; and the
 * count in a box from the summary is the row-by-row count.
 */
import { VectorTile } from '@mapbox/vector-tile';
import type { Geometry } from 'geojson';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldsFor, findLayer } from '../../core/catalogue/index.js';
import {
  CELL_LEVELS,
  countFeatures,
  createFeature,
  deleteFeature,
  deleteLayer,
  insertFeatures,
  insertImported,
  updateFeature,
  type Db,
  type TileSpec,
} from '../../server/store/index.js';
import { toTile } from '../../server/tiles/grid.js';
import { buildTile } from '../../server/tiles/service.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../setup/store.js';

const LAYER = 'cells_test';
const who = { actor: 'test', role: 'admin' };
const opts = { fillCounty: false };
const point = (lon: number, lat: number): Geometry => ({ type: 'Point', coordinates: [lon, lat] });

/** The cell of a position at a level, by the definition (Web Mercator position in [0, 1) × 2^level). */
function cellOf(lon: number, lat: number, level: number): string {
  const s = Math.sin((lat * Math.PI) / 180);
  const y = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  return `${Math.floor(((lon + 180) / 360) * 2 ** level)},${Math.floor(y * 2 ** level)}`;
}

interface CellRow {
  level: number;
  cell: string;
  n: number;
  lon: number;
  lat: number;
}

async function summary(db: Db, layer = LAYER): Promise<CellRow[]> {
  const rows = await db.query<{ level: number; cx: number; cy: number; n: number; sum_lon: number; sum_lat: number }>(
    'SELECT level, cx, cy, n, sum_lon, sum_lat FROM point_cells WHERE layer = $1 ORDER BY level, cx, cy',
    [layer],
  );
  return rows.map((r) => ({ level: r.level, cell: `${r.cx},${r.cy}`, n: r.n, lon: r.sum_lon / r.n, lat: r.sum_lat / r.n }));
}

/** What the summary should hold, from a list of points, computed here in JS. */
function expected(points: [number, number][]): CellRow[] {
  const out: CellRow[] = [];
  for (const level of CELL_LEVELS) {
    const by = new Map<string, [number, number][]>();
    for (const p of points) by.set(cellOf(...p, level), [...(by.get(cellOf(...p, level)) ?? []), p]);
    for (const [cell, ps] of by) {
      out.push({ level, cell, n: ps.length, lon: ps.reduce((a, p) => a + p[0], 0) / ps.length, lat: ps.reduce((a, p) => a + p[1], 0) / ps.length });
    }
  }
  const key = (r: CellRow) => r.cell.split(',').map(Number);
  return out.sort((a, b) => a.level - b.level || key(a)[0] - key(b)[0] || key(a)[1] - key(b)[1]);
}

function expectSummary(actual: CellRow[], points: [number, number][]) {
  const want = expected(points);
  expect(actual.map((r) => [r.level, r.cell, r.n])).toEqual(want.map((r) => [r.level, r.cell, r.n]));
  for (const [i, r] of actual.entries()) {
    expect(r.lon).toBeCloseTo(want[i].lon, 9);
    expect(r.lat).toBeCloseTo(want[i].lat, 9);
  }
}

/** The summary rebuilt from the points, for layers whose contents are not listed by hand. */
async function rebuilt(db: Db, layer: string): Promise<CellRow[]> {
  const rows = await db.query<{ lon: number; lat: number }>(`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM features WHERE layer = $1`, [layer]);
  return expected(rows.map((r) => [r.lon, r.lat]));
}

function decoded(bytes: Uint8Array, layer: string): { props: Record<string, unknown>; x: number; y: number }[] {
  if (bytes.byteLength === 0) return [];
  const l = new VectorTile(new PbfReader(bytes)).layers[layer];
  const out = [];
  for (let i = 0; i < l.length; i++) {
    const f = l.feature(i);
    const [[p]] = f.loadGeometry();
    out.push({ props: f.properties, x: p.x, y: p.y });
  }
  return out.sort((a, b) => a.x - b.x || a.y - b.y);
}

describe.each(STORE_KINDS)('point cell summary on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => store?.dispose());

  // Two points in one level-13 cell (≈ 0.044° wide), one far away, one on the next cell's side.
  const A: [number, number] = [106.001, 29.601];
  const B: [number, number] = [106.002, 29.602];
  const C: [number, number] = [106.3, 29.9];
  const D: [number, number] = [106.05, 29.61];

  it('holds each level’s cells, counts and mean positions through inserts, edits, moves, deletes and a replace', async () => {
    const db = store.db;
    expect(cellOf(...A, 13)).toBe(cellOf(...B, 13));
    expect(cellOf(...A, 13)).not.toBe(cellOf(...D, 13));

    // Seeding's insert (one statement, several points).
    await db.transaction((tx) =>
      insertFeatures(tx, LAYER, [
        { type: 'Feature', id: 'a', geometry: point(...A), properties: { name: 'A' } },
        { type: 'Feature', id: 'b', geometry: point(...B), properties: { name: 'B' } },
      ]),
    );
    let s = await summary(db);
    expectSummary(s, [A, B]);
    // By hand: at level 13 both points share one cell; their mean is half-way.
    const l13 = s.filter((r) => r.level === 13);
    expect(l13).toHaveLength(1);
    expect(l13[0].n).toBe(2);
    expect(l13[0].lon).toBeCloseTo(106.0015, 9);
    expect(l13[0].lat).toBeCloseTo(29.6015, 9);

    // An editor's create, field change (no move: nothing changes), move and delete.
    const c = await createFeature(db, LAYER, { id: 'c', properties: { name: 'C' }, geometry: point(...C) }, who, opts);
    expectSummary(await summary(db), [A, B, C]);
    const before = await summary(db);
    const c2 = await updateFeature(db, LAYER, 'c', c.version, { set: { name: 'C2' }, unset: [] }, who, opts);
    expect(await summary(db)).toEqual(before);
    const c3 = await updateFeature(db, LAYER, 'c', c2.version, { set: {}, unset: [], geometry: point(...D) }, who, opts);
    s = await summary(db);
    expectSummary(s, [A, B, D]);
    // The cell C left is gone at every level where it was alone.
    expect(s.some((r) => r.level === 13 && r.cell === cellOf(...C, 13))).toBe(false);
    expect(s.filter((r) => r.level === 13).map((r) => r.n).sort()).toEqual([1, 2]);
    await deleteFeature(db, LAYER, 'a', 1, who);
    s = await summary(db);
    expectSummary(s, [B, D]);
    expect(s.filter((r) => r.level === 13).map((r) => r.n)).toEqual([1, 1]);
    await deleteFeature(db, LAYER, 'c', c3.version, who);
    expectSummary(await summary(db), [B]);

    // An import's replace: the layer deleted and its rows inserted in one transaction.
    const imported: [number, number][] = [A, C, [106.0011, 29.6011], [107.5, 30.5]];
    await db.transaction(async (tx) => {
      await deleteLayer(tx, LAYER);
      await insertImported(
        tx,
        LAYER,
        imported.map((p, i) => ({ type: 'Feature', id: `i${i}`, geometry: point(...p), properties: {} })),
      );
    });
    s = await summary(db);
    expectSummary(s, imported);
    expect(s.filter((r) => r.level === 4).reduce((a, r) => a + r.n, 0)).toBe(4);

    // A rolled-back write leaves the summary as it was.
    await expect(
      db.transaction(async (tx) => {
        await insertFeatures(tx, LAYER, [{ type: 'Feature', id: 'z', geometry: point(...B), properties: {} }]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expectSummary(await summary(db), imported);

    // One statement that empties one layer (its cells dropped whole) and deletes some points of
    // another (its cells updated, a cell left without points removed): both right.
    const other = `${LAYER}_other`;
    await db.transaction((tx) =>
      insertFeatures(tx, other, [
        { type: 'Feature', id: 'o1', geometry: point(...A), properties: {} },
        { type: 'Feature', id: 'o2', geometry: point(...D), properties: {} },
      ]),
    );
    expectSummary(await summary(db, other), [A, D]);
    await db.query(`DELETE FROM features WHERE layer = $1 OR (layer = $2 AND fid IN ('i0', 'i3'))`, [other, LAYER]);
    expect(await summary(db, other)).toEqual([]);
    expectSummary(await summary(db), [C, [106.0011, 29.6011]]);

    // A layer emptied leaves no cell behind.
    await db.query('DELETE FROM features WHERE layer = $1', [LAYER]);
    expect(await summary(db)).toEqual([]);
  });

  it('matches the seeded layers’ points (the migration filled it from the rows already there)', async () => {
    const s = await summary(store.db, 'shelters');
    expect(s.length).toBeGreaterThan(0);
    const want = await rebuilt(store.db, 'shelters');
    expect(s.map((r) => [r.level, r.cell, r.n])).toEqual(want.map((r) => [r.level, r.cell, r.n]));
  });

  it('gives the same grid tiles as reading every point, for the public and for a commander', async () => {
    const layer = findLayer('shelters')!;
    // 铜梁's shelters and the country around them, z3 to z13.
    for (const role of ['public', 'commander'] as const) {
      for (const z of [3, 5, 8, 10, 11, 12, 13]) {
        const [fx, fy] = toTile(106.05, 29.85, { z, x: 0, y: 0 });
        for (const dx of [-1, 0, 1]) {
          const tile = { z, x: Math.floor(fx / 4096) + dx, y: Math.floor(fy / 4096) };
          const spec: TileSpec = { layer: layer.id, geometry: 'Point', tile, keys: fieldsFor(layer, role).map((f) => f.name), filters: [] };
          const [fromSummary, fromPoints] = await Promise.all([buildTile(store.db, spec), buildTile(store.db, { ...spec, fromPoints: true })]);
          expect(decoded(fromSummary, layer.id), `${role} ${z}/${tile.x}/${tile.y}`).toEqual(decoded(fromPoints, layer.id));
        }
      }
    }
    // A cell's count, never its points' fields; a lone point with the caller's fields only.
    const [fx, fy] = toTile(106.05, 29.85, { z: 8, x: 0, y: 0 });
    const spec: TileSpec = { layer: layer.id, geometry: 'Point', tile: { z: 8, x: Math.floor(fx / 4096), y: Math.floor(fy / 4096) }, keys: fieldsFor(layer, 'public').map((f) => f.name), filters: [] };
    const features = decoded(await buildTile(store.db, spec), layer.id);
    expect(features.some((f) => Number(f.props.count) > 1)).toBe(true);
    for (const f of features) {
      if ('count' in f.props) expect(Object.keys(f.props)).toEqual(['count']);
      else expect(Object.keys(f.props).every((k) => k === '_fid' || spec.keys.includes(k))).toBe(true);
    }
  });

  it('names a point’s visible members only, arrays as JSON text, nulls dropped, on a street-level tile and a lone grid cell', async () => {
    const layer = findLayer('shelters')!;
    const at: [number, number] = [121.5, 31.2];
    await store.db.transaction((tx) =>
      insertFeatures(tx, layer.id, [
        { type: 'Feature', id: 'members', geometry: point(...at), properties: { name: '甲', hazards: ['flood', 'landslide'], capacity: 120, address: null, phone: '123', source: 'demo: test', stray: 1 } },
      ]),
    );
    const expectedProps = { _fid: 'members', name: '甲', hazards: '["flood", "landslide"]', capacity: 120 };
    for (const z of [16, 14, 9]) {
      const [fx, fy] = toTile(...at, { z, x: 0, y: 0 });
      const spec: TileSpec = { layer: layer.id, geometry: 'Point', tile: { z, x: Math.floor(fx / 4096), y: Math.floor(fy / 4096) }, keys: fieldsFor(layer, 'public').map((f) => f.name), filters: [] };
      expect(decoded(await buildTile(store.db, spec), layer.id).map((f) => f.props), `z${z}`).toEqual([expectedProps]);
    }
    // Only catalogue fields, no list: the one-subtraction path, with the same rules.
    await store.db.query(`UPDATE features SET properties = '{"name": "乙", "capacity": 80, "address": null, "phone": "123", "source": "demo: test"}' WHERE layer = 'shelters' AND fid = 'members'`);
    for (const z of [16, 9]) {
      const [fx, fy] = toTile(...at, { z, x: 0, y: 0 });
      const spec: TileSpec = { layer: layer.id, geometry: 'Point', tile: { z, x: Math.floor(fx / 4096), y: Math.floor(fy / 4096) }, keys: fieldsFor(layer, 'public').map((f) => f.name), filters: [] };
      expect(decoded(await buildTile(store.db, spec), layer.id).map((f) => f.props), `z${z}`).toEqual([{ _fid: 'members', name: '乙', capacity: 80 }]);
      const internal = { ...spec, keys: fieldsFor(layer, 'commander').map((f) => f.name) };
      expect(decoded(await buildTile(store.db, internal), layer.id).map((f) => f.props), `z${z}`).toEqual([{ _fid: 'members', name: '乙', capacity: 80, phone: '123', source: 'demo: test' }]);
    }
    await store.db.query(`DELETE FROM features WHERE layer = 'shelters' AND fid = 'members'`);
  });

  it('counts a box from the summary as the features endpoint counts it row by row', async () => {
    const db = store.db;
    // A grid of points every 0.01°: the counts in a box are known by hand.
    const grid: [number, number][] = [];
    for (let i = 0; i < 40; i++) for (let j = 0; j < 40; j++) grid.push([106 + i * 0.01 + 0.005, 29 + j * 0.01 + 0.005]);
    await db.transaction((tx) =>
      insertImported(
        tx,
        LAYER,
        grid.map((p, i) => ({ type: 'Feature', id: `g${i}`, geometry: point(...p), properties: {} })),
      ),
    );
    const rowByRow = async (b: [number, number, number, number]) =>
      (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM features WHERE layer = $1 AND geom && ST_MakeEnvelope($2, $3, $4, $5, 4326)', [LAYER, ...b]))[0].n;
    // 30 × 20 points inside; the whole grid; a box smaller than any kept cell; one edged between rows.
    const boxes: [[number, number, number, number], number][] = [
      [[106.1, 29.1, 106.4, 29.3], 600],
      [[105, 28, 108, 31], 1600],
      [[106.101, 29.101, 106.109, 29.109], 1],
      [[106.0, 29.0, 106.2, 29.2055], 20 * 21],
    ];
    for (const [b, n] of boxes) {
      expect(await countFeatures(db, LAYER, 'Point', b, []), b.join(',')).toBe(n);
      expect(await rowByRow(b)).toBe(n);
    }
    // Every box of a sweep agrees with the row-by-row count.
    for (let k = 0; k < 12; k++) {
      const b: [number, number, number, number] = [105.95 + k * 0.031, 28.97 + k * 0.017, 106.2 + k * 0.023, 29.45 + k * 0.009];
      expect(await countFeatures(db, LAYER, 'Point', b, []), b.join(',')).toBe(await rowByRow(b));
    }
    // The total without a box is the kept count.
    expect(await countFeatures(db, LAYER, 'Point', undefined, [])).toBe(1600);
    await db.query('DELETE FROM features WHERE layer = $1', [LAYER]);
  });
});
