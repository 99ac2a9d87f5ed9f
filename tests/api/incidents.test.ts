import { describe, expect, it } from 'vitest';
import { wgs84ToBd09 } from '../../core/geo/crs.js';
import { listAudit } from '../../server/store/index.js';
import { STORE_KINDS } from '../setup/store.js';
import { TOKENS, useTestApi } from '../setup/server.js';

const token = TOKENS.COMMANDER_TOKEN;
const HECHUAN: [number, number] = [106.27, 29.99];

describe.each(STORE_KINDS)('incidents API on %s', (kind) => {
  const ctx = useTestApi(kind);
  const call = (path: string, method = 'GET', body?: unknown, t = token) => ctx.api.call(`/api/${path}`, { method, body, token: t || undefined });
  const count = async (): Promise<number> => (await call('incidents?status=all')).body.incidents.length;
  const audit = (fid: string) => listAudit(ctx.store.db, { layer: 'incidents', fid, limit: 100, offset: 0 });

  it('answers 401 to anonymous callers on every endpoint', async () => {
    const id = '00000000-0000-0000-0000-000000000000';
    const tries: [string, string, unknown?][] = [
      ['incidents', 'GET'],
      ['incidents', 'POST', { title: 'x', hazard: 'flood', origin: HECHUAN }],
      [`incidents/${id}`, 'GET'],
      [`incidents/${id}`, 'PATCH', { version: 1, status: 'closed' }],
      [`incidents/${id}/warnings.csv`, 'GET'],
    ];
    for (const [path, method, body] of tries) {
      const res = await call(path, method, body, '');
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
    expect(await count()).toBe(0);
  });

  it('stores, lists, changes with versions and closes an incident, each step in the audit log', async () => {
    const created = await call('incidents', 'POST', {
      title: '合川 大石 滑坡',
      hazard: 'geohazard',
      origin: HECHUAN,
      occurredAt: '2026-07-12T03:20:00+08:00',
      area: { radiusM: 3000 },
    });
    expect(created.status).toBe(201);
    const i = created.body;
    expect(i).toMatchObject({ title: '合川 大石 滑坡', hazard: 'geohazard', lon: 106.27, lat: 29.99, crs: 'wgs84', county: '500117', status: 'open', version: 1, createdBy: 'commander' });
    expect(i.occurredAt).toBe('2026-07-11T19:20:00.000Z');
    expect(i.affectedPersons).toBeNull();
    expect((await call(`incidents/${i.id}`)).body).toEqual(i);
    expect((await call('incidents')).body.incidents.map((x: any) => x.id)).toContain(i.id);

    const changed = await call(`incidents/${i.id}`, 'PATCH', { version: 1, affectedPersons: 3000 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ affectedPersons: 3000, version: 2, area: { radiusM: 3000 } });

    const stale = await call(`incidents/${i.id}`, 'PATCH', { version: 1, title: 'stale' });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'version_conflict', parameter: 'version', params: { version: 2 } });

    const closed = await call(`incidents/${i.id}`, 'PATCH', { version: 2, status: 'closed' });
    expect(closed.body).toMatchObject({ status: 'closed', version: 3 });
    expect(closed.body.closedAt).not.toBeNull();
    expect((await call('incidents')).body.incidents.map((x: any) => x.id)).not.toContain(i.id);
    expect((await call('incidents?status=closed')).body.incidents.map((x: any) => x.id)).toContain(i.id);
    const reopened = await call(`incidents/${i.id}`, 'PATCH', { version: 3, status: 'open' });
    expect(reopened.body).toMatchObject({ status: 'open', closedAt: null, version: 4 });

    const log = (await audit(i.id)).entries.reverse();
    expect(log.map((e) => [e.action, e.actor, e.role])).toEqual([
      ['create', 'commander', 'commander'],
      ['update', 'commander', 'commander'],
      ['update', 'commander', 'commander'],
      ['update', 'commander', 'commander'],
    ]);
    expect(log[0].after).toMatchObject({ id: i.id, version: 1 });
    expect(log[1].before).toMatchObject({ version: 1, affectedPersons: null });
    expect(log[1].after).toMatchObject({ version: 2, affectedPersons: 3000 });
    expect(log[2].detail).toEqual({ status: 'closed' });
    expect(log[3].detail).toEqual({ status: 'open' });
  });

  it('converts BD-09 origins to WGS84 and keeps what was typed', async () => {
    const res = await call('incidents', 'POST', { title: 'bd09', hazard: 'fire', origin: wgs84ToBd09(HECHUAN), crs: 'bd09' });
    expect(res.status).toBe(201);
    expect(res.body.crs).toBe('bd09');
    expect(res.body.lon).toBeCloseTo(HECHUAN[0], 5);
    expect(res.body.lat).toBeCloseTo(HECHUAN[1], 5);
  });

  it('refuses bad incidents and stores nothing', async () => {
    const before = await count();
    const outside = await call('incidents', 'POST', { title: 'x', hazard: 'flood', origin: [116.4, 39.9] });
    expect(outside.status).toBe(400);
    expect(outside.body.error).toMatchObject({ code: 'outside_area', parameter: 'origin' });
    const noRoad = await call('incidents', 'POST', { title: 'x', hazard: 'flood', origin: [105.985, 30.245] }); // demo 二郎镇, 1.75 km from a road
    expect(noRoad.status).toBe(400);
    expect(noRoad.body.error).toMatchObject({ code: 'no_road_nearby', parameter: 'origin' });
    expect(noRoad.body.error.params.nearestRoadM).toBeGreaterThan(1000);
    const hazard = await call('incidents', 'POST', { title: 'x', hazard: 'meteor', origin: HECHUAN });
    expect(hazard.status).toBe(400);
    expect(hazard.body.error).toMatchObject({ code: 'bad_parameter', parameter: 'hazard' });
    const road = (await call('analysis/closest', 'POST', { origin: HECHUAN, layers: ['depots'] })).body.origin.road;
    const d = 0.003;
    const ring = [[road[0] - d, road[1] - d], [road[0] + d, road[1] - d], [road[0] + d, road[1] + d], [road[0] - d, road[1] + d], [road[0] - d, road[1] - d]];
    const closures = [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } }];
    const cut = await call('incidents', 'POST', { title: 'x', hazard: 'flood', origin: HECHUAN, closures });
    expect(cut.status).toBe(409);
    expect(cut.body.error).toMatchObject({ code: 'origin_disconnected', parameter: 'closures' });
    expect(await count()).toBe(before);

    const ok = (await call('incidents', 'POST', { title: 'ok', hazard: 'flood', origin: HECHUAN })).body;
    const cutLater = await call(`incidents/${ok.id}`, 'PATCH', { version: 1, closures });
    expect(cutLater.status).toBe(409);
    expect((await call(`incidents/${ok.id}`)).body.version).toBe(1);
    expect((await audit(ok.id)).entries).toHaveLength(1);
    expect((await call('incidents/nope')).status).toBe(404);
    expect((await call('incidents/nope', 'PATCH', { version: 1, title: 'y' })).status).toBe(404);
    expect((await call('incidents?status=maybe')).body.error).toMatchObject({ code: 'bad_parameter', parameter: 'status' });
  });

  it('exports who must be warned as a UTF-8 CSV with BOM for an SMS platform', async () => {
    const i = (await call('incidents', 'POST', { title: '滑坡', hazard: 'geohazard', origin: HECHUAN, affectedPersons: 3000, area: { radiusM: 3000 } })).body;
    const res = await fetch(`${ctx.api.url}/api/incidents/${i.id}/warnings.csv`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="?warnings-[0-9a-f]{8}\.csv/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split('\r\n');
    expect(lines[0]).toBe('类别,名称,联系人,电话,乡镇,人口,说明');
    const kinds = lines.slice(1).map((l) => l.split(',')[0]);
    expect(kinds).toContain('乡镇（街道）');
    expect(kinds).toContain('群测群防员');
    expect(kinds).toContain('避难场所管理人');
    const town = lines.find((l) => l.startsWith('乡镇（街道）,'))!.split(',');
    expect(Number(town[5])).toBeGreaterThan(0);
    const monitor = lines.find((l) => l.startsWith('群测群防员,'))!.split(',');
    expect(monitor[2]).not.toBe('');
    expect(monitor[3]).toMatch(/\d{3,}/);
    // The CSV lists what the assessment lists.
    const a = (await call('analysis/incident', 'POST', { origin: HECHUAN, hazard: 'geohazard', affectedPersons: 3000, area: { radiusM: 3000 } })).body;
    expect(lines.length - 1).toBe(a.warn.towns.length + a.warn.monitors.length + a.warn.shelterManagers.length);
  });
});
