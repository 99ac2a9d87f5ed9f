/**
 * POST /api/analysis/isochrone on a real store (PGlite + PostGIS, and PostgreSQL when
 * TEST_DATABASE_URL is set) holding the demo roads, towns and fire stations. The router runs in a
 * minimal Express app with the server's error handler, exactly as server/app.ts mounts it.
 */
import type { AddressInfo } from 'node:net';
import { booleanPointInPolygon } from '@turf/turf';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../../server/errors.js';
import { DEFAULT_ANALYSIS_CACHE_MB } from '../../server/response-cache.js';
import { analysisRoutes, ROAD_LAYER } from '../../server/routes/analysis.js';
import { insertFeatures, queryFeatures } from '../../server/store/index.js';
import { tasksDone, workerModule } from '../../server/workers/pool.js';
import { loadGeodata } from '../../seeds/demo/places.js';
import { generateRoads } from '../../seeds/demo/roads.js';
import { STORE_KINDS, openTestStore, type TestStore } from '../setup/store.js';

describe.each(STORE_KINDS)('isochrone API on %s', (kind) => {
  let store: TestStore;
  let url: string;
  let close: () => Promise<void>;
  let station: [number, number];

  beforeAll(async () => {
    store = await openTestStore(kind);
    const [{ n }] = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM features WHERE layer = $1', [ROAD_LAYER]);
    if (n === 0) await store.db.transaction((tx) => insertFeatures(tx, ROAD_LAYER, generateRoads(loadGeodata())));
    const stations = await queryFeatures(store.db, { layer: 'fire_stations', limit: 1, offset: 0 });
    station = stations.features[0].geometry.type === 'Point' ? (stations.features[0].geometry.coordinates as [number, number]) : [0, 0];
    const app = express();
    app.use(express.json());
    app.use('/api', analysisRoutes(store.db, DEFAULT_ANALYSIS_CACHE_MB));
    app.use(errorHandler);
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/analysis/isochrone`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(async () => {
    await close?.();
    await store?.dispose();
  });

  const post = async (body: unknown, raw = false) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ? (body as string) : JSON.stringify(body) });
    return { status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('x-analysis-cache'), body: await res.json() };
  };

  it('draws the 15/30/60-minute drive isochrones of a fire station with the population reached', async () => {
    const { status, type, body } = await post({ origins: [station], minutes: [60, 15, 30], mode: 'drive' });
    expect(status).toBe(200);
    expect(type).toMatch(/application\/geo\+json/);
    expect(body.type).toBe('FeatureCollection');
    expect(body.features.map((f: any) => f.properties.minutes)).toEqual([15, 30, 60]);
    expect(body.notes).toEqual([{ code: 'population_weighting_demo_road_density' }]);
    for (const f of body.features) {
      expect(f.properties).toMatchObject({ method: 'network', mode: 'drive' });
      expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
      expect(booleanPointInPolygon(station, f)).toBe(true);
    }
    const [a, b, c] = body.features.map((f: any) => f.properties);
    expect(a.population).toBeGreaterThan(0);
    expect(a.population).toBeLessThanOrEqual(b.population);
    expect(b.population).toBeLessThanOrEqual(c.population);
    expect(a.areaKm2).toBeLessThan(c.areaKm2);
    expect(body.origins).toEqual([expect.objectContaining({ index: 0, method: 'network' })]);
  });

  it('walks less far than it drives', async () => {
    const drive = await post({ origins: [station], minutes: [15], mode: 'drive' });
    const walk = await post({ origins: [station], minutes: [15], mode: 'walk' });
    expect(walk.body.features[0].properties.areaKm2).toBeLessThan(drive.body.features[0].properties.areaKm2 / 4);
  });

  it('falls back to a labelled straight-line circle far from any road', async () => {
    const { status, body } = await post({ origins: [[100, 30]], minutes: [30] });
    expect(status).toBe(200);
    expect(body.features).toHaveLength(1);
    expect(body.features[0].properties).toMatchObject({ method: 'straight-line', mode: 'drive', population: 0 });
    expect(body.origins[0].reason).toEqual({ code: 'isochrone_no_road', params: { mode: 'drive', maxSnapM: 1000 } });
  });

  it.each([
    [{ minutes: [15] }, 'origins'],
    [{ origins: [[106.5]], minutes: [15] }, 'origins'],
    [{ origins: [[500000, 3300000]], minutes: [15] }, 'origins'],
    [{ origins: [[106.5, 29.5]], minutes: [] }, 'minutes'],
    [{ origins: [[106.5, 29.5]], minutes: [0] }, 'minutes'],
    [{ origins: [[106.5, 29.5]], minutes: [15], mode: 'fly' }, 'mode'],
    [{ origins: [[106.5, 29.5]], minutes: [15], offRoadM: 1e9 }, 'offRoadM'],
    [[1, 2], 'body'],
  ])('answers 400 bad_parameter for %j', async (body, parameter) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'bad_parameter', parameter });
    expect(res.body.error.message).toMatch(/origins.*minutes.*mode/);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await post('{"origins": [', true);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'bad_parameter', parameter: 'body' });
    expect(res.body.error.message).toMatch(/not valid JSON/);
  });

  it('runs one isochrone however many ask for it at once, keeps it, and runs it again once the roads change', async () => {
    const worker = workerModule('isochrone-worker');
    const body = { origins: [station], minutes: [20], mode: 'walk' };
    const before = tasksDone(worker);
    const crowd = await Promise.all([1, 2, 3, 4].map(() => post(body)));
    expect(crowd.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    for (const r of crowd) expect(r.body).toEqual(crowd[0].body);
    expect(tasksDone(worker)).toBe(before + 1);

    const again = await post(body);
    expect(again.cache).toBe('hit');
    expect(again.body).toEqual(crowd[0].body);
    expect(tasksDone(worker)).toBe(before + 1);
    // Another request (other minutes) is its own answer.
    const other = await post({ ...body, minutes: [25] });
    expect(other.cache).toBe('miss');
    expect(tasksDone(worker)).toBe(before + 2);

    // A road added near the station rebuilds the network: the kept answer is not served again.
    const [lon, lat] = station;
    const road = { type: 'Feature' as const, id: 'cache-test-road', properties: { name: '测试路', class: 'primary', speed_kmh: 60, oneway: 'no' }, geometry: { type: 'LineString' as const, coordinates: [[lon, lat], [lon + 0.02, lat + 0.02]] } };
    await store.db.transaction((tx) => insertFeatures(tx, ROAD_LAYER, [road]));
    try {
      let after = await post(body);
      for (let i = 0; i < 50 && after.cache === 'hit'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        after = await post(body);
      }
      expect(after.status).toBe(200);
      expect(after.cache).toBe('miss');
      expect(tasksDone(worker)).toBe(before + 3);
    } finally {
      await store.db.query('DELETE FROM features WHERE layer = $1 AND fid = $2', [ROAD_LAYER, road.id]);
    }
  });
});
