import { beforeAll, describe, expect, it } from 'vitest';
import { listAudit, recordAudit } from '../../server/store/index.js';
import { STORE_KINDS } from '../setup/store.js';
import { TOKENS, useTestApi } from '../setup/server.js';

const ZHANGWEI = 'zhangwei-token-0001';
const LINA = 'lina-commander-token';
const USERS = `zhangwei:admin:${ZHANGWEI},lina:commander:${LINA}`;

type Pos = [number, number];

describe.each(STORE_KINDS)('editing and audit on %s', (kind) => {
  const ctx = useTestApi(kind, { USERS });
  /** A shelter position in Jiangbei (500105) and one in another county. */
  let jiangbei: Pos;
  let elsewhere: { at: Pos; county: string };

  const path = (fid: string): string => `/api/layers/shelters/features/${encodeURIComponent(fid)}`;
  const audit = async (query: string) => (await ctx.api.call(`/api/audit?${query}`, { token: TOKENS.ADMIN_TOKEN })).body;
  const auditCount = async (): Promise<number> => (await audit('limit=1')).numberMatched;
  const create = (properties: Record<string, unknown>, at: Pos = jiangbei, token = ZHANGWEI) =>
    ctx.api.call('/api/layers/shelters/features', {
      method: 'POST',
      token,
      // A shelter needs a name (required); a case that tests something else gives it one.
      body: { type: 'Feature', geometry: { type: 'Point', coordinates: at }, properties: { name: '校验用场所', ...properties } },
    });

  beforeAll(async () => {
    const all = await ctx.api.call('/api/layers/shelters/features?limit=10000', { token: TOKENS.ADMIN_TOKEN });
    const jb = all.body.features.find((f: any) => f.properties.county_code === '500105');
    const other = all.body.features.find((f: any) => f.properties.county_code && f.properties.county_code !== '500105');
    jiangbei = jb.geometry.coordinates;
    elsewhere = { at: other.geometry.coordinates, county: other.properties.county_code };
  });

  it('tells the client who is signed in', async () => {
    expect((await ctx.api.call('/api/me')).body).toEqual({ role: 'public', actor: 'public' });
    expect((await ctx.api.call('/api/me', { token: ZHANGWEI })).body).toEqual({ role: 'admin', actor: 'zhangwei' });
    expect((await ctx.api.call('/api/me', { token: LINA })).body).toEqual({ role: 'commander', actor: 'lina' });
    expect((await ctx.api.call('/api/me', { token: TOKENS.ADMIN_TOKEN })).body).toEqual({ role: 'admin', actor: 'admin' });
    expect((await ctx.api.call('/api/me', { token: TOKENS.COMMANDER_TOKEN })).body).toEqual({ role: 'commander', actor: 'commander' });
  });

  it('gives editors version and updated_at, and leaves public and OGC output as it was', async () => {
    const staff = await ctx.api.call('/api/layers/shelters/features?limit=2', { token: LINA });
    const [f] = staff.body.features;
    expect(f.version).toBeGreaterThanOrEqual(1);
    expect(new Date(f.updated_at).getTime()).not.toBeNaN();
    expect(f.properties).not.toHaveProperty('version');
    const one = await ctx.api.call(path(f.id), { token: LINA });
    expect(one.body.version).toBe(f.version);
    const anon = await ctx.api.call('/api/layers/shelters/features?limit=2');
    expect(Object.keys(anon.body.features[0]).sort()).toEqual(['geometry', 'id', 'properties', 'type']);
    expect(Object.keys((await ctx.api.call(path(f.id))).body).sort()).toEqual(['geometry', 'id', 'properties', 'type']);
    const ogc = await ctx.api.call('/api/ogc/collections/shelters/items?limit=2', { token: LINA });
    expect(ogc.body.features[0]).not.toHaveProperty('version');
    expect((await ctx.api.call(`/api/ogc/collections/shelters/items/${encodeURIComponent(f.id)}`, { token: LINA })).body).not.toHaveProperty('version');
  });

  it('creates a feature with a generated id, its county filled in, and audits who did it', async () => {
    const res = await create({ name: '测试广场', class: 'emergency', capacity: 500, hazards: ['flood'] });
    expect(res.status).toBe(201);
    const f = res.body;
    expect(f.id).toMatch(/^shelters-[0-9a-f]{12}$/);
    expect(f.version).toBe(1);
    expect(f.properties).toMatchObject({ name: '测试广场', capacity: 500, county_code: '500105', source: 'manual entry' });
    expect(res.headers.get('location')).toBe(path(f.id));
    expect((await ctx.api.call(path(f.id), { token: LINA })).body).toEqual(f);

    const log = await audit(`fid=${f.id}`);
    expect(log.numberMatched).toBe(1);
    expect(log.entries[0]).toMatchObject({ actor: 'zhangwei', role: 'admin', action: 'create', layer: 'shelters', fid: f.id, before: null });
    expect(log.entries[0].after).toEqual(f);

    const again = await ctx.api.call('/api/layers/shelters/features', {
      method: 'POST',
      token: LINA,
      body: { type: 'Feature', id: f.id, geometry: { type: 'Point', coordinates: jiangbei }, properties: { name: '重复编号' } },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('exists');
    expect((await audit(`fid=${f.id}`)).numberMatched).toBe(1);
  });

  it('merges property changes, removes fields set to null, and audits before and after', async () => {
    const { body: f } = await create({ name: '合并测试', class: 'fixed_short', capacity: 100, manager: '王五' });
    const res = await ctx.api.call(path(f.id), { method: 'PATCH', token: LINA, body: { version: 1, properties: { capacity: 900, manager: null } } });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(2);
    expect(res.body.properties).toMatchObject({ name: '合并测试', class: 'fixed_short', capacity: 900 });
    expect(res.body.properties).not.toHaveProperty('manager');
    expect(res.body.geometry).toEqual(f.geometry);

    const [entry] = (await audit(`fid=${f.id}&action=update`)).entries;
    expect(entry).toMatchObject({ actor: 'lina', role: 'commander', action: 'update' });
    expect(entry.before.properties).toMatchObject({ capacity: 100, manager: '王五' });
    expect(entry.before.version).toBe(1);
    expect(entry.after).toEqual(res.body);
  });

  it('moves a feature and recomputes its county', async () => {
    const { body: f } = await create({ name: '搬迁测试', class: 'emergency' });
    const res = await ctx.api.call(path(f.id), { method: 'PATCH', token: ZHANGWEI, body: { version: 1, geometry: { type: 'Point', coordinates: elsewhere.at } } });
    expect(res.status).toBe(200);
    expect(res.body.geometry.coordinates).toEqual(elsewhere.at);
    expect(res.body.properties.county_code).toBe(elsewhere.county);
    expect(res.body.properties.name).toBe('搬迁测试');
    const [entry] = (await audit(`fid=${f.id}&action=update`)).entries;
    expect(entry.before.geometry.coordinates).toEqual(jiangbei);
    expect(entry.after.geometry.coordinates).toEqual(elsewhere.at);
  });

  it('answers a stale version with 409 and the current feature, changing nothing', async () => {
    const { body: f } = await create({ name: '冲突测试', capacity: 10 });
    const first = await ctx.api.call(path(f.id), { method: 'PATCH', token: LINA, body: { version: 1, properties: { capacity: 20 } } });
    expect(first.status).toBe(200);
    const before = await auditCount();
    const stale = await ctx.api.call(path(f.id), { method: 'PATCH', token: ZHANGWEI, body: { version: 1, properties: { capacity: 30 } } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect(stale.body.error.message).toMatch(/version 1.*version 2/);
    expect(stale.body.current).toEqual(first.body);
    expect((await ctx.api.call(path(f.id), { token: LINA })).body).toEqual(first.body);
    const staleDelete = await ctx.api.call(`${path(f.id)}?version=1`, { method: 'DELETE', token: LINA });
    expect(staleDelete.status).toBe(409);
    expect(staleDelete.body.current.version).toBe(2);
    expect(await auditCount()).toBe(before);
  });

  it('lets exactly one of two simultaneous edits of the same version through', async () => {
    const { body: f } = await create({ name: '并发测试', capacity: 1 });
    const results = await Promise.all(
      [111, 222].map((capacity, i) =>
        ctx.api.call(path(f.id), { method: 'PATCH', token: i ? LINA : ZHANGWEI, body: { version: 1, properties: { capacity } } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const won = results.find((r) => r.status === 200)!.body;
    const lost = results.find((r) => r.status === 409)!.body;
    expect(lost.current).toEqual(won);
    const now = (await ctx.api.call(path(f.id), { token: LINA })).body;
    expect(now.version).toBe(2);
    expect(now.properties.capacity).toBe(won.properties.capacity);
    expect((await audit(`fid=${f.id}&action=update`)).numberMatched).toBe(1);
  });

  it('refuses an edit whose version went stale while it waited for another writer', async () => {
    const { body: f } = await create({ name: '等待测试', capacity: 1 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Another writer bumps the version and holds its transaction open while our PATCH arrives: on
    // PostgreSQL the PATCH reads version 1, then its UPDATE … WHERE version = 1 waits on the row lock
    // and matches nothing once the other commits.
    const other = ctx.store.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE features SET version = version + 1, properties = properties || '{"capacity": 7}'::jsonb WHERE layer = 'shelters' AND fid = $1`,
        [f.id],
      );
      await held;
    });
    const patch = ctx.api.call(path(f.id), { method: 'PATCH', token: LINA, body: { version: 1, properties: { capacity: 9 } } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    release();
    await other;
    const res = await patch;
    expect(res.status).toBe(409);
    expect(res.body.current).toMatchObject({ version: 2, properties: { capacity: 7 } });
    expect((await ctx.api.call(path(f.id), { token: LINA })).body.properties.capacity).toBe(7);
    expect((await audit(`fid=${f.id}&action=update`)).numberMatched).toBe(0);
  });

  it('deletes with the current version and audits what was there', async () => {
    const { body: f } = await create({ name: '删除测试' });
    const res = await ctx.api.call(`${path(f.id)}?version=1`, { method: 'DELETE', token: LINA });
    expect(res.status).toBe(204);
    expect((await ctx.api.call(path(f.id), { token: LINA })).status).toBe(404);
    const [entry] = (await audit(`fid=${f.id}&action=delete`)).entries;
    expect(entry).toMatchObject({ actor: 'lina', action: 'delete', after: null });
    expect(entry.before).toEqual(f);
    const gone = await ctx.api.call(`${path(f.id)}?version=1`, { method: 'DELETE', token: LINA });
    expect(gone.status).toBe(404);
    const patchGone = await ctx.api.call(path(f.id), { method: 'PATCH', token: LINA, body: { version: 1, properties: { capacity: 1 } } });
    expect(patchGone.status).toBe(404);
  });

  it('refuses bad properties, naming the field, what is wrong and how to fix it', async () => {
    const before = await auditCount();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ capacity: 'many' }, 'properties.capacity', /"capacity": expected a whole number, got "many" \(send a whole number/],
      [{ class: 'castle' }, 'properties.class', /"castle" is not one of emergency, fixed_short/],
      [{ colour: 'red' }, 'properties.colour', /"colour": not a field of layer "shelters" \(fields of "shelters" are name, address/],
      [{ hazards: 'flood' }, 'properties.hazards', /expected a list/],
    ];
    for (const [properties, parameter, message] of cases) {
      const res = await create(properties);
      expect(res.status, parameter).toBe(400);
      expect(res.body.error.parameter).toBe(parameter);
      expect(res.body.error.message).toMatch(message);
    }
    const nameless = await create({ name: ' ', capacity: 10 });
    expect(nameless.status).toBe(400);
    expect(nameless.body.error.parameter).toBe('properties.name');
    expect(nameless.body.error.problems.map((p: { note: { code: string } }) => p.note.code)).toEqual(['field_required']);
    const both = await create({ capacity: -1.5, status: 'shut' });
    expect(both.body.error.problems.map((p: { field: string }) => p.field)).toEqual(['capacity', 'status']);
    expect(both.body.error.problems[1].reason).toMatch(/"shut" is not one of open, full, closed, planned \(send one of the listed values\)/);
    const { body: f } = await create({ name: '校验测试' });
    const patch = (body: unknown) => ctx.api.call(path(f.id), { method: 'PATCH', token: LINA, body });
    const bad = await patch({ version: 1, properties: { capacity: 1.5 } });
    expect(bad.body.error.parameter).toBe('properties.capacity');
    expect((await patch({ properties: { capacity: 5 } })).body.error.parameter).toBe('version');
    expect((await patch({ version: 1 })).body.error.message).toMatch(/Nothing to change/);
    expect((await patch({ version: 1, name: 'x' })).body.error.parameter).toBe('name');
    expect((await patch({ version: 1, properties: { name: null } })).body.error.parameter).toBe('properties.name');
    expect((await ctx.api.call(`${path(f.id)}`, { method: 'DELETE', token: LINA })).body.error.parameter).toBe('version');
    expect((await ctx.api.call(path(f.id), { token: LINA })).body.version).toBe(1);
    expect(await auditCount()).toBe(before + 1);
  });

  it('refuses geometries of the wrong kind, out of range or invalid, and writes no audit row', async () => {
    const before = await auditCount();
    const line = await ctx.api.call('/api/layers/shelters/features', {
      method: 'POST',
      token: LINA,
      body: { type: 'Feature', geometry: { type: 'LineString', coordinates: [jiangbei, [jiangbei[0] + 0.01, jiangbei[1]]] }, properties: { name: '线' } },
    });
    expect(line.status).toBe(400);
    expect(line.body.error).toMatchObject({ parameter: 'geometry' });
    expect(line.body.error.message).toMatch(/LineString in a Point layer; expected Point/);
    const projected = await create({}, [583000, 3272000]);
    expect(projected.body.error.message).toMatch(/outside WGS84/);

    const [x, y] = jiangbei;
    const bowtie = [[x, y], [x + 0.01, y + 0.01], [x + 0.01, y], [x, y + 0.01], [x, y]];
    const invalid = await ctx.api.call('/api/layers/admin_units/features', {
      method: 'POST',
      token: ZHANGWEI,
      body: { type: 'Feature', id: 'bowtie', geometry: { type: 'Polygon', coordinates: [bowtie] }, properties: { name: '蝴蝶结', level: 'town' } },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.parameter).toBe('geometry');
    expect(invalid.body.error.message).toMatch(/Self-intersection/);
    expect((await ctx.api.call('/api/layers/admin_units/features/bowtie')).status).toBe(404);

    const { body: f } = await create({ name: '移动校验' });
    const move = await ctx.api.call(path(f.id), { method: 'PATCH', token: LINA, body: { version: 1, geometry: { type: 'Point', coordinates: [x] } } });
    expect(move.status).toBe(400);
    expect(move.body.error.message).toMatch(/not a position/);
    expect((await ctx.api.call(path(f.id), { token: LINA })).body.geometry.coordinates).toEqual(jiangbei);
    expect(await auditCount()).toBe(before + 1);
  });

  it('rolls an audit row back with the write it belongs to', async () => {
    const before = (await listAudit(ctx.store.db, { limit: 1, offset: 0 })).numberMatched;
    await expect(
      ctx.store.db.transaction(async (tx) => {
        await tx.query(`UPDATE features SET version = version + 1 WHERE layer = 'shelters' AND fid = (SELECT min(fid) FROM features WHERE layer = 'shelters')`);
        await recordAudit(tx, { actor: 'test', action: 'update', layer: 'shelters', fid: 'x', detail: { n: 1 } });
        throw new Error('the write fails after its audit row');
      }),
    ).rejects.toThrow(/write fails/);
    expect((await listAudit(ctx.store.db, { limit: 1, offset: 0 })).numberMatched).toBe(before);
  });

  it('undoes an edit whose audit row cannot be written', async () => {
    const { body: f } = await create({ name: '审计失败测试', capacity: 5 });
    const db = ctx.store.db;
    await db.exec(`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.fid = '${f.id}' THEN RAISE EXCEPTION 'audit refused'; END IF; RETURN NEW; END $$`);
    await db.exec('CREATE TRIGGER refuse_audit BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION refuse_audit()');
    try {
      const patch = await ctx.api.call(path(f.id), { method: 'PATCH', token: LINA, body: { version: 1, properties: { capacity: 6 } } });
      expect(patch.status).toBe(500);
      const del = await ctx.api.call(`${path(f.id)}?version=1`, { method: 'DELETE', token: LINA });
      expect(del.status).toBe(500);
    } finally {
      await db.exec('DROP TRIGGER refuse_audit ON audit; DROP FUNCTION refuse_audit()');
    }
    expect((await ctx.api.call(path(f.id), { token: LINA })).body).toEqual(f);
  });

  it('refuses edits from the public', async () => {
    expect((await create({ name: 'x' }, jiangbei, '')).status).toBe(401);
    const any = (await ctx.api.call('/api/layers/shelters/features?limit=1')).body.features[0];
    const patch = await ctx.api.call(path(any.id), { method: 'PATCH', body: { version: 1, properties: { capacity: 1 } } });
    expect(patch.status).toBe(401);
    expect(patch.body.error.message).toMatch(/commander or admin token/);
    expect((await ctx.api.call(`${path(any.id)}?version=1`, { method: 'DELETE' })).status).toBe(401);
  });

  it('shows the audit log to admins only, newest first, filtered and paged', async () => {
    const anon = await ctx.api.call('/api/audit');
    expect(anon.status).toBe(401);
    const commander = await ctx.api.call('/api/audit', { token: LINA });
    expect(commander.status).toBe(403);
    expect(commander.body.error.message).toMatch(/administrators.*"lina"/);

    const all = await audit('limit=1000');
    expect(all.numberMatched).toBeGreaterThan(5);
    const ids = all.entries.map((e: { id: number }) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const page = await audit('limit=2&offset=1');
    expect(page.entries.map((e: { id: number }) => e.id)).toEqual(ids.slice(1, 3));
    expect(page.numberReturned).toBe(2);

    const lina = await audit('actor=lina&action=update&layer=shelters');
    expect(lina.numberMatched).toBeGreaterThan(0);
    expect(lina.entries.every((e: any) => e.actor === 'lina' && e.action === 'update')).toBe(true);
    expect((await audit('since=2999-01-01')).numberMatched).toBe(0);
    expect((await audit(`since=${encodeURIComponent(all.entries.at(-1).at)}`)).numberMatched).toBe(all.numberMatched);

    const bad = await ctx.api.call('/api/audit?action=rename', { token: ZHANGWEI });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ parameter: 'action' });
    expect((await ctx.api.call('/api/audit?since=yesterday', { token: ZHANGWEI })).body.error.parameter).toBe('since');
    expect((await ctx.api.call('/api/audit?layer=castles', { token: ZHANGWEI })).body.error.parameter).toBe('layer');
    expect((await ctx.api.call('/api/audit?who=lina', { token: ZHANGWEI })).body.error.parameter).toBe('who');
  });
});
